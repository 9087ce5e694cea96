#include "http/json_writer.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/monotonic_resource.hpp>

#include <array>
#include <charconv>

#include "common/check.hpp"

namespace motcua::http {

void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (comma_) out_ += ',';
  comma_ = true;
}

JsonWriter& JsonWriter::Object() {
  BeforeValue();
  out_ += '{';
  open_ += '}';
  comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::Array() {
  BeforeValue();
  out_ += '[';
  open_ += ']';
  comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::End() {
  MOTCUA_CHECK(!open_.empty());
  out_ += open_.back();
  open_.pop_back();
  comma_ = true;
  after_key_ = false;
  return *this;
}

JsonWriter& JsonWriter::Key(std::string_view key) {
  BeforeValue();
  Quoted(key);
  out_ += ':';
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view s) {
  BeforeValue();
  Quoted(s);
  return *this;
}

JsonWriter& JsonWriter::Int(std::int64_t n) {
  BeforeValue();
  std::array<char, 24> buf;
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), n);
  out_.append(buf.data(), end);
  return *this;
}

JsonWriter& JsonWriter::Bool(bool b) {
  BeforeValue();
  out_ += b ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::Null() {
  BeforeValue();
  out_ += "null";
  return *this;
}

JsonWriter& JsonWriter::Raw(std::string_view json) {
  BeforeValue();
  out_ += json;
  return *this;
}

JsonWriter& JsonWriter::JsonText(std::string_view text) {
  // Checked, so that a damaged column cannot break the document around it.
  std::array<unsigned char, 4096> buf;
  boost::json::monotonic_resource mr(buf.data(), buf.size());
  boost::system::error_code ec;
  (void)boost::json::parse(text, ec, &mr);
  return ec ? Null() : Raw(text);
}

void JsonWriter::Quoted(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out_ += '"';
  std::size_t run = 0;  // start of the bytes not yet copied
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out_.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out_ += "\\\""; break;
      case '\\': out_ += "\\\\"; break;
      case '\b': out_ += "\\b"; break;
      case '\f': out_ += "\\f"; break;
      case '\n': out_ += "\\n"; break;
      case '\r': out_ += "\\r"; break;
      case '\t': out_ += "\\t"; break;
      default:
        out_ += "\\u00";
        out_ += kHex[c >> 4];
        out_ += kHex[c & 0xf];
    }
  }
  out_.append(s.data() + run, s.size() - run);
  out_ += '"';
}

}  // namespace motcua::http
