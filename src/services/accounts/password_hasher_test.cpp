#include "services/accounts/password_hasher.hpp"

#include <gtest/gtest.h>

#include "services/accounts/secrets.hpp"

namespace motcua::accounts {
namespace {

TEST(PasswordHasher, DefaultParametersAreOwaspArgon2id) {
  PasswordHasher hasher;
  auto hash = hasher.Hash("sông Hồng chảy về xuôi");
  ASSERT_TRUE(hash) << hash.error().message;
  EXPECT_TRUE(hash->starts_with("$argon2id$v=19$m=19456,t=2,p=1$")) << *hash;
  EXPECT_TRUE(hasher.Verify(*hash, "sông Hồng chảy về xuôi"));
  EXPECT_FALSE(hasher.Verify(*hash, "sông Hồng chảy về xuôi "));
}

TEST(PasswordHasher, SaltedSoEqualPasswordsHashDifferently) {
  PasswordHasher hasher({1024, 1, 1, 2});
  auto a = hasher.Hash("correct horse battery");
  auto b = hasher.Hash("correct horse battery");
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);
}

TEST(PasswordHasher, MalformedHashIsAMismatchNotACrash) {
  PasswordHasher hasher({1024, 1, 1, 2});
  EXPECT_FALSE(hasher.Verify("", "whatever12"));
  EXPECT_FALSE(hasher.Verify("$argon2id$v=19$m=abc", "whatever12"));
  EXPECT_FALSE(hasher.Verify("plain-text-password", "plain-text-password"));
}

TEST(Secrets, TokensAreRandomBase64UrlOfTheExpectedLength) {
  auto a = RandomToken(32);
  auto b = RandomToken(32);
  ASSERT_TRUE(a && b);
  EXPECT_TRUE(IsBase64UrlOfLength(*a, 43));
  EXPECT_NE(*a, *b);
  EXPECT_EQ(Base64Url("\xfb\xff"), "-_8");
  EXPECT_EQ(Base64Url("Man"), "TWFu");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
}

}  // namespace
}  // namespace motcua::accounts
