// The storage interface: what services see of the database.
//
// A Store hands out transactions (Tx) that run portable SQL with $1..$n
// parameters; the SQL the repositories write is the common subset of SQLite
// and PostgreSQL (ON CONFLICT, RETURNING, no AUTOINCREMENT tricks), so core and
// services never know which engine is underneath.
//
// Writes go through one writer (SQLite: a dedicated thread) that groups the
// callbacks queued meanwhile into one transaction, each callback in its own
// savepoint, and calls every `done` only after the commit is durable
// (group commit). A callback that fails rolls back its savepoint only.
//
// Thread safety: Store methods may be called from any thread. A Tx is valid
// only inside the callback it was passed to, on that thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/result.hpp"

namespace motcua::storage {

struct Null {
  bool operator==(const Null&) const = default;
};
// A column value or a bound parameter: NULL, INTEGER, REAL or TEXT.
using Value = std::variant<Null, std::int64_t, double, std::string>;
using Params = std::vector<Value>;

class Row {
 public:
  explicit Row(std::vector<Value> cols) : cols_(std::move(cols)) {}
  std::size_t size() const { return cols_.size(); }
  bool IsNull(std::size_t i) const { return std::holds_alternative<Null>(cols_.at(i)); }
  // Typed accessors; a NULL reads as 0 / "" (use the Opt* forms to tell).
  std::int64_t Int(std::size_t i) const;
  double Real(std::size_t i) const;
  const std::string& Text(std::size_t i) const;
  std::optional<std::int64_t> OptInt(std::size_t i) const;
  std::optional<std::string> OptText(std::size_t i) const;
  const Value& at(std::size_t i) const { return cols_.at(i); }

 private:
  std::vector<Value> cols_;
};
using Rows = std::vector<Row>;

// One open transaction. Errors: kAlreadyExists for a unique-constraint
// violation, kFailedPrecondition for other constraint violations,
// kUnavailable when the database cannot be reached, kInternal otherwise.
class Tx {
 public:
  virtual ~Tx() = default;
  virtual Result<Rows> Query(std::string_view sql, const Params& params = {}) = 0;
  // Returns the number of rows changed.
  virtual Result<std::int64_t> Exec(std::string_view sql, const Params& params = {}) = 0;
  virtual bool writable() const = 0;
};

using TxFn = std::function<Status(Tx&)>;
using DoneFn = std::function<void(Status)>;

struct StoreOptions {
  int read_connections = 4;        // size of the read pool
  int max_batch = 512;             // most write callbacks in one group commit
  bool synchronous_full = true;    // SQLite: fsync the WAL on every commit
};

class Store {
 public:
  virtual ~Store() = default;

  // Opens "sqlite:PATH" (the file is created if missing) or, later,
  // "postgresql://...". Errors: kInvalidArgument for an unknown scheme,
  // kUnavailable if the database cannot be opened.
  static Result<std::unique_ptr<Store>> Open(std::string_view url, const StoreOptions& options = {});

  // Applies the numbered migrations not yet applied, each in its own
  // transaction. Idempotent.
  virtual Status Migrate() = 0;
  // Highest applied migration number (0 for an empty database).
  virtual Result<int> SchemaVersion() = 0;
  // Number of migrations this binary knows.
  virtual int LatestSchemaVersion() const = 0;

  // Runs fn in a read-only snapshot on a pooled connection, on this thread.
  virtual Status Read(const TxFn& fn) = 0;

  // Queues fn for the writer; done(status) runs on the writer thread after
  // the group's commit is durable (or with fn's error, or the commit's).
  // done must be cheap and must not call Write/WriteSync.
  virtual void Write(TxFn fn, DoneFn done) = 0;

  // Blocking form of Write, for commands and tests. Never call it from
  // inside a Write callback or a done function.
  Status WriteSync(TxFn fn);

  // Finishes queued writes, then closes every connection. Idempotent.
  virtual void Close() = 0;

  virtual std::string_view engine() const = 0;  // "sqlite" or "postgresql"
};

}  // namespace motcua::storage
