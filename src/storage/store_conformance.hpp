// The storage conformance suite: behaviour every Store backend must share.
//
// The tests (store_conformance_test.cpp) are value-parameterised by Backend;
// each backend instantiates them once, e.g. in store_test.cpp:
//   INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformance, ::testing::Values(SqliteBackend()),
//                            BackendName);
// A Backend opens a fresh database per test, so tests are hermetic.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <ostream>
#include <span>
#include <string>

#include "storage/migrations.hpp"
#include "storage/store.hpp"

namespace motcua::storage::conformance {

struct Backend {
  std::string name;
  // Opens the database that belongs to `dir` (a fresh empty folder per test,
  // removed afterwards): the same dir must give the same database, so that a
  // test can reopen what it wrote. `migrations` is what Migrate() applies.
  std::function<Result<std::unique_ptr<Store>>(const std::filesystem::path& dir,
                                               const StoreOptions& options,
                                               std::span<const Migration> migrations)>
      open;
};

// Test names and failure messages show the backend's name.
inline void PrintTo(const Backend& backend, std::ostream* os) { *os << backend.name; }

inline std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param.name;
}

// The schema the suite runs on, in SQL both engines accept.
std::span<const Migration> TestSchema();

class StoreConformance : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Opens the test database and migrates it; fails the test on error.
  std::unique_ptr<Store> OpenStore(const StoreOptions& options = {},
                                   std::span<const Migration> migrations = TestSchema());
  // Opens without migrating, for the migration tests.
  Result<std::unique_ptr<Store>> OpenRaw(std::span<const Migration> migrations,
                                         const StoreOptions& options = {});

  std::filesystem::path dir_;
};

}  // namespace motcua::storage::conformance
