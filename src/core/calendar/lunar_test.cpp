#include "core/calendar/lunar.hpp"

#include <gtest/gtest.h>

namespace motcua::calendar {
namespace {

using std::chrono::days;
using std::chrono::year;

Date D(int y, unsigned m, unsigned d) { return Date{year{y} / m / d}; }

Date Solar(int y, int m, int d, bool leap = false) {
  auto r = ToSolar(LunarDate{y, m, d, leap});
  EXPECT_TRUE(r.has_value()) << y << "-" << m << "-" << d << (leap ? " leap: " : ": ")
                             << (r ? "" : r.error().message);
  return r.value_or(Date{});
}

LunarDate Lunar(Date date) {
  auto r = ToLunar(date);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  return r.value_or(LunarDate{});
}

TEST(LunarTest, RoundTripsEveryDayOfTheRangeAndDaysAdvanceByOne) {
  LunarDate previous = Lunar(kFirstDate);
  EXPECT_EQ(Solar(previous.year, previous.month, previous.day, previous.leap), kFirstDate);
  int months = 0;
  for (Date d = kFirstDate + days(1); d <= kLastDate; d += days(1)) {
    auto lunar = ToLunar(d);
    ASSERT_TRUE(lunar.has_value()) << FormatDate(d);
    auto back = ToSolar(*lunar);
    ASSERT_TRUE(back.has_value()) << FormatDate(d);
    ASSERT_EQ(*back, d);
    if (lunar->day == 1) {
      // A new month follows day 29 or 30 of the previous one.
      ASSERT_TRUE(previous.day == 29 || previous.day == 30) << FormatDate(d);
      ++months;
    } else {
      ASSERT_EQ(lunar->day, previous.day + 1) << FormatDate(d);
    }
    previous = *lunar;
  }
  // 201 years of 365.2425 days over a mean lunation of 29.530589 days.
  EXPECT_NEAR(months, 2486, 1);
}

TEST(LunarTest, TetFallsOnTheKnownDates) {
  EXPECT_EQ(Solar(2024, 1, 1), D(2024, 2, 10));
  EXPECT_EQ(Solar(2025, 1, 1), D(2025, 1, 29));
  EXPECT_EQ(Solar(2026, 1, 1), D(2026, 2, 17));
  EXPECT_EQ(Solar(2027, 1, 1), D(2027, 2, 6));
  EXPECT_EQ(Lunar(D(2027, 2, 6)), (LunarDate{2027, 1, 1, false}));
}

TEST(LunarTest, HungKingsDayFallsOnTheKnownDates) {
  EXPECT_EQ(Solar(2025, 3, 10), D(2025, 4, 7));
  EXPECT_EQ(Solar(2026, 3, 10), D(2026, 4, 26));
}

TEST(LunarTest, FollowsVietnamNotChinaWhereTheyDiffer) {
  // China (UTC+8) had Tết on 1985-02-20, 2007-02-18 and 1968-01-30.
  EXPECT_EQ(Solar(1985, 1, 1), D(1985, 1, 21));
  EXPECT_EQ(Solar(2007, 1, 1), D(2007, 2, 17));
  EXPECT_EQ(Solar(1968, 1, 1), D(1968, 1, 29));
}

TEST(LunarTest, LeapMonthsAreTheKnownOnes) {
  EXPECT_EQ(LeapMonth(2020).value_or(-1), 4);
  EXPECT_EQ(LeapMonth(2023).value_or(-1), 2);
  EXPECT_EQ(LeapMonth(2025).value_or(-1), 6);
  EXPECT_EQ(LeapMonth(2024).value_or(-1), 0);
  EXPECT_EQ(LeapMonth(2026).value_or(-1), 0);
  EXPECT_EQ(Lunar(D(2023, 3, 22)), (LunarDate{2023, 2, 1, true}));
  EXPECT_EQ(Solar(2023, 2, 1, true), D(2023, 3, 22));
  EXPECT_EQ(Solar(2020, 4, 1, true), D(2020, 5, 23));
  EXPECT_EQ(Solar(2025, 6, 1, true), D(2025, 7, 25));
  EXPECT_EQ(Solar(2025, 7, 1), D(2025, 8, 23));
}

TEST(LunarTest, EveryLeapYearHasThirteenMonthsAndOthersTwelve) {
  for (int y = 1901; y <= 2099; ++y) {
    int leap = LeapMonth(y).value_or(-1);
    ASSERT_GE(leap, 0) << y;
    Date start = Solar(y, 1, 1);
    Date next = Solar(y + 1, 1, 1);
    int length = static_cast<int>((next - start).count());
    if (leap == 0) {
      EXPECT_TRUE(length >= 353 && length <= 355) << y << ": " << length;
    } else {
      EXPECT_TRUE(length >= 383 && length <= 385) << y << ": " << length;
    }
  }
}

TEST(LunarTest, NonExistentLunarDatesAreErrorsNotWrongDates) {
  // 2024 has no leap month; 2025's is the 6th, not the 5th.
  EXPECT_FALSE(ToSolar(LunarDate{2024, 2, 1, true}).has_value());
  auto no_leap5 = ToSolar(LunarDate{2025, 5, 1, true});
  ASSERT_FALSE(no_leap5.has_value());
  EXPECT_NE(no_leap5.error().message.find("no leap month 5"), std::string::npos);
  // Find a 29-day month and ask for its 30th day.
  int short_month = 0;
  for (int m = 1; m <= 12 && short_month == 0; ++m) {
    if (LunarMonthLength(2026, m, false).value_or(0) == 29) short_month = m;
  }
  ASSERT_NE(short_month, 0);
  auto day30 = ToSolar(LunarDate{2026, short_month, 30, false});
  ASSERT_FALSE(day30.has_value());
  EXPECT_NE(day30.error().message.find("has 29 days"), std::string::npos);
  EXPECT_FALSE(ToSolar(LunarDate{2026, 13, 1, false}).has_value());
  EXPECT_FALSE(ToSolar(LunarDate{2026, 0, 1, false}).has_value());
  EXPECT_FALSE(ToSolar(LunarDate{2026, 1, 0, false}).has_value());
}

TEST(LunarTest, RejectsDatesOutsideTheRange) {
  EXPECT_FALSE(ToLunar(kFirstDate - days(1)).has_value());
  EXPECT_FALSE(ToLunar(kLastDate + days(1)).has_value());
  EXPECT_FALSE(ToSolar(LunarDate{2150, 1, 1, false}).has_value());
  EXPECT_FALSE(ToSolar(LunarDate{1850, 1, 1, false}).has_value());
}

}  // namespace
}  // namespace motcua::calendar
