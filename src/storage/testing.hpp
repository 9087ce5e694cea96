// For tests only: a migrated store in a fresh temporary folder, closed and
// removed when the TempStore goes. Declare it before the services that use
// it, so that they are destroyed first.
#pragma once

#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "common/result.hpp"
#include "storage/store.hpp"

namespace motcua::storage::testing {

enum class Engine { kSqlite, kPostgres };

inline std::string EngineName(Engine engine) {
  return engine == Engine::kSqlite ? "Sqlite" : "Postgres";
}

// A fresh, empty database of one engine for one test: a SQLite file in a
// folder, or a schema of its own on the PostgreSQL server that
// scripts/test.sh starts (MOTCUA_TEST_POSTGRES_URL; without it Create fails,
// saying so). The schema is dropped when the TestDatabase goes: close every
// store on it first.
class TestDatabase {
 public:
  Result<std::string> Create(Engine engine, const std::filesystem::path& dir,
                             std::string_view name) {
    if (engine == Engine::kSqlite) return "sqlite:" + (dir / (std::string(name) + ".db")).string();
    const char* base = std::getenv("MOTCUA_TEST_POSTGRES_URL");
    if (base == nullptr || *base == '\0')
      return Fail(
          Code::kUnavailable,
          "MOTCUA_TEST_POSTGRES_URL is not set: run scripts/test.sh, which starts a PostgreSQL "
          "server for the tests, or point it at one");
    base_ = base;
    static std::atomic<int> counter{0};
    schema_ = "t_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    MOTCUA_TRY_VOID(
        OnServer({"DROP SCHEMA IF EXISTS " + schema_ + " CASCADE", "CREATE SCHEMA " + schema_}));
    return base_ + (base_.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
           schema_;
  }
  ~TestDatabase() {
    if (!schema_.empty()) (void)OnServer({"DROP SCHEMA IF EXISTS " + schema_ + " CASCADE"});
  }

 private:
  Status OnServer(const std::vector<std::string>& statements) {
    auto store = MOTCUA_TRY(Store::Open(base_, StoreOptions{.read_connections = 1}));
    Status done = store->WriteSync([&](Tx& tx) -> Status {
      for (const auto& sql : statements) MOTCUA_TRY(tx.Exec(sql));
      return {};
    });
    store->Close();
    return done;
  }

  std::string base_, schema_;
};

class TempStore {
 public:
  // `name` names the folder (motcua_<name>_XXXXXX) and the file.
  Status Open(std::string_view name, StoreOptions options = {}, Engine engine = Engine::kSqlite) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / ("motcua_" + std::string(name) + "_XXXXXX"))
            .string();
    if (mkdtemp(pattern.data()) == nullptr) return Fail(Code::kUnavailable, "mkdtemp failed");
    dir_ = pattern;
    url_ = MOTCUA_TRY(database_.Create(engine, dir_, name));
    store_ = MOTCUA_TRY(Store::Open(url_, options));
    return store_->Migrate();
  }
  ~TempStore() {
    if (store_) store_->Close();
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  }

  Store& operator*() { return *store_; }
  Store* operator->() { return store_.get(); }
  explicit operator bool() const { return store_ != nullptr; }
  const std::filesystem::path& dir() const { return dir_; }
  // Where the database is: another Store::Open of it acts as another process.
  const std::string& url() const { return url_; }

 private:
  std::filesystem::path dir_;
  std::string url_;
  TestDatabase database_;  // dropped after the store is closed
  std::unique_ptr<Store> store_;
};

}  // namespace motcua::storage::testing
