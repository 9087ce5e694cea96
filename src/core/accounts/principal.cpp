#include "core/accounts/principal.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace motcua::accounts {
namespace {

constexpr std::array<std::pair<Role, std::string_view>, 6> kRoleNames{{
    {Role::kCitizen, "citizen"},
    {Role::kOfficer, "officer"},
    {Role::kSpecialist, "specialist"},
    {Role::kUnitLeader, "unit_leader"},
    {Role::kProvinceAdmin, "province_admin"},
    {Role::kSystemAdmin, "system_admin"},
}};

bool Covers(const RoleBinding& binding, std::int64_t unit, const UnitHierarchy& units) {
  if (binding.unit_id <= 0 || unit <= 0) return false;
  if (binding.unit_id == unit) return true;
  return binding.subtree && units.IsSameOrBelow(unit, binding.unit_id);
}

}  // namespace

std::string_view RoleName(Role role) {
  for (const auto& [r, name] : kRoleNames) {
    if (r == role) return name;
  }
  return "unknown";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (const auto& [r, n] : kRoleNames) {
    if (n == name) return r;
  }
  return std::nullopt;
}

bool Principal::HasRole(Role role) const {
  return std::any_of(roles.begin(), roles.end(), [role](const RoleBinding& b) {
    return b.role == role || b.role == Role::kSystemAdmin;
  });
}

bool Principal::HasRoleAt(Role role, std::int64_t unit, const UnitHierarchy& units) const {
  return std::any_of(roles.begin(), roles.end(), [&](const RoleBinding& b) {
    if (b.role == Role::kSystemAdmin) return true;
    return b.role == role && Covers(b, unit, units);
  });
}

bool Principal::IsStaffAt(std::int64_t unit, const UnitHierarchy& units) const {
  for (Role r : {Role::kOfficer, Role::kSpecialist, Role::kUnitLeader, Role::kProvinceAdmin,
                 Role::kSystemAdmin})
    if (HasRoleAt(r, unit, units)) return true;
  return false;
}

bool Principal::IsAdministrator() const {
  return HasRole(Role::kProvinceAdmin);  // HasRole counts system_admin too
}

bool Principal::CanGrant(const RoleBinding& binding, const UnitHierarchy& units) const {
  if (HasRole(Role::kSystemAdmin)) return true;
  if (binding.role == Role::kSystemAdmin) return false;
  if (binding.role == Role::kCitizen) return IsAdministrator();
  // The root of the granted binding must lie inside one of the actor's
  // province_admin bindings; a subtree below a covered unit stays covered.
  return std::any_of(roles.begin(), roles.end(), [&](const RoleBinding& b) {
    return b.role == Role::kProvinceAdmin && Covers(b, binding.unit_id, units);
  });
}

bool Principal::CanManage(const std::vector<RoleBinding>& target_roles,
                          const UnitHierarchy& units) const {
  if (!IsAdministrator() || !CanSeeAccount(target_roles, units)) return false;
  return std::all_of(target_roles.begin(), target_roles.end(),
                     [&](const RoleBinding& b) { return CanGrant(b, units); });
}

bool Principal::CanSeeAccount(const std::vector<RoleBinding>& target_roles,
                              const UnitHierarchy& units) const {
  if (std::any_of(roles.begin(), roles.end(),
                  [](const RoleBinding& b) { return b.role == Role::kSystemAdmin; }))
    return true;
  bool staff = false;
  for (const RoleBinding& target : target_roles) {
    if (target.role == Role::kCitizen) continue;
    staff = true;
    for (const RoleBinding& b : roles)
      if (b.role == Role::kProvinceAdmin && Covers(b, target.unit_id, units)) return true;
  }
  if (staff) return false;
  return std::any_of(roles.begin(), roles.end(), [&](const RoleBinding& b) {
    return b.role == Role::kProvinceAdmin && b.subtree && units.IsTopLevel(b.unit_id);
  });
}

}  // namespace motcua::accounts
