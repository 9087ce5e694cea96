#include "services/attachments/attachment_key.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>

namespace motcua::attachments {
namespace {

namespace fs = std::filesystem;

class AttachmentKeyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/motcua-keys-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    root_ = tmpl;
  }
  void TearDown() override { fs::remove_all(root_); }
  fs::path root_;
};

TEST_F(AttachmentKeyTest, CreatesAPrivateKeyOnFirstStartAndKeepsIt) {
  const fs::path attachments = root_ / "data" / "attachments";
  auto first = LoadAttachmentKey(attachments, nullptr);
  ASSERT_TRUE(first) << first.error().message;
  const fs::path file = root_ / "data" / "keys" / "attachments.key";
  EXPECT_EQ(KeyFilePath(attachments), file);
  ASSERT_TRUE(fs::exists(file));
  EXPECT_EQ(fs::status(file).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(fs::status(file.parent_path()).permissions() & fs::perms::all, fs::perms::owner_all);
  EXPECT_EQ(fs::file_size(file), 45u);  // 44 base64 characters and a newline

  auto again = LoadAttachmentKey(attachments, nullptr);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->bytes, first->bytes);
  EXPECT_EQ(again->id, first->id);
  EXPECT_EQ(first->id.size(), 17u);

  auto elsewhere = LoadAttachmentKey(root_ / "other" / "attachments", nullptr);
  ASSERT_TRUE(elsewhere);
  EXPECT_NE(elsewhere->bytes, first->bytes) << "each new key is random";
}

TEST_F(AttachmentKeyTest, TheEnvironmentWinsOverTheFile) {
  // openssl rand -base64 32
  auto key =
      LoadAttachmentKey(root_ / "attachments", " 3q2+7wABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhs=\n");
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_EQ(key->bytes[0], 0xde);
  EXPECT_EQ(key->bytes[1], 0xad);
  EXPECT_EQ(key->bytes[31], 0x1b);
  EXPECT_FALSE(fs::exists(root_ / "keys")) << "no key file when the environment has the key";
}

TEST_F(AttachmentKeyTest, RefusesAKeyThatIsNot32Bytes) {
  for (const char* bad : {"", "c2hvcnQ=", "3q2+7wABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhsc", "!!!!"}) {
    auto key = LoadAttachmentKey(root_ / "attachments", bad);
    ASSERT_FALSE(key) << bad;
    EXPECT_EQ(key.error().fields.count("MOTCUA_ATTACHMENT_KEY"), 1u);
  }
}

TEST_F(AttachmentKeyTest, RefusesAKeyFileOtherUsersCanRead) {
  const fs::path attachments = root_ / "attachments";
  ASSERT_TRUE(LoadAttachmentKey(attachments, nullptr));
  ASSERT_EQ(::chmod(KeyFilePath(attachments).c_str(), 0644), 0);
  auto key = LoadAttachmentKey(attachments, nullptr);
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error().code, Code::kFailedPrecondition);
  EXPECT_NE(key.error().message.find("chmod 600"), std::string::npos);
}

}  // namespace
}  // namespace motcua::attachments
