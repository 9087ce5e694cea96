// Rows of the procedures table (migration 0003_catalog.sql) and the SQL that
// reads and writes them. Services own the transaction and the rules
// (core/catalog/catalog.hpp); these functions only run statements inside it.
//
// Thread safety: as the Tx they are given (one thread, inside the callback).
// Errors: those of Tx (kAlreadyExists for a taken code and version), and
// kInternal for a row that cannot be read back (an unknown enum value, a bad
// date, malformed JSON).
#pragma once

#include <cstdint>
#include <vector>

#include "common/result.hpp"
#include "core/catalog/procedure.hpp"
#include "storage/store.hpp"

namespace motcua::storage::catalog {

using motcua::catalog::Procedure;

// Every version of every procedure, ascending code then version.
[[nodiscard]] Result<std::vector<Procedure>> LoadAll(Tx& tx);
// Stores a new version (procedure.id is ignored); returns its id.
[[nodiscard]] Result<std::int64_t> Insert(Tx& tx, const Procedure& procedure);
// Rewrites every column of the stored version procedure.id. kNotFound if
// there is no such row.
[[nodiscard]] Status Update(Tx& tx, const Procedure& procedure);

}  // namespace motcua::storage::catalog
