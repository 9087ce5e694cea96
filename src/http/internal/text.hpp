// Small text helpers shared by the http module. Private to src/http.
// All functions are pure and thread safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace motcua::http::internal {

// Offset of the first byte that makes `text` ill-formed UTF-8 (overlong
// forms, surrogates, code points above U+10FFFF, truncated sequences), or
// npos if the whole text is well-formed.
std::size_t FirstInvalidUtf8(std::string_view text);

// Number of code points in well-formed UTF-8.
std::size_t CodePoints(std::string_view utf8);

// ASCII lower-casing; header names and media types are ASCII.
std::string AsciiLower(std::string_view text);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
std::string_view TrimAscii(std::string_view text);

// A request id a client may choose: 1 to 64 of [A-Za-z0-9._-]. Anything
// else (long, or with characters that would need escaping in logs) is
// replaced by a generated one.
bool IsSaneRequestId(std::string_view id);
// 16 random hex digits: unique enough to find one request in the logs.
std::string NewRequestId();

}  // namespace motcua::http::internal
