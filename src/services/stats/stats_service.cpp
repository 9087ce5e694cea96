#include "services/stats/stats_service.hpp"

#include <algorithm>

#include "core/calendar/date.hpp"
#include "storage/stats_repo.hpp"

namespace motcua::stats {
namespace {

using calendar::LocalDate;
using storage::stats::DossierStatRow;

constexpr int kWithdrawnStatus = 7;
constexpr int kBatch = 1000;

Outcome OutcomeOf(const std::optional<std::string>& timeliness) {
  if (!timeliness) return Outcome::kNone;
  if (*timeliness == "early") return Outcome::kEarly;
  if (*timeliness == "on_time") return Outcome::kOnTime;
  return Outcome::kLate;
}

DossierFacts ToFacts(const DossierStatRow& r, const catalog::Catalog& catalog,
                     const calendar::WorkingCalendar& cal) {
  DossierFacts f;
  f.unit = r.receiving_unit_id;
  f.channel = r.channel;
  f.received = LocalDate(r.submitted_at);
  if (r.due_at) f.due = LocalDate(*r.due_at);
  if (r.finished_at) {
    if (r.national_status == kWithdrawnStatus) {
      f.withdrawn = LocalDate(*r.finished_at);
    } else {
      f.decided = LocalDate(*r.finished_at);
      f.outcome = OutcomeOf(r.timeliness);
      if (r.clock_start) {
        auto worked = cal.WorkingTimeBetween(*r.clock_start, *r.finished_at);
        if (worked) f.working_seconds = std::max<std::int64_t>(0, (worked->count() - r.paused_micros) / 1000000);
      }
    }
  }
  if (r.returned_at) f.returned = LocalDate(*r.returned_at);
  for (const auto& p : catalog.Versions(r.procedure_code))
    if (p.id == r.procedure_id) f.online_eligible = p.online_mode == catalog::OnlineMode::kFull;
  f.digitised = r.digitised;
  f.electronic_result = r.electronic_result;
  if (r.rated_at) {
    f.rated = LocalDate(*r.rated_at);
    f.satisfied = r.rating_level >= 2;  // satisfied or very satisfied (dossier_ratings' levels)
  }
  return f;
}

}  // namespace

StatsService::StatsService(storage::Store& store, const Clock& clock, const catalog::CatalogService& catalog,
                           const calendar::WorkingCalendar& calendar, const units::UnitService& units,
                           IndexDefinition definition)
    : store_(store), clock_(clock), catalog_(catalog), calendar_(calendar), units_(units), definition_(std::move(definition)) {
  worker_ = std::thread([this] { Work(); });
}

StatsService::~StatsService() {
  {
    std::lock_guard lock(queue_mu_);
    stopping_ = true;
  }
  queue_cv_.notify_all();
  worker_.join();
}

Status StatsService::Rebuild() {
  {
    // Changes counted meanwhile go into the counters being replaced: they
    // are counted again once the new ones are in place.
    std::lock_guard lock(mu_);
    rebuilding_ = true;
    touched_.clear();
  }
  auto rebuilt = Count();
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

Result<std::pair<Counters, std::unordered_map<std::int64_t, DossierFacts>>> StatsService::Count() const {
  Counters counters;
  std::unordered_map<std::int64_t, DossierFacts> facts;
  auto snapshot = catalog_.Snapshot();
  for (std::int64_t after = 0;;) {
    std::vector<DossierStatRow> rows;
    MOTCUA_TRY_VOID(store_.Read([&](storage::Tx& tx) -> Status {
      rows = MOTCUA_TRY(storage::stats::ListDossiers(tx, after, kBatch));
      return {};
    }));
    for (const auto& r : rows) {
      DossierFacts f = ToFacts(r, *snapshot, calendar_);
      counters.Add(f);
      facts.emplace(r.id, f);
      after = r.id;
    }
    if (rows.size() < static_cast<std::size_t>(kBatch)) break;
  }
  return std::pair(std::move(counters), std::move(facts));
}

Result<std::optional<DossierFacts>> StatsService::Load(storage::Tx& tx, std::int64_t id) const {
  auto row = MOTCUA_TRY(storage::stats::FindDossier(tx, id));
  if (!row) return std::optional<DossierFacts>();
  return std::optional<DossierFacts>(ToFacts(*row, *catalog_.Snapshot(), calendar_));
}

void StatsService::Replace(std::int64_t id, std::optional<DossierFacts> facts) {
  std::lock_guard lock(mu_);
  if (rebuilding_) touched_.push_back(id);
  if (auto it = facts_.find(id); it != facts_.end()) {
    counters_.Remove(it->second);
    facts_.erase(it);
  }
  if (facts) {
    counters_.Add(*facts);
    facts_.emplace(id, *facts);
  }
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

Result<UnitFigures> StatsService::Figures(std::int64_t unit_id, const Period& period) {
  bool built;
  {
    std::lock_guard lock(mu_);
    built = built_;
  }
  if (!built) MOTCUA_TRY_VOID(Rebuild());
  auto tree = units_.Tree();
  if (tree->Find(unit_id) == nullptr) return Fail(Code::kNotFound, "no unit " + std::to_string(unit_id));
  UnitFigures out;
  out.unit_id = unit_id;
  out.period = period;
  out.range = RangeOf(period, definition_.report_cutoff_day);
  out.as_of = std::min(out.range.last, LocalDate(clock_.Now()));
  out.units = tree->Subtree(unit_id);
  {
    std::lock_guard lock(mu_);
    out.totals = counters_.Sum(out.units, {out.range.first, out.as_of});
  }
  const Totals& t = out.totals;
  // Judged: the dossiers decided with an appointment (not those refused at
  // intake, which never had one), and, since an unfinished dossier is judged
  // at the end of the period, those still open after their appointment,
  // which are late (DOMAIN.md section 5).
  Measures m;
  m["dossiers_on_time"] = {t.decided_early + t.decided_on_time,
                           t.decided_early + t.decided_on_time + t.decided_late + t.overdue_at_end};
  m["dossiers_fully_online"] = {t.received_online_of_eligible, t.received_online_eligible};
  m["dossiers_electronic_result"] = {t.decided_electronic, t.decided};
  m["dossiers_digitised"] = {t.received_digitised, t.received};
  m["dossier_satisfaction"] = {t.rated_satisfied, t.rated};
  out.index = Score(definition_, m);
  return out;
}

}  // namespace motcua::stats
