// The SQLite Store: one file in WAL mode, one writer thread that group-commits
// the queued write callbacks, and a pool of read-only connections.
//
// Durability: with StoreOptions::synchronous_full (the default) every commit
// fsyncs the WAL before any done() of its group runs, so an acknowledged
// write survives a power cut; with it off, a power cut may lose the last
// commits but never corrupts the file.
//
// Thread safety: as for Store; every method may be called from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "storage/migrations.hpp"
#include "storage/store.hpp"

namespace motcua::storage {

namespace internal {
class Connection;
}

class SqliteStore final : public Store {
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

  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  Status Migrate() override;
  Result<int> SchemaVersion() override;
  int LatestSchemaVersion() const override;
  Status Read(const TxFn& fn) override;
  void Write(TxFn fn, DoneFn done) override;
  void Close() override;
  std::string_view engine() const override { return "sqlite"; }
  StoreStats Stats() const override;

 private:
  struct WriteOp {
    TxFn fn;
    DoneFn done;
  };
  class ReadLease;

  SqliteStore(std::string path, const StoreOptions& options,
              std::span<const Migration> migrations);
  void WriterLoop();
  void RunBatch(std::vector<WriteOp>& batch);
  void CompleterLoop();
  Status RunInSavepoint(const TxFn& fn);

  const std::string path_;
  const StoreOptions options_;
  const std::span<const Migration> migrations_;

  // Writer: the queue and its state, guarded by write_mu_.
  std::unique_ptr<internal::Connection> writer_conn_;  // writer thread only
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
  std::vector<std::unique_ptr<internal::Connection>> readers_;  // owns them
  std::mutex read_mu_;
  std::condition_variable read_cv_;
  std::vector<internal::Connection*> idle_readers_;
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

}  // namespace motcua::storage
