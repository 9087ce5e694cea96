#include "services/stats/stats_service.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <span>

#include "common/log.hpp"
#include "core/calendar/date.hpp"
#include "core/dossier/lifecycle.hpp"
#include "core/stats/facts_snapshot.hpp"
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
  f.synced = r.synced;
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
      Status st;
      bool restored = false;
      if (auto r = RestoreSnapshot(); !r) {
        st = Fail(r.error());
      } else {
        restored = *r;
        if (!restored) st = Rebuild();
      }
      if (stop_counting_) return;
      if (st) {
        const auto memory = MemoryUse();
        const Readiness ready = CountingProgress();
        log::Info(
            "statistics counted",
            {{"dossiers", static_cast<std::int64_t>(memory.dossiers)},
             {"from", restored ? "snapshot" : "dossiers"},
             {"read_again", ready.read_again},
             {"ms", static_cast<std::int64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                  std::chrono::steady_clock::now() - started)
                                                  .count())},
             {"counter_bytes", static_cast<std::int64_t>(memory.counters)},
             {"facts_bytes", static_cast<std::int64_t>(memory.facts)}});
        if (!restored || ready.read_again > kSaveAfterReading) {
          if (auto saved = SaveSnapshot(); !saved)
            log::Warn("statistics snapshot not saved", {{"error", saved.error().message}});
        }
        KeepUp();
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

void StatsService::KeepUp() {
  auto last_save = std::chrono::steady_clock::now();
  std::unique_lock lock(queue_mu_);
  while (!queue_cv_.wait_for(lock, kCatchUpEvery, [&] { return stopping_; })) {
    lock.unlock();
    const bool save = std::chrono::steady_clock::now() - last_save >= kSaveEvery;
    Status done;
    if (save) {
      done = SaveSnapshot();
      last_save = std::chrono::steady_clock::now();
    } else if (auto caught = CatchUp(); !caught) {
      done = Fail(caught.error());
    }
    if (!done)
      log::Warn(save ? "statistics snapshot not saved" : "statistics could not catch up",
                {{"error", done.error().message}});
    lock.lock();
  }
}

Result<std::int64_t> StatsService::CatchUp() {
  std::int64_t from;
  {
    std::lock_guard lock(mu_);
    if (!built_ || rebuilding_)
      return Fail(Code::kFailedPrecondition, "the statistics are not counted yet");
    from = mark_;
  }
  std::int64_t to = from;
  std::vector<std::int64_t> changed;
  MOTCUA_TRY_VOID(store_.Read([&](storage::Tx& tx) -> Status {
    to = MOTCUA_TRY(storage::stats::LastEventSeq(tx));
    if (to > from) changed = MOTCUA_TRY(storage::stats::DossiersChangedBetween(tx, from, to));
    return {};
  }));
  // Read after `to` was: each holds its events up to it.
  for (std::int64_t id : changed) Changed(id);
  Flush();
  std::lock_guard lock(mu_);
  mark_ = std::max(mark_, to);
  return to;
}

std::string StatsService::Basis() const {
  // FNV-1a over what DossierFacts are computed with: a fingerprint, not a
  // defence (the snapshot is the database's own data).
  std::uint64_t h = 1469598103934665603ull;
  auto mix = [&](std::string_view bytes) {
    for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ull;
    h = (h ^ 0xff) * 1099511628211ull;  // a separator
  };
  auto number = [&](std::int64_t n) { mix(std::to_string(n)); };
  // v2: DossierFacts::synced (and the snapshot's MSF2 parts).
  mix("facts v2");
  mix(calendar_.office_hours().ToString());
  const auto& holidays = calendar_.holidays();
  for (int year = calendar::HolidayCalendar::kFirstYear;
       year <= calendar::HolidayCalendar::kLastYear; ++year) {
    for (const auto& day : holidays.Holidays(year)) number(day.date.time_since_epoch().count());
    for (const auto& day : holidays.MakeUpWorkingDays(year))
      number(-day.time_since_epoch().count());
  }
  for (const auto& p : catalog_.Snapshot()->All()) {
    mix(p.code);
    number(p.id);
    number(static_cast<std::int64_t>(p.online_mode));
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return std::string("facts-v2:") + hex;
}

Result<bool> StatsService::RestoreSnapshot() {
  {
    std::lock_guard lock(mu_);
    rebuilding_ = true;
    touched_.clear();
  }
  const std::string basis = Basis();
  Tally counted{.counters = Counters(definition_.report_cutoff_day), .codes = {}};
  std::vector<std::string> codes;
  std::optional<storage::stats::SnapshotHeader> header;
  std::vector<std::int64_t> changed;
  std::int64_t mark = 0;
  Status decoded;
  count_started_ms_ = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now().time_since_epoch())
                          .count();
  counted_ = 0;
  // One read: the snapshot and the dossiers changed after its mark are of
  // the same moment; later changes come through Changed (touched).
  auto read = store_.Read([&](storage::Tx& tx) -> Status {
    header = MOTCUA_TRY(storage::stats::LatestSnapshot(tx));
    if (!header || header->basis != basis) return {};
    count_of_ = header->dossiers;
    counted.facts.Reserve(MOTCUA_TRY(storage::stats::MaxDossierId(tx)));
    for (int part = 0; part < header->parts && decoded; ++part) {
      if (stop_counting_) return Fail(Code::kUnavailable, "the service is stopping");
      const std::string text =
          MOTCUA_TRY(storage::stats::SnapshotPart(tx, header->generation, part));
      decoded = DecodeFactsPart(static_cast<std::size_t>(part), text, codes,
                                [&](std::int64_t id, const DossierFacts& f) {
                                  if (auto old = counted.facts.Exchange(id, f))
                                    counted.counters.Remove(*old);
                                  counted.counters.Add(f);
                                });
      counted_ = static_cast<std::int64_t>(counted.facts.size());
    }
    if (decoded && static_cast<std::int64_t>(counted.facts.size()) != header->dossiers)
      decoded = Fail(Code::kInvalidArgument,
                     "the statistics snapshot holds " + std::to_string(counted.facts.size()) +
                         " dossiers, its header says " + std::to_string(header->dossiers));
    if (decoded) {
      mark = MOTCUA_TRY(storage::stats::LastEventSeq(tx));
      changed =
          MOTCUA_TRY(storage::stats::DossiersChangedBetween(tx, header->last_event_seq, mark));
    }
    return {};
  });
  auto nothing = [&](Result<bool> answer) {
    Install(std::nullopt);
    return answer;
  };
  if (!read) return nothing(Fail(read.error()));
  if (!header) return nothing(false);
  if (header->basis != basis) {
    log::Info("statistics snapshot of another basis: counting from scratch",
              {{"snapshot", header->basis}, {"today", basis}});
    return nothing(false);
  }
  if (!decoded) {
    log::Warn("statistics snapshot unreadable: counting from scratch",
              {{"error", decoded.error().message}});
    return nothing(false);
  }
  // Too many changed to be worth it: the count from scratch is as quick.
  if (changed.size() > counted.facts.size() / 3 + kSaveAfterReading) return nothing(false);
  // The changed dossiers from their rows, numbered like the snapshot.
  std::unordered_map<std::string, std::int32_t> numbers;
  for (std::size_t i = 0; i < codes.size(); ++i)
    numbers.emplace(codes[i], static_cast<std::int32_t>(i));
  auto snapshot = catalog_.Snapshot();
  for (std::size_t at = 0; at < changed.size(); at += kBatch) {
    if (stop_counting_) return nothing(Fail(Code::kUnavailable, "the service is stopping"));
    const std::size_t end = std::min(changed.size(), at + kBatch);
    std::vector<std::pair<std::int64_t, std::optional<DossierStatRow>>> rows;
    auto batch = store_.Read([&](storage::Tx& tx) -> Status {
      for (std::size_t i = at; i < end; ++i)
        rows.emplace_back(changed[i], MOTCUA_TRY(storage::stats::FindDossier(tx, changed[i])));
      return {};
    });
    if (!batch) return nothing(Fail(batch.error()));
    for (auto& [id, row] : rows) {
      std::optional<DossierFacts> facts;
      if (row) {
        auto [it, added] =
            numbers.emplace(row->procedure_code, static_cast<std::int32_t>(codes.size()));
        if (added) codes.push_back(row->procedure_code);
        facts = ToFacts(*row, it->second, *snapshot, calendar_);
      }
      if (auto old = counted.facts.Exchange(id, facts)) counted.counters.Remove(*old);
      if (facts) counted.counters.Add(*facts);
    }
  }
  counted_ = count_of_.load();
  counted.codes = std::move(codes);
  counted.from_snapshot = true;
  counted.read_again = static_cast<std::int64_t>(changed.size());
  counted.mark = mark;
  {
    std::lock_guard lock(save_mu_);
    saved_mark_ = header->last_event_seq;
  }
  Install(std::move(counted));
  return true;
}

Status StatsService::SaveSnapshot() {
  std::lock_guard save(save_mu_);
  const auto started = std::chrono::steady_clock::now();
  // The facts hold every event up to the mark once caught up; what comes
  // after it and is in the copy below anyway is read again at the restore.
  const std::int64_t mark = MOTCUA_TRY(CatchUp());
  if (mark == saved_mark_) return {};  // the newest snapshot holds every event
  FactsTable facts;
  std::vector<std::string> codes;
  {
    std::lock_guard lock(mu_);
    facts = facts_;  // a copy, so that the figures wait only for that
    codes = procedure_codes_;
  }
  const auto parts = EncodeFacts(facts, codes);
  std::size_t bytes = 0;
  for (const auto& p : parts) bytes += p.size();
  const storage::stats::SnapshotHeader header{.basis = Basis(),
                                              .last_event_seq = mark,
                                              .dossiers = static_cast<std::int64_t>(facts.size()),
                                              .parts = static_cast<int>(parts.size()),
                                              .taken_at = clock_.Now()};
  std::int64_t generation = 0;
  MOTCUA_TRY_VOID(store_.WriteSync([&](storage::Tx& tx) -> Status {
    generation = MOTCUA_TRY(storage::stats::BeginSnapshot(tx, header));
    return {};
  }));
  // A few parts a write (some 20 MB), the last with the completion.
  constexpr std::size_t kPartsPerWrite = 8;
  for (std::size_t at = 0; at < parts.size(); at += kPartsPerWrite) {
    const std::size_t end = std::min(parts.size(), at + kPartsPerWrite);
    MOTCUA_TRY_VOID(store_.WriteSync([&](storage::Tx& tx) -> Status {
      for (std::size_t i = at; i < end; ++i)
        MOTCUA_TRY_VOID(
            storage::stats::PutSnapshotPart(tx, generation, static_cast<int>(i), parts[i]));
      if (end == parts.size()) MOTCUA_TRY_VOID(storage::stats::CompleteSnapshot(tx, generation));
      return {};
    }));
  }
  saved_mark_ = mark;
  log::Info("statistics snapshot saved",
            {{"dossiers", header.dossiers},
             {"last_event_seq", mark},
             {"parts", static_cast<std::int64_t>(parts.size())},
             {"bytes", static_cast<std::int64_t>(bytes)},
             {"ms", static_cast<std::int64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                  std::chrono::steady_clock::now() - started)
                                                  .count())}});
  return {};
}

StatsService::Readiness StatsService::CountingProgress() const {
  Readiness r;
  {
    std::lock_guard lock(mu_);
    r.ready = built_;
    r.from_snapshot = from_snapshot_;
    r.read_again = read_again_;
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
  // Read before the rows: they hold every event up to it.
  std::int64_t mark = 0;
  auto marked = store_.Read([&](storage::Tx& tx) -> Status {
    mark = MOTCUA_TRY(storage::stats::LastEventSeq(tx));
    return {};
  });
  auto rebuilt = marked ? Count(source) : Fail(marked.error());
  if (!rebuilt) {
    Install(std::nullopt);
    return Fail(rebuilt.error());
  }
  const auto dossiers = static_cast<std::int64_t>(rebuilt->second.size());
  Install(Tally{.counters = std::move(rebuilt->first),
                .facts = std::move(rebuilt->second),
                .read_again = dossiers,
                .mark = mark});
  return {};
}

void StatsService::Install(std::optional<Tally> counted) {
  std::vector<std::int64_t> touched;
  {
    std::lock_guard lock(mu_);
    if (counted) {
      counters_ = std::move(counted->counters);
      facts_ = std::move(counted->facts);
      if (counted->codes) {
        // The snapshot's numbers. Codes numbered meanwhile are numbered
        // again when their dossiers are counted again (they are touched).
        procedure_codes_ = std::move(*counted->codes);
        procedure_numbers_.clear();
        for (std::size_t i = 0; i < procedure_codes_.size(); ++i)
          procedure_numbers_.emplace(procedure_codes_[i], static_cast<std::int32_t>(i));
        ++numbering_;
      }
      from_snapshot_ = counted->from_snapshot;
      read_again_ = counted->read_again;
      mark_ = counted->mark;
      built_ = true;
    }
    rebuilding_ = false;
    touched.swap(touched_);
  }
  for (std::int64_t id : touched) Changed(id);
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

Result<std::optional<DossierFacts>> StatsService::Load(storage::Tx& tx, std::int64_t id,
                                                       std::uint64_t* numbering) {
  auto row = MOTCUA_TRY(storage::stats::FindDossier(tx, id));
  if (!row) return std::optional<DossierFacts>();
  std::int32_t number;
  {
    std::lock_guard lock(mu_);
    number = ProcedureNumber(row->procedure_code);
    *numbering = numbering_;
  }
  return std::optional<DossierFacts>(ToFacts(*row, number, *catalog_.Snapshot(), calendar_));
}

void StatsService::Replace(std::int64_t id, std::optional<DossierFacts> facts,
                           std::uint64_t numbering) {
  {
    std::lock_guard lock(mu_);
    if (numbering == numbering_) {
      if (rebuilding_) touched_.push_back(id);
      if (auto old = facts_.Exchange(id, facts)) counters_.Remove(*old);
      if (facts) counters_.Add(*facts);
      return;
    }
  }
  Changed(id);  // numbered before a snapshot's numbers came in: again
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
    std::uint64_t numbering = 0;
    auto read = store_.Read([&](storage::Tx& tx) -> Status {
      facts = MOTCUA_TRY(Load(tx, id, &numbering));
      return {};
    });
    // A read that fails leaves the old contribution: the next change of the
    // dossier, or the next start, counts it again.
    if (read) Replace(id, std::move(facts), numbering);
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
  // Of the dossiers received, those the national portal acknowledged (at
  // any time since). Measured even where sync is not configured: the
  // province owes the portal every dossier, so none acknowledged is 0 %.
  m["dossiers_synced"] = {t.received_synced, t.received};
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
      Error e{Code::kUnavailable,
              "the figures are being counted since the server started (" +
                  std::to_string(r.counted) + " of " + std::to_string(r.of) +
                  " dossiers so far); ask again in " + std::to_string(r.retry_after.count()) + " s",
              {}};
      e.retry_after = r.retry_after;  // the answer's Retry-After
      return Fail(std::move(e));
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
