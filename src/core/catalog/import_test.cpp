#include "core/catalog/import.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "core/catalog/testing.hpp"

namespace motcua::catalog {
namespace {

using ::testing::Contains;
using testing::D;
using ::testing::Key;
using testing::MakeProcedure;
using ::testing::SizeIs;

constexpr std::string_view kHeader =
    "code,name,name_en,field,levels,online_mode,time_limit_value,time_limit_unit,cutoff_1500,fees,"
    "components,result_kind,workflow_code,effective_from,status\n";

TEST(JsonImportTest, ReadsAListOrAnObjectWithNotes) {
  const std::string one = R"({"code":"1.001193","name":"Đăng ký khai sinh","field":"Hộ tịch",
      "levels":["commune"],"online_mode":"full","time_limit":{"value":0,"unit":"working_days"},
      "cutoff_1500":true,"components":[{"code":"TP1","name":"Tờ khai","originals":1,"copies":0}],
      "result_kind":"certificate","workflow_code":"immediate","effective_from":"2025-07-01"})";
  auto list = ParseJsonImport("[" + one + "]");
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_THAT(*list, SizeIs(1));
  const Procedure& p = (*list)[0].procedure;
  EXPECT_EQ(p.name, "Đăng ký khai sinh");
  EXPECT_TRUE(p.cutoff_1500);
  EXPECT_TRUE(p.fees.empty());
  EXPECT_TRUE(p.components[0].required) << "required by default";
  EXPECT_EQ(p.status, Lifecycle::kPublished);
  auto object = ParseJsonImport(R"({"notes":["anything"],"procedures":[)" + one + "]}");
  ASSERT_TRUE(object) << object.error().message;
  EXPECT_THAT(*object, SizeIs(1));
}

TEST(JsonImportTest, ErrorsNameTheIndexAndTheField) {
  auto bad = ParseJsonImport(R"([{"code":"1.001193","name":"A","field":"F","levels":["ward"],
      "online_mode":"online","time_limit":{"value":"3","unit":"days"},"components":[{"code":"TP1",
      "name":7,"originals":1,"copies":0,"colour":"red"}],"result_kind":"certificate",
      "workflow_code":"x","effective_from":"2025-13-01"}, 5])");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Code::kInvalidArgument);
  const auto& f = bad.error().fields;
  for (const char* name :
       {"procedures[0].levels[0]", "procedures[0].online_mode", "procedures[0].time_limit.value",
        "procedures[0].time_limit.unit", "procedures[0].components[0].name",
        "procedures[0].components[0].colour", "procedures[0].effective_from", "procedures[1]"}) {
    EXPECT_THAT(f, Contains(Key(name))) << name;
  }
  EXPECT_FALSE(ParseJsonImport("{").has_value());
  EXPECT_THAT(ParseJsonImport(R"({"procedure":[]})").error().fields, Contains(Key("procedure")));
}

TEST(CsvImportTest, ReadsTheCompactColumns) {
  std::string csv =
      std::string(kHeader) +
      "1.001193,Đăng ký khai sinh,Birth registration,Hộ tịch,commune,full,0,working_days,true,"
      ",TP1|Tờ khai đăng ký khai sinh|1|0|required|to_khai.docx;TP2|Giấy chứng sinh|1|0|required|,"
      "certificate,immediate,2025-07-01,\n"
      "2.000815,\"Chứng thực bản sao từ bản chính\",,Chứng thực,commune;province,partial,0,"
      "working_days,,Trang 1-2|2000;Từ trang 3|1000,TP1|Bản chính|1|0|required|,"
      "certified_copy,immediate,2025-07-01,draft\n";
  auto entries = ParseCsvImport(csv);
  ASSERT_TRUE(entries) << entries.error().message;
  ASSERT_THAT(*entries, SizeIs(2));
  const Procedure& birth = (*entries)[0].procedure;
  EXPECT_EQ(birth.name_en, "Birth registration");
  ASSERT_THAT(birth.components, SizeIs(2));
  EXPECT_EQ(birth.components[0].template_file, "to_khai.docx");
  EXPECT_EQ(birth.components[1].name, "Giấy chứng sinh");
  EXPECT_TRUE(birth.cutoff_1500);
  const Procedure& copy = (*entries)[1].procedure;
  EXPECT_EQ(copy.levels, (std::vector<Level>{Level::kCommune, Level::kProvince}));
  EXPECT_EQ(copy.fees, (std::vector<Fee>{{"Trang 1-2", 2000}, {"Từ trang 3", 1000}}));
  EXPECT_EQ(copy.status, Lifecycle::kDraft);
  EXPECT_FALSE(copy.name_en.has_value());
}

TEST(CsvImportTest, ErrorsNameTheLineAndTheField) {
  std::string csv =
      std::string(kHeader) +
      "1.001193,A,,F,commune,full,x,working_days,maybe,free,TP1|Tờ khai|1,certificate,"
      "immediate,2025-07-01,\n"
      "1.001194,B,,F,commune,full,1,working_days,,,TP1|Tờ khai|1|0|must|,certificate,"
      "immediate,2025-07-01,\n"
      "too,few\n";
  auto bad = ParseCsvImport(csv);
  ASSERT_FALSE(bad);
  const auto& f = bad.error().fields;
  for (const char* name : {"line 2, time_limit.value", "line 2, cutoff_1500", "line 2, fees[0]",
                           "line 2, components[0]", "line 3, components[0].required", "line 4"}) {
    EXPECT_THAT(f, Contains(Key(name))) << name;
  }
  EXPECT_THAT(ParseCsvImport("code,name\n").error().fields, Contains(Key("line 1")));
}

ImportEntry Entry(Procedure p, int line) {
  return {"line " + std::to_string(line), ", ", std::move(p)};
}

TEST(PlanImportTest, NewCodesAreCreatedKnownCodesGetANewVersion) {
  Catalog stored;
  Procedure old = MakeProcedure("1.000001", "Đăng ký kết hôn");
  old.id = 1;
  stored.Put(old);
  Procedure v2 = MakeProcedure("1.000001", "Đăng ký kết hôn");
  v2.effective_from = D("2026-01-01");
  auto plan =
      PlanImport(stored, {Entry(MakeProcedure("1.000002", "Đăng ký khai tử"), 2), Entry(v2, 3)});
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ(plan->procedures_created, 1u);
  EXPECT_EQ(plan->versions_published, 1u);
  ASSERT_THAT(plan->rows, SizeIs(2));
  EXPECT_EQ(plan->rows[1].version, 2);

  auto skipping = PlanImport(stored, {Entry(v2, 2)}, /*skip_existing=*/true);
  ASSERT_TRUE(skipping);
  EXPECT_EQ(skipping->skipped, 1u);
  EXPECT_TRUE(skipping->rows.empty());
}

TEST(PlanImportTest, OneBadEntryFailsTheWholeImportListingEveryProblem) {
  Procedure bad_name = MakeProcedure("1.000003", "");
  Procedure same_day = MakeProcedure("1.000002", "Đăng ký khai tử");  // version 2, not later
  auto plan = PlanImport(Catalog{}, {Entry(MakeProcedure("1.000002", "Đăng ký khai tử"), 2),
                                     Entry(bad_name, 3), Entry(same_day, 4)});
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().code, Code::kInvalidArgument);
  EXPECT_THAT(plan.error().fields, Contains(Key("line 3, name")));
  EXPECT_THAT(plan.error().fields, Contains(Key("line 4, effective_from")));
  EXPECT_THAT(plan.error().message, ::testing::HasSubstr("nothing was imported"));
}

TEST(DemoCatalogTest, EveryDemoProcedureIsValidAndImports) {
  auto entries = ParseJsonImport(testing::ReadSourceFile("data/demo/procedures.json"));
  ASSERT_TRUE(entries) << entries.error().message;
  auto plan = PlanImport(Catalog{}, *entries);
  ASSERT_TRUE(plan) << plan.error().message << " " << plan.error().fields.begin()->first << ": "
                    << plan.error().fields.begin()->second;
  EXPECT_GE(plan->procedures_created, 40u);
  EXPECT_EQ(plan->versions_published, 1u) << "the house permit before and after the reform";
  std::set<std::string> workflows;
  for (const Procedure& p : plan->rows) workflows.insert(p.workflow_code);
  EXPECT_EQ(workflows,
            (std::set<std::string>{"commune-simple", "department", "immediate", "inter-level"}));
}

}  // namespace
}  // namespace motcua::catalog
