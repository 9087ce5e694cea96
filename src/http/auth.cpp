#include "http/auth.hpp"

#include <algorithm>

#include "services/accounts/secrets.hpp"

namespace motcua::http {
namespace {

using accounts::AuthMethod;
using accounts::Principal;

// "mct_" plus 43 characters today; the bound leaves room for a longer
// format later while keeping absurd headers out of the service.
constexpr std::size_t kMaxBearerToken = 256;

bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; };
           return lower(x) == lower(y);
         });
}

bool IsStateChanging(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

// The token of "Bearer <token>", or nullopt if the header has another shape.
// RFC 6750: the scheme is case-insensitive, the token is visible ASCII.
std::optional<std::string_view> BearerToken(std::string_view header) {
  constexpr std::string_view kScheme = "bearer ";
  if (header.size() <= kScheme.size() ||
      !EqualsIgnoreAsciiCase(header.substr(0, kScheme.size()), kScheme)) {
    return std::nullopt;
  }
  std::string_view token = header.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  if (token.empty() || token.size() > kMaxBearerToken) return std::nullopt;
  const bool visible =
      std::all_of(token.begin(), token.end(), [](char c) { return c > 0x20 && c < 0x7F; });
  if (!visible) return std::nullopt;
  return token;
}

// True if the Origin header (if any) names the host the request was sent to.
// Browsers send Origin on cross-site POSTs; a mismatch is a forged request
// even if SameSite somehow let the cookie through (old browsers).
bool SameOrigin(const Request& req) {
  auto origin = req.Header("origin");
  if (!origin) return true;
  auto host = req.Header("host");
  if (!host) return false;
  const std::size_t scheme_end = origin->find("://");
  if (scheme_end == std::string_view::npos) return false;  // includes "null"
  std::string_view authority = origin->substr(scheme_end + 3);
  if (authority.find('/') != std::string_view::npos) return false;
  return EqualsIgnoreAsciiCase(authority, *host);
}

Status CheckCsrf(const Request& req, const Principal& p) {
  if (p.method != AuthMethod::kSession || !IsStateChanging(req.method)) return {};
  auto sent = req.Header(kCsrfHeader);
  if (!sent || p.csrf_token.empty() || !accounts::ConstantTimeEquals(*sent, p.csrf_token)) {
    return Fail(Error{Code::kPermissionDenied, "missing or wrong CSRF token", {}}.With(
        "X-CSRF-Token", "must be the csrf_token given at sign-in"));
  }
  if (!SameOrigin(req)) {
    return Fail(Error{Code::kPermissionDenied, "cross-origin request refused", {}}.With(
        "Origin", "must match the Host"));
  }
  return {};
}

Response Unauthenticated(std::string message, std::string problem) {
  Response res = ErrorResponse(Error{Code::kUnauthenticated, std::move(message), {}}.With(
      "Authorization", std::move(problem)));
  res.SetHeader("WWW-Authenticate", "Bearer");
  return res;
}

}  // namespace

Middleware MakeAuthMiddleware(accounts::AccountService& accounts) {
  return [&accounts](Request& req, Responder respond, const Handler& next) {
    req.principal.reset();  // only this middleware may set it
    if (auto header = req.Header("authorization")) {
      auto token = BearerToken(*header);
      if (!token) {
        respond(Unauthenticated("malformed Authorization header", "must be \"Bearer <token>\""));
        return;
      }
      auto principal = accounts.AuthenticateApiToken(*token);
      if (principal) {
        req.principal = std::move(*principal);
      } else if (principal.error().code != Code::kUnauthenticated) {
        respond(ErrorResponse(principal.error()));
        return;
      }
      next(req, std::move(respond));
      return;
    }
    if (auto cookie = req.Cookie(kSessionCookieName)) {
      auto principal = accounts.AuthenticateSession(*cookie);
      if (principal) {
        if (auto csrf = CheckCsrf(req, *principal); !csrf) {
          respond(ErrorResponse(csrf.error()));
          return;
        }
        req.principal = std::move(*principal);
      } else if (principal.error().code != Code::kUnauthenticated) {
        respond(ErrorResponse(principal.error()));
        return;
      }
    }
    next(req, std::move(respond));
  };
}

Status RequireAuthenticated(const Request& req) {
  if (!req.principal) return Fail(Code::kUnauthenticated, "sign in first");
  return {};
}

Status RequireRoleAt(const Request& req, accounts::Role role, std::int64_t unit_id,
                     const accounts::UnitHierarchy& units) {
  MOTCUA_TRY_VOID(RequireAuthenticated(req));
  if (!req.principal->HasRoleAt(role, unit_id, units)) {
    return Fail(
        Code::kPermissionDenied,
        "you do not have the " + std::string(accounts::RoleName(role)) + " role for this unit");
  }
  return {};
}

Status RequireAnyRole(const Request& req, std::initializer_list<accounts::Role> roles) {
  MOTCUA_TRY_VOID(RequireAuthenticated(req));
  for (accounts::Role role : roles) {
    if (req.principal->HasRole(role)) return {};
  }
  return Fail(Code::kPermissionDenied, "you do not have a role that allows this");
}

std::string SessionCookie(std::string_view token, bool secure, std::chrono::seconds max_age) {
  std::string cookie(kSessionCookieName);
  cookie += '=';
  cookie += token;
  cookie += "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age.count());
  if (secure) cookie += "; Secure";
  return cookie;
}

std::string ClearedSessionCookie(bool secure) {
  return SessionCookie("", secure, std::chrono::seconds(0));
}

}  // namespace motcua::http
