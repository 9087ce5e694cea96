// What a workflow action does to a dossier, decided without I/O: the rules
// of the dossier slice (DOMAIN.md section 2) that the dossier service used to
// hold. The service loads the dossier, lets the workflow decide the
// transition for the caller's roles, plans it here, and writes the plan.
//
// PlanAction checks the inputs each kind of action needs and only those:
// - a reason where the workflow says so (at most kMaxReason code points);
// - a request for supplements (a paused state of national status 5) lists
//   everything missing at once, each item a component of the procedure or a
//   description; no other action lists items;
// - a request for payment (paused, status 6) names an amount, by default the
//   procedure's fees; no other action does;
// - a transfer goes to an existing unit of the kind the workflow names (back
//   to the receiving unit needs none); no other action names a unit;
// - files name components of the procedure, each once.
// Every problem is reported at once, in one kInvalidArgument naming each
// field. Then it advances the clock (lifecycle.hpp) and gives the row's new
// facts, the step to close and open, and the event's typed payload.
//
// Which letters (forms 02 to 05) a history decided, and whether a dossier
// may be rated, are rules of the slice too: DecidedForms, Rateable.
//
// Thread safety: pure functions over immutable inputs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "core/calendar/working_time.hpp"
#include "core/catalog/procedure.hpp"
#include "core/dossier/event_payloads.hpp"
#include "core/dossier/lifecycle.hpp"
#include "core/units/unit_tree.hpp"
#include "core/workflow/workflow.hpp"

namespace motcua::dossier {

// A reason is a sentence an officer types: long enough for a refusal that
// cites the legal basis, bounded so that an event stays small.
inline constexpr std::size_t kMaxReason = 2000;
// A procedure has at most 100 components.
inline constexpr std::size_t kMaxItems = 100;
// The staged-file quota of one user.
inline constexpr std::size_t kMaxFiles = 200;

// What a procedure version says about time (its limit, the 15:00 cut-off).
ProcedureTime TimeOf(const catalog::Procedure& procedure);

// What the dossier is before the action, as far as the rules need.
struct DossierFacts {
  Progress progress;
  std::int64_t receiving_unit_id = 0;
  std::int64_t current_unit_id = 0;
};

// What the caller asked.
struct ActionInput {
  std::string reason;
  std::vector<AskedItem> items;
  std::optional<std::int64_t> fee_vnd;
  std::optional<std::int64_t> to_unit_id;
  std::vector<HandedFile> files;
};

// A request waiting for the citizen (supplements or payment), as the
// dossier's pages and the lookup show it.
struct PendingRequest {
  enum class Kind { kSupplement, kPayment } kind = Kind::kSupplement;
  TimePoint requested_at{};
  std::optional<std::string> reason;
  std::vector<AskedItem> items;  // supplements
  std::int64_t fee_vnd = 0;      // payment
};
// {"kind":"supplement"|"payment","requested_at":...,"reason":...,"items":[...]|"fee_vnd":N}
std::string PendingRequestJson(const PendingRequest& request);

struct ActionPlan {
  Progress progress;                 // after the action
  std::int64_t current_unit_id = 0;  // after a transfer, the unit it went to
  // The request for the citizen: set by a request, cleared on leaving a pause.
  enum class Pending { kKeep, kSet, kClear } pending = Pending::kKeep;
  std::optional<PendingRequest> request;  // with kSet
  std::optional<std::int64_t> fee_vnd;    // a request for payment's amount
  std::optional<TimePoint> paid_at;       // leaving a payment request to go on: paid now
  // Steps (form 06): the open step ends, judged when it had a due moment;
  // unless the dossier ended, the next opens with its due moment.
  std::optional<Timeliness> closed_step;
  bool opens_step = false;
  std::optional<TimePoint> step_due_at;
  ActionPayload payload;  // of the event to append
};

struct PlanContext {
  const calendar::WorkingCalendar& calendar;
  const units::UnitTree& units;
  TimePoint now;
};

// Plans `transition` (decided by the workflow for the caller) on `dossier`
// of `procedure`. Errors: kInvalidArgument naming every bad field; those of
// AdvanceClock.
[[nodiscard]] Result<ActionPlan> PlanAction(const PlanContext& context, const DossierFacts& dossier,
                                            const workflow::Transition& transition,
                                            const catalog::Procedure& procedure,
                                            const ActionInput& input);

// The problems of `files` handed in for `procedure`, added to `error` under
// `field` ("files[2].component_code": not a component; an attachment named
// twice; more than kMaxFiles).
void CheckFiles(const std::vector<HandedFile>& files, const catalog::Procedure& procedure,
                std::string_view field, Error& error);

// One event of a history, as DecidedForms reads it.
struct HistoryStep {
  std::string action;
  std::optional<std::string> to_state;
};
// A letter to the citizen and the event (index into the history) that
// decided it, the last one for each: form 02 (supplements requested), 03
// (refused at intake), 04 (apology and new appointment), 05 (processing
// stopped). By form number. `workflow` may be null (its version is not
// loaded): then only apologies are known.
struct DecidedForm {
  int form = 0;
  std::size_t event = 0;
};
std::vector<DecidedForm> DecidedForms(const std::vector<HistoryStep>& history,
                                      const workflow::Workflow* workflow);

// A dossier may be rated once its handling ended for the citizen: a result
// returned, a refusal, processing stopped; a withdrawal is the citizen's own
// decision, not handling to rate.
bool Rateable(bool terminal, workflow::NationalStatus status);

}  // namespace motcua::dossier
