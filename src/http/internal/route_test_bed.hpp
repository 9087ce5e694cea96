// For the handler tests only: a fresh migrated SQLite store in a temporary
// folder, one area's routes served on port 0 behind a stand-in for the
// authentication middleware, and a client to call them.
//
// Order of teardown: call StopServer() before destroying the services the
// routes use; the store is closed and its folder removed last.
#pragma once

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
#include "storage/testing.hpp"

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
    return store_.Open(name, storage::StoreOptions{.synchronous_full = false});
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
  ~RouteTestBed() { StopServer(); }

  // A request as the caller `role` ("province_admin:7"; empty: anonymous).
  Response Send(std::string_view method, const std::string& target, std::string body = {},
                std::string role = {}, std::string type = "application/json") {
    Headers headers;
    if (!body.empty()) headers.emplace_back("Content-Type", type);
    if (!role.empty()) headers.emplace_back("X-Test-Role", role);
    return client_->Send(method, target, std::move(body), std::move(headers));
  }
  static boost::json::object Body(const Response& res) {
    return boost::json::parse(res.body).as_object();
  }
  static boost::json::object Fields(const Response& res) {
    return Body(res).at("error").at("fields").as_object();
  }

  const std::filesystem::path& dir() const { return store_.dir(); }
  storage::Store& store() { return *store_; }
  Router& router() { return router_; }
  TestClient& client() { return *client_; }

 private:
  storage::testing::TempStore store_;  // destroyed last
  Router router_;
  Metrics metrics_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<TestClient> client_;
};

}  // namespace motcua::http::internal
