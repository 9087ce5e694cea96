#include "services/accounts/account_service.hpp"

#include <algorithm>
#include <set>
#include <utility>

#include "common/check.hpp"
#include "common/log.hpp"
#include "core/accounts/credentials_policy.hpp"
#include "documents/signing.hpp"
#include "services/accounts/secrets.hpp"
#include "storage/accounts_repo.hpp"
#include "storage/certificates_repo.hpp"

namespace motcua::accounts {
namespace {

// Clears the cache of proven credentials when a mutation returns, after its
// commit (or its failure: clearing too often only costs a database read).
struct ClearAuthCacheOnExit {
  AuthCache& cache;
  ~ClearAuthCacheOnExit() { cache.Clear(); }
};

namespace repo = storage::accounts;
using storage::Tx;

// 256 bits: unguessable, and the reason a plain SHA-256 suffices for storage.
constexpr std::size_t kSecretBytes = 32;
constexpr std::size_t kSecretChars = 43;  // base64url of 32 bytes, unpadded
// Marks our tokens so secret scanners (and people) recognise a leaked one.
constexpr std::string_view kApiTokenPrefix = "mct_";
// "mct_" and six characters (36 bits): tells tokens apart in a list while
// revealing nothing useful about the secret.
constexpr std::size_t kShownPrefixChars = 10;
constexpr std::size_t kMaxDisplayName = 200;
constexpr std::size_t kMaxTokenName = 100;
// A user needs a handful of bindings; the cap bounds the rows one request writes.
constexpr std::size_t kMaxBindings = 32;
constexpr int kMaxPageSize = 200;
// Stored for the user's list of sessions and for audits, not trusted; the
// cut keeps a hostile header from bloating the table.
constexpr std::size_t kMaxUserAgent = 512;
constexpr std::size_t kMaxIp = 64;

constexpr std::string_view kBadCredentials = "wrong username or password";
constexpr std::string_view kBadSession = "the session has ended or is not valid; sign in again";
constexpr std::string_view kBadToken = "the API token is not valid, has expired or was revoked";

std::chrono::seconds WholeSeconds(Micros wait) {
  return std::max(std::chrono::seconds(1), std::chrono::ceil<std::chrono::seconds>(wait));
}

User ToUser(const repo::UserRow& row) {
  return User{row.id,    row.username,   row.display_name, row.disabled,
              row.roles, row.created_at, row.updated_at};
}

Principal ToPrincipal(const repo::UserRow& row, AuthMethod method, std::int64_t credential_id) {
  Principal p;
  p.user_id = row.id;
  p.username = row.username;
  p.display_name = row.display_name;
  p.roles = row.roles;
  p.method = method;
  p.credential_id = credential_id;
  return p;
}

ApiTokenInfo ToInfo(const repo::ApiTokenRow& row) {
  return ApiTokenInfo{row.id,         row.name,         row.prefix,    row.created_at,
                      row.expires_at, row.last_used_at, row.revoked_at};
}

Error NotAllowed() {
  return Error{Code::kPermissionDenied, "you are not allowed to manage this account", {}};
}

}  // namespace

AccountService::AccountService(storage::Store& store, const Clock& clock,
                               const UnitHierarchy& units, AccountOptions options)
    : store_(store),
      clock_(clock),
      units_(units),
      options_(std::move(options)),
      hasher_(options_.hashing),
      login_throttle_(options_.login_limits),
      registration_limiter_(options_.registration_limits) {
  auto secret = RandomToken(kSecretBytes);
  MOTCUA_CHECK(secret.has_value());
  auto hash = hasher_.Hash(*secret);
  MOTCUA_CHECK(hash.has_value());
  dummy_hash_ = std::move(*hash);
}

Status AccountService::CheckRoles(Tx& tx, const std::vector<RoleBinding>& roles) const {
  if (roles.size() > kMaxBindings) return InvalidField("roles", "at most 32 bindings");
  std::set<std::pair<Role, std::int64_t>> seen;
  for (const RoleBinding& b : roles) {
    const std::string role(RoleName(b.role));
    if (b.role == Role::kCitizen) {
      if (b.unit_id != 0 || b.subtree) {
        return InvalidField("roles", "the citizen role is not bound to a unit");
      }
    } else {
      if (b.unit_id <= 0) return InvalidField("roles", role + " needs a unit_id");
      if (!MOTCUA_TRY(repo::UnitExists(tx, b.unit_id))) {
        return InvalidField("roles", "unit " + std::to_string(b.unit_id) + " does not exist");
      }
    }
    if (!seen.emplace(b.role, b.unit_id).second) {
      return InvalidField("roles", role + " is bound twice to the same unit");
    }
  }
  return {};
}

Result<User> AccountService::CreateUser(const NewUser& user) {
  const std::string username = NormalizeUsername(user.username);
  MOTCUA_TRY_VOID(CheckUsername(username));
  MOTCUA_TRY_VOID(CheckDisplayText(user.display_name, "display_name", kMaxDisplayName));
  MOTCUA_TRY_VOID(CheckPassword(user.password, username));
  // Hash before queueing the write: argon2 takes tens of milliseconds and
  // must not hold up the single writer.
  const std::string hash = MOTCUA_TRY(hasher_.Hash(user.password));
  const TimePoint now = clock_.Now();
  repo::UserRow row;
  row.username = username;
  row.display_name = user.display_name;
  row.password_hash = hash;
  row.created_at = row.updated_at = row.password_changed_at = now;
  row.roles = user.roles;
  Status written = store_.WriteSync([&](Tx& tx) -> Status {
    MOTCUA_TRY_VOID(CheckRoles(tx, row.roles));
    if (MOTCUA_TRY(repo::FindUserByUsername(tx, username))) {
      return Fail(Error{Code::kAlreadyExists, "this username is taken", {}}.With(
          "username", "is already taken"));
    }
    row.id = MOTCUA_TRY(repo::InsertUser(tx, row));
    return repo::ReplaceRoles(tx, row.id, row.roles);
  });
  if (!written) {
    // Two concurrent creations of one name: the unique index decides.
    if (written.error().code == Code::kAlreadyExists && written.error().fields.empty()) {
      return Fail(Error{Code::kAlreadyExists, "this username is taken", {}}.With(
          "username", "is already taken"));
    }
    return Fail(std::move(written.error()));
  }
  log::Info("user created", {{"user_id", row.id}});
  return ToUser(row);
}

Result<User> AccountService::CreateUserAs(const Principal& actor, const NewUser& user) {
  if (!actor.IsAdministrator()) return Fail(NotAllowed());
  for (const RoleBinding& b : user.roles) {
    if (!actor.CanGrant(b, units_)) {
      return Fail(Code::kPermissionDenied,
                  "you may not grant " + std::string(RoleName(b.role)) + " on that unit");
    }
  }
  return CreateUser(user);
}

Result<User> AccountService::RegisterCitizen(std::string_view username,
                                             std::string_view display_name,
                                             std::string_view password, std::string_view ip,
                                             RetryAfter* retry_after) {
  // Every attempt counts, successful or not: registration also tells whether
  // a username is taken, and the limit keeps that from becoming a fast oracle.
  if (auto wait = registration_limiter_.TryAcquire(LoginThrottle::IpKey(ip), clock_.Now())) {
    if (retry_after) retry_after->seconds = WholeSeconds(*wait);
    return Fail(Code::kResourceExhausted, "too many registrations from this address; try later");
  }
  return CreateUser(NewUser{std::string(username),
                            std::string(display_name),
                            std::string(password),
                            {RoleBinding{Role::kCitizen, 0, false}}});
}

Result<LoginResult> AccountService::Login(std::string_view username_in, std::string_view password,
                                          std::string_view ip, std::string_view user_agent,
                                          RetryAfter* retry_after) {
  const TimePoint now = clock_.Now();
  const std::string username = NormalizeUsername(username_in);
  if (auto wait = login_throttle_.TryAcquire(username, ip, now)) {
    if (retry_after) retry_after->seconds = WholeSeconds(*wait);
    log::Warn("sign-in throttled", {{"ip", ip}});
    return Fail(Code::kResourceExhausted, "too many failed sign-in attempts; try again later");
  }
  std::optional<repo::UserRow> row;
  if (CheckUsername(username)) {
    MOTCUA_TRY_VOID(store_.Read([&](Tx& tx) -> Status {
      row = MOTCUA_TRY(repo::FindUserByUsername(tx, username));
      return {};
    }));
  }
  // Always one argon2 verification, against a dummy hash if there is no such
  // user, so that timing does not reveal which usernames exist.
  const bool password_ok = hasher_.Verify(row ? row->password_hash : dummy_hash_, password);
  if (!row || !password_ok || row->disabled) {
    log::Info("sign-in refused", {{"ip", ip}});
    return Fail(Code::kUnauthenticated, std::string(kBadCredentials));
  }
  login_throttle_.Succeeded(username, ip, now);

  LoginResult result;
  result.session_token = MOTCUA_TRY(RandomToken(kSecretBytes));
  result.csrf_token = MOTCUA_TRY(RandomToken(kSecretBytes));
  result.expires_at = now + options_.session_lifetime;
  repo::SessionRow session;
  session.user_id = row->id;
  session.token_hash = Sha256Hex(result.session_token);
  session.csrf_token = result.csrf_token;
  session.created_at = session.last_seen_at = now;
  session.expires_at = result.expires_at;
  session.ip = std::string(ip.substr(0, kMaxIp));
  session.user_agent = std::string(user_agent.substr(0, kMaxUserAgent));
  MOTCUA_TRY_VOID(store_.WriteSync([&](Tx& tx) -> Status {
    session.id = MOTCUA_TRY(repo::InsertSession(tx, session));
    return {};
  }));
  result.principal = ToPrincipal(*row, AuthMethod::kSession, session.id);
  result.principal.csrf_token = result.csrf_token;
  log::Info("signed in", {{"user_id", row->id}, {"ip", ip}});
  return result;
}

Status AccountService::Logout(std::string_view session_token) {
  // Whatever this changes, credentials proven before it are proven again.
  ClearAuthCacheOnExit clear_on_exit{auth_cache_};
  if (!IsBase64UrlOfLength(session_token, kSecretChars)) return {};
  const std::string hash = Sha256Hex(session_token);
  return store_.WriteSync([&](Tx& tx) -> Status {
    MOTCUA_TRY_VOID(repo::DeleteSession(tx, hash));
    return {};
  });
}

Result<Principal> AccountService::AuthenticateSession(std::string_view session_token) {
  if (!IsBase64UrlOfLength(session_token, kSecretChars)) {
    return Fail(Code::kUnauthenticated, std::string(kBadSession));
  }
  const std::string hash = Sha256Hex(session_token);
  if (auto cached = auth_cache_.Find(hash, clock_.Now())) return std::move(*cached);
  const std::uint64_t generation = auth_cache_.Generation();
  std::optional<repo::SessionRow> session;
  std::optional<repo::UserRow> user;
  MOTCUA_TRY_VOID(store_.Read([&](Tx& tx) -> Status {
    session = MOTCUA_TRY(repo::FindSession(tx, hash));
    if (session) user = MOTCUA_TRY(repo::FindUserById(tx, session->user_id));
    return {};
  }));
  if (!session || !user) return Fail(Code::kUnauthenticated, std::string(kBadSession));
  const TimePoint now = clock_.Now();
  if (now >= session->expires_at || now >= session->last_seen_at + options_.session_idle_timeout) {
    // Best effort: PurgeExpiredSessions catches whatever this misses.
    Status deleted = store_.WriteSync([&](Tx& tx) -> Status {
      MOTCUA_TRY_VOID(repo::DeleteSession(tx, hash));
      return {};
    });
    if (!deleted)
      log::Warn("could not delete an expired session", {{"error", deleted.error().message}});
    auth_cache_.Clear();
    return Fail(Code::kUnauthenticated, std::string(kBadSession));
  }
  if (user->disabled) return Fail(Code::kUnauthenticated, std::string(kBadSession));
  TimePoint last_seen = session->last_seen_at;
  if (now - session->last_seen_at >= options_.touch_interval) {
    Status touched = store_.WriteSync(
        [&](Tx& tx) -> Status { return repo::TouchSession(tx, session->id, now); });
    // The request may go on: at worst the session idles out a minute early.
    if (!touched)
      log::Warn("could not touch a session", {{"error", touched.error().message}});
    else
      last_seen = now;
  }
  Principal p = ToPrincipal(*user, AuthMethod::kSession, session->id);
  p.csrf_token = session->csrf_token;
  auth_cache_.Put(hash, generation, p,
                  std::min({now + options_.auth_cache_ttl, session->expires_at,
                            last_seen + options_.touch_interval}));
  return p;
}

Result<Principal> AccountService::AuthenticateApiToken(std::string_view token) {
  if (!token.starts_with(kApiTokenPrefix) ||
      !IsBase64UrlOfLength(token.substr(kApiTokenPrefix.size()), kSecretChars)) {
    return Fail(Code::kUnauthenticated, std::string(kBadToken));
  }
  const std::string hash = Sha256Hex(token);
  if (auto cached = auth_cache_.Find(hash, clock_.Now())) return std::move(*cached);
  const std::uint64_t generation = auth_cache_.Generation();
  std::optional<repo::ApiTokenRow> row;
  std::optional<repo::UserRow> user;
  MOTCUA_TRY_VOID(store_.Read([&](Tx& tx) -> Status {
    row = MOTCUA_TRY(repo::FindApiToken(tx, hash));
    if (row) user = MOTCUA_TRY(repo::FindUserById(tx, row->user_id));
    return {};
  }));
  const TimePoint now = clock_.Now();
  if (!row || !user || user->disabled || row->revoked_at ||
      (row->expires_at && now >= *row->expires_at)) {
    return Fail(Code::kUnauthenticated, std::string(kBadToken));
  }
  TimePoint last_used = row->last_used_at.value_or(now);
  if (!row->last_used_at || now - *row->last_used_at >= options_.touch_interval) {
    Status touched =
        store_.WriteSync([&](Tx& tx) -> Status { return repo::TouchApiToken(tx, row->id, now); });
    if (!touched)
      log::Warn("could not touch an API token", {{"error", touched.error().message}});
    else
      last_used = now;
  }
  Principal p = ToPrincipal(*user, AuthMethod::kApiToken, row->id);
  TimePoint valid_until =
      std::min(now + options_.auth_cache_ttl, last_used + options_.touch_interval);
  if (row->expires_at) valid_until = std::min(valid_until, *row->expires_at);
  auth_cache_.Put(hash, generation, p, valid_until);
  return p;
}

Result<NewApiToken> AccountService::CreateApiToken(const Principal& owner, std::string_view name,
                                                   std::optional<Micros> lifetime) {
  if (owner.method != AuthMethod::kSession) {
    return Fail(Code::kPermissionDenied, "API tokens can only be created from a signed-in session");
  }
  MOTCUA_TRY_VOID(CheckDisplayText(name, "name", kMaxTokenName));
  const TimePoint now = clock_.Now();
  if (lifetime && lifetime->count() <= 0) return InvalidField("expires_in", "must be positive");
  NewApiToken created;
  created.secret = std::string(kApiTokenPrefix) + MOTCUA_TRY(RandomToken(kSecretBytes));
  repo::ApiTokenRow row;
  row.user_id = owner.user_id;
  row.name = std::string(name);
  row.token_hash = Sha256Hex(created.secret);
  row.prefix = created.secret.substr(0, kShownPrefixChars);
  row.created_at = now;
  if (lifetime) row.expires_at = now + *lifetime;
  MOTCUA_TRY_VOID(store_.WriteSync([&](Tx& tx) -> Status {
    const std::int64_t live = MOTCUA_TRY(repo::CountLiveApiTokens(tx, owner.user_id, now));
    if (live >= options_.max_live_api_tokens) {
      return Fail(Code::kFailedPrecondition,
                  "too many API tokens; revoke one you no longer use first");
    }
    row.id = MOTCUA_TRY(repo::InsertApiToken(tx, row));
    return {};
  }));
  created.info = ToInfo(row);
  log::Info("API token created", {{"user_id", owner.user_id}, {"token_id", row.id}});
  return created;
}

Result<std::vector<ApiTokenInfo>> AccountService::ListApiTokens(const Principal& owner) {
  std::vector<ApiTokenInfo> out;
  MOTCUA_TRY_VOID(store_.Read([&](Tx& tx) -> Status {
    for (const auto& row : MOTCUA_TRY(repo::ListApiTokens(tx, owner.user_id))) {
      out.push_back(ToInfo(row));
    }
    return {};
  }));
  return out;
}

Status AccountService::RevokeApiToken(const Principal& owner, std::int64_t token_id) {
  // Whatever this changes, credentials proven before it are proven again.
  ClearAuthCacheOnExit clear_on_exit{auth_cache_};
  const TimePoint now = clock_.Now();
  MOTCUA_TRY_VOID(store_.WriteSync([&](Tx& tx) -> Status {
    if (!MOTCUA_TRY(repo::RevokeApiToken(tx, owner.user_id, token_id, now))) {
      return Fail(Code::kNotFound, "no such API token");
    }
    return {};
  }));
  log::Info("API token revoked", {{"user_id", owner.user_id}, {"token_id", token_id}});
  return {};
}

Result<UserPage> AccountService::ListUsers(const Principal& actor, std::int64_t after_id,
                                           int limit) {
  if (!actor.IsAdministrator()) return Fail(NotAllowed());
  if (limit < 1 || limit > kMaxPageSize) return InvalidField("limit", "must be 1 to 200");
  UserPage page;
  MOTCUA_TRY_VOID(store_.Read([&](Tx& tx) -> Status {
    // The accounts this administrator may see, read in batches until the
    // page is full, and one more that tells whether another page follows.
    constexpr int kBatch = 500;
    std::int64_t cursor = after_id;
    for (;;) {
      auto rows = MOTCUA_TRY(repo::ListUsers(tx, cursor, kBatch));
      for (const auto& r : rows) {
        cursor = r.id;
        if (!actor.CanSeeAccount(r.roles, units_)) continue;
        if (page.users.size() == static_cast<std::size_t>(limit)) {
          page.next_after = page.users.back().id;
          return {};
        }
        page.users.push_back(ToUser(r));
      }
      if (rows.size() < static_cast<std::size_t>(kBatch)) return {};
    }
  }));
  return page;
}

Result<User> AccountService::LoadUser(std::int64_t user_id) {
  std::optional<repo::UserRow> row;
  MOTCUA_TRY_VOID(store_.Read([&](Tx& tx) -> Status {
    row = MOTCUA_TRY(repo::FindUserById(tx, user_id));
    return {};
  }));
  if (!row) return Fail(Code::kNotFound, "no such user");
  return ToUser(*row);
}

Result<User> AccountService::GetUser(const Principal& actor, std::int64_t user_id) {
  if (!actor.IsAdministrator() && actor.user_id != user_id) return Fail(NotAllowed());
  auto user = MOTCUA_TRY(LoadUser(user_id));
  // Beyond their scope an administrator learns nothing, not even that it exists.
  if (actor.user_id != user_id && !actor.CanSeeAccount(user.roles, units_))
    return Fail(Code::kNotFound, "no such user");
  return user;
}

Result<User> AccountService::UpdateUser(const Principal& actor, std::int64_t user_id,
                                        const UserPatch& patch) {
  // Whatever this changes, credentials proven before it are proven again.
  ClearAuthCacheOnExit clear_on_exit{auth_cache_};
  if (!actor.IsAdministrator()) return Fail(NotAllowed());
  if (patch.display_name) {
    MOTCUA_TRY_VOID(CheckDisplayText(*patch.display_name, "display_name", kMaxDisplayName));
  }
  if (patch.disabled.value_or(false) && actor.user_id == user_id) {
    return Fail(Error{Code::kFailedPrecondition, "you cannot disable your own account", {}}.With(
        "disabled", "cannot disable yourself"));
  }
  const TimePoint now = clock_.Now();
  MOTCUA_TRY_VOID(store_.WriteSync([&](Tx& tx) -> Status {
    auto target = MOTCUA_TRY(repo::FindUserById(tx, user_id));
    // An account beyond the actor's sight answers as one that does not exist
    // (issue 19): a 403 would tell which ids are taken.
    if (!target || !actor.CanSeeAccount(target->roles, units_))
      return Fail(Code::kNotFound, "no such user");
    if (!actor.CanManage(target->roles, units_)) return Fail(NotAllowed());
    MOTCUA_TRY_VOID(repo::UpdateUser(tx, user_id, patch.display_name, patch.disabled, now));
    if (patch.disabled.value_or(false)) {
      MOTCUA_TRY_VOID(repo::DeleteSessionsOfUser(tx, user_id, 0));
    }
    return {};
  }));
  if (patch.disabled) {
    log::Info(*patch.disabled ? "user disabled" : "user enabled",
              {{"user_id", user_id}, {"by", actor.user_id}});
  }
  return LoadUser(user_id);
}

Status AccountService::SetDisabled(const Principal& actor, std::int64_t user_id, bool disabled) {
  // Whatever this changes, credentials proven before it are proven again.
  ClearAuthCacheOnExit clear_on_exit{auth_cache_};
  MOTCUA_TRY_VOID(UpdateUser(actor, user_id, UserPatch{std::nullopt, disabled}));
  return {};
}

Result<User> AccountService::SetRoles(const Principal& actor, std::int64_t user_id,
                                      std::vector<RoleBinding> roles) {
  // Whatever this changes, credentials proven before it are proven again.
  ClearAuthCacheOnExit clear_on_exit{auth_cache_};
  if (!actor.IsAdministrator()) return Fail(NotAllowed());
  for (const RoleBinding& b : roles) {
    if (!actor.CanGrant(b, units_)) {
      return Fail(Code::kPermissionDenied,
                  "you may not grant " + std::string(RoleName(b.role)) + " on that unit");
    }
  }
  MOTCUA_TRY_VOID(store_.WriteSync([&](Tx& tx) -> Status {
    auto target = MOTCUA_TRY(repo::FindUserById(tx, user_id));
    if (!target) return Fail(Code::kNotFound, "no such user");
    if (!actor.CanManage(target->roles, units_)) return Fail(NotAllowed());
    MOTCUA_TRY_VOID(CheckRoles(tx, roles));
    return repo::ReplaceRoles(tx, user_id, roles);
  }));
  log::Info("roles changed", {{"user_id", user_id}, {"by", actor.user_id}});
  return LoadUser(user_id);
}

Status AccountService::ChangePassword(const Principal& actor, std::string_view old_password,
                                      std::string_view new_password, std::string_view ip,
                                      RetryAfter* retry_after) {
  // Whatever this changes, credentials proven before it are proven again.
  ClearAuthCacheOnExit clear_on_exit{auth_cache_};
  if (actor.method != AuthMethod::kSession) {
    return Fail(Code::kPermissionDenied, "passwords can only be changed from a signed-in session");
  }
  const TimePoint now = clock_.Now();
  // Someone holding a stolen session could otherwise guess the password here
  // at full speed, so this counts as a sign-in attempt.
  if (auto wait = login_throttle_.TryAcquire(actor.username, ip, now)) {
    if (retry_after) retry_after->seconds = WholeSeconds(*wait);
    return Fail(Code::kResourceExhausted, "too many failed attempts; try again later");
  }
  std::optional<repo::UserRow> row;
  MOTCUA_TRY_VOID(store_.Read([&](Tx& tx) -> Status {
    row = MOTCUA_TRY(repo::FindUserById(tx, actor.user_id));
    return {};
  }));
  if (!row) return Fail(Code::kUnauthenticated, std::string(kBadSession));
  if (!hasher_.Verify(row->password_hash, old_password)) {
    return Fail(Error{Code::kInvalidArgument, "the current password is wrong", {}}.With(
        "old_password", "is wrong"));
  }
  login_throttle_.Succeeded(actor.username, ip, now);
  if (auto bad = CheckPassword(new_password, row->username); !bad) {
    auto e = std::move(bad.error());
    e.fields = {{"new_password", e.fields.begin()->second}};
    e.message = "invalid new_password: " + e.fields.begin()->second;
    return Fail(std::move(e));
  }
  const std::string hash = MOTCUA_TRY(hasher_.Hash(new_password));
  MOTCUA_TRY_VOID(store_.WriteSync([&](Tx& tx) -> Status {
    MOTCUA_TRY_VOID(repo::SetPasswordHash(tx, actor.user_id, hash, now));
    MOTCUA_TRY_VOID(repo::DeleteSessionsOfUser(tx, actor.user_id, actor.credential_id));
    return {};
  }));
  log::Info("password changed", {{"user_id", actor.user_id}});
  return {};
}

Result<std::int64_t> AccountService::PurgeExpiredSessions() {
  // Whatever this changes, credentials proven before it are proven again.
  ClearAuthCacheOnExit clear_on_exit{auth_cache_};
  const TimePoint now = clock_.Now();
  std::int64_t deleted = 0;
  MOTCUA_TRY_VOID(store_.WriteSync([&](Tx& tx) -> Status {
    deleted = MOTCUA_TRY(repo::DeleteExpiredSessions(tx, now, now - options_.session_idle_timeout));
    return {};
  }));
  return deleted;
}

namespace {

SigningCertificate ToCertificate(const storage::certificates::CertificateRow& r) {
  return {r.id,     r.user_id,   r.subject,       r.organization,  r.issuer,    r.serial,
          r.sha256, r.not_after, r.registered_by, r.registered_at, r.revoked_at};
}

storage::certificates::CertificateRow RowOf(std::int64_t user_id,
                                            const documents::CertificateInfo& info,
                                            std::optional<std::int64_t> by, TimePoint now) {
  return {.user_id = user_id,
          .sha256 = info.sha256,
          .subject = info.subject,
          .organization = info.organization,
          .issuer = info.issuer,
          .serial = info.serial,
          .not_after = info.not_after,
          .registered_by = by,
          .registered_at = now};
}

}  // namespace

Status AccountService::RegisterSetupCertificate(std::string_view username,
                                                const documents::CertificateInfo& info) {
  const TimePoint now = clock_.Now();
  return store_.WriteSync([&](Tx& tx) -> Status {
    if (MOTCUA_TRY(storage::certificates::FindBySha256(tx, info.sha256))) return {};
    auto account = MOTCUA_TRY(repo::FindUserByUsername(tx, username));
    if (!account) return Fail(Code::kNotFound, "no user " + std::string(username));
    MOTCUA_TRY(storage::certificates::Insert(tx, RowOf(account->id, info, std::nullopt, now)));
    return {};
  });
}

Result<SigningCertificate> AccountService::RegisterSigningCertificate(
    const Principal& actor, std::int64_t user_id, std::string_view certificate) {
  if (!actor.IsAdministrator()) return Fail(NotAllowed());
  const documents::CertificateInfo info = MOTCUA_TRY(documents::ReadCertificate(certificate));
  const TimePoint now = clock_.Now();
  auto row = RowOf(user_id, info, actor.user_id, now);
  MOTCUA_TRY_VOID(store_.WriteSync([&](Tx& tx) -> Status {
    auto target = MOTCUA_TRY(repo::FindUserById(tx, user_id));
    if (!target || !actor.CanSeeAccount(target->roles, units_))
      return Fail(Code::kNotFound, "no such user");
    if (!actor.CanManage(target->roles, units_)) return Fail(NotAllowed());
    if (MOTCUA_TRY(storage::certificates::FindBySha256(tx, info.sha256)))
      return Fail(Error{
          Code::kAlreadyExists,
          "this certificate is registered already (one certificate signs for one "
          "person)",
          {}}.With("certificate", "is registered already"));
    row.id = MOTCUA_TRY(storage::certificates::Insert(tx, row));
    return {};
  }));
  log::Info("signing certificate registered",
            {{"user_id", user_id}, {"by", actor.user_id}, {"sha256", info.sha256}});
  return ToCertificate(row);
}

Result<std::vector<SigningCertificate>> AccountService::ListSigningCertificates(
    const Principal& actor, std::int64_t user_id) {
  std::vector<SigningCertificate> out;
  MOTCUA_TRY_VOID(store_.Read([&](Tx& tx) -> Status {
    if (actor.user_id != user_id) {
      auto target = MOTCUA_TRY(repo::FindUserById(tx, user_id));
      if (!actor.IsAdministrator() || !target || !actor.CanSeeAccount(target->roles, units_))
        return Fail(Code::kNotFound, "no such user");
    }
    for (const auto& r : MOTCUA_TRY(storage::certificates::ListOfUser(tx, user_id)))
      out.push_back(ToCertificate(r));
    return {};
  }));
  return out;
}

Status AccountService::RevokeSigningCertificate(const Principal& actor, std::int64_t user_id,
                                                std::int64_t certificate_id) {
  if (!actor.IsAdministrator()) return Fail(NotAllowed());
  const TimePoint now = clock_.Now();
  MOTCUA_TRY_VOID(store_.WriteSync([&](Tx& tx) -> Status {
    auto target = MOTCUA_TRY(repo::FindUserById(tx, user_id));
    if (!target || !actor.CanSeeAccount(target->roles, units_))
      return Fail(Code::kNotFound, "no such user");
    if (!actor.CanManage(target->roles, units_)) return Fail(NotAllowed());
    if (!MOTCUA_TRY(storage::certificates::Revoke(tx, user_id, certificate_id, now)))
      return Fail(Code::kNotFound, "no such signing certificate of this user, or revoked already");
    return {};
  }));
  log::Info("signing certificate revoked",
            {{"user_id", user_id}, {"by", actor.user_id}, {"certificate_id", certificate_id}});
  return {};
}

}  // namespace motcua::accounts
