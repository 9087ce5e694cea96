// For the handler tests only: a fresh migrated SQLite store in a temporary
// folder, one area's routes served on port 0 behind a stand-in for the
// authentication middleware, and a client to call them.
//
// Order of teardown: call StopServer() before destroying the services the
// routes use; the destructor then closes the store and removes the folder.
#pragma once

#include <stdlib.h>

#include <boost/json.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "core/accounts/principal.hpp"
#include "http/metrics.hpp"
#include "http/pipeline.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "http/test_client.hpp"
#include "storage/store.hpp"

namespace motcua::http::internal {

// Stands in for the authentication middleware: "x-test-role:
// province_admin:7" makes the caller a province admin bound to unit 7 and its
// subtree; "x-test-user: 5" signs the request in as user 5 with no role.
inline void TestAuth(Request& req, Responder respond, const Handler& next) {
  if (auto header = req.Header("x-test-role")) {
    std::string_view text = *header;
    auto colon = text.find(':');
    accounts::Principal p;
    p.user_id = 1;
    p.username = "tester";
    p.method = accounts::AuthMethod::kApiToken;
    p.roles.push_back({*accounts::ParseRole(text.substr(0, colon)),
                       std::stoll(std::string(text.substr(colon + 1))), true});
    req.principal = std::move(p);
  } else if (auto user = req.Header("x-test-user")) {
    accounts::Principal p;
    p.user_id = std::stoll(std::string(*user));
    p.method = accounts::AuthMethod::kApiToken;
    req.principal = std::move(p);
  }
  next(req, std::move(respond));
}

class RouteTestBed {
 public:
  // A fresh store in a new folder named after `name`. No fsync: these tests
  // are about answers, not durability.
  Status Open(std::string_view name) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / ("motcua_" + std::string(name) + "_XXXXXX")).string();
    if (mkdtemp(pattern.data()) == nullptr) return Fail(Code::kUnavailable, "mkdtemp failed");
    dir_ = pattern;
    store_ = MOTCUA_TRY(storage::Store::Open("sqlite:" + (dir_ / "test.db").string(),
                                             storage::StoreOptions{.synchronous_full = false}));
    return store_->Migrate();
  }
  // Serves the routes added to router() so far.
  Status Serve() {
    server_ = std::make_unique<Server>(ServerOptions{.listen = "127.0.0.1:0", .threads = 2},
                                       BuildPipeline(router_, {TestAuth}, metrics_));
    MOTCUA_TRY_VOID(server_->Start());
    client_ = std::make_unique<TestClient>(server_->port());
    return {};
  }
  void StopServer() {
    client_.reset();
    if (server_) server_->Stop();
    server_.reset();
  }
  ~RouteTestBed() {
    StopServer();
    if (store_) store_->Close();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  // A request as the caller `role` ("province_admin:7"; empty: anonymous).
  Response Send(std::string_view method, const std::string& target, std::string body = {},
                std::string role = {}, std::string type = "application/json") {
    Headers headers;
    if (!body.empty()) headers.emplace_back("Content-Type", type);
    if (!role.empty()) headers.emplace_back("X-Test-Role", role);
    return client_->Send(method, target, std::move(body), std::move(headers));
  }
  static boost::json::object Body(const Response& res) { return boost::json::parse(res.body).as_object(); }
  static boost::json::object Fields(const Response& res) {
    return Body(res).at("error").at("fields").as_object();
  }

  const std::filesystem::path& dir() const { return dir_; }
  storage::Store& store() { return *store_; }
  Router& router() { return router_; }
  TestClient& client() { return *client_; }

 private:
  std::filesystem::path dir_;
  std::unique_ptr<storage::Store> store_;
  Router router_;
  Metrics metrics_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<TestClient> client_;
};

}  // namespace motcua::http::internal
