#include "services/stats/replay.hpp"

#include "core/calendar/date.hpp"
#include "core/dossier/action_plan.hpp"
#include "core/dossier/event_payloads.hpp"
#include "core/dossier/lifecycle.hpp"
#include "services/dossiers/dossier_service.hpp"
#include "storage/accounts_repo.hpp"

namespace motcua::stats {
namespace {

using storage::stats::DossierStatRow;

Error Unreplayable(const events::Event& e, std::string why) {
  return Error{Code::kInternal,
               "dossier " + std::to_string(e.aggregate_id) + ": event " + std::to_string(e.seq) +
                   " (" + e.action + ") cannot be replayed: " + std::move(why),
               {}};
}

std::string Shown(const std::optional<TimePoint>& t) {
  return t ? storage::accounts::FormatTime(*t) : "none";
}

}  // namespace

Result<DossierStatRow> ReplayDossier(std::span<const events::Event> history,
                                     const workflow::Registry& workflows,
                                     const catalog::Catalog& catalog,
                                     const calendar::WorkingCalendar& calendar) {
  if (history.empty()) return Fail(Code::kInternal, "a dossier without events cannot be replayed");
  const events::Event& first = history.front();
  if (first.action != "submit" || !first.to_state)
    return Fail(Unreplayable(first, "the first event is not a submission"));
  auto submit = dossier::ParsePayloadAs<dossier::SubmitPayload>(first.action, first.payload);
  if (!submit) return Fail(Unreplayable(first, "its payload: " + submit.error().message));
  DossierStatRow row;
  row.id = first.aggregate_id;
  row.receiving_unit_id = submit->unit_id;
  row.channel = submit->channel;
  row.procedure_code = submit->procedure_code;
  row.procedure_id = submit->procedure_id;
  const workflow::Workflow* wf = workflows.Find(submit->workflow, submit->workflow_version);
  if (wf == nullptr) return Fail(Unreplayable(first, "its workflow version is not loaded"));
  const catalog::Procedure* procedure =
      dossiers::FindVersionById(catalog, row.procedure_code, row.procedure_id);
  if (procedure == nullptr) return Fail(Unreplayable(first, "its procedure version is not loaded"));
  const dossier::ProcedureTime rules = dossier::TimeOf(*procedure);
  row.submitted_at = first.occurred_at;
  row.digitised = !submit->files.empty();
  std::string state = *first.to_state;
  auto status = wf->NationalStatusOf(state);
  if (!status) return Fail(Unreplayable(first, "state '" + state + "' is not in its workflow"));
  row.national_status = workflow::NationalCode(*status);

  dossier::Progress progress;
  std::optional<TimePoint> apology_due;
  const auto anyone = workflow::RoleSet::FromBits(0xff);  // who acted was checked when it happened
  for (const events::Event& e : history.subspan(1)) {
    if (e.aggregate_id != row.id) return Fail(Unreplayable(e, "it belongs to another dossier"));
    auto payload = dossier::ParsePayload(e.action, e.payload);
    if (!payload) return Fail(Unreplayable(e, "its payload: " + payload.error().message));
    if (const auto* apology = std::get_if<dossier::ApologyPayload>(&*payload)) {
      apology_due = apology->new_due_at;
    } else if (std::holds_alternative<dossier::ResultSignedPayload>(*payload)) {
      row.electronic_result = true;
    } else if (std::holds_alternative<dossier::NationalSyncedPayload>(*payload)) {
      // The portal's first acknowledgement: synced for good, the state kept.
      row.synced = true;
    } else if (const auto* rating = std::get_if<dossier::RatingPayload>(&*payload)) {
      row.rated_at = e.occurred_at;
      row.rating_level = rating->level;
    } else if (std::holds_alternative<dossier::ResultDraftedPayload>(*payload)) {
      // A draft changes no figure.
    } else if (const auto* action = std::get_if<dossier::ActionPayload>(&*payload)) {
      if (!e.from_state || *e.from_state != state)
        return Fail(Unreplayable(
            e, "it leaves state '" + e.from_state.value_or("") + "', not '" + state + "'"));
      auto t = wf->Decide(state, e.action, anyone);
      if (!t) return Fail(Unreplayable(e, t.error().message));
      if (!e.to_state || t->to->id != *e.to_state)
        return Fail(Unreplayable(e, "the workflow leads to '" + t->to->id + "', the event to '" +
                                        e.to_state.value_or("") + "'"));
      auto advanced = dossier::AdvanceClock(calendar, progress, *t, rules, e.occurred_at);
      if (!advanced) return Fail(Unreplayable(e, advanced.error().message));
      progress = std::move(advanced->progress);
      state = t->to->id;
      row.national_status = workflow::NationalCode(t->to->national_status);
      row.digitised = row.digitised || !action->files.empty();
    } else {
      return Fail(Unreplayable(e, "a dossier is submitted once"));
    }
  }
  if (const auto* s = wf->FindState(state)) row.clock = std::string(workflow::ClockName(s->clock));
  row.clock_start = progress.clock_start;
  row.due_at = apology_due ? apology_due : progress.due_at;
  row.finished_at = progress.finished_at;
  row.returned_at = progress.returned_at;
  if (progress.timeliness)
    row.timeliness = std::string(dossier::TimelinessName(*progress.timeliness));
  row.paused_micros = progress.paused.count();
  return row;
}

std::vector<std::string> Differences(const DossierStatRow& table, const DossierStatRow& history) {
  std::vector<std::string> out;
  auto differ = [&](std::string_view what, const std::string& a, const std::string& b) {
    if (a != b) out.push_back(std::string(what) + ": table " + a + ", history " + b);
  };
  using std::to_string;
  differ("receiving_unit_id", to_string(table.receiving_unit_id),
         to_string(history.receiving_unit_id));
  differ("channel", to_string(table.channel), to_string(history.channel));
  differ("procedure", table.procedure_code + "#" + to_string(table.procedure_id),
         history.procedure_code + "#" + to_string(history.procedure_id));
  differ("national_status", to_string(table.national_status), to_string(history.national_status));
  differ("submitted_at", Shown(table.submitted_at), Shown(history.submitted_at));
  differ("clock_start", Shown(table.clock_start), Shown(history.clock_start));
  differ("due_at", Shown(table.due_at), Shown(history.due_at));
  differ("clock", table.clock, history.clock);
  differ("finished_at", Shown(table.finished_at), Shown(history.finished_at));
  differ("returned_at", Shown(table.returned_at), Shown(history.returned_at));
  differ("timeliness", table.timeliness.value_or("none"), history.timeliness.value_or("none"));
  differ("paused_micros", to_string(table.paused_micros), to_string(history.paused_micros));
  differ("digitised", table.digitised ? "yes" : "no", history.digitised ? "yes" : "no");
  differ("electronic_result", table.electronic_result ? "yes" : "no",
         history.electronic_result ? "yes" : "no");
  differ("synced", table.synced ? "yes" : "no", history.synced ? "yes" : "no");
  differ("rated_at", Shown(table.rated_at), Shown(history.rated_at));
  differ("rating_level", to_string(table.rating_level), to_string(history.rating_level));
  return out;
}

}  // namespace motcua::stats
