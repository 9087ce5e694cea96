// The Vietnamese lunisolar calendar (âm lịch).
//
// Months begin on the day of the astronomical new moon at UTC+7 (105°E); month
// 11 is the month that contains the December solstice; a year with 13 months
// between two months 11 repeats (as a leap month, tháng nhuận) the first month
// in which the sun enters no new major solar term (trung khí). This is Hồ Ngọc
// Đức's formulation, and it differs from the Chinese calendar (UTC+8) in some
// years (Tết 1968, 1985, 2007).
//
// Conversions cover the solar dates kFirstDate..kLastDate (1900..2100) and are
// O(log n) over a table of about 2,500 months built on first use. Thread-safe.
#pragma once

#include <compare>

#include "common/result.hpp"
#include "core/calendar/date.hpp"

namespace motcua::calendar {

struct LunarDate {
  int year = 0;       // the lunar year, named after the solar year in which it mostly lies
  int month = 0;      // 1..12
  int day = 0;        // 1..30
  bool leap = false;  // the repeated month (tháng nhuận)

  friend bool operator==(const LunarDate&, const LunarDate&) = default;
};

// Fails with kInvalidArgument outside kFirstDate..kLastDate.
[[nodiscard]] Result<LunarDate> ToLunar(Date date);

// Fails with kInvalidArgument when the lunar date does not exist (a leap month
// the year does not have, day 30 of a 29-day month, month 13) or lies outside
// the solar range.
[[nodiscard]] Result<Date> ToSolar(const LunarDate& lunar);

// The number of days (29 or 30) of a lunar month; fails as ToSolar does.
[[nodiscard]] Result<int> LunarMonthLength(int year, int month, bool leap);

// The leap month of a lunar year, 0 when the year has none; fails outside the range.
[[nodiscard]] Result<int> LeapMonth(int year);

}  // namespace motcua::calendar
