// The counters agree with the definitions, dossier by dossier, after any
// sequence of changes: what the incremental path keeps is what a rebuild from
// the dossiers' current facts gives.
#include "core/stats/counters.hpp"

#include <gtest/gtest.h>

#include <random>

#include "core/stats/report09.hpp"

namespace motcua::stats {
namespace {

using calendar::Date;
using std::chrono::days;

Date D(std::string_view text) { return *calendar::ParseDate(text); }

// The figures of `facts` by the definitions, one dossier at a time.
Totals Direct(const std::vector<DossierFacts>& facts, const std::vector<std::int64_t>& units,
              DayRange r, std::optional<std::int32_t> procedure = std::nullopt) {
  Totals t;
  auto in = [&](const std::optional<Date>& d) { return d && r.Contains(*d); };
  for (const auto& f : facts) {
    if (std::find(units.begin(), units.end(), f.unit) == units.end()) continue;
    if (procedure && f.procedure != *procedure) continue;
    std::optional<Date> end = f.decided;
    if (f.withdrawn && (!end || *f.withdrawn < *end)) end = f.withdrawn;
    auto open_at = [&](Date day) { return f.received <= day && !(end && *end <= day); };
    if (r.Contains(f.received)) {
      ++t.received;
      if (f.channel == 2) ++t.received_online;
      if (f.online_eligible) ++t.received_online_eligible;
      if (f.online_eligible && f.channel == 2) ++t.received_online_of_eligible;
      if (f.digitised) ++t.received_digitised;
      if (f.synced) ++t.received_synced;
    }
    if (in(f.decided)) {
      ++t.decided;
      t.decided_early += f.outcome == Outcome::kEarly;
      t.decided_on_time += f.outcome == Outcome::kOnTime;
      t.decided_late += f.outcome == Outcome::kLate;
      // Working time and results: only of those accepted (a refusal at
      // intake has no clock and issues no result).
      t.decided_accepted += f.accepted;
      t.decided_electronic += f.accepted && f.electronic_result;
      t.working_seconds += f.accepted ? f.working_seconds : 0;
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
  f.procedure = std::uniform_int_distribution<int>(1, 6)(g);
  f.channel = pct(g) < 40 ? 2 : (pct(g) < 90 ? 1 : 3);
  f.received = received;
  f.online_eligible = pct(g) < 60;
  f.digitised = pct(g) < 70;
  f.synced = pct(g) < 55;  // acknowledged by the national portal, at any time
  if (pct(g) < 85) f.due = received + days(span(g) / 2 + 1);
  const int stage = pct(g);
  if (stage < 10) {
    f.withdrawn = received + days(span(g) / 4);
  } else if (stage < 75) {
    f.decided = received + days(span(g));
    f.outcome = !f.due                 ? Outcome::kNone
                : *f.decided < *f.due  ? Outcome::kEarly
                : *f.decided == *f.due ? Outcome::kOnTime
                                       : Outcome::kLate;
    // Without an appointment it was refused at intake: no clock, no working
    // time, no result (even if a careless row said otherwise).
    f.accepted = f.due.has_value();
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
  const std::vector<std::vector<std::int64_t>> unit_sets = {
      {1}, {2, 3, 4}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, {13}};
  std::vector<DayRange> ranges = {RangeOf({PeriodKind::kReportMonth, 2025, 3}),
                                  RangeOf({PeriodKind::kQuarter, 2026, 2}),
                                  RangeOf({PeriodKind::kYear, 2025, 1}),
                                  RangeOf({PeriodKind::kReportYear, 2026, 1}),
                                  RangeOf({PeriodKind::kDay, 2025, 200}),
                                  {D("2024-06-01"), D("2024-12-31")},
                                  {D("2026-12-15"), D("2027-06-30")}};
  for (int i = 0; i < 40; ++i) {
    const Date a = start + days(day(g) - 30),
               b = a + days(std::uniform_int_distribution<int>(0, 120)(g));
    ranges.push_back({a, b});
  }
  for (const auto& units : unit_sets) {
    for (const auto& r : ranges) {
      const Totals direct = Direct(now, units, r);
      ASSERT_EQ(incremental.Sum(units, r), direct)
          << calendar::FormatDate(r.first) << ".." << calendar::FormatDate(r.last);
      ASSERT_EQ(rebuilt.Sum(units, r), direct);
    }
  }
  // Per procedure, over whole half months: each procedure's figures by the
  // definitions, and together the unit's.
  std::vector<DayRange> halves = {
      RangeOf({PeriodKind::kReportMonth, 2025, 3}), RangeOf({PeriodKind::kQuarter, 2026, 2}),
      RangeOf({PeriodKind::kYear, 2025, 1}),        RangeOf({PeriodKind::kReportYear, 2026, 1}),
      RangeOf({PeriodKind::kMonth, 2024, 12}),      {D("2025-02-15"), D("2025-02-28")}};
  for (const auto& units : unit_sets) {
    for (const auto& r : halves) {
      ASSERT_TRUE(incremental.WholeHalfMonths(r));
      const auto rows = incremental.SumByProcedure(units, r, r.last);
      ASSERT_EQ(rows, rebuilt.SumByProcedure(units, r, r.last));
      Totals all;
      for (const auto& row : rows) {
        ASSERT_EQ(row.totals, Direct(now, units, r, row.procedure))
            << row.procedure << " " << calendar::FormatDate(r.first);
        all += row.totals;
      }
      ASSERT_EQ(all, Direct(now, units, r));
    }
  }
  // Decree 09's report balances for every procedure and period: what was
  // received for handling was handled, is in progress, or was returned or withdrawn.
  for (const auto& r : halves) {
    for (const auto& row :
         incremental.SumByProcedure({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, r, r.last)) {
      const auto v = Report09Values(row.totals);
      ASSERT_EQ(Report09Columns()[0].key, "received_total");
      EXPECT_EQ(v[0], v[1] + v[2] + v[3]);
      EXPECT_EQ(v[4], v[5] + v[6] + v[7]);
      EXPECT_EQ(v[8], v[9] + v[10]);
      EXPECT_EQ(v[0], v[4] + v[8] + v[11]) << row.procedure << " " << calendar::FormatDate(r.first);
    }
  }
  EXPECT_FALSE(incremental.WholeHalfMonths(RangeOf({PeriodKind::kDay, 2025, 200})));
  EXPECT_FALSE(incremental.WholeHalfMonths({D("2025-02-15"), D("2025-02-27")}));
  // A unit counted twice is counted once.
  const DayRange year = RangeOf({PeriodKind::kYear, 2025, 1});
  EXPECT_EQ(incremental.Sum({1, 1}, year), incremental.Sum({1}, year));
  // Removing everything leaves nothing.
  for (const auto& f : now) incremental.Remove(f);
  EXPECT_EQ(
      incremental.Sum({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, {D("2024-01-01"), D("2028-01-01")}),
      Totals{});
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

TEST(CountersTest, ASyncedDossierCountsOnItsReceiptDayEvenWhenAcknowledgedLater) {
  // Received on 30 December, acknowledged by the national portal in January
  // (a change: Remove the old facts, Add the new): December's figure rises,
  // January's does not move.
  Counters c;
  const DossierFacts received{.unit = 4, .procedure = 1, .channel = 2, .received = D("2026-12-30")};
  DossierFacts other = received;
  other.received = D("2026-12-02");
  c.Add(received);
  c.Add(other);
  const DayRange december = RangeOf({PeriodKind::kMonth, 2026, 12}),
                 january = RangeOf({PeriodKind::kMonth, 2027, 1});
  EXPECT_EQ(c.Sum({4}, december).received_synced, 0);
  DossierFacts synced = received;
  synced.synced = true;
  c.Remove(received);
  c.Add(synced);
  EXPECT_EQ(c.Sum({4}, december).received_synced, 1);
  EXPECT_EQ(c.Sum({4}, december).received, 2);
  EXPECT_EQ(c.Sum({4}, {D("2026-12-30"), D("2026-12-30")}).received_synced, 1);
  EXPECT_EQ(c.Sum({4}, {D("2026-12-01"), D("2026-12-29")}).received_synced, 0);
  EXPECT_EQ(c.Sum({4}, january).received_synced, 0);
  // By procedure (half months) as well.
  const auto rows = c.SumByProcedure({4}, december, december.last);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].totals.received_synced, 1);
  // The facts table keeps the flag, so a later change takes it out again.
  FactsTable table;
  table.Exchange(12, synced);
  const auto kept = table.Exchange(12, received);
  ASSERT_TRUE(kept);
  EXPECT_TRUE(kept->synced);
  c.Remove(*kept);
  c.Add(received);
  EXPECT_EQ(c.Sum({4}, december).received_synced, 0);
  EXPECT_EQ(c.Sum({4}, december).received, 2);
}

TEST(CountersTest, WhileAPeriodRunsItsProceduresCountTheOverdueOfToday) {
  // The last half month's overdue deltas include appointments still to come;
  // read on the 20th, only those due by the 20th are overdue.
  Counters c;
  const Date today = D("2026-12-20");
  std::vector<DossierFacts> facts = {{.unit = 3,
                                      .procedure = 1,
                                      .channel = 2,
                                      .received = D("2026-12-02"),
                                      .due = D("2026-12-18")},
                                     {.unit = 3,
                                      .procedure = 1,
                                      .channel = 1,
                                      .received = D("2026-12-16"),
                                      .due = D("2026-12-28")},
                                     {.unit = 3,
                                      .procedure = 2,
                                      .channel = 1,
                                      .received = D("2026-11-20"),
                                      .due = D("2026-11-30")},
                                     {.unit = 3,
                                      .procedure = 2,
                                      .channel = 1,
                                      .received = D("2026-12-03"),
                                      .due = D("2026-12-20")},
                                     {.unit = 3,
                                      .procedure = 2,
                                      .channel = 1,
                                      .received = D("2026-12-04"),
                                      .due = D("2026-12-09"),
                                      .decided = D("2026-12-19"),
                                      .outcome = Outcome::kLate}};
  for (const auto& f : facts) c.Add(f);
  const DayRange month = RangeOf({PeriodKind::kMonth, 2026, 12});
  const auto rows = c.SumByProcedure({3}, month, today);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].totals.overdue_at_end, 1);  // due the 18th; not the one due the 28th
  EXPECT_EQ(rows[0].totals.open_at_end, 2);
  EXPECT_EQ(rows[1].totals.overdue_at_end, 2);  // due 30/11 and today; the late one is decided
  EXPECT_EQ(rows[1].totals.open_before, 1);
  EXPECT_EQ(rows[1].totals.decided_late, 1);
  // The same as the unit's day series read on the 20th.
  Totals all;
  for (const auto& row : rows) all += row.totals;
  EXPECT_EQ(all, c.Sum({3}, {month.first, today}));
  // Once the month is over, the half months count the one due the 28th too.
  EXPECT_EQ(c.SumByProcedure({3}, month, month.last)[0].totals.overdue_at_end, 2);
}

TEST(FactsTableTest, KeepsEveryDossiersFactsAndGivesTheOldOnesBack) {
  FactsTable table;
  std::mt19937 g(9);
  std::vector<std::optional<DossierFacts>> expected(5000);
  auto same = [](const std::optional<DossierFacts>& a, const std::optional<DossierFacts>& b) {
    if (!a || !b) return a.has_value() == b.has_value();
    Counters x, y;  // equal facts count the same everywhere
    x.Add(*a);
    y.Add(*b);
    const DayRange all{D("1990-01-01"), D("2200-01-01")};
    return a->unit == b->unit && a->procedure == b->procedure &&
           x.Sum({a->unit}, all) == y.Sum({a->unit}, all) && a->due == b->due &&
           a->decided == b->decided && a->returned == b->returned && a->withdrawn == b->withdrawn &&
           a->rated == b->rated && a->satisfied == b->satisfied && a->outcome == b->outcome &&
           a->accepted == b->accepted && a->synced == b->synced;
  };
  for (int round = 0; round < 4; ++round) {
    for (std::size_t id = 1; id < expected.size(); id += 1 + round) {
      std::optional<DossierFacts> next;
      if (round != 3 || id % 2 == 0)
        next = Random(g, 1 + static_cast<std::int64_t>(id % 7), D("2025-03-01") + days(id % 500));
      ASSERT_TRUE(same(table.Exchange(static_cast<std::int64_t>(id), next), expected[id])) << id;
      expected[id] = next;
    }
  }
  // Facts that do not pack (a day before 2000, an id far beyond the others) are kept as they are.
  DossierFacts old{.unit = 2, .channel = 1, .received = D("1999-12-31")};
  EXPECT_TRUE(same(table.Exchange(1, old), expected[1]));
  EXPECT_TRUE(same(table.Exchange(1, std::nullopt), old));
  DossierFacts far{.unit = 2, .channel = 2, .received = D("2026-01-01")};
  EXPECT_FALSE(table.Exchange(std::int64_t{1} << 40, far).has_value());
  EXPECT_TRUE(same(table.Exchange(std::int64_t{1} << 40, std::nullopt), far));
  std::size_t held = 0;
  for (std::size_t id = 1; id < expected.size(); ++id) held += expected[id].has_value() && id != 1;
  EXPECT_EQ(table.size(), held);
  EXPECT_GT(table.MemoryBytes(), 0u);
}

}  // namespace
}  // namespace motcua::stats
