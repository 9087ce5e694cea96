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
  int year = static_cast<int>(ymd.year());
  if (year < 0 || year > 9999) {  // outside what four digits hold: say so plainly
    char buf[24];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", year, static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()));
    return buf;
  }
  std::string out = "0000-00-00";
  auto put = [&](int pos, int width, int v) {
    for (int i = width; i-- > 0; v /= 10) out[pos + i] = static_cast<char>('0' + v % 10);
  };
  put(0, 4, year);
  put(5, 2, static_cast<int>(static_cast<unsigned>(ymd.month())));
  put(8, 2, static_cast<int>(static_cast<unsigned>(ymd.day())));
  return out;
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
  // Digit by digit: API responses format several of these per dossier.
  std::string out = FormatDate(day);
  char buf[16] = {'T', 0, 0, ':', 0, 0, ':', 0, 0, '.', 0, 0, 0, 0, 0, 0};
  auto put = [&](int pos, int width, long long v) {
    for (int i = width; i-- > 0; v /= 10) buf[pos + i] = static_cast<char>('0' + v % 10);
  };
  put(1, 2, tod.hours().count());
  put(4, 2, tod.minutes().count());
  put(7, 2, tod.seconds().count());
  const long long micros = tod.subseconds().count();
  if (micros != 0) {
    put(10, 6, micros);
    out.append(buf, 16);
  } else {
    out.append(buf, 9);
  }
  out += "+07:00";
  return out;
}

Date LocalDate(TimePoint moment) { return floor<days>(moment + kVietnamOffset); }

}  // namespace motcua::calendar
