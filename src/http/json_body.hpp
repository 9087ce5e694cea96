// Strict reading of JSON request bodies.
//
// Every handler that takes JSON reads it through here so that bad input gets
// one kind of answer everywhere: a 400 whose "fields" names each bad field,
// never a crash. ParseJsonObject checks the Content-Type, the size already
// enforced by the server, UTF-8 validity and JSON syntax. ObjectReader then
// takes fields one by one, collecting every problem (not just the first), and
// Finish() fails if any field was wrong or if the body had fields nobody read
// (unknown fields are rejected, so typos do not pass silently).
//
// Not thread safe; one reader per request.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "http/message.hpp"

namespace motcua::http {

// Errors: kInvalidArgument naming "body" (not JSON, not an object, invalid
// UTF-8) or "content-type" (not application/json).
Result<boost::json::object> ParseJsonObject(const Request& req);

// True if `text` is well-formed UTF-8 (no overlongs, no surrogates).
bool IsValidUtf8(std::string_view text);

struct StringRules {
  std::size_t min_length = 0;     // in code points
  std::size_t max_length = 1000;  // in code points; every string has a bound
  bool trim = true;               // strip leading/trailing ASCII whitespace first
};

class ObjectReader {
 public:
  explicit ObjectReader(const boost::json::object& obj) : obj_(obj) {}

  // Required fields record "is required" when missing; all record a type
  // problem ("must be a string") when present with the wrong type. On any
  // problem they return an empty value/nullopt and the error is reported by
  // Finish().
  std::string RequiredString(std::string_view name, StringRules rules = {});
  std::optional<std::string> OptionalString(std::string_view name, StringRules rules = {});
  std::int64_t RequiredInt(std::string_view name, std::int64_t min, std::int64_t max);
  std::optional<std::int64_t> OptionalInt(std::string_view name, std::int64_t min,
                                          std::int64_t max);
  std::optional<bool> OptionalBool(std::string_view name);
  // Raw access for nested values; marks the field as read.
  const boost::json::value* Raw(std::string_view name);

  // Records a problem found by the caller's own validation.
  void Problem(std::string_view name, std::string problem);
  bool ok() const { return error_.fields.empty(); }

  // Fails with kInvalidArgument listing every problem and every unknown field.
  Status Finish();

 private:
  const boost::json::value* Take(std::string_view name);
  const boost::json::object& obj_;
  std::set<std::string, std::less<>> seen_;
  Error error_{Code::kInvalidArgument, "", {}};
};

}  // namespace motcua::http
