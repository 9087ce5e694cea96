#include "core/dossier/deadline.hpp"

#include <gtest/gtest.h>

#include "core/calendar/date.hpp"

namespace motcua::dossier {
namespace {

using calendar::FormatMoment;

TimePoint At(std::string_view text) {
  auto t = calendar::ParseMoment(text);
  EXPECT_TRUE(t) << text;
  return *t;
}

class DeadlineTest : public ::testing::Test {
 protected:
  // The statutory rules only (2027 has no yearly decision yet): Tết 2027 is
  // 5-9 February, compensated on 10-11 February.
  calendar::WorkingCalendar cal_{calendar::HolidayCalendar(), calendar::OfficeHours()};

  std::string Start(std::string_view received, bool cut_off) {
    auto r = ClockStart(cal_, At(received), cut_off);
    EXPECT_TRUE(r) << r.error().message;
    return FormatMoment(*r);
  }
};

TEST_F(DeadlineTest, ClockStartsAtReceiptDuringOfficeHours) {
  EXPECT_EQ(Start("2027-03-03T10:00+07:00", true), "2027-03-03T10:00:00+07:00");
  EXPECT_EQ(Start("2027-03-03T15:30+07:00", false), "2027-03-03T15:30:00+07:00");
}

TEST_F(DeadlineTest, CutOffMovesAfternoonReceiptsToTheNextWorkingDay) {
  EXPECT_EQ(Start("2027-03-03T15:00+07:00", true), "2027-03-04T07:30:00+07:00");
  EXPECT_EQ(Start("2027-03-03T14:59+07:00", true), "2027-03-03T14:59:00+07:00");
  // Friday afternoon: Monday morning.
  EXPECT_EQ(Start("2027-03-05T15:30+07:00", true), "2027-03-08T07:30:00+07:00");
  // The day before Tết: the clock starts after the holiday.
  EXPECT_EQ(Start("2027-02-04T16:00+07:00", true), "2027-02-12T07:30:00+07:00");
}

TEST_F(DeadlineTest, ReceiptOutsideOfficeHoursCountsFromTheNextOpening) {
  EXPECT_EQ(Start("2027-03-03T18:00+07:00", false), "2027-03-04T07:30:00+07:00");
  EXPECT_EQ(Start("2027-03-06T09:00+07:00", false), "2027-03-08T07:30:00+07:00");  // Saturday
  EXPECT_EQ(Start("2027-03-03T06:00+07:00", false), "2027-03-03T07:30:00+07:00");
  // Another offset is the same moment: 02:00 UTC is 09:00 in Vietnam.
  EXPECT_EQ(Start("2027-03-03T02:00Z", true), "2027-03-03T09:00:00+07:00");
}

TEST_F(DeadlineTest, DueMomentInWorkingDaysAndHours) {
  auto due = DueAt(cal_, At("2027-03-03T16:00+07:00"), {5, TimeLimit::Unit::kWorkingDays});
  ASSERT_TRUE(due);
  EXPECT_EQ(FormatMoment(*due), "2027-03-10T16:00:00+07:00");
  // Wednesday 16:00 + 8 working hours: 1 h on Wednesday, 4 h Thursday
  // morning, 3 h Thursday afternoon.
  due = DueAt(cal_, At("2027-03-03T16:00+07:00"), {8, TimeLimit::Unit::kWorkingHours});
  ASSERT_TRUE(due);
  EXPECT_EQ(FormatMoment(*due), "2027-03-04T16:30:00+07:00");
  // Across Tết: received Wednesday 3 February, 5 working days.
  due = DueAt(cal_, At("2027-02-03T16:00+07:00"), {5, TimeLimit::Unit::kWorkingDays});
  ASSERT_TRUE(due);
  EXPECT_EQ(FormatMoment(*due), "2027-02-17T16:00:00+07:00");
  EXPECT_FALSE(DueAt(cal_, At("2027-02-03T16:00+07:00"), {-1, TimeLimit::Unit::kWorkingDays}));
}

TEST_F(DeadlineTest, SameDayLimitIsDueAtTheCloseOfTheWorkingDay) {
  // A death registration accepted at 14:48 is due at 17:00 that day, so its
  // answer at 16:03 is on time (it was judged late against 14:48).
  auto due = DueAt(cal_, At("2027-03-03T14:48+07:00"), {0, TimeLimit::Unit::kWorkingDays});
  ASSERT_TRUE(due);
  EXPECT_EQ(FormatMoment(*due), "2027-03-03T17:00:00+07:00");
  EXPECT_EQ(Judge(At("2027-03-03T16:03+07:00"), *due), Timeliness::kOnTime);
  EXPECT_EQ(Judge(At("2027-03-04T08:00+07:00"), *due), Timeliness::kLate);
  // With the cut-off, a dossier received at 15:20 belongs to Thursday: due
  // at Thursday's close. Without it, at Wednesday's.
  TimePoint start = *ClockStart(cal_, At("2027-03-03T15:20+07:00"), true);
  EXPECT_EQ(FormatMoment(*DueAt(cal_, start, {0, TimeLimit::Unit::kWorkingDays})),
            "2027-03-04T17:00:00+07:00");
  start = *ClockStart(cal_, At("2027-03-03T15:20+07:00"), false);
  EXPECT_EQ(FormatMoment(*DueAt(cal_, start, {0, TimeLimit::Unit::kWorkingDays})),
            "2027-03-03T17:00:00+07:00");
  // Received on Friday evening: Monday's close. On the day before Tết 2027:
  // the first working day after it.
  start = *ClockStart(cal_, At("2027-03-05T18:00+07:00"), false);
  EXPECT_EQ(FormatMoment(*DueAt(cal_, start, {0, TimeLimit::Unit::kWorkingDays})),
            "2027-03-08T17:00:00+07:00");
  EXPECT_EQ(
      FormatMoment(*DueAt(cal_, At("2027-02-04T17:30+07:00"), {0, TimeLimit::Unit::kWorkingDays})),
      "2027-02-12T17:00:00+07:00");
  // Office hours are configurable: the close is the last interval's end.
  calendar::WorkingCalendar short_day{calendar::HolidayCalendar(),
                                      *calendar::OfficeHours::Parse("08:00-12:00,13:00-16:30")};
  EXPECT_EQ(FormatMoment(*DueAt(short_day, At("2027-03-03T09:00+07:00"),
                                {0, TimeLimit::Unit::kWorkingDays})),
            "2027-03-03T16:30:00+07:00");
}

TEST_F(DeadlineTest, SupplementPauseMovesTheDueMomentByTheWorkingTimeTaken) {
  TimePoint due = At("2027-03-10T16:00+07:00");
  // Thursday 09:00 to Monday 09:00 is two working days (the weekend is free).
  auto moved = ExtendByPause(cal_, due, At("2027-03-04T09:00+07:00"), At("2027-03-08T09:00+07:00"));
  ASSERT_TRUE(moved);
  EXPECT_EQ(FormatMoment(*moved), "2027-03-12T16:00:00+07:00");
  // A pause entirely over a weekend moves nothing.
  moved = ExtendByPause(cal_, due, At("2027-03-06T09:00+07:00"), At("2027-03-07T18:00+07:00"));
  ASSERT_TRUE(moved);
  EXPECT_EQ(FormatMoment(*moved), "2027-03-10T16:00:00+07:00");
  EXPECT_FALSE(
      ExtendByPause(cal_, due, At("2027-03-08T09:00+07:00"), At("2027-03-04T09:00+07:00")));
}

TEST_F(DeadlineTest, EarlyOnTimeLate) {
  TimePoint due = At("2027-03-10T16:00+07:00");
  EXPECT_EQ(Judge(At("2027-03-09T16:30+07:00"), due), Timeliness::kEarly);
  EXPECT_EQ(Judge(At("2027-03-10T08:00+07:00"), due), Timeliness::kOnTime);
  EXPECT_EQ(Judge(At("2027-03-10T16:00+07:00"), due), Timeliness::kOnTime);
  EXPECT_EQ(Judge(At("2027-03-10T16:01+07:00"), due), Timeliness::kLate);
  // One supplement request is allowed; a second makes the dossier late.
  EXPECT_EQ(Judge(At("2027-03-09T10:00+07:00"), due, 1), Timeliness::kEarly);
  EXPECT_EQ(Judge(At("2027-03-09T10:00+07:00"), due, 2), Timeliness::kLate);
  EXPECT_EQ(TimelinessName(Timeliness::kOnTime), "on_time");
}

TEST_F(DeadlineTest, NearingAndOverdueAreComputedFromTheClock) {
  TimePoint due = At("2027-03-10T16:00+07:00");
  Micros one_day = cal_.office_hours().DayLength();
  auto u = UrgencyAt(cal_, At("2027-03-08T08:00+07:00"), due, one_day);
  ASSERT_TRUE(u);
  EXPECT_EQ(*u, Urgency::kNormal);
  // Wednesday 08:00: 6.5 working hours left, under one working day.
  u = UrgencyAt(cal_, At("2027-03-10T08:00+07:00"), due, one_day);
  ASSERT_TRUE(u);
  EXPECT_EQ(*u, Urgency::kNearing);
  u = UrgencyAt(cal_, At("2027-03-10T16:01+07:00"), due, one_day);
  ASSERT_TRUE(u);
  EXPECT_EQ(*u, Urgency::kOverdue);
}

}  // namespace
}  // namespace motcua::dossier
