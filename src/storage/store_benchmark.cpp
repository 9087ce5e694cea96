// Durable write throughput with and without group commit, and point reads.
//
// Databases live in a fresh folder under the temp directory ($TMPDIR), which
// must be on a real disk for the fsync figures to mean anything (not tmpfs).
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <random>
#include <string>

#include "storage/sqlite/sqlite_store.hpp"

namespace motcua::storage {
namespace {

constexpr Migration kSchema[] = {
    {1, "bench", "CREATE TABLE kv (id INTEGER PRIMARY KEY, v TEXT NOT NULL)"}};

// Rows for the point lookups: enough that the B-tree has a few levels, few
// enough to load in well under a second.
constexpr std::int64_t kLookupRows = 100'000;

// One database per benchmark run, shared by its threads: thread 0 sets it up
// before the timed loop and tears it down after (Google Benchmark puts a
// barrier at both ends of the loop).
struct BenchDb {
  std::filesystem::path dir;
  std::unique_ptr<SqliteStore> store;
  std::atomic<std::int64_t> next_id{0};
};
BenchDb g_db;

bool SetUpDb(benchmark::State& state, const StoreOptions& options) {
  std::string pattern = (std::filesystem::temp_directory_path() / "motcua_bench_XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    state.SkipWithError("cannot create a temp folder");
    return false;
  }
  g_db.dir = pattern;
  g_db.next_id = 0;
  auto store = SqliteStore::Open((g_db.dir / "bench.db").string(), options, kSchema);
  if (!store || !(*store)->Migrate()) {
    state.SkipWithError("cannot open the database");
    return false;
  }
  g_db.store = std::move(*store);
  return true;
}

void TearDownDb(benchmark::State& state, bool report_commits) {
  if (g_db.store) {
    StoreStats stats = g_db.store->Stats();
    if (report_commits && stats.commits > 0) {
      state.counters["writes_per_commit"] =
          static_cast<double>(stats.writes) / static_cast<double>(stats.commits);
      state.counters["commit_us"] =
          static_cast<double>(stats.commit_micros) / static_cast<double>(stats.commits);
    }
    g_db.store->Close();
    g_db.store.reset();
  }
  std::error_code ec;
  std::filesystem::remove_all(g_db.dir, ec);
}

Status InsertOne(SqliteStore& store, std::int64_t id) {
  return store.WriteSync([id](Tx& tx) -> Status {
    MOTCUA_TRY_VOID(
        tx.Exec("INSERT INTO kv (id, v) VALUES ($1, $2)", {id, std::string("một cửa, một dấu")}));
    return {};
  });
}

// Every insert is its own request waiting for a durable commit; the writer
// groups the ones that arrive while it is fsyncing.
void BM_DurableInsert(benchmark::State& state) {
  if (state.thread_index() == 0 && !SetUpDb(state, StoreOptions{.synchronous_full = true})) return;
  for (auto _ : state) {
    if (!g_db.store || !InsertOne(*g_db.store, g_db.next_id.fetch_add(1))) {
      state.SkipWithError("insert failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) TearDownDb(state, true);
}
// 1 thread: one transaction (one fsync) per insert. 16 threads: group commit.
BENCHMARK(BM_DurableInsert)->Threads(1)->Threads(16)->UseRealTime()->MinTime(2.0);

void BM_PointLookup(benchmark::State& state) {
  if (state.thread_index() == 0) {
    if (!SetUpDb(state, StoreOptions{.read_connections = 4})) return;
    Status loaded = g_db.store->WriteSync([](Tx& tx) -> Status {
      for (std::int64_t id = 0; id < kLookupRows; ++id) {
        MOTCUA_TRY_VOID(
            tx.Exec("INSERT INTO kv (id, v) VALUES ($1, $2)", {id, std::to_string(id)}));
      }
      return {};
    });
    if (!loaded) {
      state.SkipWithError("cannot load rows");
      return;
    }
  }
  std::mt19937_64 rng(static_cast<std::uint64_t>(state.thread_index()) + 1);
  std::uniform_int_distribution<std::int64_t> pick(0, kLookupRows - 1);
  for (auto _ : state) {
    std::int64_t id = pick(rng);
    if (!g_db.store) {
      state.SkipWithError("no database");
      break;
    }
    Status s = g_db.store->Read([id](Tx& tx) -> Status {
      auto rows = MOTCUA_TRY(tx.Query("SELECT v FROM kv WHERE id = $1", {id}));
      benchmark::DoNotOptimize(rows);
      return rows.size() == 1 ? Status{} : Fail(Code::kNotFound, "row missing");
    });
    if (!s) {
      state.SkipWithError("lookup failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) TearDownDb(state, false);
}
BENCHMARK(BM_PointLookup)->Threads(1)->Threads(2)->UseRealTime();

}  // namespace
}  // namespace motcua::storage
