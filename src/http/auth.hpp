// Authentication middleware and the access checks handlers call.
//
// Credentials, in order of precedence:
//  - "Authorization: Bearer mct_..." (an API token, for machine clients).
//    A header that is not of that shape is answered 401 at once: the client
//    is clearly trying to authenticate and must learn it got it wrong. A
//    well-formed but unknown, expired or revoked token leaves the request
//    anonymous, like no header at all.
//  - the "motcua_session" cookie (browsers). An unknown or expired session
//    leaves the request anonymous; endpoints that need a user answer 401.
// Endpoints decide what anonymous callers may do: the middleware never
// refuses a request for lacking credentials.
//
// CSRF: a request authenticated by the session cookie with a state-changing
// method (POST, PUT, PATCH, DELETE) must carry X-CSRF-Token equal to the
// session's token and, if it has an Origin header, come from the same host;
// else 403 naming "X-CSRF-Token" (or "Origin"). API tokens never travel
// automatically with a browser request, so they need no CSRF token.
//
// Errors other than bad credentials (the database is down) are answered with
// their own status (503) rather than treating the caller as anonymous.
//
// Thread safety: the middleware may run on many threads at once; the
// AccountService must outlive it.
#pragma once

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "core/accounts/principal.hpp"
#include "http/message.hpp"
#include "http/pipeline.hpp"
#include "services/accounts/account_service.hpp"

namespace motcua::http {

inline constexpr std::string_view kSessionCookieName = "motcua_session";
inline constexpr std::string_view kCsrfHeader = "x-csrf-token";

Middleware MakeAuthMiddleware(accounts::AccountService& accounts);

// kUnauthenticated (401) unless the request has a principal.
[[nodiscard]] Status RequireAuthenticated(const Request& req);
// 401 without a principal; kPermissionDenied (403) unless it holds `role` on
// `unit_id` (directly or through a subtree binding, or as system admin).
[[nodiscard]] Status RequireRoleAt(const Request& req, accounts::Role role, std::int64_t unit_id,
                                   const accounts::UnitHierarchy& units);
// 401 without a principal; 403 unless it holds one of `roles` somewhere.
[[nodiscard]] Status RequireAnyRole(const Request& req,
                                    std::initializer_list<accounts::Role> roles);

// Set-Cookie value for a new session: HttpOnly (scripts cannot read it),
// SameSite=Strict (never sent on cross-site requests), Path=/, Secure when
// the request came over TLS, Max-Age = max_age.
std::string SessionCookie(std::string_view token, bool secure, std::chrono::seconds max_age);
// Set-Cookie value that makes the browser drop the session cookie.
std::string ClearedSessionCookie(bool secure);

}  // namespace motcua::http
