#include "integrations/outbox.hpp"

#include "storage/accounts_repo.hpp"

namespace motcua::integrations {

using storage::Null;
using storage::Row;
using storage::Value;
using storage::accounts::FormatTime;
using storage::accounts::ParseTime;

namespace {

constexpr std::string_view kColumns =
    "id, destination, kind, ordering_key, dossier_id, event_seq, payload, idempotency_key, state, "
    "attempts, next_attempt_at, created_at, last_attempt_at, finished_at, last_error, covered_by";

Value Opt(const std::optional<std::int64_t>& v) { return v ? Value(*v) : Value(Null{}); }

Result<Message> FromRow(const Row& r) {
  Message m;
  m.id = r.Int(0);
  m.destination = r.Text(1);
  m.kind = r.Text(2);
  m.ordering_key = r.Text(3);
  m.dossier_id = r.OptInt(4);
  m.event_seq = r.OptInt(5);
  m.payload = r.Text(6);
  m.idempotency_key = r.Text(7);
  auto state = ParseState(r.Text(8));
  m.attempts = static_cast<int>(r.Int(9));
  auto next = ParseTime(r.Text(10));
  auto created = ParseTime(r.Text(11));
  if (!state || !next || !created)
    return Fail(Code::kInternal, "outbox message " + std::to_string(m.id) + " is unreadable");
  m.state = *state;
  m.next_attempt_at = *next;
  m.created_at = *created;
  if (!r.IsNull(12)) m.last_attempt_at = ParseTime(r.Text(12));
  if (!r.IsNull(13)) m.finished_at = ParseTime(r.Text(13));
  m.last_error = r.OptText(14);
  m.covered_by = r.OptInt(15);
  return m;
}

Result<std::vector<Message>> Messages(Tx& tx, std::string_view sql, const storage::Params& p) {
  auto rows = MOTCUA_TRY(tx.Query(sql, p));
  std::vector<Message> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(MOTCUA_TRY(FromRow(r)));
  return out;
}

// Runs an UPDATE guarded by "AND state = 'pending'": exactly one row, or the
// message was settled meanwhile.
Status SettlePending(Tx& tx, std::string_view sql, const storage::Params& p, std::int64_t id) {
  auto changed = MOTCUA_TRY(tx.Exec(sql, p));
  if (changed != 1)
    return Fail(Code::kFailedPrecondition,
                "outbox message " + std::to_string(id) + " is no longer pending");
  return {};
}

// Errors may be long (an HTML error page): keep what an administrator reads.
std::string Cut(std::string_view s) {
  constexpr std::size_t kMost = 2000;
  if (s.size() <= kMost) return std::string(s);
  std::size_t n = kMost;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;  // whole UTF-8 characters
  return std::string(s.substr(0, n)) + "…";
}

}  // namespace

std::string_view StateName(MessageState s) {
  switch (s) {
    case MessageState::kPending:
      return "pending";
    case MessageState::kDelivered:
      return "delivered";
    case MessageState::kDead:
      return "dead";
    case MessageState::kDiscarded:
      return "discarded";
  }
  return "pending";
}

std::optional<MessageState> ParseState(std::string_view name) {
  for (auto s : {MessageState::kPending, MessageState::kDelivered, MessageState::kDead,
                 MessageState::kDiscarded})
    if (StateName(s) == name) return s;
  return std::nullopt;
}

Status Enqueue(Tx& tx, const NewMessage& m, TimePoint now) {
  const std::string at = FormatTime(now);
  const std::string due = m.not_before && *m.not_before > now ? FormatTime(*m.not_before) : at;
  if (m.coalesce)
    return tx.Send(
        "INSERT INTO outbox (destination, kind, ordering_key, dossier_id, event_seq, payload, "
        "idempotency_key, state, attempts, next_attempt_at, created_at) "
        "SELECT $1, $2, $3, $4, $5, $6, $7, 'pending', 0, $8, $9 WHERE NOT EXISTS (SELECT 1 "
        "FROM outbox WHERE destination = $1 AND ordering_key = $3 AND state = 'pending' AND "
        "taken = 0)",
        {m.destination, m.kind, m.ordering_key, Opt(m.dossier_id), Opt(m.event_seq), m.payload,
         m.idempotency_key, due, at});
  return tx.Send(
      "INSERT INTO outbox (destination, kind, ordering_key, dossier_id, event_seq, payload, "
      "idempotency_key, state, attempts, next_attempt_at, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', 0, $8, $9)",
      {m.destination, m.kind, m.ordering_key, Opt(m.dossier_id), Opt(m.event_seq), m.payload,
       m.idempotency_key, due, at},
      {.rows = 1});
}

Result<bool> EnqueueOnce(Tx& tx, const NewMessage& m, TimePoint now) {
  auto seen =
      MOTCUA_TRY(tx.Query("SELECT 1 FROM outbox WHERE idempotency_key = $1", {m.idempotency_key}));
  if (!seen.empty()) return false;
  MOTCUA_TRY_VOID(Enqueue(tx, m, now));
  return true;
}

Result<std::vector<Message>> Due(Tx& tx, std::string_view destination, TimePoint now, int limit) {
  // The head of each ordering key: no older pending message of the same key.
  return Messages(tx,
                  "SELECT " + std::string(kColumns) +
                      " FROM outbox o WHERE o.destination = $1 AND o.state = 'pending' "
                      "AND o.next_attempt_at <= $2 AND NOT EXISTS (SELECT 1 FROM outbox p "
                      "WHERE p.destination = o.destination AND p.ordering_key = o.ordering_key "
                      "AND p.state = 'pending' AND p.id < o.id) "
                      "ORDER BY o.id LIMIT $3",
                  {std::string(destination), FormatTime(now), std::int64_t{limit}});
}

Status Take(Tx& tx, std::string_view destination, const std::vector<std::string>& ordering_keys) {
  if (ordering_keys.empty()) return {};
  std::string sql =
      "UPDATE outbox SET taken = 1 WHERE destination = $1 AND state = 'pending' AND taken = 0 "
      "AND ordering_key IN (";
  storage::Params p{std::string(destination)};
  for (const std::string& k : ordering_keys) {
    p.push_back(k);
    sql += (p.size() > 2 ? ", $" : "$") + std::to_string(p.size());
  }
  MOTCUA_TRY(tx.Exec(sql + ")", p));
  return {};
}

Result<std::vector<std::int64_t>> PendingOfKey(Tx& tx, std::string_view destination,
                                               std::string_view ordering_key,
                                               std::int64_t up_to_id) {
  auto rows = MOTCUA_TRY(tx.Query(
      "SELECT id FROM outbox WHERE destination = $1 AND ordering_key = $2 AND state = 'pending' "
      "AND taken = 1 AND id <= $3 ORDER BY id",
      {std::string(destination), std::string(ordering_key), up_to_id}));
  std::vector<std::int64_t> ids;
  for (const Row& r : rows) ids.push_back(r.Int(0));
  return ids;
}

Status MarkDelivered(Tx& tx, std::int64_t id, TimePoint now, int attempts) {
  const std::string at = FormatTime(now);
  return SettlePending(
      tx,
      "UPDATE outbox SET state = 'delivered', attempts = $2, last_attempt_at = $3, "
      "finished_at = $3 WHERE id = $1 AND state = 'pending'",
      {id, std::int64_t{attempts}, at}, id);
}

Status MarkCovered(Tx& tx, std::int64_t id, std::int64_t by, TimePoint now) {
  // One an administrator settled meanwhile stays as they left it.
  MOTCUA_TRY(
      tx.Exec("UPDATE outbox SET state = 'delivered', covered_by = $2, finished_at = $3 "
              "WHERE id = $1 AND state = 'pending'",
              {id, by, FormatTime(now)}));
  return {};
}

Status MarkRetry(Tx& tx, std::int64_t id, TimePoint now, int attempts, TimePoint next_attempt_at,
                 std::string_view error) {
  return SettlePending(
      tx,
      "UPDATE outbox SET attempts = $2, last_attempt_at = $3, "
      "next_attempt_at = $4, last_error = $5 WHERE id = $1 AND state = 'pending'",
      {id, std::int64_t{attempts}, FormatTime(now), FormatTime(next_attempt_at), Cut(error)}, id);
}

Status MarkDead(Tx& tx, std::int64_t id, TimePoint now, int attempts, std::string_view error) {
  const std::string at = FormatTime(now);
  return SettlePending(tx,
                       "UPDATE outbox SET state = 'dead', attempts = $2, last_attempt_at = $3, "
                       "finished_at = $3, last_error = $4 WHERE id = $1 AND state = 'pending'",
                       {id, std::int64_t{attempts}, at, Cut(error)}, id);
}

Result<std::optional<Message>> Find(Tx& tx, std::int64_t id) {
  auto found = MOTCUA_TRY(
      Messages(tx, "SELECT " + std::string(kColumns) + " FROM outbox WHERE id = $1", {id}));
  if (found.empty()) return std::optional<Message>();
  return std::optional<Message>(std::move(found.front()));
}

namespace {

Result<Message> Existing(Tx& tx, std::int64_t id) {
  auto found = MOTCUA_TRY(Find(tx, id));
  if (!found) return Fail(Code::kNotFound, "no outbox message " + std::to_string(id));
  return std::move(*found);
}

Status Settleable(const Message& m, std::string_view what) {
  if (m.state == MessageState::kDelivered || m.state == MessageState::kDiscarded)
    return Fail(Error{Code::kFailedPrecondition,
                      "outbox message " + std::to_string(m.id) + " is " +
                          std::string(StateName(m.state)) + ": it cannot be " + std::string(what),
                      {{"state", std::string(StateName(m.state))}}});
  return {};
}

}  // namespace

Result<Message> Retry(Tx& tx, std::int64_t id, TimePoint now) {
  Message m = MOTCUA_TRY(Existing(tx, id));
  MOTCUA_TRY_VOID(Settleable(m, "retried"));
  MOTCUA_TRY(tx.Exec(
      "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = $2, finished_at = NULL "
      "WHERE id = $1",
      {id, FormatTime(now)}));
  return Existing(tx, id);
}

Result<Message> Discard(Tx& tx, std::int64_t id, TimePoint now, std::string_view why) {
  Message m = MOTCUA_TRY(Existing(tx, id));
  MOTCUA_TRY_VOID(Settleable(m, "discarded"));
  MOTCUA_TRY(tx.Exec(
      "UPDATE outbox SET state = 'discarded', finished_at = $2, last_error = $3 WHERE id = $1",
      {id, FormatTime(now),
       Cut(std::string(m.last_error.value_or("")) + (m.last_error ? " · " : "") +
           "discarded: " + std::string(why))}));
  return Existing(tx, id);
}

Result<std::vector<Message>> List(Tx& tx, const ListQuery& q) {
  std::string sql = "SELECT " + std::string(kColumns) + " FROM outbox WHERE 1 = 1";
  storage::Params p;
  auto add = [&](std::string_view clause, Value v) {
    p.push_back(std::move(v));
    sql += " AND " + std::string(clause) + " $" + std::to_string(p.size());
  };
  if (q.destination) add("destination =", *q.destination);
  if (q.state) add("state =", std::string(StateName(*q.state)));
  if (q.dossier_id) {
    // Through the dossier's events (migration 0013: outbox_event), and the
    // few messages written outside any event (outbox_unevented).
    p.push_back(*q.dossier_id);
    const std::string n = "$" + std::to_string(p.size());
    sql += " AND dossier_id = " + n +
           " AND (event_seq IN (SELECT seq FROM events WHERE aggregate_type = 'dossier' AND "
           "aggregate_id = " +
           n + ") OR event_seq IS NULL)";
  }
  if (q.before_id) add("id <", *q.before_id);
  p.push_back(std::int64_t{q.limit});
  sql += " ORDER BY id DESC LIMIT $" + std::to_string(p.size());
  return Messages(tx, sql, p);
}

Result<std::map<std::int64_t, std::string>> DossierNumbers(Tx& tx,
                                                           const std::vector<Message>& messages) {
  std::map<std::int64_t, std::string> out;
  std::string sql = "SELECT id, number FROM dossiers WHERE id IN (";
  storage::Params p;
  for (const Message& m : messages) {
    if (!m.dossier_id || out.contains(*m.dossier_id)) continue;
    out.emplace(*m.dossier_id, "");
    p.push_back(*m.dossier_id);
    sql += (p.size() > 1 ? ", $" : "$") + std::to_string(p.size());
  }
  if (p.empty()) return out;
  for (const Row& r : MOTCUA_TRY(tx.Query(sql + ")", p))) out[r.Int(0)] = r.Text(1);
  return out;
}

Result<std::int64_t> Replay(Tx& tx, std::string_view destination, std::string_view kind,
                            std::int64_t dossier_id, std::string_view payload, TimePoint now) {
  const std::string at = FormatTime(now);
  auto rows = MOTCUA_TRY(tx.Query(
      "INSERT INTO outbox (destination, kind, ordering_key, dossier_id, payload, "
      "idempotency_key, state, attempts, next_attempt_at, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $7) RETURNING id",
      {std::string(destination), std::string(kind), "dossier:" + std::to_string(dossier_id),
       dossier_id, std::string(payload),
       std::string(destination) + ":" + std::string(kind) + ":" + std::to_string(dossier_id) +
           ":replay:" + std::to_string(now.time_since_epoch().count()),
       at}));
  return rows.at(0).Int(0);
}

Result<std::vector<DestinationSummary>> Summarize(Tx& tx) {
  // Two reads, each through its partial index (outbox_pending, outbox_dead):
  // the delivered rows, which grow without end, are never scanned.
  std::map<std::string, DestinationSummary> by;
  for (const Row& r : MOTCUA_TRY(
           tx.Query("SELECT destination, COUNT(*), SUM(CASE WHEN attempts > 0 THEN 1 ELSE 0 END), "
                    "MIN(created_at) FROM outbox WHERE state = 'pending' GROUP BY destination"))) {
    DestinationSummary& s = by[r.Text(0)];
    s.pending = r.Int(1);
    s.retrying = r.Int(2);
    if (!r.IsNull(3)) s.oldest_pending_at = ParseTime(r.Text(3));
  }
  for (const Row& r : MOTCUA_TRY(tx.Query(
           "SELECT destination, COUNT(*) FROM outbox WHERE state = 'dead' GROUP BY destination")))
    by[r.Text(0)].dead = r.Int(1);
  std::vector<DestinationSummary> out;
  for (auto& [destination, s] : by) {
    s.destination = destination;
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace motcua::integrations
