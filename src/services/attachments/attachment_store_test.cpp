#include "services/attachments/attachment_store.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "services/accounts/secrets.hpp"
#include "services/attachments/testing.hpp"
#include "storage/attachments_repo.hpp"

namespace motcua::attachments {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteFile(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

// Every regular file below `dir`: what a crash or a refusal leaves behind.
std::vector<fs::path> FilesUnder(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec);
       it != fs::recursive_directory_iterator(); ++it) {
    if (it->is_regular_file()) out.push_back(it->path());
  }
  return out;
}

accounts::Principal Caller(std::int64_t user_id) {
  accounts::Principal p;
  p.user_id = user_id;
  return p;
}

class AttachmentStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/motcua-attachments-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    OpenStore();
    alice_ = testing::AddUser(*db_, "alice");
    bob_ = testing::AddUser(*db_, "bob");
    ASSERT_GT(alice_, 0);
    ASSERT_GT(bob_, 0);
    Reopen();
  }
  void TearDown() override {
    files_.reset();
    if (db_) db_->Close();
    fs::remove_all(root_);
  }

  void OpenStore() {
    auto db = storage::Store::Open("sqlite:" + (root_ / "motcua.db").string());
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    ASSERT_TRUE(db_->Migrate());
  }
  void Reopen(Limits limits = {}, AttachmentKey key = testing::Key(), DossierAccess access = {}) {
    files_ = std::make_unique<AttachmentStore>(*db_, clock_, dir(), std::move(key), limits,
                                               std::move(access));
  }
  fs::path dir() const { return root_ / "attachments"; }

  AttachmentInfo PutPdf(std::int64_t owner, const std::string& pdf = testing::Pdf()) {
    auto info = files_->Put(owner, pdf, "Giấy khai sinh.pdf", "application/pdf");
    EXPECT_TRUE(info) << info.error().message;
    return info.value_or(AttachmentInfo{});
  }
  // As a dossier's document (component "to_khai"), or as a result file (none).
  Status Link(const std::string& id, std::int64_t owner, std::int64_t dossier,
              std::optional<std::string> component = "to_khai") {
    return db_->WriteSync([&](storage::Tx& tx) -> Status {
      if (component) {
        if (!MOTCUA_TRY(storage::attachments::LinkToDossier(tx, id, owner, dossier, *component)))
          return Fail(Code::kNotFound, "not linked");
        return {};
      }
      if (MOTCUA_TRY(tx.Exec("UPDATE attachments SET dossier_id = $1 WHERE id = $2",
                             {dossier, id})) != 1) {
        return Fail(Code::kNotFound, "not linked");
      }
      return {};
    });
  }

  fs::path root_;
  FakeClock clock_{TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 3 / 2))};
  std::unique_ptr<storage::Store> db_;
  std::unique_ptr<AttachmentStore> files_;
  std::int64_t alice_ = 0;
  std::int64_t bob_ = 0;
};

TEST_F(AttachmentStoreTest, GivesBackTheSameBytesWithTheirRecordedFacts) {
  const std::string pdf = testing::Pdf(100'000);
  auto info = files_->Put(alice_, pdf, "C:\\fakepath\\Giấy khai sinh", "application/pdf");
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_THAT(info->id, ::testing::MatchesRegex("[0-9a-f]{32}"));
  EXPECT_EQ(info->sha256, accounts::Sha256Hex(pdf));
  EXPECT_EQ(info->size, static_cast<std::int64_t>(pdf.size()));
  EXPECT_EQ(info->media_type, "application/pdf");
  EXPECT_EQ(info->original_name, "Giấy khai sinh.pdf");
  EXPECT_EQ(info->created_at, clock_.Now());
  EXPECT_EQ(info->dossier_id, std::nullopt);

  auto back = files_->Open(Caller(alice_), info->id);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->bytes, pdf);
  EXPECT_EQ(back->info.original_name, "Giấy khai sinh.pdf");
  EXPECT_NE(PutPdf(alice_, pdf).id, info->id);  // the same file twice: two uploads
}

TEST_F(AttachmentStoreTest, TheFileOnDiskIsEncrypted) {
  const std::string pdf = testing::Pdf(20'000);
  const AttachmentInfo info = PutPdf(alice_, pdf);
  const std::string on_disk = ReadFile(files_->PathOf(info.id));
  EXPECT_EQ(files_->PathOf(info.id), dir() / info.id.substr(0, 2) / info.id.substr(2, 2) / info.id);
  EXPECT_EQ(on_disk.size(), pdf.size() + 32);  // "MCA1", nonce, tag
  EXPECT_EQ(on_disk.find(testing::kSecretLine), std::string::npos);
  EXPECT_EQ(on_disk.find("%PDF"), std::string::npos);
  EXPECT_EQ(fs::status(files_->PathOf(info.id)).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  // The same plaintext sealed twice looks different (a fresh nonce each time).
  EXPECT_NE(ReadFile(files_->PathOf(PutPdf(alice_, pdf).id)).substr(4), on_disk.substr(4));
}

TEST_F(AttachmentStoreTest, AChangedByteIsReportedAsDamageNeverAsWrongBytes) {
  const AttachmentInfo info = PutPdf(alice_, testing::Pdf(5000));
  const fs::path path = files_->PathOf(info.id);
  const std::string original = ReadFile(path);
  for (std::size_t at :
       {std::size_t{0}, std::size_t{6}, original.size() / 2, original.size() - 1}) {
    std::string changed = original;
    changed[at] = static_cast<char>(changed[at] ^ 0x01);
    WriteFile(path, changed);
    auto back = files_->Open(Caller(alice_), info.id);
    ASSERT_FALSE(back) << "byte " << at;
    EXPECT_EQ(back.error().code, Code::kInternal);
    EXPECT_THAT(back.error().message, HasSubstr("is damaged"));
  }
  WriteFile(path, original);
  EXPECT_TRUE(files_->Open(Caller(alice_), info.id));
  fs::remove(path);
  auto missing = files_->Open(Caller(alice_), info.id);
  ASSERT_FALSE(missing);
  EXPECT_THAT(missing.error().message, HasSubstr("missing"));
}

TEST_F(AttachmentStoreTest, AFileMovedIntoAnotherIdsPlaceDoesNotOpen) {
  // The same content twice: only the id bound into the seal tells the files
  // apart, so this fails only because of that binding, not the SHA-256 check.
  const AttachmentInfo mine = PutPdf(alice_, testing::Pdf(3000));
  const AttachmentInfo other = PutPdf(alice_, testing::Pdf(3000));
  fs::copy_file(files_->PathOf(other.id), files_->PathOf(mine.id),
                fs::copy_options::overwrite_existing);
  auto back = files_->Open(Caller(alice_), mine.id);
  ASSERT_FALSE(back);
  EXPECT_THAT(back.error().message, HasSubstr("is damaged"));
}

TEST_F(AttachmentStoreTest, AnAcknowledgedFileSurvivesARestart) {
  const std::string pdf = testing::Pdf(50'000);
  const AttachmentInfo info = PutPdf(alice_, pdf);
  files_.reset();
  db_->Close();
  OpenStore();
  Reopen();
  auto back = files_->Open(Caller(alice_), info.id);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->bytes, pdf);
  EXPECT_EQ(back->info.sha256, info.sha256);
  EXPECT_EQ(accounts::Sha256Hex(back->bytes), info.sha256);
}

TEST_F(AttachmentStoreTest, FilesOfAnotherKeyAreReportedNotDecrypted) {
  const AttachmentInfo info = PutPdf(alice_);
  Reopen({}, testing::OtherKey());
  auto back = files_->Open(Caller(alice_), info.id);
  ASSERT_FALSE(back);
  EXPECT_EQ(back.error().code, Code::kInternal);
  EXPECT_THAT(back.error().message, HasSubstr("was encrypted with key " + testing::Key().id));
}

TEST_F(AttachmentStoreTest, RefusesBadFilesAndLeavesNothingBehind) {
  auto empty = files_->Put(alice_, "", "a.pdf", "application/pdf");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().fields.count("body"), 1u);
  auto exe = files_->Put(alice_, std::string("MZ\x90\0", 4), "hoso.pdf", "application/pdf");
  ASSERT_FALSE(exe);
  EXPECT_EQ(exe.error().fields.count("content-type"), 1u);
  auto lie = files_->Put(alice_, testing::Pdf(), "anh.png", "image/png");
  ASSERT_FALSE(lie);
  EXPECT_THAT(lie.error().message, HasSubstr("but was sent as image/png"));
  auto name = files_->Put(alice_, testing::Pdf(), "../", "application/pdf");
  ASSERT_FALSE(name);
  EXPECT_EQ(name.error().fields.count("X-File-Name"), 1u);

  Reopen(Limits{.max_file_bytes = 4096});
  auto big = files_->Put(alice_, testing::Pdf(5000), "a.pdf", "application/pdf");
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().code, Code::kPayloadTooLarge);
  EXPECT_TRUE(FilesUnder(dir()).empty());
}

TEST_F(AttachmentStoreTest, AFileWhoseRowCannotBeCommittedIsRemoved) {
  constexpr std::int64_t kNoSuchUser = 999;
  auto put = files_->Put(kNoSuchUser, testing::Pdf(), "a.pdf", "application/pdf");
  ASSERT_FALSE(put);
  EXPECT_EQ(put.error().code, Code::kFailedPrecondition);
  EXPECT_TRUE(FilesUnder(dir()).empty());
}

TEST_F(AttachmentStoreTest, StagedFilesAreLimitedInNumberPerUser) {
  Reopen(Limits{.max_staged_files = 2});
  const AttachmentInfo first = PutPdf(alice_);
  PutPdf(alice_);
  auto third = files_->Put(alice_, testing::Jpeg(), "anh", "image/jpeg");
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().code, Code::kResourceExhausted);
  EXPECT_EQ(third.error().fields.at("quota"), "at most 2 files");
  EXPECT_TRUE(files_->Put(bob_, testing::Jpeg(), "anh", "image/jpeg")) << "the quota is per user";
  // Files that went into a dossier no longer count, nor do deleted ones.
  ASSERT_TRUE(Link(first.id, alice_, 7));
  EXPECT_TRUE(files_->Put(alice_, testing::Jpeg(), "anh", "image/jpeg"));
  EXPECT_FALSE(files_->Put(alice_, testing::Jpeg(), "anh", "image/jpeg"));
}

TEST_F(AttachmentStoreTest, StagedFilesAreLimitedInBytesPerUser) {
  Reopen(Limits{.max_staged_bytes = 25'000});
  const AttachmentInfo first = PutPdf(alice_, testing::Pdf(10'000));
  PutPdf(alice_, testing::Pdf(10'000));
  auto over = files_->Put(alice_, testing::Pdf(10'000), "a.pdf", "application/pdf");
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, Code::kResourceExhausted);
  EXPECT_EQ(over.error().fields.count("quota"), 1u);
  ASSERT_TRUE(files_->Delete(alice_, first.id));
  EXPECT_TRUE(files_->Put(alice_, testing::Pdf(10'000), "a.pdf", "application/pdf"));
}

TEST_F(AttachmentStoreTest, AnotherUsersFileLooksLikeNoFileAtAll) {
  const AttachmentInfo info = PutPdf(alice_);
  auto theirs = files_->Open(Caller(bob_), info.id);
  auto nothing = files_->Open(Caller(bob_), std::string(32, 'a'));
  ASSERT_FALSE(theirs);
  ASSERT_FALSE(nothing);
  EXPECT_EQ(theirs.error().code, Code::kNotFound);
  EXPECT_EQ(nothing.error().code, Code::kNotFound);
  EXPECT_FALSE(files_->Describe(Caller(bob_), info.id));
  auto deleted = files_->Delete(bob_, info.id);
  ASSERT_FALSE(deleted);
  EXPECT_EQ(deleted.error().code, Code::kNotFound);
  EXPECT_TRUE(files_->Open(Caller(alice_), info.id)) << "bob's attempt changed nothing";
  auto bad = files_->Describe(Caller(alice_), "../../etc/passwd");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().fields.count("id"), 1u);
}

TEST_F(AttachmentStoreTest, OfficersReadDossierFilesWhenTheDossierRuleSaysSo) {
  const AttachmentInfo info = PutPdf(alice_);
  const AttachmentInfo staged = PutPdf(alice_);
  const AttachmentInfo result = PutPdf(alice_);
  ASSERT_TRUE(Link(info.id, alice_, 42));
  ASSERT_TRUE(Link(result.id, alice_, 42, std::nullopt));
  std::vector<std::string> asked;  // the rule logs each read it allows: it gets the route
  Reopen({}, testing::Key(),
         [this, &asked](const accounts::Principal& who, std::int64_t dossier,
                        const audit::ReadContext& context) -> Result<bool> {
           asked.push_back(context.route);
           return who.user_id == bob_ && dossier == 42;
         });
  EXPECT_TRUE(files_->Open(Caller(bob_), info.id, {"GET /api/v1/attachments/{id}", "r1"}));
  EXPECT_EQ(asked, std::vector<std::string>{"GET /api/v1/attachments/{id}"});
  // A result file (the draft too) is the result service's to give, whatever
  // the dossier rule says (issue 19: a citizen read the unsigned draft here).
  EXPECT_EQ(files_->Open(Caller(bob_), result.id).error().code, Code::kNotFound);
  EXPECT_EQ(files_->Describe(Caller(alice_), result.id).error().code, Code::kNotFound);
  EXPECT_TRUE(files_->OpenForService(result.id));
  EXPECT_FALSE(files_->Open(Caller(bob_), staged.id)) << "staged files are the owner's alone";
  EXPECT_FALSE(files_->Open(Caller(bob_ + 100), info.id));
  auto meta = files_->Describe(Caller(bob_), info.id);
  ASSERT_TRUE(meta);
  EXPECT_EQ(meta->dossier_id, 42);
  EXPECT_EQ(meta->component_code, "to_khai");
}

TEST_F(AttachmentStoreTest, DeleteRemovesAStagedFileButNotOneInADossier) {
  const AttachmentInfo staged = PutPdf(alice_);
  const AttachmentInfo linked = PutPdf(alice_);
  ASSERT_TRUE(Link(linked.id, alice_, 7));
  ASSERT_TRUE(files_->Delete(alice_, staged.id));
  EXPECT_FALSE(fs::exists(files_->PathOf(staged.id)));
  EXPECT_EQ(files_->Open(Caller(alice_), staged.id).error().code, Code::kNotFound);
  auto refused = files_->Delete(alice_, linked.id);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Code::kFailedPrecondition);
  // Part of a dossier, it is the dossier's rule that lets anyone read it,
  // its uploader too (so that the read is logged); with no rule, nobody.
  EXPECT_EQ(files_->Open(Caller(alice_), linked.id).error().code, Code::kNotFound);
  EXPECT_TRUE(files_->OpenForService(linked.id));
}

}  // namespace
}  // namespace motcua::attachments
