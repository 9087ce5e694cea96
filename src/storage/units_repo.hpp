// Rows of the units tables (migration 0001_units.sql) and the SQL that reads
// and writes them. Services own the transaction and the rules (UnitSet);
// these functions only run statements inside it and turn rows into values.
//
// Thread safety: as the Tx they are given (one thread, inside the callback).
// Errors: those of Tx (kAlreadyExists for a taken agency or stats code), and
// kInternal for a row that cannot be read back (an unknown kind, a bad date).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "core/units/unit.hpp"
#include "storage/store.hpp"

namespace motcua::storage::units {

using motcua::units::Date;
using motcua::units::Unit;

// Every unit with its links, ascending id.
[[nodiscard]] Result<std::vector<Unit>> LoadAll(Tx& tx);
// One unit with its links; nullopt if there is none with this id.
[[nodiscard]] Result<std::optional<Unit>> Get(Tx& tx, std::int64_t id);
[[nodiscard]] Result<std::optional<Unit>> FindByAgencyCode(Tx& tx, std::string_view code);

// Stores a new unit (unit.id and its links are ignored); returns its id.
[[nodiscard]] Result<std::int64_t> Insert(Tx& tx, const Unit& unit);
// Rewrites every column of the stored unit unit.id (links untouched).
// kNotFound if there is no such unit.
[[nodiscard]] Status Update(Tx& tx, const Unit& unit);
// Sets valid_to = `date` and links the unit to each successor from that day.
// kNotFound if there is no such unit.
[[nodiscard]] Status Retire(Tx& tx, std::int64_t id, Date date,
                            const std::vector<std::int64_t>& successors);
// Adds predecessor -> successor from `effective` (idempotent).
[[nodiscard]] Status AddLink(Tx& tx, std::int64_t predecessor, std::int64_t successor,
                             Date effective);

}  // namespace motcua::storage::units
