#include "integrations/delivery.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <latch>
#include <limits>

#include "common/check.hpp"
#include "common/log.hpp"

namespace motcua::integrations {

Micros BackoffDelay(const RetryPolicy& policy, int attempts, double unit) {
  const int doublings = std::clamp(attempts - 1, 0, 40);
  const double full =
      std::min(static_cast<double>(policy.first_delay.count()) * std::ldexp(1.0, doublings),
               static_cast<double>(policy.max_delay.count()));
  return Micros(static_cast<std::int64_t>(full / 2 + full / 2 * std::clamp(unit, 0.0, 1.0)));
}

namespace {

// Delivery runs behind the core: its threads take the CPU the requests and
// the writer leave (nice 19, per thread on Linux), so that a saturated
// server serves its users first and the outbox catches up after. Measured
// (docs/benchmarks.md): durable transitions with sync on went from 2,800/s
// at normal priority to 4,100-4,800/s, on two cores shared with the
// portal's stand-in.
void Background() { (void)::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), 19); }

}  // namespace

double DestinationStats::LagQuantile(double q) const {
  std::uint64_t total = 0;
  for (auto n : lag_buckets) total += n;
  if (total == 0) return 0;
  const auto rank = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(total)));
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < lag_buckets.size(); ++i) {
    seen += lag_buckets[i];
    if (seen >= std::max<std::uint64_t>(rank, 1))
      return i < kLagBounds.size() ? kLagBounds[i] : std::numeric_limits<double>::infinity();
  }
  return std::numeric_limits<double>::infinity();
}

struct DeliveryService::Lane {
  std::unique_ptr<Adapter> adapter;
  std::thread dispatcher;
  std::vector<std::thread> senders;

  // Wake-ups of the dispatcher.
  std::mutex mu;
  std::condition_variable cv;
  bool kicked = false;

  // The batch being sent: senders take the next index.
  std::mutex work_mu;
  std::condition_variable work_cv;
  const std::vector<Message>* batch = nullptr;
  std::vector<Attempt>* attempts = nullptr;
  std::size_t next = 0;
  std::size_t outstanding = 0;
  std::condition_variable done_cv;

  // The writer's busy time (write callbacks and commits) when last sampled.
  std::chrono::steady_clock::time_point sampled_at{};
  std::uint64_t sampled_busy = 0;

  mutable std::mutex stats_mu;
  DestinationStats stats;
  std::mt19937_64 random{std::random_device{}()};
};

DeliveryService::DeliveryService(storage::Store& store, const Clock& clock, const ExchangeKey& key,
                                 DeliveryOptions options)
    : store_(store), clock_(clock), key_(key), options_(options) {}

DeliveryService::~DeliveryService() { Stop(); }

void DeliveryService::Add(std::unique_ptr<Adapter> adapter) {
  MOTCUA_CHECK(!started_);
  auto lane = std::make_unique<Lane>();
  lane->stats.destination = std::string(adapter->destination());
  lane->adapter = std::move(adapter);
  lanes_.push_back(std::move(lane));
}

std::vector<std::string> DeliveryService::destinations() const {
  std::vector<std::string> out;
  for (const auto& l : lanes_) out.emplace_back(l->adapter->destination());
  return out;
}

void DeliveryService::Start() {
  MOTCUA_CHECK(!started_);
  started_ = true;
  for (auto& lane_ptr : lanes_) {
    Lane* lane = lane_ptr.get();
    const int n = std::max(1, lane->adapter->concurrency());
    for (int i = 0; i < n; ++i) {
      lane->senders.emplace_back([this, lane] {
        Background();
        HttpClient client;
        client.AbortWhen(&stopping_);
        for (;;) {
          std::unique_lock lock(lane->work_mu);
          auto has_work = [&] {
            return lane->batch != nullptr && lane->next < lane->batch->size();
          };
          lane->work_cv.wait(lock, [&] { return stopping_.load() || has_work(); });
          if (!has_work()) return;  // stopping, and the dispatcher has settled its batch
          const std::size_t i = lane->next++;
          const Message& m = (*lane->batch)[i];
          Attempt& out = (*lane->attempts)[i];
          lock.unlock();
          out = lane->adapter->Deliver(m, client);
          lock.lock();
          if (--lane->outstanding == 0) lane->done_cv.notify_all();
        }
      });
    }
    lane->dispatcher = std::thread([this, lane] {
      Background();
      Dispatch(*lane);
    });
  }
}

void DeliveryService::Stop() {
  if (!started_ || stopping_.exchange(true)) return;
  for (auto& lane : lanes_) {
    {
      std::lock_guard lock(lane->mu);
      lane->kicked = true;
    }
    lane->cv.notify_all();
  }
  for (auto& lane : lanes_) {
    lane->dispatcher.join();
    {
      std::lock_guard lock(lane->work_mu);  // no lost wake-up between the test and the wait
    }
    lane->work_cv.notify_all();
    for (auto& t : lane->senders) t.join();
  }
}

void DeliveryService::Kick() {
  for (auto& lane : lanes_) {
    {
      std::lock_guard lock(lane->mu);
      lane->kicked = true;
    }
    lane->cv.notify_one();
  }
}

void DeliveryService::YieldToTheCore(Lane& lane) {
  if (options_.yield_above >= 1.0) return;
  using std::chrono::steady_clock;
  const auto began = steady_clock::now();
  auto busy_now = [this] {
    const storage::StoreStats stats = store_.Stats();
    return stats.write_micros + stats.commit_micros;
  };
  for (;;) {
    auto now = steady_clock::now();
    // A sample older than two windows says nothing of now: a fresh one.
    if (now - lane.sampled_at > 2 * options_.sample) {
      lane.sampled_at = now;
      lane.sampled_busy = busy_now();
    }
    if (now - lane.sampled_at < options_.sample) {
      std::unique_lock lock(lane.mu);
      lane.cv.wait_for(lock, options_.sample - (now - lane.sampled_at),
                       [&] { return stopping_.load(); });
      now = steady_clock::now();
    }
    const std::uint64_t busy = busy_now();
    const double elapsed = std::chrono::duration<double, std::micro>(now - lane.sampled_at).count();
    const double share =
        elapsed > 0 ? static_cast<double>(busy - lane.sampled_busy) / elapsed : 0.0;
    lane.sampled_at = now;
    lane.sampled_busy = busy;
    if (share < options_.yield_above || now - began >= options_.yield_at_most || stopping_.load()) {
      std::lock_guard stats_lock(lane.stats_mu);
      lane.stats.yielded_seconds += std::chrono::duration<double>(now - began).count();
      return;
    }
  }
}

void DeliveryService::Dispatch(Lane& lane) {
  const std::string destination(lane.adapter->destination());
  while (!stopping_.load()) {
    YieldToTheCore(lane);
    std::vector<Message> batch;
    const Status read = store_.Read([&](storage::Tx& tx) -> Status {
      batch = MOTCUA_TRY(Due(tx, destination, clock_.Now(), options_.batch));
      return {};
    });
    if (!read)
      log::Warn("delivery: cannot read the outbox",
                {{"destination", destination}, {"error", read.error().message}});
    if (!batch.empty()) {
      // Taken before any sender reads what it carries: an event committed
      // after this gets a message of its own (outbox.hpp, coalesce).
      std::vector<std::string> keys;
      for (const Message& m : batch) keys.push_back(m.ordering_key);
      const Status taken =
          store_.WriteSync([&](storage::Tx& tx) { return Take(tx, destination, keys); });
      if (!taken) {
        log::Warn("delivery: cannot take the due messages",
                  {{"destination", destination}, {"error", taken.error().message}});
        std::unique_lock lock(lane.mu);
        lane.cv.wait_for(lock, options_.poll, [&] { return stopping_.load(); });
        continue;
      }
      std::vector<Attempt> attempts(batch.size());
      {
        std::unique_lock lock(lane.work_mu);
        lane.batch = &batch;
        lane.attempts = &attempts;
        lane.next = 0;
        lane.outstanding = batch.size();
        lane.work_cv.notify_all();
        lane.done_cv.wait(lock, [&] { return lane.outstanding == 0; });
        lane.batch = nullptr;
        lane.attempts = nullptr;
      }
      Settle(lane, batch, attempts);
      if (static_cast<int>(batch.size()) == options_.batch) continue;  // more may be due
    }
    std::unique_lock lock(lane.mu);
    lane.cv.wait_for(lock, options_.poll, [&] { return lane.kicked || stopping_.load(); });
    lane.kicked = false;
  }
}

void DeliveryService::Settle(Lane& lane, const std::vector<Message>& batch,
                             std::vector<Attempt>& attempts) {
  const RetryPolicy policy = lane.adapter->policy();
  const TimePoint now = clock_.Now();
  std::latch settled(static_cast<std::ptrdiff_t>(batch.size()));
  std::vector<Status> results(batch.size());
  std::vector<double> jitter(batch.size());
  {
    std::lock_guard lock(lane.stats_mu);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (double& j : jitter) j = unit(lane.random);
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const Message& m = batch[i];
    Attempt& a = attempts[i];
    const int tries = m.attempts + 1;
    if (a.verdict == Verdict::kRetry && tries >= policy.max_attempts) {
      a.verdict = Verdict::kDead;
      a.error = "gave up after " + std::to_string(tries) + " attempts: " + a.error;
    }
    TimePoint next = now + BackoffDelay(policy, tries, jitter[i]);
    if (a.retry_after)
      next = std::max(next, now + std::chrono::duration_cast<Micros>(*a.retry_after));
    store_.Write(
        [&, next, tries](storage::Tx& tx) -> Status {
          for (const Call& c : a.calls) {
            MOTCUA_TRY(AppendExchange(
                tx, key_,
                ExchangeEntry{now, "out", m.destination, c.operation, m.idempotency_key, m.id,
                              m.dossier_id, c.request, c.answer.status,
                              c.answer.status == 0 ? c.answer.error : c.answer.body, c.outcome,
                              c.answer.duration.count()}));
          }
          if (a.record) MOTCUA_TRY_VOID(a.record(tx, now));
          switch (a.verdict) {
            case Verdict::kDelivered:
              MOTCUA_TRY_VOID(MarkDelivered(tx, m.id, now, tries));
              for (std::int64_t id : a.covered) MOTCUA_TRY_VOID(MarkCovered(tx, id, m.id, now));
              return {};
            case Verdict::kRetry:
              return MarkRetry(tx, m.id, now, tries, next, a.error);
            case Verdict::kDead:
              return MarkDead(tx, m.id, now, tries, a.error);
          }
          return {};
        },
        [&, i](Status s) {
          results[i] = std::move(s);
          settled.count_down();
        });
  }
  settled.wait();
  std::unique_lock lock(lane.stats_mu);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const Message& m = batch[i];
    const Attempt& a = attempts[i];
    if (!results[i]) {
      // Settled meanwhile by an administrator (kFailedPrecondition), or the
      // write failed: the row says what stands, and a pending one is due again.
      log::Warn("delivery: attempt not recorded", {{"destination", m.destination},
                                                   {"outbox_id", std::to_string(m.id)},
                                                   {"error", results[i].error().message}});
      continue;
    }
    lane.stats.attempts += 1;
    switch (a.verdict) {
      case Verdict::kDelivered: {
        lane.stats.delivered += 1 + a.covered.size();
        const double lag = std::chrono::duration<double>(now - m.created_at).count();
        std::size_t b = 0;
        while (b < kLagBounds.size() && lag > kLagBounds[b]) ++b;
        lane.stats.lag_buckets[b] += 1;
        lane.stats.lag_sum_seconds += lag;
        break;
      }
      case Verdict::kRetry:
        lane.stats.retries += 1;
        break;
      case Verdict::kDead:
        lane.stats.dead += 1;
        log::Warn("delivery: message dead", {{"destination", m.destination},
                                             {"outbox_id", std::to_string(m.id)},
                                             {"error", a.error}});
        break;
    }
  }
  lock.unlock();
  for (std::size_t i = 0; i < batch.size(); ++i)
    if (results[i]) lane.adapter->Settled(batch[i], attempts[i]);
}

std::vector<DestinationStats> DeliveryService::Stats() const {
  std::vector<DestinationStats> out;
  for (const auto& lane : lanes_) {
    std::lock_guard lock(lane->stats_mu);
    out.push_back(lane->stats);
  }
  return out;
}

}  // namespace motcua::integrations
