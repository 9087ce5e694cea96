#include "core/calendar/working_time.hpp"

#include <gtest/gtest.h>

#include "core/calendar/internal/test_files.hpp"

namespace motcua::calendar {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

TimePoint T(const char* text) {
  auto t = ParseMoment(text);
  EXPECT_TRUE(t.has_value()) << text;
  return t.value_or(TimePoint{});
}

class WorkingTimeTest : public ::testing::Test {
 protected:
  WorkingTimeTest() : calendar_(Load(), OfficeHours()) {}

  static HolidayCalendar Load() {
    auto c = HolidayCalendar::Load(internal::ShippedTables());
    EXPECT_TRUE(c.has_value()) << (c ? "" : c.error().message);
    return c ? *c : HolidayCalendar();
  }

  std::string AddDays(const char* moment, int n) const {
    auto r = calendar_.AddWorkingDays(T(moment), n);
    return r ? FormatMoment(*r) : "error: " + r.error().message;
  }
  std::string AddHours(const char* moment, Micros d) const {
    auto r = calendar_.AddWorkingHours(T(moment), d);
    return r ? FormatMoment(*r) : "error: " + r.error().message;
  }
  Micros Between(const char* a, const char* b) const {
    auto r = calendar_.WorkingTimeBetween(T(a), T(b));
    EXPECT_TRUE(r.has_value());
    return r.value_or(Micros(-1));
  }

  WorkingCalendar calendar_;
};

TEST_F(WorkingTimeTest, OfficeHoursParseAndPrint) {
  auto h = OfficeHours::Parse("08:00-12:00,13:00-17:30");
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->ToString(), "08:00-12:00,13:00-17:30");
  EXPECT_EQ(h->DayLength(), hours(8) + minutes(30));
  EXPECT_EQ(OfficeHours().ToString(), "07:30-11:30,13:30-17:00");
  EXPECT_EQ(OfficeHours().DayLength(), hours(7) + minutes(30));
  for (const char* bad : {"", "08:00", "08:00-07:00", "08:00-12:00,11:00-17:00", "8:00-12:00",
                          "08:00-25:00", "08:00-12:00,", "08:60-12:00"}) {
    EXPECT_FALSE(OfficeHours::Parse(bad).has_value()) << bad;
  }
}

TEST_F(WorkingTimeTest, AddsWorkingDaysAtTheSameTimeOfDay) {
  // Wednesday 16:00 + 5 working days = the next Wednesday 16:00.
  EXPECT_EQ(AddDays("2025-03-12T16:00+07:00", 5), "2025-03-19T16:00:00+07:00");
  EXPECT_EQ(AddDays("2025-03-12T16:00+07:00", 0), "2025-03-12T16:00:00+07:00");
  // Tết 2027 (rules: off 5-11 February).
  EXPECT_EQ(AddDays("2027-02-03T16:00+07:00", 5), "2027-02-17T16:00:00+07:00");
  // 30 April - 4 May 2025, with 2 May swapped for Saturday 26 April.
  EXPECT_EQ(AddDays("2025-04-29T09:00+07:00", 1), "2025-05-05T09:00:00+07:00");
  EXPECT_EQ(AddDays("2025-04-25T15:00+07:00", 1), "2025-04-26T15:00:00+07:00");
}

TEST_F(WorkingTimeTest, MomentsOutsideOfficeHoursCountFromTheNextWorkingMoment) {
  EXPECT_EQ(AddDays("2025-03-12T18:30+07:00", 1), "2025-03-13T17:00:00+07:00");  // after close
  EXPECT_EQ(AddDays("2025-03-12T12:15+07:00", 2), "2025-03-14T13:30:00+07:00");  // lunch
  EXPECT_EQ(AddDays("2025-03-12T06:00+07:00", 1), "2025-03-13T07:30:00+07:00");  // before opening
  EXPECT_EQ(AddDays("2025-03-15T10:00+07:00", 1), "2025-03-18T07:30:00+07:00");  // Saturday
  EXPECT_EQ(AddDays("2025-12-31T16:00+07:00", 1), "2026-01-02T16:00:00+07:00");  // 1 January
}

TEST_F(WorkingTimeTest, AddsWorkingHoursEndingAtTheEarliestMoment) {
  EXPECT_EQ(AddHours("2025-03-12T16:00+07:00", hours(1)), "2025-03-12T17:00:00+07:00");
  EXPECT_EQ(AddHours("2025-03-12T16:00+07:00", hours(2)), "2025-03-13T08:30:00+07:00");
  EXPECT_EQ(AddHours("2025-03-12T10:00+07:00", minutes(90)), "2025-03-12T11:30:00+07:00");
  EXPECT_EQ(AddHours("2025-03-12T10:00+07:00", hours(2)), "2025-03-12T14:00:00+07:00");
  EXPECT_EQ(AddHours("2025-03-12T12:00+07:00", Micros(0)), "2025-03-12T13:30:00+07:00");
  // A whole working week: five days of 7.5 hours.
  EXPECT_EQ(AddHours("2025-03-12T16:00+07:00", 5 * (hours(7) + minutes(30))),
            "2025-03-19T16:00:00+07:00");
  EXPECT_EQ(AddHours("2025-04-29T16:00+07:00", hours(2)), "2025-05-05T08:30:00+07:00");
  EXPECT_EQ(AddHours("2025-03-12T16:00+07:00", -hours(1)),
            "error: invalid hours: must not be negative");
}

TEST_F(WorkingTimeTest, MeasuresWorkingTimeBetweenMoments) {
  EXPECT_EQ(Between("2025-03-12T16:00+07:00", "2025-03-13T09:00+07:00"), hours(2) + minutes(30));
  EXPECT_EQ(Between("2025-03-14T16:00+07:00", "2025-03-17T08:30+07:00"), hours(2));
  EXPECT_EQ(Between("2025-03-13T09:00+07:00", "2025-03-12T16:00+07:00"), -(hours(2) + minutes(30)));
  EXPECT_EQ(Between("2025-03-12T12:00+07:00", "2025-03-12T13:00+07:00"), Micros(0));
  // Across Tết 2025 (25 January - 2 February): Friday 24 January 17:00 to Monday 3 February 07:30.
  EXPECT_EQ(Between("2025-01-24T17:00+07:00", "2025-02-03T07:30+07:00"), Micros(0));
}

TEST_F(WorkingTimeTest, AddingAndMeasuringAgree) {
  const TimePoint start = T("2026-02-10T10:15+07:00");
  for (int n = 0; n < 400; n += 7) {
    auto end = calendar_.AddWorkingDays(start, n);
    ASSERT_TRUE(end.has_value());
    EXPECT_EQ(calendar_.WorkingTimeBetween(start, *end).value(), n * OfficeHours().DayLength());
  }
}

TEST_F(WorkingTimeTest, TellsWorkingTime) {
  EXPECT_TRUE(calendar_.IsWorkingTime(T("2025-03-12T07:30+07:00")));
  EXPECT_TRUE(calendar_.IsWorkingTime(T("2025-03-12T16:59:59+07:00")));
  EXPECT_FALSE(calendar_.IsWorkingTime(T("2025-03-12T17:00+07:00")));
  EXPECT_FALSE(calendar_.IsWorkingTime(T("2025-03-12T12:00+07:00")));
  EXPECT_FALSE(calendar_.IsWorkingTime(T("2025-05-02T09:00+07:00")));  // swapped day off
  EXPECT_TRUE(calendar_.IsWorkingTime(T("2025-04-26T09:00+07:00")));   // make-up Saturday
  EXPECT_TRUE(calendar_.IsWorkingTime(T("2025-03-12T02:00:00Z")));     // 09:00 at +07:00
}

TEST_F(WorkingTimeTest, ConfiguredOfficeHoursAreUsed) {
  WorkingCalendar c(HolidayCalendar(), *OfficeHours::Parse("08:00-12:00"));
  auto r = c.AddWorkingHours(T("2025-03-12T11:00+07:00"), hours(2));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(FormatMoment(*r), "2025-03-13T09:00:00+07:00");
}

TEST_F(WorkingTimeTest, RejectsMomentsAndResultsOutsideTheRange) {
  EXPECT_EQ(AddDays("2101-01-05T09:00+07:00", 1).substr(0, 6), "error:");
  EXPECT_EQ(AddDays("2100-12-30T09:00+07:00", 5).substr(0, 6), "error:");
  EXPECT_EQ(AddDays("2025-03-12T09:00+07:00", -1), "error: invalid days: must not be negative");
  EXPECT_EQ(AddHours("2025-03-12T09:00+07:00", hours(10'000'000)).substr(0, 6), "error:");
}

}  // namespace
}  // namespace motcua::calendar
