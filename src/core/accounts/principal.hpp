// Who is making a request, and what they may do where.
//
// Roles are bound to a unit, either to that unit alone or to its whole
// subtree (a provincial administrator bound to the province's subtree sees
// every department and commune). Deny by default: no binding, no access.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace motcua::accounts {

enum class Role {
  kCitizen,        // công dân: submits and follows their own dossiers
  kOfficer,        // cán bộ một cửa: receives dossiers at the counter, returns results
  kSpecialist,     // chuyên viên: processes dossiers in a department or commune
  kUnitLeader,     // lãnh đạo đơn vị: approves, signs, watches the unit's figures
  kProvinceAdmin,  // quản trị cấp tỉnh: units, procedures, workflows, users of the province
  kSystemAdmin,    // quản trị hệ thống: everything, including operations
};

// "citizen", "officer", "specialist", "unit_leader", "province_admin", "system_admin".
std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);

struct RoleBinding {
  Role role = Role::kCitizen;
  std::int64_t unit_id = 0;  // 0 only for citizens, who are bound to no unit
  bool subtree = false;      // true: the unit and every unit below it

  bool operator==(const RoleBinding&) const = default;
};

// Answers "is `unit` the same as or below `ancestor`?" from the units tree.
// Implemented by core/units; abstract here so accounts does not depend on it.
class UnitHierarchy {
 public:
  virtual ~UnitHierarchy() = default;
  virtual bool IsSameOrBelow(std::int64_t unit, std::int64_t ancestor) const = 0;
  // Whether `unit` is at the top of the tree (a province): a binding there
  // with its subtree covers the whole province. No, by default.
  virtual bool IsTopLevel(std::int64_t /*unit*/) const { return false; }
};

enum class AuthMethod { kSession, kApiToken };

struct Principal {
  std::int64_t user_id = 0;
  std::string username;
  std::string display_name;
  std::vector<RoleBinding> roles;
  AuthMethod method = AuthMethod::kSession;
  // Row id of the session or API token that authenticated this request (not a
  // secret): lets "sign out everywhere else" keep the current session.
  std::int64_t credential_id = 0;
  std::string csrf_token;  // sessions only: must come back in X-CSRF-Token

  bool HasRole(Role role) const;
  // True if some binding of `role` covers `unit` (itself, or its subtree if
  // the binding says so). A system administrator covers every unit.
  bool HasRoleAt(Role role, std::int64_t unit, const UnitHierarchy& units) const;

  // Works at `unit` or above it: an officer, specialist, leader or
  // administrator whose binding covers it (who may see its figures and its
  // open dossiers, issue 7).
  bool IsStaffAt(std::int64_t unit, const UnitHierarchy& units) const;

  // May manage user accounts at all: a province or system administrator.
  bool IsAdministrator() const;
  // May give (or take away) `binding` from someone. A system administrator may
  // grant anything. A province administrator may grant the citizen role and
  // any role except system_admin on a unit their province_admin binding
  // covers (a subtree binding only if its root is covered, since everything
  // below a covered unit is covered too). Everyone else may grant nothing.
  bool CanGrant(const RoleBinding& binding, const UnitHierarchy& units) const;
  // May change an account holding `target_roles`: only one it may see
  // (CanSeeAccount), and only if every one of those bindings is one this
  // principal could grant, so that a province administrator cannot disable,
  // or strip, a system administrator.
  bool CanManage(const std::vector<RoleBinding>& target_roles, const UnitHierarchy& units) const;
  // May see an account holding `target_roles` (list it, read it): a system
  // administrator any; a province administrator one with a staff binding on
  // a unit their province_admin binding covers, and one with none (a citizen,
  // or roles not given yet) only if bound to a whole province (top level,
  // with its subtree), since citizens belong to no unit. An administrator of
  // one commune sees that commune's staff, not the province's (issue 19).
  bool CanSeeAccount(const std::vector<RoleBinding>& target_roles,
                     const UnitHierarchy& units) const;
};

}  // namespace motcua::accounts
