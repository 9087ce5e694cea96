// Delivery: one dispatcher per destination takes the due messages of the
// outbox (outbox.hpp), has its adapter send them, a few at a time, on its
// own threads (never the writer's, never a request's), then settles every
// attempt in one group of writes: the outbox row, the exchange log entries
// of every call made, and whatever the adapter records of an
// acknowledgement (the national portal's sync state) commit together.
//
// At least once: a message is marked delivered only after the partner's
// acknowledgement; a crash between the two sends it again, with the same
// idempotency key, and the partner (or the adapter's protocol: an upsert by
// dossier code) makes the second send harmless. Per ordering key (a
// dossier) one message is in flight at a time, the oldest first.
//
// Failures: the adapter says whether an answer is worth another attempt
// (no answer, a timeout, 5xx, 429: retried after an exponential backoff
// with jitter, at least the partner's Retry-After) or final (the partner
// refused the message: a bad address, a field it rejects): dead at once. A
// message out of attempts is dead too. Dead messages wait for an
// administrator (retry or discard); they do not hold back the later
// messages of their dossier, since each sync carries the whole state.
//
// Thread safety: Add before Start; the rest from any thread. Stop (or the
// destructor) returns once the dispatchers have settled what they sent.
#pragma once

#include <array>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.hpp"
#include "integrations/exchange_log.hpp"
#include "integrations/http_client.hpp"
#include "integrations/outbox.hpp"
#include "storage/store.hpp"

namespace motcua::integrations {

enum class Verdict { kDelivered, kRetry, kDead };

// One call an adapter made for an attempt (a login, the push itself): it is
// logged whatever came of it.
struct Call {
  std::string operation;
  std::string request;  // the body sent (hashed in the log)
  HttpAnswer answer;
  std::string outcome;  // for the log: "delivered", "retry", "dead", "session"
};

struct Attempt {
  Verdict verdict = Verdict::kRetry;
  std::string error;  // what the partner said, for the administrator (kRetry, kDead)
  std::optional<std::chrono::seconds> retry_after;
  std::vector<Call> calls;
  // Other pending messages of the same ordering key that this delivery
  // carried (a sync of the newest state covers the older ones).
  std::vector<std::int64_t> covered;
  // What the partner acknowledged, recorded in the attempt's settling write
  // whatever the verdict (part of a dossier's history may have gone before
  // a later call failed); its failure fails the write, and the message stays
  // pending, to be sent again.
  std::function<Status(storage::Tx&, TimePoint)> record;
};

struct RetryPolicy {
  int max_attempts = 10;
  Micros first_delay = std::chrono::seconds(5);
  Micros max_delay = std::chrono::hours(1);
};

// The delay before attempt `attempts` + 1, after `attempts` failed ones:
// first_delay × 2^(attempts−1), capped, then a random point in its upper
// half ("equal jitter"), so that a partner that comes back is not hit by
// every message at the same instant. `unit` is in [0, 1).
Micros BackoffDelay(const RetryPolicy& policy, int attempts, double unit);

class Adapter {
 public:
  virtual ~Adapter() = default;
  virtual std::string_view destination() const = 0;
  virtual RetryPolicy policy() const { return {}; }
  // How many messages it may have in flight at once (separate dossiers).
  virtual int concurrency() const { return 4; }
  // Sends `message`; called on a sender thread with that thread's client,
  // from several threads at once (concurrency()). May read the store.
  virtual Attempt Deliver(const Message& message, HttpClient& client) = 0;
  // After an attempt's write committed (off the writer), whatever its verdict.
  virtual void Settled(const Message&, const Attempt&) {}
};

// Lag: from the message's creation (its event's commit) to the
// acknowledgement, in these buckets (seconds).
inline constexpr std::array<double, 12> kLagBounds{0.05, 0.1, 0.25, 0.5, 1,   2.5,
                                                   5,    10,  30,   60,  300, 3600};

struct DestinationStats {
  std::string destination;
  std::uint64_t attempts = 0;   // calls settled, since start
  std::uint64_t delivered = 0;  // messages acknowledged (covered ones included)
  std::uint64_t retries = 0;    // attempts that will be retried
  std::uint64_t dead = 0;
  std::array<std::uint64_t, kLagBounds.size() + 1> lag_buckets{};  // last: beyond the bounds
  double lag_sum_seconds = 0;
  double yielded_seconds = 0;  // time the dispatcher waited for a busy writer (DeliveryOptions)
  // The quantile q of the lags observed since start, from the buckets (the
  // bucket's upper bound; +inf when it falls beyond them), 0 with none.
  double LagQuantile(double q) const;
};

struct DeliveryOptions {
  int batch = 64;                                 // due messages read at once
  Micros poll = std::chrono::milliseconds(1000);  // re-read when nothing woke it
  // Delivery yields to the core: before each batch, while the database
  // writer (the one resource every transition needs) was busy more than
  // `yield_above` of the last `sample`, the dispatcher waits, at most
  // `yield_at_most` since it began to wait, so that a saturated server
  // serves its users first and still delivers a batch every few seconds.
  // Its own settling writes do not hold it back: it writes nothing while it
  // waits. 1 or more: never yields.
  double yield_above = 0.5;
  Micros sample = std::chrono::milliseconds(50);
  Micros yield_at_most = std::chrono::seconds(2);
};

class DeliveryService {
 public:
  DeliveryService(storage::Store& store, const Clock& clock, const ExchangeKey& key,
                  DeliveryOptions options = {});
  ~DeliveryService();
  DeliveryService(const DeliveryService&) = delete;
  DeliveryService& operator=(const DeliveryService&) = delete;

  void Add(std::unique_ptr<Adapter> adapter);
  void Start();
  void Stop();
  // Something was written to the outbox: look now rather than at the next poll.
  void Kick();

  std::vector<std::string> destinations() const;
  std::vector<DestinationStats> Stats() const;

 private:
  struct Lane;
  void Dispatch(Lane& lane);
  void YieldToTheCore(Lane& lane);
  void Settle(Lane& lane, const std::vector<Message>& batch, std::vector<Attempt>& attempts);

  storage::Store& store_;
  const Clock& clock_;
  const ExchangeKey& key_;
  DeliveryOptions options_;
  std::vector<std::unique_ptr<Lane>> lanes_;
  std::atomic<bool> stopping_{false};
  bool started_ = false;
};

}  // namespace motcua::integrations
