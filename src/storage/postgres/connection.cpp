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
      while (j < sql.size() && sql[j] >= '0' && sql[j] <= '9' && n <= count) n = n * 10 + (sql[j++] - '0');
      if (n == 0 || n > count)
        return Fail(Code::kInternal, "the statement uses $" + std::to_string(n) + " but " +
                                         std::to_string(count) + " parameters were given");
      used[n - 1] = true;
      i = j - 1;
    }
  }
  for (std::size_t k = 0; k < count; ++k)
    if (!used[k]) return Fail(Code::kInternal, "parameter $" + std::to_string(k + 1) + " is never used");
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
        return Fail(Code::kInternal, "unreadable integer from PostgreSQL: " + std::string(text, length));
      return Value(n);
    }
    case kFloat4:
    case kFloat8:
    case kNumeric: {
      char* end = nullptr;
      double d = std::strtod(text, &end);
      if (end != text + length)
        return Fail(Code::kInternal, "unreadable number from PostgreSQL: " + std::string(text, length));
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
  std::string message = primary ? primary : result ? PQresultErrorMessage(result) : PQerrorMessage(conn);
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
  Error error{code, std::string(what) + ": " + (message.empty() ? "PostgreSQL error " + sqlstate : message), {}};
  if (code == Code::kInternal) log::Error("postgresql", {{"what", what}, {"sqlstate", sqlstate}, {"error", message}});
  return error;
}

Result<std::unique_ptr<PgConnection>> PgConnection::Open(const std::string& url) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (conn == nullptr) return Fail(Code::kUnavailable, "cannot connect to PostgreSQL: out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string why = PQerrorMessage(conn);
    while (!why.empty() && why.back() == '\n') why.pop_back();
    PQfinish(conn);
    return Fail(Code::kUnavailable, "cannot connect to PostgreSQL: " + why);
  }
  // Notices (for example "there is no transaction in progress") are not
  // errors; they stay out of the log.
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
  std::unique_ptr<PgConnection> out(new PgConnection(conn));
  MOTCUA_TRY_VOID(out->Control(kSessionSetup, "SET"));
  return out;
}

PgConnection::PgConnection(PGconn* conn)
    : conn_(conn), write_tx_(std::make_unique<PgTx>(*this, true)), read_tx_(std::make_unique<PgTx>(*this, false)) {}

PgConnection::~PgConnection() { PQfinish(conn_); }

Tx& PgConnection::tx(bool writable) { return writable ? *write_tx_ : *read_tx_; }

Status PgConnection::Control(std::string_view sql, std::string_view what) {
  // The result is the last statement's: BEGIN can come with a lock taken
  // by a SELECT.
  ResultPtr r(PQexec(conn_, std::string(sql).c_str()));
  const ExecStatusType status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return Fail(PgError(conn_, r.get(), what));
  return {};
}

bool PgConnection::InTransaction() const {
  const PGTransactionStatusType s = PQtransactionStatus(conn_);
  return s == PQTRANS_INTRANS || s == PQTRANS_INERROR || s == PQTRANS_ACTIVE;
}

void PgConnection::RollbackQuietly() { ResultPtr r(PQexec(conn_, "ROLLBACK")); }

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
      return Fail(Code::kInternal, "a migration must not control transactions: " + std::string(line));
    for (std::size_t k = line.find("$$"); k != std::string_view::npos; k = line.find("$$", k + 2)) in_body = !in_body;
    start = end + 1;
  }
  ResultPtr r(PQexec(conn_, std::string(sql).c_str()));
  const ExecStatusType status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY)
    return Fail(PgError(conn_, r.get(), "migration"));
  // Plans made before the tables changed would fail ("cached plan must not
  // change result type").
  ForgetPrepared();
  return {};
}

Result<std::int64_t> PgConnection::Run(std::string_view sql, const Params& params, Rows* rows) {
  if (IsTransactionControl(sql))
    return Fail(Code::kInternal, "transaction control belongs to the store: " + std::string(sql.substr(0, 40)));
  MOTCUA_TRY_VOID(CheckPlaceholders(sql, params.size()));
  std::vector<std::string> texts(params.size());
  std::vector<const char*> values(params.size(), nullptr);
  std::vector<Oid> types(params.size(), 0);
  for (std::size_t i = 0; i < params.size(); ++i) {
    const Value& v = params[i];
    if (const auto* n = std::get_if<std::int64_t>(&v)) {
      texts[i] = std::to_string(*n);
      types[i] = kInt8;
    } else if (const auto* d = std::get_if<double>(&v)) {
      char buf[32];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *d);
      texts[i].assign(buf, end);
      types[i] = kFloat8;
    } else if (const auto* s = std::get_if<std::string>(&v)) {
      if (s->find('\0') != std::string::npos)
        return Fail(Code::kInvalidArgument, "parameter $" + std::to_string(i + 1) + " holds a NUL byte");
      texts[i] = *s;
    } else {
      continue;  // NULL
    }
    values[i] = texts[i].c_str();
  }
  if (sql.find_first_not_of(" \t\r\n") == std::string_view::npos) return Fail(Code::kInternal, "empty statement");
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    if (prepared_.size() >= kMaxPrepared) ForgetPrepared();
    std::string name = "m" + std::to_string(++next_name_);
    ResultPtr p(PQprepare(conn_, name.c_str(), std::string(sql).c_str(), static_cast<int>(params.size()),
                          types.data()));
    if (!p || PQresultStatus(p.get()) != PGRES_COMMAND_OK) return Fail(PgError(conn_, p.get(), "statement"));
    it = prepared_.emplace(std::string(sql), std::move(name)).first;
  }
  ResultPtr r(PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(params.size()), values.data(), nullptr,
                             nullptr, 0));
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
  PQreset(conn_);
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
  ResultPtr r(PQexec(conn_, "DEALLOCATE ALL"));
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

}  // namespace motcua::storage::internal
