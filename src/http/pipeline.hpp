// The root Handler: a Router behind a chain of middlewares.
//
// For each request the pipeline, in this order: makes sure the request has a
// request id; finds the route (so every middleware sees req.route); runs the
// middlewares in the order given; then calls the route's handler, or answers
// 404/405 (NoRouteResponse). Whatever answers, the response gets an
// X-Request-Id header, is counted in `motcua_http_requests_total` and
// `motcua_http_request_duration_seconds` (labelled by route pattern, never by
// raw path), and gets one JSON access-log line: method, route, status,
// duration, bytes, remote ip, request id. The query string and header values
// are never logged: tokens travel there.
//
// A middleware may answer itself (auth answering 401) instead of calling
// next; it must then not call next. An exception thrown by a middleware or a
// handler on the calling thread becomes a 500 (logged); the Responder
// ignores every call after the first.
//
// Ownership: the Router and the Metrics must outlive the returned Handler.
// Thread safety: the returned Handler may be called from many threads at once.
#pragma once

#include <functional>
#include <string_view>
#include <vector>

#include "http/message.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"

namespace motcua::http {

using Middleware = std::function<void(Request&, Responder, const Handler& next)>;

Handler BuildPipeline(const Router& router, std::vector<Middleware> middlewares, Metrics& metrics);

// The route label used for requests that matched no route.
inline constexpr std::string_view kUnmatchedRoute = "(unmatched)";

}  // namespace motcua::http
