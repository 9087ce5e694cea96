#include "services/catalog/catalog_service.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "core/catalog/testing.hpp"
#include "storage/testing.hpp"

namespace motcua::catalog {
namespace {

using ::testing::Contains;
using testing::D;
using ::testing::ElementsAre;
using ::testing::Key;
using testing::MakeProcedure;

constexpr const char* kBirth = "1.001193.000.00.00.H56";
constexpr const char* kPermit = "1.009994.000.00.00.H56";

// 10:00 in Hà Nội on `day`.
TimePoint MorningOf(const char* day) {
  return std::chrono::sys_days{D(day)} + std::chrono::hours(3);
}

class CatalogServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(store_.Open("catalog", storage::StoreOptions{.synchronous_full = false}));
    service_ = std::make_unique<CatalogService>(*store_, clock_);
    ASSERT_TRUE(service_->Reload());
  }
  void TearDown() override { service_.reset(); }

  std::vector<std::string> SearchNames(std::string text) {
    auto page = service_->Search({.text = std::move(text)});
    EXPECT_TRUE(page) << page.error().message;
    std::vector<std::string> out;
    if (page) {
      for (const Procedure& p : page->items) out.push_back(p.name);
    }
    return out;
  }

  FakeClock clock_{MorningOf("2026-03-01")};
  storage::testing::TempStore store_;
  std::unique_ptr<CatalogService> service_;
};

TEST_F(CatalogServiceTest, CreatedProceduresAreSearchableAndSurviveARestart) {
  Procedure birth = MakeProcedure(kBirth, "Đăng ký khai sinh");
  birth.name_en = "Birth registration";
  birth.fees = {{"Phí trang 1", 2000}, {"Phí trang 2", 1000}};
  birth.components.push_back({"TP2", "Giấy chứng sinh", 1, 2, false, ""});
  auto created = service_->Create(birth);
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_GT(created->id, 0);
  EXPECT_EQ(created->version, 1);
  EXPECT_THAT(SearchNames("khai sinh"), ElementsAre("Đăng ký khai sinh"));

  CatalogService reopened(*store_, clock_);
  ASSERT_TRUE(reopened.Reload());
  auto stored = reopened.Get(kBirth);
  ASSERT_TRUE(stored) << stored.error().message;
  birth.id = created->id;
  EXPECT_EQ(*stored, birth) << "every column, components and fees included, round-trips";

  auto again = service_->Create(birth);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Code::kAlreadyExists);
}

TEST_F(CatalogServiceTest, VersionsTakeEffectOnTheirDateAndOldOnesStay) {
  Procedure v1 =
      MakeProcedure(kPermit, "Cấp giấy phép xây dựng nhà ở riêng lẻ", "Hoạt động xây dựng");
  v1.fees = {{"Lệ phí", 50000}};
  v1.effective_from = D("2025-07-01");
  ASSERT_TRUE(service_->Create(v1));
  Procedure v2 = v1;
  v2.fees = {{"Lệ phí", 75000}};
  auto published = service_->PublishVersion(kPermit, v2, D("2026-04-01"));
  ASSERT_TRUE(published) << published.error().message;
  EXPECT_EQ(published->version, 2);

  EXPECT_EQ(service_->Get(kPermit)->version, 1) << "2026-03-01: version 2 not yet in force";
  EXPECT_EQ(service_->Get(kPermit, D("2026-04-01"))->fees[0].amount_vnd, 75000);
  EXPECT_EQ(service_->Get(kPermit, D("2025-06-30")).error().code, Code::kNotFound);
  EXPECT_EQ(service_->GetVersion(kPermit, 1)->fees[0].amount_vnd, 50000);

  auto versions = service_->Versions(kPermit, false);
  ASSERT_TRUE(versions);
  EXPECT_EQ(versions->size(), 2u);

  // The day changes: the search index follows without a write.
  EXPECT_EQ(service_->Search({.text = "giay phep"})->items.at(0).version, 1);
  clock_.Set(MorningOf("2026-04-01"));
  EXPECT_EQ(service_->Search({.text = "giay phep"})->items.at(0).version, 2);
  EXPECT_EQ(service_->Get(kPermit)->version, 2);

  auto earlier = service_->PublishVersion(kPermit, v2, D("2026-04-01"));
  ASSERT_FALSE(earlier);
  EXPECT_THAT(earlier.error().fields, Contains(Key("effective_from")));
}

TEST_F(CatalogServiceTest, DraftsAreHiddenUntilPublished) {
  Procedure draft = MakeProcedure(kBirth, "Đăng ký khai sinh");
  draft.status = Lifecycle::kDraft;
  ASSERT_TRUE(service_->Create(draft));
  EXPECT_EQ(service_->Get(kBirth).error().code, Code::kNotFound);
  EXPECT_EQ(service_->Versions(kBirth, false).error().code, Code::kNotFound);
  EXPECT_EQ(service_->Versions(kBirth, true)->size(), 1u);
  EXPECT_TRUE(SearchNames("khai sinh").empty());

  auto published = service_->PublishVersion(kBirth, draft, D("2026-01-01"));
  ASSERT_TRUE(published) << published.error().message;
  EXPECT_EQ(published->version, 1) << "the draft became version 1";
  EXPECT_EQ(service_->Get(kBirth)->status, Lifecycle::kPublished);
  EXPECT_THAT(SearchNames("khai sinh"), ElementsAre("Đăng ký khai sinh"));
}

TEST_F(CatalogServiceTest, RetiredProceduresLeaveSearchOnTheirDate) {
  ASSERT_TRUE(service_->Create(MakeProcedure(kBirth, "Đăng ký khai sinh")));
  auto retired = service_->Retire(kBirth, D("2026-03-02"));
  ASSERT_TRUE(retired) << retired.error().message;
  EXPECT_EQ(retired->status, Lifecycle::kRetired);
  EXPECT_THAT(SearchNames("khai sinh"), ElementsAre("Đăng ký khai sinh")) << "still in force today";
  clock_.Set(MorningOf("2026-03-02"));
  EXPECT_TRUE(SearchNames("khai sinh").empty());
  EXPECT_EQ(service_->Get(kBirth)->retired_on, D("2026-03-02"))
      << "still readable for old dossiers";
  EXPECT_EQ(service_->Retire(kBirth, D("2026-05-01")).error().code, Code::kFailedPrecondition);
  EXPECT_EQ(service_->Retire("1.000000", D("2026-05-01")).error().code, Code::kNotFound);
}

TEST_F(CatalogServiceTest, ImportIsAllOrNothing) {
  const std::string header =
      "code,name,name_en,field,levels,online_mode,time_limit_value,time_limit_unit,cutoff_1500,"
      "fees,"
      "components,result_kind,workflow_code,effective_from,status\n";
  const std::string good =
      "1.000001,Đăng ký khai tử,,Hộ tịch,commune,full,0,working_days,true,,"
      "TP1|Tờ khai|1|0|required|,certificate,immediate,2025-07-01,\n";
  const std::string bad =
      "1.000002,Đăng ký giám hộ,,Hộ tịch,commune,full,3,working_days,,,"
      "TP1||1|0|required|,certificate,commune-simple,2025-07-01,\n";
  auto failed = service_->ImportCsv(header + good + bad);
  ASSERT_FALSE(failed);
  EXPECT_THAT(failed.error().fields, Contains(Key("line 3, components[0].name")));
  EXPECT_EQ(service_->Snapshot()->codes(), 0u);
  CatalogService reopened(*store_, clock_);
  ASSERT_TRUE(reopened.Reload());
  EXPECT_EQ(reopened.Snapshot()->codes(), 0u) << "nothing was written";

  auto counts = service_->ImportCsv(header + good);
  ASSERT_TRUE(counts) << counts.error().message;
  EXPECT_EQ(counts->procedures_created, 1u);
  EXPECT_THAT(SearchNames("khai tu"), ElementsAre("Đăng ký khai tử"));
}

TEST_F(CatalogServiceTest, ProceduresMustNameALoadedWorkflowOnceTheServerSaysWhichAre) {
  service_->RequireKnownWorkflows([](std::string_view code) { return code == "commune-simple"; },
                                  "commune-simple");
  Procedure birth = MakeProcedure(kBirth, "Đăng ký khai sinh");
  birth.workflow_code = "no-such-flow";
  auto refused = service_->Create(birth);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Code::kInvalidArgument);
  EXPECT_THAT(refused.error().fields, Contains(Key("workflow_code")));
  EXPECT_THAT(refused.error().fields.at("workflow_code"),
              ::testing::HasSubstr("known: commune-simple"));

  birth.workflow_code = "commune-simple";
  ASSERT_TRUE(service_->Create(birth));
  Procedure next = birth;
  next.workflow_code = "no-such-flow";
  auto republished = service_->PublishVersion(kBirth, next, D("2026-04-01"));
  ASSERT_FALSE(republished);
  EXPECT_THAT(republished.error().fields, Contains(Key("workflow_code")));
  EXPECT_EQ(service_->Snapshot()->Versions(kBirth).size(), 1u) << "no version was added";

  const std::string header =
      "code,name,name_en,field,levels,online_mode,time_limit_value,time_limit_unit,cutoff_1500,"
      "fees,"
      "components,result_kind,workflow_code,effective_from,status\n";
  const std::string row =
      "1.000001,Đăng ký khai tử,,Hộ tịch,commune,full,3,working_days,true,,"
      "TP1|Tờ khai|1|0|required|,certificate,lost-flow,2025-07-01,\n";
  auto imported = service_->ImportCsv(header + row);
  ASSERT_FALSE(imported);
  EXPECT_THAT(imported.error().fields, Contains(Key("line 2, workflow_code")));
  EXPECT_EQ(service_->Snapshot()->codes(), 1u) << "nothing was imported";
}

TEST_F(CatalogServiceTest, TheDemoFileLoadsOnceAndListsItsFields) {
  const std::string path =
      std::string(std::getenv("MOTCUA_SOURCE_DIR") ? std::getenv("MOTCUA_SOURCE_DIR") : ".") +
      "/data/demo/procedures.json";
  ASSERT_TRUE(LoadCatalogFile(*service_, path));
  const std::size_t codes = service_->Snapshot()->codes();
  EXPECT_GE(codes, 40u);
  ASSERT_TRUE(LoadCatalogFile(*service_, path)) << "a second load leaves stored codes alone";
  EXPECT_EQ(service_->Snapshot()->codes(), codes);
  EXPECT_EQ(LoadCatalogFile(*service_, path + ".missing").error().code, Code::kNotFound);

  auto fields = service_->Fields();
  std::size_t total = 0;
  std::map<std::string, std::size_t> by_name;
  for (const FieldCount& f : fields) {
    total += f.procedures;
    by_name[f.field] = f.procedures;
  }
  EXPECT_EQ(total, codes);
  EXPECT_GE(by_name["Hộ tịch"], 10u);
  EXPECT_EQ(by_name["Lý lịch tư pháp"], 2u);

  auto page = service_->Search({.text = "", .level = Level::kProvince, .limit = 5});
  ASSERT_TRUE(page);
  EXPECT_EQ(page->items.size(), 5u);
  EXPECT_GT(page->total, 5u);
  EXPECT_EQ(service_->Search({.limit = 0}).error().fields.count("limit"), 1u);
  // The permit in force today is the commune's version 2.
  EXPECT_EQ(service_->Get(kPermit)->levels, std::vector<Level>{Level::kCommune});
  EXPECT_EQ(service_->Get(kPermit, D("2024-01-01"))->levels, std::vector<Level>{Level::kDistrict});
}

}  // namespace
}  // namespace motcua::catalog
