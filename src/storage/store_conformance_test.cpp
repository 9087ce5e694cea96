#include "storage/store_conformance.hpp"

#include <gmock/gmock.h>
#include <stdlib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <future>
#include <limits>
#include <mutex>
#include <thread>
#include <vector>

namespace motcua::storage::conformance {
namespace {

using ::testing::HasSubstr;

// Long enough for a slow CI disk to fsync thousands of commits; a test that
// waits this long has hung, and fails instead of blocking the whole run.
constexpr auto kHangTimeout = std::chrono::seconds(60);

constexpr Migration kSchema[] = {
    {1, "test_schema",
     "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
     " qty INTEGER NOT NULL DEFAULT 0 CHECK (qty >= 0));"
     "CREATE TABLE notes (id INTEGER PRIMARY KEY,"
     " item_id INTEGER NOT NULL REFERENCES items (id), body TEXT NOT NULL);"
     "CREATE TABLE vals (id INTEGER PRIMARY KEY, i BIGINT, r DOUBLE PRECISION, t TEXT);"
     "CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance BIGINT NOT NULL);"},
};

constexpr Migration kV1 = {1, "first",
                           "CREATE TABLE m1 (id INTEGER PRIMARY KEY, v TEXT NOT NULL);\n"
                           "INSERT INTO m1 (id, v) VALUES (1, 'seed');\n"};
constexpr Migration kV2 = {2, "second", "CREATE TABLE m2 (id INTEGER PRIMARY KEY);"};
constexpr Migration kV3 = {3, "third", "ALTER TABLE m1 ADD COLUMN extra TEXT;"};
constexpr Migration kBroken2 = {2, "broken",
                                "CREATE TABLE m2 (id INTEGER PRIMARY KEY);\n"
                                "INSERT INTO no_such_table (id) VALUES (1);\n"};
constexpr Migration kUpTo2[] = {kV1, kV2};
constexpr Migration kUpTo3[] = {kV1, kV2, kV3};
constexpr Migration kWithBroken[] = {kV1, kBroken2};

// prefix + id. (Not `"x" + std::to_string(id)`: GCC 12 at -O3 reports a
// bogus -Wrestrict on that form.)
std::string Numbered(std::string prefix, std::int64_t id) {
  prefix += std::to_string(id);
  return prefix;
}

Status InsertItem(Tx& tx, std::int64_t id, std::string name) {
  MOTCUA_TRY_VOID(tx.Exec("INSERT INTO items (id, name) VALUES ($1, $2)", {id, std::move(name)}));
  return {};
}

Result<std::int64_t> Count(Store& store, std::string_view sql, const Params& params = {}) {
  std::int64_t n = -1;
  MOTCUA_TRY_VOID(store.Read([&](Tx& tx) -> Status {
    auto rows = MOTCUA_TRY(tx.Query(sql, params));
    n = rows.at(0).Int(0);
    return {};
  }));
  return n;
}

// Collects the status of asynchronous writes; Wait() returns once `expected`
// done calls have arrived.
class DoneLog {
 public:
  explicit DoneLog(std::size_t expected) : statuses_(expected), calls_(expected) {}
  DoneFn For(std::size_t i) {
    return [this, i](Status s) {
      std::lock_guard lock(mu_);
      statuses_[i] = std::move(s);
      ++calls_[i];
      ++total_;
      cv_.notify_all();
    };
  }
  bool Wait() {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, kHangTimeout, [&] { return total_ >= statuses_.size(); });
  }
  const Status& status(std::size_t i) {
    std::lock_guard lock(mu_);
    return statuses_[i];
  }
  int calls(std::size_t i) {
    std::lock_guard lock(mu_);
    return calls_[i];
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Status> statuses_;
  std::vector<int> calls_;
  std::size_t total_ = 0;
};

// Holds the writer inside one callback until Release(), so that the writes
// queued meanwhile form one group.
class WriterGate {
 public:
  void Block(Store& store) {
    store.Write(
        [this](Tx&) -> Status {
          entered_.set_value();
          release_.get_future().wait();
          return {};
        },
        nullptr);
    entered_.get_future().wait();
  }
  void Release() { release_.set_value(); }

 private:
  std::promise<void> entered_;
  std::promise<void> release_;
};

}  // namespace

std::span<const Migration> TestSchema() { return kSchema; }

void StoreConformance::SetUp() {
  std::string pattern = (std::filesystem::temp_directory_path() / "motcua_store_XXXXXX").string();
  ASSERT_NE(mkdtemp(pattern.data()), nullptr);
  dir_ = pattern;
}

void StoreConformance::TearDown() {
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

Result<std::unique_ptr<Store>> StoreConformance::OpenRaw(std::span<const Migration> migrations,
                                                         const StoreOptions& options) {
  return GetParam().open(dir_, options, migrations);
}

std::unique_ptr<Store> StoreConformance::OpenStore(const StoreOptions& options,
                                                   std::span<const Migration> migrations) {
  auto store = OpenRaw(migrations, options);
  EXPECT_TRUE(store.has_value()) << store.error().message;
  if (!store) return nullptr;
  Status migrated = (*store)->Migrate();
  EXPECT_TRUE(migrated.has_value()) << migrated.error().message;
  return std::move(*store);
}

TEST_P(StoreConformance, ValuesRoundTripExactly) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  const std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  const std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  const double kTiny = std::numeric_limits<double>::denorm_min();
  const std::string kName = "Nguyễn Thị Ánh";
  std::vector<Params> rows = {
      {std::int64_t{1}, kMin, 0.1, kName},
      {std::int64_t{2}, kMax, -1.5e300, std::string()},
      {std::int64_t{3}, Null{}, Null{}, Null{}},
      {std::int64_t{4}, std::int64_t{0}, kTiny, std::string("Quảng Ninh – Hạ Long 🏔")},
  };
  ASSERT_TRUE(store->WriteSync([&](Tx& tx) -> Status {
    for (const Params& p : rows) {
      MOTCUA_TRY_VOID(tx.Exec("INSERT INTO vals (id, i, r, t) VALUES ($1, $2, $3, $4)", p));
    }
    return {};
  }));

  Rows got;
  ASSERT_TRUE(store->Read([&](Tx& tx) -> Status {
    got = MOTCUA_TRY(tx.Query("SELECT id, i, r, t FROM vals ORDER BY id"));
    return {};
  }));
  ASSERT_EQ(got.size(), rows.size());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    ASSERT_EQ(got[r].size(), 4u);
    for (std::size_t c = 0; c < 4; ++c) {
      EXPECT_TRUE(got[r].at(c) == rows[r][c]) << "row " << r << " column " << c;
    }
  }
  EXPECT_EQ(got[0].Int(1), kMin);
  EXPECT_EQ(got[1].Int(1), kMax);
  EXPECT_EQ(got[0].Real(2), 0.1);
  EXPECT_EQ(got[0].Text(3), kName);
  EXPECT_EQ(got[1].Text(3), "");
  EXPECT_EQ(got[1].OptText(3), std::optional<std::string>(""));  // empty is not NULL
  EXPECT_TRUE(got[2].IsNull(1));
  EXPECT_EQ(got[2].Int(1), 0);
  EXPECT_EQ(got[2].Text(3), "");
  EXPECT_EQ(got[2].OptInt(1), std::nullopt);
  EXPECT_EQ(got[2].OptText(3), std::nullopt);

  // UTF-8 text compares as text in SQL, not only on the way back.
  auto id = Count(*store, "SELECT id FROM vals WHERE t = $1", {kName});
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_EQ(*id, 1);
}

TEST_P(StoreConformance, TextWithNulByteIsRejected) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  Status s = store->WriteSync([](Tx& tx) -> Status {
    MOTCUA_TRY_VOID(tx.Exec("INSERT INTO vals (id, t) VALUES ($1, $2)",
                            {std::int64_t{1}, std::string("a\0b", 3)}));
    return {};
  });
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, Code::kInvalidArgument);
  EXPECT_THAT(s.error().message, HasSubstr("$2"));
  EXPECT_EQ(Count(*store, "SELECT count(*) FROM vals"), 0);
}

TEST_P(StoreConformance, ParametersMayComeOutOfOrderAndRepeat) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->WriteSync([](Tx& tx) -> Status {
    auto n = MOTCUA_TRY(tx.Exec("INSERT INTO vals (t, id, i) VALUES ($3, $1, $2)",
                                {std::int64_t{7}, std::int64_t{42}, std::string("bảy")}));
    if (n != 1) return Fail(Code::kInternal, "expected one changed row");
    return {};
  }));
  Rows got;
  ASSERT_TRUE(store->Read([&](Tx& tx) -> Status {
    got = MOTCUA_TRY(tx.Query("SELECT t, id FROM vals WHERE i = $2 AND id = $1",
                              {std::int64_t{7}, std::int64_t{42}}));
    return {};
  }));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].Text(0), "bảy");
  EXPECT_EQ(Count(*store, "SELECT count(*) FROM vals WHERE id = $1 OR i = $1", {std::int64_t{42}}),
            1);
}

TEST_P(StoreConformance, ExecReportsChangedRows) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  std::int64_t updated = -1, none = -1;
  ASSERT_TRUE(store->WriteSync([&](Tx& tx) -> Status {
    for (std::int64_t id = 1; id <= 3; ++id) MOTCUA_TRY_VOID(InsertItem(tx, id, Numbered("i", id)));
    updated =
        MOTCUA_TRY(tx.Exec("UPDATE items SET qty = qty + 1 WHERE id >= $1", {std::int64_t{2}}));
    none = MOTCUA_TRY(tx.Exec("DELETE FROM items WHERE id > $1", {std::int64_t{100}}));
    return {};
  }));
  EXPECT_EQ(updated, 2);
  EXPECT_EQ(none, 0);
}

TEST_P(StoreConformance, ConstraintViolationsMapToCodes) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->WriteSync([](Tx& tx) { return InsertItem(tx, 1, "hồ sơ"); }));

  auto code_of = [&](std::string_view sql, Params params) {
    Status s = store->WriteSync([&](Tx& tx) -> Status {
      MOTCUA_TRY_VOID(tx.Exec(sql, params));
      return {};
    });
    return s ? std::optional<Code>() : std::optional<Code>(s.error().code);
  };
  const std::string insert = "INSERT INTO items (id, name, qty) VALUES ($1, $2, $3)";
  // Same name (UNIQUE) and same id (PRIMARY KEY).
  EXPECT_EQ(code_of(insert, {std::int64_t{2}, std::string("hồ sơ"), std::int64_t{0}}),
            Code::kAlreadyExists);
  EXPECT_EQ(code_of(insert, {std::int64_t{1}, std::string("other"), std::int64_t{0}}),
            Code::kAlreadyExists);
  EXPECT_EQ(code_of(insert, {std::int64_t{3}, std::string("negative"), std::int64_t{-1}}),
            Code::kFailedPrecondition);  // CHECK
  EXPECT_EQ(code_of(insert, {std::int64_t{4}, Null{}, std::int64_t{0}}),
            Code::kFailedPrecondition);  // NOT NULL
  EXPECT_EQ(code_of("INSERT INTO notes (id, item_id, body) VALUES ($1, $2, $3)",
                    {std::int64_t{1}, std::int64_t{999}, std::string("x")}),
            Code::kFailedPrecondition);  // FOREIGN KEY
  EXPECT_EQ(Count(*store, "SELECT count(*) FROM items"), 1);
  EXPECT_EQ(Count(*store, "SELECT count(*) FROM notes"), 0);
}

TEST_P(StoreConformance, FailingCallbackInAGroupDoesNotUndoTheOthers) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->WriteSync([](Tx& tx) { return InsertItem(tx, 1, "taken"); }));
  const std::uint64_t commits_before = store->Stats().commits;

  WriterGate gate;
  gate.Block(*store);
  DoneLog log(3);
  store->Write([](Tx& tx) { return InsertItem(tx, 10, "first"); }, log.For(0));
  store->Write(
      [](Tx& tx) -> Status {
        MOTCUA_TRY_VOID(InsertItem(tx, 11, "undone"));
        return InsertItem(tx, 12, "taken");  // duplicate name: fails
      },
      log.For(1));
  store->Write([](Tx& tx) { return InsertItem(tx, 13, "third"); }, log.For(2));
  gate.Release();
  ASSERT_TRUE(log.Wait());

  EXPECT_TRUE(log.status(0));
  ASSERT_FALSE(log.status(1));
  EXPECT_EQ(log.status(1).error().code, Code::kAlreadyExists);
  EXPECT_TRUE(log.status(2));
  EXPECT_EQ(Count(*store, "SELECT count(*) FROM items WHERE id IN (10, 13)"), 2);
  EXPECT_EQ(Count(*store, "SELECT count(*) FROM items WHERE id IN (11, 12)"), 0);
  // The gate's write and the three queued behind it: two commits in all.
  EXPECT_EQ(store->Stats().commits - commits_before, 2u);
}

TEST_P(StoreConformance, DoneRunsOnlyAfterTheCommitIsVisibleToOthers) {
  auto writer = OpenStore();
  ASSERT_TRUE(writer);
  auto other = OpenStore();
  ASSERT_TRUE(other);

  std::promise<Result<std::int64_t>> seen;
  writer->Write([](Tx& tx) { return InsertItem(tx, 1, "durable"); },
                [&](Status s) {
                  if (!s) {
                    seen.set_value(Fail(s.error()));
                    return;
                  }
                  // Another store, another connection: it can only see the
                  // row if the commit has happened before done was called.
                  seen.set_value(Count(*other, "SELECT count(*) FROM items"));
                });
  auto fut = seen.get_future();
  ASSERT_EQ(fut.wait_for(kHangTimeout), std::future_status::ready);
  auto n = fut.get();
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(*n, 1);

  writer->Close();
  other->Close();
  auto reopened = OpenStore();
  ASSERT_TRUE(reopened);
  EXPECT_EQ(
      Count(*reopened, "SELECT count(*) FROM items WHERE name = $1", {std::string("durable")}), 1);
}

TEST_P(StoreConformance, ConcurrentWritersAllLandAndEachDoneRunsOnce) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  constexpr int kThreads = 8;
  constexpr int kPerThread = 500;
  DoneLog log(kThreads * kPerThread);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int j = 0; j < kPerThread; ++j) {
        std::int64_t id = t * kPerThread + j;
        store->Write([id](Tx& tx) { return InsertItem(tx, id, Numbered("item-", id)); },
                     log.For(static_cast<std::size_t>(id)));
      }
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_TRUE(log.Wait());
  store->Close();  // nothing may call done again while closing

  for (std::size_t i = 0; i < kThreads * kPerThread; ++i) {
    ASSERT_EQ(log.calls(i), 1) << "write " << i;
    ASSERT_TRUE(log.status(i)) << "write " << i << ": " << log.status(i).error().message;
  }
  auto reopened = OpenStore();
  ASSERT_TRUE(reopened);
  EXPECT_EQ(Count(*reopened, "SELECT count(*) FROM items"), kThreads * kPerThread);
  EXPECT_EQ(Count(*reopened, "SELECT count(DISTINCT name) FROM items"), kThreads * kPerThread);
}

TEST_P(StoreConformance, ReadSeesOneSnapshotWhileWritesCommit) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->WriteSync([](Tx& tx) { return InsertItem(tx, 1, "before"); }));

  std::int64_t first = -1, second = -1;
  Status committed;
  ASSERT_TRUE(store->Read([&](Tx& tx) -> Status {
    first = MOTCUA_TRY(tx.Query("SELECT count(*) FROM items")).at(0).Int(0);
    committed = store->WriteSync([](Tx& w) { return InsertItem(w, 2, "during"); });
    second = MOTCUA_TRY(tx.Query("SELECT count(*) FROM items")).at(0).Int(0);
    return {};
  }));
  ASSERT_TRUE(committed) << committed.error().message;
  EXPECT_EQ(first, 1);
  EXPECT_EQ(second, 1);  // the write committed, but not into this snapshot
  EXPECT_EQ(Count(*store, "SELECT count(*) FROM items"), 2);
}

TEST_P(StoreConformance, ConcurrentReadersNeverSeeAHalfDoneTransfer) {
  auto store = OpenStore(StoreOptions{.read_connections = 2});
  ASSERT_TRUE(store);
  constexpr std::int64_t kTotal = 1000;
  ASSERT_TRUE(store->WriteSync([&](Tx& tx) -> Status {
    MOTCUA_TRY_VOID(tx.Exec("INSERT INTO accounts (id, balance) VALUES (1, $1), (2, 0)", {kTotal}));
    return {};
  }));

  std::atomic<bool> stop{false};
  std::atomic<int> torn{0}, reads{0}, failed{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 2; ++r) {
    readers.emplace_back([&] {
      while (!stop.load()) {
        std::int64_t a = 0, b = 0;
        Status s = store->Read([&](Tx& tx) -> Status {
          // Two statements on purpose: only the snapshot keeps them agreeing.
          a = MOTCUA_TRY(tx.Query("SELECT balance FROM accounts WHERE id = 1")).at(0).Int(0);
          b = MOTCUA_TRY(tx.Query("SELECT balance FROM accounts WHERE id = 2")).at(0).Int(0);
          return {};
        });
        if (!s) ++failed;
        if (a + b != kTotal) ++torn;
        ++reads;
      }
    });
  }
  for (int i = 0; i < 200; ++i) {
    Status s = store->WriteSync([](Tx& tx) -> Status {
      MOTCUA_TRY_VOID(tx.Exec("UPDATE accounts SET balance = balance - 1 WHERE id = 1"));
      MOTCUA_TRY_VOID(tx.Exec("UPDATE accounts SET balance = balance + 1 WHERE id = 2"));
      return {};
    });
    ASSERT_TRUE(s) << s.error().message;
  }
  stop.store(true);
  for (auto& th : readers) th.join();
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(torn.load(), 0);
  EXPECT_EQ(Count(*store, "SELECT balance FROM accounts WHERE id = 2"), 200);
}

TEST_P(StoreConformance, ReadWaitsForAFreeConnection) {
  auto store = OpenStore(StoreOptions{.read_connections = 1});
  ASSERT_TRUE(store);
  std::promise<void> entered, release;
  std::thread holder([&] {
    Status s = store->Read([&](Tx&) -> Status {
      entered.set_value();
      release.get_future().wait();
      return {};
    });
    EXPECT_TRUE(s);
  });
  entered.get_future().wait();

  std::atomic<bool> second_done{false};
  Status second;
  std::thread waiter([&] {
    second = store->Read([](Tx& tx) -> Status {
      MOTCUA_TRY_VOID(tx.Query("SELECT count(*) FROM items"));
      return {};
    });
    second_done.store(true);
  });
  // The only connection is held: the second read must still be waiting.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(second_done.load());
  release.set_value();
  holder.join();
  waiter.join();
  EXPECT_TRUE(second) << second.error().message;
}

TEST_P(StoreConformance, ReadTransactionRefusesWrites) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  Status exec, query;
  bool read_writable = true, write_writable = false;
  ASSERT_TRUE(store->Read([&](Tx& tx) -> Status {
    read_writable = tx.writable();
    exec = [&]() -> Status {
      MOTCUA_TRY_VOID(tx.Exec("INSERT INTO items (id, name) VALUES (1, 'x')"));
      return {};
    }();
    query = [&]() -> Status {
      MOTCUA_TRY_VOID(tx.Query("INSERT INTO items (id, name) VALUES (2, 'y') RETURNING id"));
      return {};
    }();
    return {};
  }));
  ASSERT_TRUE(store->WriteSync([&](Tx& tx) -> Status {
    write_writable = tx.writable();
    return {};
  }));
  EXPECT_FALSE(read_writable);
  EXPECT_TRUE(write_writable);
  ASSERT_FALSE(exec);
  EXPECT_EQ(exec.error().code, Code::kInternal);
  EXPECT_THAT(exec.error().message, HasSubstr("read-only transaction"));
  ASSERT_FALSE(query);
  EXPECT_EQ(Count(*store, "SELECT count(*) FROM items"), 0);
}

TEST_P(StoreConformance, InsertReturningGivesTheRow) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  Rows got;
  ASSERT_TRUE(store->WriteSync([&](Tx& tx) -> Status {
    got = MOTCUA_TRY(
        tx.Query("INSERT INTO items (id, name, qty) VALUES ($1, $2, $3) RETURNING id, qty",
                 {std::int64_t{5}, std::string("n"), std::int64_t{9}}));
    return {};
  }));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].Int(0), 5);
  EXPECT_EQ(got[0].Int(1), 9);
}

TEST_P(StoreConformance, BadSqlIsAnErrorNeverACrash) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  std::vector<std::pair<std::string, Params>> bad = {
      {"SELEC 1", {}},
      {"SELECT * FROM no_such_table", {}},
      {"", {}},
      {"SELECT 1; SELECT 2", {}},
      {"SELECT id FROM items WHERE id = ?", {std::int64_t{1}}},
      {"SELECT id FROM items WHERE id = $1 AND qty = $2", {std::int64_t{1}}},      // too few
      {"SELECT id FROM items WHERE id = $1", {std::int64_t{1}, std::int64_t{2}}},  // too many
      {"SELECT id FROM items WHERE id = $2", {Null{}, std::int64_t{1}}},           // $1 never used
  };
  for (const auto& [sql, params] : bad) {
    Status s = store->Read([&](Tx& tx) -> Status {
      MOTCUA_TRY_VOID(tx.Query(sql, params));
      return {};
    });
    ASSERT_FALSE(s) << sql;
    EXPECT_EQ(s.error().code, Code::kInternal) << sql;
    EXPECT_FALSE(s.error().message.empty()) << sql;
  }
  for (std::string control : {"COMMIT", "ROLLBACK", "  begin", "SAVEPOINT x", "RELEASE x"}) {
    Status s = store->WriteSync([&](Tx& tx) -> Status {
      MOTCUA_TRY_VOID(tx.Exec(control));
      return {};
    });
    ASSERT_FALSE(s) << control;
    EXPECT_EQ(s.error().code, Code::kInternal) << control;
  }
  // The store is still fine afterwards.
  ASSERT_TRUE(store->WriteSync([](Tx& tx) { return InsertItem(tx, 1, "still works"); }));
  EXPECT_EQ(Count(*store, "SELECT count(*) FROM items"), 1);
}

TEST_P(StoreConformance, CloseDrainsQueuedWrites) {
  constexpr std::size_t kQueued = 100;
  {
    auto store = OpenStore();
    ASSERT_TRUE(store);
    WriterGate gate;
    gate.Block(*store);
    DoneLog log(kQueued);
    for (std::size_t i = 0; i < kQueued; ++i) {
      auto id = static_cast<std::int64_t>(i);
      store->Write([id](Tx& tx) { return InsertItem(tx, id, Numbered("queued-", id)); },
                   log.For(i));
    }
    std::thread closer([&] { store->Close(); });
    // Close has begun once a write is refused; those accepted before are
    // queued like the others and must be finished too.
    std::vector<std::shared_ptr<std::atomic<int>>> probes;
    for (;;) {
      auto state = std::make_shared<std::atomic<int>>(0);
      probes.push_back(state);
      store->Write([](Tx&) -> Status { return {}; },
                   [state](Status s) { state->store(s ? 1 : 2); });
      if (state->load() == 2) break;
      std::this_thread::yield();
    }
    gate.Release();
    closer.join();
    ASSERT_TRUE(log.Wait());
    for (std::size_t i = 0; i < kQueued; ++i) {
      ASSERT_EQ(log.calls(i), 1);
      ASSERT_TRUE(log.status(i)) << log.status(i).error().message;
    }
    for (std::size_t p = 0; p + 1 < probes.size(); ++p) EXPECT_EQ(probes[p]->load(), 1);
  }
  auto reopened = OpenStore();
  ASSERT_TRUE(reopened);
  EXPECT_EQ(Count(*reopened, "SELECT count(*) FROM items"), static_cast<std::int64_t>(kQueued));
}

TEST_P(StoreConformance, EverythingAfterCloseIsUnavailable) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  store->Close();
  store->Close();  // idempotent

  bool called_inline = false;
  Status async;
  store->Write([](Tx& tx) { return InsertItem(tx, 1, "late"); },
               [&](Status s) {
                 called_inline = true;
                 async = std::move(s);
               });
  EXPECT_TRUE(called_inline);
  ASSERT_FALSE(async);
  EXPECT_EQ(async.error().code, Code::kUnavailable);

  Status sync = store->WriteSync([](Tx& tx) { return InsertItem(tx, 2, "late"); });
  ASSERT_FALSE(sync);
  EXPECT_EQ(sync.error().code, Code::kUnavailable);

  Status read = store->Read([](Tx&) -> Status { return {}; });
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, Code::kUnavailable);
}

TEST_P(StoreConformance, StatsCountReadsWritesAndCommits) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  StoreStats before = store->Stats();
  ASSERT_TRUE(store->WriteSync([](Tx& tx) { return InsertItem(tx, 1, "a"); }));
  ASSERT_TRUE(store->WriteSync([](Tx& tx) { return InsertItem(tx, 2, "b"); }));
  ASSERT_FALSE(store->WriteSync([](Tx& tx) { return InsertItem(tx, 3, "a"); }));
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(store->Read([](Tx&) -> Status { return {}; }));
  StoreStats after = store->Stats();
  EXPECT_EQ(after.writes - before.writes, 3u);
  EXPECT_EQ(after.write_errors - before.write_errors, 1u);
  EXPECT_GE(after.commits - before.commits, 2u);  // one at a time: nothing to group
  EXPECT_EQ(after.reads - before.reads, 3u);
  EXPECT_GT(after.commit_micros, before.commit_micros);
}

TEST_P(StoreConformance, MigrationsApplyOnceInOrder) {
  {
    auto store = OpenRaw(kUpTo2);
    ASSERT_TRUE(store) << store.error().message;
    EXPECT_EQ((*store)->SchemaVersion(), 0);
    EXPECT_EQ((*store)->LatestSchemaVersion(), 2);
    ASSERT_TRUE((*store)->Migrate());
    EXPECT_EQ((*store)->SchemaVersion(), 2);
    ASSERT_TRUE((*store)->Migrate());  // idempotent: the seed row is not added twice
    EXPECT_EQ((*store)->SchemaVersion(), 2);
    EXPECT_EQ(Count(**store, "SELECT count(*) FROM m1"), 1);
    Rows applied;
    ASSERT_TRUE((*store)->Read([&](Tx& tx) -> Status {
      applied = MOTCUA_TRY(
          tx.Query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version"));
      return {};
    }));
    ASSERT_EQ(applied.size(), 2u);
    EXPECT_EQ(applied[0].Int(0), 1);
    EXPECT_EQ(applied[0].Text(1), "first");
    EXPECT_EQ(applied[1].Text(1), "second");
    EXPECT_FALSE(applied[1].Text(2).empty());
  }
  // A newer binary knows one more migration: only that one runs.
  auto store = OpenRaw(kUpTo3);
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ((*store)->SchemaVersion(), 2);
  ASSERT_TRUE((*store)->Migrate());
  EXPECT_EQ((*store)->SchemaVersion(), 3);
  EXPECT_EQ(Count(**store, "SELECT count(*) FROM m1"), 1);
  EXPECT_TRUE((*store)->WriteSync([](Tx& tx) -> Status {
    MOTCUA_TRY_VOID(tx.Exec("INSERT INTO m1 (id, v, extra) VALUES (2, 'x', 'new column')"));
    return {};
  }));
}

TEST_P(StoreConformance, NewerSchemaThanTheBinaryIsRefused) {
  {
    auto store = OpenRaw(kUpTo3);
    ASSERT_TRUE(store);
    ASSERT_TRUE((*store)->Migrate());
  }
  auto old_binary = OpenRaw(kUpTo2);
  ASSERT_TRUE(old_binary);
  Status s = (*old_binary)->Migrate();
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, Code::kFailedPrecondition);
  EXPECT_THAT(s.error().message, HasSubstr("version 3"));
  EXPECT_THAT(s.error().message, HasSubstr("newer"));
  EXPECT_EQ((*old_binary)->SchemaVersion(), 3);
}

TEST_P(StoreConformance, FailingMigrationIsRolledBackAndReported) {
  {
    auto store = OpenRaw(kWithBroken);
    ASSERT_TRUE(store);
    Status s = (*store)->Migrate();
    ASSERT_FALSE(s);
    EXPECT_THAT(s.error().message, HasSubstr("0002_broken"));
    EXPECT_EQ((*store)->SchemaVersion(), 1);  // the first one stays applied
    // The table the broken file created first is gone with it.
    EXPECT_FALSE(Count(**store, "SELECT count(*) FROM m2"));
  }
  auto fixed = OpenRaw(kUpTo2);
  ASSERT_TRUE(fixed);
  ASSERT_TRUE((*fixed)->Migrate());
  EXPECT_EQ((*fixed)->SchemaVersion(), 2);
  EXPECT_EQ(Count(**fixed, "SELECT count(*) FROM m2"), 0);
}

}  // namespace motcua::storage::conformance
