// What the SQLite and PostgreSQL stores share: one writer thread that groups
// the queued write callbacks into one transaction, each in its own
// savepoint (group commit); a completion thread that runs the done callbacks
// of each committed group in order; a pool of read connections; the
// numbered migrations. An engine supplies its connections and a few
// statements. Private to the storage module.
//
// Thread safety: as for Store.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "storage/migrations.hpp"
#include "storage/store.hpp"

namespace motcua::storage::internal {

// Whether `sql` starts with BEGIN, COMMIT, END, ROLLBACK, SAVEPOINT or
// RELEASE: the store owns those (around each callback), and a callback that
// ran one would break the group commit.
bool IsTransactionControl(std::string_view sql);

// One database connection as the shared store code drives it. Used by one
// thread at a time.
class EngineConnection {
 public:
  virtual ~EngineConnection() = default;
  // One transaction-control statement: BEGIN..., COMMIT, SAVEPOINT x,
  // RELEASE x, ROLLBACK TO x.
  // Waits for its answer, and for those of statements sent before it: the
  // first of their errors is returned (a statement after a failed one is not
  // run).
  virtual Status Control(std::string_view sql, std::string_view what) = 0;
  // The same without waiting: its error comes with the next answer waited
  // for (PostgreSQL's pipeline); by default it runs at once.
  virtual Status ControlLater(std::string_view sql, std::string_view what) {
    return Control(sql, what);
  }
  // Waits for the answers of every statement sent and not yet answered;
  // returns the first error among them.
  virtual Status Settle() { return {}; }
  // Sends what is queued without waiting for the answers (Settle reads them
  // later, by then arrived).
  virtual void Flush() {}
  // False once the engine ended the transaction on its own (SQLite after an
  // I/O error) or the connection is lost.
  virtual bool InTransaction() const = 0;
  // Ends any open transaction, ignoring errors.
  virtual void RollbackQuietly() = 0;
  // A migration script of several statements without parameters, inside the
  // store's transaction; refuses transaction control.
  virtual Status RunScript(std::string_view sql) = 0;
  // The Tx that runs statements on this connection.
  virtual Tx& tx(bool writable) = 0;
  // Whether the connection to the server was lost (a PostgreSQL restart);
  // Reconnect() opens it again, or says why it cannot (kUnavailable).
  // Reads what the server sent meanwhile (a terminated session says so),
  // without waiting.
  virtual bool Broken() { return false; }
  virtual Status Reconnect() { return {}; }
};

class BatchingStore : public Store {
 public:
  ~BatchingStore() override;
  BatchingStore(const BatchingStore&) = delete;
  BatchingStore& operator=(const BatchingStore&) = delete;

  Status Migrate() override;
  Result<int> SchemaVersion() override;
  int LatestSchemaVersion() const override;
  Status Read(const TxFn& fn) override;
  void Write(TxFn fn, DoneFn done) override;
  void Close() override;
  StoreStats Stats() const override;

 protected:
  // Errors: kInvalidArgument for a pool or batch size below 1, kInternal if
  // `migrations` is not numbered 1, 2, 3, ...
  static Status CheckArguments(const StoreOptions& options, std::span<const Migration> migrations);
  BatchingStore(const StoreOptions& options, std::span<const Migration> migrations);
  // Takes the connections and starts the threads; once, from Open.
  void Start(std::unique_ptr<EngineConnection> writer,
             std::vector<std::unique_ptr<EngineConnection>> readers);

  // The statement that opens a write group ("BEGIN IMMEDIATE") and a read
  // snapshot ("BEGIN").
  virtual std::string_view BeginWriteSql() const = 0;
  virtual std::string_view BeginReadSql() const = 0;
  // Whether schema_migrations exists, in a read transaction.
  virtual Result<bool> HasMigrationsTable(Tx& tx) = 0;
  // Serialises migrations across processes, inside the write transaction
  // (SQLite's write lock does it already).
  virtual Status LockForMigration(Tx&) { return {}; }
  // StoreStats::engine_heap_bytes; thread safe.
  virtual std::uint64_t EngineHeapBytes() const { return 0; }

  const StoreOptions options_;

 private:
  struct WriteOp {
    TxFn fn;
    DoneFn done;
  };
  class ReadLease;

  void WriterLoop();
  void RunBatch(std::vector<WriteOp>& batch);
  void CompleterLoop();
  Status RunInSavepoint(const TxFn& fn);
  // Opens a transaction with `begin`, first connecting again if the
  // connection was lost, and once more if BEGIN itself finds it lost: no
  // statement of the callbacks has run yet, so nothing is repeated.
  static Status Begin(EngineConnection& conn, std::string_view begin);

  const std::span<const Migration> migrations_;

  // Writer: the queue and its state, guarded by write_mu_.
  std::unique_ptr<EngineConnection> writer_conn_;  // writer thread only
  std::mutex write_mu_;
  std::condition_variable write_cv_;
  std::deque<WriteOp> queue_;
  bool write_closed_ = false;
  std::thread writer_;

  // Completion: the done callbacks of each finished batch, in order, on a
  // thread of their own, so that the writer starts the next batch at once
  // (answering a request, which a done does, was a third of the writer's
  // time). Guarded by done_mu_.
  struct Finished {
    std::vector<WriteOp> ops;
    std::vector<Status> results;
  };
  std::mutex done_mu_;
  std::condition_variable done_cv_;
  std::deque<Finished> finished_;
  bool done_closed_ = false;
  std::thread completer_;

  // Read pool, guarded by read_mu_.
  std::vector<std::unique_ptr<EngineConnection>> readers_;  // owns them
  std::mutex read_mu_;
  std::condition_variable read_cv_;
  std::vector<EngineConnection*> idle_readers_;
  int leased_readers_ = 0;
  bool read_closed_ = false;

  std::mutex close_mu_;  // serialises Close() callers
  bool closed_ = false;  // guarded by close_mu_

  struct Counters {
    std::atomic<std::uint64_t> reads{0}, writes{0}, commits{0}, write_errors{0};
    std::atomic<std::uint64_t> read_micros{0}, write_micros{0}, commit_micros{0};
  };
  Counters counters_;
};

}  // namespace motcua::storage::internal
