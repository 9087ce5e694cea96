// The storage conformance suite on a real PostgreSQL server: the one
// scripts/test.sh starts (initdb in a temporary folder, loopback port) and
// names in MOTCUA_TEST_POSTGRES_URL. Without it these tests fail, saying so:
// they are never skipped.
#include "storage/postgres/postgres_store.hpp"

#include <libpq-fe.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <string>

#include "storage/postgres/connection.hpp"
#include "storage/store_conformance.hpp"

namespace motcua::storage {
namespace {

using conformance::StoreConformance;

Result<std::string> ServerUrl() {
  const char* url = std::getenv("MOTCUA_TEST_POSTGRES_URL");
  if (url == nullptr || *url == '\0')
    return Fail(Code::kUnavailable,
                "MOTCUA_TEST_POSTGRES_URL is not set: run scripts/test.sh, which starts a PostgreSQL "
                "server for the tests, or point it at one (postgresql://user:pass@127.0.0.1:port/db)");
  return std::string(url);
}

// One schema per test folder: the same folder reopens the same database.
Result<std::string> SchemaUrl(const std::filesystem::path& dir) {
  std::string base = MOTCUA_TRY(ServerUrl());
  const std::string schema = "t" + std::to_string(std::hash<std::string>{}(dir.string()) % 1'000'000'000'000ULL);
  auto admin = MOTCUA_TRY(internal::PgConnection::Open(base));
  MOTCUA_TRY_VOID(admin->Control("CREATE SCHEMA IF NOT EXISTS " + schema, "CREATE SCHEMA"));
  return base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema;
}

conformance::Backend PostgresBackend() {
  return {"Postgres", [](const std::filesystem::path& dir, const StoreOptions& options,
                         std::span<const Migration> migrations) -> Result<std::unique_ptr<Store>> {
            std::string url = MOTCUA_TRY(SchemaUrl(dir));
            auto store = MOTCUA_TRY(PostgresStore::Open(url, options, migrations));
            return std::unique_ptr<Store>(std::move(store));
          }};
}

INSTANTIATE_TEST_SUITE_P(Postgres, StoreConformance, ::testing::Values(PostgresBackend()),
                         conformance::BackendName);

TEST(PostgresStoreTest, AnUnreachableServerIsUnavailableNotACrash) {
  auto store = PostgresStore::Open("postgresql://motcua:secret-pw@127.0.0.1:1/none?connect_timeout=2", {}, {});
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, Code::kUnavailable);
  EXPECT_EQ(store.error().message.find("secret-pw"), std::string::npos) << "no password in messages";
}

}  // namespace
}  // namespace motcua::storage
