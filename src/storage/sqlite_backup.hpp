// A consistent copy of a live SQLite database file, for `motcua backup` and
// `motcua restore`.
//
// SQLite's online backup API (sqlite.org/backup.html) copies the database
// page by page inside one read transaction on a connection of its own: the
// copy is the database as committed when it began, while the server goes on
// writing (WAL mode lets a reader and the writer work at once; checkpoints
// wait for the reader). The copy is written to "<to>.partial", fsynced, and
// renamed into place, its folder fsynced: a crash leaves either no file at
// `to` or the whole copy.
//
// Thread safety: a free function with connections of its own; call it from
// any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace motcua::storage {

// Copies the database file `from` into `to`, which must not exist.
// Errors: kAlreadyExists (field "to") if it does; kUnavailable naming the
// file if either cannot be opened, read or written (a full disk among them).
[[nodiscard]] Status BackupSqliteFile(const std::string& from, const std::string& to);

// Lower-case hex SHA-256 of the file at `path`, read in blocks (a database
// file may be larger than memory). Errors: kUnavailable naming the file.
[[nodiscard]] Result<std::string> FileSha256Hex(const std::string& path);

// The file of a "sqlite:PATH" URL; nullopt for any other scheme.
std::optional<std::string> SqliteFileOf(std::string_view url);

}  // namespace motcua::storage
