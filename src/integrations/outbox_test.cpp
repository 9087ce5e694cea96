// The outbox on both engines: what a delivery worker is given (the oldest
// pending message of each dossier, once due), how an attempt settles, and
// that an administrator's decision and a worker's answer cannot both win.
#include "integrations/outbox.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

#include "storage/testing.hpp"

namespace motcua::integrations {
namespace {

using storage::testing::Engine;

const TimePoint kT0 = TimePoint(std::chrono::seconds(1'796'000'000));

class OutboxTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    auto opened =
        store_.Open("outbox", storage::StoreOptions{.synchronous_full = false}, GetParam());
    ASSERT_TRUE(opened) << opened.error().message;
  }

  std::int64_t Put(const std::string& key, const std::string& destination = "dvcqg",
                   TimePoint at = kT0) {
    std::int64_t id = 0;
    Status s = store_->WriteSync([&](Tx& tx) -> Status {
      MOTCUA_TRY_VOID(Enqueue(tx,
                              NewMessage{destination, "dossier_sync", key, std::nullopt,
                                         std::nullopt, "{}", "k" + std::to_string(++n_)},
                              at));
      id = MOTCUA_TRY(tx.Query("SELECT MAX(id) FROM outbox")).at(0).Int(0);
      return {};
    });
    EXPECT_TRUE(s) << s.error().message;
    return id;
  }

  std::vector<std::int64_t> DueIds(TimePoint now, const std::string& destination = "dvcqg") {
    std::vector<std::int64_t> ids;
    Status s = store_->Read([&](Tx& tx) -> Status {
      for (const auto& m : MOTCUA_TRY(Due(tx, destination, now, 100))) ids.push_back(m.id);
      return {};
    });
    EXPECT_TRUE(s) << s.error().message;
    return ids;
  }

  Status Write(const std::function<Status(Tx&)>& f) { return store_->WriteSync(f); }

  storage::testing::TempStore store_;
  int n_ = 0;
};

TEST_P(OutboxTest, EachDossierGivesItsOldestPendingMessageOnlyAndOtherDestinationsAreApart) {
  const auto a1 = Put("dossier:1");
  const auto a2 = Put("dossier:1");
  const auto b1 = Put("dossier:2");
  const auto e1 = Put("dossier:1", "email");
  EXPECT_EQ(DueIds(kT0), (std::vector<std::int64_t>{a1, b1}));
  EXPECT_EQ(DueIds(kT0, "email"), (std::vector<std::int64_t>{e1}));
  // Delivered: the dossier's next message becomes its head.
  ASSERT_TRUE(Write([&](Tx& tx) { return MarkDelivered(tx, a1, kT0, 1); }));
  EXPECT_EQ(DueIds(kT0), (std::vector<std::int64_t>{a2, b1}));
  // A retry waits for its time, and holds back the later messages of its dossier.
  const auto a3 = Put("dossier:1");
  ASSERT_TRUE(Write([&](Tx& tx) {
    return MarkRetry(tx, a2, kT0, 1, kT0 + std::chrono::seconds(10), "HTTP 503");
  }));
  EXPECT_EQ(DueIds(kT0), (std::vector<std::int64_t>{b1}));
  EXPECT_EQ(DueIds(kT0 + std::chrono::seconds(10)), (std::vector<std::int64_t>{a2, b1}));
  // A dead message holds nothing back: the next sync carries the whole state.
  ASSERT_TRUE(Write([&](Tx& tx) { return MarkDead(tx, a2, kT0, 2, "error_code -2: MaTTHC"); }));
  EXPECT_EQ(DueIds(kT0), (std::vector<std::int64_t>{b1, a3}));  // oldest first
}

TEST_P(OutboxTest, AnAttemptSettlesOnlyAPendingMessageAndAnAdministratorDecidesDeadOnes) {
  const auto id = Put("dossier:7");
  ASSERT_TRUE(Write([&](Tx& tx) { return MarkDead(tx, id, kT0, 40, "gave up"); }));
  // The worker's late answer for a message an administrator already settled.
  Status late = Write([&](Tx& tx) { return MarkDelivered(tx, id, kT0, 41); });
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, Code::kFailedPrecondition);

  // Retry: due now, attempts counted afresh, the last error kept for the page.
  Status retried = Write([&](Tx& tx) -> Status {
    auto m = MOTCUA_TRY(Retry(tx, id, kT0 + std::chrono::hours(1)));
    EXPECT_EQ(m.state, MessageState::kPending);
    EXPECT_EQ(m.attempts, 0);
    return {};
  });
  ASSERT_TRUE(retried) << retried.error().message;
  EXPECT_EQ(DueIds(kT0 + std::chrono::hours(1)), (std::vector<std::int64_t>{id}));

  // Discard: nothing is sent, and a delivered or discarded message is final.
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    auto m = MOTCUA_TRY(Discard(tx, id, kT0, "the portal has it from another system"));
    EXPECT_EQ(m.state, MessageState::kDiscarded);
    return {};
  }));
  EXPECT_TRUE(DueIds(kT0 + std::chrono::hours(2)).empty());
  for (bool discard : {false, true}) {
    Status again = Write([&](Tx& tx) -> Status {
      auto m = discard ? Discard(tx, id, kT0, "twice") : Retry(tx, id, kT0);
      if (m) return {};
      return Fail(m.error());
    });
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, Code::kFailedPrecondition);
  }
  Status missing = Write([&](Tx& tx) -> Status {
    auto m = Retry(tx, 999'999, kT0);
    if (m) return {};
    return Fail(m.error());
  });
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Code::kNotFound);
}

TEST_P(OutboxTest, AMessageIsWrittenOnceForItsKeyAndTheSummaryCountsWhatIsOwed) {
  Status twice = Write([&](Tx& tx) -> Status {
    NewMessage m{"dvcqg", "dossier_sync", "dossier:1", std::nullopt, std::nullopt, "{}", "same"};
    MOTCUA_TRY_VOID(Enqueue(tx, m, kT0));
    return Enqueue(tx, m, kT0);
  });
  EXPECT_FALSE(twice) << "the same idempotency key was written twice";
  // Nothing of the failed write remains.
  EXPECT_TRUE(DueIds(kT0).empty());

  const auto a = Put("dossier:1", "dvcqg", kT0);
  const auto b = Put("dossier:2", "dvcqg", kT0 + std::chrono::seconds(5));
  const auto c = Put("dossier:3", "dvcqg", kT0 + std::chrono::seconds(9));
  Put("dossier:1", "sms", kT0);
  ASSERT_TRUE(Write([&](Tx& tx) -> Status {
    MOTCUA_TRY_VOID(MarkDelivered(tx, a, kT0, 1));
    MOTCUA_TRY_VOID(MarkRetry(tx, b, kT0, 1, kT0 + std::chrono::minutes(1), "timeout"));
    return MarkDead(tx, c, kT0, 3, "refused");
  }));
  std::vector<DestinationSummary> summary;
  ASSERT_TRUE(store_->Read([&](Tx& tx) -> Status {
    summary = MOTCUA_TRY(Summarize(tx));
    return {};
  }));
  ASSERT_EQ(summary.size(), 2u);
  std::sort(summary.begin(), summary.end(),
            [](const auto& x, const auto& y) { return x.destination < y.destination; });
  EXPECT_EQ(summary[0].destination, "dvcqg");
  EXPECT_EQ(summary[0].pending, 1);
  EXPECT_EQ(summary[0].retrying, 1);
  EXPECT_EQ(summary[0].dead, 1);
  ASSERT_TRUE(summary[0].oldest_pending_at);
  EXPECT_EQ(*summary[0].oldest_pending_at, kT0 + std::chrono::seconds(5));
  EXPECT_EQ(summary[1].destination, "sms");
  EXPECT_EQ(summary[1].pending, 1);
  EXPECT_EQ(summary[1].dead, 0);
}

TEST_P(OutboxTest, AStateSyncIsWrittenOnceUntilAWorkerTakesIt) {
  auto sync = [&](int seq) {
    Status s = Write([&](Tx& tx) {
      return Enqueue(tx,
                     NewMessage{"dvcqg", "dossier_sync", "dossier:9", std::nullopt, seq, "{}",
                                "dvcqg:dossier_sync:" + std::to_string(seq), /*coalesce=*/true},
                     kT0);
    });
    EXPECT_TRUE(s) << s.error().message;
  };
  auto pending = [&] {
    std::vector<std::int64_t> ids;
    EXPECT_TRUE(store_->Read([&](Tx& tx) -> Status {
      for (const auto& r :
           MOTCUA_TRY(tx.Query("SELECT id FROM outbox WHERE state = 'pending' ORDER BY id")))
        ids.push_back(r.Int(0));
      return {};
    }));
    return ids;
  };
  // Three events before a worker reads the dossier: one message, which will
  // read the state of all three.
  sync(1);
  sync(2);
  sync(3);
  ASSERT_EQ(pending().size(), 1u);
  const std::int64_t first = pending()[0];
  // Taken: the worker reads now; the next event needs a message of its own.
  ASSERT_TRUE(Write([&](Tx& tx) { return Take(tx, "dvcqg", {"dossier:9"}); }));
  sync(4);
  sync(5);
  const auto both = pending();
  ASSERT_EQ(both.size(), 2u);
  // The send of the first covers only what was taken before it read.
  ASSERT_TRUE(store_->Read([&](Tx& tx) -> Status {
    auto covered = MOTCUA_TRY(PendingOfKey(tx, "dvcqg", "dossier:9", 1'000'000));
    EXPECT_EQ(covered, (std::vector<std::int64_t>{first}));
    return {};
  }));
  // Without coalescing (a notice), every event has its message.
  Put("dossier:9", "sms");
  Put("dossier:9", "sms");
  EXPECT_EQ(pending().size(), 4u);
}

INSTANTIATE_TEST_SUITE_P(Engines, OutboxTest, ::testing::Values(Engine::kSqlite, Engine::kPostgres),
                         [](const auto& info) { return storage::testing::EngineName(info.param); });

}  // namespace
}  // namespace motcua::integrations
