#include "core/calendar/cli.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "core/calendar/internal/test_files.hpp"

namespace motcua::calendar {
namespace {

struct CliResult {
  int code;
  std::string out, err;
};

CliResult RunCli(std::vector<std::string> args) {
  args.push_back("--data-dir=" + (internal::SourceDir() / "data").string());
  std::ostringstream out, err;
  int code = RunCalendarCli(args, internal::TablesIn, out, err);
  return {code, out.str(), err.str()};
}

TEST(CalendarCliTest, PrintsTheDocumentedJson) {
  auto lunar = RunCli({"to-lunar", "2027-02-06", "--json"});
  EXPECT_EQ(lunar.code, 0);
  EXPECT_EQ(lunar.out,
            "{\"solar\":\"2027-02-06\",\"lunar\":{\"year\":2027,\"month\":1,\"day\":1,\"leap\":"
            "false}}\n");
  auto solar = RunCli({"to-solar", "2027-01-01", "--json"});
  EXPECT_EQ(solar.out, "{\"solar\":\"2027-02-06\"}\n");
  auto holidays = RunCli({"holidays", "2027", "--json"});
  EXPECT_EQ(holidays.code, 0);
  EXPECT_TRUE(holidays.out.starts_with(
      "[{\"date\":\"2027-01-01\",\"name\":\"Tết Dương lịch\",\"name_en\":\"New Year's Day\"},"))
      << holidays.out;
  EXPECT_TRUE(holidays.out.ends_with("]\n"));
  auto deadline = RunCli({"add-working-days", "2027-02-03T16:00+07:00", "5", "--json"});
  EXPECT_EQ(deadline.out, "{\"result\":\"2027-02-17T16:00:00+07:00\"}\n");
  auto between = RunCli(
      {"--json", "working-time-between", "2025-03-12T16:00+07:00", "2025-03-13T09:00+07:00"});
  EXPECT_EQ(between.out, "{\"seconds\":9000}\n");
}

TEST(CalendarCliTest, PrintsReadableLinesWithoutJson) {
  EXPECT_EQ(RunCli({"to-lunar", "2023-03-22"}).out,
            "2023-03-22 -> lunar 2023-02-01 (leap month)\n");
  EXPECT_EQ(RunCli({"to-solar", "2023-02-01", "--leap"}).out,
            "lunar 2023-02-01 (leap month) -> 2023-03-22\n");
  auto h = RunCli({"holidays", "2025"});
  EXPECT_NE(h.out.find("2025-04-07  Giỗ Tổ Hùng Vương (Hùng Kings' Commemoration Day)\n"),
            std::string::npos);
  EXPECT_NE(h.out.find("2025-04-26  Làm bù (make-up working day)\n"), std::string::npos);
}

TEST(CalendarCliTest, HelpForTheCommandAndEachSubcommand) {
  auto all = RunCli({"--help"});
  EXPECT_EQ(all.code, 0);
  EXPECT_NE(all.out.find("add-working-days MOMENT N"), std::string::npos);
  for (const char* sub : {"to-lunar", "to-solar", "holidays", "add-working-days",
                          "add-working-hours", "working-time-between", "is-working-time"}) {
    auto r = RunCli({sub, "--help"});
    EXPECT_EQ(r.code, 0) << sub;
    EXPECT_TRUE(r.out.starts_with(std::string("usage: motcua calendar ") + sub)) << sub;
  }
}

TEST(CalendarCliTest, ErrorsNameTheProblemAndExitWithTwo) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"to-lunar", "2027-02-30"}, "'2027-02-30' is an impossible date"},
      {{"to-lunar", "06/02/2027"}, "is not of the form YYYY-MM-DD"},
      {{"to-lunar"}, "missing argument DATE for to-lunar"},
      {{"to-lunar", "2027-02-06", "2027-02-07"}, "unexpected argument '2027-02-07'"},
      {{"to-lunar", "2027-02-06", "--frobnicate"}, "unknown option '--frobnicate'"},
      {{"to-solar", "2024-02-01", "--leap"}, "lunar year 2024 has no leap month 2"},
      {{"to-lunar", "2027-02-06", "--leap"}, "--leap applies only to to-solar"},
      {{"moon-phase"}, "unknown command 'moon-phase'"},
      {{}, "missing command"},
      {{"holidays", "27"}, "invalid year '27'"},
      {{"add-working-days", "2027-02-03T16:00+07:00"}, "missing argument N"},
      {{"add-working-days", "2027-02-03T16:00", "5"}, "has no offset"},
      {{"add-working-days", "2027-02-03T16:00+07:00", "-5"}, "invalid N '-5'"},
      {{"add-working-hours", "2027-02-03T16:00+07:00", "two"}, "'two' is not a non-negative"},
      {{"is-working-time", "2027-02-03T16:00+07:00", "--office-hours", "9-5"},
       "invalid office_hours: '9-5'"},
      {{"is-working-time", "2027-02-03T16:00+07:00", "--office-hours"},
       "option --office-hours needs a value"},
  };
  for (const auto& c : cases) {
    auto r = RunCli(c.args);
    EXPECT_EQ(r.code, 2) << c.message;
    EXPECT_TRUE(r.out.empty()) << c.message;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
  }
}

TEST(CalendarCliTest, BadOrMissingTablesExitWithOne) {
  std::ostringstream out, err;
  auto broken = [](const std::string&) -> Result<std::vector<TableFile>> {
    return std::vector<TableFile>{
        {"x/holidays/2025.toml", "year = 2025\n[[off]]\ndate = 2025-13-01\n"}};
  };
  EXPECT_EQ(RunCalendarCli({"holidays", "2025"}, broken, out, err), 1);
  EXPECT_NE(err.str().find("x/holidays/2025.toml:3:"), std::string::npos) << err.str();
  std::ostringstream out2, err2;
  EXPECT_EQ(RunCalendarCli({"holidays", "2025", "--data-dir", "/nonexistent"}, internal::TablesIn,
                           out2, err2),
            1);
  EXPECT_NE(err2.str().find("/nonexistent/holidays"), std::string::npos) << err2.str();
  // Lunar conversions need no tables at all.
  std::ostringstream out3, err3;
  EXPECT_EQ(RunCalendarCli({"to-lunar", "2025-01-29"}, broken, out3, err3), 0);
}

}  // namespace
}  // namespace motcua::calendar
