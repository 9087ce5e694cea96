#include "core/calendar/holidays.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

#include "common/check.hpp"
#include "core/calendar/internal/text.hpp"
#include "core/calendar/lunar.hpp"

namespace motcua::calendar {
namespace {

using internal::Quoted;

using std::chrono::days;
using std::chrono::year;

// Names as the government's decisions print them.
constexpr const char* kNewYearVi = "Tết Dương lịch";
constexpr const char* kNewYearEn = "New Year's Day";
constexpr const char* kTetVi = "Tết Nguyên đán";
constexpr const char* kTetEn = "Lunar New Year";
constexpr const char* kHungKingsVi = "Giỗ Tổ Hùng Vương";
constexpr const char* kHungKingsEn = "Hùng Kings' Commemoration Day";
constexpr const char* kVictoryVi = "Ngày Chiến thắng";
constexpr const char* kVictoryEn = "Reunification Day";
constexpr const char* kLabourVi = "Ngày Quốc tế Lao động";
constexpr const char* kLabourEn = "International Labour Day";
constexpr const char* kNationalVi = "Quốc khánh";
constexpr const char* kNationalEn = "National Day";
constexpr const char* kCompensationVi = "Nghỉ bù";
constexpr const char* kCompensationEn = "Compensatory day off";

// Tết by default: five days from the last day of the old lunar year (the
// day before lunar 1/1) to the 4th day of the new one.
constexpr int kTetFirstOffset = -1;
constexpr int kTetDays = 5;
// Hùng Kings day: 10th day of the 3rd lunar month.
constexpr int kHungKingsMonth = 3;
constexpr int kHungKingsDay = 10;

bool IsWeekend(Date d) {
  std::chrono::weekday w{d};
  return w == std::chrono::Saturday || w == std::chrono::Sunday;
}

int YearOf(Date d) { return static_cast<int>(std::chrono::year_month_day{d}.year()); }

template <class T>
struct Dated {
  T value;
  int line;
};

// One parsed yearly table.
struct YearTable {
  std::string file;
  int year = 0;
  std::optional<Date> tet_from, tet_to;
  int tet_line = 0;
  std::optional<Dated<Date>> adjacent;
  std::vector<Dated<Holiday>> off;
  std::vector<Dated<Date>> remove;
  std::vector<Dated<Date>> working;
};

std::unexpected<Error> TableError(const std::string& file, int line, const std::string& problem) {
  return Fail(Code::kInvalidArgument, file + ":" + std::to_string(line) + ": " + problem);
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

struct Value {
  enum class Kind { kInteger, kString, kDate } kind;
  long long integer = 0;
  std::string text;
  Date date;
};

// The value of `key = value` with any comment after it, or the problem.
Result<Value> ParseValue(std::string_view raw) {
  raw = Trim(raw);
  if (!raw.empty() && raw.front() == '"') {
    Value v{Value::Kind::kString};
    size_t i = 1;
    for (; i < raw.size() && raw[i] != '"'; ++i) {
      if (raw[i] == '\\') {
        if (i + 1 >= raw.size() || (raw[i + 1] != '"' && raw[i + 1] != '\\')) {
          return Fail(Code::kInvalidArgument, "only \\\" and \\\\ escapes are supported");
        }
        ++i;
      }
      v.text += raw[i];
    }
    if (i >= raw.size()) return Fail(Code::kInvalidArgument, "unterminated string");
    std::string_view rest = Trim(raw.substr(i + 1));
    if (!rest.empty() && rest.front() != '#') {
      return Fail(Code::kInvalidArgument, "unexpected text after the string");
    }
    return v;
  }
  if (auto hash = raw.find('#'); hash != std::string_view::npos) raw = Trim(raw.substr(0, hash));
  if (raw.empty()) return Fail(Code::kInvalidArgument, "missing value");
  constexpr size_t kYearDigits = 4;  // a bare date starts "YYYY-"
  if (raw.size() > kYearDigits && raw[kYearDigits] == '-') {
    auto d = ParseDate(raw);
    if (!d) return Fail(Code::kInvalidArgument, d.error().fields.begin()->second);
    Value v{Value::Kind::kDate};
    v.date = *d;
    return v;
  }
  Value v{Value::Kind::kInteger};
  // Years are the only integers: four digits are plenty and cannot overflow.
  constexpr size_t kMaxDigits = 9;
  if (raw.size() > kMaxDigits)
    return Fail(Code::kInvalidArgument, "value '" + std::string(raw) + "' is too long");
  for (char c : raw) {
    if (c < '0' || c > '9') {
      return Fail(Code::kInvalidArgument, "cannot read value '" + std::string(raw) +
                                              "' (expected a date, an integer or a \"string\")");
    }
    v.integer = v.integer * 10 + (c - '0');
  }
  return v;
}

// The year a file name promises ("2025.toml" -> 2025), if it has that shape.
std::optional<int> YearFromFileName(std::string_view name) {
  if (auto slash = name.find_last_of("/\\"); slash != std::string_view::npos) {
    name.remove_prefix(slash + 1);
  }
  if (name.size() != 9 || name.substr(4) != ".toml") return std::nullopt;  // "YYYY.toml"
  int y = 0;
  for (char c : name.substr(0, 4)) {
    if (c < '0' || c > '9') return std::nullopt;
    y = y * 10 + (c - '0');
  }
  return y;
}

Result<YearTable> ParseTable(const TableFile& file) {
  YearTable t;
  t.file = file.name;
  enum class Section { kTop, kTet, kNationalDay, kOff, kRemove, kWorking };
  Section section = Section::kTop;
  int section_line = 0;
  std::set<std::string> keys_seen;  // keys of the current section
  std::set<std::string> single_tables_seen;
  std::optional<Date> date;
  std::string name_vi, name_en;

  // Checks that the section just ended is complete, and files it.
  auto close_section = [&]() -> Status {
    auto need = [&](const char* key) -> Status {
      if (!keys_seen.contains(key)) {
        return TableError(t.file, section_line, std::string("missing key '") + key + "'");
      }
      return {};
    };
    switch (section) {
      case Section::kTop:
        break;
      case Section::kTet:
        MOTCUA_TRY_VOID(need("from"));
        MOTCUA_TRY_VOID(need("to"));
        if (*t.tet_from > *t.tet_to) {
          return TableError(t.file, section_line, "Tết ends before it starts");
        }
        break;
      case Section::kNationalDay:
        MOTCUA_TRY_VOID(need("adjacent"));
        break;
      case Section::kOff:
        MOTCUA_TRY_VOID(need("date"));
        MOTCUA_TRY_VOID(need("name_vi"));
        MOTCUA_TRY_VOID(need("name_en"));
        t.off.push_back({Holiday{*date, name_vi, name_en}, section_line});
        break;
      case Section::kRemove:
        MOTCUA_TRY_VOID(need("date"));
        t.remove.push_back({*date, section_line});
        break;
      case Section::kWorking:
        MOTCUA_TRY_VOID(need("date"));
        t.working.push_back({*date, section_line});
        break;
    }
    keys_seen.clear();
    date.reset();
    name_vi.clear();
    name_en.clear();
    return {};
  };

  std::string_view text = file.text;
  int line_no = 0;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    ++line_no;
    line = Trim(line);
    if (line.empty() || line.front() == '#') continue;

    if (line.front() == '[') {
      bool array = line.starts_with("[[");
      size_t close = line.find(array ? "]]" : "]");
      if (close == std::string_view::npos) return TableError(t.file, line_no, "unclosed [");
      std::string_view rest = Trim(line.substr(close + (array ? 2 : 1)));
      if (!rest.empty() && rest.front() != '#') {
        return TableError(t.file, line_no, "unexpected text after the table name");
      }
      std::string name(Trim(line.substr(array ? 2 : 1, close - (array ? 2 : 1))));
      if (t.year == 0) return TableError(t.file, line_no, "'year = YYYY' must come first");
      MOTCUA_TRY_VOID(close_section());
      section_line = line_no;
      if (!array && name == "tet") {
        section = Section::kTet;
      } else if (!array && name == "national_day") {
        section = Section::kNationalDay;
      } else if (array && name == "off") {
        section = Section::kOff;
      } else if (array && name == "remove") {
        section = Section::kRemove;
      } else if (array && name == "working") {
        section = Section::kWorking;
      } else {
        return TableError(t.file, line_no,
                          "unknown table '" + std::string(line.substr(0, close + (array ? 2 : 1))) +
                              "' (known: [tet], [national_day], [[off]], [[remove]], [[working]])");
      }
      if (!array && !single_tables_seen.insert(name).second) {
        return TableError(t.file, line_no, "table [" + name + "] given twice");
      }
      continue;
    }

    size_t eq = line.find('=');
    if (eq == std::string_view::npos) return TableError(t.file, line_no, "expected key = value");
    std::string key(Trim(line.substr(0, eq)));
    auto value = ParseValue(line.substr(eq + 1));
    if (!value) return TableError(t.file, line_no, value.error().message);
    if (!keys_seen.insert(key).second) {
      return TableError(t.file, line_no, "key '" + key + "' given twice");
    }
    auto want = [&](Value::Kind kind, const char* what) -> Status {
      if (value->kind != kind) {
        return TableError(t.file, line_no, Quoted(key) + " must be " + what);
      }
      return {};
    };
    // Every date of a table belongs to its year: a typo in the year would
    // otherwise silently create a day off in another year.
    auto in_year = [&]() -> Result<Date> {
      MOTCUA_TRY_VOID(want(Value::Kind::kDate, "a date YYYY-MM-DD"));
      if (YearOf(value->date) != t.year) {
        return TableError(
            t.file, line_no,
            "date " + FormatDate(value->date) + " is not in " + std::to_string(t.year));
      }
      return value->date;
    };
    auto unknown = [&](const char* known) {
      return TableError(t.file, line_no, "unknown key '" + key + "' (known here: " + known + ")");
    };

    switch (section) {
      case Section::kTop: {
        if (key != "year") return unknown("year");
        MOTCUA_TRY_VOID(want(Value::Kind::kInteger, "an integer"));
        if (value->integer < HolidayCalendar::kFirstYear ||
            value->integer > HolidayCalendar::kLastYear) {
          return TableError(t.file, line_no,
                            "year " + std::to_string(value->integer) + " is outside 1900..2100");
        }
        t.year = static_cast<int>(value->integer);
        if (auto named = YearFromFileName(t.file); named && *named != t.year) {
          return TableError(t.file, line_no,
                            "year " + std::to_string(t.year) + " does not match the file name");
        }
        break;
      }
      case Section::kTet:
        if (key == "from") {
          t.tet_from = MOTCUA_TRY(in_year());
        } else if (key == "to") {
          t.tet_to = MOTCUA_TRY(in_year());
        } else {
          return unknown("from, to");
        }
        t.tet_line = section_line;
        break;
      case Section::kNationalDay: {
        if (key != "adjacent") return unknown("adjacent");
        Date d = MOTCUA_TRY(in_year());
        Date national{year{t.year} / 9 / 2};
        if (d != national - days(1) && d != national + days(1)) {
          return TableError(t.file, line_no,
                            "the day adjacent to 2 September must be 1 or 3 September");
        }
        t.adjacent = Dated<Date>{d, line_no};
        break;
      }
      case Section::kOff:
        if (key == "date") {
          date = MOTCUA_TRY(in_year());
        } else if (key == "name_vi" || key == "name_en") {
          MOTCUA_TRY_VOID(want(Value::Kind::kString, "a \"string\""));
          if (value->text.empty()) return TableError(t.file, line_no, Quoted(key) + " is empty");
          (key == "name_vi" ? name_vi : name_en) = value->text;
        } else {
          return unknown("date, name_vi, name_en");
        }
        break;
      case Section::kRemove:
      case Section::kWorking:
        if (key != "date") return unknown("date");
        date = MOTCUA_TRY(in_year());
        break;
    }
  }
  if (t.year == 0) return TableError(t.file, line_no, "missing 'year = YYYY'");
  MOTCUA_TRY_VOID(close_section());
  return t;
}

struct RuleDay {
  Holiday holiday;
  bool compensable;
};

// The days off of one year: the rules, then the table's changes.
Result<std::vector<Holiday>> YearHolidays(int y, const YearTable* table) {
  std::vector<RuleDay> rule;
  auto add = [&](Date d, const char* vi, const char* en, bool compensable) {
    rule.push_back({Holiday{d, vi, en}, compensable});
  };
  add(Date{year{y} / 1 / 1}, kNewYearVi, kNewYearEn, true);
  if (table && table->tet_from) {
    for (Date d = *table->tet_from; d <= *table->tet_to; d += days(1)) {
      add(d, kTetVi, kTetEn, false);
    }
  } else {
    auto new_year = ToSolar(LunarDate{y, 1, 1, false});
    MOTCUA_CHECK(new_year.has_value());
    for (int i = 0; i < kTetDays; ++i) {
      add(*new_year + days(kTetFirstOffset + i), kTetVi, kTetEn, true);
    }
  }
  auto hung = ToSolar(LunarDate{y, kHungKingsMonth, kHungKingsDay, false});
  MOTCUA_CHECK(hung.has_value());
  add(*hung, kHungKingsVi, kHungKingsEn, true);
  add(Date{year{y} / 4 / 30}, kVictoryVi, kVictoryEn, true);
  add(Date{year{y} / 5 / 1}, kLabourVi, kLabourEn, true);
  add(Date{year{y} / 9 / 2}, kNationalVi, kNationalEn, true);
  Date adjacent = table && table->adjacent ? table->adjacent->value : Date{year{y} / 9 / 1};
  add(adjacent, kNationalVi, kNationalEn, true);

  std::map<Date, int> removals;  // date -> line, erased when it matches
  if (table) {
    for (const auto& r : table->remove) {
      if (!removals.emplace(r.value, r.line).second) {
        return TableError(table->file, r.line, "date " + FormatDate(r.value) + " removed twice");
      }
    }
  }

  // A removed rule day is neither off nor compensated.
  std::erase_if(rule, [&](const RuleDay& r) { return removals.erase(r.holiday.date) > 0; });
  std::stable_sort(rule.begin(), rule.end(), [](const RuleDay& a, const RuleDay& b) {
    return a.holiday.date < b.holiday.date;
  });

  std::map<Date, Holiday> off;
  std::vector<Date> to_compensate;
  for (const auto& r : rule) {
    bool coincides = !off.emplace(r.holiday.date, r.holiday).second;
    // Two holidays on one date (possible for Hùng Kings day and 30 April)
    // lose a day off just as a weekend does, so the second is compensated too.
    if (r.compensable && (IsWeekend(r.holiday.date) || coincides)) {
      to_compensate.push_back(r.holiday.date);
    }
  }
  std::set<Date> table_off;
  if (table) {
    for (const auto& o : table->off) table_off.insert(o.value.date);
  }
  std::vector<Holiday> compensation;
  for (Date from : to_compensate) {
    Date d = from + days(1);
    while (IsWeekend(d) || off.contains(d) || table_off.contains(d)) d += days(1);
    Holiday h{d, kCompensationVi, kCompensationEn};
    off.emplace(d, h);
    compensation.push_back(h);
  }
  // A removal may also cancel a compensation day: the table says otherwise.
  for (const auto& h : compensation) {
    if (removals.erase(h.date) > 0) off.erase(h.date);
  }
  if (table) {
    if (!removals.empty()) {
      auto [date, line] = *removals.begin();
      return TableError(
          table->file, line,
          "date " + FormatDate(date) + " is not a day off by the rules, nothing to remove");
    }
    for (const auto& o : table->off) {
      if (!off.emplace(o.value.date, o.value).second) {
        return TableError(table->file, o.line,
                          "date " + FormatDate(o.value.date) + " is already a day off");
      }
    }
    for (const auto& w : table->working) {
      if (!IsWeekend(w.value)) {
        return TableError(
            table->file, w.line,
            "make-up working day " + FormatDate(w.value) + " is not a Saturday or Sunday");
      }
      if (off.contains(w.value)) {
        return TableError(table->file, w.line,
                          "make-up working day " + FormatDate(w.value) + " is a day off");
      }
    }
  }
  std::vector<Holiday> out;
  for (auto& [date, h] : off) out.push_back(std::move(h));
  return out;
}

}  // namespace

HolidayCalendar::HolidayCalendar() {
  // The rules alone cannot fail: every date they produce exists.
  auto rules_only = Load({});
  MOTCUA_CHECK(rules_only.has_value());
  *this = std::move(*rules_only);
}

Result<HolidayCalendar> HolidayCalendar::Load(const std::vector<TableFile>& tables) {
  std::map<int, YearTable> by_year;
  for (const auto& file : tables) {
    YearTable t = MOTCUA_TRY(ParseTable(file));
    int y = t.year;
    if (auto [it, inserted] = by_year.emplace(y, std::move(t)); !inserted) {
      return TableError(
          file.name, 1,
          "a table for " + std::to_string(y) + " was already given in " + it->second.file);
    }
  }
  HolidayCalendar c(Empty{});
  constexpr int kYears = kLastYear - kFirstYear + 1;
  c.holidays_.resize(kYears);
  c.make_up_.resize(kYears);
  const int first_day = static_cast<int>(kFirstDate.time_since_epoch().count());
  c.working_.resize(static_cast<size_t>((kLastDate - kFirstDate).count() + 1));
  for (size_t i = 0; i < c.working_.size(); ++i) {
    c.working_[i] = IsWeekend(Date{days(first_day + static_cast<int>(i))}) ? 0 : 1;
  }
  for (int y = kFirstYear; y <= kLastYear; ++y) {
    auto it = by_year.find(y);
    const YearTable* table = it == by_year.end() ? nullptr : &it->second;
    auto& holidays = c.holidays_[static_cast<size_t>(y - kFirstYear)];
    holidays = MOTCUA_TRY(YearHolidays(y, table));
    for (const auto& h : holidays) {
      // A compensation day could in principle spill past 31 December 2100.
      if (h.date <= kLastDate) c.working_[static_cast<size_t>((h.date - kFirstDate).count())] = 0;
    }
    if (table) {
      auto& make_up = c.make_up_[static_cast<size_t>(y - kFirstYear)];
      for (const auto& w : table->working) {
        make_up.push_back(w.value);
        c.working_[static_cast<size_t>((w.value - kFirstDate).count())] = 1;
      }
      std::sort(make_up.begin(), make_up.end());
    }
  }
  return c;
}

std::vector<Holiday> HolidayCalendar::Holidays(int year) const {
  if (year < kFirstYear || year > kLastYear) return {};
  return holidays_[static_cast<size_t>(year - kFirstYear)];
}

std::vector<Date> HolidayCalendar::MakeUpWorkingDays(int year) const {
  if (year < kFirstYear || year > kLastYear) return {};
  return make_up_[static_cast<size_t>(year - kFirstYear)];
}

bool HolidayCalendar::IsWorkingDay(Date date) const {
  if (date < kFirstDate || date > kLastDate) return !IsWeekend(date);
  return working_[static_cast<size_t>((date - kFirstDate).count())] != 0;
}

}  // namespace motcua::calendar
