// A TrueType font without its hinting: the bytecode that fits outlines to a
// screen's pixel grid (the fpgm, prep and cvt tables and each glyph's
// instructions). A PDF is printed or scaled, never drawn at one pixel size,
// and viewers hint or not on their own; but cairo copies the instructions
// into every font subset it embeds, and compresses them every time. Without
// them Noto Sans' subsets are about half the size, and a receipt is made
// faster (docs/benchmarks.md). The outlines, metrics and character maps are
// unchanged: the text looks and reads back the same.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace motcua::documents {

// nullopt for a font this does not handle (not TrueType outlines, or
// malformed); the caller keeps the font as it is.
std::optional<std::string> WithoutHinting(std::string_view ttf);

}  // namespace motcua::documents
