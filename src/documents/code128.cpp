#include "documents/code128.hpp"

#include <array>

namespace motcua::documents {
namespace {

// Bar, space, bar, space, bar, space widths of symbol values 0..105 and stop
// (106, seven elements), as the standard tabulates them.
constexpr std::array<std::string_view, 107> kPatterns{
    "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212",
    "221213", "221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221",
    "223211", "221132", "221231", "213212", "223112", "312131", "311222", "321122", "321221",
    "312212", "322112", "322211", "212123", "212321", "232121", "111323", "131123", "131321",
    "112313", "132113", "132311", "211313", "231113", "231311", "112133", "112331", "132131",
    "113123", "113321", "133121", "313121", "211331", "231131", "213113", "213311", "213131",
    "311123", "311321", "331121", "312113", "312311", "332111", "314111", "221411", "431111",
    "111224", "111422", "121124", "121421", "141122", "141221", "112214", "112412", "122114",
    "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111", "111242",
    "121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141",
    "214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311",
    "113141", "114131", "311141", "411131", "211412", "211214", "211232", "2331112"};

constexpr int kStartB = 104;
constexpr int kStop = 106;

void Append(std::vector<int>& out, int symbol) {
  for (char c : kPatterns[static_cast<std::size_t>(symbol)]) out.push_back(c - '0');
}

}  // namespace

Result<std::vector<int>> Code128B(std::string_view text) {
  if (text.empty()) return InvalidField("text", "is empty");
  std::vector<int> out;
  out.reserve((text.size() + 3) * 6 + 1);
  Append(out, kStartB);
  long checksum = kStartB;
  long position = 1;
  for (char c : text) {
    const int code = static_cast<unsigned char>(c);
    if (code < 32 || code > 126)
      return InvalidField("text", "has a character Code 128 B cannot encode");
    const int value = code - 32;
    Append(out, value);
    checksum += value * position++;
  }
  Append(out, static_cast<int>(checksum % 103));
  Append(out, kStop);
  return out;
}

}  // namespace motcua::documents
