// Decide() sits on the path of every dossier transition (target: 10,000
// durable transitions per second for the whole server), so one decision must
// cost a tiny fraction of that budget.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/workflow/workflow.hpp"

namespace motcua::workflow {
namespace {

Workflow LoadDemo() {
  const char* dir = std::getenv("MOTCUA_SOURCE_DIR");
  std::filesystem::path root = dir && *dir ? dir : std::filesystem::current_path();
  std::ifstream in(root / "data" / "workflows" / "commune-simple.json", std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  auto wf = Workflow::Parse(text.str());
  if (!wf) throw std::runtime_error("run from the repository root: " + wf.error().message);
  return std::move(*wf);
}

// The path the dossier service takes: ids as stored in the dossier row.
void BM_DecideById(benchmark::State& state) {
  Workflow wf = LoadDemo();
  const RoleSet roles{accounts::Role::kSpecialist};
  for (auto _ : state) {
    auto t = wf.Decide("processing", "request_supplement", roles);
    benchmark::DoNotOptimize(t);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DecideById);

void BM_DecideByIndex(benchmark::State& state) {
  Workflow wf = LoadDemo();
  const RoleSet roles{accounts::Role::kSpecialist};
  StateIndex s = *wf.FindStateIndex("processing");
  ActionIndex a = *wf.FindActionIndex("request_supplement");
  for (auto _ : state) {
    auto t = wf.Decide(s, a, roles);
    benchmark::DoNotOptimize(t);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DecideByIndex);

// A refusal builds its message: the cost of a 403.
void BM_DecideDenied(benchmark::State& state) {
  Workflow wf = LoadDemo();
  const RoleSet roles{accounts::Role::kOfficer};
  for (auto _ : state) {
    auto t = wf.Decide("leader_approval", "approve", roles);
    benchmark::DoNotOptimize(t);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DecideDenied);

void BM_AllowedActions(benchmark::State& state) {
  Workflow wf = LoadDemo();
  const RoleSet roles{accounts::Role::kSpecialist};
  for (auto _ : state) {
    auto actions = wf.AllowedActions("processing", roles);
    benchmark::DoNotOptimize(actions);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AllowedActions);

void BM_Parse(benchmark::State& state) {
  const char* dir = std::getenv("MOTCUA_SOURCE_DIR");
  std::filesystem::path root = dir && *dir ? dir : std::filesystem::current_path();
  std::ifstream in(root / "data" / "workflows" / "commune-simple.json", std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  const std::string json = text.str();
  for (auto _ : state) {
    auto wf = Workflow::Parse(json);
    benchmark::DoNotOptimize(wf);
  }
}
BENCHMARK(BM_Parse);

}  // namespace
}  // namespace motcua::workflow
