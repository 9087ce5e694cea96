// For the app tests only: the real App (every route, the middleware) on a real
// server on port 0, over a fresh database (SQLite in a temporary folder, or a
// schema on the test PostgreSQL server), with
// the demo province's units and, if asked, its catalogue: what `motcua serve`
// runs, made hermetic.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "app/wiring.hpp"
#include "common/result.hpp"
#include "http/server.hpp"
#include "http/test_client.hpp"
#include "storage/testing.hpp"

namespace motcua::app::internal {

class TestProvince {
 public:
  struct Options {
    bool catalogue = false;  // load data/demo/procedures.json
    storage::testing::Engine engine = storage::testing::Engine::kSqlite;
    // The database of another TestProvince (url()): a second server on it,
    // as a second process would be (its own store, caches and threads). The
    // units and the catalogue are there already.
    std::string url;
    http::ServerOptions server = {};  // listen and threads are set by Start
    // The CA certificate (PEM) the App trusts for signed results; none when empty.
    std::string trusted_ca_pem;
  };

  // `name` makes the folder unique per test. Errors name what failed.
  Status Start(std::string name, const Clock& clock, Options options) {
    for (char& c : name)
      if (c == '/') c = '-';  // parameterised tests are named "Test/Param"
    dir_ = std::filesystem::temp_directory_path() /
           ("motcua-" + name + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    url_ =
        options.url.empty() ? MOTCUA_TRY(database_.Create(options.engine, dir_, "m")) : options.url;
    store_ = MOTCUA_TRY(storage::Store::Open(url_));
    MOTCUA_TRY_VOID(store_->Migrate());
    const char* src = std::getenv("MOTCUA_SOURCE_DIR");
    source_ = src ? std::filesystem::path(src) : std::filesystem::current_path();
    std::filesystem::create_directories(dir_ / "trusted-ca");
    if (!options.trusted_ca_pem.empty())
      std::ofstream(dir_ / "trusted-ca" / "ca.pem") << options.trusted_ca_pem;
    app_ = MOTCUA_TRY(App::Create(*store_, clock,
                                  AppOptions{.data_dir = (source_ / "data").string(),
                                             .attachments_dir = (dir_ / "attachments").string(),
                                             .trust_dir = (dir_ / "trusted-ca").string()}));
    if (!options.url.empty()) {
      MOTCUA_TRY_VOID(StartServer(options.server));
      return {};
    }
    MOTCUA_TRY(app_->units().ImportCsv(ReadFile(source_ / "data/demo/units.csv")));
    if (options.catalogue)
      MOTCUA_TRY_VOID(catalog::LoadCatalogFile(app_->catalog(),
                                               (source_ / "data/demo/procedures.json").string()));
    return StartServer(options.server);
  }

  ~TestProvince() {
    client_.reset();
    if (server_) server_->Stop();
    server_.reset();
    app_.reset();
    if (store_) store_->Close();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  static std::string ReadFile(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }

  const std::filesystem::path& dir() const { return dir_; }
  const std::string& url() const { return url_; }
  storage::Store& store() { return *store_; }
  App& app() { return *app_; }
  http::Server& server() { return *server_; }
  http::TestClient& client() { return *client_; }

 private:
  Status StartServer(http::ServerOptions server) {
    server.listen = "127.0.0.1:0";
    server.threads = 2;
    server_ = std::make_unique<http::Server>(server, app_->Handler());
    MOTCUA_TRY_VOID(server_->Start());
    client_ = std::make_unique<http::TestClient>(server_->port());
    return {};
  }

  std::filesystem::path dir_, source_;
  std::string url_;
  storage::testing::TestDatabase database_;  // outlives the store
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<App> app_;
  std::unique_ptr<http::Server> server_;
  std::unique_ptr<http::TestClient> client_;
};

}  // namespace motcua::app::internal
