#include "core/accounts/credentials_policy.hpp"

#include <gtest/gtest.h>

#include <string>

namespace motcua::accounts {
namespace {

TEST(CheckUsername, AcceptsThePlainAlphabet) {
  EXPECT_TRUE(CheckUsername("nguyen.van_a-01"));
  EXPECT_TRUE(CheckUsername("abc"));
  EXPECT_TRUE(CheckUsername(std::string(64, 'a')));
}

TEST(CheckUsername, RejectsLengthAndCharactersNamingTheField) {
  for (std::string bad : {std::string("ab"), std::string(65, 'a'), std::string("Nguyen"),
                          std::string("a b c"), std::string("nguyễn"), std::string("a/b/c")}) {
    auto s = CheckUsername(bad);
    ASSERT_FALSE(s) << bad;
    EXPECT_EQ(s.error().code, Code::kInvalidArgument);
    EXPECT_TRUE(s.error().fields.contains("username")) << bad;
  }
  EXPECT_EQ(NormalizeUsername("NguyenVanA"), "nguyenvana");
}

TEST(CheckPassword, LengthCountsCodePointsNotBytes) {
  // Ten Vietnamese letters are 20+ bytes but 10 characters: accepted.
  EXPECT_TRUE(CheckPassword("đườngphốhà", "user"));
  // Nine characters, however many bytes: refused.
  auto s = CheckPassword("đườngphốh", "user");
  ASSERT_FALSE(s);
  EXPECT_TRUE(s.error().fields.contains("password"));
  EXPECT_TRUE(CheckPassword(std::string(128, 'x'), "user"));
  EXPECT_FALSE(CheckPassword(std::string(129, 'x'), "user"));
}

TEST(CheckPassword, RejectsCommonPasswordsAndTheUsername) {
  EXPECT_FALSE(CheckPassword("1234567890", "user"));
  EXPECT_FALSE(CheckPassword("Password123", "user"));
  EXPECT_FALSE(CheckPassword("MatKhau123", "user"));
  auto s = CheckPassword("Nguyen.Van.A", "nguyen.van.a");
  ASSERT_FALSE(s);
  EXPECT_TRUE(s.error().fields.contains("password"));
  EXPECT_TRUE(CheckPassword("sông Hồng chảy về xuôi", "nguyen.van.a"));
}

TEST(CheckPassword, RejectsMalformedUtf8) {
  EXPECT_FALSE(CheckPassword(std::string("abcdefghij\xC0\xAF", 12), "user"));      // overlong '/'
  EXPECT_FALSE(CheckPassword(std::string("abcdefghij\xED\xA0\x80", 13), "user"));  // surrogate
  EXPECT_FALSE(CheckPassword(std::string("abcdefghij\xE1\xBB", 12), "user"));      // truncated
}

}  // namespace
}  // namespace motcua::accounts

namespace motcua::accounts {
namespace {

TEST(CheckDisplayText, BoundsAndControlCharacters) {
  EXPECT_TRUE(CheckDisplayText("Nguyễn Văn A", "display_name", 200));
  EXPECT_FALSE(CheckDisplayText("", "display_name", 200));
  auto s = CheckDisplayText("line\nbreak", "display_name", 200);
  ASSERT_FALSE(s);
  EXPECT_TRUE(s.error().fields.contains("display_name"));
  EXPECT_TRUE(CheckDisplayText(std::string(100, 'x'), "name", 100));
  EXPECT_FALSE(CheckDisplayText(std::string(101, 'x'), "name", 100));
}

}  // namespace
}  // namespace motcua::accounts
