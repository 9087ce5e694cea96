// Copying a province's database from one store to another (`motcua copy`):
// SQLite to PostgreSQL when a province outgrows one machine, or back.
//
// Every table of the schema is copied row for row, in foreign-key order,
// from one read snapshot of the source (what was committed when the copy
// began), into a target migrated to the same schema version that holds no
// rows yet. Identifiers are kept, so links, dossier numbers and the hash
// chain of the event log stay as they were; PostgreSQL's identity sequences
// are moved past the copied ids. The target is written in transactions of
// kCopyBatch rows: a copy that fails halfway leaves a partial target, which a
// second copy refuses (it is not empty); start again on an empty database.
//
// Attachment bytes are files in the data folder, not rows: they stay where
// they are, and the servers on the target must use the same folder.
//
// Thread safety: call from one thread; both stores must be open and not
// Closed meanwhile.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "storage/store.hpp"

namespace motcua::storage {

inline constexpr int kCopyBatch = 1000;

struct CopiedTable {
  std::string name;
  std::int64_t rows = 0;
};

struct CopyReport {
  std::vector<CopiedTable> tables;  // in the order copied
  std::int64_t rows() const;
};

// Called after each batch written: the table and its rows copied so far.
using CopyProgress = std::function<void(std::string_view table, std::int64_t rows)>;

// Errors: kFailedPrecondition if the source's schema is not the one this
// binary knows (migrate it first, or use a newer binary), if either side has
// a table this binary does not know or the two sides' columns differ, or if
// the target already holds rows (naming the table); the stores' errors
// otherwise.
Result<CopyReport> CopyDatabase(Store& from, Store& to, const CopyProgress& progress = {});

// The tables of the schema, in the order they are copied (each after the
// tables it refers to); schema_migrations is each side's own.
const std::vector<std::string_view>& CopiedTables();

}  // namespace motcua::storage
