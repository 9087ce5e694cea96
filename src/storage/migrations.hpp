// Numbered schema migrations, embedded into the binary at build time from
// src/storage/migrations/<engine>/NNNN_name.sql (see migrations/README.md).
//
// Thread safety: the lists are immutable static data.
#pragma once

#include <span>
#include <string_view>

namespace motcua::storage {

struct Migration {
  int version;            // NNNN of the file name; 1, 2, 3, ... without gaps
  std::string_view name;  // the file name's "name" part
  std::string_view sql;   // the file's bytes, one or more statements
};

// The SQLite and the PostgreSQL migrations, ordered by version; the same
// numbers make the same schema on both. The views point at static data.
std::span<const Migration> SqliteMigrations();
std::span<const Migration> PostgresMigrations();

}  // namespace motcua::storage
