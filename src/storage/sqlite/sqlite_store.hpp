// The SQLite Store: one file in WAL mode, one writer thread that group-commits
// the queued write callbacks, and a pool of read-only connections (the
// machinery is internal/batching_store.hpp).
//
// Durability: with StoreOptions::synchronous_full (the default) every commit
// fsyncs the WAL before any done() of its group runs, so an acknowledged
// write survives a power cut; with it off, a power cut may lose the last
// commits but never corrupts the file.
//
// Thread safety: as for Store; every method may be called from any thread.
#pragma once

#include <memory>
#include <span>
#include <string>

#include "storage/internal/batching_store.hpp"
#include "storage/migrations.hpp"
#include "storage/store.hpp"

namespace motcua::storage {

class SqliteStore final : public internal::BatchingStore {
 public:
  // Opens the database file at `path`, creating the file (not its folder).
  // `migrations` is what Migrate() applies and LatestSchemaVersion() counts;
  // tests pass their own list. The views must outlive the store.
  // Errors: kInvalidArgument (field "db") for an empty path or ":memory:"
  // (a pool of connections cannot share one), kUnavailable naming the path if
  // the folder does not exist or the file cannot be opened as a database,
  // kInternal if `migrations` is not numbered 1, 2, 3, ...
  static Result<std::unique_ptr<SqliteStore>> Open(
      const std::string& path, const StoreOptions& options = {},
      std::span<const Migration> migrations = SqliteMigrations());

  // Closes first: the writer thread calls this class's virtual functions.
  ~SqliteStore() override { Close(); }

  std::string_view engine() const override { return "sqlite"; }

 private:
  SqliteStore(const StoreOptions& options, std::span<const Migration> migrations)
      : BatchingStore(options, migrations) {}
  // IMMEDIATE: the write lock at once, not at the first write (no deadlock
  // with another process upgrading). A read's snapshot starts at its first
  // read and holds until COMMIT.
  std::string_view BeginWriteSql() const override { return "BEGIN IMMEDIATE"; }
  std::string_view BeginReadSql() const override { return "BEGIN"; }
  Result<bool> HasMigrationsTable(Tx& tx) override;
  std::uint64_t EngineHeapBytes() const override;
};

}  // namespace motcua::storage
