#include "core/dossier/deadline.hpp"

#include "core/calendar/date.hpp"

namespace motcua::dossier {

namespace {

// Local (UTC+7) time of day of a moment.
Micros TimeOfDay(TimePoint t) {
  auto local = t + calendar::kVietnamOffset;
  return std::chrono::duration_cast<Micros>(local - std::chrono::floor<std::chrono::days>(local));
}

// The opening of the first working day after the (local) day of `t`, where
// `t` is a working-time position on a working day.
Result<TimePoint> NextOpening(const calendar::WorkingCalendar& cal, TimePoint t) {
  TimePoint next_day = MOTCUA_TRY(cal.AddWorkingDays(t, 1));
  auto midnight = std::chrono::sys_days(calendar::LocalDate(next_day)) - calendar::kVietnamOffset;
  // Before the opening of a working day, the position is its opening.
  return cal.AddWorkingHours(std::chrono::time_point_cast<Micros>(midnight), Micros(0));
}

// The close of the working day of `t`'s working-time position (a moment on a
// day off or after the close belongs to the next working day).
Result<TimePoint> CloseOfDay(const calendar::WorkingCalendar& cal, TimePoint t) {
  TimePoint position = MOTCUA_TRY(cal.AddWorkingHours(t, Micros(0)));
  if (TimeOfDay(position) >= cal.office_hours().intervals().back().end) {
    position = MOTCUA_TRY(NextOpening(cal, position));
  }
  auto midnight = std::chrono::sys_days(calendar::LocalDate(position)) - calendar::kVietnamOffset;
  return std::chrono::time_point_cast<Micros>(midnight + cal.office_hours().intervals().back().end);
}

}  // namespace

Result<TimePoint> ClockStart(const calendar::WorkingCalendar& cal, TimePoint received,
                             bool cut_off) {
  // The earliest working-time position at or after `received`: on a day off
  // or before opening it is already the next opening.
  TimePoint start = MOTCUA_TRY(cal.AddWorkingHours(received, Micros(0)));
  if (calendar::LocalDate(start) != calendar::LocalDate(received)) return start;
  Micros time_of_day = TimeOfDay(received);
  bool after_close = time_of_day >= cal.office_hours().intervals().back().end;
  bool past_cut_off = cut_off && time_of_day >= kCutOffHour;
  if (after_close || past_cut_off) return NextOpening(cal, start);
  return start;
}

Result<TimePoint> DueAt(const calendar::WorkingCalendar& cal, TimePoint start, TimeLimit limit) {
  if (limit.value < 0) return InvalidField("time_limit", "must not be negative");
  if (limit.value == 0) return CloseOfDay(cal, start);
  if (limit.unit == TimeLimit::Unit::kWorkingDays) return cal.AddWorkingDays(start, limit.value);
  return cal.AddWorkingHours(start, std::chrono::hours(limit.value));
}

Result<TimePoint> ExtendByPause(const calendar::WorkingCalendar& cal, TimePoint due,
                                TimePoint paused_at, TimePoint resumed_at) {
  if (resumed_at < paused_at) return InvalidField("resumed_at", "is before the pause began");
  Micros taken = MOTCUA_TRY(cal.WorkingTimeBetween(paused_at, resumed_at));
  return cal.AddWorkingHours(due, taken);
}

std::string_view TimelinessName(Timeliness t) {
  switch (t) {
    case Timeliness::kEarly:
      return "early";
    case Timeliness::kOnTime:
      return "on_time";
    case Timeliness::kLate:
      return "late";
  }
  return "late";
}

Timeliness Judge(TimePoint finished, TimePoint due, int supplement_requests) {
  if (supplement_requests > 1 || finished > due) return Timeliness::kLate;
  return calendar::LocalDate(finished) < calendar::LocalDate(due) ? Timeliness::kEarly
                                                                  : Timeliness::kOnTime;
}

std::string_view UrgencyName(Urgency u) {
  switch (u) {
    case Urgency::kNormal:
      return "normal";
    case Urgency::kNearing:
      return "nearing";
    case Urgency::kOverdue:
      return "overdue";
  }
  return "normal";
}

Result<Urgency> UrgencyAt(const calendar::WorkingCalendar& cal, TimePoint now, TimePoint due,
                          Micros nearing) {
  if (now > due) return Urgency::kOverdue;
  Micros left = MOTCUA_TRY(cal.WorkingTimeBetween(now, due));
  return left <= nearing ? Urgency::kNearing : Urgency::kNormal;
}

}  // namespace motcua::dossier
