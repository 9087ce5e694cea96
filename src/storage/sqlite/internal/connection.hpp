// A SQLite connection with its prepared-statement cache, and the Tx that runs
// statements on it. Private to the SQLite backend.
//
// Thread safety: none. A Connection is used by one thread at a time (the
// writer thread, or the reader that leased it from the pool).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.hpp"
#include "storage/internal/batching_store.hpp"
#include "storage/store.hpp"

namespace motcua::storage::internal {

// Maps a SQLite result code (extended codes on) to an Error; `what` says
// what was being done ("prepare", "COMMIT", ...). kInternal errors are logged.
Error SqliteError(sqlite3* db, int rc, std::string_view what);

class SqliteTx;

class Connection final : public EngineConnection {
 public:
  enum class Mode { kWrite, kRead };

  // Opens `path` (created if missing in kWrite mode) and applies the pragmas.
  // Errors: kUnavailable naming the path.
  static Result<std::unique_ptr<Connection>> Open(const std::string& path, Mode mode,
                                                  const StoreOptions& options);
  ~Connection() override;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more statements without parameters (BEGIN, COMMIT, pragmas).
  // Transaction control is allowed here.
  Status ExecScript(std::string_view sql, std::string_view what);

  // Runs one parameterless transaction-control statement (BEGIN, COMMIT,
  // SAVEPOINT x, RELEASE x, ROLLBACK TO x) through a statement prepared once
  // per connection: every read and every write callback runs two of these,
  // and parsing them each time cost more than the statements between.
  Status Control(std::string_view sql, std::string_view what) override;

  // Runs a migration script statement by statement, refusing transaction
  // control (the store wraps the script in its own transaction).
  Status RunScript(std::string_view sql) override;

  // Runs one statement through the cache. Rows are collected only if `rows`
  // is not null; returns the number of rows changed.
  Result<std::int64_t> Run(std::string_view sql, const Params& params, bool allow_writes,
                           Rows* rows);

  // True while a transaction is open (SQLite may roll one back on its own
  // after an I/O error or a full disk).
  bool InTransaction() const override { return sqlite3_get_autocommit(db_) == 0; }
  void RollbackQuietly() override { (void)ExecScript("ROLLBACK", "ROLLBACK"); }
  Tx& tx(bool writable) override;

 private:
  struct Cached;
  struct Lease;

  // Lets the cache be searched with a string_view, without a copy.
  struct SqlHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  explicit Connection(sqlite3* db);
  Result<Cached*> Prepare(std::string_view sql, std::unique_ptr<Cached>* uncached);

  sqlite3* db_;
  std::unique_ptr<SqliteTx> write_tx_, read_tx_;
  std::unordered_map<std::string, std::unique_ptr<Cached>, SqlHash, std::equal_to<>> cache_;
  std::unordered_map<std::string, std::unique_ptr<Cached>, SqlHash, std::equal_to<>> control_;
};

// A Tx over one Connection; the store opens and ends the transaction.
class SqliteTx final : public Tx {
 public:
  SqliteTx(Connection& conn, bool writable) : conn_(conn), writable_(writable) {}
  Result<Rows> Query(std::string_view sql, const Params& params) override;
  Result<std::int64_t> Exec(std::string_view sql, const Params& params) override;
  bool writable() const override { return writable_; }
  // For migrations: a whole script of statements without parameters.
  Status RunScript(std::string_view sql) { return conn_.RunScript(sql); }

 private:
  Connection& conn_;
  bool writable_;
};

}  // namespace motcua::storage::internal
