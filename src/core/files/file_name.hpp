// File names as people give them, made safe to show and to hand back in a
// download.
//
// A name travels from a citizen's phone to an officer's desktop: it is shown
// in lists and goes back out in Content-Disposition. Vietnamese letters are
// kept as sent (NFC or NFD alike: no normalisation, so what the citizen typed
// is what the officer sees). What is removed could mislead or harm: folders
// (the last path segment is kept: old browsers send "C:\fakepath\x.pdf"),
// control characters (C0, DEL, C1), invisible direction overrides that make
// "hoso<U+202E>fdp.exe" read as "hosoexe.pdf", and the characters Windows forbids
// in names (< > : " | ? *), which become '_'. Runs of spaces collapse to one;
// leading and trailing spaces and dots go (a leading dot hides a file, a
// trailing one is dropped by Windows).
//
// Pure functions; thread safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace motcua::files {

// Longest stored name in bytes. Common file systems allow 255 bytes per name;
// 200 leaves room for the " (1)" or " - Copy" a desktop adds when the name
// is taken, and still holds 70 or more accented Vietnamese letters (2-3 bytes
// each in UTF-8), longer than any real document title.
inline constexpr std::size_t kMaxFileNameBytes = 200;

// `raw` cleaned as described above and cut to kMaxFileNameBytes on a code
// point boundary, keeping its extension. Errors: kInvalidArgument naming
// "X-File-Name" for invalid UTF-8 or a name with nothing usable left ("",
// "../..", only control characters).
[[nodiscard]] Result<std::string> SanitizeFileName(std::string_view raw);

// `name` cut to at most `max_bytes` on a code point boundary, taking the cut
// from the part before the extension (the last ".xyz", up to 10 bytes) so that
// the extension survives. `name` must be valid UTF-8.
std::string TruncateKeepingExtension(std::string_view name, std::size_t max_bytes);

// A Content-Disposition value that makes browsers save the file (never show
// it in the page) under `name`: `attachment; filename="<ASCII fallback>";
// filename*=UTF-8''<percent-encoded name>` (RFC 6266, RFC 8187). Every
// current browser uses filename*, which keeps the Vietnamese letters; the
// fallback has '_' for anything outside printable ASCII and for '"', '\' and '%'.
std::string ContentDisposition(std::string_view name);

}  // namespace motcua::files
