#include "core/catalog/procedure.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/catalog/testing.hpp"

namespace motcua::catalog {
namespace {

using ::testing::Contains;
using testing::D;
using ::testing::Key;
using testing::MakeProcedure;

std::map<std::string, std::string> Problems(const Procedure& p) {
  auto ok = Validate(p);
  if (ok) return {};
  EXPECT_EQ(ok.error().code, Code::kInvalidArgument);
  return ok.error().fields;
}

TEST(ProcedureCodeTest, AcceptsNationalShapesLoosely) {
  EXPECT_TRUE(IsProcedureCode("1.001193.000.00.00.H12"));
  EXPECT_TRUE(IsProcedureCode("1.001193"));
  EXPECT_TRUE(IsProcedureCode("2.000986.000.00.00.h56"));
  EXPECT_FALSE(IsProcedureCode("1001193"));    // one segment
  EXPECT_FALSE(IsProcedureCode("1..001193"));  // empty segment
  EXPECT_FALSE(IsProcedureCode("1.001193."));
  EXPECT_FALSE(IsProcedureCode("1.H12.001193"));  // suffix only at the end
  EXPECT_FALSE(IsProcedureCode("1.001193.H"));    // suffix needs digits
  EXPECT_FALSE(IsProcedureCode("1.001193 "));
  EXPECT_FALSE(IsProcedureCode(std::string(41, '1')));
}

TEST(ValidateTest, AValidProcedurePasses) {
  EXPECT_TRUE(Validate(MakeProcedure("1.001193.000.00.00.H56", "Đăng ký khai sinh")));
}

TEST(ValidateTest, NamesEveryBadFieldAsInTheJsonForm) {
  Procedure p = MakeProcedure("khai-sinh", "  ");
  p.field = "";
  p.levels = {Level::kCommune, Level::kCommune};
  p.fees = {{"", -5}};
  p.components = {{"TP1", "Tờ khai", 1, 0, true, ""},
                  {"TP1", "Giấy chứng sinh", 0, 0, true, "../etc/passwd"},
                  {"TP 3", "", 1, 60, false, ""}};
  p.workflow_code = "Commune Simple";
  auto fields = Problems(p);
  for (const char* name :
       {"code", "name", "field", "levels[1]", "fees[0].description", "fees[0].amount",
        "components[1].code", "components[1].copies", "components[1].template",
        "components[2].code", "components[2].name", "components[2].copies", "workflow_code"}) {
    EXPECT_THAT(fields, Contains(Key(name))) << name;
  }
  EXPECT_FALSE(fields.contains("components[0].code"));
}

TEST(ValidateTest, SameDayIsZeroWorkingDaysAndHoursStartAtOne) {
  Procedure p = MakeProcedure("1.001193", "Đăng ký khai sinh");
  p.time_limit = {0, TimeUnit::kWorkingDays};
  EXPECT_TRUE(Validate(p));
  p.time_limit = {0, TimeUnit::kWorkingHours};
  EXPECT_THAT(Problems(p), Contains(Key("time_limit.value")));
  p.time_limit = {8, TimeUnit::kWorkingHours};
  EXPECT_TRUE(Validate(p));
  p.time_limit = {kMaxWorkingDays + 1, TimeUnit::kWorkingDays};
  EXPECT_THAT(Problems(p), Contains(Key("time_limit.value")));
  p.time_limit = {-1, TimeUnit::kWorkingDays};
  EXPECT_THAT(Problems(p), Contains(Key("time_limit.value")));
}

TEST(ValidateTest, DistrictLevelOnlyBeforeTheReform) {
  Procedure p = MakeProcedure("1.009994", "Cấp giấy phép xây dựng");
  p.levels = {Level::kDistrict};
  p.effective_from = D("2021-01-01");
  EXPECT_TRUE(Validate(p));
  p.effective_from = D("2025-07-01");
  EXPECT_THAT(Problems(p), Contains(Key("levels[0]")));
  p.levels = {};
  EXPECT_THAT(Problems(p), Contains(Key("levels")));
}

TEST(ValidateTest, TextMustBeCleanAndBounded) {
  Procedure p = MakeProcedure("1.001193", std::string(kMaxNameLength + 1, 'a'));
  p.name_en = "bad\x01";
  auto fields = Problems(p);
  EXPECT_THAT(fields, Contains(Key("name")));
  EXPECT_THAT(fields, Contains(Key("name_en")));
  p = MakeProcedure("1.001193", std::string(kMaxNameLength / 2, 'a') + "đ");
  EXPECT_TRUE(Validate(p)) << "length counts characters, not bytes";
}

TEST(ProcedureTest, TotalFeeAddsTheFees) {
  Procedure p = MakeProcedure("1.001193", "x");
  p.fees = {{"a", 2000}, {"b", 1000}};
  EXPECT_EQ(TotalFee(p), 3000);
}

}  // namespace
}  // namespace motcua::catalog
