// The HTTP API exactly as `motcua serve` wires it (App: every route, the auth
// middleware, the pipeline), against a real server on port 0 and a real
// SQLite database: the OpenAPI document matches the routes, access is denied
// by default, and bad input gets a 4xx JSON error naming the problem.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "app/internal/test_province.hpp"
#include "app/wiring.hpp"
#include "http/server.hpp"
#include "http/system_routes.hpp"
#include "http/test_client.hpp"

namespace motcua::app {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class ApiTest : public ::testing::TestWithParam<storage::testing::Engine> {
 protected:
  void SetUp() override {
    http::ServerOptions server;
    server.max_body_bytes = 64 * 1024;
    // As behind the province's reverse proxy, which terminates TLS.
    server.trusted_proxies = {"127.0.0.1"};
    auto started = province_.Start(
        std::string("api-") + ::testing::UnitTest::GetInstance()->current_test_info()->name(),
        clock_, {.catalogue = false, .engine = GetParam(), .server = server});
    ASSERT_TRUE(started) << started.error().message;
    app_ = &province_.app();
    store_ = &province_.store();
    client_ = &province_.client();
    accounts::NewUser admin{"quantri.tinh",
                            "Nguyễn Văn Quản",
                            "motcua-demo-2026",
                            {{accounts::Role::kProvinceAdmin, 1, true}}};
    ASSERT_TRUE(app_->accounts().CreateUser(admin));
  }

  http::Response Post(const std::string& target, const std::string& body,
                      http::Headers headers = {}) {
    headers.emplace_back("content-type", "application/json");
    return client_->Send("POST", target, body, headers);
  }

  // Signs in as the province administrator; returns cookie and CSRF headers.
  http::Headers SignIn() {
    auto r =
        Post("/api/v1/auth/login", R"({"username":"quantri.tinh","password":"motcua-demo-2026"})");
    EXPECT_EQ(r.status, 200) << r.body;
    std::string cookie(r.Header("set-cookie").value_or(""));
    cookie = cookie.substr(0, cookie.find(';'));
    std::string csrf(json::parse(r.body).at("csrf_token").as_string());
    return {{"cookie", cookie}, {"x-csrf-token", csrf}};
  }

  // The error body every 4xx carries; fails the test if it is not there.
  static json::object ErrorOf(const http::Response& r) {
    boost::system::error_code ec;
    auto v = json::parse(r.body, ec);
    bool ok = !ec && v.is_object() && v.as_object().contains("error") && v.at("error").is_object();
    EXPECT_TRUE(ok) << "not a JSON error body: " << r.body;
    if (!ok) return json::object{{"code", ""}, {"message", ""}};
    return v.at("error").as_object();
  }

  SystemClock clock_;
  internal::TestProvince province_;
  App* app_ = nullptr;
  storage::Store* store_ = nullptr;
  http::TestClient* client_ = nullptr;
  std::unique_ptr<http::TestClient> fresh_;  // a new connection, when a test needs one
};

TEST_P(ApiTest, OpenApiDocumentListsExactlyTheServedRoutes) {
  auto r = client_->Send("GET", "/api/v1/openapi.json");
  ASSERT_EQ(r.status, 200);
  json::object doc = json::parse(r.body).as_object();
  EXPECT_EQ(doc.at("openapi").as_string().subview().substr(0, 2), "3.");
  std::set<std::string> documented, served;
  for (const auto& [path, item] : doc.at("paths").as_object())
    for (const auto& [method, op] : item.as_object()) {
      if (method == "parameters") continue;
      std::string m(method);
      for (char& c : m) c = static_cast<char>(std::toupper(c));
      documented.insert(m + " " + std::string(path));
    }
  for (const auto& route : app_->router().routes())
    served.insert(route.method + " " + route.pattern);
  for (const auto& s : served) EXPECT_TRUE(documented.contains(s)) << "not in openapi.json: " << s;
  for (const auto& d : documented)
    EXPECT_TRUE(served.contains(d)) << "documented, not served: " << d;
}

TEST_P(ApiTest, MetricsReportDatabaseTimeAndRequestsByRoute) {
  SignIn();  // reads the user, writes a session
  auto r = client_->Send("GET", "/metrics");
  ASSERT_EQ(r.status, 200);
  auto value = [&](const std::string& name) -> double {
    auto pos = r.body.find("\n" + name + " ");
    if (pos == std::string::npos) return -1;
    return std::stod(r.body.substr(pos + name.size() + 2));
  };
  EXPECT_GT(value("motcua_db_reads_total"), 0) << r.body;
  EXPECT_GT(value("motcua_db_commits_total"), 0);
  EXPECT_GE(value("motcua_db_read_seconds_total"), 0);
  EXPECT_GT(value("motcua_db_commit_seconds_total"), 0);
  // SQLite's page caches are in this process; PostgreSQL's are the server's.
  if (GetParam() == storage::testing::Engine::kSqlite)
    EXPECT_GT(value("motcua_db_engine_heap_bytes"), 100'000) << r.body;
  else
    EXPECT_EQ(value("motcua_db_engine_heap_bytes"), 0) << r.body;
  EXPECT_NE(r.body.find("route=\"/api/v1/auth/login\""), std::string::npos);
}

TEST_P(ApiTest, SessionCookieIsSecureBehindATlsProxyOnly) {
  const std::string body = R"({"username":"quantri.tinh","password":"motcua-demo-2026"})";
  auto tls = Post("/api/v1/auth/login", body, {{"x-forwarded-proto", "https"}});
  ASSERT_EQ(tls.status, 200) << tls.body;
  std::string cookie(tls.Header("set-cookie").value_or(""));
  EXPECT_NE(cookie.find("; Secure"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos) << cookie;
  auto plain = Post("/api/v1/auth/login", body);
  ASSERT_EQ(plain.status, 200);
  EXPECT_EQ(std::string(plain.Header("set-cookie").value_or("")).find("Secure"), std::string::npos);
}

TEST_P(ApiTest, EveryRouteDeniesAnonymousCallersUnlessPublic) {
  // Public on purpose: health and metrics for the load balancer and
  // Prometheus, the API description, the units list (citizens choose where
  // to submit), the two ways to get credentials, and logout (which without
  // a session only clears the cookie).
  const std::set<std::string> kPublic = {
      "GET /healthz", "GET /metrics", "GET /api/v1/openapi.json", "GET /api/v1/units",
      "GET /api/v1/units/{id}", "POST /api/v1/auth/login", "POST /api/v1/auth/register",
      "POST /api/v1/auth/logout",
      // The procedure catalogue and the dossier lookup are for everyone:
      // citizens read them before they have an account.
      "GET /api/v1/procedures", "GET /api/v1/procedures/{code}",
      "GET /api/v1/procedures/{code}/versions", "GET /api/v1/procedure-fields",
      "GET /api/v1/lookup",
      // Whoever holds a receipt rates the dossier with its number and code.
      "POST /api/v1/lookup/rating",
      // The days off: they decide every appointment a citizen is given.
      "GET /api/v1/holidays",
      // Whoever holds a signed result, or scans its QR code, checks it.
      "GET /api/v1/verify/{code}", "POST /api/v1/verify",
      // The stop link in every notice: its token is the credential.
      "POST /api/v1/notifications/stop"};
  for (const auto& route : app_->router().routes()) {
    std::string key = route.method + " " + route.pattern;
    std::string target = route.pattern;
    for (auto pos = target.find('{'); pos != std::string::npos; pos = target.find('{'))
      target.replace(pos, target.find('}', pos) - pos + 1, "1");
    if (kPublic.contains(key)) {
      // Public, but never a server error for a caller without credentials.
      if (route.method == "GET") {
        auto r = client_->Send("GET", target);
        EXPECT_LT(r.status, 500) << key << " answered " << r.status << " " << r.body;
      }
      continue;
    }
    http::Headers headers;
    std::string body;
    if (route.method != "GET" && route.method != "DELETE") {
      headers.emplace_back("content-type", "application/json");
      body = "{}";
    }
    auto r = client_->Send(route.method, target, body, headers);
    EXPECT_EQ(r.status, 401) << key << " answered " << r.status << " " << r.body;
    EXPECT_EQ(ErrorOf(r).at("code").as_string(), "unauthenticated") << key;
  }
}

TEST_P(ApiTest, AnAdministratorChecksAWorkflowDefinitionAndSeesEveryProblemAtItsPath) {
  auto auth = SignIn();
  auth.emplace_back("content-type", "application/json");
  const char* source = std::getenv("MOTCUA_SOURCE_DIR");  // set by CTest
  ASSERT_NE(source, nullptr);
  std::ifstream file(std::string(source) + "/data/workflows/commune-simple.json");
  std::string good((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(good.empty());
  // The loaded definition comes back as written, to be edited.
  auto definition = client_->Send("GET", "/api/v1/workflows/commune-simple/definition", "", auth);
  ASSERT_EQ(definition.status, 200);
  EXPECT_EQ(definition.body, good);
  auto ok = client_->Send("POST", "/api/v1/workflows/check", good, auth);
  ASSERT_EQ(ok.status, 200) << ok.body;
  auto body = json::parse(ok.body).as_object();
  EXPECT_TRUE(body.at("valid").as_bool());
  EXPECT_EQ(body.at("workflow").at("code").as_string(), "commune-simple");
  EXPECT_EQ(body.at("loaded_version").as_int64(), 1);
  // A state that does not exist and an unknown role: both named, by path.
  std::string bad = good;
  bad.replace(bad.find("\"to\": \"accepted\""), std::string("\"to\": \"accepted\"").size(),
              "\"to\": \"acepted\"");
  auto refused = client_->Send("POST", "/api/v1/workflows/check", bad, auth);
  ASSERT_EQ(refused.status, 400) << refused.body;
  auto fields = ErrorOf(refused).at("fields").as_object();
  bool named = false;
  for (const auto& [path, message] : fields) {
    if (std::string(message.as_string()).find("acepted") != std::string::npos)
      named = path.starts_with("actions[");
  }
  EXPECT_TRUE(named) << refused.body;
  EXPECT_EQ(client_->Send("POST", "/api/v1/workflows/check", "{\"code\": ", auth).status, 400);
  // Nobody else may: a citizen, for one.
  ASSERT_EQ(
      Post(
          "/api/v1/auth/register",
          R"({"username":"cong.dan.moi","display_name":"Công Dân Mới","password":"mot-mat-khau-dai-2026"})")
          .status,
      201);
  auto officer = Post("/api/v1/auth/login",
                      R"({"username":"cong.dan.moi","password":"mot-mat-khau-dai-2026"})");
  ASSERT_EQ(officer.status, 200);
  std::string cookie(officer.Header("set-cookie").value_or(""));
  http::Headers as_officer = {
      {"cookie", cookie.substr(0, cookie.find(';'))},
      {"x-csrf-token", std::string(json::parse(officer.body).at("csrf_token").as_string())},
      {"content-type", "application/json"}};
  auto denied = client_->Send("POST", "/api/v1/workflows/check", good, as_officer);
  EXPECT_EQ(denied.status, 403) << denied.body;
  EXPECT_EQ(
      client_->Send("GET", "/api/v1/workflows/commune-simple/definition", "", as_officer).status,
      403);
}

TEST_P(ApiTest, TheHolidaysOfAYearAreForEveryone) {
  auto r = client_->Send("GET", "/api/v1/holidays?year=2027");
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = json::parse(r.body).as_object();
  EXPECT_EQ(body.at("year").as_int64(), 2027);
  bool national_day = false, tet = false;
  for (const auto& h : body.at("holidays").as_array()) {
    if (h.at("date").as_string() == "2027-09-02") national_day = true;
    // Tết Nguyên Đán 2027: the lunar new year falls on 6 February.
    if (h.at("date").as_string() == "2027-02-06") tet = !h.at("name").as_string().empty();
  }
  EXPECT_TRUE(national_day) << r.body;
  EXPECT_TRUE(tet) << r.body;
  EXPECT_TRUE(body.at("make_up_working_days").is_array());
  for (const char* bad : {"year=1899", "year=abc", "year=2027x", "month=1"}) {
    auto refused = client_->Send("GET", std::string("/api/v1/holidays?") + bad);
    EXPECT_EQ(refused.status, 400) << bad;
    EXPECT_FALSE(ErrorOf(refused).at("fields").as_object().empty()) << bad;
  }
}

TEST_P(ApiTest, AnAdministratorChecksAYearsHolidayTableAndSeesTheDaysOffItGives) {
  auto auth = SignIn();
  const char* source = std::getenv("MOTCUA_SOURCE_DIR");  // set by CTest
  ASSERT_NE(source, nullptr);
  std::ifstream file(std::string(source) + "/data/holidays/2027.toml");
  std::string loaded((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(loaded.empty());
  // The table as loaded, to be edited; a year without one says so.
  auto table =
      json::parse(client_->Send("GET", "/api/v1/holidays/2027/table", "", auth).body).as_object();
  EXPECT_EQ(table.at("file").as_string(), "2027.toml");
  EXPECT_EQ(table.at("text").as_string(), loaded);
  auto none =
      json::parse(client_->Send("GET", "/api/v1/holidays/2031/table", "", auth).body).as_object();
  EXPECT_TRUE(none.at("file").is_null());
  EXPECT_TRUE(none.at("text").is_null());

  // An extra day off appears in the answer, as the deadlines would count it.
  std::string edited = loaded +
                       "\n[[off]]\ndate = 2027-11-24\nname_vi = \"Ngày Văn hóa Việt Nam\"\n"
                       "name_en = \"Vietnamese Culture Day\"\n";
  auto ok = client_->Send("POST", "/api/v1/holidays/check?year=2027", edited, auth);
  ASSERT_EQ(ok.status, 200) << ok.body;
  bool culture_day = false;
  auto checked = json::parse(ok.body);
  for (const auto& h : checked.at("holidays").as_array())
    culture_day = culture_day || (h.at("date").as_string() == "2027-11-24" &&
                                  h.at("name").as_string() == "Ngày Văn hóa Việt Nam");
  EXPECT_TRUE(culture_day) << ok.body;
  // Checking loads nothing: the calendar in force is unchanged.
  auto in_force = client_->Send("GET", "/api/v1/holidays?year=2027");
  EXPECT_EQ(in_force.body.find("2027-11-24"), std::string::npos);

  // A mistake is named with its line; a table of another year is refused.
  auto bad = client_->Send("POST", "/api/v1/holidays/check?year=2027",
                           "year = 2027\n[tet]\nfrom = 2027-02-31\n", auth);
  ASSERT_EQ(bad.status, 400) << bad.body;
  EXPECT_NE(std::string(ErrorOf(bad).at("fields").at("table").as_string()).find("2027.toml:3:"),
            std::string::npos)
      << bad.body;
  EXPECT_EQ(client_->Send("POST", "/api/v1/holidays/check?year=2028", loaded, auth).status, 400);
  EXPECT_EQ(client_->Send("GET", "/api/v1/holidays/abc/table", "", auth).status, 400);
  // Not for anyone else.
  EXPECT_EQ(client_->Send("GET", "/api/v1/holidays/2027/table").status, 401);
  EXPECT_EQ(client_->Send("POST", "/api/v1/holidays/check?year=2027", loaded).status, 401);
}

TEST_P(ApiTest, BadInputGetsAFourHundredNamingTheProblem) {
  auto auth = SignIn();
  auto with = [&](http::Headers extra) {
    http::Headers h = auth;
    h.insert(h.end(), extra.begin(), extra.end());
    return h;
  };
  struct Case {
    std::string name, method, target, body;
    http::Headers headers;
    int status;
    std::string field;  // must be named in error.fields ("" = any 4xx body)
  };
  const std::string big(70 * 1024, 'a');
  std::vector<Case> cases = {
      {"malformed JSON", "POST", "/api/v1/units",
       "{\"name\": ", with({{"content-type", "application/json"}}), 400, "body"},
      {"not an object", "POST", "/api/v1/units", "[1,2]",
       with({{"content-type", "application/json"}}), 400, "body"},
      {"wrong type", "POST", "/api/v1/units",
       R"({"kind":"commune","name":12,"agency_code":"000.60.00.H55","stats_code":"05999","parent_id":1,"valid_from":"2025-07-01"})",
       with({{"content-type", "application/json"}}), 400, "name"},
      {"unknown field", "POST", "/api/v1/units",
       R"({"kind":"commune","name":"Xã Mới","agency_code":"000.60.00.H55","stats_code":"05999","parent_id":1,"valid_from":"2025-07-01","colour":"red"})",
       with({{"content-type", "application/json"}}), 400, "colour"},
      {"impossible date in body", "POST", "/api/v1/units",
       R"({"kind":"commune","name":"Xã Mới","agency_code":"000.60.00.H55","stats_code":"05999","parent_id":1,"valid_from":"2025-02-30"})",
       with({{"content-type", "application/json"}}), 400, "valid_from"},
      {"impossible date in query", "GET", "/api/v1/units?as_of=2027-02-30", "", {}, 400, "as_of"},
      {"invalid UTF-8", "POST", "/api/v1/units", "{\"kind\":\"commune\",\"name\":\"X\xC3\x28\"}",
       with({{"content-type", "application/json"}}), 400, "body"},
      {"wrong content type", "POST", "/api/v1/units", "kind=commune",
       with({{"content-type", "application/x-www-form-urlencoded"}}), 400, "content-type"},
      {"oversized body", "POST", "/api/v1/units", big, with({{"content-type", "application/json"}}),
       413, "body"},
      {"non-numeric id", "GET", "/api/v1/units/abc", "", {}, 400, "id"},
      {"path traversal", "GET", "/api/v1/units/..%2f..%2fetc%2fpasswd", "", {}, 400, ""},
      {"dot segments", "GET", "/api/v1/../../etc/passwd", "", {}, 400, ""},
      {"missing CSRF token",
       "POST",
       "/api/v1/units",
       "{}",
       {auth[0], {"content-type", "application/json"}},
       403,
       "X-CSRF-Token"},
      {"forged CSRF token",
       "POST",
       "/api/v1/units",
       "{}",
       {auth[0], {"x-csrf-token", "forged"}, {"content-type", "application/json"}},
       403,
       "X-CSRF-Token"},
      {"forged session cookie",
       "GET",
       "/api/v1/auth/me",
       "",
       {{"cookie", "motcua_session=forged"}},
       401,
       ""},
      {"unknown route", "GET", "/api/v1/nothing-here", "", {}, 404, ""},
      {"wrong method", "DELETE", "/api/v1/units", "", with({}), 405, ""},
  };
  for (const auto& c : cases) {
    auto r = client_->Send(c.method, c.target, c.body, c.headers);
    EXPECT_EQ(r.status, c.status) << c.name << ": " << r.body;
    if (r.status >= 400 && r.status < 500) {
      auto err = ErrorOf(r);
      EXPECT_FALSE(err.at("message").as_string().empty()) << c.name;
      if (!c.field.empty()) {
        ASSERT_TRUE(err.contains("fields")) << c.name << ": " << r.body;
        EXPECT_TRUE(err.at("fields").as_object().contains(c.field)) << c.name << ": " << r.body;
      }
    }
    // The connection may be closed after some errors (413); start afresh.
    fresh_ = std::make_unique<http::TestClient>(province_.server().port());
    client_ = fresh_.get();
  }
  // After all that, the server still serves.
  EXPECT_EQ(client_->Send("GET", "/healthz").status, 200);
}

TEST_P(ApiTest, AThousandWrongPasswordsNeverLetAnyoneIn) {
  int unauthorized = 0, limited = 0;
  for (int i = 0; i < 1000; ++i) {
    auto r =
        Post("/api/v1/auth/login", R"({"username":"quantri.tinh","password":"wrong-password-)" +
                                       std::to_string(i) + R"("})");
    ASSERT_TRUE(r.status == 401 || r.status == 429) << r.status << " " << r.body;
    (r.status == 401 ? unauthorized : limited)++;
  }
  EXPECT_LE(unauthorized, 5);
  EXPECT_GE(limited, 995);
  // Even the right password is refused while the limit holds.
  auto r =
      Post("/api/v1/auth/login", R"({"username":"quantri.tinh","password":"motcua-demo-2026"})");
  EXPECT_EQ(r.status, 429);
  EXPECT_TRUE(r.Header("retry-after").has_value());
}

// Captures what the process writes to stderr (where the JSON log goes)
// while alive.
class StderrCapture {
 public:
  StderrCapture()
      : path_(fs::temp_directory_path() / ("motcua-log-" + std::to_string(::getpid()))) {
    std::fflush(stderr);
    saved_ = ::dup(2);
    int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(fd, 2);
    ::close(fd);
  }
  std::string Finish() {
    std::fflush(stderr);
    ::dup2(saved_, 2);
    ::close(saved_);
    std::string text = ReadFile(path_);
    fs::remove(path_);
    return text;
  }

 private:
  fs::path path_;
  int saved_;
};

TEST_P(ApiTest, PasswordsSessionsAndTokensNeverReachTheLog) {
  StderrCapture capture;
  auto login =
      Post("/api/v1/auth/login", R"({"username":"quantri.tinh","password":"motcua-demo-2026"})");
  ASSERT_EQ(login.status, 200);
  std::string cookie(login.Header("set-cookie").value_or(""));
  std::string session =
      cookie.substr(cookie.find('=') + 1, cookie.find(';') - cookie.find('=') - 1);
  std::string csrf(json::parse(login.body).at("csrf_token").as_string());
  http::Headers auth = {{"cookie", "motcua_session=" + session},
                        {"x-csrf-token", csrf},
                        {"content-type", "application/json"}};
  auto token = client_->Send("POST", "/api/v1/auth/tokens", R"({"name":"báo cáo"})", auth);
  ASSERT_EQ(token.status, 201) << token.body;
  std::string secret(json::parse(token.body).at("secret").as_string());
  auto bearer = client_->Send("GET", "/api/v1/auth/me?token=" + secret, "",
                              {{"authorization", "Bearer " + secret}});
  EXPECT_EQ(bearer.status, 200);
  Post("/api/v1/auth/login", R"({"username":"quantri.tinh","password":"a-wrong-guess-123"})");
  std::string log = capture.Finish();
  EXPECT_NE(log.find("\"route\":\"/api/v1/auth/login\""), std::string::npos)
      << "no access log captured";
  for (const std::string& secret_text :
       {std::string("motcua-demo-2026"), std::string("a-wrong-guess-123"), session, csrf, secret}) {
    ASSERT_GT(secret_text.size(), 8u);
    EXPECT_EQ(log.find(secret_text), std::string::npos) << "a secret reached the log";
  }
}

TEST_P(ApiTest, AdministratorCreatesAUnitThatEveryoneCanThenSee) {
  auto auth = SignIn();
  auth.emplace_back("content-type", "application/json");
  auto r = client_->Send(
      "POST", "/api/v1/units",
      R"({"kind":"commune","name":"Xã Thần Sa","agency_code":"000.60.00.H55","stats_code":"05999","parent_id":1,"valid_from":"2025-07-01"})",
      auth);
  ASSERT_EQ(r.status, 201) << r.body;
  auto id = json::parse(r.body).at("id").as_int64();
  http::TestClient anonymous(province_.server().port());
  auto got = anonymous.Send("GET", "/api/v1/units/" + std::to_string(id));
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(json::parse(got.body).at("name").as_string(), "Xã Thần Sa");
}

INSTANTIATE_TEST_SUITE_P(Engines, ApiTest,
                         ::testing::Values(storage::testing::Engine::kSqlite,
                                           storage::testing::Engine::kPostgres),
                         [](const auto& info) { return storage::testing::EngineName(info.param); });

}  // namespace
}  // namespace motcua::app
