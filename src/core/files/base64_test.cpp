#include "core/files/base64.hpp"

#include <gtest/gtest.h>

namespace motcua::files {
namespace {

// RFC 4648 section 10.
TEST(Base64Test, TheRfcVectorsBothWays) {
  const std::pair<std::string_view, std::string_view> vectors[] = {{"", ""},
                                                                   {"f", "Zg=="},
                                                                   {"fo", "Zm8="},
                                                                   {"foo", "Zm9v"},
                                                                   {"foob", "Zm9vYg=="},
                                                                   {"fooba", "Zm9vYmE="},
                                                                   {"foobar", "Zm9vYmFy"}};
  for (const auto& [bytes, text] : vectors) {
    EXPECT_EQ(EncodeBase64(bytes), text);
    EXPECT_EQ(DecodeBase64(text), std::string(bytes)) << text;
  }
  const std::string binary("\0\xff\x10 \n", 5);
  EXPECT_EQ(DecodeBase64(EncodeBase64(binary)), binary);
}

TEST(Base64Test, LineBreaksPassAndEverythingElseIsRefused) {
  EXPECT_EQ(DecodeBase64("Zm9v\r\nYmFy\n"), "foobar");
  for (std::string_view bad : {"Zm9", "Zm9v*", "Zg=a", "Z===", "Zm=vYmFy", "Zm9v\tYmFy"})
    EXPECT_FALSE(DecodeBase64(bad)) << bad;
}

}  // namespace
}  // namespace motcua::files
