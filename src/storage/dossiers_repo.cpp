#include "storage/dossiers_repo.hpp"

#include "storage/accounts_repo.hpp"

namespace motcua::storage::dossiers {
namespace {

using storage::accounts::FormatTime;
using storage::accounts::ParseTime;

// The columns in the order FromRow reads them (id first, then the insert
// order of Insert).
const std::string kColumns =
    "id, number, lookup_hash, procedure_id, procedure_code, workflow_code, workflow_version, "
    "state, national_status, clock, terminal, acting_roles, channel, applicant_name, "
    "applicant_name_key, applicant_id_number, applicant_phone, applicant_email, "
    "applicant_address, citizen_user_id, created_by, receiving_unit_id, current_unit_id, "
    "submitted_at, accepted_at, clock_start, due_at, apology_due_at, apologies, paused_at, "
    "paused_micros, supplement_count, step, step_due_at, finished_at, returned_at, timeliness, "
    "fee_vnd, paid_at, pending_request, queue_at, version, updated_at, source, source_ref";

Value Opt(const std::optional<TimePoint>& t) { return t ? Value(FormatTime(*t)) : Value(Null{}); }
Value Opt(const std::optional<std::string>& s) { return s ? Value(*s) : Value(Null{}); }
Value Opt(const std::optional<std::int64_t>& n) { return n ? Value(*n) : Value(Null{}); }

// Parameters one by one: GCC 12 reports a false "may be used uninitialized"
// for long braced lists of variants (GCC bug 105562).
template <class... T>
Params Bind(T&&... values) {
  Params p;
  p.reserve(sizeof...(values));
  (p.push_back(Value(std::forward<T>(values))), ...);
  return p;
}

// Reads time columns, remembering whether any was unreadable.
struct Reader {
  const Row& r;
  bool ok = true;
  TimePoint Time(std::size_t i) {
    auto t = ParseTime(r.Text(i));
    if (!t) ok = false;
    return t.value_or(TimePoint{});
  }
  std::optional<TimePoint> OptTime(std::size_t i) {
    if (r.IsNull(i)) return std::nullopt;
    return Time(i);
  }
};

Result<DossierRow> FromRow(const Row& r) {
  DossierRow d;
  Reader in{r};
  d.id = r.Int(0);
  d.number = r.Text(1);
  d.lookup_hash = r.Text(2);
  d.procedure_id = r.Int(3);
  d.procedure_code = r.Text(4);
  d.workflow_code = r.Text(5);
  d.workflow_version = static_cast<int>(r.Int(6));
  d.state = r.Text(7);
  d.national_status = static_cast<int>(r.Int(8));
  d.clock = r.Text(9);
  d.terminal = r.Int(10) != 0;
  d.acting_roles = r.Int(11);
  d.channel = static_cast<int>(r.Int(12));
  d.applicant_name = r.Text(13);
  d.applicant_name_key = r.Text(14);
  d.applicant_id_number = r.Text(15);
  d.applicant_phone = r.Text(16);
  d.applicant_email = r.Text(17);
  d.applicant_address = r.Text(18);
  d.citizen_user_id = r.OptInt(19);
  d.created_by = r.Int(20);
  d.receiving_unit_id = r.Int(21);
  d.current_unit_id = r.Int(22);
  d.submitted_at = in.Time(23);
  d.accepted_at = in.OptTime(24);
  d.clock_start = in.OptTime(25);
  d.due_at = in.OptTime(26);
  d.apology_due_at = in.OptTime(27);
  d.apologies = static_cast<int>(r.Int(28));
  d.paused_at = in.OptTime(29);
  d.paused_micros = r.Int(30);
  d.supplement_count = static_cast<int>(r.Int(31));
  d.step = static_cast<int>(r.Int(32));
  d.step_due_at = in.OptTime(33);
  d.finished_at = in.OptTime(34);
  d.returned_at = in.OptTime(35);
  d.timeliness = r.OptText(36);
  d.fee_vnd = r.Int(37);
  d.paid_at = in.OptTime(38);
  d.pending_request = r.OptText(39);
  d.queue_at = in.Time(40);
  d.version = r.Int(41);
  d.updated_at = in.Time(42);
  d.source = r.OptText(43);
  d.source_ref = r.OptText(44);
  if (!in.ok)
    return Fail(Code::kInternal, "dossier " + std::to_string(d.id) + " has an unreadable time");
  return d;
}

Result<std::vector<DossierRow>> FromRows(const Rows& rows) {
  std::vector<DossierRow> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(MOTCUA_TRY(FromRow(r)));
  return out;
}

// The mutable columns, $2.. in this order; $1 is the id (Update) or unused.
Params MutableParams(const DossierRow& d) {
  return Bind(d.state, std::int64_t{d.national_status}, d.clock, std::int64_t{d.terminal ? 1 : 0},
              d.acting_roles, d.current_unit_id, Opt(d.accepted_at), Opt(d.clock_start),
              Opt(d.due_at), Opt(d.apology_due_at), std::int64_t{d.apologies}, Opt(d.paused_at),
              d.paused_micros, std::int64_t{d.supplement_count}, std::int64_t{d.step},
              Opt(d.step_due_at), Opt(d.finished_at), Opt(d.returned_at), Opt(d.timeliness),
              d.fee_vnd, Opt(d.paid_at), Opt(d.pending_request), FormatTime(d.queue_at), d.version,
              FormatTime(d.updated_at));
}

// Binds one more parameter and returns its placeholder. Not inlined: GCC 12
// then reports a false "may be used uninitialized" for the variant (bug
// 105562).
[[gnu::noinline]] std::string Next(Params& params, Value v) {
  params.push_back(std::move(v));
  return "$" + std::to_string(params.size());
}

// Appends "(current_unit_id IN (...) AND (acting_roles & R) <> 0) OR ..."
// for the scopes, one term per role bit, binding the units. The role bit is
// written into the SQL, not bound: a term spelled exactly as an index's WHERE
// clause (0006_dossiers.sql) lets SQLite read that role's inbox index alone.
void AppendScopes(std::string& sql, Params& params, const std::vector<UnitScope>& scopes) {
  sql += "(";
  bool first_term = true;
  for (const UnitScope& s : scopes) {
    if (s.units.empty()) continue;
    std::string units;
    for (std::size_t i = 0; i < s.units.size(); ++i) {
      if (i > 0) units += ", ";
      units += Next(params, s.units[i]);
    }
    for (int bit = 0; bit < 63; ++bit) {
      const std::int64_t mask = std::int64_t{1} << bit;
      if ((s.roles & mask) == 0) continue;
      if (!first_term) sql += " OR ";
      first_term = false;
      sql += "(current_unit_id IN (" + units + ") AND (acting_roles & " + std::to_string(mask) +
             ") <> 0)";
    }
  }
  if (first_term) sql += "0 = 1";  // no unit at all: nothing
  sql += ")";
}

}  // namespace

Result<std::int64_t> Insert(Tx& tx, const DossierRow& d) {
  Params p = Bind(d.number, d.lookup_hash, d.procedure_id, d.procedure_code, d.workflow_code,
                  std::int64_t{d.workflow_version}, std::int64_t{d.channel}, d.applicant_name,
                  d.applicant_name_key, d.applicant_id_number, d.applicant_phone, d.applicant_email,
                  d.applicant_address, Opt(d.citizen_user_id), d.created_by, d.receiving_unit_id,
                  FormatTime(d.submitted_at));
  Params m = MutableParams(d);
  p.insert(p.end(), m.begin(), m.end());
  p.push_back(Opt(d.source));
  p.push_back(Opt(d.source_ref));
  auto rows = MOTCUA_TRY(tx.Query(
      "INSERT INTO dossiers (number, lookup_hash, procedure_id, procedure_code, workflow_code, "
      "workflow_version, channel, applicant_name, applicant_name_key, applicant_id_number, "
      "applicant_phone, applicant_email, applicant_address, citizen_user_id, created_by, "
      "receiving_unit_id, submitted_at, "
      "state, national_status, clock, terminal, acting_roles, current_unit_id, accepted_at, "
      "clock_start, due_at, apology_due_at, apologies, paused_at, paused_micros, supplement_count, "
      "step, step_due_at, finished_at, returned_at, timeliness, fee_vnd, paid_at, pending_request, "
      "queue_at, version, updated_at, source, source_ref) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
      "$9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, "
      "$27, $28, $29, $30, $31, $32, $33, $34, $35, $36, $37, $38, $39, $40, $41, $42, $43, $44) "
      "RETURNING id",
      p));
  return rows.front().Int(0);
}

Result<std::optional<DossierRow>> Find(Tx& tx, std::int64_t id) {
  static const std::string sql = "SELECT " + kColumns + " FROM dossiers WHERE id = $1";
  auto rows = MOTCUA_TRY(tx.Query(sql, {id}));
  if (rows.empty()) return std::optional<DossierRow>();
  return MOTCUA_TRY(FromRow(rows.front()));
}

Result<std::optional<std::int64_t>> FindVersion(Tx& tx, std::int64_t id) {
  auto rows = MOTCUA_TRY(tx.Query("SELECT version FROM dossiers WHERE id = $1", {id}));
  if (rows.empty()) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(rows.front().Int(0));
}

Result<std::optional<DossierRow>> FindByNumber(Tx& tx, std::string_view number) {
  static const std::string sql = "SELECT " + kColumns + " FROM dossiers WHERE number = $1";
  auto rows = MOTCUA_TRY(tx.Query(sql, {std::string(number)}));
  if (rows.empty()) return std::optional<DossierRow>();
  return MOTCUA_TRY(FromRow(rows.front()));
}

Status Update(Tx& tx, const DossierRow& d, std::int64_t expected_version) {
  Params p = MutableParams(d);
  p.push_back(d.id);
  p.push_back(expected_version);
  return tx.Send(
      "UPDATE dossiers SET state = $1, national_status = $2, clock = $3, terminal = $4, "
      "acting_roles = $5, current_unit_id = $6, accepted_at = $7, clock_start = $8, due_at = $9, "
      "apology_due_at = $10, apologies = $11, paused_at = $12, paused_micros = $13, "
      "supplement_count = $14, step = $15, step_due_at = $16, finished_at = $17, "
      "returned_at = $18, timeliness = $19, fee_vnd = $20, paid_at = $21, pending_request = $22, "
      "queue_at = $23, version = $24, updated_at = $25 WHERE id = $26 AND version = $27",
      p,
      Tx::Expect{1,
                 Error{Code::kAborted,
                       "the dossier was changed by someone else meanwhile; reload it and try again",
                       {}}});
}

Status InsertStep(Tx& tx, const StepRow& s) {
  return tx.Send(
      "INSERT INTO dossier_steps (dossier_id, step, action, state, from_unit_id, unit_id, "
      "handed_by, started_at, due_at, finished_at, finished_by, finish_action, timeliness) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
      Bind(s.dossier_id, std::int64_t{s.step}, s.action, s.state, s.from_unit_id, s.unit_id,
           Opt(s.handed_by), FormatTime(s.started_at), Opt(s.due_at), Opt(s.finished_at),
           Opt(s.finished_by), Opt(s.finish_action), Opt(s.timeliness)));
}

Status CloseStep(Tx& tx, std::int64_t dossier_id, int step, TimePoint finished_at,
                 std::optional<std::int64_t> finished_by, std::string_view action,
                 std::optional<std::string_view> timeliness) {
  return tx.Send(
      "UPDATE dossier_steps SET finished_at = $1, finished_by = $2, finish_action = $3, "
      "timeliness = $4 WHERE dossier_id = $5 AND step = $6 AND finished_at IS NULL",
      Bind(FormatTime(finished_at), Opt(finished_by), std::string(action),
           timeliness ? Value(std::string(*timeliness)) : Value(Null{}), dossier_id,
           std::int64_t{step}),
      Tx::Expect{1, Error{Code::kInternal,
                          "dossier " + std::to_string(dossier_id) + " has no open step " +
                              std::to_string(step),
                          {}}});
}

Result<std::vector<StepRow>> ListSteps(Tx& tx, std::int64_t dossier_id) {
  auto rows = MOTCUA_TRY(tx.Query(
      "SELECT dossier_id, step, action, state, from_unit_id, unit_id, handed_by, started_at, "
      "due_at, finished_at, finished_by, finish_action, timeliness FROM dossier_steps "
      "WHERE dossier_id = $1 ORDER BY step",
      {dossier_id}));
  std::vector<StepRow> out;
  out.reserve(rows.size());
  for (const Row& r : rows) {
    StepRow s;
    Reader in{r};
    s.dossier_id = r.Int(0);
    s.step = static_cast<int>(r.Int(1));
    s.action = r.Text(2);
    s.state = r.Text(3);
    s.from_unit_id = r.Int(4);
    s.unit_id = r.Int(5);
    s.handed_by = r.OptInt(6);
    s.started_at = in.Time(7);
    s.due_at = in.OptTime(8);
    s.finished_at = in.OptTime(9);
    s.finished_by = r.OptInt(10);
    s.finish_action = r.OptText(11);
    s.timeliness = r.OptText(12);
    if (!in.ok)
      return Fail(Code::kInternal,
                  "a step of dossier " + std::to_string(dossier_id) + " has an unreadable time");
    out.push_back(std::move(s));
  }
  return out;
}

namespace {

// " AND" the running clock and the appointment in [from, before).
void AppendDue(std::string& sql, Params& params, const std::optional<TimePoint>& from,
               const std::optional<TimePoint>& before) {
  if (before || from) sql += " AND clock = 'running'";
  if (before) sql += " AND due_at < " + Next(params, FormatTime(*before));
  if (from) sql += " AND due_at >= " + Next(params, FormatTime(*from));
}

// The counts of a list of open dossiers (InboxCounts), to be followed by its FROM and WHERE.
std::string CountsSelect(Params& params, TimePoint now, TimePoint nearing_before) {
  std::string now_p = Next(params, FormatTime(now));
  std::string near_p = Next(params, FormatTime(nearing_before));
  return "SELECT COUNT(*), "
         "COALESCE(SUM(CASE WHEN clock = 'running' AND due_at < " +
         now_p +
         " THEN 1 ELSE 0 END), 0), "
         "COALESCE(SUM(CASE WHEN clock = 'running' AND due_at >= " +
         now_p + " AND due_at < " + near_p +
         " THEN 1 ELSE 0 END), 0), "
         "COALESCE(SUM(CASE WHEN clock = 'paused' THEN 1 ELSE 0 END), 0)";
}

InboxCounts ReadCounts(const Rows& rows) {
  const Row& r = rows.front();
  return InboxCounts{r.Int(0), r.Int(1), r.Int(2), r.Int(3)};
}

}  // namespace

Result<std::vector<DossierRow>> Inbox(Tx& tx, const InboxFilter& f) {
  Params params;
  std::string sql = "SELECT " + kColumns + " FROM dossiers WHERE terminal = 0 AND ";
  AppendScopes(sql, params, f.scopes);
  if (f.state) sql += " AND state = " + Next(params, *f.state);
  if (f.procedure_code) sql += " AND procedure_code = " + Next(params, *f.procedure_code);
  AppendDue(sql, params, f.due_from, f.due_before);
  if (f.number_prefix) {
    // A range rather than LIKE: dossier numbers hold '.' and '-' only, and a
    // range works the same on both engines whatever their LIKE rules.
    sql += " AND number >= " + Next(params, *f.number_prefix);
    sql += " AND number < " + Next(params, *f.number_prefix + "\x7f");
  }
  if (f.name_key) sql += " AND applicant_name_key LIKE " + Next(params, "%" + *f.name_key + "%");
  if (f.after) {
    std::string at = Next(params, FormatTime(f.after->first));
    std::string id = Next(params, f.after->second);
    // A row value, which both engines turn into one index range.
    sql += " AND (queue_at, id) > (" + at + ", " + id + ")";
  }
  sql += " ORDER BY queue_at, id LIMIT " + Next(params, std::int64_t{f.limit});
  auto rows = MOTCUA_TRY(tx.Query(sql, params));
  return FromRows(rows);
}

Result<InboxCounts> CountInbox(Tx& tx, const std::vector<UnitScope>& scopes, TimePoint now,
                               TimePoint nearing_before) {
  Params params;
  std::string sql =
      CountsSelect(params, now, nearing_before) + " FROM dossiers WHERE terminal = 0 AND ";
  AppendScopes(sql, params, scopes);
  return ReadCounts(MOTCUA_TRY(tx.Query(sql, params)));
}

namespace {

std::string WatchWhere(Params& params, const WatchFilter& f) {
  std::string sql =
      " FROM dossiers WHERE terminal = 0 AND due_at IS NOT NULL AND current_unit_id IN (";
  for (std::size_t i = 0; i < f.units.size(); ++i)
    sql += (i ? ", " : "") + Next(params, f.units[i]);
  if (f.units.empty()) sql += "NULL";
  sql += ")";
  if (f.procedure_code) sql += " AND procedure_code = " + Next(params, *f.procedure_code);
  return sql;
}

}  // namespace

Result<std::vector<DossierRow>> Watch(Tx& tx, const WatchFilter& f) {
  Params params;
  std::string sql = "SELECT " + kColumns + WatchWhere(params, f);
  AppendDue(sql, params, f.due_from, f.due_before);
  if (f.after) {
    std::string at = Next(params, FormatTime(f.after->first));
    std::string id = Next(params, f.after->second);
    sql += " AND (due_at, id) > (" + at + ", " + id + ")";
  }
  sql += " ORDER BY due_at, id LIMIT " + Next(params, std::int64_t{f.limit});
  return FromRows(MOTCUA_TRY(tx.Query(sql, params)));
}

Result<InboxCounts> CountWatch(Tx& tx, const WatchFilter& f, TimePoint now,
                               TimePoint nearing_before) {
  Params params;
  std::string sql = CountsSelect(params, now, nearing_before);
  sql += WatchWhere(params, f);
  return ReadCounts(MOTCUA_TRY(tx.Query(sql, params)));
}

Result<std::optional<StepInfo>> FindStep(Tx& tx, std::int64_t dossier_id, std::int64_t step) {
  auto rows = MOTCUA_TRY(
      tx.Query("SELECT s.state, s.unit_id, s.started_at, s.due_at, s.handed_by, u.display_name "
               "FROM dossier_steps s LEFT JOIN users u ON u.id = s.handed_by WHERE s.dossier_id = "
               "$1 AND s.step = $2",
               {dossier_id, step}));
  if (rows.empty()) return std::optional<StepInfo>();
  const Row& r = rows.front();
  Reader in{r};
  StepInfo s;
  s.state = r.Text(0);
  s.unit_id = r.Int(1);
  s.started_at = in.Time(2);
  s.due_at = in.OptTime(3);
  if (!r.IsNull(4)) s.handed_by = r.Int(4);
  if (!r.IsNull(5)) s.handed_by_name = r.Text(5);
  if (!in.ok)
    return Fail(Code::kInternal,
                "dossier " + std::to_string(dossier_id) + " has a step with an unreadable time");
  return std::optional<StepInfo>(std::move(s));
}

Result<std::optional<PublicRow>> FindPublic(Tx& tx, std::string_view number) {
  auto rows = MOTCUA_TRY(tx.Query(
      "SELECT id, number, lookup_hash, procedure_code, procedure_id, workflow_code, "
      "workflow_version, state, national_status, applicant_name, receiving_unit_id, submitted_at, "
      "accepted_at, due_at, apology_due_at, finished_at, returned_at, pending_request, terminal, "
      "(SELECT level FROM dossier_ratings WHERE dossier_id = dossiers.id) "
      "FROM dossiers WHERE number = $1",
      {std::string(number)}));
  if (rows.empty()) return std::optional<PublicRow>();
  const Row& r = rows.front();
  Reader in{r};
  PublicRow p;
  p.id = r.Int(0);
  p.number = r.Text(1);
  p.lookup_hash = r.Text(2);
  p.procedure_code = r.Text(3);
  p.procedure_id = r.Int(4);
  p.workflow_code = r.Text(5);
  p.workflow_version = static_cast<int>(r.Int(6));
  p.state = r.Text(7);
  p.national_status = static_cast<int>(r.Int(8));
  p.applicant_name = r.Text(9);
  p.receiving_unit_id = r.Int(10);
  p.submitted_at = in.Time(11);
  p.accepted_at = in.OptTime(12);
  p.due_at = in.OptTime(13);
  p.apology_due_at = in.OptTime(14);
  p.finished_at = in.OptTime(15);
  p.returned_at = in.OptTime(16);
  p.pending_request = r.OptText(17);
  p.terminal = r.Int(18) != 0;
  if (!r.IsNull(19)) p.rating_level = static_cast<int>(r.Int(19));
  if (!in.ok) return Fail(Code::kInternal, "dossier " + p.number + " has an unreadable time");
  return std::optional<PublicRow>(std::move(p));
}

Status InsertRating(Tx& tx, const RatingRow& g) {
  MOTCUA_TRY(
      tx.Exec("INSERT INTO dossier_ratings (dossier_id, level, comment, rated_by, rated_at) VALUES "
              "($1, $2, $3, $4, $5)",
              Bind(g.dossier_id, std::int64_t{g.level}, g.comment, Opt(g.rated_by),
                   FormatTime(g.rated_at))));
  return {};
}

Result<std::optional<RatingRow>> FindRating(Tx& tx, std::int64_t dossier_id) {
  auto rows = MOTCUA_TRY(tx.Query(
      "SELECT level, comment, rated_by, rated_at FROM dossier_ratings WHERE dossier_id = $1",
      {dossier_id}));
  if (rows.empty()) return std::optional<RatingRow>();
  const Row& r = rows.front();
  Reader in{r};
  RatingRow g;
  g.dossier_id = dossier_id;
  g.level = static_cast<int>(r.Int(0));
  g.comment = r.Text(1);
  if (!r.IsNull(2)) g.rated_by = r.Int(2);
  g.rated_at = in.Time(3);
  if (!in.ok)
    return Fail(Code::kInternal,
                "the rating of dossier " + std::to_string(dossier_id) + " has an unreadable time");
  return std::optional<RatingRow>(std::move(g));
}

Result<std::vector<StepTimes>> ListStepTimes(Tx& tx, std::int64_t dossier_id) {
  auto rows =
      MOTCUA_TRY(tx.Query("SELECT state, started_at, finished_at FROM dossier_steps WHERE "
                          "dossier_id = $1 ORDER BY step",
                          {dossier_id}));
  std::vector<StepTimes> out;
  out.reserve(rows.size());
  for (const Row& r : rows) {
    Reader in{r};
    StepTimes s{r.Text(0), in.Time(1), in.OptTime(2)};
    if (!in.ok)
      return Fail(Code::kInternal,
                  "a step of dossier " + std::to_string(dossier_id) + " has an unreadable time");
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::vector<DossierRow>> ListForCitizen(Tx& tx, std::int64_t citizen_user_id,
                                               std::int64_t before_id, int limit) {
  static const std::string sql = "SELECT " + kColumns +
                                 " FROM dossiers WHERE citizen_user_id = $1 AND id < $2 "
                                 "ORDER BY id DESC LIMIT $3";
  auto rows = MOTCUA_TRY(
      tx.Query(sql, {citizen_user_id, before_id > 0 ? before_id : INT64_MAX, std::int64_t{limit}}));
  return FromRows(rows);
}

}  // namespace motcua::storage::dossiers
