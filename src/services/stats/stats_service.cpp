#include "services/stats/stats_service.hpp"

#include <algorithm>
#include <map>
#include <span>

#include "common/log.hpp"
#include "core/calendar/date.hpp"
#include "core/dossier/lifecycle.hpp"
#include "services/dossiers/dossier_service.hpp"
#include "services/stats/replay.hpp"
#include "storage/events_repo.hpp"
#include "storage/stats_repo.hpp"

namespace motcua::stats {
namespace {

using calendar::LocalDate;
using storage::stats::DossierStatRow;

constexpr int kBatch = 1000;  // dossier ids per read
constexpr std::string_view kDossierAggregate = "dossier";

Outcome OutcomeOf(const std::optional<std::string>& timeliness) {
  if (!timeliness) return Outcome::kNone;
  if (*timeliness == "early") return Outcome::kEarly;
  if (*timeliness == "on_time") return Outcome::kOnTime;
  return Outcome::kLate;
}

DossierFacts ToFacts(const DossierStatRow& r, std::int32_t procedure,
                     const catalog::Catalog& catalog, const calendar::WorkingCalendar& cal) {
  DossierFacts f;
  f.unit = r.receiving_unit_id;
  f.procedure = procedure;
  f.channel = r.channel;
  f.received = LocalDate(r.submitted_at);
  // Overdue from its appointment's evening, unless its clock does not run
  // (paused for the citizen: never overdue while paused; core/dossier).
  const auto clock = workflow::ParseClock(r.clock).value_or(workflow::Clock::kStopped);
  if (r.finished_at) {
    if (r.due_at) f.due = LocalDate(*r.due_at);
  } else if (auto due = dossier::AppointmentToMeet(r.due_at, clock)) {
    f.due = LocalDate(*due);
  }
  if (r.finished_at) {
    if (r.national_status == workflow::NationalCode(workflow::NationalStatus::kWithdrawn)) {
      f.withdrawn = LocalDate(*r.finished_at);
    } else {
      f.decided = LocalDate(*r.finished_at);
      f.outcome = OutcomeOf(r.timeliness);
      f.accepted = r.clock_start.has_value();
      if (r.clock_start) {
        auto worked = cal.WorkingTimeBetween(*r.clock_start, *r.finished_at);
        if (worked)
          f.working_seconds =
              std::max<std::int64_t>(0, (worked->count() - r.paused_micros) / 1000000);
      }
    }
  }
  if (r.returned_at) f.returned = LocalDate(*r.returned_at);
  if (const auto* p = dossiers::FindVersionById(catalog, r.procedure_code, r.procedure_id))
    f.online_eligible = p->online_mode == catalog::OnlineMode::kFull;
  f.digitised = r.digitised;
  f.electronic_result = r.electronic_result;
  if (r.rated_at) {
    f.rated = LocalDate(*r.rated_at);
    f.satisfied = r.rating_level >= 2;  // satisfied or very satisfied (dossier_ratings' levels)
  }
  return f;
}

// Each dossier's history in `events` (by dossier, then seq).
std::vector<std::span<const events::Event>> Histories(const std::vector<events::Event>& events) {
  std::vector<std::span<const events::Event>> out;
  const std::span<const events::Event> all(events);
  for (std::size_t i = 0, j = 0; i < all.size(); i = j) {
    while (j < all.size() && all[j].aggregate_id == all[i].aggregate_id) ++j;
    out.push_back(all.subspan(i, j - i));
  }
  return out;
}

}  // namespace

StatsService::StatsService(storage::Store& store, const Clock& clock,
                           const catalog::CatalogService& catalog,
                           const calendar::WorkingCalendar& calendar,
                           const units::UnitService& units, const workflow::Registry& workflows,
                           IndexDefinition definition)
    : store_(store),
      clock_(clock),
      catalog_(catalog),
      calendar_(calendar),
      units_(units),
      workflows_(workflows),
      definition_(std::move(definition)),
      counters_(definition_.report_cutoff_day) {
  worker_ = std::thread([this] { Work(); });
}

StatsService::~StatsService() {
  stop_counting_ = true;
  {
    std::lock_guard lock(queue_mu_);
    stopping_ = true;
  }
  queue_cv_.notify_all();
  if (counting_.joinable()) counting_.join();
  worker_.join();
}

void StatsService::CountInBackground(std::function<void()> gate) {
  in_background_ = true;
  counting_ = std::thread([this, gate = std::move(gate)] {
    if (gate) gate();
    for (;;) {
      const auto started = std::chrono::steady_clock::now();
      auto st = Rebuild();
      if (stop_counting_) return;
      if (st) {
        const auto memory = MemoryUse();
        log::Info(
            "statistics counted",
            {{"dossiers", static_cast<std::int64_t>(memory.dossiers)},
             {"ms", static_cast<std::int64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                  std::chrono::steady_clock::now() - started)
                                                  .count())},
             {"counter_bytes", static_cast<std::int64_t>(memory.counters)},
             {"facts_bytes", static_cast<std::int64_t>(memory.facts)}});
        return;
      }
      log::Error("statistics could not be counted; trying again",
                 {{"error", st.error().message},
                  {"retry_in_s", static_cast<std::int64_t>(kRetryPause.count())}});
      std::unique_lock lock(queue_mu_);
      if (queue_cv_.wait_for(lock, kRetryPause, [&] { return stopping_; })) return;
    }
  });
}

StatsService::Readiness StatsService::CountingProgress() const {
  Readiness r;
  {
    std::lock_guard lock(mu_);
    r.ready = built_;
  }
  r.counted = counted_;
  r.of = count_of_;
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now().time_since_epoch())
                          .count();
  const std::int64_t elapsed_ms = now_ms - count_started_ms_;
  if (r.counted > 0 && r.of > r.counted && elapsed_ms > 0) {
    // The rest at the pace so far, rounded up.
    const double rest_ms = static_cast<double>(elapsed_ms) * static_cast<double>(r.of - r.counted) /
                           static_cast<double>(r.counted);
    r.retry_after = std::chrono::seconds(static_cast<std::int64_t>(rest_ms / 1000.0) + 1);
  }
  r.retry_after = std::clamp(r.retry_after, std::chrono::seconds(1), std::chrono::seconds(60));
  return r;
}

Status StatsService::Rebuild(Source source) {
  {
    // Changes counted meanwhile go into the counters being replaced: they
    // are counted again once the new ones are in place.
    std::lock_guard lock(mu_);
    rebuilding_ = true;
    touched_.clear();
  }
  auto rebuilt = Count(source);
  std::vector<std::int64_t> touched;
  {
    std::lock_guard lock(mu_);
    if (rebuilt) {
      counters_ = std::move(rebuilt->first);
      facts_ = std::move(rebuilt->second);
      built_ = true;
    }
    rebuilding_ = false;
    touched.swap(touched_);
  }
  for (std::int64_t id : touched) Changed(id);
  if (!rebuilt) return Fail(rebuilt.error());
  return {};
}

std::int32_t StatsService::ProcedureNumber(const std::string& code) {
  auto [it, added] =
      procedure_numbers_.emplace(code, static_cast<std::int32_t>(procedure_codes_.size()));
  if (added) procedure_codes_.push_back(code);
  return it->second;
}

Result<std::int64_t> StatsService::LastId(Source source) {
  std::int64_t last = 0;
  MOTCUA_TRY_VOID(store_.Read([&](storage::Tx& tx) -> Status {
    last = source == Source::kEventLog
               ? MOTCUA_TRY(storage::events::MaxAggregateId(tx, kDossierAggregate))
               : MOTCUA_TRY(storage::stats::MaxDossierId(tx));
    return {};
  }));
  return last;
}

Result<std::vector<DossierStatRow>> StatsService::Replayed(storage::Tx& tx, std::int64_t after,
                                                           std::int64_t up_to,
                                                           const catalog::Catalog& catalog) {
  auto events = MOTCUA_TRY(storage::events::ListEventsOfIds(tx, kDossierAggregate, after, up_to));
  std::vector<DossierStatRow> out;
  for (auto history : Histories(events))
    out.push_back(MOTCUA_TRY(ReplayDossier(history, workflows_, catalog, calendar_)));
  return out;
}

Result<std::pair<Counters, FactsTable>> StatsService::Count(Source source) {
  Counters counters(definition_.report_cutoff_day);
  FactsTable facts;
  auto snapshot = catalog_.Snapshot();
  // Dossiers that come meanwhile, above `last`, are counted as changes.
  const std::int64_t last = MOTCUA_TRY(LastId(source));
  facts.Reserve(last);
  count_started_ms_ = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now().time_since_epoch())
                          .count();
  counted_ = 0;
  count_of_ = last;
  for (std::int64_t after = 0; after < last; after += kBatch) {
    if (stop_counting_) return Fail(Code::kUnavailable, "the service is stopping");
    counted_ = after;
    std::vector<DossierStatRow> rows;
    MOTCUA_TRY_VOID(store_.Read([&](storage::Tx& tx) -> Status {
      rows = source == Source::kEventLog
                 ? MOTCUA_TRY(Replayed(tx, after, after + kBatch, *snapshot))
                 : MOTCUA_TRY(storage::stats::ListDossiersOfIds(tx, after, after + kBatch));
      return {};
    }));
    std::vector<std::int32_t> numbers;
    {
      std::lock_guard lock(mu_);
      for (const auto& r : rows) numbers.push_back(ProcedureNumber(r.procedure_code));
    }
    for (std::size_t i = 0; i < rows.size(); ++i) {
      DossierFacts f = ToFacts(rows[i], numbers[i], *snapshot, calendar_);
      counters.Add(f);
      facts.Exchange(rows[i].id, f);
    }
  }
  counted_ = last;
  return std::pair(std::move(counters), std::move(facts));
}

Result<StatsService::LogCheck> StatsService::CheckAgainstEventLog() {
  LogCheck check;
  auto snapshot = catalog_.Snapshot();
  const std::int64_t last =
      std::max(MOTCUA_TRY(LastId(Source::kDossierTable)), MOTCUA_TRY(LastId(Source::kEventLog)));
  auto problem = [&](std::int64_t id, const std::string& what) {
    ++check.disagreeing;
    if (check.problems.size() < kMaxProblems)
      check.problems.push_back("dossier " + std::to_string(id) + ": " + what);
  };
  for (std::int64_t after = 0; after < last; after += kBatch) {
    // One read: the rows and the histories of the same moment.
    std::vector<DossierStatRow> table, history;
    std::vector<std::pair<std::int64_t, std::string>> unreadable;
    MOTCUA_TRY_VOID(store_.Read([&](storage::Tx& tx) -> Status {
      table = MOTCUA_TRY(storage::stats::ListDossiersOfIds(tx, after, after + kBatch));
      auto events = MOTCUA_TRY(
          storage::events::ListEventsOfIds(tx, kDossierAggregate, after, after + kBatch));
      for (auto one : Histories(events)) {
        auto replayed = ReplayDossier(one, workflows_, *snapshot, calendar_);
        if (replayed)
          history.push_back(std::move(*replayed));
        else
          unreadable.emplace_back(one.front().aggregate_id, replayed.error().message);
      }
      return {};
    }));
    for (const auto& [id, why] : unreadable) problem(id, why);
    std::size_t h = 0;
    for (const auto& row : table) {
      ++check.dossiers;
      while (h < history.size() && history[h].id < row.id)
        problem(history[h++].id, "a history without a row");
      if (h < history.size() && history[h].id == row.id) {
        auto differences = Differences(row, history[h++]);
        if (!differences.empty()) {
          std::string text;
          for (const auto& d : differences) text += (text.empty() ? "" : "; ") + d;
          problem(row.id, text);
        }
      } else if (std::none_of(unreadable.begin(), unreadable.end(),
                              [&](const auto& u) { return u.first == row.id; })) {
        problem(row.id, "a row without a history");
      }
    }
    for (; h < history.size(); ++h) problem(history[h].id, "a history without a row");
  }
  return check;
}

Result<std::optional<DossierFacts>> StatsService::Load(storage::Tx& tx, std::int64_t id) {
  auto row = MOTCUA_TRY(storage::stats::FindDossier(tx, id));
  if (!row) return std::optional<DossierFacts>();
  std::int32_t number;
  {
    std::lock_guard lock(mu_);
    number = ProcedureNumber(row->procedure_code);
  }
  return std::optional<DossierFacts>(ToFacts(*row, number, *catalog_.Snapshot(), calendar_));
}

void StatsService::Replace(std::int64_t id, std::optional<DossierFacts> facts) {
  std::lock_guard lock(mu_);
  if (rebuilding_) touched_.push_back(id);
  if (auto old = facts_.Exchange(id, facts)) counters_.Remove(*old);
  if (facts) counters_.Add(*facts);
}

void StatsService::Changed(std::int64_t id) {
  {
    std::lock_guard lock(queue_mu_);
    queue_.push_back(id);
    ++queued_;
  }
  queue_cv_.notify_all();
}

void StatsService::Flush() {
  std::unique_lock lock(queue_mu_);
  const std::uint64_t target = queued_;
  queue_cv_.wait(lock, [&] { return done_ >= target || stopping_; });
}

void StatsService::Work() {
  std::unique_lock lock(queue_mu_);
  for (;;) {
    queue_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    const std::int64_t id = queue_.front();
    queue_.pop_front();
    lock.unlock();
    std::optional<DossierFacts> facts;
    auto read = store_.Read([&](storage::Tx& tx) -> Status {
      facts = MOTCUA_TRY(Load(tx, id));
      return {};
    });
    // A read that fails leaves the old contribution: the next change of the
    // dossier, or the next start, counts it again.
    if (read) Replace(id, std::move(facts));
    lock.lock();
    ++done_;
    queue_cv_.notify_all();
  }
}

std::vector<std::int64_t> StatsService::Counted(const units::UnitTree& tree, std::int64_t unit,
                                                UnitsView view, calendar::Date day) const {
  std::vector<std::int64_t> out = tree.Subtree(unit);
  if (view == UnitsView::kOfTheTime) return out;
  // Today's units: not the retired units below it whose successors are
  // elsewhere, and the retired units elsewhere whose successors are below it.
  std::erase_if(out, [&](std::int64_t u) {
    if (tree.ActiveOn(u, day)) return false;
    auto now = tree.CurrentSuccessors(u, day);
    return !now.empty() && std::none_of(now.begin(), now.end(), [&](std::int64_t s) {
      return tree.IsSameOrBelow(s, unit);
    });
  });
  for (const auto& u : tree.units()) {
    if (tree.ActiveOn(u.id, day) || tree.IsSameOrBelow(u.id, unit)) continue;
    auto now = tree.CurrentSuccessors(u.id, day);
    if (std::any_of(now.begin(), now.end(),
                    [&](std::int64_t s) { return tree.IsSameOrBelow(s, unit); }))
      out.push_back(u.id);
  }
  return out;
}

IndexScore StatsService::Index(const Totals& t) const {
  // Judged: the dossiers decided with an appointment (not those refused at
  // intake, which never had one), and, since an unfinished dossier is judged
  // at the end of the period, those still open after their appointment,
  // which are late (DOMAIN.md section 5).
  Measures m;
  m["dossiers_on_time"] = {t.decided_early + t.decided_on_time,
                           t.decided_early + t.decided_on_time + t.decided_late + t.overdue_at_end};
  m["dossiers_fully_online"] = {t.received_online_of_eligible, t.received_online_eligible};
  m["dossiers_electronic_result"] = {t.decided_electronic, t.decided_accepted};
  m["dossiers_digitised"] = {t.received_digitised, t.received};
  m["dossier_satisfaction"] = {t.rated_satisfied, t.rated};
  return Score(definition_, m);
}

Result<UnitFigures> StatsService::Figures(const FiguresQuery& query) {
  bool built;
  {
    std::lock_guard lock(mu_);
    built = built_;
  }
  if (!built) {
    if (in_background_) {
      const Readiness r = CountingProgress();
      return Fail(Code::kUnavailable, "the figures are being counted since the server started (" +
                                          std::to_string(r.counted) + " of " +
                                          std::to_string(r.of) +
                                          " dossiers so far); ask again in " +
                                          std::to_string(r.retry_after.count()) + " s");
    }
    MOTCUA_TRY_VOID(Rebuild());
  }
  auto tree = units_.Tree();
  if (tree->Find(query.unit_id) == nullptr)
    return Fail(Code::kNotFound, "no unit " + std::to_string(query.unit_id));
  UnitFigures out;
  out.unit_id = query.unit_id;
  out.unit_name = tree->Find(query.unit_id)->name;
  out.agency_code = tree->Find(query.unit_id)->agency_code;
  out.period = query.period;
  out.range = RangeOf(query.period, definition_.report_cutoff_day);
  const calendar::Date today = LocalDate(clock_.Now());
  out.as_of = std::min(out.range.last, today);
  const bool by_procedure = query.by == Breakdown::kProcedure || query.by == Breakdown::kField;
  if (by_procedure && !counters_.WholeHalfMonths(out.range))
    return Fail(Error{Code::kInvalidArgument, "invalid statistics query", {}}.With(
        "by",
        "procedures and fields are counted by half month: ask for a month, a quarter, a year or a "
        "report period"));
  if (query.by == Breakdown::kMonth && query.period.kind == PeriodKind::kDay)
    return Fail(Error{Code::kInvalidArgument, "invalid statistics query", {}}.With(
        "by", "a day has no months"));
  // The units as they stand on the day the stocks are read.
  out.units = Counted(*tree, query.unit_id, query.view, out.as_of);
  std::vector<Period> months;
  if (query.by == Breakdown::kMonth) {
    const PeriodKind kind =
        IsReport(query.period.kind) ? PeriodKind::kReportMonth : PeriodKind::kMonth;
    for (Period m = Containing(kind, out.range.first, definition_.report_cutoff_day);
         RangeOf(m, definition_.report_cutoff_day).first <= std::min(out.range.last, today);
         m = Next(m))
      months.push_back(m);
  }
  std::vector<std::pair<std::int64_t, std::vector<std::int64_t>>> children;
  if (query.by == Breakdown::kUnit) {
    for (std::int64_t child : tree->Children(query.unit_id))
      if (tree->ActiveOn(child, out.as_of))
        children.emplace_back(child, Counted(*tree, child, query.view, out.as_of));
  }
  std::vector<ProcedureTotals> procedures;
  std::vector<std::string> codes;
  {
    std::lock_guard lock(mu_);
    out.totals = counters_.Sum(out.units, {out.range.first, out.as_of});
    for (const auto& [child, units] : children)
      out.rows.push_back({.unit_id = child,
                          .name = tree->Find(child)->name,
                          .units = units,
                          .totals = counters_.Sum(units, {out.range.first, out.as_of})});
    for (const Period& m : months) {
      const DayRange r = RangeOf(m, definition_.report_cutoff_day);
      out.rows.push_back({.key = FormatPeriod(m),
                          .name = VietnameseName(m, definition_.report_cutoff_day),
                          .totals = counters_.Sum(out.units, {r.first, std::min(r.last, today)})});
    }
    if (by_procedure) {
      procedures = counters_.SumByProcedure(out.units, out.range, out.as_of);
      for (const auto& p : procedures)
        codes.push_back(procedure_codes_.at(static_cast<std::size_t>(p.procedure)));
    }
  }
  if (query.by == Breakdown::kProcedure) {
    auto snapshot = catalog_.Snapshot();
    for (std::size_t i = 0; i < procedures.size(); ++i) {
      const auto& versions = snapshot->Versions(codes[i]);
      out.rows.push_back({.key = codes[i],
                          .name = versions.empty() ? codes[i] : versions.back().name,
                          .totals = procedures[i].totals});
    }
  } else if (query.by == Breakdown::kField) {
    // A procedure's field is its newest version's (a code keeps its field).
    auto snapshot = catalog_.Snapshot();
    std::map<std::string, Totals> fields;
    for (std::size_t i = 0; i < procedures.size(); ++i) {
      const auto& versions = snapshot->Versions(codes[i]);
      fields[versions.empty() ? std::string() : versions.back().field] += procedures[i].totals;
    }
    for (auto& [field, t] : fields) out.rows.push_back({.key = field, .name = field, .totals = t});
  }
  out.index = Index(out.totals);
  for (auto& row : out.rows) row.index = Index(row.totals);
  return out;
}

StatsService::Memory StatsService::MemoryUse() const {
  std::lock_guard lock(mu_);
  return {counters_.MemoryBytes(), facts_.MemoryBytes(), facts_.size()};
}

}  // namespace motcua::stats
