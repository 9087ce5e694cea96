#include "core/dossier/lifecycle.hpp"

namespace motcua::dossier {

using workflow::Clock;
using workflow::ClockEffect;
using workflow::NationalStatus;

Result<TimePoint> AddBudget(const calendar::WorkingCalendar& cal, TimePoint from,
                            const workflow::Budget& budget) {
  if (budget.unit == workflow::BudgetUnit::kWorkingDays)
    return cal.AddWorkingDays(from, budget.value);
  return cal.AddWorkingHours(from, std::chrono::hours(budget.value));
}

std::optional<TimePoint> AppointmentToMeet(std::optional<TimePoint> appointment, Clock clock) {
  if (clock != Clock::kRunning) return std::nullopt;
  return appointment;
}

Result<Advance> AdvanceClock(const calendar::WorkingCalendar& cal, const Progress& before,
                             const workflow::Transition& t, const ProcedureTime& rules,
                             TimePoint now) {
  Advance out;
  Progress& p = out.progress;
  p = before;
  const bool was_paused = t.from->clock == Clock::kPaused && before.paused_at.has_value();

  // The step that ends: judged against its due moment, which a step waiting
  // for the citizen does not have.
  if (!was_paused && before.step_due_at) out.closed_step = Judge(now, *before.step_due_at);

  // Leaving a pause by any way (resumed, withdrawn, stopped): the citizen's
  // time is taken out of the appointment and of the step's budget.
  if (was_paused) {
    if (now < *before.paused_at) return InvalidField("now", "is before the pause began");
    Micros taken = MOTCUA_TRY(cal.WorkingTimeBetween(*before.paused_at, now));
    if (p.due_at) p.due_at = MOTCUA_TRY(cal.AddWorkingHours(*p.due_at, taken));
    if (p.step_due_at) p.step_due_at = MOTCUA_TRY(cal.AddWorkingHours(*p.step_due_at, taken));
    p.paused += taken;
    p.paused_at.reset();
  }

  switch (t.clock) {
    case ClockEffect::kStart:
      if (!p.clock_start) {
        p.accepted_at = now;
        p.clock_start = MOTCUA_TRY(ClockStart(cal, now, rules.cut_off));
        p.due_at = MOTCUA_TRY(DueAt(cal, *p.clock_start, rules.limit));
      } else {
        // Back from a stopped state (a result reopened): the appointment
        // stands and the dossier is no longer finished.
        p.finished_at.reset();
        p.timeliness.reset();
      }
      break;
    case ClockEffect::kPause:
      p.paused_at = now;
      if (t.to->national_status == NationalStatus::kSupplementRequested) ++p.supplement_count;
      break;
    case ClockEffect::kResume:
    case ClockEffect::kStop:
    case ClockEffect::kNone:
      break;
  }

  const bool finishing = t.clock == ClockEffect::kStop || t.terminal ||
                         t.to->national_status == NationalStatus::kFinished;
  if (finishing && !p.finished_at) {
    p.finished_at = now;
    if (p.due_at) p.timeliness = Judge(now, *p.due_at, p.supplement_count);
  }
  if (t.to->national_status == NationalStatus::kReturned && !p.returned_at) p.returned_at = now;

  // The next step and its due moment.
  if (t.budget) {
    p.step_due_at = MOTCUA_TRY(AddBudget(cal, now, *t.budget));
  }
  out.opens_step = !t.terminal;
  if (t.terminal) {
    p.step_due_at.reset();
  } else if (t.to->clock != Clock::kPaused) {
    out.step_due_at = p.step_due_at;
  }
  return out;
}

}  // namespace motcua::dossier
