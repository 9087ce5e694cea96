// Upload (Put) and download (Open) throughput for 1 MiB files, durable:
// SQLite synchronous=FULL, and every file fsynced with its folder before its
// row commits.
//
// Files and the database live in a fresh folder under the temp directory
// ($TMPDIR), which must be on a real disk for the fsync figures to mean
// anything (not tmpfs).
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <filesystem>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "services/attachments/attachment_store.hpp"
#include "services/attachments/testing.hpp"

namespace motcua::attachments {
namespace {

constexpr std::size_t kFileBytes = 1024 * 1024;
// Files read back by the download benchmark, round robin: more than fit in
// a CPU cache, few enough to write in about a second.
constexpr int kReadFiles = 64;

struct Bench {
  std::filesystem::path dir;
  std::unique_ptr<storage::Store> db;
  std::unique_ptr<AttachmentStore> files;
  std::int64_t owner = 0;
  std::vector<std::string> ids;
};
Bench g_bench;
SystemClock g_clock;

// A 1 MiB PDF whose body is random, like a scan (incompressible).
std::string File() {
  std::mt19937_64 rng(42);
  std::string body(kFileBytes - 64, '\0');
  for (char& c : body) c = static_cast<char>(rng());
  return "%PDF-1.4\n" + body + "\n%%EOF\n";
}

bool SetUp(benchmark::State& state) {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "motcua_attach_bench_XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    state.SkipWithError("cannot create a temp folder");
    return false;
  }
  g_bench.dir = pattern;
  auto db = storage::Store::Open("sqlite:" + (g_bench.dir / "bench.db").string(),
                                 storage::StoreOptions{.synchronous_full = true});
  if (!db || !(*db)->Migrate()) {
    state.SkipWithError("cannot open the database");
    return false;
  }
  g_bench.db = std::move(*db);
  g_bench.owner = testing::AddUser(*g_bench.db, "bench");
  // No quota: the benchmark stages far more than one citizen may.
  Limits limits{.max_file_bytes = 2 * kFileBytes,
                .max_staged_bytes = std::numeric_limits<std::int64_t>::max(),
                .max_staged_files = std::numeric_limits<std::int64_t>::max()};
  g_bench.files = std::make_unique<AttachmentStore>(
      *g_bench.db, g_clock, g_bench.dir / "attachments", testing::Key(), limits);
  return true;
}

void TearDown() {
  g_bench.files.reset();
  if (g_bench.db) g_bench.db->Close();
  g_bench.db.reset();
  g_bench.ids.clear();
  std::filesystem::remove_all(g_bench.dir);
}

void BM_Put1MiB(benchmark::State& state) {
  if (state.thread_index() == 0 && !SetUp(state)) return;
  const std::string file = File();
  for (auto _ : state) {
    auto info = g_bench.files->Put(g_bench.owner, file, "scan.pdf", "application/pdf");
    if (!info) {
      state.SkipWithError(info.error().message.c_str());
      break;
    }
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(file.size()));
  if (state.thread_index() == 0) TearDown();
}
BENCHMARK(BM_Put1MiB)->Threads(1)->Threads(4)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_Open1MiB(benchmark::State& state) {
  if (state.thread_index() == 0) {
    if (!SetUp(state)) return;
    const std::string file = File();
    for (int i = 0; i < kReadFiles; ++i) {
      auto info = g_bench.files->Put(g_bench.owner, file, "scan.pdf", "application/pdf");
      if (!info) {
        state.SkipWithError(info.error().message.c_str());
        return;
      }
      g_bench.ids.push_back(info->id);
    }
  }
  accounts::Principal owner;
  owner.user_id = g_bench.owner;
  std::size_t next = static_cast<std::size_t>(state.thread_index());
  std::int64_t bytes = 0;
  for (auto _ : state) {
    auto file = g_bench.files->Open(owner, g_bench.ids[next++ % g_bench.ids.size()]);
    if (!file) {
      state.SkipWithError(file.error().message.c_str());
      break;
    }
    bytes += static_cast<std::int64_t>(file->bytes.size());
  }
  state.SetBytesProcessed(bytes);
  if (state.thread_index() == 0) TearDown();
}
BENCHMARK(BM_Open1MiB)->Threads(1)->Threads(2)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace motcua::attachments
