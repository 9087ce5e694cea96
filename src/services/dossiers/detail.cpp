// A dossier in full for those who may see it (every read logged), and access checks.
#include <future>
#include <map>

#include "core/dossier/lookup_secret.hpp"
#include "services/dossiers/dossier_service.hpp"
#include "services/dossiers/internal/helpers.hpp"
#include "storage/accounts_repo.hpp"
#include "storage/attachments_repo.hpp"
#include "storage/events_repo.hpp"

namespace motcua::dossiers {

// The use cases share the helpers of internal/ (a namespace private to services/dossiers).
using namespace internal;  // NOLINT(google-build-using-namespace)

bool DossierService::Sees(const Principal& who, const DossierRow& row,
                          const std::vector<StepRow>& steps) const {
  if (row.citizen_user_id && *row.citizen_user_id == who.user_id) return true;
  if (SeesByUnit(who, row)) return true;
  // A unit the dossier passed through (a department that handled it).
  for (const auto& s : steps)
    for (const auto& b : who.roles)
      if (IsStaff(b.role) && who.HasRoleAt(b.role, s.unit_id, hierarchy_)) return true;
  return false;
}

Result<bool> DossierService::IsLookupSecret(std::int64_t id, std::string_view secret) const {
  auto normal = dossier::NormalizeLookupSecret(secret);
  if (!normal) return false;
  bool matches = false;
  MOTCUA_TRY_VOID(store_.Read([&](Tx& tx) -> Status {
    auto row = MOTCUA_TRY(repo::Find(tx, id));
    matches = row && dossier::LookupSecretMatches(row->number, *normal, row->lookup_hash);
    return {};
  }));
  return matches;
}

Result<std::optional<DossierService::Standing>> DossierService::StandingIn(Tx& tx,
                                                                           const Principal& who,
                                                                           std::int64_t id) const {
  auto row = MOTCUA_TRY(repo::Find(tx, id));
  if (!row || !(Sees(who, *row, {}) || Sees(who, *row, MOTCUA_TRY(repo::ListSteps(tx, id)))))
    return std::optional<Standing>();
  RoleSet roles = RolesOn(who, *row);
  return std::optional<Standing>(Standing{std::move(*row), roles});
}

Result<bool> DossierService::MayReadFiles(const Principal& who, std::int64_t dossier_id,
                                          const ReadContext& context) const {
  bool visible = false, own = false;
  MOTCUA_TRY_VOID(store_.Read([&](Tx& tx) -> Status {
    auto row = MOTCUA_TRY(repo::Find(tx, dossier_id));
    if (!row) return {};
    own = row->citizen_user_id && *row->citizen_user_id == who.user_id;
    visible = Sees(who, *row, {}) || Sees(who, *row, MOTCUA_TRY(repo::ListSteps(tx, dossier_id)));
    return {};
  }));
  if (!visible) return false;
  // No record, no file: the read must be on file before it happens.
  std::promise<Status> recorded;
  access_log_.Record(
      audit::AccessRecord{who.user_id, std::string(kAggregate), dossier_id,
                          own ? "data_subject" : "processing",
                          context.route.empty() ? "GET /api/v1/attachments/{id}" : context.route,
                          context.request_id},
      [&recorded](Status st) { recorded.set_value(std::move(st)); });
  MOTCUA_TRY_VOID(recorded.get_future().get());
  return true;
}

Result<std::optional<std::vector<audit::AccessEntry>>> DossierService::AccessLogOf(
    const Principal& who, std::int64_t dossier_id, const ReadContext& context) const {
  if (!MOTCUA_TRY(MayReadFiles(who, dossier_id, context)))
    return std::optional<std::vector<audit::AccessEntry>>();
  return std::optional<std::vector<audit::AccessEntry>>(
      MOTCUA_TRY(access_log_.List(std::string(kAggregate), dossier_id)));
}

Result<bool> DossierService::CanSee(const Principal& who, std::int64_t dossier_id) const {
  bool visible = false;
  MOTCUA_TRY_VOID(store_.Read([&](Tx& tx) -> Status {
    auto row = MOTCUA_TRY(repo::Find(tx, dossier_id));
    if (!row) return {};
    // The steps only when the row alone does not settle it.
    visible = Sees(who, *row, {}) || Sees(who, *row, MOTCUA_TRY(repo::ListSteps(tx, dossier_id)));
    return {};
  }));
  return visible;
}

namespace {

std::vector<DecidedForm> DecidedForms(const std::vector<HistoryEntry>& history,
                                      const workflow::Workflow* wf) {
  std::vector<dossier::HistoryStep> steps;
  steps.reserve(history.size());
  for (const auto& h : history) steps.push_back({h.action, h.to_state});
  std::vector<DecidedForm> out;
  for (const auto& f : dossier::DecidedForms(steps, wf)) out.push_back({f.form, f.event});
  return out;
}

}  // namespace

void DossierService::Get(const Principal& who, std::int64_t id, ReadContext context,
                         DetailDone done) {
  const TimePoint now = clock_.Now();
  DossierDetail detail;
  std::optional<DossierRow> row;
  // One snapshot for the check and the read: what is shown is what was checked.
  Status read = store_.Read([&](Tx& tx) -> Status {
    row = MOTCUA_TRY(repo::Find(tx, id));
    if (!row) return {};
    detail.steps = MOTCUA_TRY(repo::ListSteps(tx, id));
    if (!Sees(who, *row, detail.steps)) {
      row.reset();
      return {};
    }
    auto events = MOTCUA_TRY(storage::events::ListEvents(tx, kAggregate, id));
    std::map<std::int64_t, std::string> names;
    for (auto& e : events) {
      // Every writer builds its payload through event_payloads.hpp, and the
      // golden file holds each kind: one that does not read is damage,
      // which `motcua verify` reports too.
      auto details = dossier::ParsePayload(e.action, e.payload);
      if (!details)
        return Fail(Code::kInternal, "dossier " + std::to_string(id) + ": event " +
                                         std::to_string(e.seq) +
                                         " cannot be read: " + details.error().message);
      HistoryEntry h{e.seq,    e.occurred_at, e.actor_id, "",
                     e.action, e.from_state,  e.to_state, std::move(*details)};
      if (e.actor_id) {
        auto it = names.find(*e.actor_id);
        if (it == names.end()) {
          auto user = MOTCUA_TRY(storage::accounts::FindUserById(tx, *e.actor_id));
          it = names.emplace(*e.actor_id, user ? user->display_name : "").first;
        }
        h.actor_name = it->second;
      }
      detail.history.push_back(std::move(h));
    }
    if (auto rating = MOTCUA_TRY(repo::FindRating(tx, id)))
      detail.rating = Rating{rating->level, std::move(rating->comment), rating->rated_at};
    else
      detail.can_rate = row->citizen_user_id && *row->citizen_user_id == who.user_id &&
                        Rateable(row->terminal, row->national_status);
    auto files = MOTCUA_TRY(storage::attachments::ListForDossier(tx, id));
    for (auto& f : files)
      detail.files.push_back(FileInfo{f.id, TextOrEmpty(f.component_code), f.original_name,
                                      f.media_type, f.size, f.sha256, f.created_at});
    return {};
  });
  if (!read) return done(std::unexpected(read.error()));
  if (!row)
    return done(std::unexpected(Error{Code::kNotFound, "no dossier " + std::to_string(id), {}}));
  auto view = MakeView(&who, std::move(*row), true, now);
  if (!view) return done(std::unexpected(view.error()));
  detail.view = std::move(*view);
  detail.forms = DecidedForms(detail.history, workflows_.Find(detail.view.row.workflow_code,
                                                              detail.view.row.workflow_version));
  const bool own =
      detail.view.row.citizen_user_id && *detail.view.row.citizen_user_id == who.user_id;
  auto shared = std::make_shared<DossierDetail>(std::move(detail));
  access_log_.Record(
      audit::AccessRecord{who.user_id, std::string(kAggregate), id,
                          own ? "data_subject" : "processing", context.route, context.request_id},
      [shared, done = std::move(done)](Status st) {
        // No record, no data: the read must be on file before it happens.
        if (!st) return done(std::unexpected(st.error()));
        done(std::move(*shared));
      });
}

}  // namespace motcua::dossiers
