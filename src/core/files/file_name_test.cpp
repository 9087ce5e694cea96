#include "core/files/file_name.hpp"

#include <gtest/gtest.h>

#include <string>

namespace motcua::files {
namespace {

std::string Clean(std::string_view raw) {
  auto r = SanitizeFileName(raw);
  EXPECT_TRUE(r) << raw;
  return r ? *r : "";
}

TEST(SanitizeFileNameTest, KeepsVietnameseNamesAsTyped) {
  EXPECT_EQ(Clean("Giấy chứng nhận quyền sử dụng đất.pdf"),
            "Giấy chứng nhận quyền sử dụng đất.pdf");
  // Decomposed (NFD, as macOS spells it) stays decomposed.
  EXPECT_EQ(Clean("Gia\xcc\x82\xcc\x81y.pdf"), "Gia\xcc\x82\xcc\x81y.pdf");
}

TEST(SanitizeFileNameTest, DropsFoldersControlCharactersAndDirectionTricks) {
  EXPECT_EQ(Clean("C:\\fakepath\\CCCD mặt trước.jpg"), "CCCD mặt trước.jpg");
  EXPECT_EQ(Clean("../../etc/passwd"), "passwd");
  EXPECT_EQ(Clean("to\tkhai\r\n\x01.pdf"), "tokhai.pdf");
  EXPECT_EQ(Clean("hoso\xe2\x80\xae"
                  "fdp.exe"),
            "hosofdp.exe");
  EXPECT_EQ(Clean("  ..ẩn   danh  .pdf. "), "ẩn danh .pdf");
  EXPECT_EQ(Clean("a<b>c:d\"e|f?g*.pdf"), "a_b_c_d_e_f_g_.pdf");
  EXPECT_EQ(Clean("con.pdf"), "_con.pdf");
}

TEST(SanitizeFileNameTest, RefusesNamesWithNothingLeftOrBrokenUtf8) {
  for (std::string_view bad : {std::string_view(""), std::string_view("../.."),
                               std::string_view("\x01\x02"), std::string_view("abc/")}) {
    auto r = SanitizeFileName(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().fields.at("X-File-Name"), "has no usable characters");
  }
  auto latin1 = SanitizeFileName("Gi\xe1y.pdf");
  ASSERT_FALSE(latin1);
  EXPECT_EQ(latin1.error().fields.at("X-File-Name"), "must be valid UTF-8");
}

TEST(SanitizeFileNameTest, BoundsTheLengthOnALetterBoundaryAndKeepsTheExtension) {
  std::string longest;
  for (int i = 0; i < 150; ++i) longest += "ệ";  // 3 bytes each
  const std::string name = Clean(longest + ".pdf");
  EXPECT_LE(name.size(), kMaxFileNameBytes);
  EXPECT_TRUE(name.ends_with("ệ.pdf"));
  EXPECT_EQ((name.size() - 4) % 3, 0u);  // no letter cut in half
}

TEST(ContentDispositionTest, EncodesTheNameForEveryBrowser) {
  EXPECT_EQ(ContentDisposition("Tờ khai.pdf"),
            "attachment; filename=\"T_ khai.pdf\"; filename*=UTF-8''T%E1%BB%9D%20khai.pdf");
  EXPECT_EQ(ContentDisposition("a\"b%c;d.pdf"),
            "attachment; filename=\"a_b_c;d.pdf\"; filename*=UTF-8''a%22b%25c%3Bd.pdf");
}

}  // namespace
}  // namespace motcua::files
