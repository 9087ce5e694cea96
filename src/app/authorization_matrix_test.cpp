// The authorisation matrix (issue 19, item 3): every route of the App, as
// `motcua serve` wires it, called by every kind of caller, compared with the
// table tests/authorization/matrix.csv. A route the router serves without a
// row fails, and so does a row naming no route. Personal-data reads must
// leave an access-log entry naming the reader; refused ones none.
#include <gtest/gtest.h>
#include <openssl/x509.h>

#include <boost/json.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "app/internal/test_province.hpp"
#include "app/wiring.hpp"
#include "core/calendar/date.hpp"
#include "core/files/base64.hpp"
#include "documents/signing.hpp"
#include "http/test_client.hpp"
#include "integrations/outbox.hpp"

namespace motcua::app {
namespace {

namespace json = boost::json;
using accounts::Role;

// Commune level, fully online, commune-simple workflow, TP1 and TP2 required.
constexpr std::string_view kProcedure = "1.004873.000.00.00.H56";
constexpr std::string_view kPassword = "motcua-demo-2026";
// Enough for every read of one subject in this test.
constexpr int kLogLimit = 1000;
constexpr std::string_view kApplicant = "Nguyễn Thị Ánh";

TimePoint At(std::string_view text) { return *calendar::ParseMoment(text); }

std::string Source() {
  const char* root = std::getenv("MOTCUA_SOURCE_DIR");  // set by CTest
  return root ? root : ".";
}

std::string Str(const json::value& v) {
  return v.is_string() ? std::string(v.as_string()) : json::serialize(v);
}

struct Row {
  std::string method, pattern, subject;
  bool pii = false;
  std::vector<std::string> expected;  // one per actor, in the file's column order
  int line = 0;
};

struct Table {
  std::vector<std::string> actors;
  std::vector<Row> rows;
};

// The table; '#' lines are its documentation. Cells hold no commas.
Table ReadTable(const std::string& text) {
  Table t;
  std::istringstream in(text);
  std::string line;
  int number = 0;
  auto split = [](const std::string& s) {
    std::vector<std::string> cells;
    std::string cell;
    std::istringstream cs(s);
    while (std::getline(cs, cell, ',')) cells.push_back(cell);
    return cells;
  };
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    auto cells = split(line);
    if (t.actors.empty()) {
      t.actors.assign(cells.begin() + 4, cells.end());
      continue;
    }
    EXPECT_EQ(cells.size(), t.actors.size() + 4) << "matrix.csv line " << number;
    if (cells.size() != t.actors.size() + 4) continue;
    t.rows.push_back({cells[0], cells[1], cells[2], cells[3] == "yes",
                      std::vector<std::string>(cells.begin() + 4, cells.end()), number});
  }
  return t;
}

std::string Outcome(int status) {
  if (status >= 200 && status < 300) return "ok";
  if (status == 401 || status == 403) return "denied";
  if (status == 404) return "hidden";
  return "status " + std::to_string(status);
}

struct Actor {
  std::string name, username;
  std::vector<accounts::RoleBinding> roles;
  std::int64_t user_id = 0;
  http::Headers session;  // cookie and CSRF token; empty for the anonymous caller
  std::string address;    // its own client address, so that per-address limits stay apart
};

// What one cell sends. `dossier` names the dossier whose access log a
// personal-data read must grow.
struct Call {
  std::string method, target, body;
  std::string content_type = "application/json";
  std::int64_t dossier = 0;
  std::optional<http::Headers> session;  // another session of the actor (logout)
  http::Headers extra;                   // more headers (an upload's file name)
};

class AuthorizationMatrixTest : public ::testing::Test {
 protected:
  void SetUp() override {
    http::ServerOptions server;
    server.trusted_proxies = {"127.0.0.1"};  // each actor has its X-Forwarded-For
    pki_ca_ = *documents::MakeDemoCa("Demo CA", "motcua tests", At("2026-01-01T00:00+07:00"), 10);
    auto started =
        province_.Start("authorization-matrix", clock_,
                        {.catalogue = true, .server = server, .trusted_ca_pem = pki_ca_.cert_pem});
    ASSERT_TRUE(started) << started.error().message;
    app_ = &province_.app();
    client_ = &province_.client();
    unit_a_ = UnitId("000.51.00.H55");
    sibling_ = UnitId("000.54.00.H55");
    province_id_ = UnitId("000.00.00.H55");
    below_ = NewCentre("below");
  }

  std::int64_t UnitId(std::string_view agency_code) {
    for (const auto& u : app_->units().Tree()->units())
      if (u.agency_code == agency_code) return u.id;
    ADD_FAILURE() << "no unit " << agency_code;
    return 0;
  }

  // A commune's one-stop centre below A: the only kind of unit that may lie below a commune.
  std::int64_t NewCentre(const std::string& tag) {
    units::Unit u;
    u.kind = units::Kind::kCenter;
    u.name = "Bộ phận một cửa " + tag;
    u.agency_code = "000.51." + std::to_string(10 + centres_++) + ".H55";
    u.parent_id = unit_a_;
    u.valid_from = std::chrono::year{2026} / 1 / 1;
    auto created = app_->units().Create(u);
    EXPECT_TRUE(created) << created.error().message;
    return created ? created->id : 0;
  }

  std::int64_t AddUser(const std::string& username, std::vector<accounts::RoleBinding> roles) {
    auto r = app_->accounts().CreateUser(
        {username, "Người dùng " + username, std::string(kPassword), std::move(roles)});
    EXPECT_TRUE(r) << username << ": " << r.error().message;
    return r ? r->id : 0;
  }

  http::Headers SignIn(const std::string& username, const std::string& address) {
    auto r = client_->Send(
        "POST", "/api/v1/auth/login",
        R"({"username":")" + username + R"(","password":")" + std::string(kPassword) + R"("})",
        {{"content-type", "application/json"}, {"x-forwarded-for", address}});
    EXPECT_EQ(r.status, 200) << username << ": " << r.body;
    if (r.status != 200) return {};
    std::string cookie(r.Header("set-cookie").value_or(""));
    cookie = cookie.substr(0, cookie.find(';'));
    return {{"cookie", cookie},
            {"x-csrf-token", std::string(json::parse(r.body).at("csrf_token").as_string())}};
  }

  Actor& Add(const std::string& name, std::vector<accounts::RoleBinding> roles) {
    Actor a{name, "mx." + name, roles, 0, {}, "10.0.0." + std::to_string(actors_.size() + 1)};
    if (name != "anonymous") a.user_id = AddUser(a.username, roles);
    actors_[name] = std::move(a);
    return actors_[name];
  }

  void SignInAll() {
    for (auto& [name, a] : actors_)
      if (a.user_id) a.session = SignIn(a.username, a.address);
  }

  http::Response Send(const Actor& a, const std::string& method, const std::string& target,
                      std::string body = {}, const std::string& type = "application/json",
                      const http::Headers* session = nullptr, const http::Headers& extra = {}) {
    http::Headers h = session ? *session : a.session;
    h.insert(h.end(), extra.begin(), extra.end());
    h.emplace_back("x-forwarded-for", a.address);
    if (!body.empty()) h.emplace_back("content-type", type);
    return client_->Send(method, target, std::move(body), h);
  }

  json::object Json(const http::Response& r) {
    boost::system::error_code ec;
    auto v = json::parse(r.body, ec);
    if (ec || !v.is_object()) return {};
    return v.as_object();
  }

  http::Response Expect(int status, const Actor& a, const std::string& method,
                        const std::string& target, std::string body = {},
                        const std::string& type = "application/json") {
    auto r = Send(a, method, target, std::move(body), type);
    EXPECT_EQ(r.status, status) << method << " " << target << " as " << a.name << ": " << r.body;
    return r;
  }

  std::string Upload(const Actor& a) {
    http::Headers h = a.session;
    h.emplace_back("x-forwarded-for", a.address);
    h.emplace_back("content-type", "application/pdf");
    h.emplace_back("x-file-name", "don.pdf");
    auto r = client_->Send("POST", "/api/v1/attachments", "%PDF-1.4\n% a scanned page\n%%EOF\n", h);
    EXPECT_EQ(r.status, 201) << r.body;
    return Str(Json(r)["id"]);
  }

  std::string SubmitBody(const Actor& a) {
    return R"({"procedure_code":")" + std::string(kProcedure) + R"(","unit_id":)" +
           std::to_string(unit_a_) + R"(,"consent":true,"applicant":{"full_name":")" +
           std::string(kApplicant) +
           R"(","id_number":"001203004567","phone":"0912345678"},"files":[{"attachment_id":")" +
           Upload(a) + R"(","component_code":"TP1"},{"attachment_id":")" + Upload(a) +
           R"(","component_code":"TP2"}]})";
  }

  struct Dossier {
    std::int64_t id = 0;
    std::string number, secret, path;
  };

  // A dossier at A, online from the owner or at A's counter, taken through `actions`.
  Dossier NewDossier(std::vector<std::pair<std::string, std::string>> actions,
                     bool at_counter = false) {
    // Past the citizens' submission limit (30 in any 10 minutes). Sessions
    // idle out after 30 minutes without a request, and every actor makes one
    // in every row, so they outlive these steps.
    if (!at_counter && ++owner_submissions_ % 25 == 0) clock_.Advance(std::chrono::minutes(11));
    const Actor& by = at_counter ? actors_["officer_a"] : actors_["owner"];
    auto created = Json(Expect(201, by, "POST", "/api/v1/dossiers", SubmitBody(by)));
    Dossier d;
    if (!created.contains("dossier")) return d;
    d.id = created["dossier"].as_object()["id"].as_int64();
    d.number = Str(created["dossier"].as_object()["number"]);
    d.secret = Str(created["lookup_secret"]);
    d.path = "/api/v1/dossiers/" + std::to_string(d.id);
    for (const auto& [who, action] : actions) {
      std::string body = "{}";
      if (action == "refuse") body = R"({"reason":"Thiếu giấy tờ"})";
      if (action == "request_supplement")
        body =
            R"({"reason":"Bản chụp mờ","items":[{"component_code":"TP2","description":"Chụp lại"}]})";
      Expect(200, actors_[who], "POST", d.path + "/actions/" + action, body);
    }
    return d;
  }

  static std::vector<std::pair<std::string, std::string>> ToProcessing() {
    return {{"officer_a", "accept"}, {"specialist_a", "start_processing"}};
  }

  void Draft(const Dossier& d) {
    Expect(200, actors_["specialist_a"], "PUT", d.path + "/result",
           R"({"generate":true,"content":"Xác nhận tình trạng hôn nhân: chưa đăng ký kết hôn."})");
  }

  std::string ProcedureBody(const std::string& code, const std::string& from) {
    return R"({"code":")" + code +
           R"(","name":"Thủ tục thử","field":"Hộ tịch","levels":["commune"],"online_mode":"full",)"
           R"("time_limit":{"value":3,"unit":"working_days"},"cutoff_1500":false,"fees":[],)"
           R"("components":[{"code":"TP1","name":"Tờ khai","originals":1,"copies":0,)"
           R"("required":true}],"result_kind":"certificate","workflow_code":"commune-simple",)"
           R"("effective_from":")" +
           from + R"(","status":"published"})";
  }

  std::string FreshProcedure() {
    const std::string code = "9.9" + std::to_string(10000 + procedures_++) + ".000.00.00.H56";
    Expect(201, actors_["system_admin"], "POST", "/api/v1/procedures",
           ProcedureBody(code, "2026-01-01"));
    return code;
  }

  // A new certificate of the demo CA (its own key), as a leader's signing file holds it.
  std::string NewCertificateBody(const std::string& name) {
    auto p12 = documents::MakeDemoSigner(pki_ca_, name, "UBND phường Phan Đình Phùng", "p",
                                         At("2026-01-01T00:00+07:00"), 3);
    EXPECT_TRUE(p12);
    auto identity = documents::SigningIdentity::FromPkcs12(*p12, "p");
    EXPECT_TRUE(identity);
    unsigned char* der = nullptr;
    const int n = i2d_X509(identity->x509(), &der);
    std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(n));
    OPENSSL_free(der);
    return json::serialize(json::object{{"certificate", files::EncodeBase64(out)}});
  }

  std::string Unique(const std::string& prefix) { return prefix + std::to_string(++unique_); }

  // The request each row sends as `a`: path parameters from the row's
  // subject, a body valid enough that an allowed call succeeds.
  using Builder = std::function<Call(const Actor&)>;
  std::map<std::string, Builder> Builders();

  FakeClock clock_{At("2026-12-02T08:00+07:00")};  // a Wednesday, office hours
  documents::DemoCa pki_ca_;
  internal::TestProvince province_;
  App* app_ = nullptr;
  http::TestClient* client_ = nullptr;
  std::map<std::string, Actor> actors_;
  std::int64_t unit_a_ = 0, below_ = 0, sibling_ = 0, province_id_ = 0;
  int centres_ = 0, procedures_ = 0, owner_submissions_ = 0, unique_ = 0;
  // The shared subjects (read-only rows use them).
  Dossier d_, p_;
  std::string sign_body_, cert_body_, cert_path_;
  std::string d_file_, staged_, result_code_, result_pdf_, bystander_token_;
  std::int64_t leader_a_id_ = 0;
};

std::map<std::string, AuthorizationMatrixTest::Builder> AuthorizationMatrixTest::Builders() {
  auto get = [](std::string target, std::int64_t dossier = 0) -> Builder {
    return [=](const Actor&) { return Call{"GET", target, "", "application/json", dossier}; };
  };
  auto post = [](std::string target, std::string body) -> Builder {
    return [=](const Actor&) { return Call{"POST", target, body}; };
  };
  const std::string a = std::to_string(unit_a_);
  std::map<std::string, Builder> b;
  b["GET /healthz|-"] = get("/healthz");
  b["GET /metrics|-"] = get("/metrics");
  b["GET /api/v1/openapi.json|-"] = get("/api/v1/openapi.json");
  b["POST /api/v1/auth/login|own credentials"] = [this](const Actor& who) {
    const std::string user = who.user_id ? who.username : "mx.owner";
    return Call{"POST", "/api/v1/auth/login",
                R"({"username":")" + user + R"(","password":")" + std::string(kPassword) + R"("})"};
  };
  b["POST /api/v1/auth/logout|own fresh session"] = [this](const Actor& who) {
    Call c{"POST", "/api/v1/auth/logout", ""};
    if (who.user_id) c.session = SignIn(who.username, who.address);
    return c;
  };
  b["GET /api/v1/auth/me|-"] = get("/api/v1/auth/me");
  b["POST /api/v1/auth/register|new username"] = [this](const Actor&) {
    return Call{"POST", "/api/v1/auth/register",
                R"({"username":")" + Unique("mx.moi") +
                    R"(","display_name":"Trần Văn Mới","password":"mot-mat-khau-dai-2026"})"};
  };
  b["POST /api/v1/auth/password|fresh account like the actor"] = [this](const Actor& who) {
    Call c{"POST", "/api/v1/auth/password",
           R"({"old_password":")" + std::string(kPassword) +
               R"(","new_password":"mot-mat-khau-moi-2026"})"};
    if (who.user_id) {
      const std::string name = Unique("mx.clone");
      AddUser(name, who.roles);
      c.session = SignIn(name, who.address);
    }
    return c;
  };
  b["GET /api/v1/auth/tokens|-"] = get("/api/v1/auth/tokens");
  b["POST /api/v1/auth/tokens|-"] = post("/api/v1/auth/tokens", R"({"name":"máy chủ báo cáo"})");
  b["DELETE /api/v1/auth/tokens/{id}|own token"] = [this](const Actor& who) {
    std::string id = "1";
    if (who.user_id)
      id = Str(Json(Expect(201, who, "POST", "/api/v1/auth/tokens", R"({"name":"x"})"))["token"]
                   .as_object()["id"]);
    return Call{"DELETE", "/api/v1/auth/tokens/" + id, ""};
  };
  b["DELETE /api/v1/auth/tokens/{id}|token of another account"] = [this](const Actor&) {
    return Call{"DELETE", "/api/v1/auth/tokens/" + bystander_token_, ""};
  };
  b["GET /api/v1/users|-"] = get("/api/v1/users");
  b["POST /api/v1/users|officer of A"] = [this, a](const Actor&) {
    return Call{"POST", "/api/v1/users",
                R"({"username":")" + Unique("mx.new") +
                    R"(","display_name":"Cán bộ mới","password":"mot-mat-khau-dai-2026",)"
                    R"("roles":[{"role":"officer","unit_id":)" +
                    a + "}]}"};
  };
  b["GET /api/v1/users/{id}|officer of A"] =
      get("/api/v1/users/" + std::to_string(actors_["officer_a"].user_id));
  b["GET /api/v1/users/{id}|citizen account"] =
      get("/api/v1/users/" + std::to_string(actors_["owner"].user_id));
  auto fresh_officer = [this]() {
    return AddUser(Unique("mx.fresh"), {{Role::kOfficer, unit_a_, false}});
  };
  b["PATCH /api/v1/users/{id}|fresh officer of A"] = [fresh_officer](const Actor&) {
    return Call{"PATCH", "/api/v1/users/" + std::to_string(fresh_officer()),
                R"({"display_name":"Tên mới"})"};
  };
  b["PUT /api/v1/users/{id}/roles|fresh officer of A"] = [fresh_officer, a](const Actor&) {
    return Call{"PUT", "/api/v1/users/" + std::to_string(fresh_officer()) + "/roles",
                R"({"roles":[{"role":"specialist","unit_id":)" + a + "}]}"};
  };
  b["GET /api/v1/users/{id}/certificates|leader of A"] =
      get("/api/v1/users/" + std::to_string(leader_a_id_) + "/certificates");
  b["POST /api/v1/users/{id}/certificates|fresh leader of A"] = [this](const Actor&) {
    // A certificate registers once: a new one (a new RSA key, which takes a
    // while) only after the last was taken.
    if (cert_body_.empty() ||
        !Json(Expect(200, actors_["system_admin"], "GET", cert_path_))["items"].as_array().empty())
      cert_body_ = NewCertificateBody(Unique("Lãnh đạo "));
    const auto id = AddUser(Unique("mx.leader"), {{Role::kUnitLeader, unit_a_, true}});
    cert_path_ = "/api/v1/users/" + std::to_string(id) + "/certificates";
    return Call{"POST", cert_path_, cert_body_};
  };
  b["DELETE /api/v1/users/{id}/certificates/{certificate}|fresh leader of A with a certificate"] =
      [this](const Actor&) {
        const std::string name = Unique("mx.leader");
        const auto id = AddUser(name, {{Role::kUnitLeader, unit_a_, true}});
        // Registered as `motcua demo` does: revoking reads only the row.
        documents::CertificateInfo info{
            .subject = "Lãnh đạo " + name,
            .issuer = "Demo CA",
            .serial = std::to_string(id),
            .sha256 = std::string(64 - std::to_string(id).size(), 'a') + std::to_string(id),
            .not_before = At("2026-01-01T00:00+07:00"),
            .not_after = At("2029-01-01T00:00+07:00")};
        EXPECT_TRUE(app_->accounts().RegisterSetupCertificate(name, info));
        const std::string path = "/api/v1/users/" + std::to_string(id) + "/certificates";
        auto list = Json(Expect(200, actors_["system_admin"], "GET", path));
        return Call{"DELETE", path + "/" + Str(list["items"].as_array().at(0).at("id")), ""};
      };
  b["GET /api/v1/units|-"] = get("/api/v1/units");
  b["POST /api/v1/units|new centre below A"] = [this, a](const Actor&) {
    return Call{"POST", "/api/v1/units",
                R"({"kind":"center","name":"Bộ phận một cửa mới","agency_code":"000.51.)" +
                    std::to_string(10 + centres_++) + R"(.H55","parent_id":)" + a +
                    R"(,"valid_from":"2026-12-01"})"};
  };
  b["POST /api/v1/units/import|new centre below A"] = [this](const Actor&) {
    return Call{"POST", "/api/v1/units/import",
                "agency_code,stats_code,name,name_en,kind,parent_agency_code,valid_from,valid_to,"
                "successor_agency_codes\n000.51." +
                    std::to_string(10 + centres_++) +
                    ".H55,,Bộ phận một cửa nhập,,center,000.51.00.H55,2026-12-01,,\n",
                "text/csv"};
  };
  b["GET /api/v1/units/{id}|unit A"] = get("/api/v1/units/" + a);
  b["PATCH /api/v1/units/{id}|fresh centre below A"] = [this](const Actor&) {
    return Call{"PATCH", "/api/v1/units/" + std::to_string(NewCentre("sửa")),
                R"({"name":"Bộ phận một cửa đổi tên"})"};
  };
  b["POST /api/v1/units/{id}/retire|fresh centre below A"] = [this](const Actor&) {
    return Call{"POST", "/api/v1/units/" + std::to_string(NewCentre("giải thể")) + "/retire",
                R"({"date":"2026-12-31"})"};
  };
  // The integration spine's administration: a message the national portal
  // refused for good, made for each call (this province syncs nothing).
  auto dead_message = [this] {
    std::int64_t id = 0;
    const std::string key = Unique("mx.outbox");
    Status s = province_.store().WriteSync([&](storage::Tx& tx) -> Status {
      const TimePoint now = clock_.Now();
      MOTCUA_TRY_VOID(integrations::Enqueue(
          tx, {"dvcqg", "dossier_sync", "dossier:" + key, std::nullopt, std::nullopt, "{}", key},
          now));
      id = MOTCUA_TRY(tx.Query("SELECT MAX(id) FROM outbox")).at(0).Int(0);
      return integrations::MarkDead(tx, id, now, 1, "error_code -2: Trường MaTTHC không hợp lệ");
    });
    EXPECT_TRUE(s) << s.error().message;
    return std::to_string(id);
  };
  b["GET /api/v1/integrations/outbox|-"] = get("/api/v1/integrations/outbox?state=dead");
  b["POST /api/v1/integrations/outbox/{id}/retry|fresh dead message"] =
      [dead_message](const Actor&) {
        return Call{"POST", "/api/v1/integrations/outbox/" + dead_message() + "/retry", "{}"};
      };
  b["POST /api/v1/integrations/outbox/{id}/discard|fresh dead message"] =
      [dead_message](const Actor&) {
        return Call{"POST", "/api/v1/integrations/outbox/" + dead_message() + "/discard",
                    R"({"reason":"Cổng đã có hồ sơ từ hệ thống khác"})"};
      };
  // The national portal's push: it authenticates with the province's token
  // for the portal (none is configured here), never with a session.
  b["GET /api/v1/dossiers/{id}/notifications|dossier D"] = get(d_.path + "/notifications");
  b["PUT /api/v1/dossiers/{id}/notifications|dossier D"] = [this](const Actor&) {
    return Call{"PUT", d_.path + "/notifications", R"({"language":"vi"})"};
  };
  b["POST /api/v1/notifications/stop|a forged link"] =
      post("/api/v1/notifications/stop",
           R"({"number":")" + d_.number + R"(","token":"AAAAAAAAAAAAAAAAAAAAAA"})");
  b["GET /api/v1/account/notifications|-"] = get("/api/v1/account/notifications");
  b["PUT /api/v1/account/notifications|own digest"] = [](const Actor&) {
    return Call{"PUT", "/api/v1/account/notifications",
                R"({"email":"canbo@example.org","daily_digest":true,"language":"vi"})"};
  };
  b["POST /api/v1/integrations/dvcqg/dossiers|a record from the portal"] = [](const Actor&) {
    return Call{
        "POST", "/api/v1/integrations/dvcqg/dossiers",
        R"({"MaHoSo":"G22.99-261207-0001","MaTTHC":"1.004873.000.00.00.H56",)"
        R"("MaCoQuanTiepNhan":"000.51.00.H55","ChuHoSo":"Hoàng Thị Cổng","TaiLieuNop":[]})"};
  };
  b["GET /api/v1/procedures|-"] = get("/api/v1/procedures?q=hon+nhan");
  b["POST /api/v1/procedures|new code"] = [this](const Actor&) {
    return Call{"POST", "/api/v1/procedures",
                ProcedureBody("9.8" + std::to_string(10000 + procedures_++) + ".000.00.00.H56",
                              "2026-01-01")};
  };
  b["POST /api/v1/procedures/import|new code"] = [this](const Actor&) {
    return Call{"POST", "/api/v1/procedures/import",
                "[" +
                    ProcedureBody("9.7" + std::to_string(10000 + procedures_++) + ".000.00.00.H56",
                                  "2026-01-01") +
                    "]"};
  };
  const std::string proc = "/api/v1/procedures/" + std::string(kProcedure);
  b["GET /api/v1/procedures/{code}|demo procedure"] = get(proc);
  b["GET /api/v1/procedures/{code}/versions|demo procedure"] = get(proc + "/versions");
  b["POST /api/v1/procedures/{code}/versions|fresh procedure"] = [this](const Actor&) {
    const std::string code = FreshProcedure();
    return Call{"POST", "/api/v1/procedures/" + code + "/versions",
                ProcedureBody(code, "2027-01-01")};
  };
  b["POST /api/v1/procedures/{code}/retire|fresh procedure"] = [this](const Actor&) {
    return Call{"POST", "/api/v1/procedures/" + FreshProcedure() + "/retire",
                R"({"date":"2027-01-01"})"};
  };
  b["GET /api/v1/procedure-fields|-"] = get("/api/v1/procedure-fields");
  b["POST /api/v1/attachments|-"] = [](const Actor&) {
    Call c{"POST", "/api/v1/attachments", "%PDF-1.4\n%%EOF\n", "application/pdf"};
    c.extra = {{"x-file-name", "don.pdf"}};
    return c;
  };
  b["GET /api/v1/attachments/{id}|owner's staged file"] = get("/api/v1/attachments/" + staged_);
  b["GET /api/v1/attachments/{id}|file of dossier D"] =
      get("/api/v1/attachments/" + d_file_, d_.id);
  b["DELETE /api/v1/attachments/{id}|owner's fresh staged file"] = [this](const Actor&) {
    return Call{"DELETE", "/api/v1/attachments/" + Upload(actors_["owner"]), ""};
  };
  b["GET /api/v1/attachments/{id}/meta|owner's staged file"] =
      get("/api/v1/attachments/" + staged_ + "/meta");
  b["GET /api/v1/attachments/{id}/meta|file of dossier D"] =
      get("/api/v1/attachments/" + d_file_ + "/meta", d_.id);
  b["GET /api/v1/dossiers|watch of A"] = get("/api/v1/dossiers?unit=" + a);
  b["POST /api/v1/dossiers|new dossier at A"] = [this](const Actor& who) {
    // Each caller names files of their own; the anonymous one has none.
    const bool owner_like = who.name == "owner" || who.name == "other_citizen";
    if (owner_like && ++owner_submissions_ % 25 == 0) clock_.Advance(std::chrono::minutes(11));
    return Call{"POST", "/api/v1/dossiers",
                who.user_id ? SubmitBody(who) : SubmitBody(actors_["owner"])};
  };
  b["GET /api/v1/dossiers/{id}|dossier D"] = get(d_.path, d_.id);
  auto action = [this](std::vector<std::pair<std::string, std::string>> before,
                       std::string name) -> Builder {
    return [=, this](const Actor&) {
      Dossier d = NewDossier(before);
      return Call{"POST", d.path + "/actions/" + name,
                  name == "withdraw" ? R"({"reason":"Không cần nữa"})" : "{}"};
    };
  };
  const std::string acts = "POST /api/v1/dossiers/{id}/actions/{action}|";
  b[acts + "accept: fresh received dossier"] = action({}, "accept");
  b[acts + "start_processing: fresh accepted dossier"] =
      action({{"officer_a", "accept"}}, "start_processing");
  b[acts + "approve: fresh dossier awaiting approval"] =
      action({{"officer_a", "accept"},
              {"specialist_a", "start_processing"},
              {"specialist_a", "submit_for_approval"}},
             "approve");
  b[acts + "withdraw: fresh received dossier"] = action({}, "withdraw");
  b["POST /api/v1/dossiers/{id}/apology|fresh accepted dossier"] = [this](const Actor&) {
    Dossier d = NewDossier({{"officer_a", "accept"}});
    return Call{"POST", d.path + "/apology",
                R"({"new_due_at":"2026-12-30T16:00:00+07:00","reason":"Cần xác minh thêm"})"};
  };
  b["POST /api/v1/dossiers/{id}/rating|fresh refused dossier"] = [this](const Actor&) {
    Dossier d = NewDossier({{"officer_a", "refuse"}});
    return Call{"POST", d.path + "/rating", R"({"level":3})"};
  };
  b["POST /api/v1/dossiers/{id}/receipt|dossier D"] = [this](const Actor&) {
    return Call{"POST", d_.path + "/receipt", R"({"secret":")" + d_.secret + R"("})",
                "application/json", d_.id};
  };
  b["GET /api/v1/dossiers/{id}/control-sheet|dossier D"] = get(d_.path + "/control-sheet", d_.id);
  b["GET /api/v1/dossiers/{id}/forms/{form}|form 02 of dossier D"] =
      get(d_.path + "/forms/02", d_.id);
  b["GET /api/v1/dossiers/{id}/access-log|dossier D"] = get(d_.path + "/access-log", d_.id);
  b["GET /api/v1/inbox|-"] = get("/api/v1/inbox");
  b["GET /api/v1/me/dossiers|-"] = get("/api/v1/me/dossiers");
  b["GET /api/v1/lookup|dossier D"] =
      get("/api/v1/lookup?number=" + d_.number + "&secret=" + d_.secret);
  b["POST /api/v1/lookup/rating|fresh refused counter dossier"] = [this](const Actor&) {
    Dossier d = NewDossier({{"officer_a", "refuse"}}, true);
    return Call{"POST", "/api/v1/lookup/rating",
                R"({"number":")" + d.number + R"(","secret":")" + d.secret + R"(","level":2})"};
  };
  b["GET /api/v1/workflows|-"] = get("/api/v1/workflows");
  b["POST /api/v1/workflows/check|commune-simple"] =
      post("/api/v1/workflows/check",
           internal::TestProvince::ReadFile(Source() + "/data/workflows/commune-simple.json"));
  b["GET /api/v1/workflows/{code}|commune-simple"] = get("/api/v1/workflows/commune-simple");
  b["GET /api/v1/workflows/{code}/definition|commune-simple"] =
      get("/api/v1/workflows/commune-simple/definition");
  b["GET /api/v1/holidays|-"] = get("/api/v1/holidays?year=2027");
  b["GET /api/v1/holidays/{year}/table|2026"] = get("/api/v1/holidays/2026/table");
  b["POST /api/v1/holidays/check|2026"] =
      post("/api/v1/holidays/check?year=2026",
           internal::TestProvince::ReadFile(Source() + "/data/holidays/2026.toml"));
  b["GET /api/v1/dossiers/{id}/result|dossier D"] = get(d_.path + "/result", d_.id);
  b["PUT /api/v1/dossiers/{id}/result|dossier P in processing"] = [this](const Actor&) {
    return Call{"PUT", p_.path + "/result", R"({"generate":true,"content":"Bản thảo."})"};
  };
  b["POST /api/v1/dossiers/{id}/result/sign|fresh dossier with a draft"] = [this](const Actor&) {
    Dossier d = NewDossier(ToProcessing());
    Draft(d);
    return Call{"POST", d.path + "/result/sign", sign_body_};
  };
  b["GET /api/v1/dossiers/{id}/result/file|dossier D"] = get(d_.path + "/result/file", d_.id);
  b["GET /api/v1/dossiers/{id}/result/file|draft of dossier P"] =
      get(p_.path + "/result/file", p_.id);
  b["GET /api/v1/verify/{code}|dossier D"] = get("/api/v1/verify/" + result_code_);
  b["POST /api/v1/verify|dossier D's file"] = [this](const Actor&) {
    return Call{"POST", "/api/v1/verify?code=" + result_code_, result_pdf_, "application/pdf"};
  };
  b["GET /api/v1/statistics|A 2026-12"] = get("/api/v1/statistics?unit=" + a + "&period=2026-12");
  b["GET /api/v1/reports/decree09|A bc-2026-12"] =
      get("/api/v1/reports/decree09?unit=" + a + "&period=bc-2026-12");
  return b;
}

TEST_F(AuthorizationMatrixTest, EveryRouteAnswersEveryActorAsTheTableSays) {
  const Table table =
      ReadTable(internal::TestProvince::ReadFile(Source() + "/tests/authorization/matrix.csv"));
  ASSERT_FALSE(table.rows.empty());

  // Each actor: the table's column names bound to the roles and scopes they stand for.
  const std::map<std::string, std::vector<accounts::RoleBinding>> kRoles = {
      {"anonymous", {}},
      {"owner", {{Role::kCitizen, 0, false}}},
      {"other_citizen", {{Role::kCitizen, 0, false}}},
      {"officer_a", {{Role::kOfficer, unit_a_, false}}},
      {"specialist_a", {{Role::kSpecialist, unit_a_, false}}},
      {"leader_a", {{Role::kUnitLeader, unit_a_, true}}},
      {"officer_below", {{Role::kOfficer, below_, false}}},
      {"specialist_below", {{Role::kSpecialist, below_, false}}},
      {"leader_below", {{Role::kUnitLeader, below_, true}}},
      {"officer_sibling", {{Role::kOfficer, sibling_, false}}},
      {"specialist_sibling", {{Role::kSpecialist, sibling_, false}}},
      {"leader_sibling", {{Role::kUnitLeader, sibling_, true}}},
      {"leader_province", {{Role::kUnitLeader, province_id_, true}}},
      {"admin_sibling", {{Role::kProvinceAdmin, sibling_, true}}},
      {"province_admin", {{Role::kProvinceAdmin, province_id_, true}}},
      {"system_admin", {{Role::kSystemAdmin, province_id_, true}}}};
  for (const auto& name : table.actors) {
    ASSERT_TRUE(kRoles.contains(name)) << "matrix.csv names an unknown actor " << name;
    Add(name, kRoles.at(name));
  }
  ASSERT_EQ(actors_.size(), kRoles.size()) << "matrix.csv lacks an actor column";
  leader_a_id_ = actors_["leader_a"].user_id;
  const std::int64_t bystander = AddUser("mx.bystander", {{Role::kCitizen, 0, false}});
  ASSERT_NE(bystander, 0);
  SignInAll();

  // The leader of A signs with a file registered to their account.
  const auto leader_p12 =
      *documents::MakeDemoSigner(pki_ca_, "Ngô Quang Huy", "UBND phường Phan Đình Phùng",
                                 "p12-pass", At("2026-01-01T00:00+07:00"), 3);
  {
    auto identity = documents::SigningIdentity::FromPkcs12(leader_p12, "p12-pass");
    ASSERT_TRUE(identity);
    ASSERT_TRUE(app_->accounts().RegisterSetupCertificate("mx.leader_a", identity->certificate()));
    sign_body_ = json::serialize(
        json::object{{"pkcs12", files::EncodeBase64(leader_p12)}, {"password", "p12-pass"}});
  }
  {
    Actor b{"bystander", "mx.bystander", {}, bystander, {}, "10.0.1.1"};
    b.session = SignIn(b.username, b.address);
    bystander_token_ =
        Str(Json(Expect(201, b, "POST", "/api/v1/auth/tokens", R"({"name":"x"})"))["token"]
                .as_object()["id"]);
  }

  // D: the owner's dossier, through a request for supplements (form 02) to
  // a signed result. P: in processing with a draft result.
  d_ = NewDossier({{"officer_a", "accept"},
                   {"specialist_a", "start_processing"},
                   {"specialist_a", "request_supplement"},
                   {"owner", "supplement"},
                   {"specialist_a", "submit_for_approval"},
                   {"leader_a", "approve"}});
  ASSERT_NE(d_.id, 0);
  Draft(d_);
  auto signed_result =
      Json(Expect(200, actors_["leader_a"], "POST", d_.path + "/result/sign", sign_body_));
  result_code_ = Str(signed_result["code"]);
  result_pdf_ = Expect(200, actors_["owner"], "GET", d_.path + "/result/file").body;
  auto detail = Json(Expect(200, actors_["owner"], "GET", d_.path));
  ASSERT_TRUE(detail.contains("files")) << json::serialize(detail);
  d_file_ = Str(detail["files"].as_array().at(0).at("id"));
  p_ = NewDossier(ToProcessing());
  Draft(p_);
  staged_ = Upload(actors_["owner"]);
  // The statistics answer 503 until the server has counted every dossier.
  for (int i = 0; i < 200; ++i) {
    if (Send(actors_["system_admin"], "GET",
             "/api/v1/statistics?unit=" + std::to_string(unit_a_) + "&period=2026-12")
            .status != 503)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }

  auto builders = Builders();
  std::set<std::string> routes, rows;
  for (const auto& route : app_->router().routes())
    routes.insert(route.method + " " + route.pattern);
  for (const auto& row : table.rows) rows.insert(row.method + " " + row.pattern);
  for (const auto& r : routes) EXPECT_TRUE(rows.contains(r)) << "no row in matrix.csv for " << r;
  for (const auto& r : rows) EXPECT_TRUE(routes.contains(r)) << "matrix.csv names no route: " << r;

  int cells = 0, pii_reads = 0, failures = 0;
  for (const Row& row : table.rows) {
    const std::string key = row.method + " " + row.pattern + "|" + row.subject;
    auto builder = builders.find(key);
    if (builder == builders.end()) {
      ADD_FAILURE() << "matrix.csv line " << row.line << ": no request for " << key;
      continue;
    }
    for (std::size_t i = 0; i < table.actors.size(); ++i) {
      const Actor& actor = actors_[table.actors[i]];
      const std::string& expected = row.expected[i];
      Call call = builder->second(actor);
      EXPECT_EQ(call.method, row.method) << key;
      const std::size_t logged_before =
          call.dossier ? app_->access_log().List("dossier", call.dossier, kLogLimit)->size() : 0;
      auto r = Send(actor, call.method, call.target, call.body, call.content_type,
                    call.session ? &*call.session : nullptr, call.extra);
      ++cells;
      const std::string got = Outcome(r.status);
      if (got != expected) {
        ++failures;
        ADD_FAILURE() << "matrix.csv line " << row.line << ": " << key << " as " << actor.name
                      << ": expected " << expected << ", got " << r.status << " "
                      << r.body.substr(0, 300);
      }
      if (!row.pii) continue;
      ASSERT_NE(call.dossier, 0) << key << ": a personal-data read names its dossier";
      ++pii_reads;
      auto after = app_->access_log().List("dossier", call.dossier, kLogLimit);
      ASSERT_TRUE(after);
      if (got == "ok") {
        // The newest entry: this read, by this reader, on this route.
        EXPECT_EQ(after->size(), logged_before + 1) << key << " as " << actor.name;
        if (!after->empty()) {
          EXPECT_EQ(after->front().record.user_id, actor.user_id) << key << " as " << actor.name;
          EXPECT_EQ(after->front().record.route, row.method + " " + row.pattern)
              << key << " as " << actor.name;
        }
      } else {
        EXPECT_EQ(after->size(), logged_before) << key << " as " << actor.name;
        EXPECT_EQ(r.body.find(kApplicant), std::string::npos) << key << " as " << actor.name;
      }
    }
  }

  // Every state-changing route refuses a session without its CSRF token,
  // whoever signed in: the refusal comes before the handler.
  int csrf = 0;
  const Actor& admin = actors_["system_admin"];
  for (const auto& route : app_->router().routes()) {
    if (route.method == "GET") continue;
    std::string target = route.pattern;
    for (auto pos = target.find('{'); pos != std::string::npos; pos = target.find('{'))
      target.replace(pos, target.find('}', pos) - pos + 1, "1");
    http::Headers h = {admin.session.at(0),
                       {"x-forwarded-for", admin.address},
                       {"content-type", "application/json"}};
    auto r = client_->Send(route.method, target, "{}", h);
    EXPECT_EQ(r.status, 403) << route.method << " " << route.pattern
                             << " without CSRF token: " << r.body;
    EXPECT_NE(r.body.find("CSRF"), std::string::npos) << route.method << " " << route.pattern;
    ++csrf;
  }

  RecordProperty("routes", static_cast<int>(routes.size()));
  RecordProperty("cells", cells);
  RecordProperty("personal_data_reads", pii_reads);
  std::printf(
      "authorization matrix: %zu routes in %zu rows x %zu actors = %d cells (%d failed), "
      "%d personal-data reads checked, %d state-changing routes refused without CSRF\n",
      routes.size(), table.rows.size(), table.actors.size(), cells, failures, pii_reads, csrf);
}

}  // namespace
}  // namespace motcua::app
