// What one workflow transition does to a dossier's clock and steps: the pure
// part of every dossier action (DOMAIN.md section 2).
//
// Given the dossier's time-keeping before the action, the engine's
// Transition (core/workflow) and the procedure's rules, Advance computes the
// time-keeping after it:
// - start (stopped -> running, first time): the complete dossier is received
//   now; the limit runs from ClockStart (15:00 cut-off) and the appointment is
//   DueAt of the procedure's limit;
// - pause (running -> paused): the citizen's time begins; a pause into a
//   "supplement requested" state (national status 5) counts one supplement
//   request;
// - resume (paused -> running): the appointment and the step's due moment
//   move by the working time the citizen took;
// - stop (running or paused -> stopped), or reaching a terminal state: the
//   dossier is finished and judged early, on time or late against its
//   appointment (more than one supplement request is late; 766 index);
// - national status 10: the result is returned.
//
// Steps (the process control sheet, form 06): every transition ends the open
// step and, unless it reaches a terminal state, opens the next one. The new
// step's due moment comes from the action's time budget; an action without a
// budget continues the budget of the step before it (a dossier coming back
// from supplements resumes its step, moved by the pause). A step waiting for
// the citizen (paused clock) has no due moment. The step that ends is judged
// against its due moment when it had one.
//
// Thread safety: pure functions over immutable inputs.
#pragma once

#include <optional>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "core/calendar/working_time.hpp"
#include "core/dossier/deadline.hpp"
#include "core/workflow/workflow.hpp"

namespace motcua::dossier {

// The time-keeping of one dossier, as stored with it.
struct Progress {
  std::optional<TimePoint> accepted_at;  // complete, valid dossier received
  std::optional<TimePoint> clock_start;  // the limit runs from here
  std::optional<TimePoint> due_at;       // appointment, moved by pauses
  std::optional<TimePoint> paused_at;    // set while the clock is paused
  Micros paused{0};                      // working time paused so far
  int supplement_count = 0;
  // Due moment of the current step's budget. Kept while the clock is paused,
  // so the step resumes with it (moved by the pause).
  std::optional<TimePoint> step_due_at;
  std::optional<TimePoint> finished_at;
  std::optional<TimePoint> returned_at;
  std::optional<Timeliness> timeliness;  // set when finished, if there was an appointment

  bool operator==(const Progress&) const = default;
};

// What the procedure version says about time.
struct ProcedureTime {
  TimeLimit limit;
  bool cut_off = false;  // received at or after 15:00 counts from the next working day
};

struct Advance {
  Progress progress;  // after the transition
  // The step that ends now: its judgement, if it had a due moment.
  std::optional<Timeliness> closed_step;
  // The step that starts now: false when the transition reaches a terminal
  // state (the dossier's last step has ended).
  bool opens_step = false;
  std::optional<TimePoint> step_due_at;  // of the new step; none while paused
};

// Applies `transition` taken at `now` to `before`. Errors: kInvalidArgument
// from the working-time engine when a moment falls outside 1900..2100, or
// when `now` is before the pause being resumed.
[[nodiscard]] Result<Advance> AdvanceClock(const calendar::WorkingCalendar& cal,
                                           const Progress& before,
                                           const workflow::Transition& transition,
                                           const ProcedureTime& rules, TimePoint now);

// The appointment an open dossier is judged against for being overdue or
// nearing it, the one rule of every place that judges: the dossier's page,
// the inboxes and the leaders' watch (whose SQL keeps to clock = 'running'),
// and the statistics. It is `appointment` while the dossier's clock runs, and
// none while the clock is paused (waiting for the citizen's supplements or
// financial obligations) or stopped. A paused dossier is judged against the
// appointment it will have when it resumes, which moves with every working
// moment of the pause, so it is never overdue while paused; once it resumes,
// the moved appointment is judged.
std::optional<TimePoint> AppointmentToMeet(std::optional<TimePoint> appointment,
                                           workflow::Clock clock);

// The moment `budget` of working time after `from`.
[[nodiscard]] Result<TimePoint> AddBudget(const calendar::WorkingCalendar& cal, TimePoint from,
                                          const workflow::Budget& budget);

}  // namespace motcua::dossier
