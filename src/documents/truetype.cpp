#include "documents/truetype.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <vector>

namespace motcua::documents {
namespace {

// The tables that exist only for hinting, or that describe or sign the
// hinted font as it was (hdmx, LTSH and VDMX: hinted device metrics; DSIG:
// a signature of the original bytes).
bool HintingOnly(std::string_view tag) {
  return tag == "fpgm" || tag == "prep" || tag == "cvt " || tag == "hdmx" || tag == "LTSH" ||
         tag == "VDMX" || tag == "DSIG";
}

std::uint16_t U16(std::string_view b, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(b[at]) << 8 |
                                    static_cast<unsigned char>(b[at + 1]));
}
std::uint32_t U32(std::string_view b, std::size_t at) {
  return static_cast<std::uint32_t>(U16(b, at)) << 16 | U16(b, at + 2);
}
void Put16(std::string& b, std::size_t at, std::uint32_t v) {
  b[at] = static_cast<char>(v >> 8 & 0xff);
  b[at + 1] = static_cast<char>(v & 0xff);
}
void Put32(std::string& b, std::size_t at, std::uint32_t v) {
  Put16(b, at, v >> 16);
  Put16(b, at + 2, v & 0xffff);
}
void Append32(std::string& b, std::uint32_t v) {
  b.append(4, '\0');
  Put32(b, b.size() - 4, v);
}

std::uint32_t Checksum(std::string_view t) {
  std::uint32_t sum = 0;
  std::string padded(t);
  padded.resize((padded.size() + 3) / 4 * 4, '\0');
  for (std::size_t i = 0; i < padded.size(); i += 4) sum += U32(padded, i);
  return sum;
}

// One glyph's outline without its instructions; nullopt when malformed.
std::optional<std::string> Glyph(std::string_view g) {
  if (g.empty()) return std::string();
  if (g.size() < 10) return std::nullopt;
  const auto contours = static_cast<std::int16_t>(U16(g, 0));
  if (contours >= 0) {
    const std::size_t ends = 10 + 2 * static_cast<std::size_t>(contours);
    if (g.size() < ends + 2) return std::nullopt;
    const std::size_t instructions = U16(g, ends);
    if (g.size() < ends + 2 + instructions) return std::nullopt;
    std::string out(g.substr(0, ends));
    out.append(2, '\0');
    out.append(g.substr(ends + 2 + instructions));
    return out;
  }
  // A composite: its components, with "instructions follow" cleared.
  std::string out(g);
  std::size_t at = 10;
  for (;;) {
    if (out.size() < at + 4) return std::nullopt;
    const std::uint16_t flags = U16(out, at);
    Put16(out, at, flags & ~0x0100u);      // WE_HAVE_INSTRUCTIONS
    at += 4 + ((flags & 0x0001) ? 4 : 2);  // flags, glyph index; the arguments as words or bytes
    if (flags & 0x0008)
      at += 2;  // one scale
    else if (flags & 0x0040)
      at += 4;  // x and y scales
    else if (flags & 0x0080)
      at += 8;                     // a 2 by 2 matrix
    if (!(flags & 0x0020)) break;  // MORE_COMPONENTS
  }
  if (out.size() < at) return std::nullopt;
  out.resize(at);
  return out;
}

}  // namespace

std::optional<std::string> WithoutHinting(std::string_view ttf) {
  if (ttf.size() < 12 || U32(ttf, 0) != 0x00010000) return std::nullopt;
  const std::size_t count = U16(ttf, 4);
  if (ttf.size() < 12 + 16 * count) return std::nullopt;
  std::map<std::string, std::string, std::less<>> tables;
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t rec = 12 + 16 * i;
    const std::size_t offset = U32(ttf, rec + 8), length = U32(ttf, rec + 12);
    if (offset > ttf.size() || length > ttf.size() - offset) return std::nullopt;
    tables.emplace(std::string(ttf.substr(rec, 4)), std::string(ttf.substr(offset, length)));
  }
  auto head = tables.find("head"), maxp = tables.find("maxp"), loca = tables.find("loca"),
       glyf = tables.find("glyf");
  if (head == tables.end() || maxp == tables.end() || loca == tables.end() ||
      glyf == tables.end() || head->second.size() < 54 || maxp->second.size() < 6)
    return std::nullopt;
  const std::size_t glyphs = U16(maxp->second, 4);
  const bool long_loca = U16(head->second, 50) == 1;
  const std::string_view old_loca = loca->second, old_glyf = glyf->second;
  if (old_loca.size() < (glyphs + 1) * (long_loca ? 4 : 2)) return std::nullopt;
  auto offset = [&](std::size_t g) -> std::size_t {
    return long_loca ? U32(old_loca, 4 * g) : 2u * U16(old_loca, 2 * g);
  };
  std::string new_glyf, new_loca;
  for (std::size_t g = 0; g < glyphs; ++g) {
    const std::size_t from = offset(g), to = offset(g + 1);
    if (from > to || to > old_glyf.size()) return std::nullopt;
    auto outline = Glyph(old_glyf.substr(from, to - from));
    if (!outline) return std::nullopt;
    Append32(new_loca, static_cast<std::uint32_t>(new_glyf.size()));
    new_glyf += *outline;
    new_glyf.resize((new_glyf.size() + 3) / 4 * 4, '\0');
  }
  Append32(new_loca, static_cast<std::uint32_t>(new_glyf.size()));
  glyf->second = std::move(new_glyf);
  loca->second = std::move(new_loca);
  Put16(head->second, 50, 1);                                 // long offsets in loca
  Put32(head->second, 8, 0);                                  // checkSumAdjustment, set below
  if (maxp->second.size() >= 28) Put16(maxp->second, 26, 0);  // maxSizeOfInstructions
  std::erase_if(tables, [](const auto& t) { return HintingOnly(t.first); });

  // The file: the offset table, the table records (by tag, as the map
  // keeps them), the tables each on four bytes.
  const std::size_t n = tables.size();
  std::size_t power = 1, log2 = 0;
  while (power * 2 <= n) power *= 2, ++log2;
  std::string out(12 + 16 * n, '\0');
  Put32(out, 0, 0x00010000);
  Put16(out, 4, static_cast<std::uint32_t>(n));
  Put16(out, 6, static_cast<std::uint32_t>(power * 16));
  Put16(out, 8, static_cast<std::uint32_t>(log2));
  Put16(out, 10, static_cast<std::uint32_t>(n * 16 - power * 16));
  std::size_t i = 0, head_at = 0;
  for (const auto& [tag, body] : tables) {
    const std::size_t rec = 12 + 16 * i++;
    out.replace(rec, 4, tag);
    Put32(out, rec + 4, Checksum(body));
    Put32(out, rec + 8, static_cast<std::uint32_t>(out.size()));
    Put32(out, rec + 12, static_cast<std::uint32_t>(body.size()));
    if (tag == "head") head_at = out.size();
    out += body;
    out.resize((out.size() + 3) / 4 * 4, '\0');
  }
  Put32(out, head_at + 8, 0xB1B0AFBAu - Checksum(out));
  return out;
}

}  // namespace motcua::documents
