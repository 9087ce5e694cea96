// The event log (migration 0004_events.sql): appending hash-chained events,
// reading an aggregate's history and verifying the whole chain.
//
// AppendEvent runs inside the caller's write callback, in the same
// transaction as the projection tables the caller updates, so an event and
// its effects commit or roll back together. It reads the last event (or
// takes it from the transaction's memo, Tx::memo, when the transaction wrote
// it) and appends after it; that is safe because each store has one writer
// that runs the callbacks one after another (store.hpp), and writers of
// several processes take turns (SQLite's write lock, PostgreSQL's advisory
// lock). The insert is sent (Tx::Send): its error may come from the
// caller's next statement.
//
// Thread safety: AppendEvent and ListEvents as the Tx they are given;
// VerifyEventLog may be called from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "core/events/chain.hpp"
#include "core/events/event.hpp"
#include "storage/store.hpp"

namespace motcua::storage::events {

using motcua::events::ChainBreak;
using motcua::events::Event;
using motcua::events::NewEvent;

// Appends `event` as the next one in the log and returns it as stored (seq,
// canonical payload, prev_hash, hash). Errors: kInvalidArgument naming the
// field (ValidateNewEvent, CanonicalJson); those of Tx (kInternal in a read
// transaction); kInternal if the last event cannot be read.
[[nodiscard]] Result<Event> AppendEvent(Tx& tx, const NewEvent& event);

// The events of one aggregate, ascending seq. Errors: those of Tx, kInternal
// for a row that cannot be read back.
[[nodiscard]] Result<std::vector<Event>> ListEvents(Tx& tx, std::string_view aggregate_type,
                                                    std::int64_t aggregate_id);

// The events of the aggregates of `aggregate_type` with ids in
// (after_id, up_to_id], by aggregate id then seq: a batch of histories for
// replaying them (statistics counted from the log alone).
[[nodiscard]] Result<std::vector<Event>> ListEventsOfIds(Tx& tx, std::string_view aggregate_type,
                                                         std::int64_t after_id,
                                                         std::int64_t up_to_id);

// The highest aggregate id of `aggregate_type` in the log (0 with none).
[[nodiscard]] Result<std::int64_t> MaxAggregateId(Tx& tx, std::string_view aggregate_type);

struct VerifyReport {
  std::int64_t events = 0;  // events checked and found sound
  std::int64_t last_seq = 0;
  std::string last_hash{motcua::events::kGenesisHash};  // of the last sound event
  std::optional<ChainBreak> broken;                     // the first break, if any
};

// Default rows per read: large enough that the per-query cost vanishes,
// small enough that a batch is a few megabytes at most.
inline constexpr int kVerifyBatch = 4096;

// Walks the whole log in seq order, `batch` rows per read transaction (so
// memory stays constant however long the log, and writers are never held
// back by one long snapshot), recomputing every hash and link, and stops at
// the first break. Events appended during the walk are checked too. A row
// whose columns have the wrong types counts as a hash mismatch. Truncating
// the newest events cannot be detected from the log alone: keep the printed
// last hash somewhere else to compare. Errors: those of Store::Read.
[[nodiscard]] Result<VerifyReport> VerifyEventLog(Store& store, int batch = kVerifyBatch);

}  // namespace motcua::storage::events
