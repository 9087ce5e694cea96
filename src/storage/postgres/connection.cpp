#include "storage/postgres/connection.hpp"

#include <charconv>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "common/log.hpp"

namespace motcua::storage::internal {
namespace {

// Type OIDs (src/include/catalog/pg_type.dat), stable across releases.
constexpr Oid kBool = 16, kInt8 = 20, kInt2 = 21, kInt4 = 23, kOid = 26, kFloat4 = 700,
              kFloat8 = 701, kNumeric = 1700;

// Run on every new session: times in UTC, as the SQLite side has them.
constexpr const char* kSessionSetup = "SET TIME ZONE 'UTC'";

// Inbox queries with their lists of units make a few hundred texts at most.
constexpr std::size_t kMaxPrepared = 1000;

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

// The $n of `sql` outside quotes and comments must be exactly 1..count:
// PostgreSQL would report a missing one as a protocol error, and ignore none.
Status CheckPlaceholders(std::string_view sql, std::size_t count) {
  std::vector<bool> used(count, false);
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {
      const std::size_t end = sql.find(c, i + 1);
      if (end == std::string_view::npos) break;  // the server reports it
      i = end;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      i = sql.find('\n', i);
      if (i == std::string_view::npos) break;
    } else if (c == '$' && i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
      std::size_t n = 0;
      std::size_t j = i + 1;
      while (j < sql.size() && sql[j] >= '0' && sql[j] <= '9' && n <= count)
        n = n * 10 + (sql[j++] - '0');
      if (n == 0 || n > count)
        return Fail(Code::kInternal, "the statement uses $" + std::to_string(n) + " but " +
                                         std::to_string(count) + " parameters were given");
      used[n - 1] = true;
      i = j - 1;
    }
  }
  for (std::size_t k = 0; k < count; ++k)
    if (!used[k])
      return Fail(Code::kInternal, "parameter $" + std::to_string(k + 1) + " is never used");
  return {};
}

Result<Value> ColumnValue(const PGresult* r, int row, int col) {
  if (PQgetisnull(r, row, col)) return Value(Null{});
  const char* text = PQgetvalue(r, row, col);
  const int length = PQgetlength(r, row, col);
  switch (PQftype(r, col)) {
    case kInt2:
    case kInt4:
    case kInt8:
    case kOid: {
      std::int64_t n = 0;
      auto [end, ec] = std::from_chars(text, text + length, n);
      if (ec != std::errc() || end != text + length)
        return Fail(Code::kInternal,
                    "unreadable integer from PostgreSQL: " + std::string(text, length));
      return Value(n);
    }
    case kFloat4:
    case kFloat8:
    case kNumeric: {
      char* end = nullptr;
      double d = std::strtod(text, &end);
      if (end != text + length)
        return Fail(Code::kInternal,
                    "unreadable number from PostgreSQL: " + std::string(text, length));
      return Value(d);
    }
    case kBool:
      return Value(std::int64_t{text[0] == 't' ? 1 : 0});
    default:
      return Value(std::string(text, length));
  }
}

}  // namespace

Error PgError(PGconn* conn, const PGresult* result, std::string_view what) {
  // The primary message ("relation \"x\" does not exist"), without the
  // "ERROR:" prefix and the position lines of PQresultErrorMessage.
  const char* primary = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  std::string message = primary  ? primary
                        : result ? PQresultErrorMessage(result)
                                 : PQerrorMessage(conn);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string sqlstate = state ? state : "";
  Code code = Code::kInternal;
  if (PQstatus(conn) != CONNECTION_OK || sqlstate.starts_with("08") || sqlstate == "57P01" ||
      sqlstate == "57P02" || sqlstate == "57P03") {
    code = Code::kUnavailable;
  } else if (sqlstate == "23505") {
    code = Code::kAlreadyExists;
  } else if (sqlstate.starts_with("23")) {
    code = Code::kFailedPrecondition;
  }
  Error error{
      code,
      std::string(what) + ": " + (message.empty() ? "PostgreSQL error " + sqlstate : message),
      {}};
  if (code == Code::kInternal)
    log::Error("postgresql", {{"what", what}, {"sqlstate", sqlstate}, {"error", message}});
  return error;
}

Result<std::unique_ptr<PgConnection>> PgConnection::Open(const std::string& url, bool pipelined) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (conn == nullptr)
    return Fail(Code::kUnavailable, "cannot connect to PostgreSQL: out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string why = PQerrorMessage(conn);
    while (!why.empty() && why.back() == '\n') why.pop_back();
    PQfinish(conn);
    return Fail(Code::kUnavailable, "cannot connect to PostgreSQL: " + why);
  }
  // Notices (for example "there is no transaction in progress") are not
  // errors; they stay out of the log.
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  std::unique_ptr<PgConnection> out(new PgConnection(conn, pipelined));
  MOTCUA_TRY_VOID(out->Control(kSessionSetup, "SET"));
  return out;
}

PgConnection::PgConnection(PGconn* conn, bool pipelined)
    : conn_(conn),
      write_tx_(std::make_unique<PgTx>(*this, true)),
      read_tx_(std::make_unique<PgTx>(*this, false)),
      pipelined_(pipelined) {}

PgConnection::~PgConnection() { PQfinish(conn_); }

Tx& PgConnection::tx(bool writable) { return writable ? *write_tx_ : *read_tx_; }

Status PgConnection::Control(std::string_view sql, std::string_view what) {
  if (pipelined_) {
    MOTCUA_TRY_VOID(QueueControl(sql, what));
    return Settle();
  }
  // The result is the last statement's: BEGIN can come with a lock taken
  // by a SELECT.
  ResultPtr r(PQexec(conn_, std::string(sql).c_str()));
  const ExecStatusType status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    return Fail(PgError(conn_, r.get(), what));
  return {};
}

Status PgConnection::ControlLater(std::string_view sql, std::string_view what) {
  if (!pipelined_) return Control(sql, what);
  return QueueControl(sql, what);
}

std::unexpected<Error> PgConnection::Lost() {
  // The pipeline's queue and ours no longer agree: start again with a new
  // session (BatchingStore::Begin reconnects a Broken connection).
  lost_ = true;
  std::string why = PQerrorMessage(conn_);
  while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
  return Fail(Code::kUnavailable,
              "the connection to PostgreSQL was lost" + (why.empty() ? "" : ": " + why));
}

bool PgConnection::Broken() {
  // With nothing in flight, anything the server sent is news: the notice
  // of a terminated session, then the end of the stream.
  if (!lost_ && pending_.empty() && PQstatus(conn_) == CONNECTION_OK) (void)PQconsumeInput(conn_);
  return lost_ || PQstatus(conn_) == CONNECTION_BAD;
}

void PgConnection::EnterPipeline() {
  // What Flush sent is read first, or its Sync would end the next Settle
  // early. Only a read's COMMIT is flushed, and the store settles before
  // each read, so this is a safeguard; such a COMMIT's error does not matter.
  if (synced_) (void)Settle();
  if (PQpipelineStatus(conn_) == PQ_PIPELINE_OFF) PQenterPipelineMode(conn_);
}

Status PgConnection::QueueControl(std::string_view sql, std::string_view what) {
  if (what == "BEGIN") release_failed_ = false;
  if (what == "COMMIT" && release_failed_) {
    (void)Settle();
    return Fail(Code::kUnavailable,
                "a savepoint could not be released; the transaction is not committed");
  }
  EnterPipeline();
  std::size_t start = 0;
  while (start < sql.size()) {
    std::size_t end = sql.find(';', start);
    if (end == std::string_view::npos) end = sql.size();
    std::string one(sql.substr(start, end - start));
    start = end + 1;
    if (one.find_first_not_of(" \t\r\n") == std::string::npos) continue;
    if (PQsendQueryParams(conn_, one.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) != 1)
      return Lost();
    pending_.push_back(Pending{.what = what});
  }
  return {};
}

Status PgConnection::Settle() {
  if (pending_.empty()) return {};
  Status first;
  auto fail = [&](Error e) {
    if (first) first = Fail(std::move(e));
  };
  if (!synced_ && PQpipelineSync(conn_) != 1) {
    fail(Lost().error());
    pending_.clear();
    return first;
  }
  synced_ = false;
  // Each statement's answer is one result and a null; the Sync's is a
  // PGRES_PIPELINE_SYNC. After an error the server skips what follows, up to
  // the Sync, and each of those comes back PGRES_PIPELINE_ABORTED.
  std::size_t i = 0;
  for (;;) {
    ResultPtr r(PQgetResult(conn_));
    if (!r) {
      if (PQstatus(conn_) == CONNECTION_BAD || i >= pending_.size()) {
        // The answers stopped before the Sync's: the server went away (a
        // terminated backend says so first, then closes).
        fail(Lost().error());
        break;
      }
      ++i;
      continue;
    }
    const ExecStatusType status = PQresultStatus(r.get());
    if (status == PGRES_PIPELINE_SYNC) break;
    if (i >= pending_.size()) continue;  // not expected; read on to the Sync
    Pending& p = pending_[i];
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
      if (p.what == "COMMIT" && std::string_view(PQcmdStatus(r.get())) == "ROLLBACK") {
        // COMMIT of a transaction that had failed is a ROLLBACK.
        fail(Error{Code::kUnavailable, "the transaction had failed and was rolled back", {}});
        continue;
      }
      if (p.rows != nullptr && status == PGRES_TUPLES_OK) {
        const int n = PQntuples(r.get());
        const int cols = PQnfields(r.get());
        p.rows->reserve(p.rows->size() + n);
        for (int row = 0; row < n && first; ++row) {
          std::vector<Value> values;
          values.reserve(cols);
          for (int c = 0; c < cols; ++c) {
            auto v = ColumnValue(r.get(), row, c);
            if (!v) {
              fail(v.error());
              break;
            }
            values.push_back(std::move(*v));
          }
          p.rows->emplace_back(std::move(values));
        }
      }
      const char* text = PQcmdTuples(r.get());
      const std::int64_t changed = text[0] == '\0' ? 0 : std::strtoll(text, nullptr, 10);
      if (p.changed != nullptr) *p.changed = changed;
      if (p.expect.rows && changed != *p.expect.rows) {
        fail(p.expect.otherwise ? *p.expect.otherwise
                                : Error{Code::kInternal,
                                        "the statement changed " + std::to_string(changed) +
                                            " rows, not " + std::to_string(*p.expect.rows),
                                        {}});
      }
      continue;
    }
    if (!p.prepared.empty()) prepared_.erase(p.prepared);  // failed or skipped: not prepared
    if (status != PGRES_PIPELINE_ABORTED) fail(PgError(conn_, r.get(), p.what));
    // A callback was answered as if its savepoint were released: the
    // transaction must not commit without it.
    if (p.what == "RELEASE") release_failed_ = true;
  }
  pending_.clear();
  return first;
}

void PgConnection::Flush() {
  if (pending_.empty() || synced_) return;
  if (PQpipelineSync(conn_) != 1) {
    (void)Lost();
    pending_.clear();
    return;
  }
  synced_ = true;
}

Status PgConnection::LeavePipeline() {
  Status settled = Settle();
  if (PQpipelineStatus(conn_) != PQ_PIPELINE_OFF) PQexitPipelineMode(conn_);
  return settled;
}

bool PgConnection::InTransaction() const {
  const PGTransactionStatusType s = PQtransactionStatus(conn_);
  return s == PQTRANS_INTRANS || s == PQTRANS_INERROR || s == PQTRANS_ACTIVE;
}

void PgConnection::RollbackQuietly() {
  (void)LeavePipeline();
  ResultPtr r(PQexec(conn_, "ROLLBACK"));
}

Status PgConnection::RunScript(std::string_view sql) {
  // Lines that start a statement with transaction control, outside the
  // $$-quoted bodies of functions (whose BEGIN opens a PL/pgSQL block).
  bool in_body = false;
  std::size_t start = 0;
  while (start < sql.size()) {
    std::size_t end = sql.find('\n', start);
    if (end == std::string_view::npos) end = sql.size();
    std::string_view line = sql.substr(start, end - start);
    if (!in_body && IsTransactionControl(line))
      return Fail(Code::kInternal,
                  "a migration must not control transactions: " + std::string(line));
    for (std::size_t k = line.find("$$"); k != std::string_view::npos; k = line.find("$$", k + 2))
      in_body = !in_body;
    start = end + 1;
  }
  MOTCUA_TRY_VOID(LeavePipeline());
  ResultPtr r(PQexec(conn_, std::string(sql).c_str()));
  const ExecStatusType status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY)
    return Fail(PgError(conn_, r.get(), "migration"));
  // Plans made before the tables changed would fail ("cached plan must not
  // change result type").
  ForgetPrepared();
  return {};
}

Result<PgConnection::Bound> PgConnection::Bind(std::string_view sql, const Params& params) {
  if (IsTransactionControl(sql))
    return Fail(Code::kInternal,
                "transaction control belongs to the store: " + std::string(sql.substr(0, 40)));
  if (sql.find_first_not_of(" \t\r\n") == std::string_view::npos)
    return Fail(Code::kInternal, "empty statement");
  MOTCUA_TRY_VOID(CheckPlaceholders(sql, params.size()));
  Bound b{std::vector<std::string>(params.size()), std::vector<const char*>(params.size(), nullptr),
          std::vector<Oid>(params.size(), 0)};
  for (std::size_t i = 0; i < params.size(); ++i) {
    const Value& v = params[i];
    if (const auto* n = std::get_if<std::int64_t>(&v)) {
      b.texts[i] = std::to_string(*n);
      b.types[i] = kInt8;
    } else if (const auto* d = std::get_if<double>(&v)) {
      char buf[32];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *d);
      b.texts[i].assign(buf, end);
      b.types[i] = kFloat8;
    } else if (const auto* s = std::get_if<std::string>(&v)) {
      if (s->find('\0') != std::string::npos)
        return Fail(Code::kInvalidArgument,
                    "parameter $" + std::to_string(i + 1) + " holds a NUL byte");
      b.texts[i] = *s;
    } else {
      continue;  // NULL
    }
  }
  for (std::size_t i = 0; i < params.size(); ++i)
    if (!std::holds_alternative<Null>(params[i])) b.values[i] = b.texts[i].c_str();
  return b;
}

Result<std::string> PgConnection::PreparedName(std::string_view sql, const Bound& bound) {
  auto it = prepared_.find(sql);
  if (it != prepared_.end()) return it->second;
  if (prepared_.size() >= kMaxPrepared) ForgetPrepared();
  std::string name = "m" + std::to_string(++next_name_);
  const int n = static_cast<int>(bound.types.size());
  if (pipelined_) {
    EnterPipeline();
    if (PQsendPrepare(conn_, name.c_str(), std::string(sql).c_str(), n, bound.types.data()) != 1)
      return Lost();
    pending_.push_back(Pending{.what = "statement", .prepared = std::string(sql)});
  } else {
    ResultPtr p(PQprepare(conn_, name.c_str(), std::string(sql).c_str(), n, bound.types.data()));
    if (!p || PQresultStatus(p.get()) != PGRES_COMMAND_OK)
      return Fail(PgError(conn_, p.get(), "statement"));
  }
  prepared_.emplace(std::string(sql), name);
  return name;
}

Status PgConnection::Queue(std::string_view sql, const Params& params, Pending pending) {
  const Bound bound = MOTCUA_TRY(Bind(sql, params));
  const std::string name = MOTCUA_TRY(PreparedName(sql, bound));
  EnterPipeline();
  if (PQsendQueryPrepared(conn_, name.c_str(), static_cast<int>(params.size()), bound.values.data(),
                          nullptr, nullptr, 0) != 1)
    return Lost();
  pending_.push_back(std::move(pending));
  return {};
}

Status PgConnection::Send(std::string_view sql, const Params& params, Tx::Expect expect) {
  return Queue(sql, params, Pending{.what = "statement", .expect = std::move(expect)});
}

Result<std::int64_t> PgConnection::Run(std::string_view sql, const Params& params, Rows* rows) {
  if (pipelined_) {
    std::int64_t changed = 0;
    MOTCUA_TRY_VOID(
        Queue(sql, params, Pending{.what = "statement", .rows = rows, .changed = &changed}));
    MOTCUA_TRY_VOID(Settle());
    return changed;
  }
  const Bound bound = MOTCUA_TRY(Bind(sql, params));
  const std::string name = MOTCUA_TRY(PreparedName(sql, bound));
  ResultPtr r(PQexecPrepared(conn_, name.c_str(), static_cast<int>(params.size()),
                             bound.values.data(), nullptr, nullptr, 0));
  const ExecStatusType status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    return Fail(PgError(conn_, r.get(), "statement"));
  if (rows != nullptr && status == PGRES_TUPLES_OK) {
    const int n = PQntuples(r.get());
    const int cols = PQnfields(r.get());
    rows->reserve(rows->size() + n);
    for (int i = 0; i < n; ++i) {
      std::vector<Value> row;
      row.reserve(cols);
      for (int c = 0; c < cols; ++c) row.push_back(MOTCUA_TRY(ColumnValue(r.get(), i, c)));
      rows->emplace_back(std::move(row));
    }
  }
  const char* changed = PQcmdTuples(r.get());
  return changed[0] == '\0' ? std::int64_t{0} : std::strtoll(changed, nullptr, 10);
}

Status PgConnection::Reconnect() {
  pending_.clear();  // their answers were lost with the session
  synced_ = false;
  release_failed_ = false;
  lost_ = false;
  PQreset(conn_);
  if (PQpipelineStatus(conn_) != PQ_PIPELINE_OFF) PQexitPipelineMode(conn_);
  prepared_.clear();  // they belonged to the old session
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string why = PQerrorMessage(conn_);
    while (!why.empty() && why.back() == '\n') why.pop_back();
    return Fail(Code::kUnavailable, "PostgreSQL is unavailable: " + why);
  }
  log::Info("reconnected to PostgreSQL");
  return Control(kSessionSetup, "SET");
}

void PgConnection::ForgetPrepared() {
  if (prepared_.empty()) return;
  if (pipelined_) {
    (void)QueueControl("DEALLOCATE ALL", "DEALLOCATE");  // answered with what follows
  } else {
    ResultPtr r(PQexec(conn_, "DEALLOCATE ALL"));
  }
  prepared_.clear();
}

Result<Rows> PgTx::Query(std::string_view sql, const Params& params) {
  Rows rows;
  MOTCUA_TRY_VOID(conn_.Run(sql, params, &rows));
  return rows;
}

Result<std::int64_t> PgTx::Exec(std::string_view sql, const Params& params) {
  return conn_.Run(sql, params, nullptr);
}

Status PgTx::Send(std::string_view sql, const Params& params, Expect expect) {
  if (!writable_ || !conn_.pipelined()) return Tx::Send(sql, params, std::move(expect));
  return conn_.Send(sql, params, std::move(expect));
}

}  // namespace motcua::storage::internal
