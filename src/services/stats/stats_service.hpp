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
// Saved facts (issue 18). Counting 10 M dossiers from their rows takes some
// 30 s; reading every dossier's facts back takes a few. So SaveSnapshot
// writes them to the database (core/stats/facts_snapshot.hpp; migration
// 0010) with a mark: the last event seq they hold. The count in the
// background starts from the newest snapshot: its facts, then the dossiers
// with an event after its mark, read again from their rows. That is exact
// because every change to what the statistics read of a dossier (an action,
// a rating, a signed result, the national portal's first acknowledgement)
// appends an event in the same transaction.
// What makes a mark true is the catch-up: the service keeps the seq up to
// which its facts hold every event, and CatchUp reads again every dossier
// with an event after it (once a minute while serving, and before a save).
// Changes made through this process are counted at once by the listener;
// the catch-up adds those of other `motcua serve` processes on the same
// database, which no listener here announces, and of commands.
// A snapshot is used only if its basis (the encoding, the working calendar,
// the catalogue's online modes) is today's; otherwise, or if it cannot be
// read, the count is from scratch. `motcua serve` saves one once counted
// from scratch, every kSaveEvery if events came, and when it stops cleanly.
// Not covered: dossier rows written without events; `motcua
// seed-statistics`, which does, deletes the snapshots.
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
  // The count starts from the newest snapshot of today's basis when there
  // is one (see the top of this file), and saves one when it counted from
  // scratch or read again more than kSaveAfterReading dossiers; then, while
  // serving, catches up every kCatchUpEvery and saves every kSaveEvery.
  // `gate`, if given, runs on that thread before counting (tests hold the
  // count with it). Call at most once.
  void CountInBackground(std::function<void()> gate = {});
  static constexpr std::chrono::seconds kRetryPause{10};
  static constexpr std::chrono::hours kSaveEvery{6};
  static constexpr std::chrono::minutes kCatchUpEvery{1};
  static constexpr std::int64_t kSaveAfterReading = 100'000;

  // Reads again every dossier with an event after the seq up to which the
  // facts hold every event, and moves that seq to the last event's; returns
  // it. Errors: kFailedPrecondition while the figures are not counted; those
  // of the store.
  [[nodiscard]] Result<std::int64_t> CatchUp();
  // Catches up, then saves every dossier's facts as the newest snapshot,
  // replacing the older ones (writes of a few megabytes each, so other
  // writes go on between them), unless the newest one already holds every
  // event. What `motcua serve` does when it stops, after its last write.
  // Errors: kFailedPrecondition while the figures are not counted; those of
  // the store.
  [[nodiscard]] Status SaveSnapshot();
  // Counts from the newest snapshot of today's basis, as the count in the
  // background does: false (nothing changed) if there is none, or it cannot
  // be read (logged). Errors: those of the store.
  [[nodiscard]] Result<bool> RestoreSnapshot();
  // What the statistics' inputs are: a snapshot of another basis is not used.
  std::string Basis() const;

  // How far the count from scratch has gone, for the answer while it runs.
  struct Readiness {
    bool ready = false;        // counted: the figures answer
    std::int64_t counted = 0;  // dossier ids read so far, of
    std::int64_t of = 0;       // the highest id when the count began
    // When to ask again: the time the rest should take at the pace so far,
    // 1 to 60 s.
    std::chrono::seconds retry_after{5};
    // Once ready: whether the count started from a snapshot, and how many
    // dossiers it read again from their rows (all of them from scratch).
    bool from_snapshot = false;
    std::int64_t read_again = 0;
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
  // Queues dossier `id` to be counted again: quick, any thread. Called after
  // the commit by whatever changed what the statistics read of it: the
  // DossierService's change listener, the signing of a result, and the
  // national portal's delivery worker once it recorded the portal's first
  // acknowledgement (national_sync and its "national_synced" event). A
  // change no one announces here is counted by the next CatchUp (a minute).
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
  // the background runs, with retry_after (CountingProgress's estimate).
  [[nodiscard]] Result<UnitFigures> Figures(const FiguresQuery& query);

  // Bytes the counters and the facts take (for the benchmark's report).
  struct Memory {
    std::size_t counters = 0, facts = 0, dossiers = 0;
  };
  Memory MemoryUse() const;

  const IndexDefinition& definition() const { return definition_; }

 private:
  // A dossier's facts now, numbered by the numbering `*numbering` names.
  Result<std::optional<DossierFacts>> Load(storage::Tx& tx, std::int64_t id,
                                           std::uint64_t* numbering);
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
  // Replaces dossier `id`'s facts, unless they were numbered before the
  // numbering changed: then it is queued again.
  void Replace(std::int64_t id, std::optional<DossierFacts> facts, std::uint64_t numbering);
  void Work();
  // What a count from scratch or from a snapshot gives.
  struct Tally {
    Counters counters;
    FactsTable facts;
    std::optional<std::vector<std::string>> codes;  // a snapshot's procedure numbers
    bool from_snapshot = false;
    std::int64_t read_again = 0;
    std::int64_t mark = 0;  // the facts hold every event up to this seq
  };
  // Ends a count (call holding neither lock): installs what it counted, if
  // it did not fail, then queues the dossiers changed meanwhile.
  void Install(std::optional<Tally> counted);
  // Catches up every kCatchUpEvery and saves every kSaveEvery, until stopping.
  void KeepUp();

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
  std::uint64_t numbering_ = 0;               // changes when a snapshot's numbers replace them
  bool built_ = false;                        // counted from every dossier once
  bool rebuilding_ = false;
  std::vector<std::int64_t> touched_;  // changed while rebuilding
  bool from_snapshot_ = false;
  std::int64_t read_again_ = 0;
  std::int64_t mark_ = 0;  // the facts hold every event up to this seq

  std::mutex save_mu_;            // one save at a time; guards saved_mark_
  std::int64_t saved_mark_ = -1;  // the mark of the newest snapshot known to be in the database

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
