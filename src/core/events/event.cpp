#include "core/events/event.hpp"

#include <algorithm>
#include <boost/json/basic_parser_impl.hpp>
#include <charconv>
#include <cmath>
#include <utility>
#include <vector>

#include "core/events/sha256.hpp"

namespace motcua::events {
namespace {

constexpr std::string_view kEncodingTag = "motcua.event.v1\n";

void PutInt(std::string& out, std::int64_t n) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
  out += 'i';
  out.append(buf, end);
  out += ';';
}

void PutText(std::string& out, std::string_view s) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, s.size());
  out += 's';
  out.append(buf, end);
  out += ':';
  out.append(s);
}

void PutOptInt(std::string& out, std::optional<std::int64_t> n) {
  if (n)
    PutInt(out, *n);
  else
    out += 'n';
}

void PutOptText(std::string& out, std::optional<std::string_view> s) {
  if (s)
    PutText(out, *s);
  else
    out += 'n';
}

bool HasControl(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; });
}

Status CheckLabel(std::string_view field, std::string_view value) {
  // 64 bytes holds any action or state name a workflow file sensibly uses
  // while keeping index entries and the national sync fields short.
  if (value.empty() || value.size() > 64 || HasControl(value)) {
    return InvalidField(std::string(field), "must be 1 to 64 bytes without control characters");
  }
  return {};
}

// Builds the canonical text while boost::json's SAX parser walks the input.
// Each open container is a frame; a finished value is appended to the frame
// above it, and an object sorts its members when it closes.
class CanonicalHandler {
 public:
  static constexpr std::size_t max_array_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_key_size = static_cast<std::size_t>(-1);

  using ec_t = boost::json::error_code;
  using sv_t = boost::json::string_view;

  bool on_document_begin(ec_t&) { return true; }
  bool on_document_end(ec_t&) { return true; }

  bool on_object_begin(ec_t&) {
    frames_.push_back(Frame{true, {}, {}, {}});
    return true;
  }
  bool on_object_end(std::size_t, ec_t& ec) {
    Frame f = std::move(frames_.back());
    frames_.pop_back();
    std::sort(f.members.begin(), f.members.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (std::size_t i = 1; i < f.members.size(); ++i) {
      if (f.members[i].first == f.members[i - 1].first) {
        duplicate_key_ = true;
        ec = boost::json::error::syntax;
        return false;
      }
    }
    std::string text = "{";
    for (std::size_t i = 0; i < f.members.size(); ++i) {
      if (i) text += ',';
      AppendString(text, f.members[i].first);
      text += ':';
      text += f.members[i].second;
    }
    text += '}';
    return Value(std::move(text));
  }
  bool on_array_begin(ec_t&) {
    frames_.push_back(Frame{false, {}, {}, {}});
    return true;
  }
  bool on_array_end(std::size_t, ec_t&) {
    Frame f = std::move(frames_.back());
    frames_.pop_back();
    std::string text = "[";
    for (std::size_t i = 0; i < f.items.size(); ++i) {
      if (i) text += ',';
      text += f.items[i];
    }
    text += ']';
    return Value(std::move(text));
  }
  bool on_key_part(sv_t s, std::size_t, ec_t&) {
    key_.append(s.data(), s.size());
    return true;
  }
  bool on_key(sv_t s, std::size_t, ec_t&) {
    key_.append(s.data(), s.size());
    frames_.back().pending_key = std::move(key_);
    key_.clear();
    return true;
  }
  bool on_string_part(sv_t s, std::size_t, ec_t&) {
    string_.append(s.data(), s.size());
    return true;
  }
  bool on_string(sv_t s, std::size_t, ec_t&) {
    string_.append(s.data(), s.size());
    std::string text;
    AppendString(text, string_);
    string_.clear();
    return Value(std::move(text));
  }
  bool on_number_part(sv_t, ec_t&) { return true; }
  bool on_int64(std::int64_t i, sv_t, ec_t&) { return Value(std::to_string(i)); }
  bool on_uint64(std::uint64_t u, sv_t, ec_t&) { return Value(std::to_string(u)); }
  bool on_double(double d, sv_t, ec_t& ec) {
    if (!std::isfinite(d)) {
      ec = boost::json::error::exponent_overflow;
      return false;
    }
    char buf[32];
    auto [end, err] = std::to_chars(buf, buf + sizeof buf, d);
    return Value(std::string(buf, end));
  }
  bool on_bool(bool b, ec_t&) { return Value(b ? "true" : "false"); }
  bool on_null(ec_t&) { return Value("null"); }
  bool on_comment_part(sv_t, ec_t&) { return true; }
  bool on_comment(sv_t, ec_t&) { return true; }

  bool duplicate_key() const { return duplicate_key_; }
  std::string& result() { return result_; }

 private:
  struct Frame {
    bool is_object;
    std::vector<std::pair<std::string, std::string>> members;
    std::vector<std::string> items;
    std::string pending_key;
  };

  static void AppendString(std::string& out, std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    for (char c : s) {
      const auto u = static_cast<unsigned char>(c);
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        default:
          if (u < 0x20) {
            out += "\\u00";
            out += kHex[u >> 4];
            out += kHex[u & 0xF];
          } else {
            out += c;
          }
      }
    }
    out += '"';
  }

  bool Value(std::string text) {
    if (frames_.empty()) {
      result_ = std::move(text);
      return true;
    }
    Frame& f = frames_.back();
    if (f.is_object) {
      f.members.emplace_back(std::move(f.pending_key), std::move(text));
      f.pending_key.clear();
    } else {
      f.items.push_back(std::move(text));
    }
    return true;
  }

  std::vector<Frame> frames_;
  std::string key_;
  std::string string_;
  std::string result_;
  bool duplicate_key_ = false;
};

}  // namespace

std::string EncodeForHash(const StoredFields& f) {
  std::string out;
  // 192 bytes cover the tag, the length prefixes, the three integers and two
  // state names of usual length; the rest is the variable-size text.
  out.reserve(192 + f.prev_hash.size() + f.occurred_at.size() + f.payload.size() +
              f.aggregate_type.size() + f.action.size());
  out.append(kEncodingTag);
  PutInt(out, f.seq);
  PutText(out, f.prev_hash);
  PutText(out, f.aggregate_type);
  PutInt(out, f.aggregate_id);
  PutText(out, f.occurred_at);
  PutOptInt(out, f.actor_id);
  PutText(out, f.action);
  PutOptText(out, f.from_state);
  PutOptText(out, f.to_state);
  PutText(out, f.payload);
  return out;
}

std::string HashEvent(const StoredFields& fields) { return Sha256Hex(EncodeForHash(fields)); }

Status ValidateNewEvent(const NewEvent& e) {
  const std::string& t = e.aggregate_type;
  // A short lower-case word: it names a table of projections ("dossier"),
  // and the (type, id) index stays compact.
  if (t.empty() || t.size() > 32 ||
      !std::all_of(t.begin(), t.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; })) {
    return InvalidField("aggregate_type", "must be 1 to 32 of a-z and _");
  }
  if (e.aggregate_id <= 0) return InvalidField("aggregate_id", "must be positive");
  if (e.actor_id && *e.actor_id <= 0) return InvalidField("actor_id", "must be positive");
  MOTCUA_TRY_VOID(CheckLabel("action", e.action));
  if (e.from_state) MOTCUA_TRY_VOID(CheckLabel("from_state", *e.from_state));
  if (e.to_state) MOTCUA_TRY_VOID(CheckLabel("to_state", *e.to_state));
  return {};
}

Result<std::string> CanonicalJson(std::string_view json) {
  // The first significant character tells whether the document is an
  // object; boost::json reports a malformed one below.
  auto first = std::find_if(json.begin(), json.end(),
                            [](char c) { return c != ' ' && c != '\t' && c != '\n' && c != '\r'; });
  if (first == json.end() || *first != '{') {
    return InvalidField("payload", "must be a JSON object");
  }
  boost::json::basic_parser<CanonicalHandler> parser{boost::json::parse_options{}};
  boost::json::error_code ec;
  std::size_t used = parser.write_some(false, json.data(), json.size(), ec);
  if (parser.handler().duplicate_key()) {
    return InvalidField("payload", "has a duplicate key");
  }
  if (ec || used != json.size() || !parser.done()) {
    return InvalidField("payload", "is not valid JSON: " + ec.message());
  }
  std::string& out = parser.handler().result();
  if (out.size() > kMaxPayloadBytes) {
    return InvalidField("payload", "is larger than " + std::to_string(kMaxPayloadBytes) + " bytes");
  }
  return std::move(out);
}

}  // namespace motcua::events
