#include "core/stats/periods.hpp"

#include <charconv>
#include <cstdio>

namespace motcua::stats {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::sys_days;
using std::chrono::year;
using std::chrono::year_month_day;

sys_days Ymd(int y, int m, unsigned d) {
  // Months outside 1-12 roll into the neighbouring years.
  int months = y * 12 + (m - 1);
  int yy = months >= 0 ? months / 12 : (months - 11) / 12;
  int mm = months - yy * 12 + 1;
  return sys_days(year(yy) / month(static_cast<unsigned>(mm)) / day(d));
}

sys_days LastOfMonth(int y, int m) { return Ymd(y, m + 1, 1) - std::chrono::days(1); }

std::optional<int> Number(std::string_view s) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

const char* Roman(int q) {
  static const char* const kRoman[] = {"I", "II", "III", "IV"};
  return kRoman[(q - 1) & 3];
}

std::string Dmy(sys_days d) {
  const year_month_day ymd(d);
  char b[16];
  std::snprintf(b, sizeof b, "%02u/%02u/%04d", static_cast<unsigned>(ymd.day()),
                static_cast<unsigned>(ymd.month()), static_cast<int>(ymd.year()));
  return b;
}

const char* Half(int h) { return h == 1 ? "đầu" : "cuối"; }

}  // namespace

bool IsReport(PeriodKind k) {
  return k == PeriodKind::kReportMonth || k == PeriodKind::kReportQuarter ||
         k == PeriodKind::kReportHalfYear || k == PeriodKind::kReportYear;
}

DayRange RangeOf(const Period& p, unsigned cutoff) {
  const int y = p.year, i = p.index;
  switch (p.kind) {
    case PeriodKind::kDay: {
      const sys_days d = sys_days(year(y) / 1 / 1) + std::chrono::days(i - 1);
      return {d, d};
    }
    case PeriodKind::kMonth:
      return {Ymd(y, i, 1), LastOfMonth(y, i)};
    case PeriodKind::kQuarter:
      return {Ymd(y, 3 * i - 2, 1), LastOfMonth(y, 3 * i)};
    case PeriodKind::kHalfYear:
      return {Ymd(y, 6 * i - 5, 1), LastOfMonth(y, 6 * i)};
    case PeriodKind::kYear:
      return {Ymd(y, 1, 1), Ymd(y, 12, 31)};
    case PeriodKind::kReportHalfYear:
      return {Ymd(y, 6 * i - 6, cutoff), Ymd(y, 6 * i, cutoff) - std::chrono::days(1)};
    case PeriodKind::kReportMonth:
      return {Ymd(y, i - 1, cutoff), Ymd(y, i, cutoff) - std::chrono::days(1)};
    case PeriodKind::kReportQuarter:
      return {Ymd(y, 3 * i - 3, cutoff), Ymd(y, 3 * i, cutoff) - std::chrono::days(1)};
    case PeriodKind::kReportYear:
      return {Ymd(y - 1, 12, cutoff), Ymd(y, 12, cutoff) - std::chrono::days(1)};
  }
  return {};
}

Period Containing(PeriodKind kind, calendar::Date d, unsigned cutoff) {
  const year_month_day ymd(d);
  int y = static_cast<int>(ymd.year());
  int m = static_cast<int>(static_cast<unsigned>(ymd.month()));
  if (IsReport(kind) && static_cast<unsigned>(ymd.day()) >= cutoff) {
    // From the cut-off on, a day counts in the next month's report.
    if (++m > 12) m = 1, ++y;
  }
  switch (kind) {
    case PeriodKind::kDay:
      return {kind, y, static_cast<int>((d - sys_days(year(y) / 1 / 1)).count()) + 1};
    case PeriodKind::kMonth:
    case PeriodKind::kReportMonth:
      return {kind, y, m};
    case PeriodKind::kQuarter:
    case PeriodKind::kReportQuarter:
      return {kind, y, (m - 1) / 3 + 1};
    case PeriodKind::kHalfYear:
    case PeriodKind::kReportHalfYear:
      return {kind, y, (m - 1) / 6 + 1};
    case PeriodKind::kYear:
    case PeriodKind::kReportYear:
      return {kind, y, 1};
  }
  return {};
}

Period Next(const Period& p) {
  switch (p.kind) {
    case PeriodKind::kDay:
      return Containing(p.kind, RangeOf(p).last + std::chrono::days(1));
    case PeriodKind::kMonth:
    case PeriodKind::kReportMonth:
      return p.index == 12 ? Period{p.kind, p.year + 1, 1} : Period{p.kind, p.year, p.index + 1};
    case PeriodKind::kQuarter:
    case PeriodKind::kReportQuarter:
      return p.index == 4 ? Period{p.kind, p.year + 1, 1} : Period{p.kind, p.year, p.index + 1};
    case PeriodKind::kHalfYear:
    case PeriodKind::kReportHalfYear:
      return p.index == 2 ? Period{p.kind, p.year + 1, 1} : Period{p.kind, p.year, 2};
    case PeriodKind::kYear:
    case PeriodKind::kReportYear:
      return {p.kind, p.year + 1, 1};
  }
  return p;
}

Period Previous(const Period& p) {
  switch (p.kind) {
    case PeriodKind::kDay:
      return Containing(p.kind, RangeOf(p).first - std::chrono::days(1));
    case PeriodKind::kMonth:
    case PeriodKind::kReportMonth:
      return p.index == 1 ? Period{p.kind, p.year - 1, 12} : Period{p.kind, p.year, p.index - 1};
    case PeriodKind::kQuarter:
    case PeriodKind::kReportQuarter:
      return p.index == 1 ? Period{p.kind, p.year - 1, 4} : Period{p.kind, p.year, p.index - 1};
    case PeriodKind::kHalfYear:
    case PeriodKind::kReportHalfYear:
      return p.index == 1 ? Period{p.kind, p.year - 1, 2} : Period{p.kind, p.year, 1};
    case PeriodKind::kYear:
    case PeriodKind::kReportYear:
      return {p.kind, p.year - 1, 1};
  }
  return p;
}

Result<Period> ParsePeriod(std::string_view text) {
  auto bad = [&] {
    return InvalidField(
        "period",
        "is a day (2026-12-02), a month (2026-12), a quarter (2026-Q4), a half year "
        "(2026-H2), a year (2026), or a report period (bc-2026-12, bc-2026-Q4, "
        "bc-2026-H2, bc-2026)");
  };
  const bool report = text.starts_with("bc-");
  if (report) text.remove_prefix(3);
  if (text.size() < 4) return bad();
  auto y = Number(text.substr(0, 4));
  if (!y || *y < 1900 || *y > 2100) return bad();
  std::string_view rest = text.substr(4);
  if (rest.empty()) return Period{report ? PeriodKind::kReportYear : PeriodKind::kYear, *y, 1};
  if (rest.size() == 3 && rest[0] == '-' && rest[1] == 'H') {
    auto h = Number(rest.substr(2));
    if (!h || *h < 1 || *h > 2) return bad();
    return Period{report ? PeriodKind::kReportHalfYear : PeriodKind::kHalfYear, *y, *h};
  }
  if (rest.size() == 3 && rest[0] == '-' && rest[1] == 'Q') {
    auto q = Number(rest.substr(2));
    if (!q || *q < 1 || *q > 4) return bad();
    return Period{report ? PeriodKind::kReportQuarter : PeriodKind::kQuarter, *y, *q};
  }
  if (rest.size() == 3 && rest[0] == '-') {
    auto m = Number(rest.substr(1));
    if (!m || *m < 1 || *m > 12) return bad();
    return Period{report ? PeriodKind::kReportMonth : PeriodKind::kMonth, *y, *m};
  }
  if (!report && rest.size() == 6) {
    auto d = calendar::ParseDate(text);
    if (!d) return bad();
    return Containing(PeriodKind::kDay, *d);
  }
  return bad();
}

std::string FormatPeriod(const Period& p) {
  char b[24];
  const char* prefix = IsReport(p.kind) ? "bc-" : "";
  switch (p.kind) {
    case PeriodKind::kDay:
      return calendar::FormatDate(RangeOf(p).first);
    case PeriodKind::kMonth:
    case PeriodKind::kReportMonth:
      std::snprintf(b, sizeof b, "%s%04d-%02d", prefix, p.year, p.index);
      break;
    case PeriodKind::kQuarter:
    case PeriodKind::kReportQuarter:
      std::snprintf(b, sizeof b, "%s%04d-Q%d", prefix, p.year, p.index);
      break;
    case PeriodKind::kHalfYear:
    case PeriodKind::kReportHalfYear:
      std::snprintf(b, sizeof b, "%s%04d-H%d", prefix, p.year, p.index);
      break;
    case PeriodKind::kYear:
    case PeriodKind::kReportYear:
      std::snprintf(b, sizeof b, "%s%04d", prefix, p.year);
      break;
  }
  return b;
}

std::string VietnameseName(const Period& p, unsigned cutoff) {
  char b[64];
  switch (p.kind) {
    case PeriodKind::kDay:
      return "Ngày " + Dmy(RangeOf(p).first);
    case PeriodKind::kMonth:
      std::snprintf(b, sizeof b, "Tháng %02d/%04d", p.index, p.year);
      return b;
    case PeriodKind::kQuarter:
      std::snprintf(b, sizeof b, "Quý %s/%04d", Roman(p.index), p.year);
      return b;
    case PeriodKind::kHalfYear:
      std::snprintf(b, sizeof b, "6 tháng %s năm %04d", Half(p.index), p.year);
      return b;
    case PeriodKind::kYear:
      std::snprintf(b, sizeof b, "Năm %04d", p.year);
      return b;
    case PeriodKind::kReportMonth:
      std::snprintf(b, sizeof b, "Kỳ báo cáo tháng %02d/%04d", p.index, p.year);
      break;
    case PeriodKind::kReportQuarter:
      std::snprintf(b, sizeof b, "Kỳ báo cáo quý %s/%04d", Roman(p.index), p.year);
      break;
    case PeriodKind::kReportHalfYear:
      std::snprintf(b, sizeof b, "Kỳ báo cáo 6 tháng %s năm %04d", Half(p.index), p.year);
      break;
    case PeriodKind::kReportYear:
      std::snprintf(b, sizeof b, "Kỳ báo cáo năm %04d", p.year);
      break;
  }
  const DayRange r = RangeOf(p, cutoff);
  return std::string(b) + " (" + Dmy(r.first) + " – " + Dmy(r.last) + ")";
}

}  // namespace motcua::stats
