#include "storage/store.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "storage/migrations.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "storage/store_conformance.hpp"

namespace motcua::storage {
namespace {

using conformance::StoreConformance;
using ::testing::HasSubstr;
using ::testing::Not;

conformance::Backend SqliteBackend() {
  return {"Sqlite",
          [](const std::filesystem::path& dir, const StoreOptions& options,
             std::span<const Migration> migrations) -> Result<std::unique_ptr<Store>> {
            auto store =
                MOTCUA_TRY(SqliteStore::Open((dir / "test.db").string(), options, migrations));
            return std::unique_ptr<Store>(std::move(store));
          }};
}

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformance, ::testing::Values(SqliteBackend()),
                         conformance::BackendName);

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "motcua_sqlite_XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::string Url(const std::string& file) { return "sqlite:" + (dir_ / file).string(); }

  std::filesystem::path dir_;
};

Result<std::string> PragmaOnWriter(Store& store, const std::string& pragma) {
  std::string value;
  MOTCUA_TRY_VOID(store.WriteSync([&](Tx& tx) -> Status {
    auto rows = MOTCUA_TRY(tx.Query("PRAGMA " + pragma));
    const Value& v = rows.at(0).at(0);
    value =
        std::holds_alternative<std::string>(v) ? rows[0].Text(0) : std::to_string(rows[0].Int(0));
    return {};
  }));
  return value;
}

TEST_F(SqliteStoreTest, OpenByUrlCreatesAWalFileThatFsyncsEveryCommit) {
  auto store = Store::Open(Url("motcua.db"));
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ((*store)->engine(), "sqlite");
  EXPECT_TRUE(std::filesystem::exists(dir_ / "motcua.db"));
  EXPECT_EQ(PragmaOnWriter(**store, "journal_mode"), "wal");
  EXPECT_EQ(PragmaOnWriter(**store, "synchronous"), "2");  // FULL
  EXPECT_EQ(PragmaOnWriter(**store, "foreign_keys"), "1");
}

TEST_F(SqliteStoreTest, SynchronousNormalWhenAsked) {
  auto store = Store::Open(Url("motcua.db"), StoreOptions{.synchronous_full = false});
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ(PragmaOnWriter(**store, "synchronous"), "1");  // NORMAL
}

TEST_F(SqliteStoreTest, MissingFolderIsUnavailableAndNamesIt) {
  std::string missing = (dir_ / "no" / "such" / "folder").string();
  auto store = Store::Open("sqlite:" + missing + "/motcua.db");
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, Code::kUnavailable);
  EXPECT_THAT(store.error().message, HasSubstr(missing));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "no"));  // nothing was created
}

TEST_F(SqliteStoreTest, AFileThatIsNotADatabaseIsUnavailable) {
  std::ofstream(dir_ / "notes.txt") << std::string(4096, 'x');
  auto store = Store::Open(Url("notes.txt"));
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, Code::kUnavailable);
  EXPECT_THAT(store.error().message, HasSubstr((dir_ / "notes.txt").string()));
}

TEST_F(SqliteStoreTest, UnknownSchemeIsInvalidArgumentOnDbWithoutEchoingSecrets) {
  auto store = Store::Open("mysql://root:s3cret@localhost/motcua");
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, Code::kInvalidArgument);
  EXPECT_TRUE(store.error().fields.contains("db"));
  EXPECT_THAT(store.error().message, HasSubstr("mysql"));
  EXPECT_THAT(store.error().message, Not(HasSubstr("s3cret")));

  auto bare = Store::Open("motcua.db");
  ASSERT_FALSE(bare);
  EXPECT_EQ(bare.error().code, Code::kInvalidArgument);
}

TEST_F(SqliteStoreTest, EmptyOrInMemoryPathIsInvalidArgument) {
  for (std::string url : {"sqlite:", "sqlite::memory:"}) {
    auto store = Store::Open(url);
    ASSERT_FALSE(store) << url;
    EXPECT_EQ(store.error().code, Code::kInvalidArgument) << url;
    EXPECT_TRUE(store.error().fields.contains("db")) << url;
  }
}

TEST_F(SqliteStoreTest, APostgresqlUrlOfNoServerIsUnavailableAndSaysWhy) {
  auto store = Store::Open("postgresql://motcua@127.0.0.1:1/motcua?connect_timeout=2");
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, Code::kUnavailable);
  EXPECT_THAT(store.error().message, HasSubstr("PostgreSQL"));
}

TEST_F(SqliteStoreTest, BlobsReadBackAsBytes) {
  auto store = Store::Open(Url("motcua.db"));
  ASSERT_TRUE(store);
  Rows rows;
  ASSERT_TRUE((*store)->Read([&](Tx& tx) -> Status {
    rows = MOTCUA_TRY(tx.Query("SELECT X'00FF41', X''"));
    return {};
  }));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Text(0), std::string("\0\xff"
                                         "A",
                                         3));
  EXPECT_EQ(rows[0].Text(1), "");
}

TEST_F(SqliteStoreTest, MigrationListMustBeNumberedFromOne) {
  static constexpr Migration kGap[] = {{1, "a", "SELECT 1"}, {3, "c", "SELECT 1"}};
  auto store = SqliteStore::Open((dir_ / "motcua.db").string(), {}, kGap);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, Code::kInternal);
}

TEST_F(SqliteStoreTest, MigrationThatControlsTransactionsIsRefused) {
  static constexpr Migration kSneaky[] = {{1, "sneaky", "CREATE TABLE t (id INTEGER); COMMIT;"}};
  auto store = SqliteStore::Open((dir_ / "motcua.db").string(), {}, kSneaky);
  ASSERT_TRUE(store);
  Status s = (*store)->Migrate();
  ASSERT_FALSE(s);
  EXPECT_THAT(s.error().message, HasSubstr("0001_sneaky"));
  EXPECT_EQ((*store)->SchemaVersion(), 0);
}

// The generated code must hold exactly the bytes of the .sql files: a stale
// or lossy embedding (UTF-8 comments, CRLF) would migrate a different schema.
// Both engines have the same numbered migrations, by the same names.
TEST(EmbeddedMigrations, MatchTheFilesOnDiskForBothEngines) {
  auto check = [](const std::string& engine, std::span<const Migration> embedded) {
    std::map<int, std::pair<std::string, std::string>> on_disk;
    std::filesystem::path dir = std::filesystem::path(MOTCUA_MIGRATIONS_DIR) / engine;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      if (entry.path().extension() != ".sql") continue;
      std::string file = entry.path().filename().string();
      std::ifstream in(entry.path(), std::ios::binary);
      std::stringstream bytes;
      bytes << in.rdbuf();
      on_disk[std::stoi(file.substr(0, 4))] = {file.substr(5, file.size() - 5 - 4), bytes.str()};
    }
    ASSERT_EQ(embedded.size(), on_disk.size()) << engine;
    for (const Migration& m : embedded) {
      ASSERT_TRUE(on_disk.contains(m.version)) << engine << " " << m.version;
      EXPECT_EQ(m.name, on_disk[m.version].first) << engine;
      EXPECT_TRUE(m.sql == on_disk[m.version].second)
          << engine << " migration " << m.version << " differs";
    }
  };
  check("sqlite", SqliteMigrations());
  check("postgresql", PostgresMigrations());
  ASSERT_EQ(SqliteMigrations().size(), PostgresMigrations().size());
  for (std::size_t i = 0; i < SqliteMigrations().size(); ++i)
    EXPECT_EQ(SqliteMigrations()[i].name, PostgresMigrations()[i].name) << "migration " << i + 1;
}

}  // namespace
}  // namespace motcua::storage
