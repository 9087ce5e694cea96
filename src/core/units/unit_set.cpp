#include "core/units/unit_set.hpp"

#include <algorithm>
#include <set>

#include "common/check.hpp"

namespace motcua::units {
namespace {

// Imported units have no id yet (see ImportPlan): name them by name and code.
std::string Describe(const Unit& u) {
  std::string named = "'" + u.name + "' (" + u.agency_code + ")";
  return u.id > 0 ? "unit " + std::to_string(u.id) + " " + named : named;
}

// A unit that ends when `end` says (nullopt = never) ends no later than `limit`.
bool EndsBy(const std::optional<Date>& end, const Date& limit) { return end && *end <= limit; }

void AddSorted(std::vector<std::int64_t>& ids, std::int64_t id) {
  auto it = std::lower_bound(ids.begin(), ids.end(), id);
  if (it == ids.end() || *it != id) ids.insert(it, id);
}

}  // namespace

bool ParentAllowed(Kind child, Kind parent) {
  switch (child) {
    case Kind::kProvince:
      return false;
    case Kind::kDistrict:
      return parent == Kind::kProvince;
    case Kind::kCommune:
      return parent == Kind::kProvince || parent == Kind::kDistrict;
    case Kind::kDepartment:
      return parent == Kind::kProvince;
    // The provincial centre hangs below the province, a commune's one-stop
    // centre below its commune.
    case Kind::kCenter:
      return parent == Kind::kProvince || parent == Kind::kCommune;
  }
  return false;
}

UnitSet::UnitSet(std::vector<Unit> units) {
  for (Unit& u : units) Put(std::move(u));
}

const Unit* UnitSet::Find(std::int64_t id) const {
  auto it = units_.find(id);
  return it == units_.end() ? nullptr : &it->second;
}

const Unit* UnitSet::FindByAgencyCode(std::string_view code) const {
  auto it = by_agency_code_.find(code);
  return it == by_agency_code_.end() ? nullptr : Find(it->second);
}

const Unit* UnitSet::FindByStatsCode(std::string_view code) const {
  if (code.empty()) return nullptr;
  auto it = by_stats_code_.find(code);
  return it == by_stats_code_.end() ? nullptr : Find(it->second);
}

std::vector<const Unit*> UnitSet::ChildrenOf(std::int64_t id) const {
  std::vector<const Unit*> out;
  for (const auto& [child_id, u] : units_) {
    if (u.parent_id == id) out.push_back(&u);
  }
  return out;
}

Status UnitSet::Check(const Unit& unit) const {
  Error invalid{Code::kInvalidArgument, "", {}};
  Error taken{Code::kAlreadyExists, "", {}};
  const Unit* stored = Find(unit.id);

  if (unit.name.empty()) invalid.With("name", "is required");
  if (unit.name_en && unit.name_en->empty())
    invalid.With("name_en", "must not be empty when given");

  if (!IsAgencyCode(unit.agency_code)) {
    invalid.With("agency_code", "must have the QCVN 102:2016 form 000.00.21.H12");
  } else if (const Unit* other = FindByAgencyCode(unit.agency_code);
             other && other->id != unit.id) {
    taken.With("agency_code", "already used by " + Describe(*other));
  }

  if (!IsStatsCodeFor(unit.kind, unit.stats_code)) {
    switch (unit.kind) {
      case Kind::kProvince:
        invalid.With("stats_code", "a province has a 2-digit code");
        break;
      case Kind::kDistrict:
        invalid.With("stats_code", "a district has a 3-digit code");
        break;
      case Kind::kCommune:
        invalid.With("stats_code", "a commune has a 5-digit code");
        break;
      default:
        invalid.With("stats_code", "must be empty for a " + std::string(KindName(unit.kind)));
    }
  } else if (const Unit* other = FindByStatsCode(unit.stats_code); other && other->id != unit.id) {
    // Statistics codes are never reused, even after the unit is retired.
    taken.With("stats_code", "already used by " + Describe(*other) + "; codes are never reused");
  }

  if (!unit.valid_from.ok()) invalid.With("valid_from", "is not a date");
  if (unit.valid_to && *unit.valid_to < unit.valid_from) {
    invalid.With("valid_to", "must not be before valid_from");
  }
  if (unit.kind == Kind::kDistrict) {
    if (!(unit.valid_from < kDistrictsAbolished)) {
      invalid.With("valid_from", "districts exist only before " + FormatDate(kDistrictsAbolished));
    } else if (!EndsBy(unit.valid_to, kDistrictsAbolished)) {
      invalid.With("valid_to", "a district must end by " + FormatDate(kDistrictsAbolished));
    }
  }

  if (unit.kind == Kind::kProvince) {
    if (unit.parent_id) invalid.With("parent_id", "a province has no parent");
  } else if (!unit.parent_id) {
    invalid.With("parent_id", "is required for a " + std::string(KindName(unit.kind)));
  } else if (const Unit* parent = Find(*unit.parent_id); parent == nullptr) {
    invalid.With("parent_id", "no unit " + std::to_string(*unit.parent_id));
  } else if (!ParentAllowed(unit.kind, parent->kind)) {
    invalid.With("parent_id", "a " + std::string(KindName(unit.kind)) + " cannot be below a " +
                                  std::string(KindName(parent->kind)));
  } else {
    // The parent must not be the unit itself or one of its descendants.
    bool cycle = false;
    std::set<std::int64_t> seen;
    for (const Unit* p = parent; p != nullptr && !cycle;
         p = p->parent_id ? Find(*p->parent_id) : nullptr) {
      cycle = p->id == unit.id || !seen.insert(p->id).second;
    }
    if (cycle) {
      invalid.With("parent_id", "would put the unit below itself");
    } else {
      if (unit.valid_from < parent->valid_from) {
        invalid.With("valid_from", "before its parent " + Describe(*parent) + " exists (" +
                                       FormatDate(parent->valid_from) + ")");
      }
      if (parent->valid_to && !EndsBy(unit.valid_to, *parent->valid_to)) {
        invalid.With("valid_to", "must end by " + FormatDate(*parent->valid_to) +
                                     ", when its parent " + Describe(*parent) + " ends");
      }
    }
  }

  if (stored != nullptr) {
    for (const Unit* child : ChildrenOf(unit.id)) {
      if (!ParentAllowed(child->kind, unit.kind)) {
        invalid.With("kind", Describe(*child) + " is a " + std::string(KindName(child->kind)) +
                                 " and cannot be below a " + std::string(KindName(unit.kind)));
      }
      if (child->valid_from < unit.valid_from) {
        invalid.With("valid_from",
                     Describe(*child) + " below it exists from " + FormatDate(child->valid_from));
      }
      if (unit.valid_to && !EndsBy(child->valid_to, *unit.valid_to)) {
        invalid.With("valid_to", Describe(*child) + " below it still exists on " +
                                     FormatDate(*unit.valid_to) + "; retire or move it first");
      }
    }
  }

  if (!invalid.fields.empty()) {
    invalid.fields.merge(taken.fields);
    invalid.message = "invalid unit";
    return Fail(std::move(invalid));
  }
  if (!taken.fields.empty()) {
    taken.message = "a code of this unit is already used";
    return Fail(std::move(taken));
  }
  return {};
}

Status UnitSet::CheckSuccessors(const Unit& unit, const std::vector<std::int64_t>& successors,
                                const std::string& field) const {
  if (successors.empty()) return {};
  if (!unit.valid_to) return InvalidField(field, "only a retired unit has successors");
  std::set<std::int64_t> seen;
  for (std::int64_t id : successors) {
    const Unit* s = Find(id);
    std::string problem;
    if (id == unit.id) {
      problem = "a unit cannot succeed itself";
    } else if (!seen.insert(id).second) {
      problem = "unit " + std::to_string(id) + " is listed twice";
    } else if (s == nullptr) {
      problem = "no unit " + std::to_string(id);
    } else if (!s->ActiveOn(*unit.valid_to)) {
      problem = Describe(*s) + " does not exist on " + FormatDate(*unit.valid_to);
    }
    if (!problem.empty()) return InvalidField(field, problem);
  }
  return {};
}

void UnitSet::Put(Unit unit) {
  MOTCUA_CHECK(unit.id != 0);
  if (const Unit* old = Find(unit.id)) {
    by_agency_code_.erase(old->agency_code);
    if (!old->stats_code.empty()) by_stats_code_.erase(old->stats_code);
  }
  by_agency_code_[unit.agency_code] = unit.id;
  if (!unit.stats_code.empty()) by_stats_code_[unit.stats_code] = unit.id;
  std::int64_t id = unit.id;
  units_.insert_or_assign(id, std::move(unit));
}

void UnitSet::Link(std::int64_t predecessor, std::int64_t successor) {
  auto p = units_.find(predecessor);
  auto s = units_.find(successor);
  MOTCUA_CHECK(p != units_.end() && s != units_.end());
  AddSorted(p->second.successors, successor);
  AddSorted(s->second.predecessors, predecessor);
}

std::vector<Unit> UnitSet::Units() const {
  std::vector<Unit> out;
  out.reserve(units_.size());
  for (const auto& [id, u] : units_) out.push_back(u);
  return out;
}

}  // namespace motcua::units
