#include <benchmark/benchmark.h>

#include "core/calendar/lunar.hpp"
#include "core/calendar/working_time.hpp"

namespace motcua::calendar {
namespace {

// Deadlines spread over a decade at odd times of day, so that the branch
// predictor and caches see realistic variety rather than one repeated input.
std::vector<TimePoint> Moments() {
  std::vector<TimePoint> out;
  TimePoint start = TimePoint(Date{std::chrono::year{2020} / 1 / 1});
  constexpr int kMoments = 4096;
  for (int i = 0; i < kMoments; ++i) {
    out.push_back(start + std::chrono::minutes(i * 1297));  // 1297 min ≈ 21.6 h, a prime
  }
  return out;
}

void BM_AddWorkingDays(benchmark::State& state) {
  WorkingCalendar calendar{HolidayCalendar{}, OfficeHours{}};
  auto moments = Moments();
  size_t i = 0;
  for (auto _ : state) {
    auto r = calendar.AddWorkingDays(moments[i++ & (moments.size() - 1)], 15);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AddWorkingDays);

void BM_AddWorkingHours(benchmark::State& state) {
  WorkingCalendar calendar{HolidayCalendar{}, OfficeHours{}};
  auto moments = Moments();
  size_t i = 0;
  for (auto _ : state) {
    auto r = calendar.AddWorkingHours(moments[i++ & (moments.size() - 1)], std::chrono::hours(20));
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AddWorkingHours);

void BM_ToLunar(benchmark::State& state) {
  Date d = Date{std::chrono::year{2000} / 1 / 1};
  int i = 0;
  for (auto _ : state) {
    auto r = ToLunar(d + std::chrono::days(i++ & 32767));
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ToLunar);

}  // namespace
}  // namespace motcua::calendar
