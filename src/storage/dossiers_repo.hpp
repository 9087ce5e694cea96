// Rows of the dossiers and dossier_steps tables (migration 0006_dossiers.sql)
// and the SQL that reads and writes them. services/dossiers owns the rules,
// the events and the transactions; these functions only run statements.
//
// Thread safety: as the Tx they are given (one thread, inside the callback).
// Errors: those of Tx (kAlreadyExists for a taken number, kFailedPrecondition
// for a unit, user or procedure that does not exist), and kInternal for a row
// that cannot be read back (a corrupt time).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "storage/store.hpp"

namespace motcua::storage::dossiers {

struct DossierRow {
  std::int64_t id = 0;  // assigned by Insert
  std::string number;
  std::string lookup_hash;
  std::int64_t procedure_id = 0;
  std::string procedure_code;
  std::string workflow_code;
  int workflow_version = 0;
  std::string state;
  int national_status = 1;
  std::string clock = "stopped";  // running, paused, stopped
  bool terminal = false;
  std::int64_t acting_roles = 0;
  int channel = 2;
  std::string applicant_name;
  std::string applicant_name_key;
  std::string applicant_id_number;
  std::string applicant_phone;
  std::string applicant_email;
  std::string applicant_address;
  std::optional<std::int64_t> citizen_user_id;
  std::int64_t created_by = 0;
  std::int64_t receiving_unit_id = 0;
  std::int64_t current_unit_id = 0;
  TimePoint submitted_at{};
  std::optional<TimePoint> accepted_at;
  std::optional<TimePoint> clock_start;
  std::optional<TimePoint> due_at;
  std::optional<TimePoint> apology_due_at;
  int apologies = 0;
  std::optional<TimePoint> paused_at;
  std::int64_t paused_micros = 0;
  int supplement_count = 0;
  int step = 0;
  std::optional<TimePoint> step_due_at;
  std::optional<TimePoint> finished_at;
  std::optional<TimePoint> returned_at;
  std::optional<std::string> timeliness;
  std::int64_t fee_vnd = 0;
  std::optional<TimePoint> paid_at;
  std::optional<std::string> pending_request;  // JSON object
  TimePoint queue_at{};
  std::int64_t version = 1;
  TimePoint updated_at{};
  // A dossier filed on another system (the national portal: "dvcqg") and
  // that system's code for it; unique together (0012_integrations.sql).
  std::optional<std::string> source;
  std::optional<std::string> source_ref;
};

struct StepRow {
  std::int64_t dossier_id = 0;
  int step = 0;
  std::string action;
  std::string state;
  std::int64_t from_unit_id = 0;
  std::int64_t unit_id = 0;
  std::optional<std::int64_t> handed_by;
  TimePoint started_at{};
  std::optional<TimePoint> due_at;
  std::optional<TimePoint> finished_at;
  std::optional<std::int64_t> finished_by;
  std::optional<std::string> finish_action;
  std::optional<std::string> timeliness;
};

// Stores `row` (row.id is ignored); returns its id.
[[nodiscard]] Result<std::int64_t> Insert(Tx& tx, const DossierRow& row);
[[nodiscard]] Result<std::optional<DossierRow>> Find(Tx& tx, std::int64_t id);
// The stored version of a dossier (nullopt: no such dossier): one indexed
// column, for callers that hold a copy of the row and want to know if it is
// still current.
[[nodiscard]] Result<std::optional<std::int64_t>> FindVersion(Tx& tx, std::int64_t id);
[[nodiscard]] Result<std::optional<DossierRow>> FindByNumber(Tx& tx, std::string_view number);
// Writes every mutable column of `row` if the stored version is
// `expected_version`, setting version to row.version. Errors: kAborted if no
// row was written (another change came first, or no such dossier). Sent
// (Tx::Send): the error may come from the caller's next statement.
[[nodiscard]] Status Update(Tx& tx, const DossierRow& row, std::int64_t expected_version);

// Sent (Tx::Send), as CloseStep.
[[nodiscard]] Status InsertStep(Tx& tx, const StepRow& step);
// Ends the open step `step` of a dossier (kInternal if it has none open).
[[nodiscard]] Status CloseStep(Tx& tx, std::int64_t dossier_id, int step, TimePoint finished_at,
                               std::optional<std::int64_t> finished_by, std::string_view action,
                               std::optional<std::string_view> timeliness);
[[nodiscard]] Result<std::vector<StepRow>> ListSteps(Tx& tx, std::int64_t dossier_id);

// Some units and the roles (a bit mask of accounts::Role) that a caller holds
// on all of them.
struct UnitScope {
  std::vector<std::int64_t> units;
  std::int64_t roles = 0;
};

struct InboxFilter {
  std::vector<UnitScope> scopes;  // the dossiers of these units where these roles can act
  std::optional<std::string> state;
  std::optional<std::string> procedure_code;
  // Running clock and due before this moment (overdue), or due in
  // [overdue_before, nearing_before) (nearing). Set by the service from now.
  std::optional<TimePoint> due_before;
  std::optional<TimePoint> due_from;
  std::optional<std::string> number_prefix;
  std::optional<std::string> name_key;  // substring of applicant_name_key
  // Cursor: rows strictly after (queue_at, id).
  std::optional<std::pair<TimePoint, std::int64_t>> after;
  int limit = 50;
};

// Open dossiers matching `filter` in inbox order (queue_at, id).
[[nodiscard]] Result<std::vector<DossierRow>> Inbox(Tx& tx, const InboxFilter& filter);

struct InboxCounts {
  std::int64_t total = 0;
  std::int64_t overdue = 0;
  std::int64_t nearing = 0;
  std::int64_t paused = 0;  // waiting for the citizen
};
// Counts over the scopes of `filter` only (its other conditions are
// ignored): every open dossier the caller can act on, how many are past
// `now`, and how many are due before `nearing_before`.
[[nodiscard]] Result<InboxCounts> CountInbox(Tx& tx, const std::vector<UnitScope>& scopes,
                                             TimePoint now, TimePoint nearing_before);

// A leader's watch (issue 7): the open dossiers with an appointment now at
// any of `units`, by appointment (due_at, id).
struct WatchFilter {
  std::vector<std::int64_t> units;
  std::optional<std::string> procedure_code;
  std::optional<TimePoint> due_before;  // overdue: due before now
  std::optional<TimePoint> due_from;    // nearing: with due_before, due in [due_from, due_before)
  std::optional<std::pair<TimePoint, std::int64_t>> after;  // cursor: strictly after (due_at, id)
  int limit = 50;
};
[[nodiscard]] Result<std::vector<DossierRow>> Watch(Tx& tx, const WatchFilter& filter);
// Over the units and procedure of `filter` (not its due or cursor): how
// many, how many past `now`, how many due before `nearing_before`.
[[nodiscard]] Result<InboxCounts> CountWatch(Tx& tx, const WatchFilter& filter, TimePoint now,
                                             TimePoint nearing_before);

// A dossier's current step: its state, unit, since when, its budget's end,
// and who handed the dossier to it.
struct StepInfo {
  std::string state;
  std::int64_t unit_id = 0;
  TimePoint started_at{};
  std::optional<TimePoint> due_at;
  std::optional<std::int64_t> handed_by;
  std::string handed_by_name;
};
[[nodiscard]] Result<std::optional<StepInfo>> FindStep(Tx& tx, std::int64_t dossier_id,
                                                       std::int64_t step);

// What the public lookup reads: the few columns it shows, in one indexed
// read (the lookup is the most frequent request of all).
struct PublicRow {
  std::int64_t id = 0;
  std::string number;
  std::string lookup_hash;
  std::string procedure_code;
  std::int64_t procedure_id = 0;
  std::string workflow_code;
  int workflow_version = 0;
  std::string state;
  int national_status = 0;
  std::string applicant_name;
  std::int64_t receiving_unit_id = 0;
  TimePoint submitted_at{};
  std::optional<TimePoint> accepted_at;
  std::optional<TimePoint> due_at;
  std::optional<TimePoint> apology_due_at;
  std::optional<TimePoint> finished_at;
  std::optional<TimePoint> returned_at;
  std::optional<std::string> pending_request;
  bool terminal = false;
  std::optional<int> rating_level;  // how the citizen rated it, if they did
};
[[nodiscard]] Result<std::optional<PublicRow>> FindPublic(Tx& tx, std::string_view number);

struct StepTimes {
  std::string state;
  TimePoint started_at{};
  std::optional<TimePoint> finished_at;
};
// The steps of a dossier, in order, with only their state and times.
[[nodiscard]] Result<std::vector<StepTimes>> ListStepTimes(Tx& tx, std::int64_t dossier_id);

// A row of dossier_ratings (migration 0008_ratings.sql).
struct RatingRow {
  std::int64_t dossier_id = 0;
  int level = 0;  // 1 not satisfied, 2 satisfied, 3 very satisfied
  std::string comment;
  std::optional<std::int64_t> rated_by;  // NULL: rated with the receipt's code
  TimePoint rated_at{};
};
// Errors: kAlreadyExists if the dossier has a rating.
[[nodiscard]] Status InsertRating(Tx& tx, const RatingRow& rating);
[[nodiscard]] Result<std::optional<RatingRow>> FindRating(Tx& tx, std::int64_t dossier_id);

// A citizen's dossiers, newest first, with id below `before_id` (0: from the newest).
[[nodiscard]] Result<std::vector<DossierRow>> ListForCitizen(Tx& tx, std::int64_t citizen_user_id,
                                                             std::int64_t before_id, int limit);

}  // namespace motcua::storage::dossiers
