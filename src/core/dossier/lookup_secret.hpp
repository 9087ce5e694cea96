// The short secret printed on a receipt beside the dossier number (mã tra
// cứu), so that the public lookup needs both and numbers, which are
// sequential, cannot be enumerated (issue 3, item 6).
//
// Eight characters from a 31-letter alphabet without the look-alikes 0/O and
// 1/I/L: about 39.6 bits, read aloud or typed from paper without confusion.
// The database keeps only HashLookupSecret(number, secret). The hash includes
// the dossier number, so one table of precomputed hashes cannot serve every
// dossier; online guessing is bounded by the lookup's rate limit.
//
// Everything here is pure and thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace motcua::dossier {

inline constexpr std::string_view kLookupAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
inline constexpr std::size_t kLookupSecretLength = 8;

// Fills the span with bytes from a cryptographically secure generator
// (services pass OpenSSL's RAND_bytes); an error is passed through.
using RandomBytes = std::function<Status(std::span<std::uint8_t>)>;

// A fresh secret of kLookupSecretLength characters of kLookupAlphabet, each
// drawn uniformly (bytes >= 248 are discarded rather than reduced modulo 31,
// which would favour the first letters). Errors: those of `random`.
[[nodiscard]] Result<std::string> GenerateLookupSecret(const RandomBytes& random);

// What a citizen typed, made comparable: spaces and hyphens removed, letters
// upper-cased ("abcd-2345" reads as "ABCD2345"). nullopt if what is left is
// not kLookupSecretLength characters of the alphabet.
std::optional<std::string> NormalizeLookupSecret(std::string_view typed);

// Lower-case hex SHA-256 of "<dossier number>\n<secret>": what is stored.
std::string HashLookupSecret(std::string_view dossier_number, std::string_view secret);

// True if `typed` (normalised first) is the secret whose hash is
// `stored_hash` for this dossier. The hashes are compared without an early
// exit, so the time taken does not tell how close a guess was.
bool LookupSecretMatches(std::string_view dossier_number, std::string_view typed,
                         std::string_view stored_hash);

}  // namespace motcua::dossier
