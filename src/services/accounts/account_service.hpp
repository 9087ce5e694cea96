// Accounts and access: users, sign-in, browser sessions, API tokens and role
// bindings. Knows nothing of HTTP.
//
// Secrets: a session id and an API token are shown to their owner once (at
// sign-in, at creation) and stored only as SHA-256; passwords only as argon2id.
// None of them is ever logged or returned again.
//
// Every method that fails because of who is asking says so with
// kUnauthenticated (no or bad credentials: one message for unknown user, wrong
// password and disabled account, so that the answer does not reveal which
// usernames exist) or kPermissionDenied (the principal may not do this).
//
// Thread safety: every method may be called from any thread. Calls block on
// the store (and on argon2 for sign-in and password changes).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "core/accounts/principal.hpp"
#include "documents/signing.hpp"
#include "services/accounts/auth_cache.hpp"
#include "services/accounts/password_hasher.hpp"
#include "services/accounts/rate_limiter.hpp"
#include "storage/accounts_repo.hpp"
#include "storage/store.hpp"

namespace motcua::accounts {

// How the API writes the times of accounts, sessions, tokens and attachments:
// as the accounts tables store them, "2026-01-31T08:15:00.000000Z" (always
// microseconds, always 'Z'; calendar::FormatMoment writes +07:00 instead).
using storage::accounts::FormatTime;

struct AccountOptions {
  // OWASP Session Management: 15-30 minutes idle for a system holding
  // personal data. Sliding: every use of the session pushes it forward.
  Micros session_idle_timeout = std::chrono::minutes(30);
  // A working day plus overtime: staff sign in once a day, and a stolen
  // cookie dies by the next morning however busy the thief keeps it.
  Micros session_lifetime = std::chrono::hours(12);
  // Last-seen and last-used times are written at most this often per session
  // or token: one write per request would load the single writer for a
  // precision nobody needs (the idle timeout is off by at most this much).
  Micros touch_interval = std::chrono::minutes(1);
  // How long a proven credential is believed without reading the database
  // again (auth_cache.hpp): what another server process's revocation or
  // password change may take to be seen here. This process's own changes
  // take effect at once.
  Micros auth_cache_ttl = std::chrono::seconds(5);
  // Enough for every integration a user runs; bounds the table per user.
  int max_live_api_tokens = 20;
  HashParams hashing;
  LoginThrottle::Options login_limits;
  // Self-registration per address: a family or a commune office registering
  // its members is fine, a script creating accounts is not.
  SlidingWindowLimiter::Options registration_limits{10, std::chrono::hours(1), 50'000};
};

struct User {
  std::int64_t id = 0;
  std::string username;
  std::string display_name;
  bool disabled = false;
  std::vector<RoleBinding> roles;
  TimePoint created_at{};
  TimePoint updated_at{};
};

// A certificate a leader may sign results with (issue 19): registered to
// their account by an administrator; a result is signed only with one of
// the signing account's own, not revoked.
struct SigningCertificate {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string subject, organization, issuer, serial, sha256;
  TimePoint not_after{};
  std::optional<std::int64_t> registered_by;  // none: `motcua demo`
  TimePoint registered_at{};
  std::optional<TimePoint> revoked_at;
};

struct NewUser {
  std::string username;  // lower-cased before it is checked
  std::string display_name;
  std::string password;
  std::vector<RoleBinding> roles;
};

struct UserPatch {
  std::optional<std::string> display_name;
  std::optional<bool> disabled;
};

struct UserPage {
  std::vector<User> users;
  std::optional<std::int64_t> next_after;  // pass as after_id for the next page
};

struct LoginResult {
  std::string session_token;  // the cookie value; shown once
  std::string csrf_token;
  Principal principal;
  TimePoint expires_at{};  // absolute end of the session
};

struct ApiTokenInfo {
  std::int64_t id = 0;
  std::string name;
  std::string prefix;  // "mct_" and the first characters, for recognising it
  TimePoint created_at{};
  std::optional<TimePoint> expires_at;
  std::optional<TimePoint> last_used_at;
  std::optional<TimePoint> revoked_at;
};

struct NewApiToken {
  ApiTokenInfo info;
  std::string secret;  // "mct_..."; shown once, never stored
};

// Why a rate-limited call was refused: the caller (HTTP) sends it as
// Retry-After. Filled only when the result is kResourceExhausted.
struct RetryAfter {
  std::chrono::seconds seconds{0};
};

class AccountService {
 public:
  // All three references must outlive the service. `units` answers
  // "is this unit below that one" for role checks.
  AccountService(storage::Store& store, const Clock& clock, const UnitHierarchy& units,
                 AccountOptions options = {});

  // Creates an account with no authorization check: for the bootstrap
  // command and for RegisterCitizen. Errors: kInvalidArgument naming
  // "username", "display_name", "password" or "roles"; kAlreadyExists naming
  // "username".
  [[nodiscard]] Result<User> CreateUser(const NewUser& user);
  // The same, on behalf of an administrator who must be allowed to grant
  // every role in user.roles (kPermissionDenied otherwise).
  [[nodiscard]] Result<User> CreateUserAs(const Principal& actor, const NewUser& user);
  // Self-registration of a citizen (role citizen, no unit). Limited per
  // address: kResourceExhausted with *retry_after filled.
  [[nodiscard]] Result<User> RegisterCitizen(std::string_view username,
                                             std::string_view display_name,
                                             std::string_view password, std::string_view ip,
                                             RetryAfter* retry_after = nullptr);

  // Errors: kUnauthenticated ("wrong username or password") for an unknown
  // user, a wrong password or a disabled account alike; kResourceExhausted
  // when too many attempts failed recently for this username and address or
  // this address (the password is then not even checked).
  [[nodiscard]] Result<LoginResult> Login(std::string_view username, std::string_view password,
                                          std::string_view ip, std::string_view user_agent,
                                          RetryAfter* retry_after = nullptr);
  // Ends the session; unknown or malformed tokens are not an error.
  [[nodiscard]] Status Logout(std::string_view session_token);
  // The principal of a live session (method kSession, csrf_token set), and
  // pushes its idle deadline forward. Errors: kUnauthenticated for a
  // malformed, unknown, idle, too old or disabled session.
  [[nodiscard]] Result<Principal> AuthenticateSession(std::string_view session_token);
  // The principal of an API token (method kApiToken). Errors:
  // kUnauthenticated for a malformed, unknown, revoked or expired token, or a
  // disabled owner.
  [[nodiscard]] Result<Principal> AuthenticateApiToken(std::string_view token);

  // Only from a browser session: a leaked token must not mint more
  // (kPermissionDenied). name: 1..100 characters. lifetime, if given (the
  // token then expires that long from now), must be positive.
  // kFailedPrecondition beyond max_live_api_tokens.
  [[nodiscard]] Result<NewApiToken> CreateApiToken(const Principal& owner, std::string_view name,
                                                   std::optional<Micros> lifetime);
  [[nodiscard]] Result<std::vector<ApiTokenInfo>> ListApiTokens(const Principal& owner);
  // kNotFound unless it is one of the owner's tokens and not yet revoked.
  [[nodiscard]] Status RevokeApiToken(const Principal& owner, std::int64_t token_id);

  // Administrators (province or system) only. limit: 1..200.
  [[nodiscard]] Result<UserPage> ListUsers(const Principal& actor, std::int64_t after_id,
                                           int limit);
  // Administrators, or the user themself.
  [[nodiscard]] Result<User> GetUser(const Principal& actor, std::int64_t user_id);
  // The actor must be able to manage the user (Principal::CanManage).
  // Disabling also ends the user's sessions.
  [[nodiscard]] Result<User> UpdateUser(const Principal& actor, std::int64_t user_id,
                                        const UserPatch& patch);
  [[nodiscard]] Status SetDisabled(const Principal& actor, std::int64_t user_id, bool disabled);
  // Replaces every binding. Each must name an existing unit (citizen: unit 0,
  // no subtree), and the actor must be able to manage the user as they are
  // and to grant every new binding. Errors: kInvalidArgument naming "roles",
  // kPermissionDenied, kNotFound.
  [[nodiscard]] Result<User> SetRoles(const Principal& actor, std::int64_t user_id,
                                      std::vector<RoleBinding> roles);
  // Requires the current password (limited like sign-in, per address) and a
  // new one that meets the policy; ends every other session of the user.
  // Only from a browser session (kPermissionDenied for API tokens).
  // Registers `certificate` (PEM or DER: the public part, never a private
  // key) to account `user_id`, for an administrator who may manage that
  // account. Errors: kPermissionDenied; kNotFound (no such account);
  // kInvalidArgument naming "certificate"; kAlreadyExists if it is
  // registered already, to anyone (one certificate signs for one person).
  [[nodiscard]] Result<SigningCertificate> RegisterSigningCertificate(const Principal& actor,
                                                                      std::int64_t user_id,
                                                                      std::string_view certificate);
  // For setup commands (`motcua demo`): registers `info` to account
  // `username` with no actor, unless it is registered already (to anyone).
  // Errors: kNotFound for no such account; those of the store.
  [[nodiscard]] Status RegisterSetupCertificate(std::string_view username,
                                                const documents::CertificateInfo& info);
  // Newest first; for the account itself, or an administrator who may see it.
  [[nodiscard]] Result<std::vector<SigningCertificate>> ListSigningCertificates(
      const Principal& actor, std::int64_t user_id);
  // Revokes one; the row stays. Errors: kPermissionDenied as for registering;
  // kNotFound for none of that account's not yet revoked.
  [[nodiscard]] Status RevokeSigningCertificate(const Principal& actor, std::int64_t user_id,
                                                std::int64_t certificate_id);

  [[nodiscard]] Status ChangePassword(const Principal& actor, std::string_view old_password,
                                      std::string_view new_password, std::string_view ip,
                                      RetryAfter* retry_after = nullptr);

  // Deletes sessions that can no longer be used; returns how many. For a
  // periodic job: expired sessions are refused anyway.
  [[nodiscard]] Result<std::int64_t> PurgeExpiredSessions();

  const AccountOptions& options() const { return options_; }

 private:
  Result<Principal> SessionPrincipal(std::string_view session_token);
  Status CheckRoles(storage::Tx& tx, const std::vector<RoleBinding>& roles) const;
  Result<User> LoadUser(std::int64_t user_id);

  storage::Store& store_;
  const Clock& clock_;
  const UnitHierarchy& units_;
  AccountOptions options_;
  PasswordHasher hasher_;
  // Verified against when the username is unknown, so that an unknown user
  // costs as much time as a wrong password.
  std::string dummy_hash_;
  LoginThrottle login_throttle_;
  SlidingWindowLimiter registration_limiter_;
  AuthCache auth_cache_;
};

}  // namespace motcua::accounts
