// The PostgreSQL Store: the same group commit as SQLite (one writer
// connection, each callback in a savepoint, every done after the commit),
// a pool of read connections in REPEATABLE READ READ ONLY snapshots, and the
// numbered migrations serialised across processes by an advisory lock, as are
// the writing transactions.
//
// Durability is the server's: with its default synchronous_commit = on, a
// COMMIT returns after the WAL is flushed, so every done() of a group runs
// after its writes are durable.
//
// Store::Open takes "postgresql://..." URLs to here, with PostgresMigrations().
// A lost connection fails what was running on it with kUnavailable and is
// opened again at its next transaction (BatchingStore::Begin).
#pragma once

#include <memory>
#include <span>
#include <string>

#include "storage/internal/batching_store.hpp"
#include "storage/migrations.hpp"
#include "storage/store.hpp"

namespace motcua::storage {

class PostgresStore final : public internal::BatchingStore {
 public:
  // Connects 1 + options.read_connections times to `url`
  // (postgresql://user:password@host:port/database). Errors: kUnavailable
  // with libpq's reason; kInvalidArgument or kInternal as CheckArguments.
  static Result<std::unique_ptr<PostgresStore>> Open(const std::string& url,
                                                     const StoreOptions& options,
                                                     std::span<const Migration> migrations);

  // Closes first: the writer thread calls this class's virtual functions.
  ~PostgresStore() override { Close(); }

  std::string_view engine() const override { return "postgresql"; }

 private:
  PostgresStore(const StoreOptions& options, std::span<const Migration> migrations)
      : BatchingStore(options, migrations) {}
  // One writing transaction at a time across every process on the database,
  // as on SQLite: the event log is one hash chain (each event names the one
  // before it), and its next link must be read and written by one writer.
  // A group commit holds the lock for its whole batch, so the cost is one
  // lock per group. READ COMMITTED inside: a conditional UPDATE sees the
  // latest committed row, which is what the optimistic versions need.
  std::string_view BeginWriteSql() const override {
    return "BEGIN; SELECT pg_advisory_xact_lock(7268202)";
  }
  std::string_view BeginReadSql() const override {
    return "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
  }
  Result<bool> HasMigrationsTable(Tx& tx) override;
  Status LockForMigration(Tx& tx) override;
};

}  // namespace motcua::storage
