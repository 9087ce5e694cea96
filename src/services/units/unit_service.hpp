// Use cases on administrative units: list and read them (from an in-memory
// snapshot), create, edit, retire and import them (in write transactions).
//
// Reads never touch the database: they use the UnitTree snapshot, which every
// successful write replaces atomically once its commit is durable. Writes
// load the units inside their transaction, so they judge a change against
// the committed state even when several writes are queued together.
//
// Thread safety: every method may be called from any thread; readers never
// block. Write methods block the caller until the commit is durable and must
// not be called from a Store callback.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "core/units/unit.hpp"
#include "core/units/unit_set.hpp"
#include "core/units/unit_tree.hpp"
#include "storage/store.hpp"

namespace motcua::units {

struct ListFilter {
  std::optional<std::int64_t> parent_id;  // direct children of this unit only
  std::optional<Kind> kind;
  std::optional<Date> as_of;     // units existing on this day; default today (UTC+7)
  bool include_retired = false;  // true: ignore as_of, list every unit ever
};

struct UnitDetail {
  Unit unit;                       // with predecessors and successors
  std::size_t children_count = 0;  // direct children existing today
};

// Fields left empty are unchanged. Kind and parent may change when the tree
// stays valid (UnitSet::Check); valid_to changes only through Retire.
struct UnitPatch {
  std::optional<std::string> name;
  std::optional<std::optional<std::string>> name_en;  // {nullopt}: clear it
  std::optional<std::string> agency_code;
  std::optional<std::string> stats_code;
  std::optional<Kind> kind;
  std::optional<std::optional<std::int64_t>> parent_id;  // {nullopt}: no parent
  std::optional<Date> valid_from;
};

struct ImportCounts {
  std::size_t units_created = 0;
  std::size_t links_created = 0;
};

// Asked, inside the import's transaction, about every stored unit that an
// imported row is placed below (nullopt for a row without a parent); an
// error fails the whole import with that error. Must be cheap.
using ImportGuard = std::function<Status(std::optional<std::int64_t> stored_parent)>;

class UnitService {
 public:
  // `store` and `clock` must outlive the service. The snapshot starts empty:
  // call Reload() before serving.
  UnitService(storage::Store& store, const Clock& clock);

  // Reads every unit into a new snapshot. Errors: those of the store.
  [[nodiscard]] Status Reload();

  // The current snapshot; never null. Keep it as long as needed.
  std::shared_ptr<const UnitTree> Tree() const;
  // Today's date in Vietnam (UTC+7), from the injected clock.
  Date Today() const;

  // Matching units, ascending id. kNotFound if filter.parent_id is unknown.
  [[nodiscard]] Result<std::vector<Unit>> List(const ListFilter& filter) const;
  // kNotFound if there is no such unit.
  [[nodiscard]] Result<UnitDetail> Get(std::int64_t id) const;

  // Stores a new unit (its id and links are ignored) and returns it with its
  // id. Errors: kInvalidArgument / kAlreadyExists naming the fields
  // (UnitSet::Check).
  [[nodiscard]] Result<Unit> Create(Unit unit);
  // kNotFound, or UnitSet::Check's errors for the patched unit.
  [[nodiscard]] Result<Unit> Update(std::int64_t id, const UnitPatch& patch);
  // Ends the unit on `date` (its first day without it) and links it to
  // `successor_ids`, which must exist on that day. The unit stays, for its
  // old dossiers. Retiring a retired unit on its own valid_to only adds the
  // links. kNotFound; kFailedPrecondition if it is already retired on
  // another day or a unit below it still exists on `date` (named in the
  // message);
  // kInvalidArgument naming "date" or "successor_ids".
  [[nodiscard]] Result<Unit> Retire(std::int64_t id, Date date,
                                    std::vector<std::int64_t> successor_ids);
  // Imports a CSV file (see core/units/csv_import.hpp) all or nothing, in one
  // transaction. Errors: kInvalidArgument listing every problem by line and
  // column, or the guard's error.
  [[nodiscard]] Result<ImportCounts> ImportCsv(std::string_view text,
                                               const ImportGuard& guard = nullptr);

 private:
  // Runs `change` on the units loaded inside a write transaction; after a
  // durable commit, publishes the tree of the set as `change` left it.
  Status Mutate(const std::function<Status(storage::Tx&, UnitSet&)>& change);
  void Publish(std::uint64_t generation, std::shared_ptr<const UnitTree> tree);

  storage::Store& store_;
  const Clock& clock_;
  std::atomic<std::shared_ptr<const UnitTree>> tree_;
  // Writes may finish in a different order than their callbacks ran; a tree
  // is published only if it is newer than the one in place.
  std::atomic<std::uint64_t> next_generation_{1};
  std::mutex publish_mu_;
  std::uint64_t published_generation_ = 0;  // guarded by publish_mu_
};

}  // namespace motcua::units
