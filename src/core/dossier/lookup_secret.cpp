#include "core/dossier/lookup_secret.hpp"

#include <openssl/crypto.h>

#include <array>

#include "core/events/sha256.hpp"

namespace motcua::dossier {
namespace {

constexpr unsigned kAlphabetSize = kLookupAlphabet.size();
// The largest multiple of the alphabet size that fits in a byte: bytes below
// it map onto the alphabet evenly.
constexpr unsigned kAcceptBelow = 256 / kAlphabetSize * kAlphabetSize;
static_assert(kAlphabetSize == 31 && kAcceptBelow == 248);

}  // namespace

Result<std::string> GenerateLookupSecret(const RandomBytes& random) {
  std::string out;
  out.reserve(kLookupSecretLength);
  // 16 bytes per draw: 8 are needed, and with 8/256 of bytes discarded a
  // second draw is needed about once in 10^11.
  std::array<std::uint8_t, 16> bytes;
  while (out.size() < kLookupSecretLength) {
    MOTCUA_TRY_VOID(random(bytes));
    for (std::uint8_t b : bytes) {
      if (b >= kAcceptBelow) continue;
      out += kLookupAlphabet[b % kAlphabetSize];
      if (out.size() == kLookupSecretLength) break;
    }
  }
  return out;
}

std::optional<std::string> NormalizeLookupSecret(std::string_view typed) {
  std::string out;
  for (char c : typed) {
    if (c == ' ' || c == '-') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (kLookupAlphabet.find(c) == std::string_view::npos) return std::nullopt;
    out += c;
    if (out.size() > kLookupSecretLength) return std::nullopt;
  }
  if (out.size() != kLookupSecretLength) return std::nullopt;
  return out;
}

std::string HashLookupSecret(std::string_view dossier_number, std::string_view secret) {
  std::string input;
  input.reserve(dossier_number.size() + 1 + secret.size());
  input.append(dossier_number);
  input += '\n';
  input.append(secret);
  return events::Sha256Hex(input);
}

bool LookupSecretMatches(std::string_view dossier_number, std::string_view typed,
                         std::string_view stored_hash) {
  auto secret = NormalizeLookupSecret(typed);
  if (!secret) return false;
  const std::string hash = HashLookupSecret(dossier_number, *secret);
  if (hash.size() != stored_hash.size()) return false;
  // OpenSSL's comparison is written so that compilers cannot turn it into
  // an early-exit loop.
  return CRYPTO_memcmp(hash.data(), stored_hash.data(), hash.size()) == 0;
}

}  // namespace motcua::dossier
