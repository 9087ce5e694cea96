#include "storage/internal/batching_store.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <exception>
#include <iterator>
#include <utility>

#include "common/log.hpp"

namespace motcua::storage::internal {
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr std::string_view kClosed = "the database is closed";

// Adds the time between construction and destruction to a counter.
class ScopedTimer {
 public:
  explicit ScopedTimer(std::atomic<std::uint64_t>& micros)
      : micros_(micros), start_(SteadyClock::now()) {}
  ~ScopedTimer() {
    auto elapsed =
        std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() - start_);
    micros_.fetch_add(static_cast<std::uint64_t>(elapsed.count()), std::memory_order_relaxed);
  }
  ScopedTimer(const ScopedTimer&) = delete;
  ScopedTimer& operator=(const ScopedTimer&) = delete;

 private:
  std::atomic<std::uint64_t>& micros_;
  SteadyClock::time_point start_;
};

// RFC 3339 UTC to the second, for schema_migrations.applied_at.
std::string NowUtc() {
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string MigrationLabel(const Migration& m) {
  char digits[16];
  std::snprintf(digits, sizeof digits, "%04d", m.version);
  return std::string(digits) + "_" + std::string(m.name);
}

// Callbacks come from other modules; one that throws must not take the
// writer thread (and with it every pending write) down.
template <class F>
Status Guarded(F&& f, std::string_view what) {
  try {
    return f();
  } catch (const std::exception& e) {
    log::Error("storage callback threw", {{"what", what}, {"error", e.what()}});
    return Fail(Code::kInternal, std::string(what) + " threw: " + e.what());
  } catch (...) {
    log::Error("storage callback threw", {{"what", what}});
    return Fail(Code::kInternal, std::string(what) + " threw");
  }
}

constexpr std::string_view kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)";
constexpr std::string_view kMaxVersion = "SELECT coalesce(max(version), 0) FROM schema_migrations";

}  // namespace

// A read connection taken from the pool; gives it back, with any transaction
// a throwing callback left open rolled back.
class BatchingStore::ReadLease {
 public:
  ReadLease(BatchingStore& store, EngineConnection* conn) : store_(store), conn_(conn) {}
  // The transaction was ended (its COMMIT may still be on its way).
  void Ended() { ended_ = true; }
  ~ReadLease() {
    if (!ended_ && conn_->InTransaction()) conn_->RollbackQuietly();
    {
      std::lock_guard lock(store_.read_mu_);
      store_.idle_readers_.push_back(conn_);
      --store_.leased_readers_;
    }
    store_.read_cv_.notify_all();
  }
  ReadLease(const ReadLease&) = delete;
  ReadLease& operator=(const ReadLease&) = delete;

 private:
  BatchingStore& store_;
  EngineConnection* conn_;
  bool ended_ = false;
};

bool IsTransactionControl(std::string_view sql) {
  std::size_t i = 0;
  while (i < sql.size() && std::isspace(static_cast<unsigned char>(sql[i]))) ++i;
  std::size_t j = i;
  while (j < sql.size() && std::isalpha(static_cast<unsigned char>(sql[j]))) ++j;
  std::string word(sql.substr(i, j - i));
  for (char& c : word) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  static constexpr std::array<std::string_view, 6> kControl = {"BEGIN",    "COMMIT",    "END",
                                                               "ROLLBACK", "SAVEPOINT", "RELEASE"};
  return std::find(kControl.begin(), kControl.end(), word) != kControl.end();
}

BatchingStore::BatchingStore(const StoreOptions& options, std::span<const Migration> migrations)
    : options_(options), migrations_(migrations) {}

BatchingStore::~BatchingStore() { Close(); }

Status BatchingStore::CheckArguments(const StoreOptions& options,
                                     std::span<const Migration> migrations) {
  if (options.read_connections < 1 || options.max_batch < 1) {
    return Fail(Code::kInvalidArgument, "read_connections and max_batch must be at least 1");
  }
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i) + 1) {
      return Fail(Code::kInternal, "migrations must be numbered 1, 2, 3, ...; found " +
                                       std::to_string(migrations[i].version) + " at position " +
                                       std::to_string(i + 1));
    }
  }
  return {};
}

void BatchingStore::Start(std::unique_ptr<EngineConnection> writer,
                          std::vector<std::unique_ptr<EngineConnection>> readers) {
  writer_conn_ = std::move(writer);
  readers_ = std::move(readers);
  for (auto& r : readers_) idle_readers_.push_back(r.get());
  writer_ = std::thread(&BatchingStore::WriterLoop, this);
  completer_ = std::thread(&BatchingStore::CompleterLoop, this);
}

Status BatchingStore::Begin(EngineConnection& conn, std::string_view begin) {
  if (conn.Broken()) MOTCUA_TRY_VOID(conn.Reconnect());
  Status st = conn.Control(begin, "BEGIN");
  if (st || !conn.Broken()) return st;
  MOTCUA_TRY_VOID(conn.Reconnect());
  return conn.Control(begin, "BEGIN");
}

void BatchingStore::Write(TxFn fn, DoneFn done) {
  {
    std::lock_guard lock(write_mu_);
    if (!write_closed_) {
      queue_.push_back(WriteOp{std::move(fn), std::move(done)});
      write_cv_.notify_one();
      return;
    }
  }
  if (done) done(Fail(Code::kUnavailable, std::string(kClosed)));
}

void BatchingStore::WriterLoop() {
  std::vector<WriteOp> batch;
  for (;;) {
    {
      std::unique_lock lock(write_mu_);
      write_cv_.wait(lock, [&] { return !queue_.empty() || write_closed_; });
      if (queue_.empty()) return;  // closed and drained
      auto n = static_cast<std::ptrdiff_t>(
          std::min(queue_.size(), static_cast<std::size_t>(options_.max_batch)));
      batch.assign(std::make_move_iterator(queue_.begin()),
                   std::make_move_iterator(queue_.begin() + n));
      queue_.erase(queue_.begin(), queue_.begin() + n);
    }
    RunBatch(batch);
    batch.clear();
  }
}

Status BatchingStore::RunInSavepoint(const TxFn& fn) {
  EngineConnection& conn = *writer_conn_;
  Tx& tx = conn.tx(true);
  // PostgreSQL: the savepoint goes with the callback's first statement, the
  // callback's own answers are all in before its fate is decided, and the
  // release goes with the next callback's first statement (or the COMMIT).
  // A failed release fails the transaction, so also the COMMIT.
  MOTCUA_TRY_VOID(conn.ControlLater("SAVEPOINT write_fn", "SAVEPOINT"));
  Status status = Guarded([&] { return fn(tx); }, "write callback");
  if (status) status = conn.Settle();
  if (status) status = conn.ControlLater("RELEASE write_fn", "RELEASE");
  if (status) return status;
  (void)conn.Settle();  // answers of statements the failed callback sent
  tx.ForgetMemo();
  if (!conn.InTransaction()) return status;  // the engine rolled everything back
  (void)conn.Control("ROLLBACK TO write_fn", "ROLLBACK TO");
  (void)conn.Control("RELEASE write_fn", "RELEASE");
  return status;
}

void BatchingStore::RunBatch(std::vector<WriteOp>& batch) {
  EngineConnection& conn = *writer_conn_;
  std::vector<Status> results(batch.size());
  auto fail_all = [&](const Error& error, bool keep_own_errors) {
    for (Status& r : results) {
      if (r || !keep_own_errors) r = Fail(error);
    }
  };

  conn.tx(true).ForgetMemo();
  if (Status begin = Begin(conn, BeginWriteSql()); !begin) {
    fail_all(begin.error(), false);
  } else {
    std::size_t ran = 0;
    {
      ScopedTimer timer(counters_.write_micros);
      while (ran < batch.size()) {
        results[ran] = RunInSavepoint(batch[ran].fn);
        ++ran;
        if (!conn.InTransaction()) break;
      }
    }
    if (!conn.InTransaction()) {
      // An I/O error, a full disk or a lost connection ended the whole
      // transaction: the callbacks that succeeded were lost with it.
      const Status& cause = results[ran - 1];
      std::string why = cause ? std::string("the transaction was rolled back")
                              : "the transaction was rolled back: " + cause.error().message;
      fail_all(Error{Code::kUnavailable, why, {}}, true);
    } else {
      Status commit;
      {
        ScopedTimer timer(counters_.commit_micros);
        commit = conn.Control("COMMIT", "COMMIT");
      }
      if (commit) {
        counters_.commits.fetch_add(1, std::memory_order_relaxed);
      } else {
        fail_all(commit.error(), false);
        if (conn.InTransaction()) conn.RollbackQuietly();
      }
    }
  }

  counters_.writes.fetch_add(batch.size(), std::memory_order_relaxed);
  for (const Status& r : results)
    if (!r) counters_.write_errors.fetch_add(1, std::memory_order_relaxed);
  {
    std::lock_guard lock(done_mu_);
    finished_.push_back(Finished{std::move(batch), std::move(results)});
  }
  done_cv_.notify_one();
}

void BatchingStore::CompleterLoop() {
  for (;;) {
    Finished next;
    {
      std::unique_lock lock(done_mu_);
      done_cv_.wait(lock, [&] { return !finished_.empty() || done_closed_; });
      if (finished_.empty()) return;  // closed and drained
      next = std::move(finished_.front());
      finished_.pop_front();
    }
    for (std::size_t i = 0; i < next.ops.size(); ++i) {
      if (!next.ops[i].done) continue;
      (void)Guarded(
          [&]() -> Status {
            next.ops[i].done(std::move(next.results[i]));
            return {};
          },
          "done callback");
    }
  }
}

Status BatchingStore::Read(const TxFn& fn) {
  ScopedTimer timer(counters_.read_micros);
  EngineConnection* conn = nullptr;
  {
    std::unique_lock lock(read_mu_);
    read_cv_.wait(lock, [&] { return !idle_readers_.empty() || read_closed_; });
    if (read_closed_) return Fail(Code::kUnavailable, std::string(kClosed));
    conn = idle_readers_.back();
    idle_readers_.pop_back();
    ++leased_readers_;
  }
  ReadLease lease(*this, conn);
  counters_.reads.fetch_add(1, std::memory_order_relaxed);

  // PostgreSQL: BEGIN goes with the callback's first statement and COMMIT
  // with the next read's on this connection, so that a read of one
  // statement is one round trip. A connection found lost before BEGIN is
  // opened again; one lost meanwhile fails this read (kUnavailable).
  (void)conn->Settle();  // the last read's COMMIT, answered meanwhile
  if (conn->Broken()) MOTCUA_TRY_VOID(conn->Reconnect());
  MOTCUA_TRY_VOID(conn->ControlLater(BeginReadSql(), "BEGIN"));
  Status status = fn(conn->tx(false));
  if (!status) return status;  // the lease rolls back
  // A read-only transaction has nothing to lose: the answer is not awaited.
  lease.Ended();
  Status commit = conn->ControlLater("COMMIT", "COMMIT READ");
  conn->Flush();
  return commit;
}

void BatchingStore::Close() {
  std::lock_guard close_lock(close_mu_);
  if (closed_) return;
  closed_ = true;
  {
    std::lock_guard lock(write_mu_);
    write_closed_ = true;
  }
  write_cv_.notify_all();
  if (writer_.joinable()) writer_.join();
  // Every batch the writer finished is answered before Close returns.
  {
    std::lock_guard lock(done_mu_);
    done_closed_ = true;
  }
  done_cv_.notify_all();
  if (completer_.joinable()) completer_.join();
  {
    std::unique_lock lock(read_mu_);
    read_closed_ = true;
    read_cv_.notify_all();
    read_cv_.wait(lock, [&] { return leased_readers_ == 0; });
    idle_readers_.clear();
  }
  readers_.clear();
  // Last (SQLite: closing it checkpoints the WAL into the main file).
  writer_conn_.reset();
}

Status BatchingStore::Migrate() {
  MOTCUA_TRY_VOID(WriteSync([this](Tx& tx) -> Status {
    MOTCUA_TRY_VOID(LockForMigration(tx));
    MOTCUA_TRY_VOID(tx.Exec(kCreateMigrationsTable));
    return {};
  }));
  const int latest = LatestSchemaVersion();
  auto newer = [latest](std::int64_t found) {
    return Fail(Code::kFailedPrecondition,
                "the database schema is at version " + std::to_string(found) + ", newer than the " +
                    std::to_string(latest) + " this binary knows; run a newer motcua on it");
  };
  const int current = MOTCUA_TRY(SchemaVersion());
  if (current > latest) return newer(current);

  for (const Migration& m : migrations_) {
    if (m.version <= current) continue;
    bool refused = false;
    Status status = WriteSync([&](Tx& tx) -> Status {
      // Checked again under the write lock: another process may have
      // migrated in the meantime.
      MOTCUA_TRY_VOID(LockForMigration(tx));
      auto rows = MOTCUA_TRY(tx.Query(kMaxVersion));
      std::int64_t now_at = rows.at(0).Int(0);
      if (now_at > latest) {
        refused = true;
        return newer(now_at);
      }
      if (now_at >= m.version) return {};
      MOTCUA_TRY_VOID(writer_conn_->RunScript(m.sql));
      MOTCUA_TRY_VOID(
          tx.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                  {std::int64_t{m.version}, std::string(m.name), NowUtc()}));
      return {};
    });
    if (!status) {
      Error error = status.error();
      if (!refused) error.message = "migration " + MigrationLabel(m) + " failed: " + error.message;
      log::Error("migration failed", {{"migration", MigrationLabel(m)}, {"error", error.message}});
      return Fail(std::move(error));
    }
    log::Info("migration applied", {{"migration", MigrationLabel(m)}});
  }
  return {};
}

Result<int> BatchingStore::SchemaVersion() {
  int version = 0;
  MOTCUA_TRY_VOID(Read([&](Tx& tx) -> Status {
    if (!MOTCUA_TRY(HasMigrationsTable(tx))) return {};
    auto rows = MOTCUA_TRY(tx.Query(kMaxVersion));
    version = static_cast<int>(rows.at(0).Int(0));
    return {};
  }));
  return version;
}

int BatchingStore::LatestSchemaVersion() const {
  return migrations_.empty() ? 0 : migrations_.back().version;
}

StoreStats BatchingStore::Stats() const {
  auto load = [](const std::atomic<std::uint64_t>& a) { return a.load(std::memory_order_relaxed); };
  return StoreStats{load(counters_.reads),         load(counters_.writes),
                    load(counters_.commits),       load(counters_.write_errors),
                    load(counters_.read_micros),   load(counters_.write_micros),
                    load(counters_.commit_micros), EngineHeapBytes()};
}

}  // namespace motcua::storage::internal
