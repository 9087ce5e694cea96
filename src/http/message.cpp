#include "http/message.hpp"

#include <algorithm>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "http/internal/text.hpp"

namespace motcua::http {
namespace {

using internal::AsciiLower;
using internal::EqualsIgnoreCase;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsControl(unsigned char c) { return c < 0x20 || c == 0x7F; }

// Percent-decodes `in`; '+' becomes a space when `plus_is_space` (query
// strings are form-encoded). Fails with a problem description.
Result<std::string> Decode(std::string_view in, bool plus_is_space, std::string_view field) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      int hi = i + 2 < in.size() ? HexValue(in[i + 1]) : -1;
      int lo = i + 2 < in.size() ? HexValue(in[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        return InvalidField(std::string(field), "has an invalid percent-encoding");
      }
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  for (char c : out) {
    if (IsControl(static_cast<unsigned char>(c))) {
      return InvalidField(std::string(field), "must not contain control characters");
    }
  }
  if (internal::FirstInvalidUtf8(out) != std::string_view::npos) {
    return InvalidField(std::string(field), "is not valid UTF-8");
  }
  return out;
}

}  // namespace

std::optional<std::string_view> Request::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k == name) return std::string_view(v);
  }
  return std::nullopt;
}

std::optional<std::string> Request::Cookie(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k != "cookie") continue;
    std::string_view rest = v;
    while (!rest.empty()) {
      std::size_t semi = rest.find(';');
      std::string_view pair = rest.substr(0, semi);
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      std::size_t eq = pair.find('=');
      if (eq == std::string_view::npos) continue;
      if (internal::TrimAscii(pair.substr(0, eq)) != name) continue;
      std::string_view value = internal::TrimAscii(pair.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      return std::string(value);
    }
  }
  return std::nullopt;
}

void Response::SetHeader(std::string name, std::string value) {
  std::string lower = AsciiLower(name);
  std::erase_if(headers, [&](const auto& h) { return EqualsIgnoreCase(h.first, lower); });
  headers.emplace_back(std::move(lower), std::move(value));
}

void Response::AddHeader(std::string name, std::string value) {
  headers.emplace_back(AsciiLower(name), std::move(value));
}

std::optional<std::string_view> Response::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (EqualsIgnoreCase(k, name)) return std::string_view(v);
  }
  return std::nullopt;
}

Response JsonResponse(int status, const boost::json::value& body) {
  Response res;
  res.status = status;
  res.headers.emplace_back("content-type", "application/json");
  res.body = boost::json::serialize(body);
  return res;
}

Response JsonTextResponse(int status, std::string body) {
  Response res;
  res.status = status;
  res.headers.emplace_back("content-type", "application/json");
  res.body = std::move(body);
  return res;
}

Response ErrorResponse(int http_status, const Error& error) {
  boost::json::object fields;
  for (const auto& [k, v] : error.fields) fields[k] = v;
  boost::json::object inner;
  inner["code"] = CodeName(error.code);
  inner["message"] = error.code == Code::kInternal ? std::string("internal error") : error.message;
  inner["fields"] = std::move(fields);
  boost::json::object outer;
  outer["error"] = std::move(inner);
  Response res = JsonResponse(http_status, outer);
  if (error.retry_after)
    res.SetHeader("Retry-After",
                  std::to_string(std::max<std::int64_t>(1, error.retry_after->count())));
  return res;
}

Response ErrorResponse(const Error& error) { return ErrorResponse(HttpStatus(error.code), error); }

int HttpStatus(Code code) {
  switch (code) {
    case Code::kInvalidArgument:
      return 400;
    case Code::kUnauthenticated:
      return 401;
    case Code::kPermissionDenied:
      return 403;
    case Code::kNotFound:
      return 404;
    case Code::kAlreadyExists:
    case Code::kFailedPrecondition:
    case Code::kAborted:
      return 409;
    case Code::kPayloadTooLarge:
      return 413;
    case Code::kResourceExhausted:
      return 429;
    case Code::kUnavailable:
      return 503;
    case Code::kInternal:
      return 500;
  }
  return 500;
}

Status ParseTarget(std::string_view target, Request* req) {
  if (target.empty() || target.front() != '/') {
    return InvalidField("path", "must start with '/'");
  }
  std::size_t q = target.find('?');
  std::string_view raw_path = target.substr(0, q);
  // An encoded slash would let "a%2Fb" pass as one segment to a handler and
  // as two to anything that re-splits the decoded path (static files).
  for (std::size_t i = 0; i + 2 < raw_path.size(); ++i) {
    if (raw_path[i] == '%' && raw_path[i + 1] == '2' &&
        (raw_path[i + 2] == 'F' || raw_path[i + 2] == 'f')) {
      return InvalidField("path", "must not contain an encoded '/'");
    }
  }
  std::string path = MOTCUA_TRY(Decode(raw_path, false, "path"));
  std::string_view rest = path;
  while (!rest.empty()) {
    rest.remove_prefix(1);
    std::size_t slash = rest.find('/');
    std::string_view segment = rest.substr(0, slash);
    if (segment == "." || segment == "..") {
      return InvalidField("path", "must not contain '.' or '..' segments");
    }
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  }
  req->path = std::move(path);
  req->query.clear();
  if (q == std::string_view::npos) return {};
  std::string_view query = target.substr(q + 1);
  while (!query.empty()) {
    std::size_t amp = query.find('&');
    std::string_view piece = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (piece.empty()) continue;
    std::size_t eq = piece.find('=');
    std::string key = MOTCUA_TRY(Decode(piece.substr(0, eq), true, "query"));
    std::string value;
    if (eq != std::string_view::npos)
      value = MOTCUA_TRY(Decode(piece.substr(eq + 1), true, "query"));
    req->query.emplace(std::move(key), std::move(value));
  }
  return {};
}

}  // namespace motcua::http
