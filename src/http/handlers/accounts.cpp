#include "http/handlers/accounts.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <charconv>
#include <limits>
#include <memory>

#include "core/files/base64.hpp"
#include "http/auth.hpp"
#include "http/json_body.hpp"
#include "http/params.hpp"

namespace motcua::http {
namespace {

namespace json = boost::json;
using accounts::AccountService;
using accounts::FormatTime;
using accounts::Role;
using accounts::RoleBinding;

constexpr Micros kDay = std::chrono::hours(24);
// Usernames are at most 64 characters and passwords 128; the looser bounds
// here only keep absurd input out, so that the service gives the precise
// answer (and a login with an over-long name is just a failed login).
constexpr StringRules kUsernameRules{1, 256, true};
constexpr StringRules kPasswordRules{1, 1024, false};
constexpr StringRules kNameRules{1, 200, true};
// A year: long-lived integrations should rotate their tokens at least yearly.
constexpr std::int64_t kMaxTokenDays = 366;
constexpr int kDefaultPageSize = 50;

json::value RolesJson(const std::vector<RoleBinding>& roles) {
  json::array out;
  for (const RoleBinding& b : roles) {
    json::object o;
    o["role"] = accounts::RoleName(b.role);
    if (b.unit_id > 0) {
      o["unit_id"] = b.unit_id;
    } else {
      o["unit_id"] = nullptr;
    }
    o["subtree"] = b.subtree;
    out.push_back(std::move(o));
  }
  return out;
}

json::object CertificateJson(const accounts::SigningCertificate& c) {
  return {
      {"id", c.id},
      {"user_id", c.user_id},
      {"subject", c.subject},
      {"organization", c.organization},
      {"issuer", c.issuer},
      {"serial", c.serial},
      {"sha256", c.sha256},
      {"not_after", FormatTime(c.not_after)},
      {"registered_by", c.registered_by ? json::value(*c.registered_by) : json::value(nullptr)},
      {"registered_at", FormatTime(c.registered_at)},
      {"revoked_at", c.revoked_at ? json::value(FormatTime(*c.revoked_at)) : json::value(nullptr)}};
}

json::object UserJson(const accounts::User& u) {
  json::object o;
  o["id"] = u.id;
  o["username"] = u.username;
  o["display_name"] = u.display_name;
  o["disabled"] = u.disabled;
  o["roles"] = RolesJson(u.roles);
  o["created_at"] = FormatTime(u.created_at);
  o["updated_at"] = FormatTime(u.updated_at);
  return o;
}

json::object PrincipalJson(const accounts::Principal& p) {
  json::object o;
  o["id"] = p.user_id;
  o["username"] = p.username;
  o["display_name"] = p.display_name;
  o["roles"] = RolesJson(p.roles);
  return o;
}

json::object TokenJson(const accounts::ApiTokenInfo& t) {
  auto opt = [](const std::optional<TimePoint>& tp) -> json::value {
    if (!tp) return nullptr;
    return json::value(FormatTime(*tp));
  };
  json::object o;
  o["id"] = t.id;
  o["name"] = t.name;
  o["prefix"] = t.prefix;
  o["created_at"] = FormatTime(t.created_at);
  o["expires_at"] = opt(t.expires_at);
  o["last_used_at"] = opt(t.last_used_at);
  o["revoked_at"] = opt(t.revoked_at);
  return o;
}

// Secrets must not linger in shared or browser caches.
Response NoStore(Response res) {
  res.SetHeader("Cache-Control", "no-store");
  return res;
}

Response Error(const motcua::Error& e) { return NoStore(ErrorResponse(e)); }

Response Limited(const motcua::Error& e, accounts::RetryAfter retry) {
  Response res = Error(e);
  if (e.code == Code::kResourceExhausted) {
    res.SetHeader("Retry-After", std::to_string(retry.seconds.count()));
  }
  return res;
}

Result<std::int64_t> PositiveId(std::string_view text, std::string_view field) {
  std::int64_t id = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || ptr != text.data() + text.size() || id <= 0) {
    return InvalidField(std::string(field), "must be a positive integer");
  }
  return id;
}

// Reads [{role, unit_id, subtree}], reporting problems as "roles[i].field".
std::vector<RoleBinding> ReadRoles(ObjectReader& reader, bool required) {
  std::vector<RoleBinding> roles;
  const json::value* raw = reader.Raw("roles");
  if (raw == nullptr) {
    if (required) reader.Problem("roles", "is required");
    return roles;
  }
  if (!raw->is_array()) {
    reader.Problem("roles", "must be an array");
    return roles;
  }
  const json::array& items = raw->as_array();
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string where = "roles[" + std::to_string(i) + "]";
    if (!items[i].is_object()) {
      reader.Problem(where, "must be an object");
      continue;
    }
    ObjectReader item(items[i].as_object());
    const std::string name = item.RequiredString("role", {1, 32, true});
    const auto unit = item.OptionalInt("unit_id", 0, std::numeric_limits<std::int64_t>::max());
    const auto subtree = item.OptionalBool("subtree");
    const auto role = accounts::ParseRole(name);
    if (item.ok() && !role) item.Problem("role", "is not a known role");
    if (auto done = item.Finish(); !done) {
      for (const auto& [field, problem] : done.error().fields) {
        reader.Problem(where + "." + field, problem);
      }
      continue;
    }
    roles.push_back(RoleBinding{*role, unit.value_or(0), subtree.value_or(false)});
  }
  return roles;
}

class AccountRoutes {
 public:
  explicit AccountRoutes(AccountService& accounts) : accounts_(accounts) {}

  void Login(Request& req, const Responder& respond) {
    auto body = ParseJsonObject(req);
    if (!body) return respond(Error(body.error()));
    ObjectReader r(*body);
    const std::string username = r.RequiredString("username", kUsernameRules);
    const std::string password = r.RequiredString("password", kPasswordRules);
    if (auto done = r.Finish(); !done) return respond(Error(done.error()));
    accounts::RetryAfter retry;
    const std::string agent(req.Header("user-agent").value_or(""));
    auto login = accounts_.Login(username, password, req.remote_ip, agent, &retry);
    if (!login) return respond(Limited(login.error(), retry));
    json::object out;
    out["user"] = PrincipalJson(login->principal);
    out["csrf_token"] = login->csrf_token;
    out["expires_at"] = FormatTime(login->expires_at);
    Response res = NoStore(JsonResponse(200, std::move(out)));
    res.AddHeader("Set-Cookie", SessionCookie(login->session_token, req.secure, LifetimeSeconds()));
    respond(std::move(res));
  }

  void Logout(Request& req, const Responder& respond) {
    // Only a session that passed the CSRF check is ended: a forged request
    // cannot sign anybody out.
    if (req.principal && req.principal->method == accounts::AuthMethod::kSession) {
      if (auto cookie = req.Cookie(kSessionCookieName)) {
        if (auto done = accounts_.Logout(*cookie); !done) return respond(Error(done.error()));
      }
    }
    Response res;
    res.status = 204;
    res.AddHeader("Set-Cookie", ClearedSessionCookie(req.secure));
    respond(NoStore(std::move(res)));
  }

  void Me(Request& req, const Responder& respond) {
    if (auto ok = RequireAuthenticated(req); !ok) return respond(Error(ok.error()));
    const accounts::Principal& p = *req.principal;
    json::object out;
    out["user"] = PrincipalJson(p);
    const bool session = p.method == accounts::AuthMethod::kSession;
    out["auth"] = session ? "session" : "api_token";
    // The browser app keeps the CSRF token in memory; after a reload this is
    // where it gets it back.
    if (session) out["csrf_token"] = p.csrf_token;
    respond(NoStore(JsonResponse(200, std::move(out))));
  }

  void Register(Request& req, const Responder& respond) {
    auto body = ParseJsonObject(req);
    if (!body) return respond(Error(body.error()));
    ObjectReader r(*body);
    const std::string username = r.RequiredString("username", kUsernameRules);
    const std::string display_name = r.RequiredString("display_name", kNameRules);
    const std::string password = r.RequiredString("password", kPasswordRules);
    if (auto done = r.Finish(); !done) return respond(Error(done.error()));
    accounts::RetryAfter retry;
    auto user = accounts_.RegisterCitizen(username, display_name, password, req.remote_ip, &retry);
    if (!user) return respond(Limited(user.error(), retry));
    respond(JsonResponse(201, UserJson(*user)));
  }

  void ChangePassword(Request& req, const Responder& respond) {
    if (auto ok = RequireAuthenticated(req); !ok) return respond(Error(ok.error()));
    auto body = ParseJsonObject(req);
    if (!body) return respond(Error(body.error()));
    ObjectReader r(*body);
    const std::string old_password = r.RequiredString("old_password", kPasswordRules);
    const std::string new_password = r.RequiredString("new_password", kPasswordRules);
    if (auto done = r.Finish(); !done) return respond(Error(done.error()));
    accounts::RetryAfter retry;
    auto changed =
        accounts_.ChangePassword(*req.principal, old_password, new_password, req.remote_ip, &retry);
    if (!changed) return respond(Limited(changed.error(), retry));
    Response res;
    res.status = 204;
    respond(NoStore(std::move(res)));
  }

  void ListTokens(Request& req, const Responder& respond) {
    if (auto ok = RequireAuthenticated(req); !ok) return respond(Error(ok.error()));
    auto tokens = accounts_.ListApiTokens(*req.principal);
    if (!tokens) return respond(Error(tokens.error()));
    json::array items;
    for (const auto& t : *tokens) items.push_back(TokenJson(t));
    respond(NoStore(JsonResponse(200, json::object{{"items", std::move(items)}})));
  }

  void CreateToken(Request& req, const Responder& respond) {
    if (auto ok = RequireAuthenticated(req); !ok) return respond(Error(ok.error()));
    auto body = ParseJsonObject(req);
    if (!body) return respond(Error(body.error()));
    ObjectReader r(*body);
    const std::string name = r.RequiredString("name", {1, 100, true});
    const auto days = r.OptionalInt("expires_in_days", 1, kMaxTokenDays);
    if (auto done = r.Finish(); !done) return respond(Error(done.error()));
    std::optional<Micros> lifetime;
    if (days) lifetime = *days * kDay;
    auto created = accounts_.CreateApiToken(*req.principal, name, lifetime);
    if (!created) return respond(Error(created.error()));
    json::object out;
    out["token"] = TokenJson(created->info);
    out["secret"] = created->secret;
    respond(NoStore(JsonResponse(201, std::move(out))));
  }

  void RevokeToken(Request& req, const Responder& respond) {
    if (auto ok = RequireAuthenticated(req); !ok) return respond(Error(ok.error()));
    auto id = PathId(req);
    if (!id) return respond(Error(id.error()));
    if (auto done = accounts_.RevokeApiToken(*req.principal, *id); !done) {
      return respond(Error(done.error()));
    }
    Response res;
    res.status = 204;
    respond(std::move(res));
  }

  void ListUsers(Request& req, const Responder& respond) {
    if (auto ok = RequireAnyRole(req, {Role::kProvinceAdmin, Role::kSystemAdmin}); !ok) {
      return respond(Error(ok.error()));
    }
    std::int64_t after = 0;
    int limit = kDefaultPageSize;
    if (auto it = req.query.find("after"); it != req.query.end()) {
      auto v = PositiveId(it->second, "after");
      if (!v) return respond(Error(v.error()));
      after = *v;
    }
    if (auto it = req.query.find("limit"); it != req.query.end()) {
      auto v = PositiveId(it->second, "limit");
      if (!v || *v > 200) {
        return respond(Error(InvalidField("limit", "must be 1 to 200").error()));
      }
      limit = static_cast<int>(*v);
    }
    auto page = accounts_.ListUsers(*req.principal, after, limit);
    if (!page) return respond(Error(page.error()));
    json::array items;
    for (const auto& u : page->users) items.push_back(UserJson(u));
    json::object out;
    out["items"] = std::move(items);
    if (page->next_after) {
      out["next_after"] = *page->next_after;
    } else {
      out["next_after"] = nullptr;
    }
    respond(JsonResponse(200, std::move(out)));
  }

  void CreateUser(Request& req, const Responder& respond) {
    if (auto ok = RequireAnyRole(req, {Role::kProvinceAdmin, Role::kSystemAdmin}); !ok) {
      return respond(Error(ok.error()));
    }
    auto body = ParseJsonObject(req);
    if (!body) return respond(Error(body.error()));
    ObjectReader r(*body);
    accounts::NewUser user;
    user.username = r.RequiredString("username", kUsernameRules);
    user.display_name = r.RequiredString("display_name", kNameRules);
    user.password = r.RequiredString("password", kPasswordRules);
    user.roles = ReadRoles(r, false);
    if (auto done = r.Finish(); !done) return respond(Error(done.error()));
    auto created = accounts_.CreateUserAs(*req.principal, user);
    if (!created) return respond(Error(created.error()));
    respond(JsonResponse(201, UserJson(*created)));
  }

  void GetUser(Request& req, const Responder& respond) {
    if (auto ok = RequireAuthenticated(req); !ok) return respond(Error(ok.error()));
    auto id = PathId(req);
    if (!id) return respond(Error(id.error()));
    auto user = accounts_.GetUser(*req.principal, *id);
    if (!user) return respond(Error(user.error()));
    respond(JsonResponse(200, UserJson(*user)));
  }

  // A leader's signing certificates (issue 19): registered by an
  // administrator, the certificate as PEM text or base64 DER.
  void RegisterCertificate(Request& req, const Responder& respond) {
    if (auto ok = RequireAnyRole(req, {Role::kProvinceAdmin, Role::kSystemAdmin}); !ok)
      return respond(Error(ok.error()));
    auto id = PathId(req);
    if (!id) return respond(Error(id.error()));
    auto body = ParseJsonObject(req);
    if (!body) return respond(Error(body.error()));
    ObjectReader r(*body);
    std::string text = r.RequiredString("certificate", {.min_length = 1, .max_length = 64 * 1024});
    if (auto st = r.Finish(); !st) return respond(Error(st.error()));
    if (text.find("-----BEGIN") == std::string::npos) {
      auto der = files::DecodeBase64(text);  // the DER in base64
      if (!der)
        return respond(
            Error(InvalidField("certificate", "must be PEM, or the DER in base64").error()));
      text = std::move(*der);
    }
    auto cert = accounts_.RegisterSigningCertificate(*req.principal, *id, text);
    if (!cert) return respond(Error(cert.error()));
    respond(JsonResponse(201, CertificateJson(*cert)));
  }

  void ListCertificates(Request& req, const Responder& respond) {
    if (auto ok = RequireAuthenticated(req); !ok) return respond(Error(ok.error()));
    auto id = PathId(req);
    if (!id) return respond(Error(id.error()));
    auto list = accounts_.ListSigningCertificates(*req.principal, *id);
    if (!list) return respond(Error(list.error()));
    json::array items;
    for (const auto& c : *list) items.push_back(CertificateJson(c));
    respond(JsonResponse(200, json::object{{"items", std::move(items)}}));
  }

  void RevokeCertificate(Request& req, const Responder& respond) {
    if (auto ok = RequireAnyRole(req, {Role::kProvinceAdmin, Role::kSystemAdmin}); !ok)
      return respond(Error(ok.error()));
    auto id = PathId(req);
    if (!id) return respond(Error(id.error()));
    auto cert = ParsePositiveId(req.path_params.at("certificate"));
    if (!cert)
      return respond(Error(InvalidField("certificate", "must be a positive whole number").error()));
    if (auto st = accounts_.RevokeSigningCertificate(*req.principal, *id, *cert); !st)
      return respond(Error(st.error()));
    Response res;
    res.status = 204;
    respond(std::move(res));
  }

  void PatchUser(Request& req, const Responder& respond) {
    if (auto ok = RequireAnyRole(req, {Role::kProvinceAdmin, Role::kSystemAdmin}); !ok) {
      return respond(Error(ok.error()));
    }
    auto id = PathId(req);
    if (!id) return respond(Error(id.error()));
    auto body = ParseJsonObject(req);
    if (!body) return respond(Error(body.error()));
    ObjectReader r(*body);
    accounts::UserPatch patch;
    patch.display_name = r.OptionalString("display_name", kNameRules);
    patch.disabled = r.OptionalBool("disabled");
    if (auto done = r.Finish(); !done) return respond(Error(done.error()));
    auto user = accounts_.UpdateUser(*req.principal, *id, patch);
    if (!user) return respond(Error(user.error()));
    respond(JsonResponse(200, UserJson(*user)));
  }

  void PutRoles(Request& req, const Responder& respond) {
    if (auto ok = RequireAnyRole(req, {Role::kProvinceAdmin, Role::kSystemAdmin}); !ok) {
      return respond(Error(ok.error()));
    }
    auto id = PathId(req);
    if (!id) return respond(Error(id.error()));
    auto body = ParseJsonObject(req);
    if (!body) return respond(Error(body.error()));
    ObjectReader r(*body);
    auto roles = ReadRoles(r, true);
    if (auto done = r.Finish(); !done) return respond(Error(done.error()));
    auto user = accounts_.SetRoles(*req.principal, *id, std::move(roles));
    if (!user) return respond(Error(user.error()));
    respond(JsonResponse(200, UserJson(*user)));
  }

 private:
  std::chrono::seconds LifetimeSeconds() const {
    return std::chrono::duration_cast<std::chrono::seconds>(accounts_.options().session_lifetime);
  }

  AccountService& accounts_;
};

}  // namespace

void RegisterAccountRoutes(Router& router, AccountService& accounts,
                           const accounts::UnitHierarchy& units) {
  // Every role decision here is made by the service, which holds the same
  // hierarchy; the parameter keeps the registration uniform with the other
  // areas, whose handlers check units themselves.
  (void)units;
  auto routes = std::make_shared<AccountRoutes>(accounts);
  auto bind = [routes](void (AccountRoutes::*method)(Request&, const Responder&)) -> Handler {
    return [routes, method](Request& req, Responder respond) { ((*routes).*method)(req, respond); };
  };
  router.Add("POST", "/api/v1/auth/login", bind(&AccountRoutes::Login));
  router.Add("POST", "/api/v1/auth/logout", bind(&AccountRoutes::Logout));
  router.Add("GET", "/api/v1/auth/me", bind(&AccountRoutes::Me));
  router.Add("POST", "/api/v1/auth/register", bind(&AccountRoutes::Register));
  router.Add("POST", "/api/v1/auth/password", bind(&AccountRoutes::ChangePassword));
  router.Add("GET", "/api/v1/auth/tokens", bind(&AccountRoutes::ListTokens));
  router.Add("POST", "/api/v1/auth/tokens", bind(&AccountRoutes::CreateToken));
  router.Add("DELETE", "/api/v1/auth/tokens/{id}", bind(&AccountRoutes::RevokeToken));
  router.Add("GET", "/api/v1/users", bind(&AccountRoutes::ListUsers));
  router.Add("POST", "/api/v1/users", bind(&AccountRoutes::CreateUser));
  router.Add("GET", "/api/v1/users/{id}", bind(&AccountRoutes::GetUser));
  router.Add("PATCH", "/api/v1/users/{id}", bind(&AccountRoutes::PatchUser));
  router.Add("PUT", "/api/v1/users/{id}/roles", bind(&AccountRoutes::PutRoles));
  router.Add("GET", "/api/v1/users/{id}/certificates", bind(&AccountRoutes::ListCertificates));
  router.Add("POST", "/api/v1/users/{id}/certificates", bind(&AccountRoutes::RegisterCertificate));
  router.Add("DELETE", "/api/v1/users/{id}/certificates/{certificate}",
             bind(&AccountRoutes::RevokeCertificate));
}

}  // namespace motcua::http
