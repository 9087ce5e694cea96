#include "storage/sqlite/sqlite_store.hpp"

#include <sqlite3.h>

#include <filesystem>
#include <utility>

#include "storage/sqlite/internal/connection.hpp"

namespace motcua::storage {

using internal::Connection;

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                       const StoreOptions& options,
                                                       std::span<const Migration> migrations) {
  if (path.empty()) return InvalidField("db", "the SQLite URL needs a file path: sqlite:PATH");
  if (path == ":memory:") {
    return InvalidField("db", "an in-memory SQLite database cannot be shared by a connection pool");
  }
  MOTCUA_TRY_VOID(CheckArguments(options, migrations));
  std::filesystem::path folder = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (!folder.empty() && !std::filesystem::is_directory(folder, ec)) {
    return Fail(Code::kUnavailable, "the database folder does not exist: " + folder.string());
  }

  std::unique_ptr<SqliteStore> store(new SqliteStore(options, migrations));
  // The writer first: it creates the file and switches it to WAL, which the
  // read-only connections need.
  std::unique_ptr<internal::EngineConnection> writer =
      MOTCUA_TRY(Connection::Open(path, Connection::Mode::kWrite, options));
  std::vector<std::unique_ptr<internal::EngineConnection>> readers;
  for (int i = 0; i < options.read_connections; ++i)
    readers.push_back(MOTCUA_TRY(Connection::Open(path, Connection::Mode::kRead, options)));
  store->Start(std::move(writer), std::move(readers));
  return store;
}

Result<bool> SqliteStore::HasMigrationsTable(Tx& tx) {
  auto tables = MOTCUA_TRY(tx.Query(
      "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"));
  return tables.at(0).Int(0) != 0;
}

std::uint64_t SqliteStore::EngineHeapBytes() const {
  return static_cast<std::uint64_t>(sqlite3_memory_used());
}

}  // namespace motcua::storage
