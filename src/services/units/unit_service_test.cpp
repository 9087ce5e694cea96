#include "services/units/unit_service.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/units/testing.hpp"

namespace motcua::units {
namespace {

using testing::D;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::MakeUnit;

std::string ReadGolden(const std::string& name) {
  const char* root = std::getenv("MOTCUA_SOURCE_DIR");
  std::ifstream in(std::string(root ? root : ".") + "/tests/golden/units/" + name,
                   std::ios::binary);
  EXPECT_TRUE(in) << "missing golden file " << name;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> Names(const std::vector<Unit>& units) {
  std::vector<std::string> out;
  for (const Unit& u : units) out.push_back(u.name);
  return out;
}

// 2026-03-01 10:00 in Hà Nội.
TimePoint Morning() { return std::chrono::sys_days{D("2026-03-01")} + std::chrono::hours(3); }

class UnitServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "motcua_units_XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    auto store = storage::Store::Open("sqlite:" + (dir_ / "units.db").string(),
                                      storage::StoreOptions{.synchronous_full = false});
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
    ASSERT_TRUE(store_->Migrate());
    service_ = std::make_unique<UnitService>(*store_, clock_);
    ASSERT_TRUE(service_->Reload());
  }
  void TearDown() override {
    service_.reset();
    if (store_) store_->Close();
    std::filesystem::remove_all(dir_);
  }

  // Thái Nguyên with the Bắc Kạn province and a district, both retired on
  // 2025-07-01, created through the service.
  void CreateMergedProvince() {
    bac_kan_ = Must(service_->Create(MakeUnit(0, Kind::kProvince, "Tỉnh Bắc Kạn", "06",
                                              "000.00.00.H06", std::nullopt, "1997-01-01")));
    thai_nguyen_ = Must(service_->Create(MakeUnit(0, Kind::kProvince, "Tỉnh Thái Nguyên", "19",
                                                  "000.00.00.H56", std::nullopt, "1997-01-01")));
    cho_moi_ =
        Must(service_->Create(MakeUnit(0, Kind::kDistrict, "Huyện Chợ Mới", "064", "000.00.21.H06",
                                       bac_kan_, "1997-01-01", "2025-07-01")));
    thanh_van_ =
        Must(service_->Create(MakeUnit(0, Kind::kCommune, "Xã Thanh Vận", "01990", "000.21.21.H06",
                                       cho_moi_, "1997-01-01", "2025-07-01")));
    thanh_mai_ = Must(service_->Create(MakeUnit(0, Kind::kCommune, "Xã Thanh Mai", "01996",
                                                "000.31.21.H56", thai_nguyen_, "2025-07-01")));
  }

  std::int64_t Must(Result<Unit> r) {
    EXPECT_TRUE(r) << r.error().message;
    return r ? r->id : 0;
  }

  std::filesystem::path dir_;
  FakeClock clock_{Morning()};
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<UnitService> service_;
  std::int64_t bac_kan_ = 0, thai_nguyen_ = 0, cho_moi_ = 0, thanh_van_ = 0, thanh_mai_ = 0;
};

TEST_F(UnitServiceTest, TodayIsTheDateInVietnam) {
  clock_.Set(std::chrono::sys_days{D("2026-03-01")} + std::chrono::hours(17));  // 00:00 at UTC+7
  EXPECT_EQ(service_->Today(), D("2026-03-02"));
  clock_.Set(std::chrono::sys_days{D("2026-03-01")} + std::chrono::hours(16));
  EXPECT_EQ(service_->Today(), D("2026-03-01"));
}

TEST_F(UnitServiceTest, CreatedUnitsAreListedAndSurviveARestart) {
  CreateMergedProvince();
  ASSERT_TRUE(service_->Retire(bac_kan_, D("2025-07-01"), {thai_nguyen_}));
  auto today = service_->List({});
  ASSERT_TRUE(today);
  EXPECT_THAT(Names(*today), ElementsAre("Tỉnh Thái Nguyên", "Xã Thanh Mai"));

  auto before = service_->List({.as_of = D("2025-06-30")});
  EXPECT_THAT(Names(*before),
              ElementsAre("Tỉnh Bắc Kạn", "Tỉnh Thái Nguyên", "Huyện Chợ Mới", "Xã Thanh Vận"));
  auto communes = service_->List({.kind = Kind::kCommune, .include_retired = true});
  EXPECT_THAT(Names(*communes), ElementsAre("Xã Thanh Vận", "Xã Thanh Mai"));
  auto below = service_->List({.parent_id = cho_moi_, .include_retired = true});
  EXPECT_THAT(Names(*below), ElementsAre("Xã Thanh Vận"));
  EXPECT_EQ(service_->List({.parent_id = 999}).error().code, Code::kNotFound);

  UnitService reopened(*store_, clock_);
  ASSERT_TRUE(reopened.Reload());
  EXPECT_EQ(reopened.Tree()->size(), 5u);
  EXPECT_TRUE(reopened.Tree()->IsSameOrBelow(thanh_van_, bac_kan_));
}

TEST_F(UnitServiceTest, CreateRefusesBadUnitsNamingTheField) {
  CreateMergedProvince();
  auto reused = service_->Create(
      MakeUnit(0, Kind::kCommune, "Xã Mới", "01990", "000.40.21.H56", thai_nguyen_, "2025-07-01"));
  ASSERT_FALSE(reused);
  EXPECT_EQ(reused.error().code, Code::kAlreadyExists);
  EXPECT_THAT(reused.error().fields.at("stats_code"), HasSubstr("Xã Thanh Vận"));

  auto below_retired = service_->Create(
      MakeUnit(0, Kind::kCommune, "Xã Muộn", "01999", "000.41.21.H56", cho_moi_, "2025-07-01"));
  ASSERT_FALSE(below_retired);
  EXPECT_TRUE(below_retired.error().fields.contains("valid_to"));
  EXPECT_EQ(service_->Tree()->size(), 5u);
}

TEST_F(UnitServiceTest, GetShowsLinksAndChildrenExistingToday) {
  CreateMergedProvince();
  ASSERT_TRUE(service_->Retire(bac_kan_, D("2025-07-01"), {thai_nguyen_}));
  auto tn = service_->Get(thai_nguyen_);
  ASSERT_TRUE(tn);
  EXPECT_THAT(tn->unit.predecessors, ElementsAre(bac_kan_));
  EXPECT_EQ(tn->children_count, 1u);
  auto bk = service_->Get(bac_kan_);
  EXPECT_THAT(bk->unit.successors, ElementsAre(thai_nguyen_));
  EXPECT_EQ(bk->unit.valid_to, D("2025-07-01"));
  EXPECT_EQ(bk->children_count, 0u);
  EXPECT_EQ(service_->Get(12345).error().code, Code::kNotFound);
}

TEST_F(UnitServiceTest, RetireRefusesWhileUnitsBelowStillExist) {
  CreateMergedProvince();
  auto district =
      Must(service_->Create(MakeUnit(0, Kind::kDistrict, "Huyện Đồng Hỷ", "168", "000.00.22.H56",
                                     thai_nguyen_, "1997-01-01", "2025-07-01")));
  auto r = service_->Retire(thai_nguyen_, D("2026-01-01"), {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Code::kFailedPrecondition);
  EXPECT_THAT(r.error().message, HasSubstr("Xã Thanh Mai"));

  // Retiring the old province works once everything below it has ended.
  auto bk = service_->Retire(bac_kan_, D("2025-07-01"), {thai_nguyen_});
  ASSERT_TRUE(bk) << bk.error().message;
  EXPECT_THAT(service_->Tree()->CurrentSuccessors(thanh_van_, service_->Today()), IsEmpty());
  EXPECT_THAT(service_->Tree()->CurrentSuccessors(bac_kan_, service_->Today()),
              ElementsAre(thai_nguyen_));

  auto again = service_->Retire(bac_kan_, D("2025-08-01"), {});
  EXPECT_EQ(again.error().code, Code::kFailedPrecondition);
  auto bad_successor = service_->Retire(district, D("2025-07-01"), {thanh_van_});
  ASSERT_FALSE(bad_successor);
  EXPECT_TRUE(bad_successor.error().fields.contains("successor_ids"));
}

TEST_F(UnitServiceTest, UpdateChangesNamesAndCodesAndChecksTheTree) {
  CreateMergedProvince();
  UnitPatch patch;
  patch.name = "Xã Thanh Mai mới";
  patch.name_en = std::optional<std::string>("Thanh Mai Commune");
  patch.agency_code = "000.32.21.H56";
  auto r = service_->Update(thanh_mai_, patch);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(service_->Get(thanh_mai_)->unit.name_en, "Thanh Mai Commune");

  UnitPatch move;
  move.parent_id = std::optional<std::int64_t>(cho_moi_);  // a retired district
  auto moved = service_->Update(thanh_mai_, move);
  ASSERT_FALSE(moved);
  EXPECT_TRUE(moved.error().fields.contains("valid_to"));
  EXPECT_EQ(service_->Get(thanh_mai_)->unit.parent_id, thai_nguyen_);

  UnitPatch bad;
  bad.kind = Kind::kDepartment;
  EXPECT_TRUE(service_->Update(thanh_mai_, bad).error().fields.contains("stats_code"));
  EXPECT_EQ(service_->Update(4242, patch).error().code, Code::kNotFound);
}

TEST_F(UnitServiceTest, ImportIsAllOrNothing) {
  auto counts = service_->ImportCsv(ReadGolden("valid_import.csv"));
  ASSERT_TRUE(counts) << counts.error().message;
  EXPECT_EQ(counts->units_created, 8u);
  EXPECT_EQ(counts->links_created, 3u);
  auto tree = service_->Tree();
  EXPECT_EQ(tree->size(), 8u);
  const Unit* old_commune = nullptr;
  const Unit* new_commune = nullptr;
  for (const Unit& u : tree->units()) {
    if (u.agency_code == "000.21.21.H06") old_commune = &u;
    if (u.agency_code == "000.31.21.H56") new_commune = &u;
  }
  ASSERT_TRUE(old_commune && new_commune);
  EXPECT_THAT(tree->CurrentSuccessors(old_commune->id, service_->Today()),
              ElementsAre(new_commune->id));

  // Importing the same file again collides on every code and writes nothing.
  auto again = service_->ImportCsv(ReadGolden("valid_import.csv"));
  ASSERT_FALSE(again);
  EXPECT_TRUE(again.error().fields.contains("line 2, column agency_code"));
  auto broken = service_->ImportCsv(ReadGolden("broken_rows.csv"));
  ASSERT_FALSE(broken);
  EXPECT_EQ(service_->Tree()->size(), 8u);
  UnitService reopened(*store_, clock_);
  ASSERT_TRUE(reopened.Reload());
  EXPECT_EQ(reopened.Tree()->size(), 8u);
}

TEST_F(UnitServiceTest, ImportGuardSeesStoredParentsAndCanRefuse) {
  CreateMergedProvince();
  std::string csv =
      "agency_code,stats_code,name,name_en,kind,parent_agency_code,valid_from,valid_to,"
      "successor_agency_codes\n"
      "000.00.12.H56,,Sở Y tế,,department,000.00.00.H56,2025-07-01,,\n"
      "000.40.21.H56,02001,Xã Mới,,commune,000.00.00.H56,2025-07-01,,\n"
      "000.41.21.H56,,Bộ phận một cửa xã Mới,,center,000.40.21.H56,2025-07-01,,\n";
  std::vector<std::optional<std::int64_t>> asked;
  auto refused = service_->ImportCsv(csv, [&](std::optional<std::int64_t> parent) -> Status {
    asked.push_back(parent);
    return Fail(Code::kPermissionDenied, "not yours");
  });
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Code::kPermissionDenied);
  EXPECT_EQ(service_->Tree()->size(), 5u);

  asked.clear();
  auto ok = service_->ImportCsv(csv, [&](std::optional<std::int64_t> parent) -> Status {
    asked.push_back(parent);
    return {};
  });
  ASSERT_TRUE(ok) << ok.error().message;
  // The centre's parent is new in the file: covered by asking about its own parent.
  EXPECT_THAT(asked, ElementsAre(thai_nguyen_, thai_nguyen_));
}

TEST_F(UnitServiceTest, ReadersKeepTheirSnapshotWhileWritesPublishNewOnes) {
  CreateMergedProvince();
  auto snapshot = service_->Tree();
  std::vector<std::thread> writers;
  for (int i = 0; i < 4; ++i) {
    writers.emplace_back([this, i] {
      std::string code = "000.5" + std::to_string(i) + ".21.H56";
      auto r =
          service_->Create(MakeUnit(0, Kind::kCommune, "Xã " + std::to_string(i),
                                    "0300" + std::to_string(i), code, thai_nguyen_, "2025-07-01"));
      EXPECT_TRUE(r) << r.error().message;
    });
  }
  for (auto& t : writers) t.join();
  EXPECT_EQ(snapshot->size(), 5u);
  EXPECT_EQ(service_->Tree()->size(), 9u);
  EXPECT_EQ(service_->Get(thai_nguyen_)->children_count, 5u);
}

}  // namespace
}  // namespace motcua::units
