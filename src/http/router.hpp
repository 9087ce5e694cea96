// Routes requests to handlers by method and path pattern.
//
// Patterns are literal segments and "{name}" segments that match one
// non-empty path segment: "/api/v1/units/{id}". The route table also feeds
// /metrics (requests are labelled by route pattern, not raw path) and the
// OpenAPI test (every documented path must be a route and vice versa).
//
// Thread safety: Add() before the server starts; Match() from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"

namespace motcua::http {

struct Route {
  std::string method;
  std::string pattern;
  Handler handler;
};

inline constexpr std::string_view kFallbackRoute = "(web)";

struct Match {
  const Route* route = nullptr;              // null: no route; see allowed
  std::vector<std::string> allowed_methods;  // non-empty on a path match with a wrong method (405)
};

class Router {
 public:
  // Aborts (MOTCUA_CHECK) on a malformed pattern or a duplicate
  // method+pattern: both are programming errors found at startup.
  void Add(std::string method, std::string pattern, Handler handler);
  // Fills req.path_params on a match. Matches req.path (already decoded and
  // checked by ParseTarget). A literal segment beats a "{name}" segment at
  // the first position where two matching patterns differ, so
  // "/units/tree" wins over "/units/{id}". HEAD matches GET routes.
  Match Find(Request& req) const;
  const std::vector<Route>& routes() const { return routes_; }

  // Where GET and HEAD requests go that match no route and are not under
  // /api/: the web front end's files and pages. Its pattern, kFallbackRoute,
  // labels them in /metrics; it is not among routes().
  void SetFallback(Handler handler);

 private:
  std::vector<Route> routes_;
  std::optional<Route> fallback_;
};

// The answer when Find() matched no route: 404, or 405 with an Allow header
// when the path matched under other methods. Both are JSON error bodies.
Response NoRouteResponse(const Request& req, const Match& match);

}  // namespace motcua::http
