#include "core/catalog/text.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace motcua::catalog {
namespace {

using ::testing::ElementsAre;

std::vector<std::string> Folded(std::string_view text) {
  std::vector<std::string> out;
  for (const Token& t : Tokenize(text)) out.push_back(t.folded);
  return out;
}

TEST(FoldTest, StripsEveryVietnameseDiacriticAndLowersCase) {
  EXPECT_EQ(FoldText("Đăng ký khai sinh"), "dang ky khai sinh");
  EXPECT_EQ(FoldText("GIẤY PHÉP XÂY DỰNG"), "giay phep xay dung");
  EXPECT_EQ(FoldText("Ủy ban nhân dân phường Ỷ La"), "uy ban nhan dan phuong y la");
  EXPECT_EQ(FoldText("àáảãạ ằắẳẵặ ầấẩẫậ èéẻẽẹ ềếểễệ ìíỉĩị òóỏõọ ồốổỗộ ờớởỡợ ùúủũụ ừứửữự ỳýỷỹỵ đĐ"),
            "aaaaa aaaaa aaaaa eeeee eeeee iiiii ooooo ooooo ooooo uuuuu uuuuu yyyyy dd");
  EXPECT_EQ(FoldText("ÀÁẢÃẠ ẰẮẲẴẶ ẦẤẨẪẬ ÈÉẺẼẸ ỀẾỂỄỆ ÌÍỈĨỊ ÒÓỎÕỌ ỒỐỔỖỘ ỜỚỞỠỢ ÙÚỦŨỤ ỪỨỬỮỰ ỲÝỶỸỴ"),
            "aaaaa aaaaa aaaaa eeeee eeeee iiiii ooooo ooooo ooooo uuuuu uuuuu yyyyy");
}

TEST(FoldTest, DecomposedInputGivesTheSameTokensAsComposed) {
  // "Đăng ký kết hôn" typed as base letters followed by combining marks (NFD).
  const std::string nfd =
      "\xC4\x90"
      "a\xCC\x86ng ky\xCC\x81 ke\xCC\x82\xCC\x81t ho\xCC\x82n";
  const std::string nfc = "Đăng ký kết hôn";
  auto a = Tokenize(nfd), b = Tokenize(nfc);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].folded, b[i].folded);
    EXPECT_EQ(a[i].exact, b[i].exact) << i;
  }
  // Canonical ordering puts the dot below before the circumflex.
  const std::string nfd_nang = "he\xCC\xA3\xCC\x82";  // "hệ"
  EXPECT_EQ(Tokenize(nfd_nang)[0].exact, Tokenize("hệ")[0].exact);
}

TEST(FoldTest, ExactSpellingTellsDiacriticsApart) {
  EXPECT_EQ(Tokenize("dang")[0].exact, "dang");
  EXPECT_NE(Tokenize("đăng")[0].exact, Tokenize("dang")[0].exact);
  EXPECT_NE(Tokenize("đăng")[0].exact, Tokenize("đang")[0].exact);
  EXPECT_EQ(Tokenize("ĐĂNG")[0].exact, Tokenize("đăng")[0].exact);
  EXPECT_EQ(Tokenize("đăng")[0].folded, "dang");
}

TEST(TokenizeTest, SplitsOnPunctuationButKeepsProcedureCodes) {
  EXPECT_THAT(
      Folded("Thay đổi, cải chính (hộ tịch) – bổ sung/xác định"),
      ElementsAre("thay", "doi", "cai", "chinh", "ho", "tich", "bo", "sung", "xac", "dinh"));
  EXPECT_THAT(Folded("mã 1.001193.000.00.00.H12."), ElementsAre("ma", "1.001193.000.00.00.h12"));
  EXPECT_THAT(Folded("  "), ElementsAre());
  auto tokens = Tokenize("Cấp  giấy phép");
  EXPECT_EQ(tokens[2].position, 2u);
}

TEST(TokenizeTest, InvalidBytesSeparateWordsAndStrayMarksAreIgnored) {
  EXPECT_THAT(Folded("khai\xFFsinh"), ElementsAre("khai", "sinh"));
  EXPECT_THAT(Folded("\xCC\x81sinh"), ElementsAre("sinh"));
}

TEST(TextTest, Utf8AndLength) {
  EXPECT_TRUE(IsUtf8Text("Hộ tịch\t\n"));
  EXPECT_FALSE(IsUtf8Text("a\x01"));
  EXPECT_FALSE(IsUtf8Text("\xC0\xAF"));
  EXPECT_EQ(CodePointCount("Hộ tịch"), 7u);
  EXPECT_EQ(TrimSpaces("  a b \t"), "a b");
}

}  // namespace
}  // namespace motcua::catalog
