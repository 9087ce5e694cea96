// The statistics service on its own, without HTTP: a real store (both
// engines; PostgreSQL from MOTCUA_TEST_POSTGRES_URL, as scripts/test.sh
// starts it: without it the Postgres cases fail, saying so), the demo province, dossiers submitted
// through the dossier service, and the national portal's acknowledgements written as the delivery
// worker writes them (issue 20): a national_sync row and the dossier's "national_synced" event in
// one transaction, then StatsService::Changed after the commit. What a leader sees: the dossiers
// synced counted on their day of receipt, the 766 indicator measured from them, and the same
// figures from the event log alone, after a restart from a snapshot, and in `verify --statistics`.
#include "services/stats/stats_service.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <span>
#include <sstream>

#include "core/calendar/date.hpp"
#include "core/dossier/event_payloads.hpp"
#include "core/workflow/internal/test_files.hpp"
#include "services/audit/access_log.hpp"
#include "services/dossiers/dossier_service.hpp"
#include "services/stats/replay.hpp"
#include "storage/accounts_repo.hpp"
#include "storage/events_repo.hpp"
#include "storage/testing.hpp"

namespace motcua::stats {
namespace {

using accounts::Principal;
using accounts::Role;

TimePoint At(std::string_view text) { return *calendar::ParseMoment(text); }

std::filesystem::path SourceDir() {
  const char* src = std::getenv("MOTCUA_SOURCE_DIR");
  return src ? src : ".";
}

std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Marital status certificate: commune level, 3 working days, commune-simple.
constexpr std::string_view kProcedure = "1.004873.000.00.00.H56";

const Period kDecember{PeriodKind::kMonth, 2026, 12};
const Period kJanuary{PeriodKind::kMonth, 2027, 1};

class StatsServiceTest : public ::testing::TestWithParam<storage::testing::Engine> {
 protected:
  void SetUp() override {
    auto opened =
        store_.Open("stats", storage::StoreOptions{.synchronous_full = false}, GetParam());
    ASSERT_TRUE(opened) << opened.error().message;
    units_ = std::make_unique<units::UnitService>(*store_, clock_);
    ASSERT_TRUE(units_->Reload());
    auto imported = units_->ImportCsv(ReadFile(SourceDir() / "data/demo/units.csv"));
    ASSERT_TRUE(imported) << imported.error().message;
    tree_ = units_->Tree();
    catalog_ = std::make_unique<catalog::CatalogService>(*store_, clock_);
    ASSERT_TRUE(catalog_->Reload());
    for (const char* code : {"commune-simple", "department", "inter-level", "immediate"})
      ASSERT_TRUE(workflows_.Add(workflow::internal::Demo(code)));
    auto loaded =
        catalog::LoadCatalogFile(*catalog_, (SourceDir() / "data/demo/procedures.json").string());
    ASSERT_TRUE(loaded) << loaded.error().message;
    access_log_ = std::make_unique<audit::AccessLog>(*store_, clock_);
    dossiers_ = std::make_unique<dossiers::DossierService>(
        *store_, clock_, cal_, *catalog_, workflows_, *units_, *tree_, *access_log_,
        [](std::span<std::uint8_t> bytes) -> Status {
          for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(i);
          return {};
        });
    auto definition = ParseIndexDefinition(ReadFile(SourceDir() / "data/statistics/index766.json"));
    ASSERT_TRUE(definition) << definition.error().message;
    definition_ = *definition;
    stats_ = NewStats();
    dossiers_->AddChangeListener(
        [this](std::int64_t id, const std::string&) { stats_->Changed(id); });
    commune_ = Unit("000.51.00.H55");  // Phường Phan Đình Phùng
    officer_ = User("motcua.pdp", Role::kOfficer, commune_);
  }

  void TearDown() override {
    stats_.reset();
    dossiers_.reset();
  }

  std::unique_ptr<StatsService> NewStats() {
    return std::make_unique<StatsService>(*store_, clock_, *catalog_, cal_, *units_, workflows_,
                                          definition_);
  }

  std::int64_t Unit(std::string_view agency_code) {
    for (const auto& u : tree_->units())
      if (u.agency_code == agency_code) return u.id;
    ADD_FAILURE() << "no unit " << agency_code;
    return 0;
  }

  Principal User(const std::string& name, Role role, std::int64_t unit) {
    Principal p;
    p.username = name;
    p.display_name = "Người dùng " + name;
    p.roles = {{role, unit, false}};
    auto st = store_->WriteSync([&](storage::Tx& tx) -> Status {
      storage::accounts::UserRow row{
          0, name, p.display_name, "x", false, clock_.Now(), clock_.Now(), clock_.Now(), {}};
      p.user_id = MOTCUA_TRY(storage::accounts::InsertUser(tx, row));
      return {};
    });
    EXPECT_TRUE(st) << st.error().message;
    return p;
  }

  template <typename T, typename Call>
  Result<T> Wait(Call call) {
    std::promise<Result<T>> answer;
    call([&](Result<T> r) { answer.set_value(std::move(r)); });
    return answer.get_future().get();
  }

  // A dossier received at the commune's counter now; its row as submitted.
  storage::dossiers::DossierRow AtCounter() {
    dossiers::SubmitRequest req{std::string(kProcedure),
                                commune_,
                                std::nullopt,
                                {"Nguyễn Thị Ánh", "001203004567", "0912 345 678", "", ""},
                                {},
                                true};
    auto r = Wait<dossiers::Submitted>(
        [&](auto done) { dossiers_->Submit(officer_, req, std::move(done)); });
    EXPECT_TRUE(r) << r.error().message;
    return r ? r->view.row : storage::dossiers::DossierRow{};
  }

  // What the delivery worker writes when the national portal acknowledges
  // dossier `row`'s record for the first time, in one transaction.
  void Acknowledge(const storage::dossiers::DossierRow& row) {
    const std::string now = storage::accounts::FormatTime(clock_.Now());
    auto st = store_->WriteSync([&](storage::Tx& tx) -> Status {
      MOTCUA_TRY(tx.Exec(
          "INSERT INTO national_sync (dossier_id, first_acked_at, acked_version, acked_steps, "
          "acked_at) VALUES ($1, $2, $3, 0, $2)",
          {row.id, now, row.version}));
      MOTCUA_TRY(storage::events::AppendEvent(
          tx,
          events::NewEvent{"dossier", row.id, clock_.Now(), std::nullopt, "national_synced",
                           row.state, row.state,
                           dossier::ToJson(dossier::NationalSyncedPayload{"dvcqg", row.version})}));
      return {};
    });
    ASSERT_TRUE(st) << st.error().message;
  }

  UnitFigures Figures(const Period& period, StatsService* stats = nullptr) {
    if (stats == nullptr) stats = stats_.get();
    stats->Flush();
    auto f = stats->Figures({.unit_id = commune_, .period = period});
    EXPECT_TRUE(f) << f.error().message;
    return f ? *f : UnitFigures{};
  }

  static const IndicatorScore& Synced(const UnitFigures& f) {
    for (const auto& g : f.index.groups)
      for (const auto& i : g.indicators)
        if (i.indicator->id == "dossiers_synced") return i;
    ADD_FAILURE() << "no dossiers_synced indicator";
    static const IndicatorScore none;
    return none;
  }

  // Wednesday 30 December 2026, 08:30.
  FakeClock clock_{At("2026-12-30T08:30+07:00")};
  calendar::WorkingCalendar cal_{calendar::HolidayCalendar(), calendar::OfficeHours()};
  storage::testing::TempStore store_;  // before the services: destroyed after them
  std::unique_ptr<units::UnitService> units_;
  std::shared_ptr<const units::UnitTree> tree_;
  std::unique_ptr<catalog::CatalogService> catalog_;
  workflow::Registry workflows_;
  std::unique_ptr<audit::AccessLog> access_log_;
  std::unique_ptr<dossiers::DossierService> dossiers_;
  IndexDefinition definition_;
  std::unique_ptr<StatsService> stats_;
  std::int64_t commune_ = 0;
  Principal officer_;
};

TEST_P(StatsServiceTest, AnAcknowledgementCountsForTheMonthTheDossierWasReceivedIn) {
  ASSERT_TRUE(stats_->Rebuild());
  const auto first = AtCounter();
  const auto second = AtCounter();
  ASSERT_NE(first.id, 0);
  ASSERT_NE(second.id, 0);
  // Nothing acknowledged yet: measured, 0 of the 2 received, 0 of 6 points.
  UnitFigures december = Figures(kDecember);
  EXPECT_EQ(december.totals.received, 2);
  EXPECT_EQ(december.totals.received_synced, 0);
  ASSERT_TRUE(Synced(december).ratio);
  EXPECT_EQ(Synced(december).ratio->count, 0);
  EXPECT_EQ(Synced(december).ratio->of, 2);
  ASSERT_TRUE(Synced(december).score);
  EXPECT_EQ(*Synced(december).score, 0);

  // The portal acknowledges the first on 4 January; the worker tells the
  // statistics after its commit. December's figure rises, January's does not.
  clock_.Set(At("2027-01-04T10:00+07:00"));
  Acknowledge(first);
  stats_->Changed(first.id);
  december = Figures(kDecember);
  EXPECT_EQ(december.totals.received_synced, 1);
  EXPECT_EQ(Synced(december).ratio->count, 1);
  ASSERT_TRUE(Synced(december).score);
  EXPECT_NEAR(*Synced(december).score, 3.0, 1e-9);  // 50 % of a 100 % threshold, of 6 points
  const UnitFigures january = Figures(kJanuary);
  EXPECT_EQ(january.totals.received, 0);
  EXPECT_EQ(january.totals.received_synced, 0);
  EXPECT_EQ(Synced(january).unavailable, "none_counted");

  // One no listener here announced (another process's worker) is counted by
  // the catch-up, since its event is in the log.
  Acknowledge(second);
  EXPECT_EQ(Figures(kDecember).totals.received_synced, 1);
  ASSERT_TRUE(stats_->CatchUp());
  EXPECT_EQ(Figures(kDecember).totals.received_synced, 2);
  EXPECT_NEAR(*Synced(Figures(kDecember)).score, 6.0, 1e-9);

  // The event log alone says the same: each history replays as synced, and
  // a rebuild from the log gives the same figures.
  std::vector<events::Event> history;
  ASSERT_TRUE(store_->Read([&](storage::Tx& tx) -> Status {
    history = MOTCUA_TRY(storage::events::ListEvents(tx, "dossier", first.id));
    return {};
  }));
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history.back().action, "national_synced");
  auto replayed = ReplayDossier(history, workflows_, *catalog_->Snapshot(), cal_);
  ASSERT_TRUE(replayed) << replayed.error().message;
  EXPECT_TRUE(replayed->synced);
  auto before_it =
      ReplayDossier(std::span(history).first(1), workflows_, *catalog_->Snapshot(), cal_);
  ASSERT_TRUE(before_it) << before_it.error().message;
  EXPECT_FALSE(before_it->synced);
  auto check = stats_->CheckAgainstEventLog();
  ASSERT_TRUE(check) << check.error().message;
  EXPECT_EQ(check->dossiers, 2);
  EXPECT_EQ(check->disagreeing, 0) << (check->problems.empty() ? "" : check->problems[0]);
  const Totals live = Figures(kDecember).totals;
  ASSERT_TRUE(stats_->Rebuild(StatsService::Source::kEventLog));
  EXPECT_EQ(Figures(kDecember).totals, live);

  // A restart from the saved facts keeps them synced.
  ASSERT_TRUE(stats_->Rebuild());
  ASSERT_TRUE(stats_->SaveSnapshot());
  auto restarted = NewStats();
  auto restored = restarted->RestoreSnapshot();
  ASSERT_TRUE(restored) << restored.error().message;
  EXPECT_TRUE(*restored);
  EXPECT_EQ(Figures(kDecember, restarted.get()).totals.received_synced, 2);
  EXPECT_EQ(Figures(kDecember, restarted.get()).totals, live);
}

TEST_P(StatsServiceTest, TheCheckAgainstTheEventLogNamesASyncTheTableDoesNotHold) {
  const auto d = AtCounter();
  Acknowledge(d);
  // The table's projection loses the acknowledgement (its history keeps it):
  // `motcua verify --statistics` names the dossier and the fact.
  ASSERT_TRUE(store_->WriteSync([&](storage::Tx& tx) -> Status {
    MOTCUA_TRY(tx.Exec("DELETE FROM national_sync WHERE dossier_id = $1", {d.id}));
    return {};
  }));
  auto check = stats_->CheckAgainstEventLog();
  ASSERT_TRUE(check) << check.error().message;
  EXPECT_EQ(check->disagreeing, 1);
  ASSERT_EQ(check->problems.size(), 1u);
  EXPECT_EQ(check->problems[0],
            "dossier " + std::to_string(d.id) + ": synced: table no, history yes");
}

INSTANTIATE_TEST_SUITE_P(Engines, StatsServiceTest,
                         ::testing::Values(storage::testing::Engine::kSqlite,
                                           storage::testing::Engine::kPostgres),
                         [](const auto& info) { return storage::testing::EngineName(info.param); });

}  // namespace
}  // namespace motcua::stats
