// Code 128 barcodes (ISO/IEC 15417), code set B: the printable ASCII of a
// dossier number ("000.00.21.H12-250314-0007") as a row of bars that any
// counter's scanner reads.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace motcua::documents {

// The widths, in modules, of the bars and spaces from left to right, starting
// with a bar: start B, the data, the check symbol and stop (each symbol 11
// modules, stop 13). The caller adds the quiet zones (10 modules each side).
// Errors: kInvalidArgument for an empty text or one outside ASCII 32..126.
[[nodiscard]] Result<std::vector<int>> Code128B(std::string_view text);

}  // namespace motcua::documents
