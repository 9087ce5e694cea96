// The rules that bind units together, applied to a working copy of all units.
//
// Services load every unit into a UnitSet inside their transaction, Check() a
// new or changed unit against the others, Put() it, and build the UnitTree to
// publish from the result. Ids: positive for stored units; any other id not
// in the set (0, or a negative placeholder during an import) means "a unit
// being added".
//
// Not thread safe: one UnitSet per use case.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "core/units/unit.hpp"

namespace motcua::units {

// May a unit of kind `child` sit directly below one of kind `parent`? A
// commune below a district is allowed here; the district's own validity
// (which ends by 2025-07-01) then bounds the commune's.
bool ParentAllowed(Kind child, Kind parent);

class UnitSet {
 public:
  UnitSet() = default;
  // Trusts `units` (they come from storage, checked when written).
  explicit UnitSet(std::vector<Unit> units);

  const Unit* Find(std::int64_t id) const;
  const Unit* FindByAgencyCode(std::string_view code) const;
  const Unit* FindByStatsCode(std::string_view code) const;
  // Direct children, retired ones included, ascending id.
  std::vector<const Unit*> ChildrenOf(std::int64_t id) const;

  // Every rule `unit` must satisfy among the others: field formats, kind and
  // parent, validity inside the parent's, unique agency code, stats code
  // never used by any other unit (retired ones included) and, for a stored
  // unit, that its children still fit below it. Errors list every bad field:
  // kAlreadyExists when the only problems are codes taken by other units,
  // else kInvalidArgument. Links are not checked here (see CheckSuccessors).
  Status Check(const Unit& unit) const;

  // Rules for `successors` of `unit`, which must be retired (valid_to set):
  // each exists, is not the unit itself, appears once, and exists on the day
  // the unit stops existing. Errors name the field `field`.
  Status CheckSuccessors(const Unit& unit, const std::vector<std::int64_t>& successors,
                         const std::string& field = "successor_ids") const;

  // Inserts or replaces (by id, which must not be 0), keeping its links.
  void Put(Unit unit);
  // Records predecessor -> successor on both units; both must be present.
  void Link(std::int64_t predecessor, std::int64_t successor);

  // All units, ascending id.
  std::vector<Unit> Units() const;
  std::size_t size() const { return units_.size(); }

 private:
  std::map<std::int64_t, Unit> units_;
  std::map<std::string, std::int64_t, std::less<>> by_agency_code_;
  std::map<std::string, std::int64_t, std::less<>> by_stats_code_;
};

}  // namespace motcua::units
