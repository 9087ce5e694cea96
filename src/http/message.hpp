// HTTP request and response as plain values, free of Beast, so that handlers
// compile fast and can be tested without a socket. Only server.cpp sees Beast.
#pragma once

#include <boost/json/value.hpp>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.hpp"
#include "core/accounts/principal.hpp"

namespace motcua::http {

struct Route;  // router.hpp

// Header names are stored lower-case.
using Headers = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;                              // "GET", "POST", ...
  std::string target;                              // as received: path and query
  std::string path;                                // percent-decoded path, without the query
  std::map<std::string, std::string> query;        // decoded query parameters
  std::map<std::string, std::string> path_params;  // from "{name}" segments of the route
  Headers headers;
  std::string body;
  std::string remote_ip;
  bool secure = false;  // came over TLS (or X-Forwarded-Proto: https from a trusted proxy)
  std::string request_id;
  // The route that matched, set by the pipeline before any middleware runs
  // (so that auth and logging can see the pattern); null if none matched.
  const Route* route = nullptr;
  // Set by the authentication middleware when the caller proved who they are.
  std::optional<accounts::Principal> principal;

  // First header with this (lower-case) name.
  std::optional<std::string_view> Header(std::string_view name) const;
  // Value of a cookie from the Cookie header.
  std::optional<std::string> Cookie(std::string_view name) const;
};

struct Response {
  int status = 200;
  Headers headers;  // Content-Type and Content-Length are set by the server if missing
  std::string body;

  // Replaces every header of that name (case-insensitive) with this one.
  void SetHeader(std::string name, std::string value);
  // Adds another header even if one of that name exists (Set-Cookie).
  void AddHeader(std::string name, std::string value);
  // First header with this (case-insensitive) name.
  std::optional<std::string_view> Header(std::string_view name) const;
};

Response JsonResponse(int status, const boost::json::value& body);
// A body that is JSON text already (JsonWriter).
Response JsonTextResponse(int status, std::string body);
// {"error": {"code": ..., "message": ..., "fields": {...}}} with the HTTP
// status that goes with error.code. The message of a kInternal error is
// replaced by "internal error": it may hold details meant for the log only.
Response ErrorResponse(const Error& error);
// The same body with a status the code set has no code for (405, 431).
Response ErrorResponse(int http_status, const Error& error);
int HttpStatus(Code code);

// Splits a request target ("/a%20b?x=1") into req->path (percent-decoded) and
// req->query (decoded, '+' as space; the first of repeated keys wins).
// Errors: kInvalidArgument naming "path" (not origin-form, bad percent
// encoding, an encoded '/', a "." or ".." segment, control characters such as
// NUL, invalid UTF-8) or "query" (bad encoding, control characters, UTF-8).
Status ParseTarget(std::string_view target, Request* req);

// Called exactly once with the response; may be called from any thread (the
// server posts it back to the connection's strand). The Request passed to the
// Handler stays valid as long as a copy of its Responder exists.
using Responder = std::function<void(Response)>;
using Handler = std::function<void(Request&, Responder)>;

}  // namespace motcua::http
