// The dossier service on its own, without HTTP: a real SQLite store, the
// demo province's units, catalogue and workflows, and a clock the test sets.
// What the service promises in its header: the answers, the errors naming
// their fields, the event each change appends, and the change listeners.
#include "services/dossiers/dossier_service.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <span>
#include <sstream>

#include "core/calendar/date.hpp"
#include "core/dossier/event_payloads.hpp"
#include "core/workflow/internal/test_files.hpp"
#include "services/audit/access_log.hpp"
#include "services/catalog/catalog_service.hpp"
#include "services/units/unit_service.hpp"
#include "storage/accounts_repo.hpp"
#include "storage/events_repo.hpp"

namespace motcua::dossiers {
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

bool Names(const Error& e, const std::string& field) {
  for (const auto& [k, v] : e.fields)
    if (k == field) return true;
  return false;
}

// Marital status certificate: commune level, 3 working days, commune-simple.
constexpr std::string_view kProcedure = "1.004873.000.00.00.H56";

class DossierServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "motcua_dossiers_XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    auto store = storage::Store::Open("sqlite:" + (dir_ / "d.db").string(),
                                      storage::StoreOptions{.synchronous_full = false});
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
    ASSERT_TRUE(store_->Migrate());
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
    service_ = std::make_unique<DossierService>(*store_, clock_, cal_, *catalog_, workflows_,
                                                *units_, *tree_, *access_log_,
                                                [](std::span<std::uint8_t> bytes) -> Status {
                                                  for (std::size_t i = 0; i < bytes.size(); ++i)
                                                    bytes[i] = static_cast<std::uint8_t>(i);
                                                  return {};
                                                });
    service_->AddChangeListener(
        [this](std::int64_t id, const std::string&) { changed_.push_back(id); });
    commune_ = Unit("000.51.00.H55");  // Phường Phan Đình Phùng
    officer_ = User("motcua.pdp", Role::kOfficer, commune_);
    specialist_ = User("chuyenvien.pdp", Role::kSpecialist, commune_);
    elsewhere_ = User("motcua.babe", Role::kOfficer, Unit("000.54.00.H55"));
  }

  void TearDown() override {
    service_.reset();
    if (store_) store_->Close();
    std::filesystem::remove_all(dir_);
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

  // The service answers on the store's completion thread: wait for it.
  template <typename T, typename Call>
  Result<T> Wait(Call call) {
    std::promise<Result<T>> answer;
    call([&](Result<T> r) { answer.set_value(std::move(r)); });
    return answer.get_future().get();
  }

  Result<Submitted> AtCounter(const Principal& who, std::int64_t unit) {
    SubmitRequest req{std::string(kProcedure),
                      unit,
                      std::nullopt,
                      {"Nguyễn Thị Ánh", "001203004567", "0912 345 678", "", ""},
                      {},
                      true};
    return Wait<Submitted>([&](auto done) { service_->Submit(who, req, done); });
  }

  Result<DossierView> Act(const Principal& who, std::int64_t id, ActRequest req) {
    return Wait<DossierView>([&](auto done) { service_->Act(who, id, req, done); });
  }

  std::vector<events::Event> History(std::int64_t id) {
    std::vector<events::Event> out;
    auto st = store_->Read([&](storage::Tx& tx) -> Status {
      out = MOTCUA_TRY(storage::events::ListEvents(tx, "dossier", id));
      return {};
    });
    EXPECT_TRUE(st) << st.error().message;
    return out;
  }

  // Wednesday 2 December 2026, 08:30.
  FakeClock clock_{At("2026-12-02T08:30+07:00")};
  calendar::WorkingCalendar cal_{calendar::HolidayCalendar(), calendar::OfficeHours()};
  std::filesystem::path dir_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<units::UnitService> units_;
  std::shared_ptr<const units::UnitTree> tree_;
  std::unique_ptr<catalog::CatalogService> catalog_;
  workflow::Registry workflows_;
  std::unique_ptr<audit::AccessLog> access_log_;
  std::unique_ptr<DossierService> service_;
  std::vector<std::int64_t> changed_;
  std::int64_t commune_ = 0;
  Principal officer_, specialist_, elsewhere_;
};

// Submissions are limited per account and per receiving unit and hour, so
// that no account can flood a unit, nor use up its day's numbers (issue 19:
// one counter account created 100,002 dossiers in 10 s).
TEST_F(DossierServiceTest, SubmissionsAreLimitedPerAccountAndPerUnitAndHour) {
  service_ = std::make_unique<DossierService>(
      *store_, clock_, cal_, *catalog_, workflows_, *units_, *tree_, *access_log_,
      [](std::span<std::uint8_t> bytes) -> Status {
        for (auto& b : bytes) b = 7;
        return {};
      },
      DossierOptions{.staff_submissions_per_10_minutes = 3, .submissions_per_unit_hour = 5});
  const Principal second = User("motcua.pdp2", Role::kOfficer, commune_);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(AtCounter(officer_, commune_)) << i;
  auto account = AtCounter(officer_, commune_);
  ASSERT_FALSE(account);
  EXPECT_EQ(account.error().code, Code::kResourceExhausted);
  EXPECT_TRUE(Names(account.error(), "submissions")) << account.error().message;
  ASSERT_TRUE(account.error().retry_after);
  EXPECT_GT(account.error().retry_after->count(), 0);
  EXPECT_LE(account.error().retry_after->count(), 601);
  // Another officer of the unit, up to the unit's hour.
  ASSERT_TRUE(AtCounter(second, commune_));
  ASSERT_TRUE(AtCounter(second, commune_));
  auto unit = AtCounter(second, commune_);
  ASSERT_FALSE(unit);
  EXPECT_EQ(unit.error().code, Code::kResourceExhausted);
  EXPECT_TRUE(Names(unit.error(), "unit_id")) << unit.error().message;
  ASSERT_TRUE(unit.error().retry_after);
  EXPECT_LE(unit.error().retry_after->count(), 3600);
  // Another unit is not held up; the refused tries took no place.
  ASSERT_TRUE(AtCounter(elsewhere_, Unit("000.54.00.H55")));
  // The next hour: both again.
  clock_.Advance(std::chrono::hours(1));
  EXPECT_TRUE(AtCounter(second, commune_));
  EXPECT_TRUE(AtCounter(officer_, commune_));
}

TEST_F(DossierServiceTest, ACounterDossierIsNumberedAcceptedAndRecordedAsTypedEvents) {
  auto first = AtCounter(officer_, commune_);
  ASSERT_TRUE(first) << first.error().message;
  auto second = AtCounter(officer_, commune_);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(first->view.row.number, "000.51.00.H55-261202-0001");
  EXPECT_EQ(second->view.row.number, "000.51.00.H55-261202-0002");
  EXPECT_EQ(first->view.row.channel, 1);  // at the counter
  EXPECT_FALSE(first->lookup_secret.empty());
  const std::int64_t id = first->view.row.id;
  auto accepted = Act(officer_, id, {.action = "accept"});
  ASSERT_TRUE(accepted) << accepted.error().message;
  EXPECT_EQ(calendar::FormatMoment(*accepted->row.due_at), "2026-12-07T08:30:00+07:00");
  EXPECT_EQ(accepted->row.state, "accepted");
  EXPECT_EQ(accepted->row.version, 2);
  // Every change reached the listeners, after its commit.
  EXPECT_EQ(changed_, (std::vector<std::int64_t>{id, second->view.row.id, id}));
  // The events are the typed payloads' JSON.
  auto history = History(id);
  ASSERT_EQ(history.size(), 2u);
  auto submit =
      dossier::ParsePayloadAs<dossier::SubmitPayload>(history[0].action, history[0].payload);
  ASSERT_TRUE(submit) << submit.error().message;
  EXPECT_EQ(submit->number, "000.51.00.H55-261202-0001");
  EXPECT_EQ(submit->unit_id, commune_);
  auto accept =
      dossier::ParsePayloadAs<dossier::ActionPayload>(history[1].action, history[1].payload);
  ASSERT_TRUE(accept) << accept.error().message;
  EXPECT_EQ(accept->due_at, accepted->row.due_at);
  EXPECT_EQ(accept->clock_start, clock_.Now());
}

TEST_F(DossierServiceTest, WhatACallerMayNotDoIsRefusedWithTheReasonAndNothingChanges) {
  auto d = AtCounter(officer_, commune_);
  ASSERT_TRUE(d) << d.error().message;
  const std::int64_t id = d->view.row.id;
  // An officer of another commune receives nothing here and sees nothing of it.
  auto foreign = AtCounter(elsewhere_, commune_);
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, Code::kPermissionDenied);
  auto unseen = Act(elsewhere_, id, {.action = "accept"});
  ASSERT_FALSE(unseen);
  EXPECT_EQ(unseen.error().code, Code::kNotFound);
  // A specialist may not accept; a stale version is told apart.
  auto role = Act(specialist_, id, {.action = "accept"});
  ASSERT_FALSE(role);
  EXPECT_EQ(role.error().code, Code::kPermissionDenied);
  auto stale = Act(officer_, id, {.action = "accept", .expected_version = 7});
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, Code::kAborted);
  // A refusal needs its reason; the planner's errors come back naming the field.
  auto bare = Act(officer_, id, {.action = "refuse"});
  ASSERT_FALSE(bare);
  EXPECT_EQ(bare.error().code, Code::kInvalidArgument);
  EXPECT_TRUE(Names(bare.error(), "reason"));
  EXPECT_EQ(History(id).size(), 1u) << "a refused action appends nothing";
  // Bad applicant data is named field by field.
  SubmitRequest bad{std::string(kProcedure),   commune_, std::nullopt,
                    {"", "12", "abc", "", ""}, {},       false};
  auto refused = Wait<Submitted>([&](auto done) { service_->Submit(officer_, bad, done); });
  ASSERT_FALSE(refused);
  EXPECT_TRUE(Names(refused.error(), "applicant.full_name")) << refused.error().message;
  EXPECT_TRUE(Names(refused.error(), "applicant.id_number")) << refused.error().message;
}

TEST_F(DossierServiceTest, TheInboxAndThePublicLookupFollowTheDossier) {
  auto d = AtCounter(officer_, commune_);
  ASSERT_TRUE(d) << d.error().message;
  const std::int64_t id = d->view.row.id;
  auto inbox = service_->Inbox(officer_, {});
  ASSERT_TRUE(inbox) << inbox.error().message;
  ASSERT_EQ(inbox->items.size(), 1u);
  EXPECT_EQ(inbox->items[0].row.id, id);
  EXPECT_TRUE(service_->Inbox(specialist_, {})->items.empty()) << "nothing to do for them yet";
  ASSERT_TRUE(Act(officer_, id, {.action = "accept"}));
  EXPECT_EQ(service_->Inbox(specialist_, {})->items.size(), 1u);
  EXPECT_TRUE(service_->Inbox(officer_, {})->items.empty());
  auto found = service_->Lookup(d->view.row.number, d->lookup_secret);
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(found->national_status, 2);
  // A well-formed code that is not this dossier's is told apart from nothing.
  std::string other = d->lookup_secret;
  other[0] = other[0] == other[1] ? other[2] : other[1];
  auto wrong = service_->Lookup(d->view.row.number, other);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, Code::kNotFound);
}

}  // namespace
}  // namespace motcua::dossiers
