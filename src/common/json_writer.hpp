// A JSON document written straight into a string, for the bodies of the most
// frequent answers (a dossier after an action, a page of an inbox, a public
// lookup, the log line of every request). Building a boost::json::value first,
// serialising and destroying it cost about 110,000 instructions for one
// dossier; with the writer the whole answer to a workflow transition costs
// 56,000 instead of 140,000 (callgrind, docs/benchmarks.md).
//
//   std::string body;
//   JsonWriter w(body);
//   w.Object().Key("id").Int(7).Key("name").String("Hà").End();
//
// Keys and strings are escaped as RFC 8259 requires; text is expected to be
// UTF-8 already (every string reaches us through a validating parser).
// The caller keeps keys and values in turn inside objects; End() with
// nothing open is a programming error (MOTCUA_CHECK).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace motcua {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& Object();
  JsonWriter& Array();
  JsonWriter& End();  // closes the innermost object or array
  JsonWriter& Key(std::string_view key);

  JsonWriter& String(std::string_view s);
  JsonWriter& Int(std::int64_t n);
  JsonWriter& Bool(bool b);
  JsonWriter& Null();
  // Text that is a JSON value already (checked by the caller).
  JsonWriter& Raw(std::string_view json);

  JsonWriter& String(const char* s) { return String(std::string_view(s)); }
  JsonWriter& String(const std::string& s) { return String(std::string_view(s)); }
  JsonWriter& String(const std::optional<std::string>& s) { return s ? String(*s) : Null(); }
  JsonWriter& Int(const std::optional<std::int64_t>& n) { return n ? Int(*n) : Null(); }
  // Stored JSON text (a pending request, an event's details) as a value, or
  // null when it is absent or not valid JSON.
  JsonWriter& JsonText(std::string_view text);
  JsonWriter& JsonOrNull(const std::optional<std::string>& text) {
    return text ? JsonText(*text) : Null();
  }

  // Whether every object and array opened was closed.
  [[nodiscard]] bool Complete() const { return open_.empty(); }

 private:
  void BeforeValue();
  void Quoted(std::string_view s);

  std::string& out_;
  std::string open_;  // the closing brackets of the open containers, innermost last
  bool comma_ = false;
  bool after_key_ = false;
};

}  // namespace motcua
