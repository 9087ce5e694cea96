// Procedure-handling statistics kept as counters per unit and day, so that a
// figure for any set of units and any period costs O(units × days), never a
// scan of the dossiers (DESIGN.md principle 5, issue 7).
//
// Each dossier contributes its DossierFacts: flows counted on the day they
// happened (received, decided early / on time / late, returned, withdrawn,
// rated, ...) and two stocks read at the end of a day, kept as difference series:
// open (received, not yet decided or withdrawn) and overdue (open after the
// day its appointment falls on; no event announces that, the series does).
// A change to a dossier is Remove(old facts) then Add(new facts): the
// counters then equal those rebuilt from every dossier's current facts.
//
// The unit is the one that received the dossier, as it was then (the units
// of the time); statistics by today's units pass the retired units with their
// successors (units/). Dates are Vietnam's.
//
// Not thread safe: one writer, or a lock around it.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "core/calendar/date.hpp"
#include "core/stats/periods.hpp"

namespace motcua::stats {

enum class Outcome { kNone, kEarly, kOnTime, kLate };

// What one dossier contributes, as of now.
struct DossierFacts {
  std::int64_t unit = 0;  // the receiving unit
  int channel = 2;        // 1 at a counter, 2 online, 3 by post
  calendar::Date received{};
  std::optional<calendar::Date> due;      // the appointment in force
  std::optional<calendar::Date> decided;  // processing finished, refused or stopped
  Outcome outcome = Outcome::kNone;       // with decided, when there was an appointment
  std::int64_t working_seconds = 0;       // with decided: how long it took, paused time out
  std::optional<calendar::Date> returned;
  std::optional<calendar::Date> withdrawn;
  bool online_eligible = false;     // its procedure may be done fully online
  bool digitised = false;           // its documents came as files
  bool electronic_result = false;   // it has a signed result
  std::optional<calendar::Date> rated;  // when the citizen rated its handling
  bool satisfied = false;               // with rated: satisfied or very satisfied
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
  std::int64_t decided = 0;
  std::int64_t decided_early = 0;
  std::int64_t decided_on_time = 0;
  std::int64_t decided_late = 0;
  std::int64_t decided_electronic = 0;  // with an electronic result
  std::int64_t working_seconds = 0;     // of the decided, for the average
  std::int64_t returned = 0;
  std::int64_t withdrawn = 0;
  std::int64_t rated = 0;
  std::int64_t rated_satisfied = 0;
  // Stocks: at the end of the day before the period (carried over) and of its last day.
  std::int64_t open_before = 0;
  std::int64_t open_at_end = 0;
  std::int64_t overdue_at_end = 0;

  bool operator==(const Totals&) const = default;
};

class Counters {
 public:
  void Add(const DossierFacts& facts) { Apply(facts, +1); }
  void Remove(const DossierFacts& facts) { Apply(facts, -1); }

  // The figures of `units` (each counted once) over `range`.
  Totals Sum(const std::vector<std::int64_t>& units, const DayRange& range) const;

  // Bytes held by the series (for the benchmark's report).
  std::size_t MemoryBytes() const;

 private:
  enum Metric : int {
    kReceived, kReceivedOnline, kReceivedEligible, kReceivedOnlineOfEligible, kReceivedDigitised,
    kDecided, kDecidedEarly, kDecidedOnTime, kDecidedLate, kDecidedElectronic, kWorkingSeconds,
    kReturned, kWithdrawn, kRated, kRatedSatisfied, kOpenDelta, kOverdueDelta, kMetrics
  };
  using Day = std::array<std::int64_t, kMetrics>;
  struct Series {
    calendar::Date first{};  // the day of days[0]
    std::vector<Day> days;
  };
  void Apply(const DossierFacts& f, int sign);
  Day& At(std::int64_t unit, calendar::Date day);

  std::unordered_map<std::int64_t, Series> units_;
};

}  // namespace motcua::stats
