// The outbox (migration 0012_integrations.sql): what motcua owes an outside
// system, written in the same transaction as the event it derives from.
//
// Enqueue runs inside the caller's write callback, so a message exists if
// and only if its event committed. The delivery workers (delivery.hpp) read
// the due messages of their destination, the oldest pending one of each
// ordering key only (a dossier's messages leave in the order they were
// written), and settle each attempt in one write: delivered, retried later,
// or dead (refused for good, or out of attempts). A dead or pending message
// may be retried or discarded by an administrator (`motcua outbox`, the
// administration API); no row is ever deleted.
//
// Thread safety: the functions over a Tx as that Tx.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "storage/store.hpp"

namespace motcua::integrations {

using storage::Tx;

enum class MessageState { kPending, kDelivered, kDead, kDiscarded };
std::string_view StateName(MessageState s);
std::optional<MessageState> ParseState(std::string_view name);

struct NewMessage {
  std::string destination;   // "dvcqg", "email", "sms", "zalo"
  std::string kind;          // "dossier_sync", a notice's template id
  std::string ordering_key;  // "dossier:42"
  std::optional<std::int64_t> dossier_id;
  std::optional<std::int64_t> event_seq;
  std::string payload = "{}";   // JSON
  std::string idempotency_key;  // unique over the outbox
  // The message carries its ordering key's whole state when it leaves (a
  // dossier sync): none is written while a pending one of the key is not yet
  // taken by a worker, which will read this event's state too.
  bool coalesce = false;
  // Not sent before this moment (a text message written at night waits for
  // the morning); none: due at once.
  std::optional<TimePoint> not_before;
};

struct Message {
  std::int64_t id = 0;
  std::string destination;
  std::string kind;
  std::string ordering_key;
  std::optional<std::int64_t> dossier_id;
  std::optional<std::int64_t> event_seq;
  std::string payload;
  std::string idempotency_key;
  MessageState state = MessageState::kPending;
  int attempts = 0;
  TimePoint next_attempt_at{};
  TimePoint created_at{};
  std::optional<TimePoint> last_attempt_at;
  std::optional<TimePoint> finished_at;
  std::optional<std::string> last_error;
  std::optional<std::int64_t> covered_by;
};

// Writes a pending message due now (or, with `coalesce`, nothing when a
// pending message of the key is not yet taken). Errors: a failed write for
// an idempotency key already used (the caller derived the same message
// twice); those of Tx.
Status Enqueue(Tx& tx, const NewMessage& message, TimePoint now);

// Enqueue, unless a message with the same idempotency key was written
// before (a digest asked for twice in a day, an attempt settled again after
// a crash): the first one stands. Returns whether it wrote one.
Result<bool> EnqueueOnce(Tx& tx, const NewMessage& message, TimePoint now);

// A worker takes the pending messages of `ordering_keys` before it reads the
// state they carry; the write must commit before that read.
Status Take(Tx& tx, std::string_view destination, const std::vector<std::string>& ordering_keys);

// The pending messages of `destination` due at `now`, each the oldest
// pending one of its ordering key, oldest first, at most `limit`.
Result<std::vector<Message>> Due(Tx& tx, std::string_view destination, TimePoint now, int limit);

// The pending messages of `destination` with `ordering_key`, taken, and an
// id up to `up_to_id`, ascending: the ones a sync of the state read after
// taking them covers (one not taken may stand for an event after the read).
Result<std::vector<std::int64_t>> PendingOfKey(Tx& tx, std::string_view destination,
                                               std::string_view ordering_key,
                                               std::int64_t up_to_id);

// Settling one attempt. Each refuses (kFailedPrecondition) a message that is
// no longer pending, so that an administrator's discard and a worker's
// answer cannot both win.
Status MarkDelivered(Tx& tx, std::int64_t id, TimePoint now, int attempts);
// Delivered as part of message `by` (the same dossier's newer state); a
// message no longer pending is left as it is.
Status MarkCovered(Tx& tx, std::int64_t id, std::int64_t by, TimePoint now);
Status MarkRetry(Tx& tx, std::int64_t id, TimePoint now, int attempts, TimePoint next_attempt_at,
                 std::string_view error);
Status MarkDead(Tx& tx, std::int64_t id, TimePoint now, int attempts, std::string_view error);

// An administrator's decisions. Retry makes a dead (or pending) message due
// now with a fresh count of attempts; Discard gives up a pending or dead one.
// Errors: kNotFound; kFailedPrecondition for a delivered or discarded one.
Result<Message> Retry(Tx& tx, std::int64_t id, TimePoint now);
Result<Message> Discard(Tx& tx, std::int64_t id, TimePoint now, std::string_view why);

Result<std::optional<Message>> Find(Tx& tx, std::int64_t id);

struct ListQuery {
  std::optional<std::string> destination;
  std::optional<MessageState> state;
  std::optional<std::int64_t> dossier_id;
  std::optional<std::int64_t> before_id;  // the page after the one that ended there
  int limit = 50;
};
// Newest first.
Result<std::vector<Message>> List(Tx& tx, const ListQuery& query);

// The numbers of the dossiers `messages` concern, by dossier id (an
// administrator reads numbers, not ids).
Result<std::map<std::int64_t, std::string>> DossierNumbers(Tx& tx,
                                                           const std::vector<Message>& messages);

// Writes a new pending message of `kind` for a dossier, outside any event
// (a re-sync after the partner lost its data: `motcua outbox replay`), with
// an idempotency key of its own. Returns its id.
Result<std::int64_t> Replay(Tx& tx, std::string_view destination, std::string_view kind,
                            std::int64_t dossier_id, std::string_view payload, TimePoint now);

// What is owed per destination: pending and dead rows only (read through
// the state index; the delivered ones grow without end and are counted by
// the workers since start, delivery.hpp).
struct DestinationSummary {
  std::string destination;
  std::int64_t pending = 0;
  std::int64_t dead = 0;
  std::int64_t retrying = 0;  // pending after at least one failed attempt
  std::optional<TimePoint> oldest_pending_at;
};
Result<std::vector<DestinationSummary>> Summarize(Tx& tx);

}  // namespace motcua::integrations
