// Civil dates and moments as the calendar module reads and writes them.
//
// A Date is a day of the proleptic Gregorian calendar; a moment is a TimePoint
// (UTC). Vietnam keeps UTC+7 all year (no daylight saving), so local dates and
// office hours are computed at that fixed offset. Everything here is pure and
// thread-safe.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/result.hpp"

namespace motcua::calendar {

using Date = std::chrono::sys_days;

// Vietnam's civil time and the meridian of the lunar calendar (105°E).
inline constexpr std::chrono::hours kVietnamOffset{7};

// The range the lunar table and the holiday rules cover, both ends included.
inline constexpr Date kFirstDate{std::chrono::year{1900} / 1 / 1};
inline constexpr Date kLastDate{std::chrono::year{2100} / 12 / 31};

// "YYYY-MM-DD" (exactly four, two and two digits). Fails with
// kInvalidArgument naming the problem: the shape, or an impossible day such as
// 2027-02-30. Does not check kFirstDate..kLastDate.
[[nodiscard]] Result<Date> ParseDate(std::string_view text);
std::string FormatDate(Date date);

// RFC 3339: "2027-02-03T16:00+07:00", seconds and a fraction of a second
// optional, 'Z' or any ±HH:MM offset (converted to UTC).
[[nodiscard]] Result<TimePoint> ParseMoment(std::string_view text);
// RFC 3339 at +07:00 with seconds; the fraction only when it is not zero.
std::string FormatMoment(TimePoint moment);

// The date at UTC+7 on which `moment` falls.
Date LocalDate(TimePoint moment);

}  // namespace motcua::calendar
