// Time comes from an injected clock so that tests are hermetic (Envoy's rule).
// Thread safety: both implementations may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>

namespace motcua {

using Micros = std::chrono::microseconds;
using TimePoint = std::chrono::sys_time<Micros>;  // UTC

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override {
    return std::chrono::time_point_cast<Micros>(std::chrono::system_clock::now());
  }
};

// A clock that only moves when told to.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint start) : now_(start.time_since_epoch().count()) {}
  TimePoint Now() const override { return TimePoint(Micros(now_.load())); }
  void Set(TimePoint t) { now_.store(t.time_since_epoch().count()); }
  void Advance(Micros d) { now_.fetch_add(d.count()); }

 private:
  std::atomic<long long> now_;
};

}  // namespace motcua
