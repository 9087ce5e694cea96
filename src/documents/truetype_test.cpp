// The font without its hinting is the same font to FreeType: the same glyphs
// with the same outlines and advances, only smaller.
#include <ft2build.h>
#include <gtest/gtest.h>
#include FT_FREETYPE_H
#include FT_TRUETYPE_TABLES_H
#include FT_TRUETYPE_TAGS_H

#include <fstream>
#include <iterator>

#include "documents/receipt.hpp"
#include "documents/test_tools.hpp"
#include "documents/truetype.hpp"

namespace motcua::documents {
namespace {

std::string FontBytes() {
  auto layout = ParseFormLayout(testing::Source("data/documents/forms.json"));
  EXPECT_TRUE(layout);
  std::ifstream in(layout->font_regular, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool HasTable(FT_Face face, FT_ULong tag) {
  FT_ULong length = 0;
  return FT_Load_Sfnt_Table(face, tag, 0, nullptr, &length) == 0 && length > 0;
}

TEST(TrueTypeTest, WithoutHintingTheGlyphsAreTheSameAndTheFontIsSmaller) {
  const std::string original = FontBytes();
  ASSERT_GT(original.size(), 100000u);
  auto plain = WithoutHinting(original);
  ASSERT_TRUE(plain);
  EXPECT_LT(plain->size(), original.size() * 9 / 10);
  FT_Library lib;
  ASSERT_EQ(FT_Init_FreeType(&lib), 0);
  FT_Face a, b;
  ASSERT_EQ(FT_New_Memory_Face(lib, reinterpret_cast<const FT_Byte*>(original.data()),
                               static_cast<FT_Long>(original.size()), 0, &a),
            0);
  ASSERT_EQ(FT_New_Memory_Face(lib, reinterpret_cast<const FT_Byte*>(plain->data()),
                               static_cast<FT_Long>(plain->size()), 0, &b),
            0);
  EXPECT_EQ(a->num_glyphs, b->num_glyphs);
  EXPECT_TRUE(HasTable(a, TTAG_fpgm));
  EXPECT_FALSE(HasTable(b, TTAG_fpgm));
  EXPECT_FALSE(HasTable(b, TTAG_prep));
  EXPECT_FALSE(HasTable(b, TTAG_cvt));
  // Every glyph, simple or composite: its outline and advance, unhinted.
  for (FT_UInt g = 0; g < static_cast<FT_UInt>(a->num_glyphs); ++g) {
    ASSERT_EQ(FT_Load_Glyph(a, g, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING), 0);
    ASSERT_EQ(FT_Load_Glyph(b, g, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING), 0) << "glyph " << g;
    ASSERT_EQ(a->glyph->outline.n_points, b->glyph->outline.n_points) << "glyph " << g;
    ASSERT_EQ(a->glyph->outline.n_contours, b->glyph->outline.n_contours) << "glyph " << g;
    for (int p = 0; p < a->glyph->outline.n_points; ++p) {
      ASSERT_EQ(a->glyph->outline.points[p].x, b->glyph->outline.points[p].x) << "glyph " << g;
      ASSERT_EQ(a->glyph->outline.points[p].y, b->glyph->outline.points[p].y) << "glyph " << g;
    }
    ASSERT_EQ(a->glyph->advance.x, b->glyph->advance.x) << "glyph " << g;
  }
  // The letters of Vietnamese are still mapped (ặ, ữ, Đ).
  for (FT_ULong c : {0x1EB7ul, 0x1EEFul, 0x0110ul})
    EXPECT_EQ(FT_Get_Char_Index(a, c), FT_Get_Char_Index(b, c));
  FT_Done_Face(a);
  FT_Done_Face(b);
  FT_Done_FreeType(lib);
}

TEST(TrueTypeTest, WhatItDoesNotKnowIsLeftAlone) {
  EXPECT_FALSE(WithoutHinting(""));
  EXPECT_FALSE(WithoutHinting("OTTO not a TrueType font at all"));
  std::string truncated = FontBytes().substr(0, 5000);
  EXPECT_FALSE(WithoutHinting(truncated));
}

}  // namespace
}  // namespace motcua::documents
