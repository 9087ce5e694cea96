#include "core/catalog/catalog.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/catalog/testing.hpp"

namespace motcua::catalog {
namespace {

using ::testing::Contains;
using testing::D;
using ::testing::Key;
using testing::MakeProcedure;

constexpr const char* kPermit = "1.009994.000.00.00.H56";

// A construction permit handled by districts from 2021, by communes from the
// reform, with a fee change published for 2026.
Catalog PermitHistory() {
  Catalog c;
  Procedure v1 =
      MakeProcedure(kPermit, "Cấp giấy phép xây dựng nhà ở riêng lẻ", "Hoạt động xây dựng");
  v1.levels = {Level::kDistrict};
  v1.effective_from = D("2021-01-01");
  v1 = *c.PlanCreate(v1);
  v1.id = 1;
  c.Put(v1);
  Procedure v2 = MakeProcedure(kPermit, v1.name, v1.field);
  v2.effective_from = D("2025-07-01");
  v2 = *c.PlanVersion(kPermit, v2);
  v2.id = 2;
  c.Put(v2);
  return c;
}

TEST(CatalogTest, TheVersionInForceDependsOnTheDay) {
  Catalog c = PermitHistory();
  EXPECT_EQ(c.Versions(kPermit).size(), 2u);
  EXPECT_EQ(c.InForce(kPermit, D("2020-12-31")), nullptr);
  EXPECT_EQ(c.InForce(kPermit, D("2021-01-01"))->version, 1);
  EXPECT_EQ(c.InForce(kPermit, D("2025-06-30"))->levels, std::vector<Level>{Level::kDistrict});
  EXPECT_EQ(c.InForce(kPermit, D("2025-07-01"))->version, 2);
  EXPECT_EQ(c.InForce(kPermit, D("2030-01-01"))->version, 2);
  EXPECT_EQ(c.AllInForce(D("2024-01-01")).size(), 1u);
  EXPECT_EQ(c.Version(kPermit, 1)->id, 1);
  EXPECT_EQ(c.Version(kPermit, 3), nullptr);
}

TEST(CatalogTest, NewVersionsMustTakeEffectLater) {
  Catalog c = PermitHistory();
  Procedure v3 =
      MakeProcedure("ignored", "Cấp giấy phép xây dựng nhà ở riêng lẻ", "Hoạt động xây dựng");
  v3.effective_from = D("2025-07-01");
  auto same_day = c.PlanVersion(kPermit, v3);
  ASSERT_FALSE(same_day);
  EXPECT_THAT(same_day.error().fields, Contains(Key("effective_from")));

  v3.effective_from = D("2026-01-01");
  auto planned = c.PlanVersion(kPermit, v3);
  ASSERT_TRUE(planned) << planned.error().message;
  EXPECT_EQ(planned->version, 3);
  EXPECT_EQ(planned->code, kPermit);
  EXPECT_EQ(planned->id, 0);
  EXPECT_EQ(c.PlanVersion("1.000000", v3).error().code, Code::kNotFound);
}

TEST(CatalogTest, CreatingATakenCodeIsRefused) {
  Catalog c = PermitHistory();
  auto again = c.PlanCreate(MakeProcedure(kPermit, "Khác"));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Code::kAlreadyExists);
  EXPECT_THAT(again.error().fields, Contains(Key("code")));
  Procedure retired = MakeProcedure("1.000001", "x");
  retired.status = Lifecycle::kRetired;
  EXPECT_THAT(c.PlanCreate(retired).error().fields, Contains(Key("status")));
}

TEST(CatalogTest, ADraftIsNeverInForceAndPublishingReplacesIt) {
  Catalog c;
  Procedure draft = MakeProcedure("1.000002", "Đăng ký giám hộ");
  draft.status = Lifecycle::kDraft;
  draft = *c.PlanCreate(draft);
  draft.id = 7;
  c.Put(draft);
  EXPECT_EQ(c.InForce("1.000002", D("2026-01-01")), nullptr);
  EXPECT_EQ(c.LatestPublic("1.000002"), nullptr);

  Procedure published = MakeProcedure("1.000002", "Đăng ký giám hộ");
  published.effective_from = D("2025-01-01");  // no earlier published version to beat
  auto planned = c.PlanVersion("1.000002", published);
  ASSERT_TRUE(planned) << planned.error().message;
  EXPECT_EQ(planned->id, 7);
  EXPECT_EQ(planned->version, 1);
  EXPECT_EQ(planned->status, Lifecycle::kPublished);
}

TEST(CatalogTest, RetiredProceduresLeaveForceOnTheirDateAndStayRetired) {
  Catalog c = PermitHistory();
  EXPECT_THAT(c.PlanRetire(kPermit, D("2025-07-01")).error().fields, Contains(Key("date")));
  auto rows = c.PlanRetire(kPermit, D("2027-01-01"));
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 2u);
  for (Procedure& p : *rows) {
    EXPECT_EQ(p.status, Lifecycle::kRetired);
    c.Put(p);
  }
  EXPECT_EQ(c.InForce(kPermit, D("2026-12-31"))->version, 2);
  EXPECT_EQ(c.InForce(kPermit, D("2027-01-01")), nullptr);
  EXPECT_EQ(c.InForce(kPermit, D("2022-01-01"))->version, 1) << "history stays";
  EXPECT_EQ(c.LatestPublic(kPermit)->version, 2);

  EXPECT_TRUE(c.PlanRetire(kPermit, D("2027-01-01"))->empty()) << "same day again: nothing to do";
  EXPECT_EQ(c.PlanRetire(kPermit, D("2028-01-01")).error().code, Code::kFailedPrecondition);
  Procedure v3 = MakeProcedure(kPermit, "x", "y");
  v3.effective_from = D("2028-01-01");
  EXPECT_EQ(c.PlanVersion(kPermit, v3).error().code, Code::kFailedPrecondition);
}

}  // namespace
}  // namespace motcua::catalog
