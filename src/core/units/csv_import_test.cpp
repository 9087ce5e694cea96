#include "core/units/csv_import.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/units/testing.hpp"

namespace motcua::units {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

constexpr std::string_view kHeader =
    "agency_code,stats_code,name,name_en,kind,parent_agency_code,valid_from,valid_to,"
    "successor_agency_codes\n";

std::string ReadGolden(const std::string& name) {
  const char* root = std::getenv("MOTCUA_SOURCE_DIR");
  std::ifstream in(std::string(root ? root : ".") + "/tests/golden/units/" + name,
                   std::ios::binary);
  EXPECT_TRUE(in) << "missing golden file " << name;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// One "key<TAB>problem" line per field, in key order.
std::string Render(const Error& e) {
  std::string out;
  for (const auto& [key, problem] : e.fields) out += key + "\t" + problem + "\n";
  return out;
}

TEST(ParseCsv, QuotesCommasLineBreaksAndCrlf) {
  auto rows = ParseCsv("a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",,x\r\nlast,,");
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_THAT((*rows)[0].fields, ElementsAre("a", "b,c", "say \"hi\""));
  EXPECT_EQ((*rows)[0].line, 1);
  EXPECT_THAT((*rows)[1].fields, ElementsAre("two\nlines", "", "x"));
  EXPECT_EQ((*rows)[1].line, 2);
  EXPECT_THAT((*rows)[2].fields, ElementsAre("last", "", ""));
  EXPECT_EQ((*rows)[2].line, 4);  // the quoted line break moved it down
}

TEST(ParseCsv, SkipsBomAndBlankLines) {
  auto rows = ParseCsv("\xEF\xBB\xBFx,y\n\n1,2\n\n");
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_THAT((*rows)[0].fields, ElementsAre("x", "y"));
  EXPECT_EQ((*rows)[1].line, 3);
}

TEST(ParseCsv, RejectsStrayQuotesWithTheirLine) {
  auto after = ParseCsv("a,b\n\"x\"y,z\n");
  ASSERT_FALSE(after);
  EXPECT_THAT(after.error().fields, ElementsAre(Pair("line 2", "text after a closing quote")));
  auto inside = ParseCsv("a,b\nx\"y,z\n");
  ASSERT_FALSE(inside);
  EXPECT_THAT(inside.error().fields.at("line 2"), HasSubstr("quote inside an unquoted field"));
}

TEST(IsUtf8, RejectsOverlongsSurrogatesAndTruncation) {
  EXPECT_TRUE(IsUtf8("Tỉnh Thái Nguyên"));
  EXPECT_FALSE(IsUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsUtf8("\xED\xA0\x80"));      // surrogate U+D800
  EXPECT_FALSE(IsUtf8("T\xE1\xBB"));         // cut in the middle
  EXPECT_FALSE(IsUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
}

TEST(PlanImport, ValidGoldenFileBuildsTheMergedProvince) {
  auto plan = PlanImport(ReadGolden("valid_import.csv"), UnitSet());
  ASSERT_TRUE(plan) << Render(plan.error());
  ASSERT_EQ(plan->units.size(), 8u);
  EXPECT_THAT(plan->lines, ElementsAre(2, 3, 4, 5, 6, 7, 8, 9));

  const Unit& bac_kan = plan->units[0];
  EXPECT_EQ(bac_kan.name, "Tỉnh Bắc Kạn");
  EXPECT_EQ(bac_kan.valid_to, testing::D("2025-07-01"));
  EXPECT_THAT(bac_kan.successors, ElementsAre(plan->units[1].id));

  const Unit& district = plan->units[2];
  EXPECT_EQ(district.kind, Kind::kDistrict);
  EXPECT_EQ(district.parent_id, bac_kan.id);
  EXPECT_EQ(district.name_en, std::nullopt);

  const Unit& new_commune = plan->units[5];
  EXPECT_THAT(new_commune.predecessors, ElementsAre(plan->units[4].id, plan->units[3].id));

  const Unit& justice = plan->units[6];
  EXPECT_EQ(justice.name, "Sở Tư pháp, tỉnh Thái Nguyên");
  EXPECT_EQ(justice.name_en, "Department of Justice, \"Thai Nguyen\"");
  EXPECT_EQ(plan->units[7].name, "Trung tâm Phục vụ\nhành chính công tỉnh");

  ASSERT_EQ(plan->links.size(), 3u);
  EXPECT_EQ(plan->links[0].predecessor, bac_kan.id);
  EXPECT_EQ(plan->links[0].effective, testing::D("2025-07-01"));
}

TEST(PlanImport, ReferencesStoredUnitsAndRefusesTheirCodes) {
  UnitSet stored(testing::MergedProvince());
  std::string csv(kHeader);
  csv += "000.50.21.H56,02500,Xã Mới,,commune,000.00.00.H56,2025-07-01,,\n";
  auto plan = PlanImport(csv, stored);
  ASSERT_TRUE(plan) << Render(plan.error());
  EXPECT_EQ(plan->units[0].parent_id, testing::kThaiNguyen);

  csv = std::string(kHeader) + "000.00.11.H56,,Sở Trùng,,department,000.00.00.H56,2025-07-01,,\n";
  auto dup = PlanImport(csv, stored);
  ASSERT_FALSE(dup);
  EXPECT_THAT(dup.error().fields.at("line 2, column agency_code"), HasSubstr("unit 7"));
}

TEST(PlanImport, BadHeaderAndEmptyFile) {
  auto empty = PlanImport("", UnitSet());
  ASSERT_FALSE(empty);
  EXPECT_TRUE(empty.error().fields.contains("line 1"));
  auto header = PlanImport("code,name\n", UnitSet());
  ASSERT_FALSE(header);
  EXPECT_THAT(header.error().fields.at("line 1"), HasSubstr("agency_code,stats_code,name"));
}

class BrokenImport : public ::testing::TestWithParam<std::string> {};

TEST_P(BrokenImport, ReportsEveryProblemByLineAndColumn) {
  auto plan = PlanImport(ReadGolden(GetParam() + ".csv"), UnitSet());
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().code, Code::kInvalidArgument);
  EXPECT_EQ(Render(plan.error()), ReadGolden(GetParam() + ".expected"));
}

INSTANTIATE_TEST_SUITE_P(Golden, BrokenImport,
                         ::testing::Values("broken_rows", "broken_quote", "broken_utf8"));

}  // namespace
}  // namespace motcua::units
