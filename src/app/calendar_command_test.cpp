#include "app/calendar_command.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

namespace motcua::app {
namespace {

struct Outcome {
  int code;
  std::string out, err;
};

// Runs against the repository's data/ directory (CTest sets MOTCUA_SOURCE_DIR).
Outcome Calendar(std::vector<std::string> args) {
  const char* source = std::getenv("MOTCUA_SOURCE_DIR");
  std::filesystem::path root = source && *source ? source : std::filesystem::current_path();
  args.push_back("--data-dir");
  args.push_back((root / "data").string());
  std::ostringstream out, err;
  int code = RunCalendarCommand(args, out, err);
  return {code, out.str(), err.str()};
}

TEST(CalendarCommandTest, ToLunarJson) {
  auto r = Calendar({"to-lunar", "2027-02-06", "--json"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out,
            "{\"solar\":\"2027-02-06\",\"lunar\":{\"year\":2027,\"month\":1,\"day\":1,\"leap\":"
            "false}}\n");
}

TEST(CalendarCommandTest, ToSolarJson) {
  auto r = Calendar({"to-solar", "2027-01-01", "--json"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "{\"solar\":\"2027-02-06\"}\n");
}

TEST(CalendarCommandTest, HolidaysJsonReadsTheShippedTables) {
  auto r = Calendar({"holidays", "2027", "--json"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with(
      "[{\"date\":\"2027-01-01\",\"name\":\"Tết Dương lịch\",\"name_en\":\"New Year's Day\"},"))
      << r.out;
  // 2025's table moves 2 May off: only the file says so.
  auto y2025 = Calendar({"holidays", "2025", "--json"});
  EXPECT_NE(y2025.out.find("{\"date\":\"2025-05-02\",\"name\":\"Nghỉ hoán đổi\""),
            std::string::npos);
}

TEST(CalendarCommandTest, AddWorkingDaysJsonAcrossTet2027) {
  auto r = Calendar({"add-working-days", "2027-02-03T16:00+07:00", "5", "--json"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "{\"result\":\"2027-02-17T16:00:00+07:00\"}\n");
}

TEST(CalendarCommandTest, ImpossibleDateIsAUsageError) {
  auto r = Calendar({"to-lunar", "2027-02-30"});
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(r.out.empty());
  EXPECT_NE(r.err.find("'2027-02-30' is an impossible date"), std::string::npos) << r.err;
}

TEST(CalendarCommandTest, MissingDataDirectoryIsADataError) {
  std::ostringstream out, err;
  EXPECT_EQ(RunCalendarCommand({"holidays", "2027", "--data-dir", "/nonexistent-motcua"}, out, err),
            1);
  EXPECT_NE(err.str().find("/nonexistent-motcua/holidays"), std::string::npos) << err.str();
}

}  // namespace
}  // namespace motcua::app
