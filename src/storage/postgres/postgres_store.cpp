#include "storage/postgres/postgres_store.hpp"

#include <utility>
#include <vector>

#include "storage/postgres/connection.hpp"

namespace motcua::storage {

using internal::PgConnection;

Result<std::unique_ptr<PostgresStore>> PostgresStore::Open(const std::string& url,
                                                           const StoreOptions& options,
                                                           std::span<const Migration> migrations) {
  MOTCUA_TRY_VOID(CheckArguments(options, migrations));
  std::unique_ptr<PostgresStore> store(new PostgresStore(options, migrations));
  std::unique_ptr<internal::EngineConnection> writer =
      MOTCUA_TRY(PgConnection::Open(url, /*pipelined=*/true));
  std::vector<std::unique_ptr<internal::EngineConnection>> readers;
  for (int i = 0; i < options.read_connections; ++i)
    readers.push_back(MOTCUA_TRY(PgConnection::Open(url, /*pipelined=*/true)));
  store->Start(std::move(writer), std::move(readers));
  return store;
}

Result<bool> PostgresStore::HasMigrationsTable(Tx& tx) {
  auto rows = MOTCUA_TRY(tx.Query("SELECT to_regclass('schema_migrations') IS NOT NULL"));
  return rows.at(0).Int(0) != 0;
}

Status PostgresStore::LockForMigration(Tx& tx) {
  // Any fixed number: every motcua process migrating this database waits here.
  MOTCUA_TRY(tx.Query("SELECT pg_advisory_xact_lock(7268201)"));
  return {};
}

}  // namespace motcua::storage
