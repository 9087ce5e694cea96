// Appending events and verifying the chain (`motcua verify`) on a log of
// realistic shape: a dossier's transition with a short Vietnamese reason.
//
// Databases live in a fresh folder under the temp directory ($TMPDIR).
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include "storage/events_repo.hpp"

namespace motcua::storage::events {
namespace {

using namespace std::chrono;

// Events appended per write callback when filling the log: many per
// transaction, so filling 200,000 takes seconds, not minutes of fsyncs.
constexpr int kFillPerWrite = 5'000;

NewEvent Transition(std::int64_t i) {
  NewEvent e;
  e.aggregate_type = "dossier";
  e.aggregate_id = 1 + i / 10;  // about ten events per dossier (DOMAIN.md 9)
  e.occurred_at = sys_days{year{2026} / 3 / 2} + seconds(i);
  e.actor_id = 1 + i % 50;
  e.action = "transfer";
  e.from_state = "department_review";
  e.to_state = "leader_approval";
  e.payload = R"({"reason":"Hồ sơ đủ điều kiện, chuyển lãnh đạo phê duyệt","unit_id":)" +
              std::to_string(1 + i % 300) + R"(,"step":3})";
  return e;
}

struct Db {
  std::filesystem::path dir;
  std::unique_ptr<Store> store;

  bool Open(benchmark::State& state) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "motcua_events_bench_XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      state.SkipWithError("cannot create a temp folder");
      return false;
    }
    dir = pattern;
    auto s = Store::Open("sqlite:" + (dir / "events.db").string());
    if (!s || !(*s)->Migrate()) {
      state.SkipWithError("cannot open the database");
      return false;
    }
    store = std::move(*s);
    return true;
  }
  bool Fill(benchmark::State& state, std::int64_t n) {
    for (std::int64_t done = 0; done < n; done += kFillPerWrite) {
      auto st = store->WriteSync([&](Tx& tx) -> Status {
        for (std::int64_t i = done; i < std::min(n, done + kFillPerWrite); ++i) {
          MOTCUA_TRY(AppendEvent(tx, Transition(i)));
        }
        return {};
      });
      if (!st) {
        state.SkipWithError(st.error().message.c_str());
        return false;
      }
    }
    return true;
  }
  ~Db() {
    if (store) store->Close();
    std::error_code ec;
    if (!dir.empty()) std::filesystem::remove_all(dir, ec);
  }
};

// The whole `motcua verify` walk over state.range(0) events.
void BM_VerifyEventLog(benchmark::State& state) {
  Db db;
  if (!db.Open(state) || !db.Fill(state, state.range(0))) return;
  for (auto _ : state) {
    auto report = VerifyEventLog(*db.store);
    if (!report || report->broken || report->events != state.range(0)) {
      state.SkipWithError("the log did not verify");
      return;
    }
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_VerifyEventLog)->Arg(200'000)->Unit(benchmark::kMillisecond)->UseRealTime();

// AppendEvent alone (read the last hash, canonicalise, hash, insert), many
// per transaction: the cost an event adds to a workflow transition.
void BM_AppendEvent(benchmark::State& state) {
  Db db;
  if (!db.Open(state)) return;
  std::int64_t i = 0;
  for (auto _ : state) {
    auto st = db.store->WriteSync([&](Tx& tx) -> Status {
      for (int k = 0; k < 1000; ++k) MOTCUA_TRY(AppendEvent(tx, Transition(i++)));
      return {};
    });
    if (!st) {
      state.SkipWithError(st.error().message.c_str());
      return;
    }
  }
  state.SetItemsProcessed(i);
}
BENCHMARK(BM_AppendEvent)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace motcua::storage::events
