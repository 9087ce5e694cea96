// Reporting periods as Decree 09/2019 cuts them, and the 766 index as its
// data file scores it.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/stats/index766.hpp"
#include "core/stats/periods.hpp"

namespace motcua::stats {
namespace {

calendar::Date D(std::string_view text) { return *calendar::ParseDate(text); }

std::string Range(const Period& p) {
  const DayRange r = RangeOf(p);
  return calendar::FormatDate(r.first) + ".." + calendar::FormatDate(r.last);
}

TEST(PeriodsTest, ReportPeriodsRunFromTheFifteenthToTheFourteenth) {
  EXPECT_EQ(Range({PeriodKind::kReportMonth, 2027, 1}), "2026-12-15..2027-01-14");
  EXPECT_EQ(Range({PeriodKind::kReportMonth, 2026, 3}), "2026-02-15..2026-03-14");
  EXPECT_EQ(Range({PeriodKind::kReportQuarter, 2026, 1}), "2025-12-15..2026-03-14");
  EXPECT_EQ(Range({PeriodKind::kReportQuarter, 2026, 4}), "2026-09-15..2026-12-14");
  EXPECT_EQ(Range({PeriodKind::kReportYear, 2026, 1}), "2025-12-15..2026-12-14");
  // Six-month reports: 15 December to 14 June, 15 June to 14 December.
  EXPECT_EQ(Range({PeriodKind::kReportHalfYear, 2026, 1}), "2025-12-15..2026-06-14");
  EXPECT_EQ(Range({PeriodKind::kReportHalfYear, 2026, 2}), "2026-06-15..2026-12-14");
  EXPECT_EQ(Containing(PeriodKind::kReportHalfYear, D("2026-06-15")),
            (Period{PeriodKind::kReportHalfYear, 2026, 2}));
  EXPECT_EQ(Containing(PeriodKind::kReportHalfYear, D("2026-12-15")),
            (Period{PeriodKind::kReportHalfYear, 2027, 1}));
  // A day counts in the report of the month it falls in until the 14th, then in the next one's.
  EXPECT_EQ(Containing(PeriodKind::kReportMonth, D("2026-12-14")),
            (Period{PeriodKind::kReportMonth, 2026, 12}));
  EXPECT_EQ(Containing(PeriodKind::kReportMonth, D("2026-12-15")),
            (Period{PeriodKind::kReportMonth, 2027, 1}));
  EXPECT_EQ(Containing(PeriodKind::kReportQuarter, D("2026-03-15")),
            (Period{PeriodKind::kReportQuarter, 2026, 2}));
  EXPECT_EQ(Containing(PeriodKind::kReportYear, D("2026-12-20")),
            (Period{PeriodKind::kReportYear, 2027, 1}));
  // Every day of 2020 to 2030 is in exactly the period that contains it, and periods tile the days.
  for (PeriodKind k :
       {PeriodKind::kDay, PeriodKind::kMonth, PeriodKind::kQuarter, PeriodKind::kHalfYear,
        PeriodKind::kYear, PeriodKind::kReportMonth, PeriodKind::kReportQuarter,
        PeriodKind::kReportHalfYear, PeriodKind::kReportYear}) {
    Period p = Containing(k, D("2020-01-01"));
    for (calendar::Date d = D("2020-01-01"); d <= D("2030-12-31"); d += std::chrono::days(1)) {
      if (!RangeOf(p).Contains(d)) {
        ASSERT_EQ(RangeOf(p).last + std::chrono::days(1), d) << FormatPeriod(p);
        p = Next(p);
      }
      ASSERT_TRUE(RangeOf(p).Contains(d)) << FormatPeriod(p) << " " << calendar::FormatDate(d);
      ASSERT_EQ(Containing(k, d), p) << calendar::FormatDate(d);
    }
    EXPECT_EQ(Previous(Next(p)), p);
  }
}

TEST(PeriodsTest, CalendarPeriodsAndTheirNames) {
  EXPECT_EQ(Range({PeriodKind::kQuarter, 2026, 4}), "2026-10-01..2026-12-31");
  EXPECT_EQ(Range({PeriodKind::kMonth, 2028, 2}), "2028-02-01..2028-02-29");
  EXPECT_EQ(RangeOf({PeriodKind::kYear, 2028, 1}).days(), 366);
  EXPECT_EQ(Containing(PeriodKind::kDay, D("2026-12-31")), (Period{PeriodKind::kDay, 2026, 365}));
  EXPECT_EQ(Range({PeriodKind::kHalfYear, 2026, 2}), "2026-07-01..2026-12-31");
  for (const char* text : {"2026-12-02", "2026-12", "2026-Q4", "2026-H1", "2026", "bc-2026-12",
                           "bc-2026-Q4", "bc-2026-H2", "bc-2026"}) {
    auto p = ParsePeriod(text);
    ASSERT_TRUE(p) << text;
    EXPECT_EQ(FormatPeriod(*p), text);
  }
  for (const char* bad : {"", "2026-13", "2026-Q5", "2026-H3", "bc-2026-H0", "bc-2026-12-02",
                          "20261", "2026-02-30", "x2026"}) {
    auto p = ParsePeriod(bad);
    ASSERT_FALSE(p) << bad;
    EXPECT_TRUE(p.error().fields.contains("period"));
  }
  EXPECT_EQ(VietnameseName({PeriodKind::kQuarter, 2026, 4}), "Quý IV/2026");
  EXPECT_EQ(VietnameseName({PeriodKind::kMonth, 2026, 3}), "Tháng 03/2026");
  EXPECT_EQ(VietnameseName({PeriodKind::kReportMonth, 2027, 1}),
            "Kỳ báo cáo tháng 01/2027 (15/12/2026 – 14/01/2027)");
  EXPECT_EQ(VietnameseName({PeriodKind::kReportYear, 2026, 1}),
            "Kỳ báo cáo năm 2026 (15/12/2025 – 14/12/2026)");
  EXPECT_EQ(VietnameseName({PeriodKind::kHalfYear, 2026, 1}), "6 tháng đầu năm 2026");
  EXPECT_EQ(VietnameseName({PeriodKind::kReportHalfYear, 2026, 2}),
            "Kỳ báo cáo 6 tháng cuối năm 2026 (15/06/2026 – 14/12/2026)");
}

std::string DataFile(const std::string& path) {
  const char* root = std::getenv("MOTCUA_SOURCE_DIR");
  std::ifstream in(std::string(root ? root : ".") + "/" + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class IndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto d = ParseIndexDefinition(DataFile("data/statistics/index766.json"));
    ASSERT_TRUE(d) << d.error().message;
    def_ = *d;
  }
  static const IndicatorScore* Find(const IndexScore& s, std::string_view id) {
    for (const auto& g : s.groups)
      for (const auto& i : g.indicators)
        if (i.indicator->id == id) return &i;
    return nullptr;
  }
  IndexDefinition def_;
};

TEST_F(IndexTest, TheProvincesFileHasFiveGroupsOfAHundredPoints) {
  ASSERT_EQ(def_.groups.size(), 5u);
  std::vector<double> points;
  for (const auto& g : def_.groups) points.push_back(g.points());
  EXPECT_EQ(points, (std::vector<double>{18, 20, 22, 22, 18}));
  EXPECT_EQ(def_.report_cutoff_day, 15u);
}

TEST_F(IndexTest, EachIndicatorEarnsItsPointsUpToItsThreshold) {
  const Measures m = {{"dossiers_on_time", {950, 1000}},            // 95 % of 100 %: 19 of 20
                      {"dossiers_fully_online", {300, 1000}},       // 30 % of 50 %: 7.2 of 12
                      {"dossiers_electronic_result", {900, 1000}},  // above 80 %: all 6
                      {"dossiers_digitised", {400, 1000}},          // 50 % of 80 %: 2 of 4
                      {"dossiers_synced", {700, 1000}},             // 70 % of 100 %: 4.2 of 6
                      {"dossier_satisfaction", {81, 100}}};         // 81 % of 90 %: 5.4 of 6
  const IndexScore s = Score(def_, m);
  EXPECT_NEAR(*Find(s, "dossiers_on_time")->score, 19.0, 1e-9);
  EXPECT_NEAR(*Find(s, "dossiers_fully_online")->score, 7.2, 1e-9);
  EXPECT_NEAR(*Find(s, "dossiers_electronic_result")->score, 6.0, 1e-9);
  EXPECT_NEAR(*Find(s, "dossiers_digitised")->score, 2.0, 1e-9);
  EXPECT_NEAR(*Find(s, "dossiers_synced")->score, 4.2, 1e-9);
  EXPECT_NEAR(*Find(s, "dossier_satisfaction")->score, 5.4, 1e-9);
  EXPECT_NEAR(s.score, 43.8, 1e-9);
  EXPECT_NEAR(s.available_points, 54, 1e-9);
  EXPECT_NEAR(s.points, 100, 1e-9);
  // What motcua does not hold is not available, and then there is no grade.
  EXPECT_FALSE(Find(s, "dossiers_paid_online")->score);
  EXPECT_EQ(Find(s, "dossiers_paid_online")->unavailable, "not_held");
  EXPECT_EQ(Find(s, "feedback_on_time")->unavailable, "not_held");
  EXPECT_FALSE(s.grade);
}

// Issue 20: the sync to the national portal is measured from its
// acknowledgements, so the province's file names the measure; none
// acknowledged of the dossiers received is 0 of its 6 points, not "not
// available" (the province owes the portal every dossier).
TEST_F(IndexTest, TheSyncToTheNationalPortalIsMeasuredAndNoneSyncedScoresNothing) {
  const IndexScore unmeasured = Score(def_, {});
  ASSERT_NE(Find(unmeasured, "dossiers_synced"), nullptr);
  EXPECT_EQ(Find(unmeasured, "dossiers_synced")->indicator->measure, "dossiers_synced");
  EXPECT_EQ(Find(unmeasured, "dossiers_synced")->indicator->points, 6);
  const IndexScore none = Score(def_, {{"dossiers_synced", {0, 40}}});
  ASSERT_TRUE(Find(none, "dossiers_synced")->score);
  EXPECT_EQ(*Find(none, "dossiers_synced")->score, 0);
  EXPECT_NEAR(none.available_points, 6, 1e-9);
  const IndexScore all = Score(def_, {{"dossiers_synced", {40, 40}}});
  EXPECT_NEAR(*Find(all, "dossiers_synced")->score, 6, 1e-9);
  // Nothing received: nothing to count, as for every measure.
  EXPECT_EQ(Find(Score(def_, {{"dossiers_synced", {0, 0}}}), "dossiers_synced")->unavailable,
            "none_counted");
}

TEST_F(IndexTest, NothingCountedIsNotAvailableNotAFullScore) {
  const IndexScore s = Score(def_, {{"dossiers_on_time", {0, 0}}});
  EXPECT_FALSE(Find(s, "dossiers_on_time")->score);
  EXPECT_EQ(Find(s, "dossiers_on_time")->unavailable, "none_counted");
  EXPECT_EQ(s.score, 0);
  EXPECT_EQ(s.available_points, 0);
}

TEST_F(IndexTest, AGradeWhenEveryIndicatorIsMeasured) {
  IndexDefinition small = def_;
  small.groups.resize(2);  // transparency has no measure: give its indicators one
  for (auto& i : small.groups[0].indicators) i.measure = "x";
  Measures m = {{"x", {9, 10}}, {"dossiers_on_time", {10, 10}}};
  IndexScore s = Score(small, m);
  EXPECT_NEAR(s.score, 0.9 * 18 + 20, 1e-9);  // 36.2 of 38
  ASSERT_TRUE(s.grade);
  EXPECT_EQ(s.grade->name, "Yếu");
  m["x"] = {10, 10};
  small.grades = {{30, "Xuất sắc", "Excellent"}, {0, "Yếu", "Weak"}};
  s = Score(small, m);
  ASSERT_TRUE(s.grade);
  EXPECT_EQ(s.grade->name, "Xuất sắc");
}

TEST(IndexDefinitionTest, MistakesAreNamed) {
  auto bad =
      ParseIndexDefinition(R"({"name":"x","grades":[{"min":50,"name":"a"},{"min":60,"name":"b"}],
    "groups":[{"id":"g","name":"G","indicators":[{"id":"g","name":"I","points":0,"threshold":1.5}]}]})");
  ASSERT_FALSE(bad);
  const auto& f = bad.error().fields;
  EXPECT_TRUE(f.contains("groups[0].indicators[0].id")) << bad.error().message;
  EXPECT_TRUE(f.contains("groups[0].indicators[0].points"));
  EXPECT_TRUE(f.contains("groups[0].indicators[0].threshold"));
  EXPECT_TRUE(f.contains("groups[0].indicators[0].measure"));
  EXPECT_TRUE(f.contains("grades[1].min"));
  EXPECT_FALSE(ParseIndexDefinition("not json"));
}

}  // namespace
}  // namespace motcua::stats
