#include "core/calendar/working_time.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>

#include "core/calendar/internal/text.hpp"

namespace motcua::calendar {
namespace {

using internal::Quoted;

using std::chrono::days;
using std::chrono::minutes;

constexpr minutes kMidnightEnd{24 * 60};  // "24:00", the latest possible close

// "HH:MM" with 00 <= HH <= 24 and 00 <= MM <= 59 (24:00 only as a close).
std::optional<minutes> ParseClock(std::string_view s) {
  constexpr size_t kClockLength = 5;  // "HH:MM"
  if (s.size() != kClockLength || s[2] != ':') return std::nullopt;
  for (size_t i : {0u, 1u, 3u, 4u}) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  }
  int h = (s[0] - '0') * 10 + (s[1] - '0');
  int m = (s[3] - '0') * 10 + (s[4] - '0');
  if (m > 59) return std::nullopt;
  minutes value{h * 60 + m};
  if (value > kMidnightEnd) return std::nullopt;
  return value;
}

std::string FormatClock(minutes m) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>(m.count() / 60),
                static_cast<int>(m.count() % 60));
  return buf;
}

std::unexpected<Error> OutOfRange(TimePoint moment) {
  return InvalidField("moment", FormatMoment(moment) + " is outside the supported range " +
                                    FormatDate(kFirstDate) + ".." + FormatDate(kLastDate));
}

}  // namespace

OfficeHours::OfficeHours()
    : OfficeHours({{minutes(7 * 60 + 30), minutes(11 * 60 + 30)},
                   {minutes(13 * 60 + 30), minutes(17 * 60)}}) {}

OfficeHours::OfficeHours(std::vector<Interval> intervals) : intervals_(std::move(intervals)) {
  for (const auto& i : intervals_) day_length_ += i.end - i.start;
}

Result<OfficeHours> OfficeHours::Parse(std::string_view spec) {
  std::vector<Interval> intervals;
  std::string_view rest = spec;
  while (true) {
    size_t comma = rest.find(',');
    std::string_view part = rest.substr(0, comma);
    size_t dash = part.find('-');
    auto bad = [&](const std::string& why) {
      return InvalidField("office_hours", Quoted(part) + " in " + Quoted(spec) + " " + why);
    };
    if (dash == std::string_view::npos) return bad("is not of the form HH:MM-HH:MM");
    auto start = ParseClock(part.substr(0, dash));
    auto end = ParseClock(part.substr(dash + 1));
    if (!start || !end || *start == kMidnightEnd) return bad("is not of the form HH:MM-HH:MM");
    if (*start >= *end) return bad("ends before it starts");
    if (!intervals.empty() && *start < intervals.back().end) {
      return bad("overlaps or precedes the interval before it");
    }
    intervals.push_back({*start, *end});
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  return OfficeHours(std::move(intervals));
}

std::string OfficeHours::ToString() const {
  std::string out;
  for (const auto& i : intervals_) {
    if (!out.empty()) out += ',';
    out += FormatClock(i.start) + "-" + FormatClock(i.end);
  }
  return out;
}

WorkingCalendar::WorkingCalendar(HolidayCalendar holidays, OfficeHours hours)
    : holidays_(std::move(holidays)), hours_(std::move(hours)) {
  const auto day_count = static_cast<size_t>((kLastDate - kFirstDate).count() + 1);
  working_before_.reserve(day_count + 1);
  // Five working days in seven, fewer holidays: the exact count is not needed.
  working_days_.reserve(day_count * 5 / 7);
  for (Date d = kFirstDate; d <= kLastDate; d += days(1)) {
    working_before_.push_back(static_cast<int32_t>(working_days_.size()));
    if (holidays_.IsWorkingDay(d)) {
      working_days_.push_back(static_cast<int32_t>(d.time_since_epoch().count()));
    }
  }
  working_before_.push_back(static_cast<int32_t>(working_days_.size()));
}

bool WorkingCalendar::IsWorkingTime(TimePoint moment) const {
  const auto local = moment + kVietnamOffset;
  const Date day = std::chrono::floor<days>(local);
  if (!holidays_.IsWorkingDay(day)) return false;
  const auto time_of_day = local - day;
  return std::any_of(hours_.intervals().begin(), hours_.intervals().end(),
                     [&](const auto& i) { return time_of_day >= i.start && time_of_day < i.end; });
}

Result<WorkingCalendar::Position> WorkingCalendar::Locate(TimePoint moment) const {
  const auto local = moment + kVietnamOffset;
  const Date day = std::chrono::floor<days>(local);
  if (day < kFirstDate || day > kLastDate) return OutOfRange(moment);
  const auto index = static_cast<size_t>((day - kFirstDate).count());
  Position p{working_before_[index], Micros(0)};
  if (working_before_[index + 1] == working_before_[index]) return p;  // a day off
  // Working time elapsed that day: each interval counts up to the time of day.
  const auto time_of_day = local - day;
  for (const auto& i : hours_.intervals()) {
    Micros start = i.start, end = i.end;
    p.offset += std::clamp<Micros>(time_of_day, start, end) - start;
  }
  return p;
}

Result<TimePoint> WorkingCalendar::ToMoment(int64_t working_day, Micros offset,
                                            bool prefer_end) const {
  if (working_day < 0 || working_day >= static_cast<int64_t>(working_days_.size())) {
    return InvalidField("moment", "the result falls after " + FormatDate(kLastDate) +
                                      ", the end of the supported range");
  }
  const TimePoint midnight =
      TimePoint(Date(days(working_days_[static_cast<size_t>(working_day)]))) - kVietnamOffset;
  const auto& intervals = hours_.intervals();
  Micros before{0};
  for (size_t i = 0; i < intervals.size(); ++i) {
    const Micros length = intervals[i].end - intervals[i].start;
    const bool last = i + 1 == intervals.size();
    if (offset < before + length || (prefer_end && offset == before + length) || last) {
      return midnight + intervals[i].start + (offset - before);
    }
    before += length;
  }
  return midnight;  // unreachable: the last interval always answers
}

Result<TimePoint> WorkingCalendar::AddWorkingDays(TimePoint moment, int n) const {
  if (n < 0) return InvalidField("days", "must not be negative");
  Position p = MOTCUA_TRY(Locate(moment));
  return ToMoment(p.working_day + n, p.offset, false);
}

Result<TimePoint> WorkingCalendar::AddWorkingHours(TimePoint moment, Micros duration) const {
  if (duration < Micros(0)) return InvalidField("hours", "must not be negative");
  Position p = MOTCUA_TRY(Locate(moment));
  if (duration == Micros(0)) return ToMoment(p.working_day, p.offset, false);
  const int64_t length = hours_.DayLength().count();
  // Anything longer than the whole range ends past it; checking first keeps
  // the sum below from overflowing.
  if (duration.count() / length > static_cast<int64_t>(working_days_.size())) {
    return ToMoment(static_cast<int64_t>(working_days_.size()), Micros(0), true);
  }
  const int64_t total = p.working_day * length + p.offset.count() + duration.count();
  int64_t day = total / length;
  int64_t offset = total % length;
  // Exactly a whole number of days: the work is done at a close, not at the
  // next opening.
  if (offset == 0) {
    --day;
    offset = length;
  }
  return ToMoment(day, Micros(offset), true);
}

Result<Micros> WorkingCalendar::WorkingTimeBetween(TimePoint from, TimePoint to) const {
  Position a = MOTCUA_TRY(Locate(from));
  Position b = MOTCUA_TRY(Locate(to));
  return (b.working_day - a.working_day) * hours_.DayLength() + (b.offset - a.offset);
}

}  // namespace motcua::calendar
