#include "storage/accounts_repo.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace motcua::storage::accounts {
namespace {

using motcua::accounts::ParseRole;
using motcua::accounts::Role;
using motcua::accounts::RoleBinding;
using motcua::accounts::RoleName;

Value OptTime(const std::optional<TimePoint>& t) {
  if (!t) return Null{};
  return FormatTime(*t);
}

Result<TimePoint> TimeAt(const Row& row, std::size_t i) {
  auto t = ParseTime(row.Text(i));
  if (!t) return Fail(Code::kInternal, "unreadable time in accounts table");
  return *t;
}

Result<std::optional<TimePoint>> OptTimeAt(const Row& row, std::size_t i) {
  if (row.IsNull(i)) return std::optional<TimePoint>{};
  return TimeAt(row, i);
}

constexpr std::string_view kUserColumns =
    "id, username, display_name, password_hash, disabled, created_at, updated_at, "
    "password_changed_at";

Result<UserRow> ReadUser(const Row& r) {
  UserRow u;
  u.id = r.Int(0);
  u.username = r.Text(1);
  u.display_name = r.Text(2);
  u.password_hash = r.Text(3);
  u.disabled = r.Int(4) != 0;
  u.created_at = MOTCUA_TRY(TimeAt(r, 5));
  u.updated_at = MOTCUA_TRY(TimeAt(r, 6));
  u.password_changed_at = MOTCUA_TRY(TimeAt(r, 7));
  return u;
}

Result<RoleBinding> ReadBinding(const Row& r, std::size_t first) {
  auto role = ParseRole(r.Text(first));
  if (!role) return Fail(Code::kInternal, "unknown role in user_roles");
  return RoleBinding{*role, r.OptInt(first + 1).value_or(0), r.Int(first + 2) != 0};
}

Result<std::optional<UserRow>> FindUserWhere(Tx& tx, std::string_view column, Value key) {
  const std::string sql =
      "SELECT " + std::string(kUserColumns) + " FROM users WHERE " + std::string(column) + " = $1";
  Rows rows = MOTCUA_TRY(tx.Query(sql, {std::move(key)}));
  if (rows.empty()) return std::optional<UserRow>{};
  UserRow user = MOTCUA_TRY(ReadUser(rows.front()));
  user.roles = MOTCUA_TRY(LoadRoles(tx, user.id));
  return std::optional<UserRow>(std::move(user));
}

constexpr std::string_view kSessionColumns =
    "id, user_id, token_hash, csrf_token, created_at, last_seen_at, expires_at, ip, user_agent";

Result<SessionRow> ReadSession(const Row& r) {
  SessionRow s;
  s.id = r.Int(0);
  s.user_id = r.Int(1);
  s.token_hash = r.Text(2);
  s.csrf_token = r.Text(3);
  s.created_at = MOTCUA_TRY(TimeAt(r, 4));
  s.last_seen_at = MOTCUA_TRY(TimeAt(r, 5));
  s.expires_at = MOTCUA_TRY(TimeAt(r, 6));
  s.ip = r.Text(7);
  s.user_agent = r.Text(8);
  return s;
}

constexpr std::string_view kTokenColumns =
    "id, user_id, name, token_hash, prefix, created_at, expires_at, last_used_at, revoked_at";

Result<ApiTokenRow> ReadToken(const Row& r) {
  ApiTokenRow t;
  t.id = r.Int(0);
  t.user_id = r.Int(1);
  t.name = r.Text(2);
  t.token_hash = r.Text(3);
  t.prefix = r.Text(4);
  t.created_at = MOTCUA_TRY(TimeAt(r, 5));
  t.expires_at = MOTCUA_TRY(OptTimeAt(r, 6));
  t.last_used_at = MOTCUA_TRY(OptTimeAt(r, 7));
  t.revoked_at = MOTCUA_TRY(OptTimeAt(r, 8));
  return t;
}

}  // namespace

std::string FormatTime(TimePoint t) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss<Micros> hms{t - day};
  // Written digit by digit: every row write formats a few of these, and
  // snprintf was a tenth of a dossier transition.
  std::string out(27, '0');
  auto put = [&](std::size_t pos, std::size_t width, long long v) {
    for (std::size_t i = width; i-- > 0; v /= 10) out[pos + i] = static_cast<char>('0' + v % 10);
  };
  put(0, 4, std::clamp(int(ymd.year()), 0, 9999));
  out[4] = '-';
  put(5, 2, unsigned(ymd.month()));
  out[7] = '-';
  put(8, 2, unsigned(ymd.day()));
  out[10] = 'T';
  put(11, 2, hms.hours().count());
  out[13] = ':';
  put(14, 2, hms.minutes().count());
  out[16] = ':';
  put(17, 2, hms.seconds().count());
  out[19] = '.';
  put(20, 6, hms.subseconds().count());
  out[26] = 'Z';
  return out;
}

std::optional<TimePoint> ParseTime(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS.ffffffZ
  constexpr std::size_t kLength = 27;
  if (text.size() != kLength || text[4] != '-' || text[7] != '-' || text[10] != 'T' ||
      text[13] != ':' || text[16] != ':' || text[19] != '.' || text[26] != 'Z') {
    return std::nullopt;
  }
  auto num = [&](std::size_t pos, std::size_t len, long long* out) {
    const char* first = text.data() + pos;
    auto [ptr, ec] = std::from_chars(first, first + len, *out);
    return ec == std::errc() && ptr == first + len;
  };
  long long y, mo, d, h, mi, s, us;
  if (!num(0, 4, &y) || !num(5, 2, &mo) || !num(8, 2, &d) || !num(11, 2, &h) || !num(14, 2, &mi) ||
      !num(17, 2, &s) || !num(20, 6, &us)) {
    return std::nullopt;
  }
  using namespace std::chrono;
  const year_month_day ymd{year(static_cast<int>(y)), month(static_cast<unsigned>(mo)),
                           day(static_cast<unsigned>(d))};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 59) return std::nullopt;
  return TimePoint(sys_days(ymd)) + hours(h) + minutes(mi) + seconds(s) + Micros(us);
}

Result<std::int64_t> InsertUser(Tx& tx, const UserRow& row) {
  Rows rows = MOTCUA_TRY(
      tx.Query("INSERT INTO users (username, display_name, password_hash, disabled, created_at, "
               "updated_at, password_changed_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
               {row.username, row.display_name, row.password_hash, std::int64_t{row.disabled},
                FormatTime(row.created_at), FormatTime(row.updated_at),
                FormatTime(row.password_changed_at)}));
  if (rows.empty()) return Fail(Code::kInternal, "INSERT INTO users returned no id");
  return rows.front().Int(0);
}

Result<std::optional<UserRow>> FindUserById(Tx& tx, std::int64_t id) {
  return FindUserWhere(tx, "id", id);
}

Result<std::optional<UserRow>> FindUserByUsername(Tx& tx, std::string_view username) {
  return FindUserWhere(tx, "username", std::string(username));
}

Result<std::vector<UserRow>> ListUsers(Tx& tx, std::int64_t after_id, int limit) {
  Rows rows = MOTCUA_TRY(tx.Query(
      "SELECT " + std::string(kUserColumns) + " FROM users WHERE id > $1 ORDER BY id LIMIT $2",
      {after_id, std::int64_t{limit}}));
  std::vector<UserRow> users;
  users.reserve(rows.size());
  for (const Row& r : rows) users.push_back(MOTCUA_TRY(ReadUser(r)));
  if (users.empty()) return users;
  // One query for the roles of the whole page rather than one per user: the
  // page is a contiguous id range.
  Rows bindings =
      MOTCUA_TRY(tx.Query("SELECT user_id, role, unit_id, subtree FROM user_roles "
                          "WHERE user_id >= $1 AND user_id <= $2 ORDER BY user_id, id",
                          {users.front().id, users.back().id}));
  std::size_t u = 0;
  for (const Row& r : bindings) {
    while (u < users.size() && users[u].id < r.Int(0)) ++u;
    if (u == users.size()) break;
    if (users[u].id == r.Int(0)) users[u].roles.push_back(MOTCUA_TRY(ReadBinding(r, 1)));
  }
  return users;
}

Result<bool> UpdateUser(Tx& tx, std::int64_t id, const std::optional<std::string>& display_name,
                        std::optional<bool> disabled, TimePoint now) {
  // COALESCE keeps the column when the parameter is NULL: one statement for
  // every combination of fields.
  const std::int64_t changed = MOTCUA_TRY(
      tx.Exec("UPDATE users SET display_name = COALESCE($1, display_name), "
              "disabled = COALESCE($2, disabled), updated_at = $3 WHERE id = $4",
              {display_name ? Value(*display_name) : Value(Null{}),
               disabled ? Value(std::int64_t{*disabled}) : Value(Null{}), FormatTime(now), id}));
  return changed > 0;
}

Result<bool> SetPasswordHash(Tx& tx, std::int64_t id, std::string_view hash, TimePoint now) {
  const std::int64_t changed = MOTCUA_TRY(
      tx.Exec("UPDATE users SET password_hash = $1, password_changed_at = $2, updated_at = $2 "
              "WHERE id = $3",
              {std::string(hash), FormatTime(now), id}));
  return changed > 0;
}

Result<std::vector<RoleBinding>> LoadRoles(Tx& tx, std::int64_t user_id) {
  Rows rows = MOTCUA_TRY(tx.Query(
      "SELECT role, unit_id, subtree FROM user_roles WHERE user_id = $1 ORDER BY id", {user_id}));
  std::vector<RoleBinding> roles;
  roles.reserve(rows.size());
  for (const Row& r : rows) roles.push_back(MOTCUA_TRY(ReadBinding(r, 0)));
  return roles;
}

Status ReplaceRoles(Tx& tx, std::int64_t user_id, const std::vector<RoleBinding>& roles) {
  MOTCUA_TRY_VOID(tx.Exec("DELETE FROM user_roles WHERE user_id = $1", {user_id}));
  for (const RoleBinding& b : roles) {
    MOTCUA_TRY_VOID(
        tx.Exec("INSERT INTO user_roles (user_id, role, unit_id, subtree) VALUES ($1, $2, $3, $4)",
                {user_id, std::string(RoleName(b.role)),
                 b.unit_id > 0 ? Value(b.unit_id) : Value(Null{}), std::int64_t{b.subtree}}));
  }
  return {};
}

Result<bool> UnitExists(Tx& tx, std::int64_t unit_id) {
  Rows rows = MOTCUA_TRY(tx.Query("SELECT 1 FROM units WHERE id = $1", {unit_id}));
  return !rows.empty();
}

Result<std::int64_t> InsertSession(Tx& tx, const SessionRow& row) {
  Rows rows = MOTCUA_TRY(
      tx.Query("INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, "
               "expires_at, ip, user_agent) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
               {row.token_hash, row.user_id, row.csrf_token, FormatTime(row.created_at),
                FormatTime(row.last_seen_at), FormatTime(row.expires_at), row.ip, row.user_agent}));
  if (rows.empty()) return Fail(Code::kInternal, "INSERT INTO sessions returned no id");
  return rows.front().Int(0);
}

Result<std::optional<SessionRow>> FindSession(Tx& tx, std::string_view token_hash) {
  Rows rows = MOTCUA_TRY(
      tx.Query("SELECT " + std::string(kSessionColumns) + " FROM sessions WHERE token_hash = $1",
               {std::string(token_hash)}));
  if (rows.empty()) return std::optional<SessionRow>{};
  return std::optional<SessionRow>(MOTCUA_TRY(ReadSession(rows.front())));
}

Status TouchSession(Tx& tx, std::int64_t id, TimePoint now) {
  MOTCUA_TRY_VOID(
      tx.Exec("UPDATE sessions SET last_seen_at = $1 WHERE id = $2", {FormatTime(now), id}));
  return {};
}

Result<std::int64_t> DeleteSession(Tx& tx, std::string_view token_hash) {
  return tx.Exec("DELETE FROM sessions WHERE token_hash = $1", {std::string(token_hash)});
}

Result<std::int64_t> DeleteSessionsOfUser(Tx& tx, std::int64_t user_id, std::int64_t keep_id) {
  return tx.Exec("DELETE FROM sessions WHERE user_id = $1 AND id <> $2", {user_id, keep_id});
}

Result<std::int64_t> DeleteExpiredSessions(Tx& tx, TimePoint now, TimePoint idle_cutoff) {
  return tx.Exec("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2",
                 {FormatTime(now), FormatTime(idle_cutoff)});
}

Result<std::int64_t> InsertApiToken(Tx& tx, const ApiTokenRow& row) {
  Rows rows = MOTCUA_TRY(
      tx.Query("INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at, expires_at) "
               "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
               {row.user_id, row.name, row.token_hash, row.prefix, FormatTime(row.created_at),
                OptTime(row.expires_at)}));
  if (rows.empty()) return Fail(Code::kInternal, "INSERT INTO api_tokens returned no id");
  return rows.front().Int(0);
}

Result<std::optional<ApiTokenRow>> FindApiToken(Tx& tx, std::string_view token_hash) {
  Rows rows = MOTCUA_TRY(
      tx.Query("SELECT " + std::string(kTokenColumns) + " FROM api_tokens WHERE token_hash = $1",
               {std::string(token_hash)}));
  if (rows.empty()) return std::optional<ApiTokenRow>{};
  return std::optional<ApiTokenRow>(MOTCUA_TRY(ReadToken(rows.front())));
}

Result<std::vector<ApiTokenRow>> ListApiTokens(Tx& tx, std::int64_t user_id) {
  Rows rows = MOTCUA_TRY(tx.Query("SELECT " + std::string(kTokenColumns) +
                                      " FROM api_tokens WHERE user_id = $1 ORDER BY id DESC",
                                  {user_id}));
  std::vector<ApiTokenRow> tokens;
  tokens.reserve(rows.size());
  for (const Row& r : rows) tokens.push_back(MOTCUA_TRY(ReadToken(r)));
  return tokens;
}

Result<std::int64_t> CountLiveApiTokens(Tx& tx, std::int64_t user_id, TimePoint now) {
  Rows rows = MOTCUA_TRY(
      tx.Query("SELECT COUNT(*) FROM api_tokens WHERE user_id = $1 AND revoked_at IS NULL "
               "AND (expires_at IS NULL OR expires_at > $2)",
               {user_id, FormatTime(now)}));
  return rows.empty() ? 0 : rows.front().Int(0);
}

Result<bool> RevokeApiToken(Tx& tx, std::int64_t user_id, std::int64_t id, TimePoint now) {
  const std::int64_t changed =
      MOTCUA_TRY(tx.Exec("UPDATE api_tokens SET revoked_at = $1 "
                         "WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
                         {FormatTime(now), id, user_id}));
  return changed > 0;
}

Status TouchApiToken(Tx& tx, std::int64_t id, TimePoint now) {
  MOTCUA_TRY_VOID(
      tx.Exec("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2", {FormatTime(now), id}));
  return {};
}

}  // namespace motcua::storage::accounts
