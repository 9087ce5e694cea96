#include "core/calendar/date.hpp"

#include <gtest/gtest.h>

namespace motcua::calendar {
namespace {

TEST(CalendarDateTest, ParsesAndFormatsDates) {
  auto d = ParseDate("2027-02-06");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(FormatDate(*d), "2027-02-06");
  EXPECT_EQ(ParseDate("2027-02-30").error().message,
            "invalid date: '2027-02-30' is an impossible date");
  EXPECT_FALSE(ParseDate("2027-2-6").has_value());
  EXPECT_FALSE(ParseDate("2027-02-06x").has_value());
  EXPECT_FALSE(ParseDate("").has_value());
}

TEST(CalendarDateTest, MomentsAcceptAnyOffsetAndPrintAtVietnamTime) {
  auto a = ParseMoment("2027-02-03T16:00+07:00");
  auto b = ParseMoment("2027-02-03T09:00:00Z");
  auto c = ParseMoment("2027-02-03T04:00:00.000-05:00");
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(*a, *c);
  EXPECT_EQ(FormatMoment(*a), "2027-02-03T16:00:00+07:00");
  auto fraction = ParseMoment("2027-02-03T16:00:01.25+07:00");
  ASSERT_TRUE(fraction.has_value());
  EXPECT_EQ(FormatMoment(*fraction), "2027-02-03T16:00:01.250000+07:00");
  // Midnight at +07:00 is still the previous day in UTC; the local date is what counts.
  auto midnight = ParseMoment("2027-02-06T00:30+07:00");
  ASSERT_TRUE(midnight.has_value());
  EXPECT_EQ(FormatDate(LocalDate(*midnight)), "2027-02-06");
}

TEST(CalendarDateTest, RejectsMalformedMoments) {
  for (const char* bad :
       {"2027-02-03", "2027-02-03T16:00", "2027-02-03T25:00+07:00", "2027-02-30T16:00+07:00",
        "2027-02-03T16:00+0700", "2027-02-03 16:00+07:00", "2027-02-03T16:00:00.+07:00",
        "2027-02-03T16:00+07:00x"}) {
    EXPECT_FALSE(ParseMoment(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace motcua::calendar
