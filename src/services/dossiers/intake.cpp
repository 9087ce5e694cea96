// Intake: a dossier submitted online or received at a counter.
#include <algorithm>

#include "core/calendar/date.hpp"
#include "core/catalog/text.hpp"
#include "core/dossier/dossier_number.hpp"
#include "core/dossier/event_payloads.hpp"
#include "core/dossier/lookup_secret.hpp"
#include "core/events/event.hpp"
#include "services/dossiers/dossier_service.hpp"
#include "services/dossiers/internal/helpers.hpp"
#include "storage/dossier_numbers_repo.hpp"
#include "storage/events_repo.hpp"

namespace motcua::dossiers {

// The use cases share the helpers of internal/ (a namespace private to services/dossiers).
using namespace internal;  // NOLINT(google-build-using-namespace)

Result<DossierService::Prepared> DossierService::PrepareSubmission(
    const Principal& who, const SubmitRequest& req, TimePoint now,
    const PartnerOrigin* origin) const {
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

  const bool is_officer = origin == nullptr && who.HasRoleAt(Role::kOfficer, unit->id, hierarchy_);
  const bool is_citizen = origin == nullptr && !is_officer && who.HasRole(Role::kCitizen);
  if (origin == nullptr && !is_officer && !is_citizen)
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
  if (origin != nullptr) {
    row.source = origin->source;
    row.source_ref = origin->source_ref;
  }
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
  MOTCUA_TRY(AppendDossierEvent(
      tx, row,
      events::NewEvent{std::string(kAggregate), row.id, now, who.user_id, "submit", std::nullopt,
                       row.state, dossier::ToJson(payload)}));
  auto view = MOTCUA_TRY(MakeView(&who, std::move(row), true, now));
  return Submitted{std::move(view), secret};
}

Result<Submitted> DossierService::SubmitIn(Tx& tx, const Principal& who, const SubmitRequest& req,
                                           TimePoint now, const std::string& secret) const {
  auto prepared = MOTCUA_TRY(PrepareSubmission(who, req, now));
  return InsertSubmission(tx, who, std::move(prepared), req.files, now, secret);
}

namespace {

bool IsStaffAccount(const Principal& who) {
  return std::any_of(who.roles.begin(), who.roles.end(),
                     [](const accounts::RoleBinding& b) { return IsStaff(b.role); });
}

std::int64_t HourOf(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::hours>(t.time_since_epoch()).count();
}

}  // namespace

Status DossierService::TakeSubmissionPlace(const Principal& who, std::int64_t unit, TimePoint now) {
  const bool staff = IsStaffAccount(who);
  auto& per_account = staff ? staff_submissions_ : citizen_submissions_;
  const std::string key = std::to_string(who.user_id);
  if (auto wait = per_account.TryAcquire(key, now)) {
    const int most = staff ? options_.staff_submissions_per_10_minutes
                           : options_.citizen_submissions_per_10_minutes;
    Error e{Code::kResourceExhausted,
            "too many dossiers submitted from this account: at most " + std::to_string(most) +
                " in 10 minutes",
            {}};
    e.retry_after =
        std::chrono::duration_cast<std::chrono::seconds>(*wait) + std::chrono::seconds(1);
    return Fail(std::move(e).With(
        "submissions", "at most " + std::to_string(most) + " in 10 minutes from one account"));
  }
  std::lock_guard lock(unit_submissions_mu_);
  auto& [hour, count] = unit_submissions_[unit];
  if (hour != HourOf(now)) {
    hour = HourOf(now);
    count = 0;
  }
  if (count >= options_.submissions_per_unit_hour) {
    per_account.Release(key, now);
    Error e{Code::kResourceExhausted,
            "this unit has received " + std::to_string(count) +
                " dossiers in this hour, its limit; try again next hour",
            {}};
    e.retry_after = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::hours(hour + 1) -
                                                                     now.time_since_epoch());
    return Fail(std::move(e).With("unit_id", "has received its most dossiers for this hour"));
  }
  ++count;
  return {};
}

void DossierService::GiveBackSubmissionPlace(const Principal& who, std::int64_t unit,
                                             TimePoint at) {
  (IsStaffAccount(who) ? staff_submissions_ : citizen_submissions_)
      .Release(std::to_string(who.user_id), at);
  std::lock_guard lock(unit_submissions_mu_);
  if (auto it = unit_submissions_.find(unit);
      it != unit_submissions_.end() && it->second.first == HourOf(at) && it->second.second > 0)
    --it->second.second;
}

void DossierService::Submit(const Principal& who, SubmitRequest req, SubmitDone done) {
  const TimePoint now = clock_.Now();
  auto secret = dossier::GenerateLookupSecret(random_);
  if (!secret) return done(std::unexpected(secret.error()));
  // Everything that needs no database is checked here, on the caller's
  // thread: the writer only numbers and stores.
  auto prepared = PrepareSubmission(who, req, now);
  if (!prepared) return done(std::unexpected(prepared.error()));
  const std::int64_t unit = prepared->row.receiving_unit_id;
  if (auto st = TakeSubmissionPlace(who, unit, now); !st) return done(std::unexpected(st.error()));
  // A submission that is not stored does not count.
  SubmitDone answer = [this, who, unit, now, done = std::move(done)](Result<Submitted> r) {
    if (!r) GiveBackSubmissionPlace(who, unit, now);
    done(std::move(r));
  };
  WriteThenAnswer<Submitted>(
      store_,
      [this, who, prepared = std::move(*prepared), files = std::move(req.files), now,
       secret = *secret](Tx& tx) {
        return InsertSubmission(tx, who, prepared, files, now, secret);
      },
      std::move(answer), [this](const Submitted& s) { Notify(s.view.row.id, s.view.row.number); });
}

void DossierService::ReceiveFromPartner(const Principal& system, SubmitRequest req,
                                        PartnerOrigin origin, AlsoInTx also, SubmitDone done) {
  const TimePoint now = clock_.Now();
  auto secret = dossier::GenerateLookupSecret(random_);
  if (!secret) return done(std::unexpected(secret.error()));
  req.channel = Channel::kOnline;
  auto prepared = PrepareSubmission(system, req, now, &origin);
  if (!prepared) return done(std::unexpected(prepared.error()));
  WriteThenAnswer<Submitted>(
      store_,
      [this, system, prepared = std::move(*prepared), files = std::move(req.files), now,
       secret = *secret, origin = std::move(origin),
       also = std::move(also)](Tx& tx) -> Result<Submitted> {
        // Once per code: the unique index (source, source_ref) backs this
        // for another process on the same database.
        auto held =
            MOTCUA_TRY(tx.Query("SELECT number FROM dossiers WHERE source = $1 AND source_ref = $2",
                                {origin.source, origin.source_ref}));
        if (!held.empty())
          return Fail(Error{
              Code::kAlreadyExists,
              "the partner's dossier " + origin.source_ref + " was received as " + held[0].Text(0),
              {{"source_ref", "received before"}}});
        auto made = MOTCUA_TRY(InsertSubmission(tx, system, prepared, files, now, secret));
        if (also) MOTCUA_TRY_VOID(also(tx, made.view.row));
        return made;
      },
      std::move(done), [this](const Submitted& s) { Notify(s.view.row.id, s.view.row.number); });
}

}  // namespace motcua::dossiers
