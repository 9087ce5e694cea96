// Working time of public offices: deadlines counted in working days or hours.
//
// Office hours are a list of intervals of the day at UTC+7 (by default
// 07:30-11:30 and 13:30-17:00), on working days: Monday to Friday except
// holidays, plus make-up Saturdays/Sundays (see HolidayCalendar).
//
// A moment is first placed at a working-time position: inside office hours it
// stays; before opening, in a break or on a day off it moves to the next
// working moment; after the day's close it counts as that day's close.
// Every operation is O(1) over tables built by the constructor, and the object
// is immutable, so thread-safe. Moments must fall on 1900-01-01..2100-12-31 at
// UTC+7 and results must stay there; otherwise kInvalidArgument.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "core/calendar/date.hpp"
#include "core/calendar/holidays.hpp"

namespace motcua::calendar {

class OfficeHours {
 public:
  struct Interval {
    std::chrono::minutes start;  // since local midnight
    std::chrono::minutes end;    // after start; at most 24:00
  };

  // 07:30-11:30 and 13:30-17:00, the common hours of provincial offices.
  OfficeHours();

  // "07:30-11:30,13:30-17:00": one or more HH:MM-HH:MM intervals, ascending,
  // not overlapping. Fails with kInvalidArgument saying which part is wrong.
  [[nodiscard]] static Result<OfficeHours> Parse(std::string_view spec);

  const std::vector<Interval>& intervals() const { return intervals_; }
  Micros DayLength() const { return day_length_; }
  std::string ToString() const;

 private:
  explicit OfficeHours(std::vector<Interval> intervals);

  std::vector<Interval> intervals_;
  Micros day_length_{0};
};

class WorkingCalendar {
 public:
  WorkingCalendar(HolidayCalendar holidays, OfficeHours hours);

  const HolidayCalendar& holidays() const { return holidays_; }
  const OfficeHours& office_hours() const { return hours_; }

  // Whether `moment` is inside office hours of a working day.
  bool IsWorkingTime(TimePoint moment) const;

  // The moment `n` (>= 0) working days after `moment`'s position, at the same
  // position of the day: received Wednesday 16:00, 5 working days later is the
  // 5th working day after it at 16:00.
  [[nodiscard]] Result<TimePoint> AddWorkingDays(TimePoint moment, int n) const;

  // The earliest moment by which `duration` (>= 0) of working time has passed
  // since `moment`'s position: Wednesday 16:00 plus 1 hour is 17:00 that day.
  [[nodiscard]] Result<TimePoint> AddWorkingHours(TimePoint moment, Micros duration) const;

  // Working time from `from` to `to`; negative when `to` is earlier.
  [[nodiscard]] Result<Micros> WorkingTimeBetween(TimePoint from, TimePoint to) const;

 private:
  struct Position {
    int64_t working_day;  // index into working_days_; may equal its size
    Micros offset;        // working time already elapsed that day, 0..DayLength()
  };
  Result<Position> Locate(TimePoint moment) const;
  // prefer_end: an offset on the boundary of two intervals gives the end of
  // the earlier (11:30) rather than the start of the later (13:30).
  Result<TimePoint> ToMoment(int64_t working_day, Micros offset, bool prefer_end) const;

  HolidayCalendar holidays_;
  OfficeHours hours_;
  std::vector<int32_t> working_before_;  // per day from kFirstDate: working days before it
  std::vector<int32_t> working_days_;    // days since 1970-01-01 of each working day, in order
};

}  // namespace motcua::calendar
