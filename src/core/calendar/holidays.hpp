// Public holidays of Vietnamese public offices (ngày nghỉ lễ, Tết).
//
// The days come from the Labour Code 2019, art. 112, computed for every year
// 1900..2100: 1 January; Tết (by default the last day of the lunar year and
// the first four of the new one); Hùng Kings day (10th of the 3rd lunar
// month); 30 April; 1 May; 2 September and one adjacent day (by default 1
// September). A holiday on a Saturday or Sunday, the weekly rest of public
// offices, is compensated on the next working day (art. 111(3)).
//
// Each year the government fixes the exact days; a yearly table (one file per
// year, data/holidays/YYYY.toml) states the differences:
//
//   year = 2025                    # required, first; must match a YYYY file name
//   [tet]                          # Tết's exact days off, both ends included;
//   from = 2025-01-25              # no compensation is added for them
//   to = 2025-02-02
//   [national_day]
//   adjacent = 2025-09-01          # the day next to 2 September (1 or 3 September)
//   [[off]]                        # an extra day off
//   date = 2025-05-02
//   name_vi = "Nghỉ hoán đổi"
//   name_en = "Swapped day off"
//   [[remove]]                     # a rule-derived day (or compensation) that is not off
//   date = 2025-04-28
//   [[working]]                    # a Saturday or Sunday worked to make up for a day off
//   date = 2025-04-26
//
// Only this subset of TOML is read: comments, the keys above, bare dates,
// integers and "strings" with \" and \\ escapes. Immutable once loaded, so
// thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "core/calendar/date.hpp"

namespace motcua::calendar {

// The text of one yearly table; `name` (usually the path) appears in errors.
struct TableFile {
  std::string name;
  std::string text;
};

struct Holiday {
  Date date;
  std::string name_vi;
  std::string name_en;

  friend bool operator==(const Holiday&, const Holiday&) = default;
};

class HolidayCalendar {
 public:
  static constexpr int kFirstYear = 1900;
  static constexpr int kLastYear = 2100;

  // The statutory rules alone (no yearly tables).
  HolidayCalendar();

  // The rules and the yearly tables. Fails with kInvalidArgument, the message
  // naming the file and line: a syntax error, an unknown table or key, an
  // impossible date, a date outside the table's year, a table for a year given
  // twice, a removal that matches no day, a make-up day that is not a Saturday
  // or Sunday.
  [[nodiscard]] static Result<HolidayCalendar> Load(const std::vector<TableFile>& tables);

  // All days off of `year` (weekend days inside a holiday included), sorted by
  // date; empty outside kFirstYear..kLastYear.
  std::vector<Holiday> Holidays(int year) const;

  // Saturdays and Sundays worked to make up for a day off, sorted.
  std::vector<Date> MakeUpWorkingDays(int year) const;

  // Monday..Friday and not a holiday, or a make-up working day. Dates outside
  // the range are weekdays and weekends only.
  bool IsWorkingDay(Date date) const;

 private:
  struct Empty {};
  explicit HolidayCalendar(Empty) {}

  std::vector<std::vector<Holiday>> holidays_;  // per year from kFirstYear
  std::vector<std::vector<Date>> make_up_;      // per year from kFirstYear
  std::vector<uint8_t> working_;                // per day from kFirstDate: 1 = working day
};

}  // namespace motcua::calendar
