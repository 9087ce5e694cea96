#include "core/units/unit_set.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/units/testing.hpp"

namespace motcua::units {
namespace {

using namespace testing;  // NOLINT: the merged-province ids
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Key;
using ::testing::Pair;

Unit NewCommune() {
  return MakeUnit(0, Kind::kCommune, "Xã Mới", "02010", "000.32.21.H56", kThaiNguyen, "2025-07-01");
}

TEST(UnitFormats, DatesAreStrictIsoCalendarDays) {
  EXPECT_EQ(ParseDate("2025-07-01"),
            Date(std::chrono::year{2025}, std::chrono::July, std::chrono::day{1}));
  EXPECT_TRUE(ParseDate("2024-02-29"));
  EXPECT_FALSE(ParseDate("2025-02-29"));
  EXPECT_FALSE(ParseDate("2025-7-1"));
  EXPECT_FALSE(ParseDate("2025/07/01"));
  EXPECT_FALSE(ParseDate("2025-07-01T00"));
  EXPECT_EQ(FormatDate(D("0999-01-09")), "0999-01-09");
}

TEST(UnitFormats, AgencyCodeShape) {
  EXPECT_TRUE(IsAgencyCode("000.00.00.H55"));
  EXPECT_TRUE(IsAgencyCode("000.00.21.H12"));
  EXPECT_FALSE(IsAgencyCode("000.00.21.12H"));
  EXPECT_FALSE(IsAgencyCode("00.00.21.H12"));
  EXPECT_FALSE(IsAgencyCode("000-00-21-H12"));
  EXPECT_FALSE(IsAgencyCode("000.00.21.H1"));
  EXPECT_FALSE(IsAgencyCode(""));
}

TEST(UnitFormats, StatsCodeLengthDependsOnKind) {
  EXPECT_TRUE(IsStatsCodeFor(Kind::kProvince, "19"));
  EXPECT_FALSE(IsStatsCodeFor(Kind::kProvince, "190"));
  EXPECT_TRUE(IsStatsCodeFor(Kind::kDistrict, "064"));
  EXPECT_TRUE(IsStatsCodeFor(Kind::kCommune, "01990"));
  EXPECT_FALSE(IsStatsCodeFor(Kind::kCommune, "0199a"));
  EXPECT_TRUE(IsStatsCodeFor(Kind::kDepartment, ""));
  EXPECT_FALSE(IsStatsCodeFor(Kind::kCenter, "01"));
}

TEST(UnitSetCheck, AcceptsAValidNewCommune) {
  UnitSet set(MergedProvince());
  EXPECT_TRUE(set.Check(NewCommune()));
}

TEST(UnitSetCheck, NamesEveryBadField) {
  UnitSet set(MergedProvince());
  Unit u = NewCommune();
  u.name = "";
  u.agency_code = "000.00.21";
  u.stats_code = "123";
  u.valid_to = D("2025-01-01");
  auto r = set.Check(u);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Code::kInvalidArgument);
  EXPECT_THAT(r.error().fields, Contains(Key("name")));
  EXPECT_THAT(r.error().fields, Contains(Key("agency_code")));
  EXPECT_THAT(r.error().fields, Contains(Pair("stats_code", "a commune has a 5-digit code")));
  EXPECT_THAT(r.error().fields, Contains(Pair("valid_to", "must not be before valid_from")));
}

TEST(UnitSetCheck, KindAndParentRules) {
  UnitSet set(MergedProvince());
  Unit province =
      MakeUnit(0, Kind::kProvince, "Tỉnh X", "99", "000.00.00.H99", kThaiNguyen, "2025-07-01");
  EXPECT_THAT(set.Check(province).error().fields,
              Contains(Pair("parent_id", "a province has no parent")));

  Unit commune = NewCommune();
  commune.parent_id = kJustice;
  EXPECT_THAT(set.Check(commune).error().fields,
              Contains(Pair("parent_id", "a commune cannot be below a department")));
  commune.parent_id = std::nullopt;
  EXPECT_THAT(set.Check(commune).error().fields, Contains(Key("parent_id")));
  commune.parent_id = 404;
  EXPECT_THAT(set.Check(commune).error().fields, Contains(Pair("parent_id", "no unit 404")));

  Unit department = MakeUnit(0, Kind::kDepartment, "Sở Y tế", "", "000.00.12.H56", kDongHy,
                             "1997-01-01", "2025-07-01");
  EXPECT_THAT(set.Check(department).error().fields, Contains(Key("parent_id")));
}

TEST(UnitSetCheck, DistrictsEndByTheReformAndBoundTheirCommunes) {
  UnitSet set(MergedProvince());
  Unit district =
      MakeUnit(0, Kind::kDistrict, "Huyện Mới", "170", "000.00.29.H56", kThaiNguyen, "2025-07-01");
  EXPECT_THAT(set.Check(district).error().fields, Contains(Key("valid_from")));
  district.valid_from = D("2000-01-01");
  EXPECT_THAT(set.Check(district).error().fields,
              Contains(Pair("valid_to", "a district must end by 2025-07-01")));
  district.valid_to = D("2025-07-01");
  EXPECT_TRUE(set.Check(district));

  // A commune below a district cannot outlive it.
  Unit commune = NewCommune();
  commune.parent_id = kDongHy;
  commune.valid_from = D("2000-01-01");
  auto r = set.Check(commune);
  ASSERT_FALSE(r);
  EXPECT_THAT(r.error().fields.at("valid_to"), HasSubstr("must end by 2025-07-01"));
}

TEST(UnitSetCheck, CodesAreUniqueAndStatsCodesAreNeverReused) {
  UnitSet set(MergedProvince());
  Unit u = NewCommune();
  u.stats_code = "01990";  // Xã Thanh Vận's, retired in 2025
  auto r = set.Check(u);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Code::kAlreadyExists);
  EXPECT_THAT(r.error().fields.at("stats_code"), HasSubstr("never reused"));
  EXPECT_THAT(r.error().fields.at("stats_code"), HasSubstr("Xã Thanh Vận"));

  u = NewCommune();
  u.agency_code = "000.00.11.H56";
  EXPECT_EQ(set.Check(u).error().code, Code::kAlreadyExists);

  // A unit keeps its own codes when it is edited.
  Unit same = *set.Find(kThanhMaiNew);
  same.name = "Xã Thanh Mai (mới)";
  EXPECT_TRUE(set.Check(same));
}

TEST(UnitSetCheck, EditsMustKeepChildrenValid) {
  UnitSet set(MergedProvince());
  Unit province = *set.Find(kThaiNguyen);
  province.valid_to = D("2026-01-01");
  auto r = set.Check(province);
  ASSERT_FALSE(r);
  EXPECT_THAT(r.error().fields.at("valid_to"), HasSubstr("retire or move it first"));

  Unit district = *set.Find(kChoMoi);
  district.kind = Kind::kDepartment;
  district.stats_code = "";
  EXPECT_THAT(set.Check(district).error().fields.at("kind"),
              HasSubstr("cannot be below a department"));

  Unit bac_kan = *set.Find(kBacKan);
  bac_kan.kind = Kind::kDistrict;
  bac_kan.stats_code = "065";
  bac_kan.parent_id = kChoMoi;
  EXPECT_THAT(set.Check(bac_kan).error().fields, Contains(Key("parent_id")));
}

TEST(UnitSetCheck, MovingAUnitChecksItsNewParent) {
  std::vector<Unit> units = MergedProvince();
  units.push_back(
      MakeUnit(10, Kind::kCommune, "Xã X", "09000", "000.40.21.H56", kThaiNguyen, "2025-07-01"));
  units.push_back(
      MakeUnit(11, Kind::kCenter, "Bộ phận một cửa xã X", "", "000.41.21.H56", 10, "2025-07-01"));
  units.push_back(
      MakeUnit(12, Kind::kCommune, "Xã Y", "09001", "000.42.21.H56", kThaiNguyen, "2025-07-01"));
  UnitSet set(units);
  Unit center = *set.Find(11);
  center.parent_id = 12;
  EXPECT_TRUE(set.Check(center));
  center.parent_id = 11;  // itself
  EXPECT_THAT(set.Check(center).error().fields, Contains(Key("parent_id")));
  Unit commune = *set.Find(10);
  commune.parent_id = kBacKan;  // retired: the commune would outlive it
  EXPECT_THAT(set.Check(commune).error().fields.at("valid_to"), HasSubstr("2025-07-01"));
}

TEST(UnitSetCheck, SuccessorsMustExistOnTheRetirementDay) {
  UnitSet set(MergedProvince());
  Unit old = *set.Find(kThanhVan);
  EXPECT_TRUE(set.CheckSuccessors(old, {kThanhMaiNew}));
  EXPECT_THAT(set.CheckSuccessors(old, {kThanhMaiOld}).error().fields.at("successor_ids"),
              HasSubstr("does not exist on 2025-07-01"));
  EXPECT_THAT(set.CheckSuccessors(old, {kThanhVan}).error().fields.at("successor_ids"),
              HasSubstr("cannot succeed itself"));
  EXPECT_THAT(set.CheckSuccessors(old, {kThanhMaiNew, kThanhMaiNew}).error().fields,
              Contains(Key("successor_ids")));
  EXPECT_FALSE(set.CheckSuccessors(*set.Find(kJustice), {kThaiNguyen}));
}

TEST(UnitSet, PutReplacesCodesAndLinkRecordsBothSides) {
  UnitSet set(MergedProvince());
  Unit u = *set.Find(kJustice);
  u.agency_code = "000.00.13.H56";
  set.Put(u);
  EXPECT_EQ(set.FindByAgencyCode("000.00.11.H56"), nullptr);
  EXPECT_EQ(set.FindByAgencyCode("000.00.13.H56")->id, kJustice);
  set.Link(kHoaThuong, kThanhMaiNew);
  EXPECT_THAT(set.Find(kHoaThuong)->successors, ::testing::ElementsAre(kThanhMaiNew));
  EXPECT_THAT(set.Find(kThanhMaiNew)->predecessors,
              ::testing::ElementsAre(kThanhVan, kThanhMaiOld, kHoaThuong));
}

}  // namespace
}  // namespace motcua::units
