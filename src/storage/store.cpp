#include "storage/store.hpp"

#include <cmath>
#include <future>
#include <memory>
#include <string>
#include <utility>

#include "common/check.hpp"
#include "storage/postgres/postgres_store.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace motcua::storage {
namespace {

constexpr std::string_view kSqliteScheme = "sqlite:";

const Value& Column(const std::vector<Value>& cols, std::size_t i) {
  MOTCUA_CHECK(i < cols.size());
  return cols[i];
}

}  // namespace

std::int64_t Row::Int(std::size_t i) const {
  const Value& v = Column(cols_, i);
  if (const auto* n = std::get_if<std::int64_t>(&v)) return *n;
  if (std::holds_alternative<Null>(v)) return 0;
  const auto* d = std::get_if<double>(&v);
  MOTCUA_CHECK(d != nullptr);
  // 2^63 is exactly representable; anything at or beyond it does not fit.
  constexpr double kTwoPow63 = 9223372036854775808.0;
  MOTCUA_CHECK(std::trunc(*d) == *d && *d >= -kTwoPow63 && *d < kTwoPow63);
  return static_cast<std::int64_t>(*d);
}

double Row::Real(std::size_t i) const {
  const Value& v = Column(cols_, i);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* n = std::get_if<std::int64_t>(&v)) return static_cast<double>(*n);
  MOTCUA_CHECK(std::holds_alternative<Null>(v));
  return 0.0;
}

const std::string& Row::Text(std::size_t i) const {
  static const std::string kEmpty;
  const Value& v = Column(cols_, i);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  MOTCUA_CHECK(std::holds_alternative<Null>(v));
  return kEmpty;
}

std::optional<std::int64_t> Row::OptInt(std::size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Int(i);
}

std::optional<std::string> Row::OptText(std::size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Text(i);
}

Result<std::unique_ptr<Store>> Store::Open(std::string_view url, const StoreOptions& options) {
  if (url.starts_with(kSqliteScheme)) {
    std::string path(url.substr(kSqliteScheme.size()));
    auto store = MOTCUA_TRY(SqliteStore::Open(path, options));
    return std::unique_ptr<Store>(std::move(store));
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    auto store = MOTCUA_TRY(PostgresStore::Open(std::string(url), options, PostgresMigrations()));
    return std::unique_ptr<Store>(std::move(store));
  }
  // Name only the scheme: the rest of a URL may carry a password.
  std::string_view scheme = url.substr(0, url.find(':'));
  return InvalidField("db", "unknown database URL scheme \"" + std::string(scheme) +
                                "\"; expected sqlite:PATH or postgresql://...");
}

Status Tx::Send(std::string_view sql, const Params& params, Expect expect) {
  const std::int64_t changed = MOTCUA_TRY(Exec(sql, params));
  if (!expect.rows || changed == *expect.rows) return {};
  if (expect.otherwise) return Fail(std::move(*expect.otherwise));
  return Fail(Code::kInternal, "the statement changed " + std::to_string(changed) + " rows, not " +
                                   std::to_string(*expect.rows) + ": " +
                                   std::string(sql.substr(0, 60)));
}

Status Store::WriteSync(TxFn fn) {
  // Shared, so the promise outlives set_value even if this thread wakes and
  // returns before the writer thread has left set_value.
  auto promise = std::make_shared<std::promise<Status>>();
  std::future<Status> result = promise->get_future();
  Write(std::move(fn), [promise](Status status) { promise->set_value(std::move(status)); });
  return result.get();
}

}  // namespace motcua::storage
