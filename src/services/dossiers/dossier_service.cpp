#include "services/dossiers/dossier_service.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <map>
#include <set>

#include "core/calendar/date.hpp"
#include "core/catalog/text.hpp"
#include "core/dossier/action_plan.hpp"
#include "core/dossier/dossier_number.hpp"
#include "core/dossier/event_payloads.hpp"
#include "core/dossier/lifecycle.hpp"
#include "core/events/event.hpp"
#include "storage/accounts_repo.hpp"
#include "storage/attachments_repo.hpp"
#include "storage/dossier_numbers_repo.hpp"
#include "storage/events_repo.hpp"

namespace motcua::dossiers {
namespace {

namespace json = boost::json;
namespace repo = storage::dossiers;
using accounts::Principal;
using accounts::Role;
using storage::Tx;
// The workflow engine's clock of a state (running, paused, stopped).
using StateClock = workflow::Clock;
using calendar::FormatMoment;
using workflow::NationalStatus;
using workflow::RoleSet;

constexpr std::string_view kAggregate = "dossier";
using dossier::kMaxReason;
// An apology moves the appointment at most this far: a year of working days
// is beyond any procedure's limit (365, core/catalog/procedure.hpp).
constexpr auto kMaxApologyShift = std::chrono::days(2 * 365);

std::string_view ClockText(StateClock c) { return workflow::ClockName(c); }

std::int64_t RoleBits(RoleSet s) { return s.bits(); }

bool IsStaff(Role r) { return r != Role::kCitizen; }

dossier::Progress ToProgress(const DossierRow& r) {
  dossier::Progress p;
  p.accepted_at = r.accepted_at;
  p.clock_start = r.clock_start;
  p.due_at = r.due_at;
  p.paused_at = r.paused_at;
  p.paused = Micros(r.paused_micros);
  p.supplement_count = r.supplement_count;
  p.step_due_at = r.step_due_at;
  p.finished_at = r.finished_at;
  p.returned_at = r.returned_at;
  if (r.timeliness == "early") p.timeliness = dossier::Timeliness::kEarly;
  if (r.timeliness == "on_time") p.timeliness = dossier::Timeliness::kOnTime;
  if (r.timeliness == "late") p.timeliness = dossier::Timeliness::kLate;
  return p;
}

void FromProgress(const dossier::Progress& p, DossierRow& r) {
  r.accepted_at = p.accepted_at;
  r.clock_start = p.clock_start;
  r.due_at = p.due_at;
  r.paused_at = p.paused_at;
  r.paused_micros = p.paused.count();
  r.supplement_count = p.supplement_count;
  r.step_due_at = p.step_due_at;
  r.finished_at = p.finished_at;
  r.returned_at = p.returned_at;
  r.timeliness.reset();
  if (p.timeliness) r.timeliness = std::string(dossier::TimelinessName(*p.timeliness));
}

// The appointment the citizen was last given.
std::optional<TimePoint> AppointmentOf(const DossierRow& r) {
  return r.apology_due_at ? r.apology_due_at : r.due_at;
}

// National statuses of endings that are not anyone's work: a withdrawal
// (the citizen's wish, which an officer may record) and stopping
// processing (a leader's exceptional decision).
bool EndsWithoutWork(NationalStatus status) {
  return status == NationalStatus::kWithdrawn || status == NationalStatus::kStopped;
}

// The roles whose work a dossier in `state` waits for: those of its actions
// other than withdrawing or stopping it (an inbox is a to-do list; every
// open dossier could be withdrawn).
std::int64_t InboxRoles(const workflow::Workflow& wf, const workflow::State& state) {
  if (state.terminal) return 0;
  auto index = wf.FindStateIndex(state.id);
  if (!index) return 0;
  RoleSet roles;
  for (const auto& a : wf.actions()) {
    if ((a.from_mask & (std::uint64_t{1} << *index)) == 0) continue;
    if (EndsWithoutWork(wf.states()[a.to].national_status)) continue;
    for (Role r : a.roles.Roles()) roles.Add(r);
  }
  return RoleBits(roles);
}

void SetState(DossierRow& r, const workflow::Workflow& wf, const workflow::State& s) {
  r.state = s.id;
  r.national_status = workflow::NationalCode(s.national_status);
  r.clock = std::string(ClockText(s.clock));
  r.terminal = s.terminal;
  r.acting_roles = InboxRoles(wf, s);
  r.queue_at = r.due_at.value_or(r.submitted_at);
}

std::optional<catalog::Level> LevelOfUnit(units::Kind kind) {
  switch (kind) {
    case units::Kind::kCommune:
      return catalog::Level::kCommune;
    case units::Kind::kCenter:
    case units::Kind::kDepartment:
      return catalog::Level::kProvince;
    case units::Kind::kDistrict:
      return catalog::Level::kDistrict;
    case units::Kind::kProvince:
      return std::nullopt;  // a province has no counter of its own
  }
  return std::nullopt;
}

std::string TextOrEmpty(const std::optional<std::string>& s) { return s.value_or(""); }

std::vector<dossier::HandedFile> Handed(const std::vector<FileRef>& files) {
  std::vector<dossier::HandedFile> out;
  for (const auto& f : files) out.push_back({f.attachment_id, f.component_code});
  return out;
}

// The problems of the files named for `proc` (core/dossier's rule).
Status ValidateFileRefs(const std::vector<FileRef>& files, const catalog::Procedure& proc,
                        std::string_view field) {
  Error error{Code::kInvalidArgument, "invalid files", {}};
  dossier::CheckFiles(Handed(files), proc, field, error);
  if (!error.fields.empty()) return Fail(std::move(error));
  return {};
}

// Links each staged file of `owner` to the dossier, or fails naming the file.
Status LinkFiles(Tx& tx, const std::vector<FileRef>& files, std::int64_t owner,
                 std::int64_t dossier_id, std::string_view field) {
  for (std::size_t i = 0; i < files.size(); ++i) {
    bool linked = MOTCUA_TRY(storage::attachments::LinkToDossier(
        tx, files[i].attachment_id, owner, dossier_id, files[i].component_code));
    if (!linked)
      return InvalidField(std::string(field) + "[" + std::to_string(i) + "].attachment_id",
                          "is not a file you uploaded and have not used yet");
  }
  return {};
}

std::string EncodeCursor(TimePoint at, std::int64_t id) {
  return std::to_string(at.time_since_epoch().count()) + "." + std::to_string(id);
}

std::optional<std::pair<TimePoint, std::int64_t>> DecodeCursor(std::string_view text) {
  auto dot = text.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == text.size() || text.size() > 40)
    return std::nullopt;
  std::int64_t micros = 0, id = 0;
  auto a = std::from_chars(text.data(), text.data() + dot, micros);
  auto b = std::from_chars(text.data() + dot + 1, text.data() + text.size(), id);
  if (a.ec != std::errc() || a.ptr != text.data() + dot || b.ec != std::errc() ||
      b.ptr != text.data() + text.size() || id <= 0)
    return std::nullopt;
  return std::make_pair(TimePoint(Micros(micros)), id);
}

// Runs `fn` as one write callback and answers `done` once its commit is
// durable; `committed` sees what a successful write produced first (for the
// change listeners). `fn` returns the answer or the error that rolls its
// savepoint back.
template <class T, class Fn>
void WriteThenAnswer(storage::Store& store, Fn fn, std::function<void(Result<T>)> done,
                     std::function<void(const T&)> committed) {
  auto out =
      std::make_shared<Result<T>>(std::unexpected(Error{Code::kInternal, "not written", {}}));
  store.Write(
      [fn = std::move(fn), out](Tx& tx) -> Status {
        *out = fn(tx);
        if (!*out) return std::unexpected(out->error());
        return {};
      },
      [out, done = std::move(done), committed = std::move(committed)](Status st) {
        if (!st) return done(std::unexpected(st.error()));
        if (*out) committed(**out);
        done(std::move(*out));
      });
}

Error Stale(const DossierRow& row) {
  Error e{Code::kAborted,
          "the dossier was changed by someone else meanwhile (now in state '" + row.state +
              "', version " + std::to_string(row.version) + "); reload it and try again",
          {}};
  e.With("state", row.state).With("version", std::to_string(row.version));
  return e;
}

// The units a staff caller's bindings cover, with the roles held on each,
// grouped by role set: the inbox scopes.
std::vector<repo::UnitScope> ScopesOf(const Principal& who, const units::UnitTree& tree) {
  std::map<std::int64_t, std::int64_t> roles_by_unit;
  for (const auto& b : who.roles) {
    if (!IsStaff(b.role)) continue;
    std::int64_t bit = std::int64_t{1} << static_cast<int>(b.role);
    if (b.role == Role::kSystemAdmin) {
      for (const auto& u : tree.units()) roles_by_unit[u.id] |= bit;
      continue;
    }
    if (b.subtree) {
      for (std::int64_t u : tree.Subtree(b.unit_id)) roles_by_unit[u] |= bit;
    } else {
      roles_by_unit[b.unit_id] |= bit;
    }
  }
  std::map<std::int64_t, repo::UnitScope> by_roles;
  for (auto [unit, roles] : roles_by_unit) {
    auto& s = by_roles[roles];
    s.roles = roles;
    s.units.push_back(unit);
  }
  std::vector<repo::UnitScope> out;
  for (auto& [roles, scope] : by_roles) out.push_back(std::move(scope));
  return out;
}

}  // namespace

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
      options_(options) {
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

Result<DossierService::Prepared> DossierService::PrepareSubmission(const Principal& who,
                                                                   const SubmitRequest& req,
                                                                   TimePoint now) const {
  Error error{Code::kInvalidArgument, "invalid dossier", {}};
  auto applicant = dossier::ValidateApplicant(req.applicant);
  if (!applicant) {
    for (auto& [k, v] : applicant.error().fields) error.With(k, v);
  }
  if (!req.consent)
    error.With(
        "consent",
        "the applicant must agree to the processing of their personal data for this procedure");

  auto tree = units_.Tree();
  const units::Unit* unit = tree->Find(req.unit_id);
  const catalog::Date today{calendar::LocalDate(now)};
  if (unit == nullptr) {
    error.With("unit_id", "no such unit");
  } else if (!unit->ActiveOn(today)) {
    error.With("unit_id", "unit '" + unit->name + "' no longer exists; choose its successor");
  }
  auto snapshot = catalog_.Snapshot();
  const catalog::Procedure* proc = snapshot->InForce(req.procedure_code, today);
  if (proc == nullptr) {
    if (!snapshot->Contains(req.procedure_code))
      error.With("procedure_code", "no such procedure");
    else
      error.With("procedure_code", "the procedure is not in force today");
  }
  if (!error.fields.empty()) return Fail(std::move(error));

  const bool is_officer = who.HasRoleAt(Role::kOfficer, unit->id, hierarchy_);
  const bool is_citizen = !is_officer && who.HasRole(Role::kCitizen);
  if (!is_officer && !is_citizen)
    return Fail(
        Error{Code::kPermissionDenied,
              "only a citizen, or a one-stop officer of the receiving unit, may submit a dossier",
              {}});
  Channel channel = Channel::kOnline;
  if (is_officer) {
    channel = req.channel.value_or(Channel::kCounter);
    if (channel == Channel::kOnline)
      return InvalidField("channel", "an officer records counter (1) or postal (3) dossiers");
  } else if (req.channel && *req.channel != Channel::kOnline) {
    return InvalidField("channel", "citizens submit online (2)");
  }
  if (channel == Channel::kOnline && proc->online_mode == catalog::OnlineMode::kNone)
    return Fail(
        Error{Code::kFailedPrecondition,
              "procedure " + proc->code + " cannot be submitted online: go to a one-stop counter",
              {{"procedure_code", "not available online"}}});
  auto level = LevelOfUnit(unit->kind);
  if (!level || std::find(proc->levels.begin(), proc->levels.end(), *level) == proc->levels.end())
    return Fail(Error{Code::kFailedPrecondition,
                      "unit '" + unit->name + "' does not receive procedure " + proc->code,
                      {{"unit_id", "does not receive this procedure"}}});
  const workflow::Workflow* wf = workflows_.Latest(proc->workflow_code);
  if (wf == nullptr)
    return Fail(Error{Code::kFailedPrecondition,
                      "procedure " + proc->code + " names workflow '" + proc->workflow_code +
                          "', which this server has not loaded; tell the administrator",
                      {{"procedure_code", "has no workflow"}}});
  MOTCUA_TRY_VOID(ValidateFileRefs(req.files, *proc, "files"));
  if (channel == Channel::kOnline) {
    // Online, the files are the dossier: every required component needs one.
    std::string missing;
    for (const auto& c : proc->components) {
      bool given = std::any_of(req.files.begin(), req.files.end(),
                               [&](const FileRef& f) { return f.component_code == c.code; });
      if (c.required && !given)
        missing += (missing.empty() ? "" : "; ") + c.code + " (" + c.name + ")";
    }
    if (!missing.empty())
      return InvalidField("files", "required components without a file: " + missing);
  }
  DossierRow row;
  row.procedure_id = proc->id;
  row.procedure_code = proc->code;
  row.workflow_code = wf->code();
  row.workflow_version = wf->version();
  row.channel = static_cast<int>(channel);
  row.applicant_name = applicant->full_name;
  row.applicant_name_key = catalog::FoldText(applicant->full_name);
  row.applicant_id_number = applicant->id_number;
  row.applicant_phone = applicant->phone;
  row.applicant_email = applicant->email;
  row.applicant_address = applicant->address;
  if (is_citizen) row.citizen_user_id = who.user_id;
  row.created_by = who.user_id;
  row.receiving_unit_id = unit->id;
  row.current_unit_id = unit->id;
  row.submitted_at = now;
  row.step = 1;
  row.updated_at = now;
  SetState(row, *wf, wf->initial());
  return Prepared{std::move(row), unit->agency_code};
}

Result<Submitted> DossierService::InsertSubmission(Tx& tx, const Principal& who, Prepared prepared,
                                                   const std::vector<FileRef>& files, TimePoint now,
                                                   const std::string& secret) const {
  DossierRow& row = prepared.row;
  row.number =
      MOTCUA_TRY(storage::dossier_numbers::NextDossierNumber(tx, prepared.agency_code, now));
  row.lookup_hash = dossier::HashLookupSecret(row.number, secret);
  row.id = MOTCUA_TRY(repo::Insert(tx, row));
  MOTCUA_TRY_VOID(
      repo::InsertStep(tx, StepRow{row.id, 1, "submit", row.state, row.receiving_unit_id,
                                   row.receiving_unit_id, who.user_id, now, std::nullopt,
                                   std::nullopt, std::nullopt, std::nullopt, std::nullopt}));
  MOTCUA_TRY_VOID(LinkFiles(tx, files, who.user_id, row.id, "files"));
  Remember(row);
  const dossier::SubmitPayload payload{
      row.number,        row.channel,          row.procedure_code,    row.procedure_id,
      row.workflow_code, row.workflow_version, row.receiving_unit_id, Handed(files)};
  MOTCUA_TRY(storage::events::AppendEvent(
      tx, events::NewEvent{std::string(kAggregate), row.id, now, who.user_id, "submit",
                           std::nullopt, row.state, dossier::ToJson(payload)}));
  auto view = MOTCUA_TRY(MakeView(&who, std::move(row), true, now));
  return Submitted{std::move(view), secret};
}

Result<Submitted> DossierService::SubmitIn(Tx& tx, const Principal& who, const SubmitRequest& req,
                                           TimePoint now, const std::string& secret) const {
  auto prepared = MOTCUA_TRY(PrepareSubmission(who, req, now));
  return InsertSubmission(tx, who, std::move(prepared), req.files, now, secret);
}

void DossierService::Submit(const Principal& who, SubmitRequest req, SubmitDone done) {
  const TimePoint now = clock_.Now();
  auto secret = dossier::GenerateLookupSecret(random_);
  if (!secret) return done(std::unexpected(secret.error()));
  // Everything that needs no database is checked here, on the caller's
  // thread: the writer only numbers and stores.
  auto prepared = PrepareSubmission(who, req, now);
  if (!prepared) return done(std::unexpected(prepared.error()));
  WriteThenAnswer<Submitted>(
      store_,
      [this, who, prepared = std::move(*prepared), files = std::move(req.files), now,
       secret = *secret](Tx& tx) {
        return InsertSubmission(tx, who, prepared, files, now, secret);
      },
      std::move(done), [this](const Submitted& s) { Notify(s.view.row.id, s.view.row.number); });
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

void DossierService::Remember(const DossierRow& row) const {
  std::lock_guard lock(row_cache_.mu);
  if (row_cache_.rows.size() >= RowCache::kMaxRows && !row_cache_.rows.contains(row.id))
    row_cache_.rows.erase(row_cache_.rows.begin());
  row_cache_.rows.insert_or_assign(row.id, row);
}

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
  MOTCUA_TRY(storage::events::AppendEvent(
      tx, events::NewEvent{std::string(kAggregate), row.id, now, who.user_id, req.action,
                           from_state, row.state, dossier::ToJson(plan.payload)}));
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
  MOTCUA_TRY(storage::events::AppendEvent(
      tx, events::NewEvent{std::string(kAggregate), row.id, now, who.user_id, "apology", row.state,
                           row.state, dossier::ToJson(payload)}));
  Remember(row);
  return MakeView(&who, std::move(row), false, now);
}

namespace {

constexpr std::size_t kMaxRatingComment = 1000;

// core/dossier's rule over the stored status (a row holds the code 1..10).
bool Rateable(bool terminal, int national_status) {
  auto status = workflow::ParseNationalStatus(national_status);
  return status && dossier::Rateable(terminal, *status);
}

}  // namespace

void DossierService::Rate(const Principal& who, std::int64_t id, RateRequest req, RatingDone done) {
  const TimePoint now = clock_.Now();
  auto number = std::make_shared<std::string>();
  WriteThenAnswer<Rating>(
      store_,
      [this, id, req = std::move(req), who, now, number](Tx& tx) -> Result<Rating> {
        auto found = MOTCUA_TRY(repo::Find(tx, id));
        if (!found) return Fail(Code::kNotFound, "no dossier " + std::to_string(id));
        const bool own = found->citizen_user_id && *found->citizen_user_id == who.user_id;
        if (!own) {
          if (!Sees(who, *found, MOTCUA_TRY(repo::ListSteps(tx, id))))
            return Fail(Code::kNotFound, "no dossier " + std::to_string(id));
          return Fail(Code::kPermissionDenied,
                      "only the citizen whose dossier it is may rate its handling");
        }
        *number = found->number;
        return RateIn(tx, &who, *found, req, now);
      },
      std::move(done), [this, id, number](const Rating&) { Notify(id, *number); });
}

void DossierService::RateByLookup(std::string number, std::string secret, RateRequest req,
                                  RatingDone done) {
  if (!dossier::ParseDossierNumber(number))
    return done(
        InvalidField("number", "is not a dossier number such as 000.00.21.H12-250314-0007"));
  auto normal = dossier::NormalizeLookupSecret(secret);
  if (!normal)
    return done(InvalidField("secret", "is the " + std::to_string(dossier::kLookupSecretLength) +
                                           "-character code printed on the receipt"));
  const TimePoint now = clock_.Now();
  auto id = std::make_shared<std::int64_t>(0);
  WriteThenAnswer<Rating>(
      store_,
      [this, number, secret = std::move(*normal), req = std::move(req), now,
       id](Tx& tx) -> Result<Rating> {
        auto found = MOTCUA_TRY(repo::FindByNumber(tx, number));
        // One answer for an unknown number and a wrong code, as the lookup.
        if (!found || !dossier::LookupSecretMatches(found->number, secret, found->lookup_hash))
          return Fail(Error{Code::kNotFound, "no dossier with this number and code", {}});
        *id = found->id;
        return RateIn(tx, nullptr, *found, req, now);
      },
      std::move(done), [this, id, number](const Rating&) { Notify(*id, number); });
}

Result<Rating> DossierService::RateIn(Tx& tx, const Principal* who, const DossierRow& row,
                                      const RateRequest& req, TimePoint now) const {
  Error bad{Code::kInvalidArgument, "invalid rating", {}};
  if (req.level < 1 || req.level > 3)
    bad.With("level", "must be 1 (not satisfied), 2 (satisfied) or 3 (very satisfied)");
  std::string comment(catalog::TrimSpaces(req.comment));
  if (catalog::CodePointCount(comment) > kMaxRatingComment)
    bad.With("comment", "must be at most " + std::to_string(kMaxRatingComment) + " characters");
  if (!bad.fields.empty()) return Fail(std::move(bad));
  if (!Rateable(row.terminal, row.national_status))
    return Fail(Error{
        Code::kFailedPrecondition,
        row.national_status == workflow::NationalCode(NationalStatus::kWithdrawn)
            ? "a withdrawn dossier is not rated"
            : "a dossier is rated once its handling has ended (its result returned or a refusal)",
        {{"state", row.state}}});
  if (MOTCUA_TRY(repo::FindRating(tx, row.id)))
    return Fail(Error{
        Code::kAlreadyExists, "this dossier has been rated already", {{"level", "rated already"}}});
  repo::RatingRow rating{row.id, req.level, comment,
                         who ? std::optional<std::int64_t>(who->user_id) : std::nullopt, now};
  MOTCUA_TRY_VOID(repo::InsertRating(tx, rating));
  const dossier::RatingPayload payload{req.level, who ? "account" : "receipt"};
  MOTCUA_TRY(storage::events::AppendEvent(
      tx, events::NewEvent{std::string(kAggregate), row.id, now,
                           who ? std::optional<std::int64_t>(who->user_id) : std::nullopt, "rated",
                           row.state, row.state, dossier::ToJson(payload)}));
  return Rating{req.level, std::move(comment), now};
}

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
      HistoryEntry h{e.seq,    e.occurred_at, e.actor_id, "",
                     e.action, e.from_state,  e.to_state, std::move(e.payload)};
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

Result<InboxPage> DossierService::Inbox(const Principal& who, const InboxQuery& q) const {
  if (q.limit < 1 || q.limit > options_.max_limit)
    return InvalidField("limit", "must be 1 to " + std::to_string(options_.max_limit));
  auto tree = units_.Tree();
  repo::InboxFilter f;
  f.scopes = ScopesOf(who, *tree);
  if (f.scopes.empty())
    return Fail(Code::kPermissionDenied, "an inbox is for officers, specialists and leaders");
  const TimePoint now = clock_.Now();
  TimePoint nearing_before = MOTCUA_TRY(cal_.AddWorkingHours(now, *options_.nearing));
  f.state = q.state;
  f.procedure_code = q.procedure_code;
  if (q.due == InboxQuery::Due::kOverdue) f.due_before = now;
  if (q.due == InboxQuery::Due::kNearing) {
    f.due_from = now;
    f.due_before = nearing_before;
  }
  if (q.search) {
    std::string s(catalog::TrimSpaces(*q.search));
    if (!s.empty()) {
      // A dossier number starts with an agency code ("000.00.21.H12-...").
      bool looks_like_number = s.size() >= 3 && std::isdigit(static_cast<unsigned char>(s[0])) &&
                               s.find('.') != std::string::npos;
      if (looks_like_number)
        f.number_prefix = s;
      else
        f.name_key = catalog::FoldText(s);
    }
  }
  if (q.cursor) {
    f.after = DecodeCursor(*q.cursor);
    if (!f.after) return InvalidField("cursor", "is not a cursor from a previous page");
  }
  f.limit = q.limit + 1;  // one more tells whether there is a next page
  InboxPage page;
  std::vector<DossierRow> rows;
  MOTCUA_TRY_VOID(store_.Read([&](Tx& tx) -> Status {
    rows = MOTCUA_TRY(repo::Inbox(tx, f));
    page.counts = MOTCUA_TRY(repo::CountInbox(tx, f.scopes, now, nearing_before));
    return {};
  }));
  if (rows.size() > static_cast<std::size_t>(q.limit)) {
    rows.resize(q.limit);
    page.next_cursor = EncodeCursor(rows.back().queue_at, rows.back().id);
  }
  page.items.reserve(rows.size());
  // No actions in lists: they are worked out when a dossier is opened.
  for (auto& r : rows)
    page.items.push_back(MOTCUA_TRY(MakeView(nullptr, std::move(r), false, now)));
  return page;
}

Result<WatchPage> DossierService::Watch(const Principal& who, const WatchQuery& q) const {
  if (q.limit < 1 || q.limit > options_.max_limit)
    return InvalidField("limit", "must be 1 to " + std::to_string(options_.max_limit));
  auto tree = units_.Tree();
  if (tree->Find(q.unit_id) == nullptr)
    return Fail(Code::kNotFound, "no unit " + std::to_string(q.unit_id));
  if (!who.IsStaffAt(q.unit_id, *tree))
    return Fail(Code::kPermissionDenied,
                "the dossiers of a unit are for its staff and those above it");
  const TimePoint now = clock_.Now();
  const TimePoint nearing_before = MOTCUA_TRY(cal_.AddWorkingHours(now, *options_.nearing));
  repo::WatchFilter f;
  f.units = tree->Subtree(q.unit_id);
  f.procedure_code = q.procedure_code;
  if (q.due == InboxQuery::Due::kOverdue) f.due_before = now;
  if (q.due == InboxQuery::Due::kNearing) {
    f.due_from = now;
    f.due_before = nearing_before;
  }
  if (q.cursor) {
    f.after = DecodeCursor(*q.cursor);
    if (!f.after) return InvalidField("cursor", "is not a cursor from a previous page");
  }
  f.limit = q.limit + 1;
  WatchPage page;
  std::vector<DossierRow> rows;
  std::vector<std::optional<repo::StepInfo>> steps;
  bool more = false;
  MOTCUA_TRY_VOID(store_.Read([&](Tx& tx) -> Status {
    rows = MOTCUA_TRY(repo::Watch(tx, f));
    more = rows.size() > static_cast<std::size_t>(q.limit);
    if (more) rows.resize(q.limit);
    page.counts = MOTCUA_TRY(repo::CountWatch(tx, f, now, nearing_before));
    steps.clear();
    for (const auto& r : rows)
      steps.push_back(r.step > 0 ? MOTCUA_TRY(repo::FindStep(tx, r.id, r.step)) : std::nullopt);
    return {};
  }));
  if (more && rows.back().due_at)
    page.next_cursor = EncodeCursor(*rows.back().due_at, rows.back().id);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    WatchItem item;
    item.step = steps[i];
    if (item.step) {
      if (const auto* wf = workflows_.Find(rows[i].workflow_code, rows[i].workflow_version)) {
        if (const auto* st = wf->FindState(item.step->state)) {
          item.step_state_name = st->name;
          item.step_state_name_en = st->name_en;
        }
      }
      if (item.step_state_name.empty()) item.step_state_name = item.step->state;
      if (const auto* u = tree->Find(item.step->unit_id)) item.step_unit_name = u->name;
    }
    item.view = MOTCUA_TRY(MakeView(nullptr, std::move(rows[i]), false, now));
    page.items.push_back(std::move(item));
  }
  return page;
}

Result<CitizenPage> DossierService::Mine(const Principal& who, std::int64_t before_id,
                                         int limit) const {
  if (!who.HasRole(Role::kCitizen))
    return Fail(Code::kPermissionDenied, "'my dossiers' is for citizen accounts");
  if (limit < 1 || limit > options_.max_limit)
    return InvalidField("limit", "must be 1 to " + std::to_string(options_.max_limit));
  std::vector<DossierRow> rows;
  MOTCUA_TRY_VOID(store_.Read([&](Tx& tx) -> Status {
    rows = MOTCUA_TRY(repo::ListForCitizen(tx, who.user_id, before_id, limit + 1));
    return {};
  }));
  CitizenPage page;
  if (rows.size() > static_cast<std::size_t>(limit)) {
    rows.resize(limit);
    page.next_before = rows.back().id;
  }
  const TimePoint now = clock_.Now();
  // Lists are masked, the citizen's own included: a list is what shows on
  // a screen others may glance at; the dossier page shows the rest.
  // No actions in lists: they are worked out when a dossier is opened.
  for (auto& r : rows)
    page.items.push_back(MOTCUA_TRY(MakeView(nullptr, std::move(r), false, now)));
  return page;
}

Result<LookupResult> DossierService::Lookup(std::string_view number,
                                            std::string_view secret) const {
  auto parsed = dossier::ParseDossierNumber(number);
  if (!parsed)
    return InvalidField("number", "is not a dossier number such as 000.00.21.H12-250314-0007");
  auto normal = dossier::NormalizeLookupSecret(secret);
  if (!normal)
    return InvalidField("secret", "is the " + std::to_string(dossier::kLookupSecretLength) +
                                      "-character code printed on the receipt");
  std::optional<repo::PublicRow> row;
  bool matches = false;
  std::vector<repo::StepTimes> steps;
  MOTCUA_TRY_VOID(store_.Read([&](Tx& tx) -> Status {
    row = MOTCUA_TRY(repo::FindPublic(tx, number));
    matches = row && dossier::LookupSecretMatches(row->number, *normal, row->lookup_hash);
    if (matches) steps = MOTCUA_TRY(repo::ListStepTimes(tx, row->id));
    return {};
  }));
  // One answer for an unknown number and a wrong secret.
  if (!matches) return Fail(Error{Code::kNotFound, "no dossier with this number and code", {}});
  LookupResult out;
  out.number = std::move(row->number);
  out.lookup_hash = std::move(row->lookup_hash);
  auto snapshot = catalog_.Snapshot();
  if (const auto* p = FindVersionById(*snapshot, row->procedure_code, row->procedure_id)) {
    out.procedure_name = p->name;
    out.procedure_name_en = p->name_en.value_or("");
  }
  const workflow::Workflow* wf = workflows_.Find(row->workflow_code, row->workflow_version);
  auto name_of = [&](const std::string& state, std::string& vi, std::string& en) {
    if (const auto* s = wf ? wf->FindState(state) : nullptr) {
      vi = s->name;
      en = s->name_en;
    }
  };
  name_of(row->state, out.state_name, out.state_name_en);
  out.national_status = row->national_status;
  out.masked_name = dossier::MaskName(row->applicant_name);
  if (const auto* u = units_.Tree()->Find(row->receiving_unit_id))
    out.receiving_unit_name = u->name;
  out.submitted_at = row->submitted_at;
  out.accepted_at = row->accepted_at;
  out.due_at = row->apology_due_at ? row->apology_due_at : row->due_at;
  out.finished_at = row->finished_at;
  out.returned_at = row->returned_at;
  out.pending_request = std::move(row->pending_request);
  out.rating_level = row->rating_level;
  out.can_rate = !row->rating_level && Rateable(row->terminal, row->national_status);
  out.steps.reserve(steps.size());
  for (auto& s : steps) {
    LookupResult::Step step;
    name_of(s.state, step.state_name, step.state_name_en);
    step.started_at = s.started_at;
    step.finished_at = s.finished_at;
    out.steps.push_back(std::move(step));
  }
  return out;
}

}  // namespace motcua::dossiers
