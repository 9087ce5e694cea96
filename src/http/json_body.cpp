#include "http/json_body.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/parse.hpp>
#include <limits>
#include <vector>

#include "http/internal/text.hpp"

namespace motcua::http {
namespace {

// Nesting deeper than this is no request of ours; the bound keeps a hostile
// body from costing deep recursion in the parser and in our readers.
constexpr std::size_t kMaxDepth = 32;

// A validating pass over the body before the DOM is built: Boost.JSON keeps
// the last of duplicate keys silently, and we want such bodies rejected
// (two "amount" fields would be read differently by different systems).
struct DuplicateKeyCheck {
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);

  std::vector<std::set<std::string, std::less<>>> objects;
  std::string key;
  std::string duplicate;

  bool on_document_begin(boost::json::error_code&) { return true; }
  bool on_document_end(boost::json::error_code&) { return true; }
  bool on_array_begin(boost::json::error_code&) { return true; }
  bool on_array_end(std::size_t, boost::json::error_code&) { return true; }
  bool on_object_begin(boost::json::error_code&) {
    objects.emplace_back();
    return true;
  }
  bool on_object_end(std::size_t, boost::json::error_code&) {
    objects.pop_back();
    return true;
  }
  bool on_string_part(boost::json::string_view, std::size_t, boost::json::error_code&) {
    return true;
  }
  bool on_string(boost::json::string_view, std::size_t, boost::json::error_code&) { return true; }
  bool on_key_part(boost::json::string_view s, std::size_t, boost::json::error_code&) {
    key.append(s.data(), s.size());
    return true;
  }
  bool on_key(boost::json::string_view s, std::size_t, boost::json::error_code& ec) {
    key.append(s.data(), s.size());
    bool inserted = objects.back().insert(key).second;
    if (!inserted) {
      duplicate = key;
      ec = boost::json::error::syntax;
      return false;
    }
    key.clear();
    return true;
  }
  bool on_number_part(boost::json::string_view, boost::json::error_code&) { return true; }
  bool on_int64(std::int64_t, boost::json::string_view, boost::json::error_code&) { return true; }
  bool on_uint64(std::uint64_t, boost::json::string_view, boost::json::error_code&) { return true; }
  bool on_double(double, boost::json::string_view, boost::json::error_code&) { return true; }
  bool on_bool(bool, boost::json::error_code&) { return true; }
  bool on_null(boost::json::error_code&) { return true; }
  bool on_comment_part(boost::json::string_view, boost::json::error_code&) { return true; }
  bool on_comment(boost::json::string_view, boost::json::error_code&) { return true; }
};

Error BodyError(std::string problem) {
  Error e{Code::kInvalidArgument, "invalid request body: " + problem, {}};
  e.fields.emplace("body", std::move(problem));
  return e;
}

// "line 3, column 7" for a byte offset: what a person fixing a request by
// hand can find in their editor.
std::string Position(std::string_view text, std::size_t offset) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

bool IsJsonMediaType(std::string_view content_type) {
  std::size_t semi = content_type.find(';');
  if (!internal::EqualsIgnoreCase(internal::TrimAscii(content_type.substr(0, semi)),
                                  "application/json")) {
    return false;
  }
  while (semi != std::string_view::npos) {
    content_type = content_type.substr(semi + 1);
    semi = content_type.find(';');
    std::string_view param = internal::TrimAscii(content_type.substr(0, semi));
    std::size_t eq = param.find('=');
    if (eq == std::string_view::npos) return false;
    if (!internal::EqualsIgnoreCase(internal::TrimAscii(param.substr(0, eq)), "charset"))
      return false;
    std::string_view value = internal::TrimAscii(param.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    if (!internal::EqualsIgnoreCase(value, "utf-8")) return false;
  }
  return true;
}

std::string Range(std::int64_t min, std::int64_t max) {
  return "must be an integer between " + std::to_string(min) + " and " + std::to_string(max);
}

}  // namespace

bool IsValidUtf8(std::string_view text) {
  return internal::FirstInvalidUtf8(text) == std::string_view::npos;
}

Result<boost::json::object> ParseJsonObject(const Request& req) {
  auto content_type = req.Header("content-type");
  if (!content_type || !IsJsonMediaType(*content_type)) {
    Error e{Code::kInvalidArgument,
            "the request body must be JSON (Content-Type: application/json)",
            {}};
    e.fields.emplace("content-type", "must be application/json");
    return Fail(std::move(e));
  }
  const std::string& body = req.body;
  if (internal::TrimAscii(body).empty()) return Fail(BodyError("is empty; expected a JSON object"));
  std::size_t bad = internal::FirstInvalidUtf8(body);
  if (bad != std::string_view::npos) {
    return Fail(BodyError("is not valid UTF-8 at " + Position(body, bad)));
  }
  boost::json::parse_options options;
  options.max_depth = kMaxDepth;
  boost::json::basic_parser<DuplicateKeyCheck> check(options);
  boost::json::error_code ec;
  std::size_t used = check.write_some(false, body.data(), body.size(), ec);
  if (ec) {
    const DuplicateKeyCheck& h = check.handler();
    if (!h.duplicate.empty()) {
      return Fail(
          BodyError("has the key \"" + h.duplicate + "\" twice at " + Position(body, used)));
    }
    return Fail(BodyError("is not valid JSON at " + Position(body, used) + ": " + ec.message()));
  }
  boost::json::value value = boost::json::parse(body, ec, {}, options);
  if (ec) return Fail(BodyError("is not valid JSON: " + ec.message()));
  if (!value.is_object()) return Fail(BodyError("must be a JSON object"));
  return std::move(value.as_object());
}

const boost::json::value* ObjectReader::Take(std::string_view name) {
  seen_.emplace(name);
  auto it = obj_.find(name);
  // null counts as absent: clients often send {"note": null} for "no note".
  if (it == obj_.end() || it->value().is_null()) return nullptr;
  return &it->value();
}

void ObjectReader::Problem(std::string_view name, std::string problem) {
  error_.fields.emplace(std::string(name), std::move(problem));
}

std::optional<std::string> ObjectReader::OptionalString(std::string_view name, StringRules rules) {
  const boost::json::value* v = Take(name);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) {
    Problem(name, "must be a string");
    return std::nullopt;
  }
  std::string_view text(v->as_string().data(), v->as_string().size());
  if (rules.trim) text = internal::TrimAscii(text);
  // A NUL cut short by a C API downstream would store something else than
  // what was validated.
  if (text.find('\0') != std::string_view::npos) {
    Problem(name, "must not contain NUL characters");
    return std::nullopt;
  }
  std::size_t length = internal::CodePoints(text);
  if (length < rules.min_length) {
    Problem(name, "must be at least " + std::to_string(rules.min_length) + " characters");
    return std::nullopt;
  }
  if (length > rules.max_length) {
    Problem(name, "must be at most " + std::to_string(rules.max_length) + " characters");
    return std::nullopt;
  }
  return std::string(text);
}

std::string ObjectReader::RequiredString(std::string_view name, StringRules rules) {
  if (Take(name) == nullptr) {
    Problem(name, "is required");
    return {};
  }
  return OptionalString(name, rules).value_or(std::string());
}

std::optional<std::int64_t> ObjectReader::OptionalInt(std::string_view name, std::int64_t min,
                                                      std::int64_t max) {
  const boost::json::value* v = Take(name);
  if (v == nullptr) return std::nullopt;
  std::int64_t n = 0;
  if (v->is_int64()) {
    n = v->as_int64();
  } else if (v->is_uint64()) {
    // Only values above INT64_MAX are stored as uint64: always out of range.
    Problem(name, Range(min, max));
    return std::nullopt;
  } else {
    Problem(name, "must be an integer");
    return std::nullopt;
  }
  if (n < min || n > max) {
    Problem(name, Range(min, max));
    return std::nullopt;
  }
  return n;
}

std::int64_t ObjectReader::RequiredInt(std::string_view name, std::int64_t min, std::int64_t max) {
  if (Take(name) == nullptr) {
    Problem(name, "is required");
    return 0;
  }
  return OptionalInt(name, min, max).value_or(0);
}

std::optional<bool> ObjectReader::OptionalBool(std::string_view name) {
  const boost::json::value* v = Take(name);
  if (v == nullptr) return std::nullopt;
  if (!v->is_bool()) {
    Problem(name, "must be true or false");
    return std::nullopt;
  }
  return v->as_bool();
}

const boost::json::value* ObjectReader::Raw(std::string_view name) { return Take(name); }

Status ObjectReader::Finish() {
  for (const auto& kv : obj_) {
    std::string_view key(kv.key().data(), kv.key().size());
    if (!seen_.contains(key)) Problem(key, "unknown field");
  }
  if (error_.fields.empty()) return {};
  Error e = error_;
  e.message = "invalid request body:";
  bool first = true;
  for (const auto& [field, problem] : e.fields) {
    e.message += first ? " " : "; ";
    e.message += field + " " + problem;
    first = false;
  }
  return Fail(std::move(e));
}

}  // namespace motcua::http
