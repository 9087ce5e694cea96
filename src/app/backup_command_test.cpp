// Issue 19, item 5: backups that restore. `motcua backup` while the server
// takes dossiers with files, then `motcua restore` into a new folder, where a
// server started on it hands back every acknowledged dossier and the very
// bytes of every file; damaged backups, a missing or wrong key and an
// occupied target are refused before anything is written. PostgreSQL: a
// backup of it restores into an empty schema, and the pg_dump/pg_restore
// way (docs/operations.md) is drilled too.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "app/internal/process_testing.hpp"
#include "http/test_client.hpp"

namespace motcua::app {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace internal;

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

using Submitted = SubmittedWithFiles;

// A counter submission at Ba Bể with two files; a failure fails the test.
Submitted SubmitWithFiles(http::TestClient& client, const http::Headers& officer, std::int64_t unit,
                          int n) {
  auto s = SubmitWithFilesAtBaBe(client, officer, unit, /*counter=*/true, n);
  EXPECT_TRUE(s.has_value()) << "submission " << n << " was not acknowledged";
  return s.value_or(Submitted{});
}

class BackupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("motcua-backup-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "data");
    const char* src = std::getenv("MOTCUA_SOURCE_DIR");
    const fs::path source = src ? fs::path(src) : fs::current_path();
    for (const char* part : {"demo", "holidays", "workflows", "documents", "statistics"})
      fs::copy(source / "data" / part, dir_ / "data" / part, fs::copy_options::recursive);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Copies the attachments' key to `data_dir`, as an operator brings back
  // the key kept apart from the backup.
  void BringBackKey(const fs::path& data_dir) {
    fs::create_directories(data_dir / "keys");
    fs::permissions(data_dir / "keys", fs::perms::owner_all);
    fs::copy_file(dir_ / "data" / "keys" / "attachments.key",
                  data_dir / "keys" / "attachments.key");
    fs::permissions(data_dir / "keys" / "attachments.key",
                    fs::perms::owner_read | fs::perms::owner_write);
  }

  fs::path dir_;
};

TEST_F(BackupTest, ABackupTakenWhileServingRestoresEveryDossierAndTheBytesOfEveryFile) {
  ASSERT_EQ(RunMotcua({"demo", "--db", "sqlite:data/m.db"}, "", dir_).exit_code, 0);
  ASSERT_EQ(RunMotcua({"seed", "--db", "sqlite:data/m.db", "--dossiers", "80", "--actors", "staff"},
                      "", dir_)
                .exit_code,
            0);
  std::vector<Submitted> before;
  std::atomic<int> during{0};
  {
    ServeProcess server(dir_, "sqlite:data/m.db", {"--data-dir", "data"});
    ASSERT_NE(server.port(), 0);
    http::TestClient client(server.port());
    http::Headers officer = SignIn(client, "motcua.babe");
    const std::int64_t unit = BaBeUnitId(client);
    for (int i = 0; i < 4; ++i) before.push_back(SubmitWithFiles(client, officer, unit, i));
    // The backup runs while another counter goes on receiving.
    std::atomic<bool> stop{false};
    std::thread counter([&] {
      http::TestClient other(server.port());
      http::Headers h = SignIn(other, "motcua.babe");
      for (int i = 100; !stop; ++i)
        if (SubmitWithFiles(other, h, unit, i).id != 0) ++during;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    RunResult backup =
        RunMotcua({"backup", "--db", "sqlite:data/m.db", "--to", "backup"}, "", dir_);
    stop = true;
    counter.join();
    ASSERT_EQ(backup.exit_code, 0) << backup.out << backup.err;
    EXPECT_NE(backup.out.find("statistics verified"), std::string::npos) << backup.out;
    EXPECT_NE(backup.out.find("attachments verified"), std::string::npos) << backup.out;
    EXPECT_EQ(server.Stop(), 0);
  }
  EXPECT_GT(during, 0) << "the counter received nothing while the backup ran";
  auto manifest = json::parse(Slurp(dir_ / "backup" / "manifest.json")).as_object();
  EXPECT_GE(manifest.at("attachment_files").as_int64(), 8);
  EXPECT_GE(manifest.at("dossiers").as_int64(), 84);
  // The key is kept apart: nowhere in the backup.
  const std::string key = Slurp(dir_ / "data" / "keys" / "attachments.key");
  ASSERT_FALSE(key.empty());
  for (const auto& e : fs::recursive_directory_iterator(dir_ / "backup")) {
    EXPECT_NE(e.path().filename(), "attachments.key") << e.path();
    if (e.is_regular_file() && e.file_size() < 1'000'000) {
      EXPECT_EQ(Slurp(e.path()).find(key.substr(0, 40)), std::string::npos) << e.path();
    }
  }

  // Without the key, or with another one, nothing is restored.
  RunResult keyless = RunMotcua(
      {"restore", "--from", "backup", "--db", "sqlite:r/m.db", "--data-dir", "r"}, "", dir_);
  EXPECT_EQ(keyless.exit_code, 1);
  EXPECT_NE(keyless.err.find("key"), std::string::npos) << keyless.err;
  EXPECT_FALSE(fs::exists(dir_ / "r" / "m.db"));
  RunResult wrong =
      RunMotcua({"restore", "--from", "backup", "--db", "sqlite:r/m.db", "--data-dir", "r"}, "",
                dir_, {"MOTCUA_ATTACHMENT_KEY=b3RoZXIta2V5LWZvci10ZXN0cy1uZXZlci1pbi1wcm8="});
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_NE(wrong.err.find("not the attachments' key"), std::string::npos) << wrong.err;
  EXPECT_FALSE(fs::exists(dir_ / "r" / "m.db"));

  // A damaged database or a missing file: refused, nothing written.
  fs::copy(dir_ / "backup", dir_ / "damaged", fs::copy_options::recursive);
  {
    std::fstream db(dir_ / "damaged" / "motcua.db",
                    std::ios::in | std::ios::out | std::ios::binary);
    db.seekp(5000);
    db.put('\x5a');
  }
  BringBackKey(dir_ / "r");
  RunResult damaged = RunMotcua(
      {"restore", "--from", "damaged", "--db", "sqlite:r/m.db", "--data-dir", "r"}, "", dir_);
  EXPECT_EQ(damaged.exit_code, 1);
  EXPECT_NE(damaged.err.find("damaged"), std::string::npos) << damaged.err;
  fs::remove_all(dir_ / "damaged");
  fs::copy(dir_ / "backup", dir_ / "damaged", fs::copy_options::recursive);
  const std::string lost = before[1].files[0].first;
  fs::remove(dir_ / "damaged" / "attachments" / lost.substr(0, 2) / lost.substr(2, 2) / lost);
  RunResult missing = RunMotcua(
      {"restore", "--from", "damaged", "--db", "sqlite:r/m.db", "--data-dir", "r"}, "", dir_);
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.out.find("attachments: 1 of"), std::string::npos) << missing.out;
  EXPECT_NE(missing.out.find(lost), std::string::npos) << missing.out;
  EXPECT_FALSE(fs::exists(dir_ / "r" / "m.db"));

  RunResult restored = RunMotcua(
      {"restore", "--from", "backup", "--db", "sqlite:r/m.db", "--data-dir", "r"}, "", dir_);
  ASSERT_EQ(restored.exit_code, 0) << restored.out << restored.err;
  EXPECT_NE(restored.out.find("restored and verified"), std::string::npos) << restored.out;
  RunResult again = RunMotcua(
      {"restore", "--from", "backup", "--db", "sqlite:r/m.db", "--data-dir", "r"}, "", dir_);
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("exists"), std::string::npos) << again.err;
  RunResult verify = RunMotcua(
      {"verify", "--db", "sqlite:r/m.db", "--data-dir", "r", "--statistics", "--attachments"}, "",
      dir_);
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;

  // A server on the restored province hands back what was acknowledged
  // before the backup began, files byte for byte.
  ServeProcess server(dir_, "sqlite:r/m.db", {"--data-dir", "r"});
  ASSERT_NE(server.port(), 0);
  http::TestClient client(server.port());
  http::Headers officer = SignIn(client, "motcua.babe");
  for (const auto& s : before) {
    auto d = client.Send("GET", "/api/v1/dossiers/" + std::to_string(s.id), "", officer);
    ASSERT_EQ(d.status, 200) << d.body;
    EXPECT_EQ(json::parse(d.body).at("number").as_string(), s.number);
    for (const auto& [id, bytes] : s.files) {
      auto f = client.Send("GET", "/api/v1/attachments/" + id, "", officer);
      EXPECT_EQ(f.status, 200) << f.body;
      EXPECT_EQ(f.body, bytes) << id;
    }
  }
  EXPECT_EQ(server.Stop(), 0);
}

TEST_F(BackupTest, PostgresqlRestoresFromABackupAndFromPgDump) {
  const std::string schema = "backup_" + std::to_string(::getpid());
  const std::string pg = PostgresSchemaUrl(schema);
  ASSERT_FALSE(pg.empty());
  ASSERT_EQ(RunMotcua({"demo", "--db", pg}, "", dir_).exit_code, 0);
  ASSERT_EQ(
      RunMotcua({"seed", "--db", pg, "--dossiers", "60", "--actors", "staff"}, "", dir_).exit_code,
      0);
  Submitted filed;
  {
    ServeProcess server(dir_, pg, {"--data-dir", "data"});
    ASSERT_NE(server.port(), 0);
    http::TestClient client(server.port());
    filed = SubmitWithFiles(client, SignIn(client, "motcua.babe"), BaBeUnitId(client), 1);
    ASSERT_NE(filed.id, 0);
  }
  RunResult backup = RunMotcua({"backup", "--db", pg, "--to", "backup"}, "", dir_);
  ASSERT_EQ(backup.exit_code, 0) << backup.out << backup.err;
  EXPECT_NE(backup.out.find("from postgresql"), std::string::npos) << backup.out;

  // Into an empty schema of the same server.
  const std::string target = PostgresSchemaUrl(schema + "_r");
  BringBackKey(dir_ / "r");
  RunResult restored =
      RunMotcua({"restore", "--from", "backup", "--db", target, "--data-dir", "r"}, "", dir_);
  ASSERT_EQ(restored.exit_code, 0) << restored.out << restored.err;
  RunResult into_full =
      RunMotcua({"restore", "--from", "backup", "--db", target, "--data-dir", "r"}, "", dir_);
  EXPECT_EQ(into_full.exit_code, 1) << into_full.out;
  {
    ServeProcess server(dir_, target, {"--data-dir", "r"});
    ASSERT_NE(server.port(), 0);
    http::TestClient client(server.port());
    auto f = client.Send("GET", "/api/v1/attachments/" + filed.files[0].first, "",
                         SignIn(client, "motcua.babe"));
    EXPECT_EQ(f.status, 200) << f.body;
    EXPECT_EQ(f.body, filed.files[0].second);
  }

  // PostgreSQL's own way: pg_dump the schema, lose it, pg_restore it.
  const std::string base = std::getenv("MOTCUA_TEST_POSTGRES_URL");
  const std::string dump = (dir_ / "motcua.dump").string();
  ASSERT_EQ(std::system(("pg_dump -Fc -n " + schema + " -f " + dump + " '" + base + "'").c_str()),
            0);
  auto before = RunMotcua({"verify", "--db", pg, "--statistics"}, "", dir_);
  ASSERT_EQ(before.exit_code, 0) << before.out;
  (void)PostgresSchemaUrl(schema);  // drops it and creates it empty
  ASSERT_EQ(std::system(("psql -q -c 'DROP SCHEMA " + schema + "' '" + base + "'").c_str()), 0);
  ASSERT_EQ(std::system(("pg_restore -d '" + base + "' " + dump).c_str()), 0);
  auto after = RunMotcua({"verify", "--db", pg, "--statistics", "--attachments"}, "", dir_);
  EXPECT_EQ(after.exit_code, 0) << after.out << after.err;
  // The same chain, to the last hash.
  auto last_line = [](const std::string& out) { return out.substr(0, out.find('\n')); };
  EXPECT_EQ(last_line(after.out), last_line(before.out));
}

}  // namespace
}  // namespace motcua::app
