// Random secrets and the one-way form in which the database keeps them.
//
// Thread safety: every function may be called from any thread (OpenSSL 3's
// RAND_bytes is thread safe).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace motcua::accounts {

// `bytes` bytes from OpenSSL's CSPRNG as unpadded base64url (43 characters
// for 32 bytes). Errors: kUnavailable if the generator fails.
[[nodiscard]] Result<std::string> RandomToken(std::size_t bytes);

// Unpadded base64url (RFC 4648 section 5).
std::string Base64Url(std::string_view bytes);
// True if `text` has exactly `length` characters, all of the base64url alphabet.
bool IsBase64UrlOfLength(std::string_view text, std::size_t length);

// Lower-case hex SHA-256 of `text`: how session ids and API tokens are stored.
// The secrets have 256 bits of entropy, so a plain hash (no salt, no stretching)
// cannot be reversed, and a lookup by hash stays an index lookup.
std::string Sha256Hex(std::string_view text);

// Compares without an early exit, so the time taken does not reveal how much
// of a guessed secret was right.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace motcua::accounts
