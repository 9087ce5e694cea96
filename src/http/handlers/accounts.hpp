// HTTP routes for sign-in, sessions, API tokens and user administration.
//
//   POST   /api/v1/auth/login       {username, password} -> 200 {user, csrf_token, expires_at}
//                                   + session cookie; 401 bad credentials; 429 + Retry-After
//   POST   /api/v1/auth/logout      -> 204, cookie cleared
//   GET    /api/v1/auth/me          -> 200 {user, auth, csrf_token?}
//   POST   /api/v1/auth/register    {username, display_name, password} -> 201 user (citizen)
//   POST   /api/v1/auth/password    {old_password, new_password} -> 204
//   GET    /api/v1/auth/tokens      -> 200 {items}
//   POST   /api/v1/auth/tokens      {name, expires_in_days?} -> 201 {token, secret}
//   DELETE /api/v1/auth/tokens/{id} -> 204
//   GET    /api/v1/users            ?after=&limit= -> 200 {items, next_after}
//   POST   /api/v1/users            {username, display_name, password, roles?} -> 201 user
//   GET    /api/v1/users/{id}       -> 200 user
//   PATCH  /api/v1/users/{id}       {display_name?, disabled?} -> 200 user
//   PUT    /api/v1/users/{id}/roles {roles: [{role, unit_id, subtree}]} -> 200 user
//
// Bodies are read strictly (http/json_body.hpp): unknown fields and wrong
// types are 400 naming the field. Responses never carry password hashes; a
// session id only in Set-Cookie, an API token secret only once in the 201.
// The handlers expect MakeAuthMiddleware in front of them.
//
// Ownership: `accounts` must outlive the router. Role decisions are the
// service's (it holds the unit hierarchy); `units` is accepted so that every
// area registers alike.
#pragma once

#include "core/accounts/principal.hpp"
#include "http/router.hpp"
#include "services/accounts/account_service.hpp"

namespace motcua::http {

void RegisterAccountRoutes(Router& router, accounts::AccountService& accounts,
                           const accounts::UnitHierarchy& units);

}  // namespace motcua::http
