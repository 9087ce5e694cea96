// The periods statistics are counted and reported by (DOMAIN.md section 6).
//
// Calendar periods: a day, a month, a quarter, a half year, a year.
// Reporting periods of Decree 09/2019/NĐ-CP: a report month runs from the 15th
// of the previous month to the 14th (report month 01/2027 is 15/12/2026 to
// 14/01/2027); a report quarter from the 15th of the month before the quarter
// to the 14th of its last month (Q1: 15/12 to 14/03); a six-month report from
// 15 December to 14 June, or 15 June to 14 December; a report year from
// 15 December to 14 December. The cut-off day (15) is a parameter: the decree's, unless the
// data says otherwise.
//
// Pure and thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "core/calendar/date.hpp"

namespace motcua::stats {

enum class PeriodKind {
  kDay,
  kMonth,
  kQuarter,
  kYear,
  kReportMonth,
  kReportQuarter,
  kReportYear,
  kHalfYear,
  kReportHalfYear
};

// Whether `kind` is one of Decree 09's report periods.
bool IsReport(PeriodKind kind);

struct Period {
  PeriodKind kind = PeriodKind::kDay;
  int year = 0;
  int index = 1;  // month 1-12, quarter 1-4, half 1-2, day of the year 1-366; 1 for a year
  bool operator==(const Period&) const = default;
};

// Both ends included: the days a period counts.
struct DayRange {
  calendar::Date first;
  calendar::Date last;
  bool Contains(calendar::Date d) const { return first <= d && d <= last; }
  int days() const { return static_cast<int>((last - first).count()) + 1; }
};

inline constexpr unsigned kDecree09CutoffDay = 15;

// The days of `p`. `cutoff` is the first day of a report period (15).
DayRange RangeOf(const Period& p, unsigned cutoff = kDecree09CutoffDay);

// The period of `kind` that counts `day`.
Period Containing(PeriodKind kind, calendar::Date day, unsigned cutoff = kDecree09CutoffDay);

// The period after `p`, and the one before.
Period Next(const Period& p);
Period Previous(const Period& p);

// Names as addresses and files carry them: "2026-12-02", "2026-12", "2026-Q4",
// "2026-H2", "2026", and the report periods "bc-2026-12", "bc-2026-Q4",
// "bc-2026-H2", "bc-2026".
// Errors: kInvalidArgument naming "period".
[[nodiscard]] Result<Period> ParsePeriod(std::string_view text);
std::string FormatPeriod(const Period& p);

// For people, in Vietnamese: "Tháng 12/2026", "Quý IV/2026", "6 tháng cuối năm
// 2026", "Năm 2026", "Kỳ báo cáo tháng 12/2026 (15/11/2026 – 14/12/2026)".
std::string VietnameseName(const Period& p, unsigned cutoff = kDecree09CutoffDay);

}  // namespace motcua::stats
