#include "http/router.hpp"

#include <algorithm>
#include <cstdint>

#include "common/check.hpp"

namespace motcua::http {
namespace {

// Patterns deeper than this are surely a mistake, and the bound lets a match
// be ranked with one 64-bit word (one bit per segment).
constexpr std::size_t kMaxSegments = 32;

// Next segment of a path that starts with '/': advances `rest`.
std::string_view NextSegment(std::string_view& rest) {
  rest.remove_prefix(1);
  std::size_t slash = rest.find('/');
  std::string_view segment = rest.substr(0, slash);
  rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  return segment;
}

bool IsParam(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// Matches `path` against `pattern`; on success returns a rank (higher is more
// specific: literal segments early count most), else nullopt. Fills `params`
// only when asked, so ranking the candidates costs no allocation.
std::optional<std::uint64_t> MatchPattern(std::string_view pattern, std::string_view path,
                                          std::map<std::string, std::string>* params) {
  std::uint64_t rank = 0;
  std::size_t index = 0;
  while (!pattern.empty() && !path.empty()) {
    std::string_view want = NextSegment(pattern);
    std::string_view got = NextSegment(path);
    if (IsParam(want)) {
      if (got.empty()) return std::nullopt;
      if (params)
        params->insert_or_assign(std::string(want.substr(1, want.size() - 2)), std::string(got));
    } else {
      if (want != got) return std::nullopt;
      rank |= std::uint64_t{1} << (63 - index);
    }
    ++index;
  }
  if (!pattern.empty() || !path.empty()) return std::nullopt;
  return rank;
}

bool MethodMatches(std::string_view route_method, std::string_view method) {
  return route_method == method || (method == "HEAD" && route_method == "GET");
}

}  // namespace

void Router::Add(std::string method, std::string pattern, Handler handler) {
  MOTCUA_CHECK(!method.empty());
  MOTCUA_CHECK(!pattern.empty() && pattern.front() == '/');
  MOTCUA_CHECK(handler != nullptr);
  std::string_view rest = pattern;
  std::size_t segments = 0;
  while (!rest.empty()) {
    std::string_view segment = NextSegment(rest);
    MOTCUA_CHECK(segment.find_first_of("{}") == std::string_view::npos || IsParam(segment));
    ++segments;
  }
  MOTCUA_CHECK(segments <= kMaxSegments);
  for (const Route& r : routes_) MOTCUA_CHECK(!(r.method == method && r.pattern == pattern));
  routes_.push_back(Route{std::move(method), std::move(pattern), std::move(handler)});
}

void Router::SetFallback(Handler handler) {
  MOTCUA_CHECK(handler != nullptr);
  fallback_ = Route{"GET", std::string(kFallbackRoute), std::move(handler)};
}

Match Router::Find(Request& req) const {
  Match match;
  const Route* best = nullptr;
  std::uint64_t best_rank = 0;
  for (const Route& r : routes_) {
    auto rank = MatchPattern(r.pattern, req.path, nullptr);
    if (!rank) continue;
    if (MethodMatches(r.method, req.method)) {
      // An exact method beats GET standing in for HEAD at equal rank.
      bool better = best == nullptr || *rank > best_rank ||
                    (*rank == best_rank && r.method == req.method && best->method != req.method);
      if (better) {
        best = &r;
        best_rank = *rank;
      }
    } else {
      match.allowed_methods.push_back(r.method);
      if (r.method == "GET") match.allowed_methods.push_back("HEAD");
    }
  }
  req.path_params.clear();
  if (best != nullptr) {
    match.route = best;
    match.allowed_methods.clear();
    MatchPattern(best->pattern, req.path, &req.path_params);
    return match;
  }
  if (fallback_ && match.allowed_methods.empty() && (req.method == "GET" || req.method == "HEAD") &&
      req.path != "/api" && !req.path.starts_with("/api/")) {
    match.route = &*fallback_;
    return match;
  }
  std::sort(match.allowed_methods.begin(), match.allowed_methods.end());
  match.allowed_methods.erase(
      std::unique(match.allowed_methods.begin(), match.allowed_methods.end()),
      match.allowed_methods.end());
  return match;
}

Response NoRouteResponse(const Request& req, const Match& match) {
  if (match.allowed_methods.empty()) {
    return ErrorResponse(Error{Code::kNotFound, "no resource at this path", {}});
  }
  std::string allow;
  for (const std::string& m : match.allowed_methods) {
    if (!allow.empty()) allow += ", ";
    allow += m;
  }
  // 405 has no code of its own in the canonical set: the request itself is
  // wrong, so invalid_argument, with the Allow header saying what would work.
  Response res =
      ErrorResponse(405, Error{Code::kInvalidArgument,
                               "method " + req.method + " is not allowed here; allowed: " + allow,
                               {{"method", "must be one of " + allow}}});
  res.SetHeader("allow", allow);
  return res;
}

}  // namespace motcua::http
