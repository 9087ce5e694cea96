// The service itself: construction, who sees and acts on a dossier, its view.
#include "services/dossiers/dossier_service.hpp"

#include <algorithm>

#include "common/check.hpp"
#include "core/calendar/date.hpp"
#include "core/dossier/deadline.hpp"
#include "core/dossier/dossier_number.hpp"
#include "services/dossiers/internal/helpers.hpp"
#include "storage/events_repo.hpp"

namespace motcua::dossiers {

// The use cases share the helpers of internal/ (a namespace private to services/dossiers).
using namespace internal;  // NOLINT(google-build-using-namespace)

const catalog::Procedure* FindVersionById(const catalog::Catalog& c, std::string_view code,
                                          std::int64_t id) {
  for (const auto& p : c.Versions(code))
    if (p.id == id) return &p;
  return nullptr;
}

DossierService::DossierService(storage::Store& store, const Clock& clock,
                               const calendar::WorkingCalendar& cal,
                               const catalog::CatalogService& catalog,
                               const workflow::Registry& workflows, const units::UnitService& units,
                               const accounts::UnitHierarchy& hierarchy,
                               audit::AccessLog& access_log, dossier::RandomBytes random,
                               DossierOptions options)
    : store_(store),
      clock_(clock),
      cal_(cal),
      catalog_(catalog),
      workflows_(workflows),
      units_(units),
      hierarchy_(hierarchy),
      access_log_(access_log),
      random_(std::move(random)),
      options_(options),
      citizen_submissions_(
          {options.citizen_submissions_per_10_minutes, std::chrono::minutes(10), 100'000}),
      staff_submissions_(
          {options.staff_submissions_per_10_minutes, std::chrono::minutes(10), 20'000}) {
  MOTCUA_CHECK(static_cast<std::int64_t>(options_.submissions_per_unit_hour) * 24 <
               dossier::kMaxDossierSequence);
  if (!options_.nearing) options_.nearing = cal_.office_hours().DayLength();
}

bool DossierService::SeesByUnit(const Principal& who, const DossierRow& row) const {
  for (const auto& b : who.roles) {
    if (!IsStaff(b.role)) continue;
    if (who.HasRoleAt(b.role, row.current_unit_id, hierarchy_) ||
        who.HasRoleAt(b.role, row.receiving_unit_id, hierarchy_))
      return true;
  }
  return false;
}

RoleSet DossierService::RolesOn(const Principal& who, const DossierRow& row) const {
  RoleSet roles;
  if (row.citizen_user_id && *row.citizen_user_id == who.user_id && who.HasRole(Role::kCitizen))
    roles.Add(Role::kCitizen);
  for (Role r : {Role::kOfficer, Role::kSpecialist, Role::kUnitLeader, Role::kProvinceAdmin,
                 Role::kSystemAdmin}) {
    if (who.HasRoleAt(r, row.current_unit_id, hierarchy_) ||
        (r == Role::kOfficer && who.HasRoleAt(r, row.receiving_unit_id, hierarchy_)))
      roles.Add(r);
  }
  return roles;
}

Result<DossierView> DossierService::MakeView(const Principal* who, DossierRow row, bool unmasked,
                                             TimePoint now) const {
  DossierView v;
  auto snapshot = catalog_.Snapshot();
  if (const auto* p = FindVersionById(*snapshot, row.procedure_code, row.procedure_id)) {
    v.procedure_name = p->name;
    v.procedure_name_en = p->name_en.value_or("");
    v.procedure_version = p->version;
  }
  const catalog::Procedure* proc = FindVersionById(*snapshot, row.procedure_code, row.procedure_id);
  const workflow::Workflow* wf = workflows_.Find(row.workflow_code, row.workflow_version);
  if (wf == nullptr)
    return Fail(Code::kInternal, "dossier " + row.number + " uses workflow " + row.workflow_code +
                                     " v" + std::to_string(row.workflow_version) +
                                     ", which is not loaded");
  if (const auto* s = wf->FindState(row.state)) {
    v.state_name = s->name;
    v.state_name_en = s->name_en;
  }
  auto tree = units_.Tree();
  if (const auto* u = tree->Find(row.receiving_unit_id)) v.receiving_unit_name = u->name;
  if (const auto* u = tree->Find(row.current_unit_id)) v.current_unit_name = u->name;
  v.working_day = cal_.office_hours().DayLength();
  const auto clock = workflow::ParseClock(row.clock).value_or(StateClock::kStopped);
  auto appointment = dossier::AppointmentToMeet(AppointmentOf(row), clock);
  if (!row.terminal && appointment) {
    auto u = dossier::UrgencyAt(cal_, now, *appointment, *options_.nearing);
    if (u) v.urgency = *u;
    auto left = cal_.WorkingTimeBetween(now, *appointment);
    if (left) v.working_time_left = *left;
  }
  if (who != nullptr && !row.terminal) {
    RoleSet roles = RolesOn(*who, row);
    auto allowed = wf->AllowedActions(row.state, roles);
    if (allowed) {
      for (const workflow::Action* a : *allowed) {
        const workflow::State& to = wf->states()[a->to];
        AllowedAction out{a->id,
                          a->name,
                          a->name_en,
                          a->requires_reason,
                          to.national_status == NationalStatus::kSupplementRequested &&
                              to.clock == StateClock::kPaused,
                          to.national_status == NationalStatus::kFinancialObligation &&
                              to.clock == StateClock::kPaused,
                          std::nullopt};
        if (a->transfer) out.transfer = std::string(workflow::UnitKindName(*a->transfer));
        if (!row.due_at && proc != nullptr) {
          auto t = wf->Decide(row.state, a->id, roles);
          if (t && t->clock == workflow::ClockEffect::kStart) {
            auto adv =
                dossier::AdvanceClock(cal_, ToProgress(row), *t, dossier::TimeOf(*proc), now);
            if (adv) out.due_at = adv->progress.due_at;
          }
        }
        v.actions.push_back(std::move(out));
      }
    }
  }
  if (!unmasked) {
    row.applicant_name = dossier::MaskName(row.applicant_name);
    row.applicant_id_number = dossier::MaskIdNumber(row.applicant_id_number);
    row.applicant_phone = dossier::MaskPhone(row.applicant_phone);
    row.applicant_email = row.applicant_email.empty() ? "" : "***";
    row.applicant_address = row.applicant_address.empty() ? "" : "***";
  }
  row.applicant_name_key.clear();
  row.lookup_hash.clear();
  v.row = std::move(row);
  v.unmasked = unmasked;
  return v;
}

Result<std::optional<DossierRow>> DossierService::LoadForWrite(Tx& tx, std::int64_t id) const {
  {
    std::optional<DossierRow> copy;
    {
      std::lock_guard lock(row_cache_.mu);
      auto it = row_cache_.rows.find(id);
      if (it != row_cache_.rows.end()) copy = it->second;
    }
    if (copy) {
      auto version = MOTCUA_TRY(repo::FindVersion(tx, id));
      if (version && *version == copy->version) return copy;
    }
  }
  return repo::Find(tx, id);
}

Result<events::Event> DossierService::AppendDossierEvent(Tx& tx, const DossierRow& row,
                                                         events::NewEvent event) const {
  auto stored = MOTCUA_TRY(storage::events::AppendEvent(tx, event));
  if (sink_ != nullptr) MOTCUA_TRY_VOID(sink_->OnDossierEvent(tx, row, stored));
  return stored;
}

void DossierService::Remember(const DossierRow& row) const {
  std::lock_guard lock(row_cache_.mu);
  if (row_cache_.rows.size() >= RowCache::kMaxRows && !row_cache_.rows.contains(row.id))
    row_cache_.rows.erase(row_cache_.rows.begin());
  row_cache_.rows.insert_or_assign(row.id, row);
}

}  // namespace motcua::dossiers
