// Live procedure-handling statistics and the 766 index (issue 7).
//
// The counters of core/stats, in memory: built from every dossier when the
// server starts (Rebuild; commands that do not serve never pay for it), then kept current as dossiers change: the dossier
// service's change listener queues the dossier's id, and a worker thread
// reads its facts again and replaces its old contribution with the new one
// (Remove, Add). A figure is then a sum over the units' day series, never a
// scan of the dossiers. A change shows in the figures as soon as the worker
// has read it (milliseconds after the commit); Flush waits for that.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "core/calendar/working_time.hpp"
#include "core/stats/counters.hpp"
#include "core/stats/index766.hpp"
#include "core/stats/periods.hpp"
#include "services/catalog/catalog_service.hpp"
#include "services/units/unit_service.hpp"
#include "storage/store.hpp"

namespace motcua::stats {

struct UnitFigures {
  std::int64_t unit_id = 0;
  Period period;
  DayRange range;
  // The day the stocks (open, overdue) are read at: the period's last day,
  // or today while the period runs.
  calendar::Date as_of{};
  std::vector<std::int64_t> units;  // the units counted: the unit and those below it
  Totals totals;
  IndexScore index;                 // points to the service's definition
};

class StatsService {
 public:
  // Everything must outlive the service. Starts the worker thread.
  StatsService(storage::Store& store, const Clock& clock, const catalog::CatalogService& catalog,
               const calendar::WorkingCalendar& calendar, const units::UnitService& units,
               IndexDefinition definition);
  ~StatsService();
  StatsService(const StatsService&) = delete;
  StatsService& operator=(const StatsService&) = delete;

  // Counts every dossier from scratch: `motcua serve` does before it listens;
  // otherwise the first Figures does. Errors: those of the store.
  [[nodiscard]] Status Rebuild();
  // Queues dossier `id` to be counted again (for DossierService's change
  // listener: quick, any thread).
  void Changed(std::int64_t id);
  // Waits until every change queued before the call is counted.
  void Flush();

  // The figures of `unit_id` and the units below it over `period`, with the
  // 766 index; a period still running is counted up to today (a period not
  // begun yet counts nothing). Errors: kNotFound for an unknown unit.
  [[nodiscard]] Result<UnitFigures> Figures(std::int64_t unit_id, const Period& period);

  const IndexDefinition& definition() const { return definition_; }

 private:
  Result<std::optional<DossierFacts>> Load(storage::Tx& tx, std::int64_t id) const;
  // Every dossier's facts and the counters of them.
  Result<std::pair<Counters, std::unordered_map<std::int64_t, DossierFacts>>> Count() const;
  void Replace(std::int64_t id, std::optional<DossierFacts> facts);
  void Work();

  storage::Store& store_;
  const Clock& clock_;
  const catalog::CatalogService& catalog_;
  const calendar::WorkingCalendar& calendar_;
  const units::UnitService& units_;
  IndexDefinition definition_;

  mutable std::mutex mu_;  // guards counters_ and facts_
  Counters counters_;
  std::unordered_map<std::int64_t, DossierFacts> facts_;
  bool built_ = false;  // counted from every dossier once
  bool rebuilding_ = false;
  std::vector<std::int64_t> touched_;  // changed while rebuilding

  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<std::int64_t> queue_;
  std::uint64_t queued_ = 0, done_ = 0;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace motcua::stats
