// The storage conformance suite on a real PostgreSQL server: the one
// scripts/test.sh starts (initdb in a temporary folder, loopback port) and
// names in MOTCUA_TEST_POSTGRES_URL. Without it these tests fail, saying so:
// they are never skipped.
#include "storage/postgres/postgres_store.hpp"

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "storage/postgres/connection.hpp"
#include "storage/store_conformance.hpp"
#include "storage/testing.hpp"

namespace motcua::storage {
namespace {

using conformance::StoreConformance;

Result<std::string> ServerUrl() {
  const char* url = std::getenv("MOTCUA_TEST_POSTGRES_URL");
  if (url == nullptr || *url == '\0')
    return Fail(
        Code::kUnavailable,
        "MOTCUA_TEST_POSTGRES_URL is not set: run scripts/test.sh, which starts a PostgreSQL "
        "server for the tests, or point it at one (postgresql://user:pass@127.0.0.1:port/db)");
  return std::string(url);
}

// One schema per test folder: the same folder reopens the same database.
Result<std::string> SchemaUrl(const std::filesystem::path& dir) {
  std::string base = MOTCUA_TRY(ServerUrl());
  const std::string schema =
      "t" + std::to_string(std::hash<std::string>{}(dir.string()) % 1'000'000'000'000ULL);
  auto admin = MOTCUA_TRY(internal::PgConnection::Open(base));
  MOTCUA_TRY_VOID(admin->Control("CREATE SCHEMA IF NOT EXISTS " + schema, "CREATE SCHEMA"));
  return base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
         schema;
}

conformance::Backend PostgresBackend() {
  return {"Postgres",
          [](const std::filesystem::path& dir, const StoreOptions& options,
             std::span<const Migration> migrations) -> Result<std::unique_ptr<Store>> {
            std::string url = MOTCUA_TRY(SchemaUrl(dir));
            auto store = MOTCUA_TRY(PostgresStore::Open(url, options, migrations));
            return std::unique_ptr<Store>(std::move(store));
          }};
}

INSTANTIATE_TEST_SUITE_P(Postgres, StoreConformance, ::testing::Values(PostgresBackend()),
                         conformance::BackendName);

TEST(PostgresStoreTest, AnUnreachableServerIsUnavailableNotACrash) {
  auto store = PostgresStore::Open(
      "postgresql://motcua:secret-pw@127.0.0.1:1/none?connect_timeout=2", {}, {});
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, Code::kUnavailable);
  EXPECT_EQ(store.error().message.find("secret-pw"), std::string::npos)
      << "no password in messages";
}

// What a PostgreSQL restart looks like to motcua: every connection of the
// store dies at once. The requests caught in it fail with kUnavailable (503),
// the store connects again by itself, and every write it acknowledged is in
// the database.
TEST(PostgresStoreTest, LostConnectionsAreReopenedAndNothingAcknowledgedIsLost) {
  testing::TestDatabase database;
  auto url = database.Create(testing::Engine::kPostgres, "", "reconnect");
  ASSERT_TRUE(url) << url.error().message;
  const std::string app = "motcua_reconnect_" + std::to_string(::getpid());
  auto opened =
      PostgresStore::Open(*url + "&application_name=" + app, {}, conformance::TestSchema());
  ASSERT_TRUE(opened) << opened.error().message;
  PostgresStore& store = **opened;
  ASSERT_TRUE(store.Migrate());
  auto killer = Store::Open(*ServerUrl());
  ASSERT_TRUE(killer) << killer.error().message;
  auto kill_all = [&] {
    Status st = (*killer)->WriteSync([&](Tx& tx) -> Status {
      MOTCUA_TRY(tx.Query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
          {app}));
      return {};
    });
    ASSERT_TRUE(st) << st.error().message;
  };

  std::vector<std::int64_t> acknowledged;
  int unavailable = 0, other_errors = 0;
  std::atomic<bool> stop{false};
  std::atomic<std::size_t> acked{0};
  std::thread writer([&] {
    for (std::int64_t id = 1; !stop; ++id) {
      Status st = store.WriteSync([id](Tx& tx) -> Status {
        MOTCUA_TRY(tx.Exec("INSERT INTO items (id, name) VALUES ($1, $2)",
                           {id, "item " + std::to_string(id)}));
        return {};
      });
      if (st) {
        acknowledged.push_back(id);
        ++acked;
      } else if (st.error().code == Code::kUnavailable)
        ++unavailable;
      else
        ++other_errors;
    }
  });
  for (int round = 0; round < 3; ++round) {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    kill_all();
  }
  const std::size_t before_last_loss = acked;
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  stop = true;
  writer.join();
  EXPECT_EQ(other_errors, 0);
  EXPECT_GT(acknowledged.size(), before_last_loss) << "writes went on after the last loss";

  // Reads come back too (the pool's connections were killed as well).
  std::int64_t stored = -1;
  Status read = store.Read([&](Tx& tx) -> Status {
    stored = MOTCUA_TRY(tx.Query("SELECT count(*) FROM items")).at(0).Int(0);
    return {};
  });
  if (!read)
    read = store.Read([&](Tx& tx) -> Status {  // a reader not used since the losses
      stored = MOTCUA_TRY(tx.Query("SELECT count(*) FROM items")).at(0).Int(0);
      return {};
    });
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_GE(stored, static_cast<std::int64_t>(acknowledged.size()));
  std::int64_t missing = -1;
  ASSERT_TRUE(store.Read([&](Tx& tx) -> Status {
    std::string ids;
    for (auto id : acknowledged) ids += (ids.empty() ? "" : ",") + std::to_string(id);
    missing =
        static_cast<std::int64_t>(acknowledged.size()) -
        MOTCUA_TRY(tx.Query("SELECT count(*) FROM items WHERE id IN (" + ids + ")")).at(0).Int(0);
    return {};
  }));
  EXPECT_EQ(missing, 0) << "every acknowledged write is stored";
  store.Close();
  (*killer)->Close();
}

}  // namespace
}  // namespace motcua::storage
