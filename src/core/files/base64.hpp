// Base64 (RFC 4648, the standard alphabet with '=' padding), both ways: for
// files and keys carried in JSON (a .p12, a certificate's DER) and for the
// statistics snapshot's parts. One implementation over OpenSSL's, so that
// the padding arithmetic lives in one place. (Sessions' tokens use base64url,
// services/accounts/secrets.hpp; the attachment key its own, which wipes.)
//
// Pure; thread safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace motcua::files {

std::string EncodeBase64(std::string_view bytes);

// The bytes of `text`; CR, LF and spaces (line breaks of PEM-like text) are
// passed over. nullopt for anything else that is not base64: another
// character, a length that is not a multiple of four, or '=' but at the end.
std::optional<std::string> DecodeBase64(std::string_view text);

}  // namespace motcua::files
