// The account routes through the real stack: a server on port 0, the
// pipeline with the auth middleware, the service on a SQLite file.
#include "http/handlers/accounts.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <filesystem>
#include <map>
#include <memory>

#include "http/auth.hpp"
#include "http/metrics.hpp"
#include "http/pipeline.hpp"
#include "http/server.hpp"
#include "http/test_client.hpp"

namespace motcua::http {
namespace {

namespace json = boost::json;
using accounts::Role;

// Province 1 > department 10; province 2 elsewhere.
class FakeUnits final : public accounts::UnitHierarchy {
 public:
  bool IsSameOrBelow(std::int64_t unit, std::int64_t ancestor) const override {
    return unit == ancestor || (unit == 10 && ancestor == 1);
  }
  bool IsTopLevel(std::int64_t unit) const override { return unit == 1 || unit == 2; }
};

constexpr char kPassword[] = "sông Hồng chảy về xuôi";

class AccountRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/motcua-account-routes-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    auto store = storage::Store::Open("sqlite:" + (dir_ / "db.sqlite").string());
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
    ASSERT_TRUE(store_->Migrate());
    ASSERT_TRUE(store_->WriteSync([](storage::Tx& tx) -> Status {
      MOTCUA_TRY_VOID(
          tx.Exec("INSERT INTO units (id, kind, name, agency_code, parent_id, valid_from) VALUES "
                  "(1, 'province', 'Tỉnh A', '000.00.00.H01', NULL, '2025-07-01'), "
                  "(10, 'department', 'Sở Tư pháp', '000.00.10.H01', 1, '2025-07-01'), "
                  "(2, 'province', 'Tỉnh B', '000.00.00.H02', NULL, '2025-07-01')"));
      return {};
    }));
    accounts::AccountOptions options;
    // Cheap hashing: the cost parameters change no behaviour under test.
    options.hashing = accounts::HashParams{1024, 1, 1, 4};
    service_ = std::make_unique<accounts::AccountService>(*store_, clock_, units_, options);
    RegisterAccountRoutes(router_, *service_, units_);
    ServerOptions server_options;
    server_options.listen = "127.0.0.1:0";
    server_options.threads = 2;
    server_ = std::make_unique<Server>(
        server_options, BuildPipeline(router_, {MakeAuthMiddleware(*service_)}, metrics_));
    ASSERT_TRUE(server_->Start());
    client_ = std::make_unique<TestClient>(server_->port());
  }

  void TearDown() override {
    client_.reset();
    if (server_) server_->Stop();
    service_.reset();
    if (store_) store_->Close();
    std::filesystem::remove_all(dir_);
  }

  void CreateUser(const std::string& username, std::vector<accounts::RoleBinding> roles) {
    auto u = service_->CreateUser({username, "Tên " + username, kPassword, std::move(roles)});
    ASSERT_TRUE(u) << u.error().message;
  }

  Response Post(std::string_view target, const json::object& body, Headers headers = {}) {
    headers.emplace_back("content-type", "application/json");
    return client_->Send("POST", target, json::serialize(body), std::move(headers));
  }

  struct Session {
    std::string cookie;  // "motcua_session=..."
    std::string csrf;
  };

  Session SignIn(const std::string& username) {
    Response res = Post("/api/v1/auth/login", {{"username", username}, {"password", kPassword}});
    EXPECT_EQ(res.status, 200) << res.body;
    std::string set_cookie(res.Header("set-cookie").value_or(""));
    Session s;
    s.cookie = set_cookie.substr(0, set_cookie.find(';'));
    s.csrf = std::string(json::parse(res.body).at("csrf_token").as_string());
    return s;
  }

  Headers WithSession(const Session& s, bool csrf = true) {
    Headers h{{"cookie", s.cookie}};
    if (csrf) h.emplace_back("x-csrf-token", s.csrf);
    return h;
  }

  static json::value Body(const Response& res) { return json::parse(res.body); }
  static bool NamesField(const Response& res, std::string_view field) {
    return Body(res).at("error").at("fields").as_object().contains(field);
  }

  std::filesystem::path dir_;
  FakeClock clock_{TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 1 / 5))};
  FakeUnits units_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<accounts::AccountService> service_;
  Router router_;
  Metrics metrics_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<TestClient> client_;
};

TEST_F(AccountRoutesTest, LoginSetsAHardenedSessionCookie) {
  CreateUser("can.bo.a", {{Role::kOfficer, 10, false}});
  Response res = Post("/api/v1/auth/login", {{"username", "can.bo.a"}, {"password", kPassword}});
  ASSERT_EQ(res.status, 200) << res.body;
  const std::string cookie(res.Header("set-cookie").value_or(""));
  EXPECT_TRUE(cookie.starts_with("motcua_session=")) << cookie;
  EXPECT_NE(cookie.find("; HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; SameSite=Strict"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; Path=/"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; Max-Age=43200"), std::string::npos) << cookie;
  EXPECT_EQ(cookie.find("Secure"), std::string::npos) << "plain HTTP test server: " << cookie;
  EXPECT_EQ(res.Header("cache-control").value_or(""), "no-store");
  json::value body = Body(res);
  EXPECT_EQ(body.at("user").at("username"), "can.bo.a");
  EXPECT_EQ(body.at("user").at("roles").at(0).at("role"), "officer");
  EXPECT_FALSE(body.at("csrf_token").as_string().empty());
  EXPECT_EQ(res.body.find("argon2"), std::string::npos);
  EXPECT_EQ(res.body.find(cookie.substr(15, 43)), std::string::npos) << "session id in body";

  Session s{cookie.substr(0, cookie.find(';')), std::string(body.at("csrf_token").as_string())};
  Response me = client_->Send("GET", "/api/v1/auth/me", {}, WithSession(s, false));
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(Body(me).at("auth"), "session");
  EXPECT_EQ(Body(me).at("csrf_token").as_string(), s.csrf);
}

TEST_F(AccountRoutesTest, BadCredentialsAreA401WithOneMessage) {
  CreateUser("can.bo.a", {});
  Response wrong = Post("/api/v1/auth/login", {{"username", "can.bo.a"}, {"password", "x"}});
  Response unknown = Post("/api/v1/auth/login", {{"username", "ai.do"}, {"password", kPassword}});
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(Body(wrong).at("error").at("message"), Body(unknown).at("error").at("message"));
  EXPECT_FALSE(wrong.Header("set-cookie"));
}

TEST_F(AccountRoutesTest, MissingForgedOrMalformedCredentialsAre401) {
  CreateUser("can.bo.a", {});
  EXPECT_EQ(client_->Send("GET", "/api/v1/auth/me").status, 401);
  Response forged = client_->Send("GET", "/api/v1/auth/me", {},
                                  {{"cookie", "motcua_session=" + std::string(43, 'A')}});
  EXPECT_EQ(forged.status, 401);
  Response garbage =
      client_->Send("GET", "/api/v1/auth/me", {}, {{"cookie", "motcua_session=';DROP TABLE"}});
  EXPECT_EQ(garbage.status, 401);
  Response basic =
      client_->Send("GET", "/api/v1/auth/me", {}, {{"authorization", "Basic YWxpY2U6cHc="}});
  EXPECT_EQ(basic.status, 401);
  EXPECT_TRUE(NamesField(basic, "Authorization"));
  EXPECT_EQ(basic.Header("www-authenticate").value_or(""), "Bearer");
  Response unknown_token = client_->Send("GET", "/api/v1/auth/me", {},
                                         {{"authorization", "Bearer mct_" + std::string(43, 'x')}});
  EXPECT_EQ(unknown_token.status, 401);
}

TEST_F(AccountRoutesTest, StateChangingSessionRequestsNeedTheCsrfToken) {
  CreateUser("can.bo.a", {});
  Session s = SignIn("can.bo.a");
  const json::object body{{"name", "tích hợp"}};

  Response missing = Post("/api/v1/auth/tokens", body, WithSession(s, false));
  EXPECT_EQ(missing.status, 403) << missing.body;
  EXPECT_TRUE(NamesField(missing, "X-CSRF-Token"));

  Headers forged{{"cookie", s.cookie}, {"x-csrf-token", std::string(s.csrf.size(), 'A')}};
  Response bad = Post("/api/v1/auth/tokens", body, forged);
  EXPECT_EQ(bad.status, 403);
  EXPECT_TRUE(NamesField(bad, "X-CSRF-Token"));

  Headers cross = WithSession(s);
  cross.emplace_back("origin", "https://evil.example");
  EXPECT_EQ(Post("/api/v1/auth/tokens", body, cross).status, 403);

  Headers same = WithSession(s);
  same.emplace_back("origin", "http://127.0.0.1:" + std::to_string(server_->port()));
  Response ok = Post("/api/v1/auth/tokens", body, same);
  ASSERT_EQ(ok.status, 201) << ok.body;
  const std::string secret(Body(ok).at("secret").as_string());
  const std::int64_t id = Body(ok).at("token").at("id").as_int64();

  // The token works without any CSRF token, and is never shown again.
  Headers bearer{{"authorization", "Bearer " + secret}};
  Response me = client_->Send("GET", "/api/v1/auth/me", {}, bearer);
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(Body(me).at("auth"), "api_token");
  Response list = client_->Send("GET", "/api/v1/auth/tokens", {}, bearer);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.body.find(secret), std::string::npos);
  Response revoke =
      client_->Send("DELETE", "/api/v1/auth/tokens/" + std::to_string(id), {}, bearer);
  EXPECT_EQ(revoke.status, 204) << revoke.body;
  EXPECT_EQ(client_->Send("GET", "/api/v1/auth/me", {}, bearer).status, 401);
}

TEST_F(AccountRoutesTest, LogoutEndsTheSessionAndClearsTheCookie) {
  CreateUser("can.bo.a", {});
  Session s = SignIn("can.bo.a");
  Response out = client_->Send("POST", "/api/v1/auth/logout", {}, WithSession(s));
  EXPECT_EQ(out.status, 204);
  const std::string cleared(out.Header("set-cookie").value_or(""));
  EXPECT_TRUE(cleared.starts_with("motcua_session=;")) << cleared;
  EXPECT_NE(cleared.find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(client_->Send("GET", "/api/v1/auth/me", {}, WithSession(s)).status, 401);
}

TEST_F(AccountRoutesTest, AThousandWrongPasswordsGet429sNeverA500) {
  CreateUser("can.bo.a", {});
  int unauthorized = 0, limited = 0;
  for (int i = 0; i < 1000; ++i) {
    Response res = Post("/api/v1/auth/login",
                        {{"username", "can.bo.a"}, {"password", "đoán " + std::to_string(i)}});
    ASSERT_TRUE(res.status == 401 || res.status == 429) << i << ": " << res.status << res.body;
    if (res.status == 401) ++unauthorized;
    if (res.status == 429) {
      ++limited;
      ASSERT_TRUE(res.Header("retry-after")) << i;
      EXPECT_GT(std::stoi(std::string(*res.Header("retry-after"))), 0);
    }
  }
  EXPECT_EQ(unauthorized, 5);
  EXPECT_EQ(limited, 995);
  Response right = Post("/api/v1/auth/login", {{"username", "can.bo.a"}, {"password", kPassword}});
  EXPECT_EQ(right.status, 429);
  EXPECT_FALSE(right.Header("set-cookie"));
  clock_.Advance(std::chrono::minutes(15));
  EXPECT_EQ(Post("/api/v1/auth/login", {{"username", "can.bo.a"}, {"password", kPassword}}).status,
            200);
}

TEST_F(AccountRoutesTest, ProvinceAdminCannotGrantSystemAdmin) {
  CreateUser("qt.tinh", {{Role::kProvinceAdmin, 1, true}});
  CreateUser("can.bo.a", {});
  Session admin = SignIn("qt.tinh");
  Response users = client_->Send("GET", "/api/v1/users?limit=10", {}, WithSession(admin));
  ASSERT_EQ(users.status, 200) << users.body;
  const json::value listed = Body(users);
  const json::array& items = listed.at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(users.body.find("password"), std::string::npos);
  const std::int64_t target = items.at(1).at("id").as_int64();
  const std::string roles = "/api/v1/users/" + std::to_string(target) + "/roles";

  json::object grant_root{
      {"roles",
       json::array{json::object{{"role", "system_admin"}, {"unit_id", 1}, {"subtree", true}}}}};
  Response denied = client_->Send("PUT", roles, json::serialize(grant_root),
                                  {{"cookie", admin.cookie},
                                   {"x-csrf-token", admin.csrf},
                                   {"content-type", "application/json"}});
  EXPECT_EQ(denied.status, 403) << denied.body;

  json::object grant_officer{
      {"roles", json::array{json::object{{"role", "officer"}, {"unit_id", 10}}}}};
  Response ok = client_->Send("PUT", roles, json::serialize(grant_officer),
                              {{"cookie", admin.cookie},
                               {"x-csrf-token", admin.csrf},
                               {"content-type", "application/json"}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(Body(ok).at("roles").at(0).at("unit_id"), 10);

  // An officer may not even list users.
  Session officer = SignIn("can.bo.a");
  EXPECT_EQ(client_->Send("GET", "/api/v1/users", {}, WithSession(officer)).status, 403);
}

// An administrator sees the accounts of their own scope: bound to the
// department, its staff; bound to the province, the province's staff and the
// citizens; never another province's (issue 19: a commune's administrator
// listed and read every account of the province).
TEST_F(AccountRoutesTest, AdministratorsSeeOnlyTheAccountsOfTheirScope) {
  CreateUser("qt.tinh", {{Role::kProvinceAdmin, 1, true}});
  CreateUser("qt.so", {{Role::kProvinceAdmin, 10, true}});
  CreateUser("cb.so", {{Role::kOfficer, 10, false}});
  CreateUser("cb.tinh", {{Role::kOfficer, 1, false}});
  CreateUser("cb.tinh.b", {{Role::kOfficer, 2, false}});
  CreateUser("cong.dan", {{Role::kCitizen, 0, false}});
  auto listed = [&](const std::string& who, const std::string& query = "?limit=200") {
    Session s = SignIn(who);
    Response r = client_->Send("GET", "/api/v1/users" + query, {}, WithSession(s));
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> names;
    const json::value body = Body(r);
    for (const auto& u : body.at("items").as_array())
      names.emplace_back(u.at("username").as_string());
    return std::pair(names, body);
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(listed("qt.so").first, (V{"qt.so", "cb.so"}));
  EXPECT_EQ(listed("qt.tinh").first, (V{"qt.tinh", "qt.so", "cb.so", "cb.tinh", "cong.dan"}));
  // Pages skip what is out of scope and still say where the next begins.
  auto [first, page] = listed("qt.so", "?limit=1");
  EXPECT_EQ(first, V{"qt.so"});
  ASSERT_TRUE(page.at("next_after").is_int64()) << json::serialize(page);
  auto [second, last] =
      listed("qt.so", "?limit=1&after=" + std::to_string(page.at("next_after").as_int64()));
  EXPECT_EQ(second, V{"cb.so"});
  EXPECT_TRUE(last.at("next_after").is_null()) << json::serialize(last);
  // Reading one: out of scope is not found, as if it did not exist; everyone
  // reads their own.
  auto id_of = [&](const std::string& who) {
    Session s = SignIn(who);
    Response me = client_->Send("GET", "/api/v1/auth/me", {}, WithSession(s, false));
    EXPECT_EQ(me.status, 200) << me.body;
    return std::pair(Body(me).at("user").at("id").as_int64(), s);
  };
  auto [citizen, citizen_session] = id_of("cong.dan");
  auto [other, other_session] = id_of("cb.tinh.b");
  auto get = [&](const Session& s, std::int64_t id) {
    return client_->Send("GET", "/api/v1/users/" + std::to_string(id), {}, WithSession(s)).status;
  };
  Session so = SignIn("qt.so");
  Session tinh = SignIn("qt.tinh");
  EXPECT_EQ(get(so, citizen), 404);
  EXPECT_EQ(get(tinh, citizen), 200);
  EXPECT_EQ(get(tinh, other), 404);
  EXPECT_EQ(get(other_session, other), 200);
  EXPECT_EQ(get(citizen_session, citizen), 200);
}

TEST_F(AccountRoutesTest, UnknownFieldsAndWrongTypesAre400NamingTheField) {
  CreateUser("qt.tinh", {{Role::kProvinceAdmin, 1, true}});
  Response extra = Post("/api/v1/auth/login",
                        {{"username", "qt.tinh"}, {"password", kPassword}, {"remember_me", true}});
  EXPECT_EQ(extra.status, 400);
  EXPECT_TRUE(NamesField(extra, "remember_me")) << extra.body;
  Response typed = Post("/api/v1/auth/login", {{"username", 42}, {"password", kPassword}});
  EXPECT_EQ(typed.status, 400);
  EXPECT_TRUE(NamesField(typed, "username"));

  Session admin = SignIn("qt.tinh");
  json::object bad_roles{{"roles", json::array{json::object{{"role", "officer"}, {"unit", 10}}}}};
  Response nested = client_->Send("PUT", "/api/v1/users/1/roles", json::serialize(bad_roles),
                                  {{"cookie", admin.cookie},
                                   {"x-csrf-token", admin.csrf},
                                   {"content-type", "application/json"}});
  EXPECT_EQ(nested.status, 400);
  EXPECT_TRUE(NamesField(nested, "roles[0].unit")) << nested.body;
  EXPECT_EQ(client_->Send("GET", "/api/v1/users?limit=abc", {}, WithSession(admin)).status, 400);
}

TEST_F(AccountRoutesTest, CitizensRegisterAndSignIn) {
  Response reg =
      Post("/api/v1/auth/register",
           {{"username", "cong.dan"}, {"display_name", "Nguyễn Thị B"}, {"password", kPassword}});
  ASSERT_EQ(reg.status, 201) << reg.body;
  EXPECT_EQ(Body(reg).at("roles").at(0).at("role"), "citizen");
  Response again =
      Post("/api/v1/auth/register",
           {{"username", "cong.dan"}, {"display_name", "Ai đó"}, {"password", kPassword}});
  EXPECT_EQ(again.status, 409);
  EXPECT_TRUE(NamesField(again, "username"));
  Response weak =
      Post("/api/v1/auth/register",
           {{"username", "cong.dan2"}, {"display_name", "C"}, {"password", "123456789a"}});
  EXPECT_EQ(weak.status, 400);
  EXPECT_TRUE(NamesField(weak, "password"));
  SignIn("cong.dan");
}

}  // namespace
}  // namespace motcua::http
