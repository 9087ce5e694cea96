// Procedure-handling statistics kept as counters, so that a figure for any
// set of units and any period costs O(units × days), never a scan of the
// dossiers (DESIGN.md principle 5, issue 7).
//
// Each dossier contributes its DossierFacts: flows counted on the day they
// happened (received, decided early / on time / late, returned, withdrawn,
// rated, ...) and two stocks read at the end of a day, kept as difference series:
// open (received, not yet decided or withdrawn) and overdue (open after the
// day its appointment falls on; no event announces that, the series does).
// A change to a dossier is Remove(old facts) then Add(new facts): the
// counters then equal those rebuilt from every dossier's current facts.
//
// Two grains: per unit and day (any period: Sum), and per unit, procedure
// and half month (the 1st to the day before the report cut-off, the cut-off
// to the month's end: SumByProcedure), which is what months, quarters, years
// and the Decree 09 report periods are made of; day series per procedure
// would cost some fifty times the memory.
//
// The unit is the one that received the dossier, as it was then (the units
// of the time); statistics by today's units pass the retired units with their
// successors (units/). Dates are Vietnam's.
//
// FactsTable keeps every dossier's facts, packed in 28 bytes, so that a
// change can take the old contribution out.
//
// Not thread safe: one writer, or a lock around it.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <unordered_map>
#include <vector>

#include "core/calendar/date.hpp"
#include "core/stats/periods.hpp"

namespace motcua::stats {

enum class Outcome { kNone, kEarly, kOnTime, kLate };

// What one dossier contributes, as of now.
struct DossierFacts {
  std::int64_t unit = 0;       // the receiving unit
  std::int32_t procedure = 0;  // the caller's number for its procedure (code)
  int channel = 2;             // 1 at a counter, 2 online, 3 by post
  calendar::Date received{};
  std::optional<calendar::Date> due;      // the appointment in force
  std::optional<calendar::Date> decided;  // processing finished, refused or stopped
  Outcome outcome = Outcome::kNone;       // with decided, when there was an appointment
  // With decided: whether it was accepted (had a clock: a refusal at intake
  // had none, so it has no working time and issues no result), and how long
  // it took, paused time out.
  bool accepted = false;
  std::int64_t working_seconds = 0;
  std::optional<calendar::Date> returned;
  std::optional<calendar::Date> withdrawn;
  bool online_eligible = false;         // its procedure may be done fully online
  bool digitised = false;               // its documents came as files
  bool electronic_result = false;       // it has a signed result
  bool synced = false;                  // the national portal acknowledged its record
  std::optional<calendar::Date> rated;  // when the citizen rated its handling
  bool satisfied = false;               // with rated: satisfied or very satisfied
  bool operator==(const DossierFacts&) const = default;
};

// The figures of a set of units over a period.
struct Totals {
  // Flows within the period.
  std::int64_t received = 0;
  std::int64_t received_online = 0;
  std::int64_t received_counter = 0;  // in person or by post
  std::int64_t received_online_eligible = 0;
  std::int64_t received_online_of_eligible = 0;  // fully online, of procedures that allow it
  std::int64_t received_digitised = 0;
  std::int64_t received_synced = 0;  // acknowledged by the national portal (at any time since)
  std::int64_t decided = 0;
  std::int64_t decided_early = 0;
  std::int64_t decided_on_time = 0;
  std::int64_t decided_late = 0;
  std::int64_t decided_accepted = 0;    // decided after acceptance (refusals at intake left out)
  std::int64_t decided_electronic = 0;  // of decided_accepted, with an electronic result
  std::int64_t working_seconds = 0;     // of decided_accepted, for the average
  std::int64_t returned = 0;
  std::int64_t withdrawn = 0;
  std::int64_t rated = 0;
  std::int64_t rated_satisfied = 0;
  // Stocks: at the end of the day before the period (carried over) and of its last day.
  std::int64_t open_before = 0;
  std::int64_t open_at_end = 0;
  std::int64_t overdue_at_end = 0;

  Totals& operator+=(const Totals& other);
  bool operator==(const Totals&) const = default;
};

// Totals of one procedure.
struct ProcedureTotals {
  std::int32_t procedure = 0;
  Totals totals;
  bool operator==(const ProcedureTotals&) const = default;
};

class Counters {
 public:
  // `cutoff`: the first day of the second half of a month (the report cut-off).
  explicit Counters(unsigned cutoff = kDecree09CutoffDay) : cutoff_(cutoff) {}

  void Add(const DossierFacts& facts) { Apply(facts, +1); }
  void Remove(const DossierFacts& facts) { Apply(facts, -1); }

  // The figures of `units` (each counted once) over `range`.
  Totals Sum(const std::vector<std::int64_t>& units, const DayRange& range) const;

  // True if `range` is made of whole half months (what SumByProcedure takes).
  bool WholeHalfMonths(const DayRange& range) const;
  // The figures of `units` (each counted once) per procedure over `range`
  // (whole half months), the stocks read at the end of `as_of`, which is
  // range.last, or today when the range has not ended (so nothing has
  // happened after it). Procedures with nothing to count are left out;
  // ascending procedure.
  std::vector<ProcedureTotals> SumByProcedure(const std::vector<std::int64_t>& units,
                                              const DayRange& range, calendar::Date as_of) const;

  // Bytes held by the series (for the benchmark's report).
  std::size_t MemoryBytes() const;

 private:
  enum Metric : int {
    kReceived,
    kReceivedOnline,
    kReceivedEligible,
    kReceivedOnlineOfEligible,
    kReceivedDigitised,
    kReceivedSynced,
    kDecided,
    kDecidedEarly,
    kDecidedOnTime,
    kDecidedLate,
    kDecidedAccepted,
    kDecidedElectronic,
    kReturned,
    kWithdrawn,
    kRated,
    kRatedSatisfied,
    kOpenDelta,
    kOverdueDelta,
    kMetrics
  };
  // One unit's day, or one procedure's half month in one unit.
  template <typename Int>
  struct Bucket {
    std::array<Int, kMetrics> n{};
    std::int64_t working_seconds = 0;
  };
  template <typename Int>
  struct Series {
    std::int64_t first = 0;  // the index (day or half month) of buckets[0]
    std::vector<Bucket<Int>> buckets;
    Bucket<Int>& At(std::int64_t index);
  };
  struct Cell {
    Series<std::int32_t> halves;
    // The open dossiers with an appointment, by the day they become overdue:
    // the overdue stock of a half month still running.
    std::map<calendar::Date, std::int32_t> open_due;
  };
  template <typename Int>
  static void AddFlows(const Bucket<Int>& b, Totals& t);
  std::int64_t HalfMonth(calendar::Date day) const;
  void Apply(const DossierFacts& f, int sign);
  template <typename Int, typename IndexOf>
  static void ApplyTo(Series<Int>& s, const DossierFacts& f, int sign, IndexOf index);

  unsigned cutoff_;
  std::unordered_map<std::int64_t, Series<std::int32_t>> units_;  // by unit, daily
  std::unordered_map<std::uint64_t, Cell> cells_;  // by (unit, procedure), half-monthly
};

// Every dossier's facts, packed (dates as days since 2000, which covers
// 2000-2179; facts that do not fit are kept unpacked).
class FactsTable {
 public:
  // Stores `facts` for dossier `id` (none: forgets it) and gives back what
  // was stored before.
  std::optional<DossierFacts> Exchange(std::int64_t id, const std::optional<DossierFacts>& facts);
  // Makes room for the ids up to `max_id` at once (a rebuild knows it).
  void Reserve(std::int64_t max_id);
  std::size_t size() const { return size_; }
  // Calls fn(id, facts) for every dossier stored, by ascending id.
  void ForEach(const std::function<void(std::int64_t, const DossierFacts&)>& fn) const;
  std::size_t MemoryBytes() const;

 private:
  struct Packed {
    std::int32_t unit = 0;
    std::int32_t procedure = 0;
    std::int32_t working_seconds = 0;
    std::uint16_t received = 0, due = 0, decided = 0, returned = 0, withdrawn = 0, rated = 0;
    std::uint8_t channel = 0;  // 0: no dossier stored here
    std::uint8_t outcome = 0;
    std::uint8_t flags = 0;
  };
  static std::optional<Packed> Pack(const DossierFacts& f);
  static DossierFacts Unpack(const Packed& p);

  std::vector<Packed> packed_;                            // by id
  std::unordered_map<std::int64_t, DossierFacts> loose_;  // ids or facts that do not pack
  std::size_t size_ = 0;
};

}  // namespace motcua::stats
