#include "core/stats/counters.hpp"

#include <algorithm>
#include <limits>
#include <unordered_set>

namespace motcua::stats {
namespace {

using calendar::Date;

std::uint64_t CellKey(std::int64_t unit, std::int32_t procedure) {
  return (static_cast<std::uint64_t>(unit) << 32) | static_cast<std::uint32_t>(procedure);
}

// Open until decided or withdrawn, whichever came first.
std::optional<Date> EndOf(const DossierFacts& f) {
  std::optional<Date> end = f.decided;
  if (f.withdrawn && (!end || *f.withdrawn < *end)) end = f.withdrawn;
  return end;
}

std::vector<std::int64_t> Distinct(std::vector<std::int64_t> units) {
  std::sort(units.begin(), units.end());
  units.erase(std::unique(units.begin(), units.end()), units.end());
  return units;
}

}  // namespace

Totals& Totals::operator+=(const Totals& o) {
  received += o.received;
  received_online += o.received_online;
  received_counter += o.received_counter;
  received_online_eligible += o.received_online_eligible;
  received_online_of_eligible += o.received_online_of_eligible;
  received_digitised += o.received_digitised;
  received_synced += o.received_synced;
  decided += o.decided;
  decided_early += o.decided_early;
  decided_on_time += o.decided_on_time;
  decided_late += o.decided_late;
  decided_accepted += o.decided_accepted;
  decided_electronic += o.decided_electronic;
  working_seconds += o.working_seconds;
  returned += o.returned;
  withdrawn += o.withdrawn;
  rated += o.rated;
  rated_satisfied += o.rated_satisfied;
  open_before += o.open_before;
  open_at_end += o.open_at_end;
  overdue_at_end += o.overdue_at_end;
  return *this;
}

template <typename Int>
Counters::Bucket<Int>& Counters::Series<Int>::At(std::int64_t index) {
  if (buckets.empty()) {
    first = index;
    buckets.resize(1);
  } else if (index < first) {
    buckets.insert(buckets.begin(), static_cast<std::size_t>(first - index), Bucket<Int>{});
    first = index;
  }
  const auto i = static_cast<std::size_t>(index - first);
  if (i >= buckets.size()) buckets.resize(i + 1);
  return buckets[i];
}

std::int64_t Counters::HalfMonth(Date day) const {
  const std::chrono::year_month_day ymd{day};
  return (static_cast<std::int64_t>(static_cast<int>(ymd.year())) * 12 +
          static_cast<unsigned>(ymd.month()) - 1) *
             2 +
         (static_cast<unsigned>(ymd.day()) >= cutoff_ ? 1 : 0);
}

template <typename Int, typename IndexOf>
void Counters::ApplyTo(Series<Int>& s, const DossierFacts& f, int sign, IndexOf index) {
  const Int n = static_cast<Int>(sign);
  {
    auto& b = s.At(index(f.received)).n;
    b[kReceived] += n;
    if (f.channel == 2) b[kReceivedOnline] += n;
    if (f.online_eligible) {
      b[kReceivedEligible] += n;
      if (f.channel == 2) b[kReceivedOnlineOfEligible] += n;
    }
    if (f.digitised) b[kReceivedDigitised] += n;
    // On the day of receipt, whenever the portal acknowledged it: a late
    // acknowledgement raises the figure of the period it was received in.
    if (f.synced) b[kReceivedSynced] += n;
    b[kOpenDelta] += n;
  }
  const std::optional<Date> end = EndOf(f);
  if (end) s.At(index(*end)).n[kOpenDelta] -= n;
  // Overdue from the end of the day its appointment falls on, while open.
  if (f.due && (!end || *end > *f.due)) {
    s.At(index(std::max(*f.due, f.received))).n[kOverdueDelta] += n;
    if (end) s.At(index(*end)).n[kOverdueDelta] -= n;
  }
  if (f.decided) {
    auto& b = s.At(index(*f.decided));
    b.n[kDecided] += n;
    if (f.outcome == Outcome::kEarly) b.n[kDecidedEarly] += n;
    if (f.outcome == Outcome::kOnTime) b.n[kDecidedOnTime] += n;
    if (f.outcome == Outcome::kLate) b.n[kDecidedLate] += n;
    if (f.accepted) {
      b.n[kDecidedAccepted] += n;
      if (f.electronic_result) b.n[kDecidedElectronic] += n;
      b.working_seconds += sign * f.working_seconds;
    }
  }
  if (f.returned) s.At(index(*f.returned)).n[kReturned] += n;
  if (f.withdrawn) s.At(index(*f.withdrawn)).n[kWithdrawn] += n;
  if (f.rated) {
    auto& b = s.At(index(*f.rated)).n;
    b[kRated] += n;
    if (f.satisfied) b[kRatedSatisfied] += n;
  }
}

void Counters::Apply(const DossierFacts& f, int sign) {
  ApplyTo(units_[f.unit], f, sign,
          [](Date d) { return static_cast<std::int64_t>(d.time_since_epoch().count()); });
  Cell& cell = cells_[CellKey(f.unit, f.procedure)];
  ApplyTo(cell.halves, f, sign, [this](Date d) { return HalfMonth(d); });
  if (f.due && !EndOf(f)) {
    const Date key = std::max(*f.due, f.received);
    if ((cell.open_due[key] += sign) == 0) cell.open_due.erase(key);
  }
}

template <typename Int>
void Counters::AddFlows(const Bucket<Int>& b, Totals& t) {
  t.received += b.n[kReceived];
  t.received_online += b.n[kReceivedOnline];
  t.received_online_eligible += b.n[kReceivedEligible];
  t.received_online_of_eligible += b.n[kReceivedOnlineOfEligible];
  t.received_digitised += b.n[kReceivedDigitised];
  t.received_synced += b.n[kReceivedSynced];
  t.decided += b.n[kDecided];
  t.decided_early += b.n[kDecidedEarly];
  t.decided_on_time += b.n[kDecidedOnTime];
  t.decided_late += b.n[kDecidedLate];
  t.decided_accepted += b.n[kDecidedAccepted];
  t.decided_electronic += b.n[kDecidedElectronic];
  t.working_seconds += b.working_seconds;
  t.returned += b.n[kReturned];
  t.withdrawn += b.n[kWithdrawn];
  t.rated += b.n[kRated];
  t.rated_satisfied += b.n[kRatedSatisfied];
}

Totals Counters::Sum(const std::vector<std::int64_t>& units, const DayRange& range) const {
  Totals t;
  std::unordered_set<std::int64_t> seen;
  const std::int64_t first = range.first.time_since_epoch().count(),
                     last = range.last.time_since_epoch().count();
  for (std::int64_t unit : units) {
    if (!seen.insert(unit).second) continue;
    auto it = units_.find(unit);
    if (it == units_.end()) continue;
    const auto& s = it->second;
    const std::int64_t size = static_cast<std::int64_t>(s.buckets.size());
    // Stocks: the deltas up to the day before the period, and through its last day.
    const std::int64_t before = std::clamp<std::int64_t>(first - s.first, 0, size);
    const std::int64_t through = std::clamp<std::int64_t>(last + 1 - s.first, 0, size);
    std::int64_t open = 0, overdue = 0;
    for (std::int64_t i = 0; i < before; ++i) {
      open += s.buckets[static_cast<std::size_t>(i)].n[kOpenDelta];
      overdue += s.buckets[static_cast<std::size_t>(i)].n[kOverdueDelta];
    }
    t.open_before += open;
    for (std::int64_t i = before; i < through; ++i) {
      const auto& b = s.buckets[static_cast<std::size_t>(i)];
      open += b.n[kOpenDelta];
      overdue += b.n[kOverdueDelta];
      AddFlows(b, t);
    }
    t.open_at_end += open;
    t.overdue_at_end += overdue;
  }
  t.received_counter = t.received - t.received_online;
  return t;
}

bool Counters::WholeHalfMonths(const DayRange& range) const {
  return range.first <= range.last &&
         HalfMonth(range.first - std::chrono::days(1)) != HalfMonth(range.first) &&
         HalfMonth(range.last) != HalfMonth(range.last + std::chrono::days(1));
}

std::vector<ProcedureTotals> Counters::SumByProcedure(const std::vector<std::int64_t>& units,
                                                      const DayRange& range, Date as_of) const {
  const std::vector<std::int64_t> wanted = Distinct(units);
  const std::int64_t first = HalfMonth(range.first), last = HalfMonth(range.last);
  const bool running = as_of < range.last;
  std::map<std::int32_t, Totals> by;
  for (const auto& [key, cell] : cells_) {
    const auto unit = static_cast<std::int64_t>(key >> 32);
    if (!std::binary_search(wanted.begin(), wanted.end(), unit)) continue;
    const auto& s = cell.halves;
    const std::int64_t size = static_cast<std::int64_t>(s.buckets.size());
    const std::int64_t before = std::clamp<std::int64_t>(first - s.first, 0, size);
    const std::int64_t through = std::clamp<std::int64_t>(last + 1 - s.first, 0, size);
    Totals t;
    std::int64_t open = 0, overdue = 0;
    for (std::int64_t i = 0; i < before; ++i) {
      open += s.buckets[static_cast<std::size_t>(i)].n[kOpenDelta];
      overdue += s.buckets[static_cast<std::size_t>(i)].n[kOverdueDelta];
    }
    t.open_before = open;
    for (std::int64_t i = before; i < through; ++i) {
      const auto& b = s.buckets[static_cast<std::size_t>(i)];
      open += b.n[kOpenDelta];
      overdue += b.n[kOverdueDelta];
      AddFlows(b, t);
    }
    t.open_at_end = open;
    if (running) {
      // The half months' overdue deltas include days still to come: count
      // the open dossiers whose appointment day has come instead.
      overdue = 0;
      for (auto it = cell.open_due.begin(); it != cell.open_due.end() && it->first <= as_of; ++it)
        overdue += it->second;
    }
    t.overdue_at_end = overdue;
    t.received_counter = t.received - t.received_online;
    if (t == Totals{}) continue;
    by[static_cast<std::int32_t>(key & 0xffffffffu)] += t;
  }
  std::vector<ProcedureTotals> out;
  out.reserve(by.size());
  for (const auto& [procedure, t] : by) out.push_back({procedure, t});
  return out;
}

std::size_t Counters::MemoryBytes() const {
  std::size_t bytes = units_.bucket_count() * sizeof(void*) + cells_.bucket_count() * sizeof(void*);
  for (const auto& [unit, s] : units_)
    bytes +=
        2 * sizeof(void*) + sizeof(unit) + sizeof(s) + s.buckets.capacity() * sizeof(s.buckets[0]);
  for (const auto& [key, c] : cells_) {
    bytes += 2 * sizeof(void*) + sizeof(key) + sizeof(c) +
             c.halves.buckets.capacity() * sizeof(c.halves.buckets[0]);
    bytes += c.open_due.size() *
             (4 * sizeof(void*) + sizeof(Date) + sizeof(std::int32_t));  // a red-black node
  }
  return bytes;
}

// FactsTable

namespace {

const Date kEpoch = std::chrono::sys_days{std::chrono::year{2000} / 1 / 1};
constexpr std::uint16_t kNoDay = 0;  // days are stored + 1

bool PackDay(const std::optional<Date>& d, std::uint16_t& out) {
  if (!d) {
    out = kNoDay;
    return true;
  }
  const auto n = (*d - kEpoch).count() + 1;
  if (n < 1 || n > std::numeric_limits<std::uint16_t>::max()) return false;
  out = static_cast<std::uint16_t>(n);
  return true;
}

std::optional<Date> UnpackDay(std::uint16_t n) {
  if (n == kNoDay) return std::nullopt;
  return kEpoch + std::chrono::days(n - 1);
}

enum Flag : std::uint8_t {
  kEligible = 1,
  kDigitised = 2,
  kElectronic = 4,
  kSatisfied = 8,
  kAccepted = 16,
  kSynced = 32
};

// Ids beyond this many times the dossiers held (plus a margin) go loose
// rather than grow the vector.
constexpr std::size_t kSparseFactor = 4;
constexpr std::int64_t kDenseMargin = 1 << 20;

}  // namespace

std::optional<FactsTable::Packed> FactsTable::Pack(const DossierFacts& f) {
  Packed p;
  if (f.unit < 1 || f.unit > std::numeric_limits<std::int32_t>::max()) return std::nullopt;
  if (f.channel < 1 || f.channel > 255) return std::nullopt;
  if (f.working_seconds < 0 || f.working_seconds > std::numeric_limits<std::int32_t>::max())
    return std::nullopt;
  p.unit = static_cast<std::int32_t>(f.unit);
  p.procedure = f.procedure;
  p.working_seconds = static_cast<std::int32_t>(f.working_seconds);
  bool ok = PackDay(f.received, p.received) && PackDay(f.due, p.due) &&
            PackDay(f.decided, p.decided) && PackDay(f.returned, p.returned) &&
            PackDay(f.withdrawn, p.withdrawn) && PackDay(f.rated, p.rated);
  if (!ok) return std::nullopt;
  p.channel = static_cast<std::uint8_t>(f.channel);
  p.outcome = static_cast<std::uint8_t>(f.outcome);
  p.flags = static_cast<std::uint8_t>(
      (f.online_eligible ? kEligible : 0) | (f.digitised ? kDigitised : 0) |
      (f.electronic_result ? kElectronic : 0) | (f.satisfied ? kSatisfied : 0) |
      (f.accepted ? kAccepted : 0) | (f.synced ? kSynced : 0));
  return p;
}

DossierFacts FactsTable::Unpack(const Packed& p) {
  DossierFacts f;
  f.unit = p.unit;
  f.procedure = p.procedure;
  f.channel = p.channel;
  f.received = *UnpackDay(p.received);
  f.due = UnpackDay(p.due);
  f.decided = UnpackDay(p.decided);
  f.outcome = static_cast<Outcome>(p.outcome);
  f.working_seconds = p.working_seconds;
  f.returned = UnpackDay(p.returned);
  f.withdrawn = UnpackDay(p.withdrawn);
  f.online_eligible = (p.flags & kEligible) != 0;
  f.digitised = (p.flags & kDigitised) != 0;
  f.electronic_result = (p.flags & kElectronic) != 0;
  f.rated = UnpackDay(p.rated);
  f.satisfied = (p.flags & kSatisfied) != 0;
  f.accepted = (p.flags & kAccepted) != 0;
  f.synced = (p.flags & kSynced) != 0;
  return f;
}

std::optional<DossierFacts> FactsTable::Exchange(std::int64_t id,
                                                 const std::optional<DossierFacts>& facts) {
  std::optional<DossierFacts> old;
  if (auto it = loose_.find(id); it != loose_.end()) {
    old = it->second;
    loose_.erase(it);
  } else if (id >= 0 && static_cast<std::size_t>(id) < packed_.size() &&
             packed_[static_cast<std::size_t>(id)].channel != 0) {
    old = Unpack(packed_[static_cast<std::size_t>(id)]);
    packed_[static_cast<std::size_t>(id)] = Packed{};
  }
  if (old) --size_;
  if (!facts) return old;
  ++size_;
  auto packed = Pack(*facts);
  const bool dense =
      id >= 0 && (static_cast<std::size_t>(id) < packed_.size() ||
                  id < static_cast<std::int64_t>(kSparseFactor * size_) + kDenseMargin);
  if (packed && dense) {
    if (static_cast<std::size_t>(id) >= packed_.size())
      packed_.resize(
          std::max(static_cast<std::size_t>(id) + 1, packed_.size() + packed_.size() / 2));
    packed_[static_cast<std::size_t>(id)] = *packed;
  } else {
    loose_.emplace(id, *facts);
  }
  return old;
}

void FactsTable::Reserve(std::int64_t max_id) {
  if (max_id > 0 && max_id <= std::numeric_limits<std::int32_t>::max() &&
      static_cast<std::size_t>(max_id) >= packed_.size())
    packed_.resize(static_cast<std::size_t>(max_id) + 1);
}

void FactsTable::ForEach(const std::function<void(std::int64_t, const DossierFacts&)>& fn) const {
  std::vector<std::int64_t> loose;
  loose.reserve(loose_.size());
  for (const auto& [id, facts] : loose_) loose.push_back(id);
  std::sort(loose.begin(), loose.end());
  auto next_loose = loose.begin();
  for (std::size_t id = 0; id < packed_.size(); ++id) {
    if (packed_[id].channel == 0) continue;
    const auto packed_id = static_cast<std::int64_t>(id);
    for (; next_loose != loose.end() && *next_loose < packed_id; ++next_loose)
      fn(*next_loose, loose_.at(*next_loose));
    fn(packed_id, Unpack(packed_[id]));
  }
  for (; next_loose != loose.end(); ++next_loose) fn(*next_loose, loose_.at(*next_loose));
}

std::size_t FactsTable::MemoryBytes() const {
  return packed_.capacity() * sizeof(Packed) +
         loose_.size() * (sizeof(DossierFacts) + 2 * sizeof(void*) + sizeof(std::int64_t)) +
         loose_.bucket_count() * sizeof(void*);
}

}  // namespace motcua::stats
