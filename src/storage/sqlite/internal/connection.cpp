#include "storage/sqlite/internal/connection.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstring>
#include <utility>

#include "common/log.hpp"

namespace motcua::storage::internal {
namespace {

// Statements cached per connection. The repositories use a few hundred
// distinct statements at most; the cap only guards against a caller that
// builds SQL text dynamically, whose statements then run uncached.
constexpr std::size_t kMaxCachedStatements = 512;

// SQLite's default SQLITE_MAX_VARIABLE_NUMBER since 3.32; no $n can exceed it.
constexpr int kMaxParameter = 32766;

// Waiting this long for a lock held by another process (a backup, the
// `motcua migrate` command) rides out short holds but gives up well before
// an HTTP client would, so the request gets a clear 503 instead of hanging.
constexpr int kBusyTimeoutMillis = 5000;

// Page cache per connection, in KiB (negative cache_size means KiB). The
// writer keeps the hot B-tree pages of the projections it updates; readers
// keep the dashboard and lookup working set. With the default pool of 4
// readers that is about 96 MiB at most, fine on a small provincial server.
constexpr int kWriterCacheKib = 32 * 1024;
constexpr int kReaderCacheKib = 16 * 1024;
// 64 GiB of address space per reader (a province's database is a few GiB;
// x86-64 user space is 128 TiB).
constexpr long long kReaderMmapBytes = 64LL << 30;

Value ColumnValue(sqlite3_stmt* stmt, int c) {
  switch (sqlite3_column_type(stmt, c)) {
    case SQLITE_INTEGER:
      return static_cast<std::int64_t>(sqlite3_column_int64(stmt, c));
    case SQLITE_FLOAT:
      return sqlite3_column_double(stmt, c);
    case SQLITE_TEXT: {
      const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
      int n = sqlite3_column_bytes(stmt, c);
      return p ? std::string(p, static_cast<std::size_t>(n)) : std::string();
    }
    case SQLITE_BLOB: {
      const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt, c));
      int n = sqlite3_column_bytes(stmt, c);
      return p ? std::string(p, static_cast<std::size_t>(n)) : std::string();
    }
    default:
      return Null{};
  }
}

}  // namespace

Error SqliteError(sqlite3* db, int rc, std::string_view what) {
  std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  std::string message = std::string(what) + ": " + detail;
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return Error{Code::kAlreadyExists, std::move(message), {}};
  }
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
      return Error{Code::kFailedPrecondition, std::move(message), {}};
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_FULL:
      log::Warn("sqlite unavailable", {{"what", what}, {"code", rc}, {"error", detail}});
      return Error{Code::kUnavailable, std::move(message), {}};
    default:
      log::Error("sqlite error", {{"what", what}, {"code", rc}, {"error", detail}});
      return Error{Code::kInternal, std::move(message), {}};
  }
}

struct Connection::Cached {
  sqlite3_stmt* stmt = nullptr;
  std::vector<int> slots;  // slots[k - 1] is SQLite's index of $k
  bool read_only = false;
  bool transaction_control = false;

  Cached() = default;
  Cached(const Cached&) = delete;
  Cached& operator=(const Cached&) = delete;
  ~Cached() { sqlite3_finalize(stmt); }
};

// Resets a statement after use so it holds no read lock and no bindings
// (the bindings point into the caller's Params).
struct Connection::Lease {
  sqlite3_stmt* stmt;
  ~Lease() {
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
  }
};

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path, Mode mode,
                                                     const StoreOptions& options) {
  // NOMUTEX: the store guarantees one thread per connection at a time.
  int flags =
      SQLITE_OPEN_NOMUTEX |
      (mode == Mode::kWrite ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY);
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return Fail(Code::kUnavailable, "cannot open database " + path + ": " + detail);
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, kBusyTimeoutMillis);
  std::unique_ptr<Connection> conn(new Connection(db));

  auto fail = [&](const Error& e) {
    return Fail(Code::kUnavailable, "cannot open database " + path + ": " + e.message);
  };
  std::string pragmas = "PRAGMA foreign_keys=ON; PRAGMA cache_size=-" +
                        std::to_string(mode == Mode::kWrite ? kWriterCacheKib : kReaderCacheKib) +
                        ";";
  if (mode == Mode::kWrite) {
    Rows rows;
    auto wal = conn->Run("PRAGMA journal_mode=WAL", {}, true, &rows);
    if (!wal) return fail(wal.error());
    // A file system without shared memory (some network mounts) keeps the
    // old mode; readers would then block the writer, so refuse.
    if (rows.empty() || rows[0].Text(0) != "wal") {
      return Fail(Code::kUnavailable,
                  "cannot open database " + path + ": WAL journal mode is not available");
    }
    pragmas +=
        options.synchronous_full ? " PRAGMA synchronous=FULL;" : " PRAGMA synchronous=NORMAL;";
  } else {
    // Belt and braces with SQLITE_OPEN_READONLY.
    pragmas += " PRAGMA query_only=ON;";
    // Readers map the file instead of copying pages in with pread: the
    // public lookup and the inboxes are point reads, for which the system
    // call and the copy were a fifth of the cost. Address space only; the
    // kernel's page cache holds the pages either way.
    pragmas += " PRAGMA mmap_size=" + std::to_string(kReaderMmapBytes) + ";";
  }
  auto applied = conn->ExecScript(pragmas, "pragmas");
  if (!applied) return fail(applied.error());
  if (mode == Mode::kRead) {
    // The read-only open succeeds even on a file that is not a database;
    // reading the schema is what finds out.
    auto probe = conn->Run("SELECT count(*) FROM sqlite_master", {}, false, nullptr);
    if (!probe) return fail(probe.error());
  }
  return conn;
}

Connection::Connection(sqlite3* db)
    : db_(db),
      write_tx_(std::make_unique<SqliteTx>(*this, true)),
      read_tx_(std::make_unique<SqliteTx>(*this, false)) {}

Tx& Connection::tx(bool writable) { return writable ? *write_tx_ : *read_tx_; }

Connection::~Connection() {
  cache_.clear();
  control_.clear();
  sqlite3_close_v2(db_);
}

Status Connection::ExecScript(std::string_view sql, std::string_view what) {
  std::string text(sql);  // sqlite3_exec needs a terminating NUL
  char* message = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  sqlite3_free(message);  // the same text is still available from sqlite3_errmsg
  if (rc != SQLITE_OK) return Fail(SqliteError(db_, rc, what));
  return {};
}

Status Connection::Control(std::string_view sql, std::string_view what) {
  auto it = control_.find(sql);
  if (it == control_.end()) {
    auto entry = std::make_unique<Cached>();
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &entry->stmt, nullptr);
    if (rc != SQLITE_OK || entry->stmt == nullptr) return Fail(SqliteError(db_, rc, what));
    it = control_.emplace(std::string(sql), std::move(entry)).first;
  }
  sqlite3_stmt* stmt = it->second->stmt;
  int rc = sqlite3_step(stmt);
  sqlite3_reset(stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) return Fail(SqliteError(db_, rc, what));
  return {};
}

Status Connection::RunScript(std::string_view sql) {
  const char* next = sql.data();
  const char* end = sql.data() + sql.size();
  while (next < end) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(db_, next, static_cast<int>(end - next), &stmt, &next);
    if (rc != SQLITE_OK) return Fail(SqliteError(db_, rc, "prepare"));
    if (stmt == nullptr) break;  // only blanks or comments were left
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> owned(stmt, sqlite3_finalize);
    if (IsTransactionControl(sqlite3_sql(stmt))) {
      return Fail(Code::kInternal,
                  "a migration must not control transactions: " + std::string(sqlite3_sql(stmt)));
    }
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) return Fail(SqliteError(db_, rc, "step"));
  }
  return {};
}

Result<Connection::Cached*> Connection::Prepare(std::string_view sql,
                                                std::unique_ptr<Cached>* uncached) {
  if (auto it = cache_.find(sql); it != cache_.end()) return it->second.get();

  bool cache = cache_.size() < kMaxCachedStatements;
  auto entry = std::make_unique<Cached>();
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              cache ? SQLITE_PREPARE_PERSISTENT : 0, &entry->stmt, &tail);
  if (rc != SQLITE_OK) return Fail(SqliteError(db_, rc, "prepare"));
  if (entry->stmt == nullptr) return Fail(Code::kInternal, "prepare: empty SQL statement");

  // Whatever follows the first statement may only be blanks or comments.
  const char* end = sql.data() + sql.size();
  if (tail != nullptr && tail < end) {
    sqlite3_stmt* next = nullptr;
    rc = sqlite3_prepare_v3(db_, tail, static_cast<int>(end - tail), 0, &next, nullptr);
    sqlite3_finalize(next);
    if (rc != SQLITE_OK || next != nullptr) {
      return Fail(Code::kInternal, "prepare: one SQL statement per call");
    }
  }

  int count = sqlite3_bind_parameter_count(entry->stmt);
  std::vector<int> slots;
  for (int index = 1; index <= count; ++index) {
    const char* name = sqlite3_bind_parameter_name(entry->stmt, index);
    int k = 0;
    std::string_view text = name != nullptr ? name : "?";
    const char* digits_end = text.data() + text.size();
    auto parsed = text.size() > 1 && text[0] == '$'
                      ? std::from_chars(text.data() + 1, digits_end, k)
                      : std::from_chars_result{text.data(), std::errc::invalid_argument};
    if (parsed.ec != std::errc() || parsed.ptr != digits_end || k < 1 || k > kMaxParameter) {
      return Fail(Code::kInternal,
                  "prepare: placeholder " + std::string(text) + " is not of the form $1..$n");
    }
    if (slots.size() < static_cast<std::size_t>(k)) slots.resize(static_cast<std::size_t>(k), 0);
    slots[static_cast<std::size_t>(k) - 1] = index;
  }
  for (std::size_t k = 0; k < slots.size(); ++k) {
    if (slots[k] == 0) {
      return Fail(Code::kInternal, "prepare: placeholder $" + std::to_string(k + 1) +
                                       " is missing while a higher one is used");
    }
  }
  entry->slots = std::move(slots);
  entry->read_only = sqlite3_stmt_readonly(entry->stmt) != 0;
  entry->transaction_control = IsTransactionControl(sql);

  Cached* raw = entry.get();
  if (cache) {
    cache_.emplace(std::string(sql), std::move(entry));
  } else {
    *uncached = std::move(entry);
  }
  return raw;
}

Result<std::int64_t> Connection::Run(std::string_view sql, const Params& params, bool allow_writes,
                                     Rows* rows) {
  std::unique_ptr<Cached> uncached;
  Cached* entry = MOTCUA_TRY(Prepare(sql, &uncached));
  if (entry->transaction_control) {
    return Fail(Code::kInternal, "transaction control belongs to the store: " + std::string(sql));
  }
  if (!allow_writes && !entry->read_only) {
    return Fail(Code::kInternal, "read-only transaction: cannot run a statement that writes");
  }
  if (params.size() != entry->slots.size()) {
    return Fail(Code::kInternal, "statement has " + std::to_string(entry->slots.size()) +
                                     " parameters, got " + std::to_string(params.size()));
  }

  sqlite3_stmt* stmt = entry->stmt;
  Lease lease{stmt};
  for (std::size_t k = 0; k < params.size(); ++k) {
    int index = entry->slots[k];
    const Value& v = params[k];
    int rc = SQLITE_OK;
    if (const auto* n = std::get_if<std::int64_t>(&v)) {
      rc = sqlite3_bind_int64(stmt, index, *n);
    } else if (const auto* d = std::get_if<double>(&v)) {
      rc = sqlite3_bind_double(stmt, index, *d);
    } else if (const auto* s = std::get_if<std::string>(&v)) {
      if (std::memchr(s->data(), '\0', s->size()) != nullptr) {
        return Fail(Code::kInvalidArgument,
                    "text parameter $" + std::to_string(k + 1) + " contains a NUL byte");
      }
      // SQLITE_STATIC: params outlive the statement's use; Lease clears them.
      rc = sqlite3_bind_text64(stmt, index, s->data(), s->size(), SQLITE_STATIC, SQLITE_UTF8);
    } else {
      rc = sqlite3_bind_null(stmt, index);
    }
    if (rc != SQLITE_OK) return Fail(SqliteError(db_, rc, "bind"));
  }

  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    if (rows == nullptr) continue;
    int n = sqlite3_column_count(stmt);
    std::vector<Value> cols;
    cols.reserve(static_cast<std::size_t>(n));
    for (int c = 0; c < n; ++c) cols.push_back(ColumnValue(stmt, c));
    rows->emplace_back(std::move(cols));
  }
  if (rc != SQLITE_DONE) return Fail(SqliteError(db_, rc, "step"));
  return entry->read_only ? 0 : static_cast<std::int64_t>(sqlite3_changes64(db_));
}

Result<Rows> SqliteTx::Query(std::string_view sql, const Params& params) {
  Rows rows;
  MOTCUA_TRY_VOID(conn_.Run(sql, params, writable_, &rows));
  return rows;
}

Result<std::int64_t> SqliteTx::Exec(std::string_view sql, const Params& params) {
  return conn_.Run(sql, params, writable_, nullptr);
}

}  // namespace motcua::storage::internal
