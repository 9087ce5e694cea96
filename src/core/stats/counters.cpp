#include "core/stats/counters.hpp"

#include <algorithm>
#include <unordered_set>

namespace motcua::stats {

Counters::Day& Counters::At(std::int64_t unit, calendar::Date day) {
  Series& s = units_[unit];
  if (s.days.empty()) {
    s.first = day;
    s.days.resize(1, Day{});
  } else if (day < s.first) {
    s.days.insert(s.days.begin(), static_cast<std::size_t>((s.first - day).count()), Day{});
    s.first = day;
  }
  const auto i = static_cast<std::size_t>((day - s.first).count());
  if (i >= s.days.size()) s.days.resize(i + 1, Day{});
  return s.days[i];
}

void Counters::Apply(const DossierFacts& f, int sign) {
  const std::int64_t s = sign;
  {
    Day& d = At(f.unit, f.received);
    d[kReceived] += s;
    if (f.channel == 2) d[kReceivedOnline] += s;
    if (f.online_eligible) {
      d[kReceivedEligible] += s;
      if (f.channel == 2) d[kReceivedOnlineOfEligible] += s;
    }
    if (f.digitised) d[kReceivedDigitised] += s;
    d[kOpenDelta] += s;
  }
  // Open until decided or withdrawn, whichever came first.
  std::optional<calendar::Date> end = f.decided;
  if (f.withdrawn && (!end || *f.withdrawn < *end)) end = f.withdrawn;
  if (end) At(f.unit, *end)[kOpenDelta] -= s;
  // Overdue from the end of the day its appointment falls on, while open.
  if (f.due && (!end || *end > *f.due)) {
    At(f.unit, std::max(*f.due, f.received))[kOverdueDelta] += s;
    if (end) At(f.unit, *end)[kOverdueDelta] -= s;
  }
  if (f.decided) {
    Day& d = At(f.unit, *f.decided);
    d[kDecided] += s;
    if (f.outcome == Outcome::kEarly) d[kDecidedEarly] += s;
    if (f.outcome == Outcome::kOnTime) d[kDecidedOnTime] += s;
    if (f.outcome == Outcome::kLate) d[kDecidedLate] += s;
    if (f.electronic_result) d[kDecidedElectronic] += s;
    d[kWorkingSeconds] += s * f.working_seconds;
  }
  if (f.returned) At(f.unit, *f.returned)[kReturned] += s;
  if (f.withdrawn) At(f.unit, *f.withdrawn)[kWithdrawn] += s;
  if (f.rated) {
    Day& d = At(f.unit, *f.rated);
    d[kRated] += s;
    if (f.satisfied) d[kRatedSatisfied] += s;
  }
}

Totals Counters::Sum(const std::vector<std::int64_t>& units, const DayRange& range) const {
  Totals t;
  std::unordered_set<std::int64_t> seen;
  for (std::int64_t unit : units) {
    if (!seen.insert(unit).second) continue;
    auto it = units_.find(unit);
    if (it == units_.end()) continue;
    const Series& s = it->second;
    const auto offset = [&](calendar::Date d) { return (d - s.first).count(); };
    const std::int64_t size = static_cast<std::int64_t>(s.days.size());
    // Stocks: the deltas up to the day before the period, and through its last day.
    const std::int64_t before = std::clamp<std::int64_t>(offset(range.first), 0, size);
    const std::int64_t through = std::clamp<std::int64_t>(offset(range.last) + 1, 0, size);
    std::int64_t open = 0, overdue = 0;
    for (std::int64_t i = 0; i < before; ++i) {
      open += s.days[static_cast<std::size_t>(i)][kOpenDelta];
      overdue += s.days[static_cast<std::size_t>(i)][kOverdueDelta];
    }
    t.open_before += open;
    for (std::int64_t i = before; i < through; ++i) {
      const Day& d = s.days[static_cast<std::size_t>(i)];
      open += d[kOpenDelta];
      overdue += d[kOverdueDelta];
      t.received += d[kReceived];
      t.received_online += d[kReceivedOnline];
      t.received_online_eligible += d[kReceivedEligible];
      t.received_online_of_eligible += d[kReceivedOnlineOfEligible];
      t.received_digitised += d[kReceivedDigitised];
      t.decided += d[kDecided];
      t.decided_early += d[kDecidedEarly];
      t.decided_on_time += d[kDecidedOnTime];
      t.decided_late += d[kDecidedLate];
      t.decided_electronic += d[kDecidedElectronic];
      t.working_seconds += d[kWorkingSeconds];
      t.returned += d[kReturned];
      t.withdrawn += d[kWithdrawn];
      t.rated += d[kRated];
      t.rated_satisfied += d[kRatedSatisfied];
    }
    t.open_at_end += open;
    t.overdue_at_end += overdue;
  }
  t.received_counter = t.received - t.received_online;
  return t;
}

std::size_t Counters::MemoryBytes() const {
  std::size_t bytes = 0;
  for (const auto& [unit, s] : units_) bytes += sizeof(unit) + sizeof(Series) + s.days.capacity() * sizeof(Day);
  return bytes;
}

}  // namespace motcua::stats
