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
// A column value or a bound parameter: NULL, INTEGER, REAL or TEXT (a BLOB
// column reads as its bytes in a std::string; a string always binds as TEXT).
using Value = std::variant<Null, std::int64_t, double, std::string>;
using Params = std::vector<Value>;

class Row {
 public:
  explicit Row(std::vector<Value> cols) : cols_(std::move(cols)) {}
  std::size_t size() const { return cols_.size(); }
  bool IsNull(std::size_t i) const { return std::holds_alternative<Null>(cols_.at(i)); }
  // Typed accessors; a NULL reads as 0 / "" (use the Opt* forms to tell).
  // Int accepts an integral REAL and Real accepts an INTEGER; asking for a
  // number of a TEXT column, or text of a number, is a bug in the caller's
  // SQL and fails a CHECK (as does an index out of range).
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

// One open transaction. Each call runs exactly one statement whose
// placeholders are $1..$n, n == params.size() (a mismatch is kInternal);
// BEGIN/COMMIT/ROLLBACK/SAVEPOINT belong to the store and are refused.
// Errors: kAlreadyExists for a unique-constraint violation,
// kFailedPrecondition for other constraint violations, kUnavailable when the
// database cannot be reached, kInvalidArgument for a TEXT parameter holding a
// NUL byte (PostgreSQL cannot store one, so neither engine accepts it),
// kInternal otherwise (bad SQL, a write in a read transaction).
// After a failed statement a callback should return an error: PostgreSQL
// refuses further statements until its savepoint is rolled back.
class Tx {
 public:
  virtual ~Tx() = default;
  virtual Result<Rows> Query(std::string_view sql, const Params& params = {}) = 0;
  // Returns the number of rows changed.
  virtual Result<std::int64_t> Exec(std::string_view sql, const Params& params = {}) = 0;
  virtual bool writable() const = 0;

  // What a statement given to Send must do: change exactly `rows` rows (if
  // set); when it does not, the error is `otherwise` (if set, else kInternal).
  struct Expect {
    std::optional<std::int64_t> rows;
    std::optional<Error> otherwise;
  };
  // A statement whose answer the callback does not wait for: an INSERT or an
  // UPDATE that should succeed. PostgreSQL gets it at once and answers it
  // with the next statement that is waited for, so a run of them costs one
  // round trip. Its error (a failure, or a row count other than expected)
  // comes back from this call (SQLite runs it at once), or from the next
  // Query or Exec, or fails the write when the callback returns. So a
  // callback must not read an error of a later Query or Exec as that
  // statement's own when it has sent statements before it. Refused in a
  // read transaction.
  virtual Status Send(std::string_view sql, const Params& params = {}, Expect expect = {});

  // Facts this transaction learned that its later statements may trust
  // without reading them again: the head of the event chain it appended to.
  // Only a writing transaction has one; the store forgets it when the
  // transaction ends and when a callback's savepoint is rolled back.
  struct Memo {
    std::optional<std::int64_t> last_event_seq;
    std::string last_event_hash;
  };
  Memo* memo() { return writable() ? &memo_ : nullptr; }
  void ForgetMemo() { memo_ = Memo{}; }  // the store's

 private:
  Memo memo_;
};

using TxFn = std::function<Status(Tx&)>;
using DoneFn = std::function<void(Status)>;

// Monotonic counters since the store was opened, for /metrics. Each field is
// read atomically; the set as a whole is not one snapshot.
struct StoreStats {
  std::uint64_t reads = 0;          // Read() calls that got a connection
  std::uint64_t writes = 0;         // write callbacks run
  std::uint64_t commits = 0;        // transactions committed (one per group)
  std::uint64_t write_errors = 0;   // write callbacks whose done got an error
  std::uint64_t read_micros = 0;    // time inside Read(), including the wait for a connection
  std::uint64_t write_micros = 0;   // time running write callbacks
  std::uint64_t commit_micros = 0;  // time in COMMIT (the fsync)
  // Memory the database library holds in this process now, mostly its page
  // caches (SQLite: sqlite3_memory_used(), every connection of the process;
  // PostgreSQL's is the server's: 0). A gauge, unlike the counters above.
  std::uint64_t engine_heap_bytes = 0;
};

struct StoreOptions {
  int read_connections = 4;      // size of the read pool
  int max_batch = 512;           // most write callbacks in one group commit
  bool synchronous_full = true;  // SQLite: fsync the WAL on every commit
};

class Store {
 public:
  virtual ~Store() = default;

  // Opens "sqlite:PATH" (the file is created if missing, its folder must
  // exist) or "postgresql://user:password@host:port/database" (libpq's
  // connection URI). Errors: kInvalidArgument (field "db") for an unknown
  // scheme or an empty path, kUnavailable if the database cannot be reached.
  static Result<std::unique_ptr<Store>> Open(std::string_view url,
                                             const StoreOptions& options = {});

  // Applies the numbered migrations not yet applied, each in its own
  // transaction, in order. Idempotent. Errors: kFailedPrecondition if the
  // database has a version newer than this binary knows (nothing is applied);
  // a failing migration is rolled back and its error returned (the ones
  // before it stay applied).
  virtual Status Migrate() = 0;
  // Highest applied migration number (0 for an empty database).
  virtual Result<int> SchemaVersion() = 0;
  // Number of migrations this binary knows.
  virtual int LatestSchemaVersion() const = 0;

  // Runs fn in a read-only snapshot on a pooled connection, on this thread,
  // waiting for a free connection if all are busy. Returns fn's status.
  // Writes inside fn fail with kInternal ("read-only transaction"). fn may
  // call Write/WriteSync, but not Read: with every connection leased, the
  // nested Read would wait forever.
  virtual Status Read(const TxFn& fn) = 0;

  // Queues fn for the writer; done(status) runs after the group's commit is
  // durable (or with fn's error, or the commit's), on the store's completion
  // thread (not the writer's), the dones of one group in queue order and
  // groups in commit order. done should be quick (it holds up the dones
  // after it) and must not call WriteSync. After Close, done runs at once on
  // the calling thread with kUnavailable. done may be empty. Close returns
  // after every done has run.
  virtual void Write(TxFn fn, DoneFn done) = 0;

  // Blocking form of Write, for commands and tests. Never call it from
  // inside a Write callback or a done function.
  Status WriteSync(TxFn fn);

  // Finishes queued writes, waits for reads in progress, then closes every
  // connection; later calls fail with kUnavailable. Idempotent. Never call it
  // from inside a callback or a done function.
  virtual void Close() = 0;

  virtual std::string_view engine() const = 0;  // "sqlite" or "postgresql"

  // Cheap (a few atomic loads); callable from any thread, also after Close.
  virtual StoreStats Stats() const = 0;
};

}  // namespace motcua::storage
