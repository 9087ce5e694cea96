#include "core/accounts/principal.hpp"

#include <gtest/gtest.h>

#include <map>

namespace motcua::accounts {
namespace {

// Province 1 > department 10 > office 100; province 1 > commune 20.
class FakeUnits final : public UnitHierarchy {
 public:
  bool IsSameOrBelow(std::int64_t unit, std::int64_t ancestor) const override {
    for (std::int64_t u = unit; u != 0;) {
      if (u == ancestor) return true;
      auto it = parent_.find(u);
      u = it == parent_.end() ? 0 : it->second;
    }
    return false;
  }
  bool IsTopLevel(std::int64_t unit) const override {
    auto it = parent_.find(unit);
    return it != parent_.end() && it->second == 0;
  }

 private:
  std::map<std::int64_t, std::int64_t> parent_{{1, 0}, {10, 1}, {100, 10}, {20, 1}, {2, 0}};
};

Principal With(std::vector<RoleBinding> roles) {
  Principal p;
  p.user_id = 7;
  p.roles = std::move(roles);
  return p;
}

TEST(RoleNames, RoundTripAndRejectUnknown) {
  for (Role r : {Role::kCitizen, Role::kOfficer, Role::kSpecialist, Role::kUnitLeader,
                 Role::kProvinceAdmin, Role::kSystemAdmin}) {
    EXPECT_EQ(ParseRole(RoleName(r)), r);
  }
  EXPECT_EQ(RoleName(Role::kUnitLeader), "unit_leader");
  EXPECT_FALSE(ParseRole("admin"));
  EXPECT_FALSE(ParseRole("System_Admin"));
  EXPECT_FALSE(ParseRole(""));
}

TEST(HasRoleAt, DenyByDefault) {
  FakeUnits units;
  EXPECT_FALSE(With({}).HasRole(Role::kCitizen));
  EXPECT_FALSE(With({}).HasRoleAt(Role::kOfficer, 10, units));
}

TEST(HasRoleAt, SingleUnitBindingDoesNotReachChildren) {
  FakeUnits units;
  auto p = With({{Role::kOfficer, 10, false}});
  EXPECT_TRUE(p.HasRoleAt(Role::kOfficer, 10, units));
  EXPECT_FALSE(p.HasRoleAt(Role::kOfficer, 100, units));
  EXPECT_FALSE(p.HasRoleAt(Role::kSpecialist, 10, units));
}

TEST(HasRoleAt, SubtreeBindingReachesDescendantsButNotSiblingsOrParents) {
  FakeUnits units;
  auto p = With({{Role::kUnitLeader, 10, true}});
  EXPECT_TRUE(p.HasRoleAt(Role::kUnitLeader, 10, units));
  EXPECT_TRUE(p.HasRoleAt(Role::kUnitLeader, 100, units));
  EXPECT_FALSE(p.HasRoleAt(Role::kUnitLeader, 1, units));
  EXPECT_FALSE(p.HasRoleAt(Role::kUnitLeader, 20, units));
}

TEST(HasRoleAt, SystemAdminCoversEverything) {
  FakeUnits units;
  auto p = With({{Role::kSystemAdmin, 1, true}});
  EXPECT_TRUE(p.HasRoleAt(Role::kSpecialist, 2, units));
  EXPECT_TRUE(p.HasRole(Role::kProvinceAdmin));
}

TEST(CanGrant, ProvinceAdminOnlyWithinSubtreeAndNeverSystemAdmin) {
  FakeUnits units;
  auto admin = With({{Role::kProvinceAdmin, 1, true}});
  EXPECT_TRUE(admin.CanGrant({Role::kOfficer, 100, false}, units));
  EXPECT_TRUE(admin.CanGrant({Role::kUnitLeader, 10, true}, units));
  EXPECT_TRUE(admin.CanGrant({Role::kCitizen, 0, false}, units));
  EXPECT_FALSE(admin.CanGrant({Role::kOfficer, 2, false}, units));
  EXPECT_FALSE(admin.CanGrant({Role::kSystemAdmin, 1, true}, units));
  EXPECT_FALSE(admin.CanGrant({Role::kOfficer, 0, false}, units));
}

TEST(CanGrant, StaffMayGrantNothing) {
  FakeUnits units;
  auto leader = With({{Role::kUnitLeader, 1, true}});
  EXPECT_FALSE(leader.CanGrant({Role::kOfficer, 10, false}, units));
  EXPECT_FALSE(leader.IsAdministrator());
}

TEST(CanManage, ProvinceAdminCannotTouchSystemAdmin) {
  FakeUnits units;
  auto admin = With({{Role::kProvinceAdmin, 1, true}});
  EXPECT_TRUE(admin.CanManage({{Role::kOfficer, 10, false}}, units));
  EXPECT_FALSE(
      admin.CanManage({{Role::kOfficer, 10, false}, {Role::kSystemAdmin, 1, true}}, units));
  auto root = With({{Role::kSystemAdmin, 1, true}});
  EXPECT_TRUE(root.CanManage({{Role::kSystemAdmin, 1, true}}, units));
}

TEST(CanSeeAccount, AnAdministratorSeesTheStaffOfTheirScopeAndCitizensOnlyFromTheTop) {
  FakeUnits units;
  const std::vector<RoleBinding> officer_100 = {{Role::kOfficer, 100, false}};
  const std::vector<RoleBinding> officer_20 = {{Role::kOfficer, 20, false}};
  const std::vector<RoleBinding> citizen = {{Role::kCitizen, 0, false}};
  const std::vector<RoleBinding> nothing = {};
  auto department = With({{Role::kProvinceAdmin, 10, true}});
  EXPECT_TRUE(department.CanSeeAccount(officer_100, units));
  EXPECT_FALSE(department.CanSeeAccount(officer_20, units));
  EXPECT_FALSE(department.CanSeeAccount(citizen, units));
  EXPECT_FALSE(department.CanSeeAccount(nothing, units));
  EXPECT_FALSE(department.CanManage(citizen, units));  // not even to disable one
  // Staff somewhere in scope and somewhere out: seen, not managed.
  const std::vector<RoleBinding> both = {{Role::kOfficer, 100, false}, {Role::kOfficer, 20, false}};
  EXPECT_TRUE(department.CanSeeAccount(both, units));
  EXPECT_FALSE(department.CanManage(both, units));
  auto province = With({{Role::kProvinceAdmin, 1, true}});
  EXPECT_TRUE(province.CanSeeAccount(officer_20, units));
  EXPECT_TRUE(province.CanSeeAccount(citizen, units));
  EXPECT_TRUE(province.CanManage(citizen, units));
  EXPECT_FALSE(province.CanSeeAccount({{Role::kOfficer, 2, false}}, units));
  // A province administrator bound to the province alone, not its subtree.
  EXPECT_FALSE(With({{Role::kProvinceAdmin, 1, false}}).CanSeeAccount(citizen, units));
  EXPECT_TRUE(
      With({{Role::kSystemAdmin, 1, true}}).CanSeeAccount({{Role::kOfficer, 2, false}}, units));
  EXPECT_FALSE(With({{Role::kUnitLeader, 1, true}}).CanSeeAccount(officer_100, units));
}

}  // namespace
}  // namespace motcua::accounts
