// The delivery workers with a partner that answers as the test scripts it:
// a dossier's messages reach it one at a time and in order, a failure is
// tried again after its backoff, a refusal or the last allowed attempt
// leaves the message dead, and every call is in the exchange log.
#include "integrations/delivery.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <set>

#include "storage/testing.hpp"

namespace motcua::integrations {
namespace {

using namespace std::chrono_literals;

TEST(BackoffTest, DoublesFromTheFirstDelayUpToTheCapWithJitterInTheUpperHalf) {
  const RetryPolicy p{.max_attempts = 10, .first_delay = 5s, .max_delay = 1h};
  EXPECT_EQ(BackoffDelay(p, 1, 1.0), Micros(5s));
  EXPECT_EQ(BackoffDelay(p, 1, 0.0), Micros(2500ms));
  EXPECT_EQ(BackoffDelay(p, 2, 1.0), Micros(10s));
  EXPECT_EQ(BackoffDelay(p, 4, 1.0), Micros(40s));
  EXPECT_EQ(BackoffDelay(p, 30, 1.0), Micros(1h));
  EXPECT_EQ(BackoffDelay(p, 30, 0.0), Micros(30min));
  EXPECT_EQ(BackoffDelay(p, 1000, 0.5), Micros(45min));
}

TEST(LagTest, TheQuantileIsTheUpperBoundOfItsBucket) {
  DestinationStats s;
  EXPECT_EQ(s.LagQuantile(0.99), 0);
  s.lag_buckets[0] = 98;  // <= 50 ms
  s.lag_buckets[4] = 1;   // <= 1 s
  s.lag_buckets[7] = 1;   // <= 10 s
  EXPECT_EQ(s.LagQuantile(0.5), 0.05);
  EXPECT_EQ(s.LagQuantile(0.99), 1);
  EXPECT_EQ(s.LagQuantile(1.0), 10);
}

// Answers each message as its payload says: {"fail": N} fails N times
// before it is delivered, {"refuse": true} is refused for good.
class ScriptedPartner final : public Adapter {
 public:
  std::string_view destination() const override { return "test"; }
  RetryPolicy policy() const override {
    return {.max_attempts = 4, .first_delay = 1s, .max_delay = 1min};
  }
  int concurrency() const override { return 3; }

  Attempt Deliver(const Message& m, HttpClient&) override {
    {
      std::lock_guard lock(mu_);
      if (!in_flight_.insert(m.ordering_key).second) overlapped_ = true;
    }
    std::this_thread::sleep_for(2ms);
    const auto payload = boost::json::parse(m.payload).as_object();
    Attempt a;
    HttpAnswer answer{.status = 200, .body = "{}"};
    std::lock_guard lock(mu_);
    in_flight_.erase(m.ordering_key);
    const int tried = ++tries_[m.id];
    if (payload.contains("refuse")) {
      a.verdict = Verdict::kDead;
      a.error = "refused: a field the partner rejects";
      answer.status = 400;
    } else if (payload.contains("fail") && tried <= payload.at("fail").as_int64()) {
      a.verdict = Verdict::kRetry;
      a.error = "HTTP 503";
      answer.status = 503;
    } else {
      a.verdict = Verdict::kDelivered;
      delivered_[m.ordering_key].push_back(m.id);
    }
    a.calls.push_back(Call{"push", m.payload, answer, a.error.empty() ? "delivered" : "retry"});
    return a;
  }

  std::mutex mu_;
  std::set<std::string> in_flight_;
  bool overlapped_ = false;
  std::map<std::int64_t, int> tries_;
  std::map<std::string, std::vector<std::int64_t>> delivered_;
};

TEST(DeliveryTest, ADossiersMessagesArriveInOrderFailuresAreRetriedAndRefusalsAreDead) {
  storage::testing::TempStore store;
  ASSERT_TRUE(store.Open("delivery", storage::StoreOptions{.synchronous_full = false}));
  auto key = ExchangeKey::LoadOrCreate(store.dir() / "keys" / "exchange-log.pem");
  ASSERT_TRUE(key) << key.error().message;
  FakeClock clock(TimePoint(std::chrono::seconds(1'796'000'000)));

  // Five dossiers, four messages each; some fail, one is refused, one fails
  // more often than the policy allows.
  std::map<std::string, std::vector<std::int64_t>> written;
  std::int64_t refused = 0, exhausted = 0;
  ASSERT_TRUE(store->WriteSync([&](storage::Tx& tx) -> Status {
    int n = 0;
    for (int m = 0; m < 4; ++m)
      for (int d = 0; d < 5; ++d) {
        std::string payload = "{}";
        if ((d + m) % 3 == 0) payload = R"({"fail":2})";
        if (d == 1 && m == 2) payload = R"({"refuse":true})";
        if (d == 4 && m == 1) payload = R"({"fail":9})";
        const std::string ordering = "dossier:" + std::to_string(d);
        MOTCUA_TRY_VOID(Enqueue(tx,
                                NewMessage{"test", "k", ordering, std::nullopt, std::nullopt,
                                           payload, "key" + std::to_string(++n)},
                                clock.Now()));
        const auto id = MOTCUA_TRY(tx.Query("SELECT MAX(id) FROM outbox")).at(0).Int(0);
        written[ordering].push_back(id);
        if (d == 1 && m == 2) refused = id;
        if (d == 4 && m == 1) exhausted = id;
      }
    return {};
  }));

  auto partner = std::make_unique<ScriptedPartner>();
  ScriptedPartner* seen = partner.get();
  DeliveryService delivery(*store, clock, *key, {.batch = 4, .poll = 5ms});
  delivery.Add(std::move(partner));
  delivery.Start();
  auto pending = [&] {
    std::int64_t n = -1;
    (void)store->Read([&](storage::Tx& tx) -> Status {
      n = MOTCUA_TRY(tx.Query("SELECT COUNT(*) FROM outbox WHERE state = 'pending'")).at(0).Int(0);
      return {};
    });
    return n;
  };
  // Time passes a minute at a time (past any backoff of this policy).
  for (int i = 0; i < 400 && pending() != 0; ++i) {
    clock.Advance(1min);
    delivery.Kick();
    std::this_thread::sleep_for(10ms);
  }
  delivery.Stop();
  ASSERT_EQ(pending(), 0);

  EXPECT_FALSE(seen->overlapped_) << "two messages of one dossier were in flight at once";
  for (auto& [ordering, ids] : written) {
    SCOPED_TRACE(ordering);
    std::vector<std::int64_t> expected;
    for (auto id : ids)
      if (id != refused && id != exhausted) expected.push_back(id);
    EXPECT_EQ(seen->delivered_[ordering], expected);
  }
  EXPECT_EQ(seen->tries_[refused], 1);
  EXPECT_EQ(seen->tries_[exhausted], 4);

  std::int64_t calls = 0;
  for (auto& [id, n] : seen->tries_) calls += n;
  ASSERT_TRUE(store->Read([&](storage::Tx& tx) -> Status {
    auto dead = MOTCUA_TRY(
        tx.Query("SELECT id, last_error, attempts FROM outbox WHERE state = 'dead' ORDER BY id"));
    EXPECT_EQ(dead.size(), 2u);
    if (dead.size() == 2) {
      EXPECT_EQ(dead[0].Int(0), exhausted);
      EXPECT_EQ(dead[0].Text(1), "gave up after 4 attempts: HTTP 503");
      EXPECT_EQ(dead[1].Int(0), refused);
      EXPECT_EQ(dead[1].Text(1), "refused: a field the partner rejects");
    }
    auto log = MOTCUA_TRY(tx.Query("SELECT COUNT(*) FROM exchange_log"));
    EXPECT_EQ(log.at(0).Int(0), calls) << "a call is missing from the exchange log";
    return {};
  }));
  const auto stats = delivery.Stats();
  ASSERT_EQ(stats.size(), 1u);
  EXPECT_EQ(stats[0].delivered, 18u);
  EXPECT_EQ(stats[0].dead, 2u);
  EXPECT_EQ(stats[0].attempts, static_cast<std::uint64_t>(calls));
}

// Delivery yields to the core: while the database writer is saturated
// (here by write callbacks that take 5 ms each, one after another), the
// dispatcher waits before each batch, but never longer than yield_at_most;
// once the writer is quiet, it sends at once.
TEST(DeliveryTest, ABusyWriterHoldsDeliveryBackForAWhileNotForever) {
  storage::testing::TempStore store;
  ASSERT_TRUE(store.Open("yield", storage::StoreOptions{.synchronous_full = false}));
  auto key = ExchangeKey::LoadOrCreate(store.dir() / "keys" / "exchange-log.pem");
  ASSERT_TRUE(key) << key.error().message;
  FakeClock clock(TimePoint(std::chrono::seconds(1'796'000'000)));
  auto enqueue = [&](const std::string& ordering) {
    ASSERT_TRUE(store->WriteSync([&](storage::Tx& tx) {
      return Enqueue(
          tx,
          NewMessage{"test", "k", ordering, std::nullopt, std::nullopt, "{}", "key:" + ordering},
          clock.Now());
    }));
  };
  enqueue("dossier:1");

  std::atomic<bool> loaded{true};
  std::thread load([&] {
    while (loaded.load())
      (void)store->WriteSync([](storage::Tx&) -> Status {
        std::this_thread::sleep_for(5ms);
        return {};
      });
  });
  auto partner = std::make_unique<ScriptedPartner>();
  ScriptedPartner* seen = partner.get();
  DeliveryService delivery(
      *store, clock, *key,
      {.batch = 4, .poll = 5ms, .yield_above = 0.5, .sample = 20ms, .yield_at_most = 400ms});
  delivery.Add(std::move(partner));
  const auto started = std::chrono::steady_clock::now();
  delivery.Start();
  auto delivered = [&](const std::string& ordering) {
    std::lock_guard lock(seen->mu_);
    return !seen->delivered_[ordering].empty();
  };
  while (!delivered("dossier:1") && std::chrono::steady_clock::now() - started < 10s)
    std::this_thread::sleep_for(5ms);
  const auto waited = std::chrono::steady_clock::now() - started;
  EXPECT_TRUE(delivered("dossier:1")) << "a saturated writer must not stop delivery for good";
  EXPECT_GE(waited, 350ms) << "delivery went ahead of a saturated writer";
  const double yielded = delivery.Stats().at(0).yielded_seconds;
  EXPECT_GE(yielded, 0.35);

  loaded = false;
  load.join();
  std::this_thread::sleep_for(100ms);  // the writer is quiet now
  enqueue("dossier:2");
  delivery.Kick();
  const auto again = std::chrono::steady_clock::now();
  while (!delivered("dossier:2") && std::chrono::steady_clock::now() - again < 10s)
    std::this_thread::sleep_for(5ms);
  EXPECT_TRUE(delivered("dossier:2"));
  EXPECT_LT(delivery.Stats().at(0).yielded_seconds - yielded, 0.3)
      << "delivery waited for a writer that was not busy";
  delivery.Stop();
}

}  // namespace
}  // namespace motcua::integrations
