// Workflow actions and apologies (form 04): load, plan (core/dossier), write.
#include "core/calendar/date.hpp"
#include "core/catalog/text.hpp"
#include "core/dossier/event_payloads.hpp"
#include "core/events/event.hpp"
#include "services/dossiers/dossier_service.hpp"
#include "services/dossiers/internal/helpers.hpp"
#include "storage/events_repo.hpp"

namespace motcua::dossiers {

// The use cases share the helpers of internal/ (a namespace private to services/dossiers).
using namespace internal;  // NOLINT(google-build-using-namespace)

using calendar::FormatMoment;
using dossier::kMaxReason;

namespace {

// An apology moves the appointment at most this far: a year of working days
// is beyond any procedure's limit (365, core/catalog/procedure.hpp).
constexpr auto kMaxApologyShift = std::chrono::days(2 * 365);

}  // namespace

Result<DossierView> DossierService::ActIn(Tx& tx, const Principal& who, std::int64_t id,
                                          const ActRequest& req, TimePoint now) const {
  auto found = MOTCUA_TRY(LoadForWrite(tx, id));
  if (!found || !(RolesOn(who, *found).Has(Role::kCitizen) || SeesByUnit(who, *found)))
    return Fail(Code::kNotFound, "no dossier " + std::to_string(id));
  DossierRow row = std::move(*found);
  if (req.expected_version && *req.expected_version != row.version) return Fail(Stale(row));
  const workflow::Workflow* wf = workflows_.Find(row.workflow_code, row.workflow_version);
  if (wf == nullptr)
    return Fail(Code::kInternal, "workflow " + row.workflow_code + " is not loaded");
  auto t = wf->Decide(row.state, req.action, RolesOn(who, row));
  if (!t) {
    Error e = t.error();
    // Another officer's action got there first: say what it is now.
    if (e.code == Code::kFailedPrecondition)
      e.With("state", row.state).With("version", std::to_string(row.version));
    return Fail(std::move(e));
  }
  auto snapshot = catalog_.Snapshot();
  const catalog::Procedure* proc = FindVersionById(*snapshot, row.procedure_code, row.procedure_id);
  if (proc == nullptr)
    return Fail(Code::kInternal, "procedure version of dossier " + row.number + " is not loaded");

  // The rules are core/dossier's: load, plan, write.
  dossier::ActionInput input{req.reason, {}, req.fee_vnd, req.to_unit_id, Handed(req.files)};
  for (const auto& item : req.items) input.items.push_back({item.description, item.component_code});
  auto tree = units_.Tree();
  const dossier::ActionPlan plan = MOTCUA_TRY(dossier::PlanAction(
      {cal_, *tree, now}, {ToProgress(row), row.receiving_unit_id, row.current_unit_id}, *t, *proc,
      input));

  const std::int64_t old_version = row.version;
  const std::int64_t from_unit = row.current_unit_id;
  const std::string from_state = row.state;
  const int closing_step = row.step;
  FromProgress(plan.progress, row);
  row.current_unit_id = plan.current_unit_id;
  if (plan.pending == dossier::ActionPlan::Pending::kSet)
    row.pending_request = dossier::PendingRequestJson(*plan.request);
  if (plan.pending == dossier::ActionPlan::Pending::kClear) row.pending_request.reset();
  if (plan.fee_vnd) row.fee_vnd = *plan.fee_vnd;
  if (plan.paid_at) row.paid_at = *plan.paid_at;
  SetState(row, *wf, *t->to);
  if (plan.opens_step) row.step = closing_step + 1;
  row.version = old_version + 1;
  row.updated_at = now;

  std::optional<std::string_view> judged;
  if (plan.closed_step) judged = dossier::TimelinessName(*plan.closed_step);
  MOTCUA_TRY_VOID(repo::CloseStep(tx, row.id, closing_step, now, who.user_id, req.action, judged));
  if (plan.opens_step) {
    MOTCUA_TRY_VOID(
        repo::InsertStep(tx, StepRow{row.id, row.step, req.action, row.state, from_unit,
                                     row.current_unit_id, who.user_id, now, plan.step_due_at,
                                     std::nullopt, std::nullopt, std::nullopt, std::nullopt}));
  }
  MOTCUA_TRY_VOID(repo::Update(tx, row, old_version));
  MOTCUA_TRY_VOID(LinkFiles(tx, req.files, who.user_id, row.id, "files"));
  Remember(row);
  MOTCUA_TRY(AppendDossierEvent(
      tx, row,
      events::NewEvent{std::string(kAggregate), row.id, now, who.user_id, req.action, from_state,
                       row.state, dossier::ToJson(plan.payload)}));
  return MakeView(&who, std::move(row), false, now);
}

void DossierService::Act(const Principal& who, std::int64_t id, ActRequest req, ViewDone done) {
  const TimePoint now = clock_.Now();
  WriteThenAnswer<DossierView>(
      store_,
      [this, id, req = std::move(req), who, now](Tx& tx) { return ActIn(tx, who, id, req, now); },
      std::move(done), [this](const DossierView& v) { Notify(v.row.id, v.row.number); });
}

void DossierService::Apologize(const Principal& who, std::int64_t id, ApologyRequest req,
                               ViewDone done) {
  const TimePoint now = clock_.Now();
  WriteThenAnswer<DossierView>(
      store_,
      [this, id, req = std::move(req), who, now](Tx& tx) {
        return ApologizeIn(tx, who, id, req, now);
      },
      std::move(done), [this](const DossierView& v) { Notify(v.row.id, v.row.number); });
}

Result<DossierView> DossierService::ApologizeIn(Tx& tx, const Principal& who, std::int64_t id,
                                                const ApologyRequest& req, TimePoint now) const {
  auto found = MOTCUA_TRY(repo::Find(tx, id));
  if (!found || !SeesByUnit(who, *found))
    return Fail(Code::kNotFound, "no dossier " + std::to_string(id));
  DossierRow row = std::move(*found);
  if (req.expected_version && *req.expected_version != row.version) return Fail(Stale(row));
  RoleSet roles = RolesOn(who, row);
  if (!roles.Intersects({Role::kOfficer, Role::kSpecialist, Role::kUnitLeader}))
    return Fail(
        Code::kPermissionDenied,
        "an apology is sent by the officers or the leader of the unit handling the dossier");
  auto appointment = AppointmentOf(row);
  if (row.terminal || row.finished_at || !appointment)
    return Fail(Error{Code::kFailedPrecondition,
                      "an apology is for a dossier in progress with an appointment date",
                      {{"state", row.state}}});
  if (now >= *appointment)
    return Fail(Error{Code::kFailedPrecondition,
                      "the appointment (" + FormatMoment(*appointment) +
                          ") has passed: an apology must be sent before it",
                      {{"due_at", FormatMoment(*appointment)}}});
  Error bad{Code::kInvalidArgument, "invalid apology", {}};
  std::string reason(catalog::TrimSpaces(req.reason));
  if (reason.empty()) bad.With("reason", "say why the dossier will be late");
  if (catalog::CodePointCount(reason) > kMaxReason) bad.With("reason", "is too long");
  if (req.new_due_at <= *appointment)
    bad.With("new_due_at", "must be after the current appointment " + FormatMoment(*appointment));
  else if (req.new_due_at - *appointment > kMaxApologyShift)
    bad.With("new_due_at", "is too far away");
  if (!bad.fields.empty()) return Fail(std::move(bad));
  const std::int64_t old_version = row.version;
  row.apology_due_at = req.new_due_at;
  row.apologies += 1;
  row.version = old_version + 1;
  row.updated_at = now;
  MOTCUA_TRY_VOID(repo::Update(tx, row, old_version));
  const dossier::ApologyPayload payload{reason, *appointment, req.new_due_at};
  MOTCUA_TRY(AppendDossierEvent(
      tx, row,
      events::NewEvent{std::string(kAggregate), row.id, now, who.user_id, "apology", row.state,
                       row.state, dossier::ToJson(payload)}));
  Remember(row);
  return MakeView(&who, std::move(row), false, now);
}

}  // namespace motcua::dossiers
