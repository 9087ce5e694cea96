#include "http/auth.hpp"

#include <gtest/gtest.h>

namespace motcua::http {
namespace {

using accounts::Role;

class FakeUnits final : public accounts::UnitHierarchy {
 public:
  bool IsSameOrBelow(std::int64_t unit, std::int64_t ancestor) const override {
    return unit == ancestor || (unit == 10 && ancestor == 1);
  }
};

Request WithRoles(std::vector<accounts::RoleBinding> roles) {
  Request req;
  accounts::Principal p;
  p.user_id = 1;
  p.roles = std::move(roles);
  req.principal = p;
  return req;
}

TEST(AccessHelpers, AnonymousIs401AndMissingRoleIs403) {
  FakeUnits units;
  Request anonymous;
  EXPECT_EQ(RequireAuthenticated(anonymous).error().code, Code::kUnauthenticated);
  EXPECT_EQ(RequireRoleAt(anonymous, Role::kOfficer, 10, units).error().code,
            Code::kUnauthenticated);
  EXPECT_EQ(RequireAnyRole(anonymous, {Role::kOfficer}).error().code, Code::kUnauthenticated);

  Request leader = WithRoles({{Role::kUnitLeader, 1, true}});
  EXPECT_TRUE(RequireAuthenticated(leader));
  EXPECT_TRUE(RequireRoleAt(leader, Role::kUnitLeader, 10, units));
  EXPECT_EQ(RequireRoleAt(leader, Role::kUnitLeader, 2, units).error().code,
            Code::kPermissionDenied);
  EXPECT_EQ(RequireRoleAt(leader, Role::kOfficer, 10, units).error().code, Code::kPermissionDenied);
  EXPECT_TRUE(RequireAnyRole(leader, {Role::kOfficer, Role::kUnitLeader}));
  EXPECT_EQ(RequireAnyRole(leader, {Role::kProvinceAdmin}).error().code, Code::kPermissionDenied);
}

TEST(SessionCookie, FlagsFollowTheTransport) {
  const std::string plain = SessionCookie("abc", false, std::chrono::hours(12));
  EXPECT_EQ(plain, "motcua_session=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200");
  const std::string tls = SessionCookie("abc", true, std::chrono::hours(12));
  EXPECT_TRUE(tls.ends_with("; Secure")) << tls;
  EXPECT_EQ(ClearedSessionCookie(true),
            "motcua_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure");
}

}  // namespace
}  // namespace motcua::http
