#include "storage/events_repo.hpp"

#include "storage/accounts_repo.hpp"

namespace motcua::storage::events {
namespace {

using motcua::events::CanonicalJson;
using motcua::events::ChainVerifier;
using motcua::events::HashEvent;
using motcua::events::StoredFields;
using motcua::events::ValidateNewEvent;

constexpr std::string_view kColumns =
    "seq, prev_hash, aggregate_type, aggregate_id, occurred_at, actor_id, action, from_state, "
    "to_state, payload, hash";

// Typed reads that do not trust the row: verify must report a tampered
// column (a number where text belongs) instead of failing a CHECK.
const std::string* TextAt(const Row& row, std::size_t i) {
  return std::get_if<std::string>(&row.at(i));
}
const std::int64_t* IntAt(const Row& row, std::size_t i) {
  return std::get_if<std::int64_t>(&row.at(i));
}

// The stored fields of a row in kColumns order; nullopt if a column has a
// type the schema does not allow.
std::optional<StoredFields> FieldsOf(const Row& row) {
  StoredFields f;
  f.seq = row.Int(0);  // INTEGER PRIMARY KEY: always an integer
  const std::string *prev = TextAt(row, 1), *type = TextAt(row, 2), *at = TextAt(row, 4),
                    *action = TextAt(row, 6), *payload = TextAt(row, 9);
  const std::int64_t* id = IntAt(row, 3);
  if (!prev || !type || !at || !action || !payload || !id) return std::nullopt;
  f.prev_hash = *prev;
  f.aggregate_type = *type;
  f.aggregate_id = *id;
  f.occurred_at = *at;
  f.action = *action;
  f.payload = *payload;
  if (!row.IsNull(5)) {
    const std::int64_t* actor = IntAt(row, 5);
    if (!actor) return std::nullopt;
    f.actor_id = *actor;
  }
  for (auto [col, out] :
       {std::pair{std::size_t{7}, &f.from_state}, {std::size_t{8}, &f.to_state}}) {
    if (row.IsNull(col)) continue;
    const std::string* s = TextAt(row, col);
    if (!s) return std::nullopt;
    *out = *s;
  }
  return f;
}

Result<Event> EventOf(const Row& row) {
  auto f = FieldsOf(row);
  auto at = f ? accounts::ParseTime(f->occurred_at) : std::nullopt;
  const std::string* hash = TextAt(row, 10);
  if (!f || !at || !hash) {
    return Fail(Code::kInternal, "event " + std::to_string(row.Int(0)) + " has an unreadable row");
  }
  Event e;
  e.seq = f->seq;
  e.prev_hash = std::string(f->prev_hash);
  e.aggregate_type = std::string(f->aggregate_type);
  e.aggregate_id = f->aggregate_id;
  e.occurred_at = *at;
  e.actor_id = f->actor_id;
  e.action = std::string(f->action);
  if (f->from_state) e.from_state = std::string(*f->from_state);
  if (f->to_state) e.to_state = std::string(*f->to_state);
  e.payload = std::string(f->payload);
  e.hash = *hash;
  return e;
}

Value OptText(const std::optional<std::string>& s) { return s ? Value(*s) : Value(Null{}); }

}  // namespace

Result<Event> AppendEvent(Tx& tx, const NewEvent& in) {
  MOTCUA_TRY_VOID(ValidateNewEvent(in));
  Event e;
  static_cast<NewEvent&>(e) = in;
  e.payload = MOTCUA_TRY(CanonicalJson(in.payload));

  Tx::Memo* memo = tx.memo();
  if (memo != nullptr && memo->last_event_seq) {
    // This transaction wrote the head itself, under the write lock.
    e.seq = *memo->last_event_seq + 1;
    e.prev_hash = memo->last_event_hash;
  } else if (auto last =
                 MOTCUA_TRY(tx.Query("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1"));
             last.empty()) {
    e.seq = 1;
    e.prev_hash = std::string(motcua::events::kGenesisHash);
  } else {
    const std::string* hash = TextAt(last[0], 1);
    if (!hash) return Fail(Code::kInternal, "the last event has an unreadable hash");
    e.seq = last[0].Int(0) + 1;
    e.prev_hash = *hash;
  }
  const std::string occurred_at = accounts::FormatTime(e.occurred_at);
  StoredFields f;
  f.seq = e.seq;
  f.prev_hash = e.prev_hash;
  f.aggregate_type = e.aggregate_type;
  f.aggregate_id = e.aggregate_id;
  f.occurred_at = occurred_at;
  f.actor_id = e.actor_id;
  f.action = e.action;
  if (e.from_state) f.from_state = *e.from_state;
  if (e.to_state) f.to_state = *e.to_state;
  f.payload = e.payload;
  e.hash = HashEvent(f);

  MOTCUA_TRY_VOID(tx.Send(
      "INSERT INTO events (seq, aggregate_type, aggregate_id, occurred_at, actor_id, action, "
      "from_state, to_state, payload, prev_hash, hash) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
      {e.seq, e.aggregate_type, e.aggregate_id, occurred_at,
       e.actor_id ? Value(*e.actor_id) : Value(Null{}), e.action, OptText(e.from_state),
       OptText(e.to_state), e.payload, e.prev_hash, e.hash}));
  // If the insert fails, so does the callback, and its savepoint's rollback
  // makes the store forget this.
  if (memo != nullptr) {
    memo->last_event_seq = e.seq;
    memo->last_event_hash = e.hash;
  }
  return e;
}

Result<std::vector<Event>> ListEvents(Tx& tx, std::string_view aggregate_type,
                                      std::int64_t aggregate_id) {
  auto rows = MOTCUA_TRY(tx.Query("SELECT " + std::string(kColumns) +
                                      " FROM events WHERE aggregate_type = $1 AND "
                                      "aggregate_id = $2 ORDER BY seq",
                                  {std::string(aggregate_type), aggregate_id}));
  std::vector<Event> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(MOTCUA_TRY(EventOf(r)));
  return out;
}

Result<std::vector<Event>> ListEventsOfIds(Tx& tx, std::string_view aggregate_type,
                                           std::int64_t after_id, std::int64_t up_to_id) {
  auto rows =
      MOTCUA_TRY(tx.Query("SELECT " + std::string(kColumns) +
                              " FROM events WHERE aggregate_type = $1 AND aggregate_id > $2 AND "
                              "aggregate_id <= $3 ORDER BY aggregate_id, seq",
                          {std::string(aggregate_type), after_id, up_to_id}));
  std::vector<Event> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(MOTCUA_TRY(EventOf(r)));
  return out;
}

Result<std::int64_t> MaxAggregateId(Tx& tx, std::string_view aggregate_type) {
  auto rows = MOTCUA_TRY(
      tx.Query("SELECT COALESCE(MAX(aggregate_id), 0) FROM events WHERE aggregate_type = $1",
               {std::string(aggregate_type)}));
  return rows.at(0).Int(0);
}

Result<VerifyReport> VerifyEventLog(Store& store, int batch) {
  if (batch < 1) return InvalidField("batch", "must be at least 1");
  const std::string sql =
      "SELECT " + std::string(kColumns) + " FROM events WHERE seq > $1 ORDER BY seq LIMIT $2";
  ChainVerifier chain;
  // Resume after the highest seq read, not after the last sound one: a
  // break ends the walk anyway.
  std::int64_t after = 0;
  for (;;) {
    std::size_t got = 0;
    MOTCUA_TRY_VOID(store.Read([&](Tx& tx) -> Status {
      auto rows = MOTCUA_TRY(tx.Query(sql, {after, std::int64_t{batch}}));
      got = rows.size();
      for (const Row& r : rows) {
        after = r.Int(0);
        auto fields = FieldsOf(r);
        const std::string* hash = TextAt(r, 10);
        if (!fields || !hash) {
          if (chain.NextUnreadable(after)) return {};
        } else if (chain.Next(*fields, *hash)) {
          return {};
        }
      }
      return {};
    }));
    if (chain.broken() || got < static_cast<std::size_t>(batch)) break;
  }
  VerifyReport report;
  report.events = chain.count();
  report.last_seq = chain.last_seq();
  report.last_hash = chain.last_hash();
  report.broken = chain.broken();
  return report;
}

}  // namespace motcua::storage::events
