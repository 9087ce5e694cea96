#include "common/json_writer.hpp"

#include <array>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <charconv>
#include <cstring>

#include "common/check.hpp"

namespace motcua {

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

namespace {

// Whether any of the eight bytes of `w` must be escaped in a JSON string: a
// control character (below 0x20), '"' or '\'. The usual trick for "some byte
// is zero" (Hacker's Delight, 6-1), applied to w itself for the bytes below
// 0x20 and to w XOR the quote and the backslash for those two. Bytes of 0x80
// and above (UTF-8) never match.
constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
inline bool NeedsEscape(std::uint64_t w) {
  const std::uint64_t below_space = (w - kOnes * 0x20) & ~w;
  const std::uint64_t q = w ^ (kOnes * '"');
  const std::uint64_t quote = (q - kOnes) & ~q;
  const std::uint64_t b = w ^ (kOnes * '\\');
  const std::uint64_t backslash = (b - kOnes) & ~b;
  return ((below_space | quote | backslash) & kHighs) != 0;
}

// The first byte of s at or after `from` that must be escaped, or s.size().
std::size_t FirstEscape(std::string_view s, std::size_t from) {
  std::size_t i = from;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    if (NeedsEscape(w)) break;
  }
  if (i + 8 > s.size() && i < s.size()) {
    // The last few bytes, padded with letters that need no escape.
    std::uint64_t w = kOnes * 'a';
    std::memcpy(&w, s.data() + i, s.size() - i);
    if (!NeedsEscape(w)) return s.size();
  }
  for (; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == '"' || c == '\\') return i;
  }
  return s.size();
}

}  // namespace

void JsonWriter::Quoted(std::string_view s) {
  std::size_t i = FirstEscape(s, 0);
  const std::size_t start = out_.size();
  if (i == s.size()) {
    // Most text: quotes around a copy, one resize of the buffer.
    out_.append(s.size() + 2, '"');
    std::memcpy(out_.data() + start + 1, s.data(), s.size());
    return;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  out_ += '"';
  std::size_t run = 0;  // start of the bytes not yet copied
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    out_.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out_ += "\\\"";
        break;
      case '\\':
        out_ += "\\\\";
        break;
      case '\b':
        out_ += "\\b";
        break;
      case '\f':
        out_ += "\\f";
        break;
      case '\n':
        out_ += "\\n";
        break;
      case '\r':
        out_ += "\\r";
        break;
      case '\t':
        out_ += "\\t";
        break;
      default:
        out_ += "\\u00";
        out_ += kHex[c >> 4];
        out_ += kHex[c & 0xf];
    }
    i = FirstEscape(s, run);
  }
  out_.append(s.data() + run, s.size() - run);
  out_ += '"';
}

}  // namespace motcua
