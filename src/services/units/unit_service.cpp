#include "services/units/unit_service.hpp"

#include <algorithm>
#include <future>
#include <map>
#include <utility>

#include "core/units/csv_import.hpp"
#include "storage/units_repo.hpp"

namespace motcua::units {
namespace {

namespace repo = storage::units;

// Vietnam has kept UTC+7 without daylight saving since 1975.
constexpr std::chrono::hours kVietnamOffset{7};

std::string Describe(const Unit& u) {
  return "unit " + std::to_string(u.id) + " '" + u.name + "' (" + u.agency_code + ")";
}

Result<Unit> Lookup(const UnitSet& set, std::int64_t id) {
  const Unit* u = set.Find(id);
  if (u == nullptr) return Fail(Code::kNotFound, "no unit " + std::to_string(id));
  return *u;
}

}  // namespace

UnitService::UnitService(storage::Store& store, const Clock& clock)
    : store_(store), clock_(clock), tree_(std::make_shared<const UnitTree>()) {}

Status UnitService::Reload() {
  const std::uint64_t generation = next_generation_.fetch_add(1);
  std::vector<Unit> units;
  MOTCUA_TRY_VOID(store_.Read([&](storage::Tx& tx) -> Status {
    units = MOTCUA_TRY(repo::LoadAll(tx));
    return {};
  }));
  Publish(generation, std::make_shared<const UnitTree>(std::move(units)));
  return {};
}

std::shared_ptr<const UnitTree> UnitService::Tree() const { return tree_.load(); }

Date UnitService::Today() const {
  return Date{std::chrono::floor<std::chrono::days>(clock_.Now() + kVietnamOffset)};
}

void UnitService::Publish(std::uint64_t generation, std::shared_ptr<const UnitTree> tree) {
  std::lock_guard lock(publish_mu_);
  if (generation <= published_generation_) return;
  published_generation_ = generation;
  tree_.store(std::move(tree));
}

Status UnitService::Mutate(const std::function<Status(storage::Tx&, UnitSet&)>& change) {
  struct Outcome {
    std::uint64_t generation = 0;
    std::shared_ptr<const UnitTree> tree;
  };
  auto outcome = std::make_shared<Outcome>();
  // Shared with the done callback: the waiting thread may return (and drop
  // its references) while set_value is still running on the writer.
  auto finished = std::make_shared<std::promise<Status>>();
  auto result = finished->get_future();
  store_.Write(
      [this, &change, outcome](storage::Tx& tx) -> Status {
        UnitSet set(MOTCUA_TRY(repo::LoadAll(tx)));
        MOTCUA_TRY_VOID(change(tx, set));
        // Callbacks run one at a time on the writer, so this order is the
        // commit order.
        outcome->generation = next_generation_.fetch_add(1);
        outcome->tree = std::make_shared<const UnitTree>(set.Units());
        return {};
      },
      [this, outcome, finished](Status status) {
        if (status && outcome->tree) Publish(outcome->generation, std::move(outcome->tree));
        finished->set_value(std::move(status));
      });
  return result.get();
}

Result<std::vector<Unit>> UnitService::List(const ListFilter& filter) const {
  auto tree = Tree();
  if (filter.parent_id && tree->Find(*filter.parent_id) == nullptr) {
    return Fail(Code::kNotFound, "no unit " + std::to_string(*filter.parent_id));
  }
  const Date day = filter.as_of.value_or(Today());
  std::vector<Unit> out;
  for (const Unit& u : tree->units()) {
    if (filter.parent_id && u.parent_id != filter.parent_id) continue;
    if (filter.kind && u.kind != *filter.kind) continue;
    if (!filter.include_retired && !u.ActiveOn(day)) continue;
    out.push_back(u);
  }
  return out;
}

Result<UnitDetail> UnitService::Get(std::int64_t id) const {
  auto tree = Tree();
  const Unit* u = tree->Find(id);
  if (u == nullptr) return Fail(Code::kNotFound, "no unit " + std::to_string(id));
  UnitDetail detail{*u, 0};
  const Date today = Today();
  for (std::int64_t child : tree->Children(id))
    detail.children_count += tree->ActiveOn(child, today);
  return detail;
}

Result<Unit> UnitService::Create(Unit unit) {
  unit.id = 0;
  unit.predecessors.clear();
  unit.successors.clear();
  MOTCUA_TRY_VOID(Mutate([&unit](storage::Tx& tx, UnitSet& set) -> Status {
    MOTCUA_TRY_VOID(set.Check(unit));
    unit.id = MOTCUA_TRY(repo::Insert(tx, unit));
    set.Put(unit);
    return {};
  }));
  return unit;
}

Result<Unit> UnitService::Update(std::int64_t id, const UnitPatch& patch) {
  Unit updated;
  MOTCUA_TRY_VOID(Mutate([&](storage::Tx& tx, UnitSet& set) -> Status {
    updated = MOTCUA_TRY(Lookup(set, id));
    if (patch.name) updated.name = *patch.name;
    if (patch.name_en) updated.name_en = *patch.name_en;
    if (patch.agency_code) updated.agency_code = *patch.agency_code;
    if (patch.stats_code) updated.stats_code = *patch.stats_code;
    if (patch.kind) updated.kind = *patch.kind;
    if (patch.parent_id) updated.parent_id = *patch.parent_id;
    if (patch.valid_from) updated.valid_from = *patch.valid_from;
    MOTCUA_TRY_VOID(set.Check(updated));
    MOTCUA_TRY_VOID(repo::Update(tx, updated));
    set.Put(updated);
    return {};
  }));
  return updated;
}

Result<Unit> UnitService::Retire(std::int64_t id, Date date,
                                 std::vector<std::int64_t> successor_ids) {
  std::sort(successor_ids.begin(), successor_ids.end());
  Unit retired;
  MOTCUA_TRY_VOID(Mutate([&](storage::Tx& tx, UnitSet& set) -> Status {
    retired = MOTCUA_TRY(Lookup(set, id));
    // Retiring again on the same day only adds successors: districts, for
    // one, are created with their end date already set.
    if (retired.valid_to && *retired.valid_to != date) {
      return Fail(Code::kFailedPrecondition,
                  Describe(retired) + " is already retired from " + FormatDate(*retired.valid_to));
    }
    if (date < retired.valid_from) {
      return InvalidField("date",
                          "before the unit exists (" + FormatDate(retired.valid_from) + ")");
    }
    // Children first: a retired district must not leave communes behind
    // that still claim it as their parent.
    for (const Unit* child : set.ChildrenOf(id)) {
      if (!child->valid_to || date < *child->valid_to) {
        return Fail(Code::kFailedPrecondition,
                    Describe(*child) + " below it still exists on " + FormatDate(date) +
                        "; retire it or move it to another parent first");
      }
    }
    retired.valid_to = date;
    MOTCUA_TRY_VOID(set.Check(retired));
    MOTCUA_TRY_VOID(set.CheckSuccessors(retired, successor_ids));
    MOTCUA_TRY_VOID(repo::Retire(tx, id, date, successor_ids));
    set.Put(retired);
    for (std::int64_t s : successor_ids) set.Link(id, s);
    retired = *set.Find(id);
    return {};
  }));
  return retired;
}

Result<ImportCounts> UnitService::ImportCsv(std::string_view text, const ImportGuard& guard) {
  ImportCounts counts;
  MOTCUA_TRY_VOID(Mutate([&](storage::Tx& tx, UnitSet& set) -> Status {
    ImportPlan plan = MOTCUA_TRY(PlanImport(text, set));
    if (guard) {
      for (const Unit& u : plan.units) {
        if (!u.parent_id || *u.parent_id > 0) MOTCUA_TRY_VOID(guard(u.parent_id));
      }
    }
    // Placeholder ids (negative) become the ids the database hands out.
    std::map<std::int64_t, std::int64_t> ids;
    auto real = [&ids](std::int64_t id) { return id < 0 ? ids.at(id) : id; };
    for (Unit u : plan.units) {
      const std::int64_t placeholder = u.id;
      if (u.parent_id) u.parent_id = real(*u.parent_id);
      ids[placeholder] = MOTCUA_TRY(repo::Insert(tx, u));
    }
    for (const ImportPlan::Link& link : plan.links) {
      MOTCUA_TRY_VOID(
          repo::AddLink(tx, real(link.predecessor), real(link.successor), link.effective));
    }
    counts = {plan.units.size(), plan.links.size()};
    set = UnitSet(MOTCUA_TRY(repo::LoadAll(tx)));
    return {};
  }));
  return counts;
}

}  // namespace motcua::units
