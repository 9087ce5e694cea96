// Data-driven tests: the files under tests/golden/calendar hold inputs and the
// exact expected answers, so that a calendar expert can review them without
// reading C++.
#include <gtest/gtest.h>

#include <sstream>

#include "core/calendar/cli.hpp"
#include "core/calendar/internal/test_files.hpp"
#include "core/calendar/lunar.hpp"

namespace motcua::calendar {
namespace {

using internal::ReadFile;
using internal::SourceDir;

std::filesystem::path GoldenDir() { return SourceDir() / "tests" / "golden" / "calendar"; }

// Non-empty lines that are not comments, with their line numbers.
std::vector<std::pair<int, std::string>> Lines(const std::string& text) {
  std::vector<std::pair<int, std::string>> out;
  std::istringstream in(text);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (!line.empty() && line[0] != '#') out.emplace_back(n, line);
  }
  return out;
}

std::vector<std::string> Words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

struct CliResult {
  int code;
  std::string out, err;
};

CliResult RunCli(std::vector<std::string> args) {
  args.push_back("--data-dir");
  args.push_back((SourceDir() / "data").string());
  std::ostringstream out, err;
  int code = RunCalendarCli(args, internal::TablesIn, out, err);
  return {code, out.str(), err.str()};
}

TEST(CalendarGoldenTest, LunarDatesBothWays) {
  auto lines = Lines(ReadFile(GoldenDir() / "lunar.txt"));
  ASSERT_GE(lines.size(), 20u) << "lunar.txt missing or short";
  for (const auto& [n, line] : lines) {
    auto w = Words(line);
    ASSERT_TRUE(w.size() == 2 || (w.size() == 3 && w[2] == "leap")) << "lunar.txt:" << n;
    auto solar = ParseDate(w[0]);
    ASSERT_TRUE(solar.has_value()) << "lunar.txt:" << n;
    LunarDate expected{std::stoi(w[1].substr(0, 4)), std::stoi(w[1].substr(5, 2)),
                       std::stoi(w[1].substr(8, 2)), w.size() == 3};
    auto lunar = ToLunar(*solar);
    ASSERT_TRUE(lunar.has_value()) << "lunar.txt:" << n;
    EXPECT_EQ(*lunar, expected) << "lunar.txt:" << n << ": " << line << " but got " << lunar->year
                                << "-" << lunar->month << "-" << lunar->day
                                << (lunar->leap ? " leap" : "");
    auto back = ToSolar(expected);
    ASSERT_TRUE(back.has_value()) << "lunar.txt:" << n;
    EXPECT_EQ(FormatDate(*back), w[0]) << "lunar.txt:" << n;
  }
}

TEST(CalendarGoldenTest, DeadlinesAndWorkingTime) {
  auto lines = Lines(ReadFile(GoldenDir() / "deadlines.txt"));
  ASSERT_GE(lines.size(), 20u) << "deadlines.txt missing or short";
  for (const auto& [n, line] : lines) {
    size_t arrow = line.find(" => ");
    ASSERT_NE(arrow, std::string::npos) << "deadlines.txt:" << n;
    CliResult r = RunCli(Words(line.substr(0, arrow)));
    EXPECT_EQ(r.code, 0) << "deadlines.txt:" << n << ": " << r.err;
    EXPECT_EQ(r.out, line.substr(arrow + 4) + "\n") << "deadlines.txt:" << n;
  }
}

TEST(CalendarGoldenTest, HolidaysOfEachShippedYear) {
  for (int year = 2024; year <= 2027; ++year) {
    const std::string name = "holidays-" + std::to_string(year) + ".json";
    std::string expected = ReadFile(GoldenDir() / name);
    ASSERT_FALSE(expected.empty()) << name;
    // The file holds one holiday per line for review; the command prints one line.
    std::erase(expected, '\n');
    CliResult r = RunCli({"holidays", std::to_string(year), "--json"});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, expected + "\n") << name;
  }
}

}  // namespace
}  // namespace motcua::calendar
