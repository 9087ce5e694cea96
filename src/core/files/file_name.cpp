#include "core/files/file_name.hpp"

#include <array>
#include <cstdint>
#include <optional>

namespace motcua::files {
namespace {

struct Decoded {
  char32_t cp = 0;
  std::size_t length = 0;
};

// One code point of strict UTF-8 at text[i]: no overlong forms, no
// surrogates, nothing above U+10FFFF; nullopt for anything else.
std::optional<Decoded> DecodeAt(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) return Decoded{b0, 1};
  std::size_t length = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    length = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    length = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    length = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return std::nullopt;
  }
  if (i + length > text.size()) return std::nullopt;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
  return Decoded{cp, length};
}

bool IsControl(char32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

// Invisible characters that change the order in which the rest is shown
// (the "right-to-left override" trick) and the byte order mark.
bool IsInvisibleFormat(char32_t cp) {
  return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

bool IsForbiddenOnWindows(char32_t cp) {
  return cp == '<' || cp == '>' || cp == ':' || cp == '"' || cp == '|' || cp == '?' || cp == '*';
}

// Names Windows keeps for devices: "CON.pdf" cannot be saved there.
bool IsReservedOnWindows(std::string_view name) {
  std::string stem(name.substr(0, name.find('.')));
  while (!stem.empty() && stem.back() == ' ') stem.pop_back();
  for (char& c : stem) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  static constexpr std::array<std::string_view, 4> kDevices = {"CON", "PRN", "AUX", "NUL"};
  for (std::string_view d : kDevices) {
    if (stem == d) return true;
  }
  return stem.size() == 4 && (stem.starts_with("COM") || stem.starts_with("LPT")) &&
         stem[3] >= '1' && stem[3] <= '9';
}

// How long an extension may be for TruncateKeepingExtension to keep it:
// ".docx" and ".jpeg" are 5 bytes; a longer "extension" is part of the title.
constexpr std::size_t kMaxExtensionBytes = 10;

}  // namespace

Result<std::string> SanitizeFileName(std::string_view raw) {
  for (std::size_t i = 0; i < raw.size();) {
    auto d = DecodeAt(raw, i);
    if (!d) return InvalidField("X-File-Name", "must be valid UTF-8");
    i += d->length;
  }
  if (auto slash = raw.find_last_of("/\\"); slash != std::string_view::npos) {
    raw = raw.substr(slash + 1);
  }
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size();) {
    const Decoded d = *DecodeAt(raw, i);
    std::string_view bytes = raw.substr(i, d.length);
    i += d.length;
    if (IsControl(d.cp) || IsInvisibleFormat(d.cp)) continue;
    if (d.cp == ' ') {
      if (!out.empty() && out.back() == ' ') continue;
    } else if (IsForbiddenOnWindows(d.cp)) {
      bytes = "_";
    }
    out += bytes;
  }
  const auto trimmed = [](char c) { return c == ' ' || c == '.'; };
  std::size_t begin = 0;
  while (begin < out.size() && trimmed(out[begin])) ++begin;
  std::size_t end = out.size();
  while (end > begin && trimmed(out[end - 1])) --end;
  out = out.substr(begin, end - begin);
  if (out.empty()) return InvalidField("X-File-Name", "has no usable characters");
  if (IsReservedOnWindows(out)) out.insert(0, "_");
  return TruncateKeepingExtension(out, kMaxFileNameBytes);
}

std::string TruncateKeepingExtension(std::string_view name, std::size_t max_bytes) {
  if (name.size() <= max_bytes) return std::string(name);
  std::string_view extension;
  if (auto dot = name.rfind('.'); dot != std::string_view::npos && dot > 0 &&
                                  name.size() - dot <= kMaxExtensionBytes &&
                                  name.size() - dot < max_bytes) {
    extension = name.substr(dot);
  }
  std::size_t cut = max_bytes - extension.size();
  // Back up to the start of a code point (continuation bytes are 10xxxxxx).
  while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
  return std::string(name.substr(0, cut)) + std::string(extension);
}

std::string ContentDisposition(std::string_view name) {
  std::string fallback;
  std::string encoded;
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (std::size_t i = 0; i < name.size();) {
    auto d = DecodeAt(name, i);
    const std::size_t length = d ? d->length : 1;
    const char32_t cp = d ? d->cp : 0xFFFD;
    // Combining accents (NFD spelling) vanish from the fallback, so that
    // "Giấy" spelt decomposed falls back to "Giay" rather than "Gi__y".
    if (cp >= 0x20 && cp < 0x7F && cp != '"' && cp != '\\' && cp != '%') {
      fallback += static_cast<char>(cp);
    } else if (!(cp >= 0x300 && cp <= 0x36F)) {
      fallback += '_';
    }
    i += length;
  }
  for (unsigned char c : name) {
    // attr-char of RFC 8187: letters, digits and !#$&+-.^_`|~ go as they are.
    const bool plain =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
        std::string_view("!#$&+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
    if (plain) {
      encoded += static_cast<char>(c);
    } else {
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 0xF];
    }
  }
  return "attachment; filename=\"" + fallback + "\"; filename*=UTF-8''" + encoded;
}

}  // namespace motcua::files
