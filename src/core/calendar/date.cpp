#include "core/calendar/date.hpp"

#include <cstdio>

#include "core/calendar/internal/text.hpp"

namespace motcua::calendar {
namespace {

using internal::Quoted;

using std::chrono::days;
using std::chrono::floor;

// Reads exactly `width` decimal digits at `pos`; -1 when they are not there.
int Digits(std::string_view text, size_t pos, size_t width) {
  if (pos + width > text.size()) return -1;
  int value = 0;
  for (size_t i = pos; i < pos + width; ++i) {
    char c = text[i];
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

// The date part shared by dates and moments: "YYYY-MM-DD" at the start.
Result<Date> ParseDatePrefix(std::string_view text, std::string_view whole) {
  int y = Digits(text, 0, 4);
  int m = Digits(text, 5, 2);
  int d = Digits(text, 8, 2);
  if (y < 0 || m < 0 || d < 0 || text[4] != '-' || text[7] != '-') {
    return InvalidField("date", Quoted(whole) + " is not of the form YYYY-MM-DD");
  }
  std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month(m), std::chrono::day(d)};
  if (!ymd.ok()) {
    return InvalidField("date", Quoted(whole) + " is an impossible date");
  }
  return Date{ymd};
}

}  // namespace

Result<Date> ParseDate(std::string_view text) {
  constexpr size_t kDateLength = 10;  // "YYYY-MM-DD"
  if (text.size() != kDateLength) {
    return InvalidField("date", Quoted(text) + " is not of the form YYYY-MM-DD");
  }
  return ParseDatePrefix(text, text);
}

std::string FormatDate(Date date) {
  std::chrono::year_month_day ymd{date};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

Result<TimePoint> ParseMoment(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return InvalidField("moment", Quoted(text) + " " + std::string(why) +
                                      " (expected RFC 3339 such as 2027-02-03T16:00+07:00)");
  };
  constexpr size_t kDateLength = 10;
  if (text.size() < kDateLength + 1 || (text[kDateLength] != 'T' && text[kDateLength] != 't')) {
    return bad("has no date and time");
  }
  auto date = ParseDatePrefix(text.substr(0, kDateLength), text);
  if (!date) return std::unexpected(date.error());
  size_t pos = kDateLength + 1;
  int hour = Digits(text, pos, 2);
  int minute = Digits(text, pos + 3, 2);
  if (hour < 0 || minute < 0 || text[pos + 2] != ':') return bad("has no valid HH:MM");
  pos += 5;
  int second = 0;
  long long micros = 0;
  if (pos < text.size() && text[pos] == ':') {
    second = Digits(text, pos + 1, 2);
    if (second < 0) return bad("has invalid seconds");
    pos += 3;
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      // Digits beyond microseconds are read and dropped: TimePoint keeps micros.
      constexpr int kMicroDigits = 6;
      int digits = 0;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        if (digits < kMicroDigits) micros = micros * 10 + (text[pos] - '0');
        ++digits;
        ++pos;
      }
      if (digits == 0) return bad("has an empty fraction of a second");
      for (int i = digits; i < kMicroDigits; ++i) micros *= 10;
    }
  }
  // 24:00 and leap seconds are not accepted: no deadline is ever stated so.
  if (hour > 23 || minute > 59 || second > 59) return bad("has an impossible time of day");
  std::chrono::minutes offset{0};
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int oh = Digits(text, pos + 1, 2);
    int om = Digits(text, pos + 4, 2);
    if (oh < 0 || om < 0 || pos + 3 >= text.size() || text[pos + 3] != ':' || oh > 23 || om > 59) {
      return bad("has an invalid offset");
    }
    offset = std::chrono::minutes(oh * 60 + om);
    if (text[pos] == '-') offset = -offset;
    pos += 6;
  } else {
    return bad("has no offset (Z or +07:00)");
  }
  if (pos != text.size()) return bad("has trailing characters");
  auto local = TimePoint(*date) + std::chrono::hours(hour) + std::chrono::minutes(minute) +
               std::chrono::seconds(second) + Micros(micros);
  return local - offset;
}

std::string FormatMoment(TimePoint moment) {
  auto local = moment + kVietnamOffset;
  auto day = floor<days>(local);
  std::chrono::hh_mm_ss<Micros> tod{local - day};
  char buf[48];
  int n =
      std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d", FormatDate(day).c_str(),
                    static_cast<int>(tod.hours().count()), static_cast<int>(tod.minutes().count()),
                    static_cast<int>(tod.seconds().count()));
  std::string out(buf, static_cast<size_t>(n));
  if (tod.subseconds().count() != 0) {
    std::snprintf(buf, sizeof buf, ".%06lld", static_cast<long long>(tod.subseconds().count()));
    out += buf;
  }
  return out + "+07:00";
}

Date LocalDate(TimePoint moment) { return floor<days>(moment + kVietnamOffset); }

}  // namespace motcua::calendar
