#include "core/accounts/credentials_policy.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>

namespace motcua::accounts {
namespace {

// Usernames appear in URLs, logs and audit trails: a short, plain alphabet
// keeps them unambiguous. 64 is long enough for "firstname.lastname.unit".
constexpr std::size_t kMinUsername = 3;
constexpr std::size_t kMaxUsername = 64;

// NIST SP 800-63B: at least 8; we ask for 10 because staff accounts reach
// personal data. The upper bound allows passphrases while keeping the
// argon2 input bounded.
constexpr std::size_t kMinPassword = 10;
constexpr std::size_t kMaxPassword = 128;

// The most common passwords of at least 10 characters in public breach
// corpora, plus Vietnamese favourites ("matkhau" = password) and the product
// name. Lower case; the comparison ignores ASCII case.
constexpr std::array<std::string_view, 28> kCommonPasswords{
    "1234567890",   "0123456789",   "12345678910",   "123456789a",  "1111111111",  "0000000000",
    "qwertyuiop",   "1q2w3e4r5t",   "qwerty1234",    "qwerty12345", "password12",  "password123",
    "password1234", "passw0rd123",  "iloveyou12",    "abc1234567",  "abcd123456",  "a123456789",
    "admin12345",   "admin123456",  "administrator", "matkhau123",  "matkhau1234", "matkhaumoi1",
    "motcua12345",  "motcua123456", "anhyeuem123",   "123456789@",
};

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return out;
}

// Number of code points if `text` is well-formed UTF-8 (no overlong forms,
// no surrogates, nothing above U+10FFFF), else nullopt.
std::optional<std::size_t> CountCodePoints(std::string_view text) {
  std::size_t count = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto b0 = static_cast<std::uint8_t>(text[i]);
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (b0 < 0x80) {
      len = 1;
      cp = b0;
    } else if ((b0 & 0xE0) == 0xC0) {
      len = 2;
      cp = b0 & 0x1F;
    } else if ((b0 & 0xF0) == 0xE0) {
      len = 3;
      cp = b0 & 0x0F;
    } else if ((b0 & 0xF8) == 0xF0) {
      len = 4;
      cp = b0 & 0x07;
    } else {
      return std::nullopt;
    }
    if (i + len > text.size()) return std::nullopt;
    for (std::size_t k = 1; k < len; ++k) {
      const auto b = static_cast<std::uint8_t>(text[i + k]);
      if ((b & 0xC0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (b & 0x3F);
    }
    // The smallest code point each length may encode: anything less is an
    // overlong form, a classic way to smuggle characters past filters.
    static constexpr std::uint32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLength[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return std::nullopt;
    }
    i += len;
    ++count;
  }
  return count;
}

}  // namespace

std::string NormalizeUsername(std::string_view username) { return AsciiLower(username); }

Status CheckUsername(std::string_view username) {
  if (username.size() < kMinUsername || username.size() > kMaxUsername) {
    return InvalidField("username", "must be 3 to 64 characters long");
  }
  const bool plain = std::all_of(username.begin(), username.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  });
  if (!plain) {
    return InvalidField("username", "may only contain a-z, 0-9, '.', '_' and '-'");
  }
  return {};
}

Status CheckPassword(std::string_view password, std::string_view username) {
  const auto length = CountCodePoints(password);
  if (!length) return InvalidField("password", "must be valid UTF-8 text");
  if (*length < kMinPassword || *length > kMaxPassword) {
    return InvalidField("password", "must be 10 to 128 characters long");
  }
  const std::string lowered = AsciiLower(password);
  if (std::find(kCommonPasswords.begin(), kCommonPasswords.end(), lowered) !=
      kCommonPasswords.end()) {
    return InvalidField("password", "is one of the most common passwords; choose another");
  }
  if (!username.empty() && lowered == AsciiLower(username)) {
    return InvalidField("password", "must not be the username");
  }
  return {};
}

Status CheckDisplayText(std::string_view text, std::string_view field, std::size_t max_length) {
  const auto length = CountCodePoints(text);
  if (!length) return InvalidField(std::string(field), "must be valid UTF-8 text");
  if (*length == 0 || *length > max_length) {
    return InvalidField(std::string(field),
                        "must be 1 to " + std::to_string(max_length) + " characters long");
  }
  // Control characters (newlines included) have no place in a name and can
  // forge lines in logs and exports.
  const bool has_control = std::any_of(text.begin(), text.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7F;
  });
  if (has_control) return InvalidField(std::string(field), "must not contain control characters");
  return {};
}

}  // namespace motcua::accounts
