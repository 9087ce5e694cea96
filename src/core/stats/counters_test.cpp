// The counters agree with the definitions, dossier by dossier, after any
// sequence of changes: what the incremental path keeps is what a rebuild from
// the dossiers' current facts gives.
#include <gtest/gtest.h>

#include <random>

#include "core/stats/counters.hpp"

namespace motcua::stats {
namespace {

using calendar::Date;
using std::chrono::days;

Date D(std::string_view text) { return *calendar::ParseDate(text); }

// The figures of `facts` by the definitions, one dossier at a time.
Totals Direct(const std::vector<DossierFacts>& facts, const std::vector<std::int64_t>& units, DayRange r) {
  Totals t;
  auto in = [&](const std::optional<Date>& d) { return d && r.Contains(*d); };
  for (const auto& f : facts) {
    if (std::find(units.begin(), units.end(), f.unit) == units.end()) continue;
    std::optional<Date> end = f.decided;
    if (f.withdrawn && (!end || *f.withdrawn < *end)) end = f.withdrawn;
    auto open_at = [&](Date day) { return f.received <= day && !(end && *end <= day); };
    if (r.Contains(f.received)) {
      ++t.received;
      if (f.channel == 2) ++t.received_online;
      if (f.online_eligible) ++t.received_online_eligible;
      if (f.online_eligible && f.channel == 2) ++t.received_online_of_eligible;
      if (f.digitised) ++t.received_digitised;
    }
    if (in(f.decided)) {
      ++t.decided;
      t.decided_early += f.outcome == Outcome::kEarly;
      t.decided_on_time += f.outcome == Outcome::kOnTime;
      t.decided_late += f.outcome == Outcome::kLate;
      t.decided_electronic += f.electronic_result;
      t.working_seconds += f.working_seconds;
    }
    t.returned += in(f.returned);
    t.withdrawn += in(f.withdrawn);
    t.rated += in(f.rated);
    t.rated_satisfied += in(f.rated) && f.satisfied;
    t.open_before += open_at(r.first - days(1));
    t.open_at_end += open_at(r.last);
    t.overdue_at_end += open_at(r.last) && f.due && *f.due <= r.last;
  }
  t.received_counter = t.received - t.received_online;
  return t;
}

// A dossier at some point of its life: received, perhaps decided (early, on
// time, late), returned, or withdrawn.
DossierFacts Random(std::mt19937& g, std::int64_t unit, Date received) {
  std::uniform_int_distribution<int> pct(0, 99), span(0, 40);
  DossierFacts f;
  f.unit = unit;
  f.channel = pct(g) < 40 ? 2 : (pct(g) < 90 ? 1 : 3);
  f.received = received;
  f.online_eligible = pct(g) < 60;
  f.digitised = pct(g) < 70;
  if (pct(g) < 85) f.due = received + days(span(g) / 2 + 1);
  const int stage = pct(g);
  if (stage < 10) {
    f.withdrawn = received + days(span(g) / 4);
  } else if (stage < 75) {
    f.decided = received + days(span(g));
    f.outcome = !f.due ? Outcome::kNone
                : *f.decided < *f.due ? Outcome::kEarly
                : *f.decided == *f.due ? Outcome::kOnTime
                                       : Outcome::kLate;
    f.working_seconds = 3600 * (1 + span(g));
    f.electronic_result = pct(g) < 30;
    if (pct(g) < 80) f.returned = *f.decided + days(span(g) / 8);
    if (pct(g) < 40) {
      f.rated = *f.decided + days(span(g) / 4);
      f.satisfied = pct(g) < 85;
    }
  }
  return f;
}

TEST(CountersTest, IncrementalChangesEqualARebuildAndTheDefinitions) {
  std::mt19937 g(766);
  std::uniform_int_distribution<int> unit(1, 12), day(0, 729);
  const Date start = D("2025-01-01");
  std::vector<DossierFacts> now;
  Counters incremental;
  // 20,000 dossiers received over two years, each changed a few times (in
  // any order: a dossier's facts may move earlier or later).
  for (int i = 0; i < 20000; ++i) {
    const std::int64_t u = unit(g);
    const Date received = start + days(day(g));
    DossierFacts f = Random(g, u, received);
    incremental.Add(f);
    for (int changes = std::uniform_int_distribution<int>(0, 3)(g); changes > 0; --changes) {
      DossierFacts next = Random(g, u, received);
      incremental.Remove(f);
      incremental.Add(next);
      f = next;
    }
    now.push_back(f);
  }
  Counters rebuilt;
  for (const auto& f : now) rebuilt.Add(f);
  const std::vector<std::vector<std::int64_t>> unit_sets = {{1}, {2, 3, 4}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, {13}};
  std::vector<DayRange> ranges = {RangeOf({PeriodKind::kReportMonth, 2025, 3}), RangeOf({PeriodKind::kQuarter, 2026, 2}),
                                  RangeOf({PeriodKind::kYear, 2025, 1}), RangeOf({PeriodKind::kReportYear, 2026, 1}),
                                  RangeOf({PeriodKind::kDay, 2025, 200}), {D("2024-06-01"), D("2024-12-31")},
                                  {D("2026-12-15"), D("2027-06-30")}};
  for (int i = 0; i < 40; ++i) {
    const Date a = start + days(day(g) - 30), b = a + days(std::uniform_int_distribution<int>(0, 120)(g));
    ranges.push_back({a, b});
  }
  for (const auto& units : unit_sets) {
    for (const auto& r : ranges) {
      const Totals direct = Direct(now, units, r);
      ASSERT_EQ(incremental.Sum(units, r), direct) << calendar::FormatDate(r.first) << ".." << calendar::FormatDate(r.last);
      ASSERT_EQ(rebuilt.Sum(units, r), direct);
    }
  }
  // A unit counted twice is counted once.
  const DayRange year = RangeOf({PeriodKind::kYear, 2025, 1});
  EXPECT_EQ(incremental.Sum({1, 1}, year), incremental.Sum({1}, year));
  // Removing everything leaves nothing.
  for (const auto& f : now) incremental.Remove(f);
  EXPECT_EQ(incremental.Sum({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, {D("2024-01-01"), D("2028-01-01")}), Totals{});
  EXPECT_GT(rebuilt.MemoryBytes(), 0u);
}

TEST(CountersTest, ADossierIsOverdueFromTheEndOfItsAppointmentDayUntilDecided) {
  Counters c;
  DossierFacts f{.unit = 7, .channel = 1, .received = D("2026-12-01"), .due = D("2026-12-10")};
  c.Add(f);
  auto at = [&](std::string_view day) { return c.Sum({7}, {D(day), D(day)}); };
  EXPECT_EQ(at("2026-12-09").overdue_at_end, 0);
  EXPECT_EQ(at("2026-12-10").overdue_at_end, 1);  // its appointment passed during the day
  EXPECT_EQ(at("2027-03-01").overdue_at_end, 1);  // and stays so: no event needed
  // Decided late on the 15th: from then on neither open nor overdue.
  DossierFacts decided = f;
  decided.decided = D("2026-12-15");
  decided.outcome = Outcome::kLate;
  c.Remove(f);
  c.Add(decided);
  EXPECT_EQ(at("2026-12-14").overdue_at_end, 1);
  EXPECT_EQ(at("2026-12-15").overdue_at_end, 0);
  EXPECT_EQ(at("2026-12-15").open_at_end, 0);
  EXPECT_EQ(at("2026-12-15").decided_late, 1);
  EXPECT_EQ(at("2026-12-15").open_before, 1);
  EXPECT_EQ(at("2026-12-15").received_counter, 0);
  EXPECT_EQ(c.Sum({7}, RangeOf({PeriodKind::kMonth, 2026, 12})).received_counter, 1);
}

}  // namespace
}  // namespace motcua::stats
