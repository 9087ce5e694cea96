// Use cases on dossiers (hồ sơ): submission online and intake at a counter,
// every workflow action, apologies, inboxes, the citizen's own list, the
// detail view with its history and process control sheet, and the public
// lookup (docs/dossiers.md).
//
// Writes run as one Store::Write callback each: the dossier row, its steps,
// its attachments and the hash-chained event are written in the same
// transaction, and `done` is called once the commit is durable. Two actions
// on one dossier are serialised by the writer; a request that names the
// version it saw and finds another gets kAborted (409) with the current
// state and version in the error's fields.
//
// Who may do what:
// - a citizen sees and acts on (as the workflow allows) only the dossiers of
//   their own account;
// - staff roles act where a binding covers the dossier's current unit; the
//   one-stop officer role also at the unit that received the dossier (the
//   counter hands over supplements, results and withdrawals);
// - staff see a dossier when one of their bindings covers its current unit,
//   its receiving unit or a unit of one of its steps; anyone else is told
//   kNotFound, as for a dossier that does not exist.
// Every unmasked read of the applicant's data is recorded in the access log
// before it is returned (audit::AccessLog).
//
// Thread safety: every method may be called from any thread. The callbacks
// of the asynchronous methods run on the store's completion thread
// (Store::Write): they should be quick and must not call WriteSync.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "core/accounts/principal.hpp"
#include "core/calendar/working_time.hpp"
#include "core/dossier/applicant.hpp"
#include "core/dossier/deadline.hpp"
#include "core/dossier/event_payloads.hpp"
#include "core/dossier/lifecycle.hpp"
#include "core/dossier/lookup_secret.hpp"
#include "core/workflow/registry.hpp"
#include "services/accounts/rate_limiter.hpp"
#include "services/audit/access_log.hpp"
#include "services/catalog/catalog_service.hpp"
#include "services/dossiers/event_sink.hpp"
#include "services/units/unit_service.hpp"
#include "storage/dossiers_repo.hpp"
#include "storage/store.hpp"

namespace motcua::dossiers {

using storage::dossiers::DossierRow;
using storage::dossiers::InboxCounts;
using storage::dossiers::StepRow;

enum class Channel { kCounter = 1, kOnline = 2, kPost = 3 };

// A file uploaded beforehand (services/attachments) for one component.
struct FileRef {
  std::string attachment_id;
  std::string component_code;
};

struct SubmitRequest {
  std::string procedure_code;
  std::int64_t unit_id = 0;  // the receiving unit (its one-stop counter)
  // Citizens always submit online; officers record counter (default) or post.
  std::optional<Channel> channel;
  dossier::Applicant applicant;
  std::vector<FileRef> files;
  // The applicant agreed to the processing of their data for this procedure
  // (Law 91/2025: explicit, never assumed). Required online; at a counter
  // the officer records that the applicant signed the consent.
  bool consent = false;
};

// Where a dossier filed on another system came from (ReceiveFromPartner).
struct PartnerOrigin {
  std::string source;      // "dvcqg"
  std::string source_ref;  // the partner's code for it (the portal's MaHoSo)
};

// One thing the citizen must supply (all of them in one request).
struct MissingItem {
  std::optional<std::string> component_code;  // a component of the procedure
  std::string description;                    // what is missing or wrong
};

struct ActRequest {
  std::string action;
  std::optional<std::int64_t> expected_version;
  std::string reason;                      // required by some actions
  std::vector<MissingItem> items;          // request for supplements only
  std::optional<std::int64_t> to_unit_id;  // transfers to a department or commune
  std::optional<std::int64_t> fee_vnd;     // request for payment; default the procedure's fees
  std::vector<FileRef> files;              // supplements and results
};

struct ApologyRequest {
  std::optional<std::int64_t> expected_version;
  TimePoint new_due_at{};
  std::string reason;
};

// An action the caller may take now.
struct AllowedAction {
  std::string id;
  std::string name;
  std::string name_en;
  bool requires_reason = false;
  bool requests_supplements = false;
  bool requests_payment = false;
  std::optional<std::string> transfer;  // unit kind: "department", ...
  // For an action that starts the clock (accepting): the appointment it
  // would set if taken now, with the procedure's 15:00 cut-off, so that the
  // officer can tell the citizen before confirming.
  std::optional<TimePoint> due_at;
};

// A dossier as a caller may see it. Personal data is masked unless the
// caller is allowed to see it and `unmasked` says so.
struct DossierView {
  DossierRow row;  // applicant fields masked when !unmasked
  bool unmasked = false;
  std::string procedure_name;
  std::string procedure_name_en;
  int procedure_version = 0;
  std::string state_name;
  std::string state_name_en;
  std::string receiving_unit_name;
  std::string current_unit_name;
  std::optional<dossier::Urgency> urgency;  // open dossiers with an appointment
  std::optional<Micros> working_time_left;  // until the appointment; negative when overdue
  Micros working_day{0};                    // one office day of the calendar, to read it in days
  std::vector<AllowedAction> actions;       // for the caller, now
};

struct HistoryEntry {
  std::int64_t seq = 0;
  TimePoint at{};
  std::optional<std::int64_t> actor_id;
  std::string actor_name;
  std::string action;
  std::optional<std::string> from_state;
  std::optional<std::string> to_state;
  dossier::EventPayload details;  // the event's payload, typed (core/dossier/event_payloads.hpp)
};

struct FileInfo {
  std::string id;
  std::string component_code;
  std::string name;
  std::string media_type;
  std::int64_t size = 0;
  std::string sha256;
  TimePoint uploaded_at{};
};

// How the citizen rated the handling of a dossier (đánh giá mức độ hài lòng).
enum class RatingLevel { kNotSatisfied = 1, kSatisfied = 2, kVerySatisfied = 3 };

struct RateRequest {
  int level = 0;        // a RatingLevel
  std::string comment;  // optional, at most 1,000 characters
};

struct Rating {
  int level = 0;
  std::string comment;
  TimePoint rated_at{};
};

// A letter to the citizen (forms 02-05 of Circular 03/2025) that an event
// of the dossier decided: 2 request for supplements (entering a state of
// national status 5), 3 refusal (status 3), 4 apology, 5 processing stopped
// (status 8); `event` is the last such entry of the history.
struct DecidedForm {
  int form = 0;
  std::size_t event = 0;
};

struct DossierDetail {
  DossierView view;
  std::vector<DecidedForm> forms;  // by form number, each once
  std::optional<Rating> rating;
  bool can_rate = false;              // the caller may rate it now (its owner, once it ended)
  std::vector<StepRow> steps;         // the process control sheet
  std::vector<HistoryEntry> history;  // every event, in order
  std::vector<FileInfo> files;
};

struct Submitted {
  DossierView view;
  std::string lookup_secret;  // printed on the receipt; never stored, never shown again
};

// The public lookup: nothing that identifies the applicant.
struct LookupResult {
  std::string number;
  // What the secret must hash to with the number (HashLookupSecret): lets a
  // cache of answers check a later secret without the database. Never shown.
  std::string lookup_hash;
  std::string procedure_name;
  std::string procedure_name_en;
  std::string state_name;
  std::string state_name_en;
  int national_status = 0;
  std::string masked_name;
  std::string receiving_unit_name;
  TimePoint submitted_at{};
  std::optional<TimePoint> accepted_at;
  std::optional<TimePoint> due_at;  // the appointment in force (an apology's, if any)
  std::optional<TimePoint> finished_at;
  std::optional<TimePoint> returned_at;
  std::optional<std::string> pending_request;  // what the citizen is asked for, JSON
  struct Step {
    std::string state_name;
    std::string state_name_en;
    TimePoint started_at{};
    std::optional<TimePoint> finished_at;
  };
  std::vector<Step> steps;
  std::optional<int> rating_level;  // the rating, if any (its comment is not public)
  bool can_rate = false;            // it ended and has no rating yet
};

struct InboxQuery {
  std::optional<std::string> state;
  std::optional<std::string> procedure_code;
  enum class Due { kAny, kOverdue, kNearing } due = Due::kAny;
  std::optional<std::string> search;  // a dossier number (prefix) or part of the applicant's name
  std::optional<std::string> cursor;  // from the previous page
  int limit = 20;                     // a screen of rows
};

struct InboxPage {
  std::vector<DossierView> items;  // masked, without actions
  std::optional<std::string> next_cursor;
  storage::dossiers::InboxCounts counts;
};

// A leader's watch over the units they answer for (issue 7).
struct WatchQuery {
  std::int64_t unit_id = 0;
  std::optional<std::string> procedure_code;
  InboxQuery::Due due = InboxQuery::Due::kAny;
  std::optional<std::string> cursor;
  int limit = 20;
};

struct WatchItem {
  DossierView view;  // masked, without actions
  std::optional<storage::dossiers::StepInfo> step;
  std::string step_state_name, step_state_name_en, step_unit_name;
};

struct WatchPage {
  std::vector<WatchItem> items;
  std::optional<std::string> next_cursor;
  storage::dossiers::InboxCounts counts;  // of the units and procedure, whatever `due`
};

struct CitizenPage {
  std::vector<DossierView> items;  // masked, without actions
  std::optional<std::int64_t> next_before;
};

// Why a read of personal data happens, for the access log.
using ReadContext = audit::ReadContext;

// When a dossier counts as nearing its appointment: one working day of
// office hours left (DOMAIN.md: 07:30-11:30, 13:30-17:00 is 7.5 hours).
struct DossierOptions {
  std::optional<Micros> nearing;  // default: the office hours' day length
  int max_limit = 100;            // largest page of an inbox or a list
  // Submissions per account in any 10 minutes (issue 19: one counter
  // account created 100,002 dossiers in 10 s). A citizen files a few a day;
  // an officer at a busy counter receives one every minute or two, and 300
  // leaves room for a queue scanned in at once.
  int citizen_submissions_per_10_minutes = 30;
  int staff_submissions_per_10_minutes = 300;
  // Per receiving unit in a clock hour: the busiest, a province's centre
  // after Tết (12 k a day times 5, DOMAIN.md 9), needs some 8 k. A day then
  // numbers at most 24 times this, far below kMaxDossierSequence, so the
  // numbers of a day cannot run out (the constructor checks it).
  int submissions_per_unit_hour = 30'000;
};

// Version `id` of procedure `code` (the one a dossier was submitted under),
// or nullptr.
const catalog::Procedure* FindVersionById(const catalog::Catalog& c, std::string_view code,
                                          std::int64_t id);

class DossierService {
 public:
  // Everything must outlive the service. `random` fills bytes for lookup
  // secrets (OpenSSL's RAND_bytes in production).
  DossierService(storage::Store& store, const Clock& clock, const calendar::WorkingCalendar& cal,
                 const catalog::CatalogService& catalog, const workflow::Registry& workflows,
                 const units::UnitService& units, const accounts::UnitHierarchy& hierarchy,
                 audit::AccessLog& access_log, dossier::RandomBytes random,
                 DossierOptions options = {});

  using SubmitDone = std::function<void(Result<Submitted>)>;
  using ViewDone = std::function<void(Result<DossierView>)>;
  using DetailDone = std::function<void(Result<DossierDetail>)>;

  // Creates a dossier in its workflow's initial state with its number and
  // lookup secret. Errors: kInvalidArgument naming each bad field
  // ("applicant.phone", "files[1].attachment_id", "consent", "unit_id");
  // kPermissionDenied for a caller who is neither a citizen nor an officer
  // of the receiving unit; kFailedPrecondition for a procedure not in force
  // or not available online, or a unit that does not receive it.
  void Submit(const accounts::Principal& who, SubmitRequest request, SubmitDone done);

  // A dossier filed on a partner system (the national portal) and handed to
  // this province: the same intake as a citizen's online submission (the
  // catalogue, the receiving unit, every required component with its file,
  // consent), entering the workflow's initial state on the online channel,
  // with its source and the partner's code kept. `system` is the partner's
  // system account (it holds no role; it is the dossier's creator and owns
  // the staged files). `also` runs in the same transaction once the dossier
  // is inserted (the inbound log). The submission limits do not apply: the
  // partner is one account for a whole province. Errors: as Submit;
  // kAlreadyExists (field "source_ref") when the partner's code was received
  // before.
  using AlsoInTx = std::function<Status(storage::Tx&, const DossierRow&)>;
  void ReceiveFromPartner(const accounts::Principal& system, SubmitRequest request,
                          PartnerOrigin origin, AlsoInTx also, SubmitDone done);

  // Takes a workflow action. Errors: kNotFound (no such dossier, or not
  // visible to the caller); kInvalidArgument naming the field (a missing
  // reason, items, an unknown unit); kPermissionDenied (the caller's roles
  // may not take it); kFailedPrecondition (not allowed in the current
  // state); kAborted (expected_version is stale).
  void Act(const accounts::Principal& who, std::int64_t id, ActRequest request, ViewDone done);

  // Records an apology with a new appointment (form 04), only before the
  // appointment in force. Errors as Act, and kInvalidArgument ("new_due_at")
  // for a date not after the current appointment.
  void Apologize(const accounts::Principal& who, std::int64_t id, ApologyRequest request,
                 ViewDone done);

  // Records how the dossier's handling was rated, once it has ended (a
  // result returned, a refusal, processing stopped; not a withdrawal), and
  // once only: the rating row and a "rated" event with the level (the
  // comment stays out of the event log, which statistics read). Rate is for
  // the owner's account; RateByLookup for whoever holds the receipt (a
  // dossier received at a counter may have no account). Errors: kNotFound
  // (no dossier, not visible, wrong number or code); kPermissionDenied (a
  // caller who does not own it); kInvalidArgument ("level", "comment",
  // "number", "secret"); kFailedPrecondition (not ended, withdrawn);
  // kAlreadyExists (rated before).
  using RatingDone = std::function<void(Result<Rating>)>;
  void Rate(const accounts::Principal& who, std::int64_t id, RateRequest request, RatingDone done);
  void RateByLookup(std::string number, std::string secret, RateRequest request, RatingDone done);

  // The whole dossier, unmasked, once the read is in the access log.
  void Get(const accounts::Principal& who, std::int64_t id, ReadContext context, DetailDone done);

  // The caller's inbox: open dossiers of their units in a state where one of
  // their roles can act, by appointment. Errors: kInvalidArgument ("cursor",
  // "limit"); kPermissionDenied for a caller with no staff role.
  [[nodiscard]] Result<InboxPage> Inbox(const accounts::Principal& who,
                                        const InboxQuery& query) const;
  // The open dossiers with an appointment now at `unit_id` or a unit below
  // it, the most overdue first, each with its current step: its state, its
  // unit, since when, and who handed the dossier to it (the one answering
  // for it now). For staff of the unit or of one above it. Errors:
  // kPermissionDenied; kNotFound for an unknown unit; kInvalidArgument
  // naming "limit" or "cursor".
  [[nodiscard]] Result<WatchPage> Watch(const accounts::Principal& who,
                                        const WatchQuery& query) const;

  // A citizen's own dossiers, newest first.
  [[nodiscard]] Result<CitizenPage> Mine(const accounts::Principal& who, std::int64_t before_id,
                                         int limit) const;

  // The public lookup by number and secret. Errors: kNotFound for an unknown
  // number or a wrong secret alike (nothing tells them apart);
  // kInvalidArgument naming "number" or "secret" when malformed.
  [[nodiscard]] Result<LookupResult> Lookup(std::string_view number, std::string_view secret) const;

  // Called after the commit of every change to a dossier made through
  // Submit, Act and Apologize, on the store's completion thread (so: quick,
  // and never WriteSync). For caches of what dossiers look like, and for
  // live views. Add listeners before serving; not thread safe with calls.
  using ChangeListener = std::function<void(std::int64_t id, const std::string& number)>;
  void AddChangeListener(ChangeListener listener) { listeners_.push_back(std::move(listener)); }

  // Told of every dossier event inside its transaction (event_sink.hpp; the
  // integration spine's outbox). Set before serving; null (the default)
  // derives nothing.
  void SetEventSink(DossierEventSink* sink) { sink_ = sink; }

  // Appends an event of dossier `row` (as the event leaves it) to the event
  // log and tells the sink, in the caller's write transaction: the one way
  // a dossier event is written (the result service's too). Errors: those
  // of AppendEvent and of the sink.
  [[nodiscard]] Result<events::Event> AppendDossierEvent(storage::Tx& tx, const DossierRow& row,
                                                         events::NewEvent event) const;

  // Is `secret` (as typed) the lookup code of dossier `id`? False for an
  // unknown dossier or a malformed code. For documents that print the code
  // (the receipt), asked by whoever holds it since submission.
  [[nodiscard]] Result<bool> IsLookupSecret(std::int64_t id, std::string_view secret) const;

  // For the attachment store: may `who` read the files of this dossier?
  [[nodiscard]] Result<bool> CanSee(const accounts::Principal& who, std::int64_t dossier_id) const;
  // The same, for a read of one of its files through `context`: when it may,
  // the read is in the personal-data access log before this returns (the
  // dossier's citizen as "data_subject", anyone else "processing").
  [[nodiscard]] Result<bool> MayReadFiles(const accounts::Principal& who, std::int64_t dossier_id,
                                          const ReadContext& context) const;
  // The dossier's personal-data access log (newest first) for whoever may see
  // the dossier; nullopt for anyone else. Who read it is personal data too,
  // so this read is logged first, as MayReadFiles logs a file's.
  [[nodiscard]] Result<std::optional<std::vector<audit::AccessEntry>>> AccessLogOf(
      const accounts::Principal& who, std::int64_t dossier_id, const ReadContext& context) const;

  // For services beside this one (the signed result): the dossier's row and
  // the roles `who` holds on it now (as for workflow actions: at its current
  // unit, an officer also at the receiving unit; the citizen who owns it),
  // read in `tx`. nullopt for no dossier or one `who` may not see.
  struct Standing {
    DossierRow row;
    workflow::RoleSet roles;
  };
  [[nodiscard]] Result<std::optional<Standing>> StandingIn(storage::Tx& tx,
                                                           const accounts::Principal& who,
                                                           std::int64_t id) const;

  // The same rules inside the caller's write callback, at a given moment:
  // for bulk loading (the benchmark's generator, imports from the national
  // portal) where many dossiers go into one transaction. `secret` is the
  // lookup secret to give the dossier.
  [[nodiscard]] Result<Submitted> SubmitIn(storage::Tx& tx, const accounts::Principal& who,
                                           const SubmitRequest& request, TimePoint now,
                                           const std::string& secret) const;
  [[nodiscard]] Result<DossierView> ActIn(storage::Tx& tx, const accounts::Principal& who,
                                          std::int64_t id, const ActRequest& request,
                                          TimePoint now) const;

  const calendar::WorkingCalendar& calendar() const { return cal_; }

 private:
  struct Context;
  Result<DossierView> MakeView(const accounts::Principal* who, DossierRow row, bool unmasked,
                               TimePoint now) const;
  workflow::RoleSet RolesOn(const accounts::Principal& who, const DossierRow& row) const;
  bool SeesByUnit(const accounts::Principal& who, const DossierRow& row) const;
  // The owner, or staff covering its current, receiving or a step's unit.
  bool Sees(const accounts::Principal& who, const DossierRow& row,
            const std::vector<StepRow>& steps) const;

  storage::Store& store_;
  const Clock& clock_;
  const calendar::WorkingCalendar& cal_;
  const catalog::CatalogService& catalog_;
  const workflow::Registry& workflows_;
  const units::UnitService& units_;
  const accounts::UnitHierarchy& hierarchy_;
  audit::AccessLog& access_log_;
  dossier::RandomBytes random_;
  DossierOptions options_;
  std::vector<ChangeListener> listeners_;
  DossierEventSink* sink_ = nullptr;

  // The submission limits (DossierOptions): per account, and per receiving
  // unit and clock hour (a count, not a list of times: bounded by the units).
  // Submit takes a place in both, and gives it back if the write fails.
  accounts::SlidingWindowLimiter citizen_submissions_, staff_submissions_;
  std::mutex unit_submissions_mu_;
  std::unordered_map<std::int64_t, std::pair<std::int64_t, int>> unit_submissions_;  // hour, count
  Status TakeSubmissionPlace(const accounts::Principal& who, std::int64_t unit, TimePoint now);
  void GiveBackSubmissionPlace(const accounts::Principal& who, std::int64_t unit, TimePoint at);

  // The rows the write callbacks wrote last, so that the next action on a
  // dossier reads one column (its version) instead of the whole row. A copy
  // is used only if the stored version is still its version: rolled-back
  // savepoints, failed commits and other processes' writes all show as a
  // different version. Bounded; any thread (a PostgreSQL writer pool).
  struct RowCache {
    static constexpr std::size_t kMaxRows = 20'000;
    std::mutex mu;
    std::unordered_map<std::int64_t, DossierRow> rows;
  };
  mutable RowCache row_cache_;
  Result<std::optional<DossierRow>> LoadForWrite(storage::Tx& tx, std::int64_t id) const;

  // A submission checked against everything in memory (applicant, unit,
  // procedure, workflow, files), ready to be numbered and stored.
  struct Prepared {
    DossierRow row;
    std::string agency_code;  // of the receiving unit, for the number
  };
  // `origin`: a partner's dossier (ReceiveFromPartner): no role is asked of
  // `who`, and the channel is online.
  Result<Prepared> PrepareSubmission(const accounts::Principal& who, const SubmitRequest& request,
                                     TimePoint now, const PartnerOrigin* origin = nullptr) const;
  Result<Submitted> InsertSubmission(storage::Tx& tx, const accounts::Principal& who,
                                     Prepared prepared, const std::vector<FileRef>& files,
                                     TimePoint now, const std::string& secret) const;
  // `who` is null for a rating made with the receipt's code.
  Result<Rating> RateIn(storage::Tx& tx, const accounts::Principal* who, const DossierRow& row,
                        const RateRequest& request, TimePoint now) const;
  Result<DossierView> ApologizeIn(storage::Tx& tx, const accounts::Principal& who, std::int64_t id,
                                  const ApologyRequest& request, TimePoint now) const;
  void Remember(const DossierRow& row) const;
  void Notify(std::int64_t id, const std::string& number) const {
    for (const auto& l : listeners_) l(id, number);
  }
};

}  // namespace motcua::dossiers
