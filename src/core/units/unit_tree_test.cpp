#include "core/units/unit_tree.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/units/testing.hpp"

namespace motcua::units {
namespace {

using namespace testing;  // NOLINT: the merged-province ids
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

TEST(UnitTree, IsSameOrBelowFollowsParentsIncludingRetiredUnits) {
  UnitTree tree(MergedProvince());
  EXPECT_TRUE(tree.IsSameOrBelow(kThanhVan, kBacKan));
  EXPECT_TRUE(tree.IsSameOrBelow(kThanhVan, kChoMoi));
  EXPECT_TRUE(tree.IsSameOrBelow(kThanhVan, kThanhVan));
  EXPECT_TRUE(tree.IsSameOrBelow(kHoaThuong, kThaiNguyen));
  EXPECT_TRUE(tree.IsSameOrBelow(kJustice, kThaiNguyen));
  // A successor does not make the old province "below" the new one.
  EXPECT_FALSE(tree.IsSameOrBelow(kThanhVan, kThaiNguyen));
  EXPECT_FALSE(tree.IsSameOrBelow(kBacKan, kThaiNguyen));
  EXPECT_FALSE(tree.IsSameOrBelow(kThaiNguyen, kHoaThuong));
  EXPECT_FALSE(tree.IsSameOrBelow(kJustice, kDongHy));
  EXPECT_FALSE(tree.IsSameOrBelow(999, kThaiNguyen));
  EXPECT_FALSE(tree.IsSameOrBelow(kThaiNguyen, 999));
}

TEST(UnitTree, ChildrenAncestorsAndSubtree) {
  UnitTree tree(MergedProvince());
  EXPECT_THAT(tree.Children(kThaiNguyen), ElementsAre(kThanhMaiNew, kJustice, kDongHy));
  EXPECT_THAT(tree.Children(kChoMoi), ElementsAre(kThanhVan, kThanhMaiOld));
  EXPECT_THAT(tree.Children(kJustice), IsEmpty());
  EXPECT_THAT(tree.Ancestors(kThanhVan), ElementsAre(kChoMoi, kBacKan));
  EXPECT_THAT(tree.Ancestors(kThaiNguyen), IsEmpty());
  EXPECT_THAT(tree.Subtree(kBacKan), ElementsAre(kBacKan, kChoMoi, kThanhVan, kThanhMaiOld));
  EXPECT_THAT(tree.Subtree(kThaiNguyen),
              UnorderedElementsAre(kThaiNguyen, kThanhMaiNew, kJustice, kDongHy, kHoaThuong));
  EXPECT_THAT(tree.Subtree(404), IsEmpty());
}

TEST(UnitTree, ActiveOnTreatsValidToAsTheFirstDayWithoutTheUnit) {
  UnitTree tree(MergedProvince());
  EXPECT_TRUE(tree.ActiveOn(kBacKan, D("2025-06-30")));
  EXPECT_FALSE(tree.ActiveOn(kBacKan, D("2025-07-01")));
  EXPECT_FALSE(tree.ActiveOn(kThanhMaiNew, D("2025-06-30")));
  EXPECT_TRUE(tree.ActiveOn(kThanhMaiNew, D("2025-07-01")));
  EXPECT_FALSE(tree.ActiveOn(kBacKan, D("1990-01-01")));
  EXPECT_FALSE(tree.ActiveOn(404, D("2025-01-01")));
}

TEST(UnitTree, CurrentSuccessorsMapOldUnitsToTodays) {
  UnitTree tree(MergedProvince());
  const Date today = D("2026-03-01");
  EXPECT_THAT(tree.CurrentSuccessors(kBacKan, today), ElementsAre(kThaiNguyen));
  EXPECT_THAT(tree.CurrentSuccessors(kThanhVan, today), ElementsAre(kThanhMaiNew));
  EXPECT_THAT(tree.CurrentSuccessors(kThanhMaiOld, today), ElementsAre(kThanhMaiNew));
  EXPECT_THAT(tree.CurrentSuccessors(kThaiNguyen, today), ElementsAre(kThaiNguyen));
  EXPECT_THAT(tree.CurrentSuccessors(kHoaThuong, today), IsEmpty());
  // Before the merger every unit stands for itself.
  EXPECT_THAT(tree.CurrentSuccessors(kThanhVan, D("2025-01-01")), ElementsAre(kThanhVan));
}

TEST(UnitTree, CurrentSuccessorsFollowChainsAndSurviveCycles) {
  std::vector<Unit> units = {
      MakeUnit(1, Kind::kProvince, "A", "01", "000.00.00.H01", std::nullopt, "1990-01-01",
               "2000-01-01"),
      MakeUnit(2, Kind::kProvince, "B", "02", "000.00.00.H02", std::nullopt, "2000-01-01",
               "2010-01-01"),
      MakeUnit(3, Kind::kProvince, "C", "03", "000.00.00.H03", std::nullopt, "2010-01-01"),
      MakeUnit(4, Kind::kProvince, "D", "04", "000.00.00.H04", std::nullopt, "2000-01-01",
               "2010-01-01"),
  };
  units[0].successors = {2, 4};
  units[1].successors = {3};
  units[3].successors = {1};  // bad data: a cycle back to A
  UnitTree tree(units);
  EXPECT_THAT(tree.CurrentSuccessors(1, D("2020-01-01")), ElementsAre(3));
}

TEST(UnitTree, ParentCycleInDataDoesNotHangOrLoseUnits) {
  std::vector<Unit> units = {
      MakeUnit(1, Kind::kCommune, "A", "00001", "000.01.00.H01", 2, "2000-01-01"),
      MakeUnit(2, Kind::kCommune, "B", "00002", "000.02.00.H01", 1, "2000-01-01"),
  };
  UnitTree tree(units);
  EXPECT_EQ(tree.size(), 2u);
  EXPECT_EQ(tree.Subtree(1).size() + tree.Subtree(2).size(), 3u);
  EXPECT_THAT(tree.Ancestors(1), ElementsAre(2));
}

TEST(UnitTree, EmptyTreeAnswersNo) {
  UnitTree tree;
  EXPECT_FALSE(tree.IsSameOrBelow(1, 1));
  EXPECT_EQ(tree.Find(1), nullptr);
}

}  // namespace
}  // namespace motcua::units
