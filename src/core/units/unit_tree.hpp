// An immutable snapshot of every unit, retired ones included, for fast reads.
//
// IsSameOrBelow is O(1): each unit gets the interval of its subtree in a
// pre-order walk of the parent links (Euler tour). The tree follows parent
// links only; a retired unit is not "below" its successor (use
// CurrentSuccessors to map old units to today's).
//
// Thread safety: immutable after construction; share it freely
// (std::shared_ptr<const UnitTree>).
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "core/accounts/principal.hpp"
#include "core/units/unit.hpp"

namespace motcua::units {

class UnitTree final : public accounts::UnitHierarchy {
 public:
  UnitTree() = default;
  // `units` should satisfy UnitSet's rules; a unit whose parent is missing is
  // treated as a root, and a parent cycle is broken rather than looped on.
  explicit UnitTree(std::vector<Unit> units);

  // False if either id is unknown.
  bool IsSameOrBelow(std::int64_t unit, std::int64_t ancestor) const override;
  // A known unit with no parent (a province).
  bool IsTopLevel(std::int64_t unit) const override {
    const Unit* u = Find(unit);
    return u != nullptr && !u->parent_id;
  }

  const Unit* Find(std::int64_t id) const;
  // Every unit, ascending id.
  const std::vector<Unit>& units() const { return units_; }
  std::size_t size() const { return units_.size(); }

  // Direct children (retired ones too), ascending id; empty if unknown.
  std::vector<std::int64_t> Children(std::int64_t id) const;
  // Parent first, root last; empty for a root or an unknown id.
  std::vector<std::int64_t> Ancestors(std::int64_t id) const;
  // The unit and everything below it, parents before children.
  std::vector<std::int64_t> Subtree(std::int64_t id) const;
  // False for an unknown id.
  bool ActiveOn(std::int64_t id, Date day) const;
  // The units that stand for `id` on `today`: {id} if it exists today, else
  // its successors followed transitively to the ones that exist today
  // (ascending, no duplicates). Empty if the chain ends nowhere.
  std::vector<std::int64_t> CurrentSuccessors(std::int64_t id, Date today) const;

 private:
  std::vector<Unit> units_;                              // ascending id
  std::unordered_map<std::int64_t, std::size_t> index_;  // id -> position in units_
  std::vector<std::vector<std::size_t>> children_;       // positions, ascending id
  std::vector<std::size_t> order_;                       // positions in pre-order
  std::vector<std::size_t> enter_;                       // position -> index in order_
  std::vector<std::size_t> leave_;                       // one past the subtree's last
};

}  // namespace motcua::units
