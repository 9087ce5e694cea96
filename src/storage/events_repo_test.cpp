#include "storage/events_repo.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <future>
#include <memory>
#include <thread>
#include <vector>

#include "storage/testing.hpp"

namespace motcua::storage::events {
namespace {

using namespace std::chrono;
using ::testing::HasSubstr;

class EventsRepoTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(store_.Open("events")); }
  static NewEvent Step(std::int64_t dossier, int i) {
    NewEvent e;
    e.aggregate_type = "dossier";
    e.aggregate_id = dossier;
    e.occurred_at = sys_days{year{2026} / 1 / 5} + hours(2) + seconds(i);
    e.actor_id = 3;
    e.action = "step";
    e.from_state = "s" + std::to_string(i);
    e.to_state = "s" + std::to_string(i + 1);
    e.payload = R"({"note": "bước )" + std::to_string(i) + R"(", "at": 1.0})";
    return e;
  }

  // Appends `n` events, alternating between dossiers 1 and 2.
  void Fill(int n) {
    ASSERT_TRUE(store_->WriteSync([&](Tx& tx) -> Status {
      for (int i = 0; i < n; ++i) MOTCUA_TRY(AppendEvent(tx, Step(1 + i % 2, i)));
      return {};
    }));
  }

  // Raw SQL as an intruder with the database file would run it: the
  // immutability triggers go first.
  void Tamper(const std::string& sql) {
    auto st = store_->WriteSync([&](Tx& tx) -> Status {
      MOTCUA_TRY(tx.Exec("DROP TRIGGER IF EXISTS events_no_update"));
      MOTCUA_TRY(tx.Exec("DROP TRIGGER IF EXISTS events_no_delete"));
      MOTCUA_TRY(tx.Exec(sql));
      return {};
    });
    ASSERT_TRUE(st) << st.error().message;
  }

  std::string Message(int batch = kVerifyBatch) {
    auto report = VerifyEventLog(*store_, batch);
    EXPECT_TRUE(report) << report.error().message;
    if (!report || !report->broken) return "intact";
    return report->broken->Message();
  }

  testing::TempStore store_;
};

TEST_F(EventsRepoTest, AppendsAChainStartingAtGenesis) {
  std::vector<Event> appended;
  ASSERT_TRUE(store_->WriteSync([&](Tx& tx) -> Status {
    for (int i = 0; i < 3; ++i) appended.push_back(MOTCUA_TRY(AppendEvent(tx, Step(1, i))));
    return {};
  }));
  ASSERT_EQ(appended.size(), 3u);
  EXPECT_EQ(appended[0].seq, 1);
  EXPECT_EQ(appended[0].prev_hash, motcua::events::kGenesisHash);
  EXPECT_EQ(appended[1].prev_hash, appended[0].hash);
  EXPECT_EQ(appended[2].prev_hash, appended[1].hash);
  EXPECT_EQ(appended[2].seq, 3);
  // The payload is stored, and hashed, in canonical form.
  EXPECT_EQ(appended[0].payload, R"({"at":1,"note":"bước 0"})");
}

TEST_F(EventsRepoTest, ListsOneDossiersHistoryInOrder) {
  Fill(7);
  std::vector<Event> history;
  ASSERT_TRUE(store_->Read([&](Tx& tx) -> Status {
    history = MOTCUA_TRY(ListEvents(tx, "dossier", 2));
    return {};
  }));
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].seq, 2);
  EXPECT_EQ(history[1].seq, 4);
  EXPECT_EQ(history[2].seq, 6);
  EXPECT_EQ(history[1].action, "step");
  EXPECT_EQ(history[1].actor_id, 3);
  EXPECT_EQ(history[1].from_state, "s3");
  EXPECT_EQ(history[1].to_state, "s4");
  EXPECT_EQ(history[1].occurred_at, sys_days{year{2026} / 1 / 5} + hours(2) + seconds(3));
  EXPECT_EQ(history[1].payload, R"({"at":1,"note":"bước 3"})");
  EXPECT_EQ(history[1].prev_hash.size(), 64u);
  EXPECT_EQ(history[1].hash.size(), 64u);
}

TEST_F(EventsRepoTest, AFailedCallbackTakesItsEventsWithIt) {
  Fill(2);
  auto failed = store_->WriteSync([&](Tx& tx) -> Status {
    MOTCUA_TRY(AppendEvent(tx, Step(1, 10)));
    return Fail(Code::kFailedPrecondition, "the projection update failed");
  });
  ASSERT_FALSE(failed);
  Fill(1);
  auto report = VerifyEventLog(*store_);
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->broken);
  EXPECT_EQ(report->events, 3);
}

TEST_F(EventsRepoTest, RefusesABadEventWithoutAppending) {
  NewEvent e = Step(1, 0);
  e.payload = "[1, 2]";
  auto st = store_->WriteSync([&](Tx& tx) -> Status {
    MOTCUA_TRY(AppendEvent(tx, e));
    return {};
  });
  ASSERT_FALSE(st);
  EXPECT_TRUE(st.error().fields.contains("payload"));
  EXPECT_EQ(VerifyEventLog(*store_)->events, 0);
}

TEST_F(EventsRepoTest, TheApplicationCannotRewriteOrDeleteEvents) {
  Fill(2);
  for (std::string sql :
       {"UPDATE events SET action = 'x' WHERE seq = 1", "DELETE FROM events WHERE seq = 2"}) {
    auto st = store_->WriteSync([&](Tx& tx) -> Status {
      MOTCUA_TRY(tx.Exec(sql));
      return {};
    });
    ASSERT_FALSE(st) << sql;
    EXPECT_THAT(st.error().message, HasSubstr("immutable"));
  }
  EXPECT_EQ(Message(), "intact");
}

TEST_F(EventsRepoTest, AnEmptyLogVerifies) {
  auto report = VerifyEventLog(*store_);
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->broken);
  EXPECT_EQ(report->events, 0);
  EXPECT_EQ(report->last_hash, motcua::events::kGenesisHash);
}

TEST_F(EventsRepoTest, VerifiesAcrossBatchBoundaries) {
  Fill(10);
  for (int batch : {1, 3, 5, 10, 11}) {
    auto report = VerifyEventLog(*store_, batch);
    ASSERT_TRUE(report);
    EXPECT_FALSE(report->broken) << "batch " << batch;
    EXPECT_EQ(report->events, 10);
    EXPECT_EQ(report->last_seq, 10);
  }
  std::string last;
  ASSERT_TRUE(store_->Read([&](Tx& tx) -> Status {
    last = MOTCUA_TRY(tx.Query("SELECT hash FROM events WHERE seq = 10"))[0].Text(0);
    return {};
  }));
  EXPECT_EQ(VerifyEventLog(*store_)->last_hash, last);
}

TEST_F(EventsRepoTest, NamesATamperedPayload) {
  Fill(10);
  Tamper(R"(UPDATE events SET payload = '{"at":1,"note":"bước 99"}' WHERE seq = 6)");
  EXPECT_EQ(Message(), "event 6 is broken: its hash does not match its contents");
  // The break is found wherever the batch boundaries fall.
  EXPECT_EQ(Message(5), "event 6 is broken: its hash does not match its contents");
  auto report = VerifyEventLog(*store_);
  EXPECT_EQ(report->events, 5);
}

TEST_F(EventsRepoTest, NamesADeletedEvent) {
  Fill(10);
  Tamper("DELETE FROM events WHERE seq = 4");
  EXPECT_EQ(Message(), "events missing between 3 and 5");
  Tamper("DELETE FROM events WHERE seq = 1");
  EXPECT_EQ(Message(), "events missing before event 2");
}

TEST_F(EventsRepoTest, NamesAChangedPrevHash) {
  Fill(10);
  Tamper("UPDATE events SET prev_hash = (SELECT hash FROM events WHERE seq = 2) WHERE seq = 8");
  EXPECT_EQ(Message(3), "event 8 does not link to event 7");
}

TEST_F(EventsRepoTest, NamesTheNextEventWhenATamperedEventWasRehashed) {
  Fill(10);
  // An intruder who edits event 5 and recomputes its hash (the encoding is
  // public) still cannot make event 6 point at it.
  Event edited;
  ASSERT_TRUE(store_->Read([&](Tx& tx) -> Status {
    edited = MOTCUA_TRY(ListEvents(tx, "dossier", 1))[2];
    return {};
  }));
  ASSERT_EQ(edited.seq, 5);
  const std::string payload = R"({"at":1,"note":"rewritten"})";
  motcua::events::StoredFields f;
  f.seq = 5;
  f.prev_hash = edited.prev_hash;
  f.aggregate_type = "dossier";
  f.aggregate_id = 1;
  const std::string at = "2026-01-05T02:00:04.000000Z";
  f.occurred_at = at;
  f.actor_id = 3;
  f.action = "step";
  f.from_state = "s4";
  f.to_state = "s5";
  f.payload = payload;
  Tamper("UPDATE events SET payload = '" + payload + "', hash = '" + motcua::events::HashEvent(f) +
         "' WHERE seq = 5");
  EXPECT_EQ(Message(), "event 6 does not link to event 5");
}

TEST_F(EventsRepoTest, AColumnOfTheWrongTypeIsABrokenEvent) {
  Fill(4);
  Tamper("UPDATE events SET actor_id = 'someone else' WHERE seq = 3");
  EXPECT_EQ(Message(), "event 3 is broken: its hash does not match its contents");
}

// Two servers on one database append to the one chain at once: every
// append lands, numbered without gaps, and the chain verifies. On SQLite the
// file's lock takes the writers in turn; on PostgreSQL the writer of each
// process holds an advisory lock for its transaction.
class EventChainAcrossProcessesTest : public ::testing::TestWithParam<testing::Engine> {};

TEST_P(EventChainAcrossProcessesTest, TwoWritersAppendingAtOnceKeepOneChain) {
  testing::TempStore first;
  ASSERT_TRUE(first.Open("chain", {}, GetParam()));
  auto second = Store::Open(first.url());
  ASSERT_TRUE(second) << second.error().message;
  constexpr int kPerWriter = 200;
  std::atomic<int> failed{0};
  auto append = [&](Store& store, std::int64_t dossier) {
    std::vector<std::future<Status>> pending;
    for (int i = 0; i < kPerWriter; ++i) {
      auto promise = std::make_shared<std::promise<Status>>();
      pending.push_back(promise->get_future());
      store.Write(
          [dossier, i](Tx& tx) -> Status {
            NewEvent e;
            e.aggregate_type = "dossier";
            e.aggregate_id = dossier;
            e.occurred_at = sys_days{year{2026} / 1 / 5} + seconds(i);
            e.action = "step";
            e.payload = "{}";
            MOTCUA_TRY(AppendEvent(tx, e));
            return {};
          },
          [promise](Status st) { promise->set_value(std::move(st)); });
    }
    for (auto& f : pending)
      if (!f.get()) ++failed;
  };
  std::thread a([&] { append(*first, 1); });
  std::thread b([&] { append(**second, 2); });
  a.join();
  b.join();
  (*second)->Close();
  EXPECT_EQ(failed.load(), 0);
  auto report = VerifyEventLog(*first, kVerifyBatch);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_FALSE(report->broken) << report->broken->Message();
  EXPECT_EQ(report->events, 2 * kPerWriter);
}

INSTANTIATE_TEST_SUITE_P(Engines, EventChainAcrossProcessesTest,
                         ::testing::Values(testing::Engine::kSqlite, testing::Engine::kPostgres),
                         [](const auto& info) { return testing::EngineName(info.param); });

}  // namespace
}  // namespace motcua::storage::events
