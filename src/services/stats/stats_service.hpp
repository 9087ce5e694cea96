// Live procedure-handling statistics and the 766 index (issue 7).
//
// The counters of core/stats, in memory: built from every dossier when the
// server starts (CountInBackground, so that it listens at once: until the
// count is done the figures answer kUnavailable; commands that do not serve
// never pay for it, and count at their first question), then kept current as
// dossiers change: the dossier service's change listener queues the dossier's id, and a worker
// thread reads its facts again and replaces its old contribution with the new one (Remove, Add). A
// figure is then a sum over the units' day series, never a scan of the dossiers. A change shows in
// the figures as soon as the worker has read it (milliseconds after the commit); Flush waits for
// that.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
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
#include "core/workflow/registry.hpp"
#include "services/catalog/catalog_service.hpp"
#include "services/units/unit_service.hpp"
#include "storage/stats_repo.hpp"
#include "storage/store.hpp"

namespace motcua::stats {

// Which units a unit's figures count: those below it when each dossier was
// received (the units of the time), or, for today's units, also the retired
// units whose successors today are it or below it (a merged commune's old
// dossiers count for the commune that took it over).
enum class UnitsView { kOfTheTime, kToday };

// What the rows of a figure break it down by.
enum class Breakdown { kNone, kUnit, kProcedure, kField, kMonth };

struct FiguresQuery {
  std::int64_t unit_id = 0;
  Period period;
  UnitsView view = UnitsView::kOfTheTime;
  Breakdown by = Breakdown::kNone;
};

// One row of a breakdown: a unit below (with the units it counts), a
// procedure (its code), a field (its name) or a month (key: its period).
struct FiguresRow {
  std::int64_t unit_id = 0;
  std::string key;                  // the procedure's code or the field's name
  std::string name;                 // the unit's, the procedure's (newest version) or the field's
  std::vector<std::int64_t> units;  // a unit's row: the units counted
  Totals totals;
  IndexScore index;
};

struct UnitFigures {
  std::int64_t unit_id = 0;
  std::string unit_name, agency_code;
  Period period;
  DayRange range;
  // The day the stocks (open, overdue) are read at: the period's last day,
  // or today while the period runs.
  calendar::Date as_of{};
  std::vector<std::int64_t> units;  // the units counted: the unit and those below it
  Totals totals;
  IndexScore index;              // points to the service's definition
  std::vector<FiguresRow> rows;  // as the query asked
};

class StatsService {
 public:
  // Everything must outlive the service. Starts the worker thread.
  StatsService(storage::Store& store, const Clock& clock, const catalog::CatalogService& catalog,
               const calendar::WorkingCalendar& calendar, const units::UnitService& units,
               const workflow::Registry& workflows, IndexDefinition definition);
  ~StatsService();
  StatsService(const StatsService&) = delete;
  StatsService& operator=(const StatsService&) = delete;

  // Where counting from scratch reads the dossiers: their table (the
  // projection the dossier service keeps, one row each), or the event log
  // alone, every history replayed (replay.hpp). Both give the same figures;
  // the log is the slower read, and the check of the table.
  enum class Source { kDossierTable, kEventLog };

  // Counts every dossier from scratch, now: the first Figures does, unless
  // CountInBackground was called. Errors: those of the store; from the log,
  // kInternal naming a history that cannot be replayed.
  [[nodiscard]] Status Rebuild(Source source = Source::kDossierTable);

  // Counts every dossier from the table on a thread of its own: what `motcua
  // serve` does at start, so that it listens at once (at 10 M dossiers the
  // count takes some 40 s). Until the count is done, Figures fails with
  // kUnavailable, and everything else works; changes meanwhile are counted
  // after it. A count that fails is logged and tried again kRetryPause later.
  // `gate`, if given, runs on that thread before counting (tests hold the
  // count with it). Call at most once.
  void CountInBackground(std::function<void()> gate = {});
  static constexpr std::chrono::seconds kRetryPause{10};

  // How far the count from scratch has gone, for the answer while it runs.
  struct Readiness {
    bool ready = false;        // counted: the figures answer
    std::int64_t counted = 0;  // dossier ids read so far, of
    std::int64_t of = 0;       // the highest id when the count began
    // When to ask again: the time the rest should take at the pace so far,
    // 1 to 60 s.
    std::chrono::seconds retry_after{5};
  };
  Readiness CountingProgress() const;

  // Every dossier's row compared with its history replayed: what `motcua
  // verify --statistics` reports. A row without a history (or a history
  // without a row) disagrees too: `motcua seed-statistics` writes rows only.
  struct LogCheck {
    std::int64_t dossiers = 0;          // dossier rows compared with their histories
    std::int64_t disagreeing = 0;       // of them
    std::vector<std::string> problems;  // the first kMaxProblems, each naming its dossier
  };
  static constexpr std::size_t kMaxProblems = 20;
  [[nodiscard]] Result<LogCheck> CheckAgainstEventLog();
  // Queues dossier `id` to be counted again (for DossierService's change
  // listener: quick, any thread).
  void Changed(std::int64_t id);
  // Waits until every change queued before the call is counted.
  void Flush();

  // The figures of `unit_id` and the units below it over `period`, with the
  // 766 index; a period still running is counted up to today (a period not
  // begun yet counts nothing). Rows by unit are the unit's direct children
  // (active on the period's last day, or today's); by procedure or field,
  // they need a period of whole half months (months, quarters, years, the
  // report periods), since those are the counters' grain; by month, they are
  // the period's months (report months of a report period) begun by today.
  // Errors: kNotFound for an unknown unit; kInvalidArgument naming "by" for a
  // day's rows by procedure, field or month; kUnavailable while the count in
  // the background runs (CountingProgress says when to ask again).
  [[nodiscard]] Result<UnitFigures> Figures(const FiguresQuery& query);

  // Bytes the counters and the facts take (for the benchmark's report).
  struct Memory {
    std::size_t counters = 0, facts = 0, dossiers = 0;
  };
  Memory MemoryUse() const;

  const IndexDefinition& definition() const { return definition_; }

 private:
  Result<std::optional<DossierFacts>> Load(storage::Tx& tx, std::int64_t id);
  // Every dossier's facts and the counters of them.
  Result<std::pair<Counters, FactsTable>> Count(Source source);
  // The dossiers with ids in (after, up_to], from their histories, by id.
  Result<std::vector<storage::stats::DossierStatRow>> Replayed(storage::Tx& tx, std::int64_t after,
                                                               std::int64_t up_to,
                                                               const catalog::Catalog& catalog);
  // The highest dossier id `source` knows.
  Result<std::int64_t> LastId(Source source);
  // The number of a procedure code in the facts (under mu_).
  std::int32_t ProcedureNumber(const std::string& code);
  std::vector<std::int64_t> Counted(const units::UnitTree& tree, std::int64_t unit, UnitsView view,
                                    calendar::Date day) const;
  IndexScore Index(const Totals& t) const;
  void Replace(std::int64_t id, std::optional<DossierFacts> facts);
  void Work();

  storage::Store& store_;
  const Clock& clock_;
  const catalog::CatalogService& catalog_;
  const calendar::WorkingCalendar& calendar_;
  const units::UnitService& units_;
  const workflow::Registry& workflows_;
  IndexDefinition definition_;

  mutable std::mutex mu_;  // guards counters_, facts_ and the procedure numbers
  Counters counters_;
  FactsTable facts_;
  std::unordered_map<std::string, std::int32_t> procedure_numbers_;
  std::vector<std::string> procedure_codes_;  // by number
  bool built_ = false;                        // counted from every dossier once
  bool rebuilding_ = false;
  std::vector<std::int64_t> touched_;  // changed while rebuilding

  // The count in the background and its progress (Count writes them).
  std::thread counting_;
  std::atomic<bool> in_background_{false};
  std::atomic<bool> stop_counting_{false};
  std::atomic<std::int64_t> counted_{0}, count_of_{0};
  std::atomic<std::int64_t> count_started_ms_{0};  // steady clock, when Count began

  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<std::int64_t> queue_;
  std::uint64_t queued_ = 0, done_ = 0;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace motcua::stats
