// QR codes (ISO/IEC 18004) of short texts such as a receipt's lookup address,
// made by libqrencode.
#pragma once

#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace motcua::documents {

struct QrMatrix {
  int size = 0;            // modules per side, without the quiet zone
  std::vector<bool> dark;  // row by row, size * size
  bool Dark(int x, int y) const { return dark[static_cast<std::size_t>(y * size + x)]; }
};

// Error correction level M (15 % of the code may be damaged: a folded or
// stamped receipt still scans). Errors: kInvalidArgument for a text too long
// for a QR code.
[[nodiscard]] Result<QrMatrix> MakeQr(std::string_view text);

}  // namespace motcua::documents
