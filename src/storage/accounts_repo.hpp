// Rows of the accounts tables (migration 0002_accounts.sql) and the SQL that
// reads and writes them. Services own the transaction; these functions run
// statements inside it and turn rows into values.
//
// Times are stored as fixed-width RFC 3339 UTC text (FormatTime), so that
// comparing text in SQL compares times on every engine.
//
// Thread safety: as the Tx they are given (one thread, inside the callback).
// Errors: those of Tx (kAlreadyExists for a taken username, ...), and
// kInternal for a row that cannot be read back (a corrupt time or role).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "core/accounts/principal.hpp"
#include "storage/store.hpp"

namespace motcua::storage::accounts {

// "2026-01-31T08:15:00.000000Z": always microseconds, always 'Z'.
std::string FormatTime(TimePoint t);
// Reads exactly the FormatTime shape; nullopt otherwise.
std::optional<TimePoint> ParseTime(std::string_view text);

struct UserRow {
  std::int64_t id = 0;
  std::string username;
  std::string display_name;
  std::string password_hash;
  bool disabled = false;
  TimePoint created_at{};
  TimePoint updated_at{};
  TimePoint password_changed_at{};
  std::vector<motcua::accounts::RoleBinding> roles;
};

struct SessionRow {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string token_hash;
  std::string csrf_token;
  TimePoint created_at{};
  TimePoint last_seen_at{};
  TimePoint expires_at{};
  std::string ip;
  std::string user_agent;
};

struct ApiTokenRow {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string name;
  std::string token_hash;
  std::string prefix;
  TimePoint created_at{};
  std::optional<TimePoint> expires_at;
  std::optional<TimePoint> last_used_at;
  std::optional<TimePoint> revoked_at;
};

// Users. InsertUser ignores row.id and row.roles and returns the new id.
[[nodiscard]] Result<std::int64_t> InsertUser(Tx& tx, const UserRow& row);
[[nodiscard]] Result<std::optional<UserRow>> FindUserById(Tx& tx, std::int64_t id);
[[nodiscard]] Result<std::optional<UserRow>> FindUserByUsername(Tx& tx, std::string_view username);
// Users with id > after_id in id order, at most `limit`, with their roles.
[[nodiscard]] Result<std::vector<UserRow>> ListUsers(Tx& tx, std::int64_t after_id, int limit);
// Returns false if there is no such user.
[[nodiscard]] Result<bool> UpdateUser(Tx& tx, std::int64_t id,
                                      const std::optional<std::string>& display_name,
                                      std::optional<bool> disabled, TimePoint now);
[[nodiscard]] Result<bool> SetPasswordHash(Tx& tx, std::int64_t id, std::string_view hash,
                                           TimePoint now);

// Role bindings: replaced as a whole. Citizens' unit_id 0 is stored as NULL.
[[nodiscard]] Result<std::vector<motcua::accounts::RoleBinding>> LoadRoles(Tx& tx,
                                                                           std::int64_t user_id);
[[nodiscard]] Status ReplaceRoles(Tx& tx, std::int64_t user_id,
                                  const std::vector<motcua::accounts::RoleBinding>& roles);
[[nodiscard]] Result<bool> UnitExists(Tx& tx, std::int64_t unit_id);

// Sessions.
// Ignores row.id and returns the new id.
[[nodiscard]] Result<std::int64_t> InsertSession(Tx& tx, const SessionRow& row);
[[nodiscard]] Result<std::optional<SessionRow>> FindSession(Tx& tx, std::string_view token_hash);
[[nodiscard]] Status TouchSession(Tx& tx, std::int64_t id, TimePoint now);
[[nodiscard]] Result<std::int64_t> DeleteSession(Tx& tx, std::string_view token_hash);
// Every session of the user except `keep_id` (0: keep none).
[[nodiscard]] Result<std::int64_t> DeleteSessionsOfUser(Tx& tx, std::int64_t user_id,
                                                        std::int64_t keep_id);
// Sessions past their absolute end, or not seen since `idle_cutoff`.
[[nodiscard]] Result<std::int64_t> DeleteExpiredSessions(Tx& tx, TimePoint now,
                                                         TimePoint idle_cutoff);

// API tokens. InsertApiToken ignores row.id and returns the new id.
[[nodiscard]] Result<std::int64_t> InsertApiToken(Tx& tx, const ApiTokenRow& row);
[[nodiscard]] Result<std::optional<ApiTokenRow>> FindApiToken(Tx& tx, std::string_view token_hash);
// The user's tokens, newest first, revoked ones included.
[[nodiscard]] Result<std::vector<ApiTokenRow>> ListApiTokens(Tx& tx, std::int64_t user_id);
// Tokens neither revoked nor expired at `now`.
[[nodiscard]] Result<std::int64_t> CountLiveApiTokens(Tx& tx, std::int64_t user_id, TimePoint now);
// Returns false if the user has no such token not yet revoked.
[[nodiscard]] Result<bool> RevokeApiToken(Tx& tx, std::int64_t user_id, std::int64_t id,
                                          TimePoint now);
[[nodiscard]] Status TouchApiToken(Tx& tx, std::int64_t id, TimePoint now);

}  // namespace motcua::storage::accounts
