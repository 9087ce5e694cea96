// For tests only: a migrated store in a fresh temporary folder, closed and
// removed when the TempStore goes. Declare it before the services that use
// it, so that they are destroyed first.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>

#include "common/result.hpp"
#include "storage/store.hpp"

namespace motcua::storage::testing {

class TempStore {
 public:
  // `name` names the folder (motcua_<name>_XXXXXX) and the file.
  Status Open(std::string_view name, StoreOptions options = {}) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / ("motcua_" + std::string(name) + "_XXXXXX")).string();
    if (mkdtemp(pattern.data()) == nullptr) return Fail(Code::kUnavailable, "mkdtemp failed");
    dir_ = pattern;
    store_ = MOTCUA_TRY(Store::Open("sqlite:" + (dir_ / (std::string(name) + ".db")).string(), options));
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

 private:
  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
};

}  // namespace motcua::storage::testing
