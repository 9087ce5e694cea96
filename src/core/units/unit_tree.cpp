#include "core/units/unit_tree.hpp"

#include <algorithm>
#include <set>
#include <utility>

namespace motcua::units {

UnitTree::UnitTree(std::vector<Unit> units) : units_(std::move(units)) {
  std::sort(units_.begin(), units_.end(), [](const Unit& a, const Unit& b) { return a.id < b.id; });
  const std::size_t n = units_.size();
  index_.reserve(n);
  for (std::size_t i = 0; i < n; ++i) index_.emplace(units_[i].id, i);

  children_.assign(n, {});
  std::vector<bool> is_root(n, true);
  for (std::size_t i = 0; i < n; ++i) {
    if (!units_[i].parent_id) continue;
    auto p = index_.find(*units_[i].parent_id);
    if (p == index_.end() || p->second == i) continue;
    children_[p->second].push_back(i);
    is_root[i] = false;
  }

  // Iterative pre-order walk: recursion depth would follow the data.
  enter_.assign(n, 0);
  leave_.assign(n, 0);
  order_.reserve(n);
  std::vector<bool> visited(n, false);
  auto walk = [&](std::size_t root) {
    std::vector<std::pair<std::size_t, std::size_t>> stack{{root, 0}};
    visited[root] = true;
    enter_[root] = order_.size();
    order_.push_back(root);
    while (!stack.empty()) {
      auto& [node, next] = stack.back();
      if (next < children_[node].size()) {
        std::size_t child = children_[node][next++];
        if (visited[child]) continue;
        visited[child] = true;
        enter_[child] = order_.size();
        order_.push_back(child);
        stack.emplace_back(child, 0);
      } else {
        leave_[node] = order_.size();
        stack.pop_back();
      }
    }
  };
  for (std::size_t i = 0; i < n; ++i) {
    if (is_root[i]) walk(i);
  }
  // Only units caught in a parent cycle are left; storage rules out cycles,
  // but a snapshot must never loop or lose a unit.
  for (std::size_t i = 0; i < n; ++i) {
    if (!visited[i]) walk(i);
  }
}

const Unit* UnitTree::Find(std::int64_t id) const {
  auto it = index_.find(id);
  return it == index_.end() ? nullptr : &units_[it->second];
}

bool UnitTree::IsSameOrBelow(std::int64_t unit, std::int64_t ancestor) const {
  auto u = index_.find(unit);
  auto a = index_.find(ancestor);
  if (u == index_.end() || a == index_.end()) return false;
  return enter_[a->second] <= enter_[u->second] && enter_[u->second] < leave_[a->second];
}

std::vector<std::int64_t> UnitTree::Children(std::int64_t id) const {
  std::vector<std::int64_t> out;
  auto it = index_.find(id);
  if (it == index_.end()) return out;
  for (std::size_t c : children_[it->second]) out.push_back(units_[c].id);
  return out;
}

std::vector<std::int64_t> UnitTree::Ancestors(std::int64_t id) const {
  std::vector<std::int64_t> out;
  std::set<std::int64_t> seen{id};
  for (const Unit* u = Find(id); u != nullptr && u->parent_id;) {
    const Unit* parent = Find(*u->parent_id);
    if (parent == nullptr || !seen.insert(parent->id).second) break;
    out.push_back(parent->id);
    u = parent;
  }
  return out;
}

std::vector<std::int64_t> UnitTree::Subtree(std::int64_t id) const {
  std::vector<std::int64_t> out;
  auto it = index_.find(id);
  if (it == index_.end()) return out;
  for (std::size_t k = enter_[it->second]; k < leave_[it->second]; ++k) {
    out.push_back(units_[order_[k]].id);
  }
  return out;
}

bool UnitTree::ActiveOn(std::int64_t id, Date day) const {
  const Unit* u = Find(id);
  return u != nullptr && u->ActiveOn(day);
}

std::vector<std::int64_t> UnitTree::CurrentSuccessors(std::int64_t id, Date today) const {
  std::set<std::int64_t> found;
  std::set<std::int64_t> seen;
  std::vector<std::int64_t> pending{id};
  while (!pending.empty()) {
    std::int64_t next = pending.back();
    pending.pop_back();
    if (!seen.insert(next).second) continue;
    const Unit* u = Find(next);
    if (u == nullptr) continue;
    if (u->ActiveOn(today)) {
      found.insert(next);
      continue;
    }
    pending.insert(pending.end(), u->successors.begin(), u->successors.end());
  }
  return {found.begin(), found.end()};
}

}  // namespace motcua::units
