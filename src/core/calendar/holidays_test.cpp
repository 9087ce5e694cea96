#include "core/calendar/holidays.hpp"

#include <gtest/gtest.h>

#include "core/calendar/internal/test_files.hpp"

namespace motcua::calendar {
namespace {

using std::chrono::year;

Date D(int y, unsigned m, unsigned d) { return Date{year{y} / m / d}; }

std::vector<std::string> Dates(const std::vector<Holiday>& holidays) {
  std::vector<std::string> out;
  for (const auto& h : holidays) out.push_back(FormatDate(h.date) + " " + h.name_vi);
  return out;
}

HolidayCalendar Shipped() {
  auto c = HolidayCalendar::Load(internal::ShippedTables());
  EXPECT_TRUE(c.has_value()) << (c ? "" : c.error().message);
  return c ? *c : HolidayCalendar();
}

std::string LoadError(const std::string& text,
                      const std::string& name = "data/holidays/2025.toml") {
  auto c = HolidayCalendar::Load({{name, text}});
  return c ? "loaded" : c.error().message;
}

TEST(HolidaysTest, RulesAloneGiveTheLabourCodeDaysWithCompensation) {
  HolidayCalendar rules;
  // 2027: Tết 30 tháng Chạp = Friday 5 February; Saturday 6 and Sunday 7 are
  // compensated on Wednesday 10 and Thursday 11; 1 May is a Saturday.
  EXPECT_EQ(
      Dates(rules.Holidays(2027)),
      (std::vector<std::string>{
          "2027-01-01 Tết Dương lịch", "2027-02-05 Tết Nguyên đán", "2027-02-06 Tết Nguyên đán",
          "2027-02-07 Tết Nguyên đán", "2027-02-08 Tết Nguyên đán", "2027-02-09 Tết Nguyên đán",
          "2027-02-10 Nghỉ bù", "2027-02-11 Nghỉ bù", "2027-04-16 Giỗ Tổ Hùng Vương",
          "2027-04-30 Ngày Chiến thắng", "2027-05-01 Ngày Quốc tế Lao động", "2027-05-03 Nghỉ bù",
          "2027-09-01 Quốc khánh", "2027-09-02 Quốc khánh"}));
  // 2023: 1 January and 2 September on a weekend, as decided that year.
  auto y2023 = Dates(rules.Holidays(2023));
  EXPECT_NE(std::find(y2023.begin(), y2023.end(), "2023-01-02 Nghỉ bù"), y2023.end());
  EXPECT_NE(std::find(y2023.begin(), y2023.end(), "2023-09-04 Nghỉ bù"), y2023.end());
}

TEST(HolidaysTest, ShippedTablesGiveTheDecidedDays) {
  HolidayCalendar c = Shipped();
  // 2025: Tết from 25 January to 2 February, 2 May swapped with 26 April.
  for (Date d = D(2025, 1, 25); d <= D(2025, 2, 2); d += std::chrono::days(1)) {
    EXPECT_FALSE(c.IsWorkingDay(d)) << FormatDate(d);
  }
  EXPECT_TRUE(c.IsWorkingDay(D(2025, 2, 3)));
  EXPECT_TRUE(c.IsWorkingDay(D(2025, 2, 8)));  // make-up Saturday
  EXPECT_FALSE(c.IsWorkingDay(D(2025, 5, 2)));
  EXPECT_TRUE(c.IsWorkingDay(D(2025, 4, 26)));
  EXPECT_EQ(c.MakeUpWorkingDays(2025), (std::vector<Date>{D(2025, 2, 8), D(2025, 4, 26)}));
  // 2026: Tết from 14 to 22 February; Hùng Kings day on Sunday 26 April.
  EXPECT_FALSE(c.IsWorkingDay(D(2026, 2, 20)));
  EXPECT_TRUE(c.IsWorkingDay(D(2026, 2, 23)));
  EXPECT_FALSE(c.IsWorkingDay(D(2026, 4, 27)));
  // 2024: the day adjacent to 2 September moved to the 3rd.
  EXPECT_FALSE(c.IsWorkingDay(D(2024, 9, 3)));
  EXPECT_FALSE(c.IsWorkingDay(D(2024, 2, 8)));
  EXPECT_TRUE(c.IsWorkingDay(D(2024, 2, 15)));
  // Ordinary days and weekends.
  EXPECT_TRUE(c.IsWorkingDay(D(2025, 3, 12)));
  EXPECT_FALSE(c.IsWorkingDay(D(2025, 3, 15)));
  EXPECT_FALSE(c.IsWorkingDay(D(2025, 3, 16)));
}

TEST(HolidaysTest, HolidaysAreSortedAndNamedInBothLanguages) {
  HolidayCalendar c = Shipped();
  for (int y = 2024; y <= 2027; ++y) {
    auto h = c.Holidays(y);
    ASSERT_FALSE(h.empty());
    for (size_t i = 0; i < h.size(); ++i) {
      EXPECT_FALSE(h[i].name_vi.empty());
      EXPECT_FALSE(h[i].name_en.empty());
      if (i > 0) {
        EXPECT_LT(h[i - 1].date, h[i].date);
      }
    }
  }
  EXPECT_TRUE(c.Holidays(1899).empty());
  EXPECT_TRUE(c.Holidays(2101).empty());
}

TEST(HolidaysTest, TableCanRemoveARuleDayAndItsCompensation) {
  auto c = HolidayCalendar::Load({{"2027.toml",
                                   "year = 2027\n[[remove]]\ndate = 2027-05-03\n"
                                   "[[remove]]\ndate = 2027-09-01\n"}});
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_TRUE(c->IsWorkingDay(D(2027, 5, 3)));
  EXPECT_TRUE(c->IsWorkingDay(D(2027, 9, 1)));
  EXPECT_FALSE(c->IsWorkingDay(D(2027, 9, 2)));
}

TEST(HolidaysTest, ErrorsNameTheFileTheLineAndTheProblem) {
  EXPECT_EQ(LoadError("year = 2025\n[[off]]\ndate = 2025-02-30\n"),
            "data/holidays/2025.toml:3: '2025-02-30' is an impossible date");
  EXPECT_EQ(LoadError("year = 2025\n[[working]]\ndate = 2024-04-27\n"),
            "data/holidays/2025.toml:3: date 2024-04-27 is not in 2025");
  EXPECT_EQ(LoadError("year = 2025\n[tet]\nfrom = 2025-01-25\nuntil = 2025-02-02\n"),
            "data/holidays/2025.toml:4: unknown key 'until' (known here: from, to)");
  EXPECT_EQ(LoadError("year = 2026\n"),
            "data/holidays/2025.toml:1: year 2026 does not match the file name");
  EXPECT_EQ(LoadError("year = 2025\n[holiday]\n"),
            "data/holidays/2025.toml:2: unknown table '[holiday]' (known: [tet], [national_day], "
            "[[off]], [[remove]], [[working]])");
  EXPECT_EQ(
      LoadError("year = 2025\n\n[[working]]\ndate = 2025-04-28\n"),
      "data/holidays/2025.toml:3: make-up working day 2025-04-28 is not a Saturday or Sunday");
  EXPECT_EQ(LoadError("year = 2025\n[[remove]]\ndate = 2025-03-12\n"),
            "data/holidays/2025.toml:2: date 2025-03-12 is not a day off by the rules, nothing to "
            "remove");
  EXPECT_EQ(LoadError("year = 2025\n[[off]]\ndate = 2025-05-02\nname_vi = \"Nghỉ\"\n"),
            "data/holidays/2025.toml:2: missing key 'name_en'");
  EXPECT_EQ(LoadError("year = 2025\n[national_day]\nadjacent = 2025-09-05\n"),
            "data/holidays/2025.toml:3: the day adjacent to 2 September must be 1 or 3 September");
  EXPECT_EQ(LoadError("[tet]\n"), "data/holidays/2025.toml:1: 'year = YYYY' must come first");
  EXPECT_EQ(LoadError("year = 2025\nname = \"x\n"),
            "data/holidays/2025.toml:2: unterminated string");
  auto twice = HolidayCalendar::Load({{"a.toml", "year = 2025\n"}, {"b.toml", "year = 2025\n"}});
  ASSERT_FALSE(twice.has_value());
  EXPECT_EQ(twice.error().message, "b.toml:1: a table for 2025 was already given in a.toml");
}

TEST(HolidaysTest, AnExtraDayOffCarriesItsNames) {
  auto c = HolidayCalendar::Load(
      {{"2027.toml",
        "year = 2027  # comment\n[[off]]\ndate = 2027-11-24\nname_vi = \"Ngày Văn hóa Việt Nam\"\n"
        "name_en = \"Vietnamese Culture Day\" # planned\n"}});
  ASSERT_TRUE(c.has_value()) << c.error().message;
  auto h = c->Holidays(2027);
  auto it =
      std::find_if(h.begin(), h.end(), [](const Holiday& x) { return x.date == D(2027, 11, 24); });
  ASSERT_NE(it, h.end());
  EXPECT_EQ(it->name_vi, "Ngày Văn hóa Việt Nam");
  EXPECT_EQ(it->name_en, "Vietnamese Culture Day");
  EXPECT_FALSE(c->IsWorkingDay(D(2027, 11, 24)));
}

}  // namespace
}  // namespace motcua::calendar
