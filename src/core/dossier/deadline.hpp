// Deadlines of a dossier (hồ sơ): when its clock starts, when it is due, how
// a supplement pause moves the due moment, and whether it finished early, on
// time or late. Pure functions over the working-time engine.
//
// The rules (Decree 118/2025, Circular 03/2025; the 766 index, DOMAIN.md 2, 5):
// - the time limit runs from the receipt of a complete, valid dossier, in
//   working days or working hours;
// - a procedure may count a dossier received at or after 15:00 as received on
//   the next working day (per-procedure cut-off);
// - while the citizen supplements, the clock stops: the due moment moves by
//   the working time the citizen took;
// - a dossier is on time when it finished no later than its due moment; more
//   than one supplement request makes it late whatever the dates say.
//
// Thread safety: stateless; the WorkingCalendar is immutable.
#pragma once

#include <chrono>
#include <string_view>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "core/calendar/working_time.hpp"

namespace motcua::dossier {

struct TimeLimit {  // thời hạn giải quyết
  enum class Unit { kWorkingDays, kWorkingHours };
  int value = 0;  // 0: answered within the working day the limit starts on
  Unit unit = Unit::kWorkingDays;
};

// Local (UTC+7) time of day from which a dossier counts as received on the
// next working day, for procedures with the cut-off.
inline constexpr std::chrono::hours kCutOffHour{15};

// The moment the time limit starts to run. Received inside office hours: that
// moment, unless `cut_off` and it is 15:00 or later, in which case the next
// working day's opening. Received outside office hours: the next working
// moment (after the close it is the next working day's opening).
[[nodiscard]] Result<TimePoint> ClockStart(const calendar::WorkingCalendar& cal, TimePoint received,
                                           bool cut_off);

// The due moment (ngày hẹn trả): `limit` of working time after `start`. A
// limit of 0 ("answered within the working day the dossier is received", as
// the catalogue says) is the close of the working day `start` falls on (the
// last office-hours interval's end): a dossier accepted at 14:48 and answered
// at 16:03 is on time. Which day that is follows ClockStart: with the cut-off,
// a dossier received at 15:00 or later belongs to the next working day.
[[nodiscard]] Result<TimePoint> DueAt(const calendar::WorkingCalendar& cal, TimePoint start,
                                      TimeLimit limit);

// The due moment after a pause from `paused_at` to `resumed_at`: moved by the
// working time between them (a pause over a weekend moves nothing for the
// weekend). Errors: kInvalidArgument if resumed_at is before paused_at.
[[nodiscard]] Result<TimePoint> ExtendByPause(const calendar::WorkingCalendar& cal, TimePoint due,
                                              TimePoint paused_at, TimePoint resumed_at);

enum class Timeliness { kEarly, kOnTime, kLate };  // trước hạn, đúng hạn, quá hạn
std::string_view TimelinessName(Timeliness t);     // "early", "on_time", "late"

// Early: finished on a (local) day before the due day. On time: on the due
// day, no later than the due moment. Late: after the due moment, or, for a
// whole dossier, more than one supplement request (766 index).
Timeliness Judge(TimePoint finished, TimePoint due, int supplement_requests = 0);

enum class Urgency { kNormal, kNearing, kOverdue };  // còn hạn, sắp đến hạn, quá hạn
std::string_view UrgencyName(Urgency u);             // "normal", "nearing", "overdue"

// Overdue once `now` is past `due` (no event announces it: it is computed);
// nearing when at most `nearing` of working time is left.
[[nodiscard]] Result<Urgency> UrgencyAt(const calendar::WorkingCalendar& cal, TimePoint now,
                                        TimePoint due, Micros nearing);

}  // namespace motcua::dossier
