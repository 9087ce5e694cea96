// Dossiers through the HTTP API exactly as `motcua serve` wires it: the demo
// province, catalogue and workflows, a real server on port 0, a real SQLite
// database and a clock the test moves. What a citizen, an officer, a
// specialist and a leader would see at each step of a dossier's life.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <future>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "app/internal/test_province.hpp"
#include "app/wiring.hpp"
#include "core/calendar/date.hpp"
#include "core/stats/periods.hpp"
#include "documents/signing.hpp"
#include "documents/test_tools.hpp"
#include "http/server.hpp"
#include "http/test_client.hpp"
#include "storage/events_repo.hpp"

namespace motcua::app {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using accounts::Role;

// Cấp Giấy xác nhận tình trạng hôn nhân: commune level, fully online,
// 3 working days, commune-simple workflow, TP1 and TP2 required, 15,000 VND.
constexpr std::string_view kProcedure = "1.004873.000.00.00.H56";
constexpr std::string_view kPassword = "motcua-demo-2026";

TimePoint At(std::string_view text) { return *calendar::ParseMoment(text); }

struct Session {
  std::string username;
  http::Headers headers;  // cookie and CSRF token
  TimePoint signed_in{};
};

class DossierApiTest : public ::testing::TestWithParam<storage::testing::Engine> {
 protected:
  void SetUp() override {
    auto started = province_.Start(
        std::string("dossier-") + ::testing::UnitTest::GetInstance()->current_test_info()->name(),
        clock_, {.catalogue = true, .engine = GetParam(), .trusted_ca_pem = Pki().ca.cert_pem});
    ASSERT_TRUE(started) << started.error().message;
    app_ = &province_.app();
    store_ = &province_.store();
    server_ = &province_.server();
    client_ = &province_.client();
    commune_ = UnitId("000.51.00.H55");        // Phường Phan Đình Phùng
    other_commune_ = UnitId("000.54.00.H55");  // Xã Ba Bể
    AddUser("congdan", Role::kCitizen, 0, false);
    AddUser("congdan2", Role::kCitizen, 0, false);
    AddUser("motcua.pdp", Role::kOfficer, commune_, false);
    AddUser("motcua.pdp2", Role::kOfficer, commune_, false);
    AddUser("chuyenvien.pdp", Role::kSpecialist, commune_, false);
    AddUser("lanhdao.pdp", Role::kUnitLeader, commune_, true);
    AddUser("motcua.babe", Role::kOfficer, other_commune_, false);
    center_ = UnitId("000.00.01.H55");
    justice_ = UnitId("000.00.02.H55");  // Sở Tư pháp
    AddUser("motcua.tinh", Role::kOfficer, center_, false);
    AddUser("chuyenvien.tuphap", Role::kSpecialist, justice_, false);
    AddUser("lanhdao.tuphap", Role::kUnitLeader, justice_, true);
  }

  // Whatever a test did, every dossier's row is what its history in the
  // event log says, replayed through the workflow and the clock: the figures
  // counted from either are the same.
  void TearDown() override {
    if (app_ == nullptr || ::testing::Test::HasFatalFailure()) return;
    auto check = app_->statistics().CheckAgainstEventLog();
    ASSERT_TRUE(check) << check.error().message;
    std::string problems;
    for (const auto& p : check->problems) problems += p + "\n";
    EXPECT_EQ(check->disagreeing, 0) << problems;
  }

  // A demo CA the server trusts and a leader's signing file from it, made
  // once for the whole binary (RSA keys take a while).
  struct DemoPki {
    documents::DemoCa ca;
    std::string leader_p12;
    std::string other_leader_p12;  // the justice department's leader's
  };
  static const DemoPki& Pki() {
    static const DemoPki pki = [] {
      DemoPki p;
      const TimePoint from = At("2026-01-01T00:00+07:00");
      p.ca = *documents::MakeDemoCa("Demo CA", "motcua tests", from, 10);
      p.leader_p12 = *documents::MakeDemoSigner(p.ca, "Ngô Quang Huy",
                                                "UBND phường Phan Đình Phùng", "p12-pass", from, 3);
      p.other_leader_p12 =
          *documents::MakeDemoSigner(p.ca, "Hà Thị Thu", "Sở Tư pháp", "p12-other", from, 3);
      return p;
    }();
    return pki;
  }

  std::int64_t UnitId(std::string_view agency_code) {
    for (const auto& u : app_->units().Tree()->units())
      if (u.agency_code == agency_code) return u.id;
    ADD_FAILURE() << "no unit " << agency_code;
    return 0;
  }

  void AddUser(const std::string& name, Role role, std::int64_t unit, bool subtree) {
    accounts::NewUser u{
        name, "Người dùng " + name, std::string(kPassword), {{role, unit, subtree}}};
    auto r = app_->accounts().CreateUser(u);
    ASSERT_TRUE(r) << r.error().message;
  }

  // Sessions idle out after 30 minutes, and the tests move the clock by
  // days: a session older than 20 minutes of test time signs in again.
  void Refresh(Session& s) {
    if (clock_.Now() - s.signed_in > std::chrono::minutes(20)) s = SignIn(s.username);
  }

  Session SignIn(const std::string& username) {
    auto r = client_->Send(
        "POST", "/api/v1/auth/login",
        R"({"username":")" + username + R"(","password":")" + std::string(kPassword) + R"("})",
        {{"content-type", "application/json"}});
    EXPECT_EQ(r.status, 200) << r.body;
    std::string cookie(r.Header("set-cookie").value_or(""));
    cookie = cookie.substr(0, cookie.find(';'));
    std::string csrf(json::parse(r.body).at("csrf_token").as_string());
    return {username, {{"cookie", cookie}, {"x-csrf-token", csrf}}, clock_.Now()};
  }

  http::Response Call(Session& s, std::string_view method, std::string_view target,
                      std::string body = {}) {
    Refresh(s);
    http::Headers h = s.headers;
    if (!body.empty()) h.emplace_back("content-type", "application/json");
    return client_->Send(method, target, std::move(body), h);
  }

  static json::object Json(const http::Response& r) {
    boost::system::error_code ec;
    auto v = json::parse(r.body, ec);
    EXPECT_FALSE(ec) << r.body;
    if (ec || !v.is_object()) return {};
    return v.as_object();
  }

  std::string Upload(Session& s, std::string_view name = "don.pdf") {
    Refresh(s);
    http::Headers h = s.headers;
    h.emplace_back("content-type", "application/pdf");
    h.emplace_back("x-file-name", std::string(name));
    auto r = client_->Send("POST", "/api/v1/attachments", "%PDF-1.4\n% a scanned page\n%%EOF\n", h);
    EXPECT_EQ(r.status, 201) << r.body;
    return std::string(Json(r).at("id").as_string());
  }

  std::string SubmitBody(Session& citizen, std::int64_t unit) {
    std::string tp1 = Upload(citizen), tp2 = Upload(citizen);
    return R"({"procedure_code":")" + std::string(kProcedure) + R"(","unit_id":)" +
           std::to_string(unit) +
           R"(,"consent":true,"applicant":{"full_name":"Nguyễn Thị Ánh","id_number":"001203004567",)"
           R"("phone":"0912345678"},"files":[{"attachment_id":")" +
           tp1 + R"(","component_code":"TP1"},{"attachment_id":")" + tp2 +
           R"(","component_code":"TP2"}]})";
  }

  // Submits as `citizen` to the commune; returns the created dossier JSON
  // (with "lookup_secret").
  json::object Submit(Session& citizen) {
    auto r = Call(citizen, "POST", "/api/v1/dossiers", SubmitBody(citizen, commune_));
    EXPECT_EQ(r.status, 201) << r.body;
    return Json(r);
  }

  // The text of a PDF as poppler's pdftotext reads it, lines joined: they
  // break where the page is narrow, and the words are what matter.
  static std::string PdfText(const std::string& pdf) {
    const std::string file = ::testing::TempDir() + "motcua-" + std::to_string(::getpid()) + ".pdf";
    { std::ofstream(file, std::ios::binary) << pdf; }
    std::string text;
    if (FILE* p = ::popen(("pdftotext " + file + " -").c_str(), "r")) {
      char buf[4096];
      for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) text.append(buf, n);
      ::pclose(p);
    }
    std::remove(file.c_str());
    for (char& c : text)
      if (c == '\n') c = ' ';
    return text;
  }

  // A dossier an officer received at the commune's counter, with the code
  // printed on its receipt.
  struct Counter {
    std::int64_t id = 0;
    std::string number, secret;
  };
  Counter AtCounter(Session& officer) {
    auto r = Call(officer, "POST", "/api/v1/dossiers", SubmitBody(officer, commune_));
    EXPECT_EQ(r.status, 201) << r.body;
    auto created = Json(r);
    if (!created.contains("dossier")) return {};
    return {created.at("dossier").at("id").as_int64(), Str(created.at("dossier").at("number")),
            Str(created.at("lookup_secret"))};
  }

  json::object Act(Session& s, std::int64_t id, std::string_view action, std::string body = "{}",
                   int expect = 200) {
    auto r = Call(s, "POST",
                  "/api/v1/dossiers/" + std::to_string(id) + "/actions/" + std::string(action),
                  std::move(body));
    EXPECT_EQ(r.status, expect) << action << ": " << r.body;
    return Json(r);
  }

  json::object Get(Session& s, std::int64_t id, int expect = 200) {
    auto r = Call(s, "GET", "/api/v1/dossiers/" + std::to_string(id));
    EXPECT_EQ(r.status, expect) << r.body;
    return Json(r);
  }

  // The commune's dossiers of the day are numbered 0001, 0002, ... `count`:
  // unique and without gaps.
  static void ExpectNumberedFromOne(const std::set<std::string>& numbers, int count) {
    ASSERT_EQ(numbers.size(), static_cast<std::size_t>(count));
    int expected = 1;
    for (const auto& n : numbers) {
      char seq[16];
      std::snprintf(seq, sizeof seq, "%04d", expected++);
      EXPECT_EQ(n, "000.51.00.H55-261202-" + std::string(seq));
    }
  }

  static std::string Str(const json::value& v) {
    return v.is_string() ? std::string(v.as_string()) : json::serialize(v);
  }

  // Wednesday 2 December 2026, 08:00 in Vietnam: an ordinary working day.
  FakeClock clock_{At("2026-12-02T08:00+07:00")};
  internal::TestProvince province_;
  App* app_ = nullptr;
  storage::Store* store_ = nullptr;
  http::Server* server_ = nullptr;
  http::TestClient* client_ = nullptr;
  std::int64_t commune_ = 0, other_commune_ = 0, center_ = 0, justice_ = 0;
};

TEST_P(DossierApiTest, ADossierFromSubmissionToResultAsEveryoneSeesIt) {
  Session citizen = SignIn("congdan");
  Session officer = SignIn("motcua.pdp");
  Session specialist = SignIn("chuyenvien.pdp");
  Session leader = SignIn("lanhdao.pdp");

  json::object created = Submit(citizen);
  const json::object& d = created.at("dossier").as_object();
  const std::int64_t id = d.at("id").as_int64();
  const std::string number(d.at("number").as_string());
  const std::string secret(created.at("lookup_secret").as_string());
  EXPECT_EQ(number, "000.51.00.H55-261202-0001");  // the commune's code, the day, the first of it
  EXPECT_EQ(secret.size(), 8u);
  EXPECT_EQ(Str(d.at("state").at("id")), "received");
  EXPECT_EQ(d.at("state").at("national_status").as_int64(), 1);
  EXPECT_EQ(d.at("channel").as_int64(), 2);

  // The officer's inbox has it, with the applicant masked.
  auto inbox_response = Call(officer, "GET", "/api/v1/inbox");
  auto inbox = Json(inbox_response);
  ASSERT_EQ(inbox.at("items").as_array().size(), 1u);
  EXPECT_EQ(Str(inbox.at("items").at(0).at("applicant").at("full_name")), "Nguyễn T. Á.");
  // A list carries neither the identity number nor the phone, even masked.
  EXPECT_EQ(inbox_response.body.find("001203"), std::string::npos);
  EXPECT_EQ(inbox_response.body.find("091234"), std::string::npos);
  EXPECT_EQ(inbox.at("counts").at("total").as_int64(), 1);
  // The specialist has nothing to do yet: intake is the officer's.
  EXPECT_EQ(Json(Call(specialist, "GET", "/api/v1/inbox")).at("items").as_array().size(), 0u);

  // Accepted at 08:30: 3 working days, due Monday 7 December 08:30. The
  // officer sees that appointment on the accept action before taking it.
  clock_.Set(At("2026-12-02T08:30+07:00"));
  auto before_accept = Json(Call(officer, "GET", "/api/v1/dossiers/" + std::to_string(id)));
  for (const auto& a : before_accept.at("actions").as_array()) {
    if (Str(a.at("id")) == "accept") {
      EXPECT_EQ(Str(a.at("due_at")), "2026-12-07T08:30:00+07:00");
    } else {
      EXPECT_TRUE(a.at("due_at").is_null()) << Str(a.at("id"));
    }
  }
  // The preview is the appointment of an acceptance now: at 15:30, Monday
  // 15:30 (this procedure has no 15:00 cut-off).
  clock_.Set(At("2026-12-02T15:30+07:00"));
  auto after_cutoff = Json(Call(officer, "GET", "/api/v1/dossiers/" + std::to_string(id)));
  for (const auto& a : after_cutoff.at("actions").as_array()) {
    if (Str(a.at("id")) == "accept") {
      EXPECT_EQ(Str(a.at("due_at")), "2026-12-07T15:30:00+07:00");
    }
  }
  clock_.Set(At("2026-12-02T08:30+07:00"));
  auto accepted = Act(officer, id, "accept", R"({"version":1})");
  EXPECT_EQ(Str(accepted.at("state").at("id")), "accepted");
  EXPECT_EQ(Str(accepted.at("due_at")), "2026-12-07T08:30:00+07:00");
  EXPECT_EQ(accepted.at("version").as_int64(), 2);

  clock_.Set(At("2026-12-02T09:00+07:00"));
  Act(specialist, id, "start_processing");
  // Supplements: everything missing at once; the clock stops at 10:00.
  clock_.Set(At("2026-12-02T10:00+07:00"));
  auto asked = Act(
      specialist, id, "request_supplement",
      R"({"reason":"Thiếu giấy tờ","items":[{"component_code":"TP2","description":"Bản sao bị mờ, nộp lại bản rõ"}]})");
  EXPECT_EQ(Str(asked.at("state").at("id")), "supplement_requested");
  EXPECT_EQ(asked.at("state").at("national_status").as_int64(), 5);
  EXPECT_EQ(asked.at("supplement_count").as_int64(), 1);
  EXPECT_EQ(Str(asked.at("pending_request").at("items").at(0).at("component_code")), "TP2");

  // The citizen sees what is asked, in "my dossiers" and in the public lookup.
  auto mine = Json(Call(citizen, "GET", "/api/v1/me/dossiers"));
  ASSERT_EQ(mine.at("items").as_array().size(), 1u);
  EXPECT_EQ(Str(mine.at("items").at(0).at("state").at("id")), "supplement_requested");
  auto lookup = client_->Send("GET", "/api/v1/lookup?number=" + number + "&secret=" + secret);
  ASSERT_EQ(lookup.status, 200) << lookup.body;
  auto pub = Json(lookup);
  EXPECT_EQ(Str(pub.at("applicant")), "Nguyễn T. Á.");
  EXPECT_EQ(pub.at("national_status").as_int64(), 5);
  EXPECT_EQ(Str(pub.at("pending_request").at("kind")), "supplement");
  EXPECT_EQ(lookup.body.find("001203004567"), std::string::npos);  // no identity number in public
  EXPECT_EQ(lookup.body.find("0912345678"), std::string::npos);

  // The citizen supplements the next day at 10:00: one working day of theirs
  // (7.5 hours) moves the appointment to Tuesday 8 December 08:30.
  clock_.Set(At("2026-12-03T10:00+07:00"));
  std::string fixed = Upload(citizen, "ban-ro.pdf");
  auto back = Act(citizen, id, "supplement",
                  R"({"files":[{"attachment_id":")" + fixed + R"(","component_code":"TP2"}]})");
  EXPECT_EQ(Str(back.at("state").at("id")), "processing");
  EXPECT_EQ(Str(back.at("due_at")), "2026-12-08T08:30:00+07:00");
  EXPECT_TRUE(back.at("pending_request").is_null());
  // The public lookup answered from its cache before; it shows the change at once.
  auto again = Json(client_->Send("GET", "/api/v1/lookup?number=" + number + "&secret=" + secret));
  EXPECT_EQ(again.at("national_status").as_int64(), 4);
  EXPECT_TRUE(again.at("pending_request").is_null());
  EXPECT_EQ(Str(again.at("due_at")), "2026-12-08T08:30:00+07:00");

  clock_.Set(At("2026-12-03T14:00+07:00"));
  Act(specialist, id, "submit_for_approval");
  clock_.Set(At("2026-12-04T09:00+07:00"));
  auto approved = Act(leader, id, "approve");
  EXPECT_EQ(approved.at("state").at("national_status").as_int64(), 9);
  EXPECT_EQ(Str(approved.at("timeliness")), "early");
  clock_.Set(At("2026-12-04T10:00+07:00"));
  auto returned = Act(officer, id, "return_result");
  EXPECT_EQ(returned.at("state").at("national_status").as_int64(), 10);
  EXPECT_TRUE(returned.at("state").at("terminal").as_bool());
  EXPECT_EQ(returned.at("actions").as_array().size(), 0u);

  // The whole story: history, process control sheet, files; unmasked for
  // the officer, and the read is on file.
  auto full = Get(officer, id);
  EXPECT_EQ(Str(full.at("applicant").at("id_number")), "001203004567");
  std::vector<std::string> actions;
  for (const auto& h : full.at("history").as_array()) actions.push_back(Str(h.at("action")));
  EXPECT_EQ(actions, (std::vector<std::string>{"submit", "accept", "start_processing",
                                               "request_supplement", "supplement",
                                               "submit_for_approval", "approve", "return_result"}));
  const auto& steps = full.at("steps").as_array();
  ASSERT_EQ(steps.size(), 7u);  // one per state entered before the end
  EXPECT_EQ(Str(steps.at(1).at("state")), "accepted");
  EXPECT_EQ(Str(steps.at(1).at("timeliness")), "on_time");  // handed over within 4 working hours
  EXPECT_TRUE(steps.at(3).at("due_at").is_null());          // the citizen's step has no budget
  EXPECT_EQ(full.at("files").as_array().size(), 3u);
  auto log = Json(Call(officer, "GET", "/api/v1/dossiers/" + std::to_string(id) + "/access-log"));
  ASSERT_GE(log.at("items").as_array().size(), 1u);
  EXPECT_EQ(Str(log.at("items").at(0).at("purpose")), "processing");

  // And the event log is an unbroken chain.
  auto report = storage::events::VerifyEventLog(*store_);
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->broken);
  EXPECT_EQ(report->events, 8);
}

TEST_P(DossierApiTest, OfTwoOfficersActingAtOnceOneWinsTheOtherIsToldTheState) {
  Session citizen = SignIn("congdan");
  Session a = SignIn("motcua.pdp");
  Session b = SignIn("motcua.pdp2");
  const std::int64_t id = Submit(citizen).at("dossier").at("id").as_int64();
  auto first = Act(a, id, "accept", R"({"version":1})");
  auto second = Act(b, id, "refuse", R"({"version":1,"reason":"Không đủ giấy tờ"})", 409);
  EXPECT_EQ(Str(second.at("error").at("code")), "aborted");
  EXPECT_EQ(Str(second.at("error").at("fields").at("state")), "accepted");
  EXPECT_EQ(Str(second.at("error").at("fields").at("version")), "2");
  // Without a version, the action is judged against the state it finds.
  auto third = Act(b, id, "accept", "{}", 409);
  EXPECT_EQ(Str(third.at("error").at("code")), "failed_precondition");
  EXPECT_EQ(Str(third.at("error").at("fields").at("state")), "accepted");
}

TEST_P(DossierApiTest, ConcurrentActionsOnOneDossierLetExactlyOneThrough) {
  Session citizen = SignIn("congdan");
  const std::int64_t id = Submit(citizen).at("dossier").at("id").as_int64();
  std::vector<Session> officers = {SignIn("motcua.pdp"), SignIn("motcua.pdp2")};
  std::atomic<int> ok{0}, conflict{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      http::TestClient client(server_->port());
      http::Headers h = officers[i % 2].headers;
      h.emplace_back("content-type", "application/json");
      auto r = client.Send("POST", "/api/v1/dossiers/" + std::to_string(id) + "/actions/accept",
                           R"({"version":1})", h);
      (r.status == 200 ? ok : r.status == 409 ? conflict : other)++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(conflict.load(), 7);
  EXPECT_EQ(other.load(), 0);
}

TEST_P(DossierApiTest, NumbersAreUniqueAndGaplessUnderConcurrentSubmissions) {
  Session citizen = SignIn("congdan");
  constexpr int kThreads = 4, kEach = 6;
  std::vector<std::string> bodies;
  for (int i = 0; i < kThreads * kEach; ++i) bodies.push_back(SubmitBody(citizen, commune_));
  std::mutex mu;
  std::set<std::string> numbers;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      http::TestClient client(server_->port());
      http::Headers h = citizen.headers;
      h.emplace_back("content-type", "application/json");
      for (int i = 0; i < kEach; ++i) {
        auto r = client.Send("POST", "/api/v1/dossiers", bodies[t * kEach + i], h);
        EXPECT_EQ(r.status, 201) << r.body;
        std::lock_guard lock(mu);
        numbers.insert(Str(Json(r).at("dossier").at("number")));
      }
    });
  }
  for (auto& t : threads) t.join();
  ExpectNumberedFromOne(numbers, kThreads * kEach);
}

// Two servers on one database, as two `motcua serve` processes would be:
// each with its own store, caches and threads. Counter submissions through
// both at once are numbered without gaps; of two officers accepting one
// dossier through the two servers at once, one wins; the event chain stays
// whole.
TEST_P(DossierApiTest, TwoServersOnOneDatabaseAgreeOnNumbersActionsAndTheChain) {
  internal::TestProvince second;
  auto started =
      second.Start(std::string("dossier-second-") + storage::testing::EngineName(GetParam()),
                   clock_, {.engine = GetParam(), .url = province_.url()});
  ASSERT_TRUE(started) << started.error().message;
  Session officer = SignIn("motcua.pdp");  // the session is in the database: both servers know it
  const std::uint16_t ports[2] = {server_->port(), second.server().port()};
  const std::string body =
      R"({"procedure_code":"1.004873.000.00.00.H56","unit_id":)" + std::to_string(commune_) +
      R"(,"channel":1,"consent":true,"applicant":{"full_name":"Trần Văn Bình",)"
      R"("id_number":"001203004568","phone":"0912345679"}})";
  constexpr int kThreads = 4, kEach = 5;
  std::mutex mu;
  std::set<std::string> numbers;
  std::vector<std::int64_t> ids;
  std::vector<std::string> lookups;  // "number=...&secret=..." by position in ids
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      http::TestClient client(ports[t % 2]);
      http::Headers h = officer.headers;
      h.emplace_back("content-type", "application/json");
      for (int i = 0; i < kEach; ++i) {
        auto r = client.Send("POST", "/api/v1/dossiers", body, h);
        EXPECT_EQ(r.status, 201) << r.body;
        if (r.status != 201) continue;
        std::lock_guard lock(mu);
        numbers.insert(Str(Json(r).at("dossier").at("number")));
        ids.push_back(Json(r).at("dossier").at("id").as_int64());
        lookups.push_back("number=" + Str(Json(r).at("dossier").at("number")) +
                          "&secret=" + Str(Json(r).at("lookup_secret")));
      }
    });
  }
  for (auto& t : threads) t.join();
  threads.clear();
  ExpectNumberedFromOne(numbers, kThreads * kEach);

  // The public lookup of the second server caches its answer...
  auto state_seen_by_second = [&] {
    auto r = second.client().Send("GET", "/api/v1/lookup?" + lookups[0]);
    EXPECT_EQ(r.status, 200) << r.body;
    return Str(Json(r).at("national_status"));
  };
  EXPECT_EQ(state_seen_by_second(), "1");  // received

  // Accepting each of three dossiers through both servers at once.
  Session other = SignIn("motcua.pdp2");
  for (int k = 0; k < 3; ++k) {
    std::atomic<int> ok{0}, conflict{0}, failed{0};
    for (int i = 0; i < 4; ++i) {
      threads.emplace_back([&, i] {
        http::TestClient client(ports[i % 2]);
        http::Headers h = (i / 2 == 0 ? officer : other).headers;
        h.emplace_back("content-type", "application/json");
        auto r =
            client.Send("POST", "/api/v1/dossiers/" + std::to_string(ids[k]) + "/actions/accept",
                        R"({"version":1})", h);
        (r.status == 200 ? ok : r.status == 409 ? conflict : failed)++;
      });
    }
    for (auto& t : threads) t.join();
    threads.clear();
    EXPECT_EQ(ok.load(), 1) << "dossier " << ids[k];
    EXPECT_EQ(conflict.load(), 3);
    EXPECT_EQ(failed.load(), 0);
  }
  auto report = storage::events::VerifyEventLog(*store_, storage::events::kVerifyBatch);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_FALSE(report->broken) << report->broken->Message();
  EXPECT_EQ(report->events, kThreads * kEach + 3)
      << "one event per submission and per accepted dossier";
  // ...which the change made through the first server cannot drop, but which
  // lives two seconds at most: then the second server reads the change.
  clock_.Advance(std::chrono::seconds(3));
  EXPECT_EQ(state_seen_by_second(), "2");  // accepted
}

TEST_P(DossierApiTest, NobodySeesADossierOutsideTheirReach) {
  Session citizen = SignIn("congdan");
  Session stranger = SignIn("congdan2");
  Session elsewhere = SignIn("motcua.babe");
  Session specialist = SignIn("chuyenvien.pdp");
  const std::int64_t id = Submit(citizen).at("dossier").at("id").as_int64();
  // Another citizen and an officer of another commune: as if it did not exist.
  EXPECT_EQ(Str(Get(stranger, id, 404).at("error").at("code")), "not_found");
  Get(elsewhere, id, 404);
  Act(stranger, id, "withdraw", "{}", 404);
  Act(elsewhere, id, "accept", "{}", 404);
  EXPECT_EQ(Json(Call(stranger, "GET", "/api/v1/me/dossiers")).at("items").as_array().size(), 0u);
  EXPECT_EQ(Json(Call(elsewhere, "GET", "/api/v1/inbox")).at("items").as_array().size(), 0u);
  // The specialist of the commune sees it but may not take the officer's action.
  auto denied = Act(specialist, id, "accept", "{}", 403);
  EXPECT_EQ(Str(denied.at("error").at("code")), "permission_denied");
  // The citizen may not accept their own dossier either.
  Act(citizen, id, "accept", "{}", 403);
  // No such action in this workflow.
  Act(specialist, id, "teleport", "{}", 400);
  // Its files: the officers of the commune may open them, nobody else.
  auto detail = Get(citizen, id);
  const std::string file = Str(detail.at("files").at(0).at("id"));
  Session officer = SignIn("motcua.pdp");
  const std::string log_path = "/api/v1/dossiers/" + std::to_string(id) + "/access-log";
  auto file_reads = [&](const std::string& by) {
    int n = 0;
    const json::value log = Json(Call(officer, "GET", log_path + "?limit=1000"));
    for (const auto& e : log.at("items").as_array())
      if (Str(e.at("route")).starts_with("GET /api/v1/attachments/") && Str(e.at("purpose")) == by)
        ++n;
    return n;
  };
  EXPECT_EQ(Call(officer, "GET", "/api/v1/attachments/" + file).status, 200);
  EXPECT_EQ(Call(officer, "GET", "/api/v1/attachments/" + file + "/meta").status, 200);
  EXPECT_EQ(Call(elsewhere, "GET", "/api/v1/attachments/" + file).status, 404);
  EXPECT_EQ(Call(stranger, "GET", "/api/v1/attachments/" + file).status, 404);
  EXPECT_EQ(Call(citizen, "GET", "/api/v1/attachments/" + file).status, 200);
  // Every read of a dossier's file is in its personal-data access log
  // (issue 19: reads through /api/v1/attachments left none), refused ones not.
  EXPECT_EQ(file_reads("processing"), 2);
  EXPECT_EQ(file_reads("data_subject"), 1);
  // The citizen can see and withdraw it.
  EXPECT_EQ(Str(detail.at("applicant").at("id_number")), "001203004567");
  EXPECT_EQ(Str(Act(citizen, id, "withdraw").at("state").at("id")), "withdrawn");
}

TEST_P(DossierApiTest, ActionsCheckWhatTheyNeed) {
  Session citizen = SignIn("congdan");
  Session officer = SignIn("motcua.pdp");
  Session specialist = SignIn("chuyenvien.pdp");
  const std::int64_t id = Submit(citizen).at("dossier").at("id").as_int64();
  // A refusal without a reason; unknown fields; a transfer target on an action that does not
  // transfer.
  EXPECT_TRUE(Act(officer, id, "refuse", "{}", 400)
                  .at("error")
                  .at("fields")
                  .as_object()
                  .contains("reason"));
  EXPECT_TRUE(Act(officer, id, "accept", R"({"verison":1})", 400)
                  .at("error")
                  .at("fields")
                  .as_object()
                  .contains("verison"));
  EXPECT_TRUE(Act(officer, id, "accept", R"({"to_unit_id":3})", 400)
                  .at("error")
                  .at("fields")
                  .as_object()
                  .contains("to_unit_id"));
  Act(officer, id, "accept");
  Act(specialist, id, "start_processing");
  // Supplements must say what is missing; the component must be the procedure's.
  EXPECT_TRUE(Act(specialist, id, "request_supplement", R"({"reason":"x"})", 400)
                  .at("error")
                  .at("fields")
                  .as_object()
                  .contains("items"));
  EXPECT_TRUE(Act(specialist, id, "request_supplement",
                  R"({"reason":"x","items":[{"component_code":"TP9","description":"?"}]})", 400)
                  .at("error")
                  .at("fields")
                  .as_object()
                  .contains("items[0].component_code"));
  // A payment request takes the procedure's fee unless told otherwise.
  auto pay = Act(specialist, id, "request_payment", R"({"reason":"Lệ phí"})");
  EXPECT_EQ(pay.at("fee_vnd").as_int64(), 15000);
  EXPECT_EQ(pay.at("state").at("national_status").as_int64(), 6);
  auto paid = Act(citizen, id, "confirm_payment");
  EXPECT_FALSE(paid.at("paid_at").is_null());
  EXPECT_EQ(paid.at("supplement_count").as_int64(), 0);
  // An action that fails half-way (the file is not the citizen's) changes
  // nothing, and the next one starts from the dossier as it really is.
  auto asked = Act(specialist, id, "request_supplement",
                   R"({"reason":"x","items":[{"description":"Ảnh rõ hơn"}]})");
  Session other = SignIn("congdan2");
  std::string theirs = Upload(other);
  auto refused =
      Act(citizen, id, "supplement",
          R"({"files":[{"attachment_id":")" + theirs + R"(","component_code":"TP1"}]})", 400);
  EXPECT_TRUE(refused.at("error").at("fields").as_object().contains("files[0].attachment_id"));
  auto still = Get(citizen, id);
  EXPECT_EQ(Str(still.at("state").at("id")), "supplement_requested");
  EXPECT_EQ(still.at("version").as_int64(), asked.at("version").as_int64());
  auto fine = Act(citizen, id, "supplement",
                  R"({"version":)" + std::to_string(asked.at("version").as_int64()) + "}");
  EXPECT_EQ(Str(fine.at("state").at("id")), "processing");
}

TEST_P(DossierApiTest, SubmissionRefusesWhatAUserMustFix) {
  Session citizen = SignIn("congdan");
  auto bad = [&](const std::string& body, const std::string& field, int status = 400) {
    auto r = Call(citizen, "POST", "/api/v1/dossiers", body);
    EXPECT_EQ(r.status, status) << body << " -> " << r.body;
    auto fields = Json(r).at("error").at("fields").as_object();
    EXPECT_TRUE(fields.contains(field)) << field << " not named in " << r.body;
  };
  std::string ok = SubmitBody(citizen, commune_);
  auto with = [&](std::string from, std::string to) {
    std::string s = ok;
    s.replace(s.find(from), from.size(), to);
    return s;
  };
  bad(with(R"("consent":true)", R"("consent":false)"), "consent");
  bad(with(R"("id_number":"001203004567")", R"("id_number":"12ab")"), "applicant.id_number");
  bad(with(R"("phone":"0912345678")", R"("phone":"12")"), "applicant.phone");
  bad(with(R"("component_code":"TP2")", R"("component_code":"TP1")"), "files");  // TP2 missing
  bad(with(R"("consent":true)", R"("consent":true,"extra":1)"), "extra");
  bad(with(std::string(kProcedure), "9.999999.000.00.00.H56"), "procedure_code");
  // A commune procedure at another commune is fine (anywhere in the
  // province since 2025); at a department it is not received.
  bad(with("\"unit_id\":" + std::to_string(commune_),
           "\"unit_id\":" + std::to_string(UnitId("000.00.02.H55"))),
      "unit_id", 409);
  // A retired commune (merged on 2025-07-01) no longer receives anything.
  bad(with("\"unit_id\":" + std::to_string(commune_),
           "\"unit_id\":" + std::to_string(UnitId("000.01.41.H55"))),
      "unit_id");
  // Someone else's upload cannot be used.
  Session other = SignIn("congdan2");
  std::string theirs = Upload(other);
  auto body = SubmitBody(citizen, commune_);
  auto pos = body.find(R"("attachment_id":")") + 17;
  body.replace(pos, 32, theirs);
  bad(body, "files[0].attachment_id");
}

TEST_P(DossierApiTest, AProcedureMustNameAWorkflowTheServerHasLoaded) {
  AddUser("quantri", Role::kProvinceAdmin, UnitId("000.00.00.H55"), true);
  Session admin = SignIn("quantri");
  auto body = [](const std::string& code, const std::string& workflow) {
    return R"({"code":")" + code +
           R"(","name":"Đăng ký thử","field":"Hộ tịch","levels":["commune"],)"
           R"("online_mode":"full","time_limit":{"value":3,"unit":"working_days"},"fees":[],)"
           R"("components":[{"code":"TP1","name":"Tờ khai","originals":1,"copies":0}],)"
           R"("result_kind":"certificate","workflow_code":")" +
           workflow + R"(","effective_from":"2025-07-01"})";
  };
  auto refused = Call(admin, "POST", "/api/v1/procedures", body("1.999001", "no-such-flow"));
  EXPECT_EQ(refused.status, 400) << refused.body;
  auto fields = Json(refused).at("error").at("fields").as_object();
  ASSERT_TRUE(fields.contains("workflow_code")) << refused.body;
  EXPECT_NE(std::string(fields.at("workflow_code").as_string()).find("commune-simple"),
            std::string::npos)
      << "the problem lists the workflows there are: " << refused.body;
  EXPECT_EQ(Call(admin, "GET", "/api/v1/procedures/1.999001").status, 404) << "nothing was stored";
  auto created = Call(admin, "POST", "/api/v1/procedures", body("1.999001", "commune-simple"));
  EXPECT_EQ(created.status, 201) << created.body;
}

TEST_P(DossierApiTest, InboxFiltersSearchesAndPagesByDueDate) {
  Session citizen = SignIn("congdan");
  Session officer = SignIn("motcua.pdp");
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 5; ++i) {
    clock_.Set(At("2026-12-02T08:00+07:00") + std::chrono::minutes(10 * i));
    ids.push_back(Submit(citizen).at("dossier").at("id").as_int64());
  }
  // Appointments follow acceptance: the last one submitted, accepted first,
  // is due first. Three stay at intake.
  clock_.Set(At("2026-12-02T09:00+07:00"));
  Act(officer, ids[4], "accept");
  clock_.Set(At("2026-12-02T09:10+07:00"));
  Act(officer, ids[3], "accept");
  // Inbox order: by appointment, dossiers at intake by submission time.
  auto page1 = Json(Call(officer, "GET", "/api/v1/inbox?limit=2"));
  ASSERT_EQ(page1.at("items").as_array().size(), 2u);
  // The officer's work is the 3 at intake: that an officer could also record
  // a withdrawal of the accepted ones does not put them in the inbox.
  EXPECT_EQ(page1.at("counts").at("total").as_int64(), 3);
  EXPECT_EQ(page1.at("items").at(0).at("id").as_int64(), ids[0]);
  EXPECT_EQ(page1.at("items").at(1).at("id").as_int64(), ids[1]);
  ASSERT_TRUE(page1.at("next_cursor").is_string());
  auto page2 =
      Json(Call(officer, "GET", "/api/v1/inbox?limit=2&cursor=" + Str(page1.at("next_cursor"))));
  ASSERT_EQ(page2.at("items").as_array().size(), 1u);
  EXPECT_EQ(page2.at("items").at(0).at("id").as_int64(), ids[2]);
  EXPECT_TRUE(page2.at("next_cursor").is_null());
  // The specialist's inbox has the two accepted dossiers, soonest due first.
  Session specialist = SignIn("chuyenvien.pdp");
  auto spec = Json(Call(specialist, "GET", "/api/v1/inbox"));
  ASSERT_EQ(spec.at("items").as_array().size(), 2u);
  EXPECT_EQ(spec.at("items").at(0).at("id").as_int64(), ids[4]);
  // Overdue: after the appointment (3 working days) nothing has moved.
  clock_.Set(At("2026-12-08T09:00+07:00"));
  auto late = Json(Call(specialist, "GET", "/api/v1/inbox?due=overdue"));
  EXPECT_EQ(late.at("items").as_array().size(), 2u);
  EXPECT_EQ(late.at("counts").at("overdue").as_int64(), 2);
  EXPECT_EQ(Str(late.at("items").at(0).at("urgency")), "overdue");
  // Search by the applicant's name without diacritics, and by number.
  EXPECT_EQ(
      Json(Call(officer, "GET", "/api/v1/inbox?q=nguyen%20thi")).at("items").as_array().size(), 3u);
  EXPECT_EQ(Json(Call(officer, "GET", "/api/v1/inbox?q=tran")).at("items").as_array().size(), 0u);
  EXPECT_EQ(Json(Call(officer, "GET", "/api/v1/inbox?q=000.51.00.H55-261202-0002"))
                .at("items")
                .as_array()
                .size(),
            1u);
  // Bad parameters are named.
  auto r = Call(officer, "GET", "/api/v1/inbox?cursor=xyz&due=soon&limit=0");
  EXPECT_EQ(r.status, 400);
  auto fields = Json(r).at("error").at("fields").as_object();
  EXPECT_TRUE(fields.contains("due"));
  EXPECT_TRUE(fields.contains("limit"));
  // A citizen has no inbox.
  EXPECT_EQ(Call(citizen, "GET", "/api/v1/inbox").status, 403);
}

TEST_P(DossierApiTest, TransferToADepartmentAndTheResultBackToTheCentre) {
  // Phiếu lý lịch tư pháp số 1: received by the provincial centre, decided
  // by the Department of Justice (workflow "department").
  Session citizen = SignIn("congdan");
  Session centre = SignIn("motcua.tinh");
  Session specialist = SignIn("chuyenvien.tuphap");
  Session leader = SignIn("lanhdao.tuphap");
  std::string tp1 = Upload(citizen), tp2 = Upload(citizen);
  auto r = Call(
      citizen, "POST", "/api/v1/dossiers",
      R"({"procedure_code":"2.000488.000.00.00.H56","unit_id":)" + std::to_string(center_) +
          R"(,"consent":true,"applicant":{"full_name":"Trần Văn Bình","id_number":"019088001234",)"
          R"("phone":"0987654321"},"files":[{"attachment_id":")" +
          tp1 + R"(","component_code":"TP1"},{"attachment_id":")" + tp2 +
          R"(","component_code":"TP2"}]})");
  ASSERT_EQ(r.status, 201) << r.body;
  auto d = Json(r).at("dossier").as_object();
  const std::int64_t id = d.at("id").as_int64();
  EXPECT_EQ(Str(d.at("number")).substr(0, 14), "000.00.01.H55-");
  Act(centre, id, "accept");
  // The officer must choose a department, and a department it must be.
  Act(centre, id, "transfer_to_department", "{}", 400);
  auto wrong = Act(centre, id, "transfer_to_department",
                   R"({"to_unit_id":)" + std::to_string(commune_) + "}", 400);
  EXPECT_TRUE(wrong.at("error").at("fields").as_object().contains("to_unit_id"));
  auto sent = Act(centre, id, "transfer_to_department",
                  R"({"to_unit_id":)" + std::to_string(justice_) + "}");
  EXPECT_EQ(sent.at("current_unit").at("id").as_int64(), justice_);
  EXPECT_EQ(Json(Call(centre, "GET", "/api/v1/inbox")).at("items").as_array().size(), 0u);
  auto work = Json(Call(specialist, "GET", "/api/v1/inbox"));
  ASSERT_EQ(work.at("items").as_array().size(), 1u);
  EXPECT_EQ(work.at("items").at(0).at("id").as_int64(), id);
  Act(specialist, id, "submit_for_approval");
  Act(leader, id, "approve");
  auto back = Act(specialist, id, "transfer_result_to_center");
  EXPECT_EQ(back.at("current_unit").at("id").as_int64(), center_);
  EXPECT_EQ(Str(Act(centre, id, "return_result").at("state").at("id")), "returned");
  // The department still sees the dossier it handled; its sheet shows the hand-overs.
  auto full = Get(specialist, id);
  std::vector<std::pair<std::int64_t, std::int64_t>> moves;
  for (const auto& s : full.at("steps").as_array())
    if (s.at("from_unit_id").as_int64() != s.at("unit_id").as_int64())
      moves.emplace_back(s.at("from_unit_id").as_int64(), s.at("unit_id").as_int64());
  EXPECT_EQ(moves, (std::vector<std::pair<std::int64_t, std::int64_t>>{{center_, justice_},
                                                                       {justice_, center_}}));
}

TEST_P(DossierApiTest, ApologyOnlyBeforeTheAppointment) {
  Session citizen = SignIn("congdan");
  Session officer = SignIn("motcua.pdp");
  Session leader = SignIn("lanhdao.pdp");
  const std::int64_t id = Submit(citizen).at("dossier").at("id").as_int64();
  const std::string apology = "/api/v1/dossiers/" + std::to_string(id) + "/apology";
  // No appointment yet.
  EXPECT_EQ(Call(leader, "POST", apology, R"({"new_due_at":"2026-12-20T17:00+07:00","reason":"x"})")
                .status,
            409);
  Act(officer, id, "accept");  // due 2026-12-07T08:00
  Session specialist = SignIn("chuyenvien.pdp");
  Act(specialist, id, "start_processing");
  auto early = Call(leader, "POST", apology,
                    R"({"new_due_at":"2026-12-05T17:00+07:00","reason":"Cần xác minh"})");
  EXPECT_EQ(early.status, 400);  // not after the appointment
  auto ok = Call(leader, "POST", apology,
                 R"({"new_due_at":"2026-12-10T17:00+07:00","reason":"Cần xác minh thêm"})");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(Str(Json(ok).at("apology_due_at")), "2026-12-10T17:00:00+07:00");
  EXPECT_EQ(Str(Json(ok).at("due_at")),
            "2026-12-07T08:00:00+07:00");  // the legal appointment stays
  // The citizen's lookup shows the new appointment.
  // After the new appointment has passed, no more apologies.
  clock_.Set(At("2026-12-11T08:00+07:00"));
  auto too_late =
      Call(leader, "POST", apology, R"({"new_due_at":"2026-12-20T17:00+07:00","reason":"x"})");
  EXPECT_EQ(too_late.status, 409) << too_late.body;
  // The citizen cannot send one.
  EXPECT_EQ(
      Call(citizen, "POST", apology, R"({"new_due_at":"2026-12-20T17:00+07:00","reason":"x"})")
          .status,
      404);
}

TEST_P(DossierApiTest, LookupNeedsTheSecretAndLimitsGuessing) {
  Session citizen = SignIn("congdan");
  auto created = Submit(citizen);
  std::string number = Str(created.at("dossier").at("number"));
  std::string secret = Str(created.at("lookup_secret"));
  // Typed from paper: lower case with a hyphen in the middle still works.
  std::string typed = secret.substr(0, 4) + "-" + secret.substr(4);
  for (char& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_EQ(client_->Send("GET", "/api/v1/lookup?number=" + number + "&secret=" + typed).status,
            200);
  // Unknown number and wrong secret look the same.
  std::string wrong = secret == "AAAAAAAA" ? "BBBBBBBB" : "AAAAAAAA";
  auto a = client_->Send("GET", "/api/v1/lookup?number=" + number + "&secret=" + wrong);
  auto b = client_->Send("GET", "/api/v1/lookup?number=000.51.00.H55-261202-0099&secret=" + secret);
  EXPECT_EQ(a.status, 404);
  EXPECT_EQ(b.status, 404);
  EXPECT_EQ(a.body, b.body);
  EXPECT_EQ(client_->Send("GET", "/api/v1/lookup?number=abc&secret=" + secret).status, 400);
  // Ten failures on one number from one address, then 429 even with the
  // right secret (answering it would tell a guesser they hit)...
  for (int i = 0; i < 9; ++i)
    client_->Send("GET", "/api/v1/lookup?number=" + number + "&secret=" + wrong);
  auto limited = client_->Send("GET", "/api/v1/lookup?number=" + number + "&secret=" + secret);
  EXPECT_EQ(limited.status, 429);
  EXPECT_TRUE(limited.Header("retry-after").has_value());
  // ...while another citizen behind the same address looks up their own
  // dossier (issue 19: it got 429; the rating by receipt shares the limits).
  Session other = SignIn("congdan2");
  auto theirs = Submit(other);
  const std::string their_number = Str(theirs.at("dossier").at("number"));
  const std::string their_secret = Str(theirs.at("lookup_secret"));
  EXPECT_EQ(
      client_->Send("GET", "/api/v1/lookup?number=" + their_number + "&secret=" + their_secret)
          .status,
      200);
  // Spraying guesses over many numbers: 300 failures a quarter hour per address.
  int refused = 0;
  for (int i = 0; i < 300; ++i) {
    char n[8];
    std::snprintf(n, sizeof n, "%04d", 100 + i);
    auto r = client_->Send(
        "GET", "/api/v1/lookup?number=000.51.00.H55-261202-" + std::string(n) + "&secret=" + wrong);
    refused += r.status == 429;
  }
  EXPECT_GE(refused, 1);
  EXPECT_EQ(
      client_->Send("GET", "/api/v1/lookup?number=" + their_number + "&secret=" + their_secret)
          .status,
      429);
  clock_.Advance(std::chrono::minutes(16));
  EXPECT_EQ(
      client_->Send("GET", "/api/v1/lookup?number=" + their_number + "&secret=" + their_secret)
          .status,
      200);
}

TEST_P(DossierApiTest, ACitizenRatesTheHandlingOnceItEndedAndOnlyOnce) {
  Session citizen = SignIn("congdan");
  Session other = SignIn("congdan2");
  Session officer = SignIn("motcua.pdp");
  auto created = Submit(citizen);
  const std::int64_t id = created.at("dossier").at("id").as_int64();
  const std::string number = Str(created.at("dossier").at("number"));
  const std::string secret = Str(created.at("lookup_secret"));
  const std::string rating = "/api/v1/dossiers/" + std::to_string(id) + "/rating";

  // Not while it is in progress.
  EXPECT_FALSE(Get(citizen, id).at("can_rate").as_bool());
  auto early = Call(citizen, "POST", rating, R"({"level":3})");
  EXPECT_EQ(early.status, 409) << early.body;
  EXPECT_EQ(Str(Json(early).at("error").at("code")), "failed_precondition");

  clock_.Set(At("2026-12-02T09:00+07:00"));
  Act(officer, id, "refuse", R"({"reason":"Hồ sơ không thuộc thẩm quyền của phường"})");
  auto ended = Get(citizen, id);
  EXPECT_TRUE(ended.at("can_rate").as_bool());
  EXPECT_TRUE(ended.at("rating").is_null());
  EXPECT_FALSE(Get(officer, id).at("can_rate").as_bool());  // staff do not rate their own work

  // The level names its field; so does a comment too long.
  auto bad = Json(Call(citizen, "POST", rating, R"({"level":4})"));
  EXPECT_TRUE(bad.at("error").at("fields").as_object().contains("level"));
  auto wordy =
      Call(citizen, "POST", rating, R"({"level":1,"comment":")" + std::string(1001, 'a') + R"("})");
  EXPECT_EQ(wordy.status, 400);
  EXPECT_TRUE(Json(wordy).at("error").at("fields").as_object().contains("comment"));
  // Only the owner rates: staff who see it are refused, other citizens see nothing.
  EXPECT_EQ(Call(officer, "POST", rating, R"({"level":3})").status, 403);
  EXPECT_EQ(Call(other, "POST", rating, R"({"level":3})").status, 404);

  clock_.Set(At("2026-12-02T10:00+07:00"));
  auto rated = Call(citizen, "POST", rating,
                    R"({"level":1,"comment":"  Chờ lâu mà không được hướng dẫn trước  "})");
  ASSERT_EQ(rated.status, 201) << rated.body;
  EXPECT_EQ(Json(rated).at("level").as_int64(), 1);
  EXPECT_EQ(Str(Json(rated).at("comment")), "Chờ lâu mà không được hướng dẫn trước");
  auto twice = Call(citizen, "POST", rating, R"({"level":3})");
  EXPECT_EQ(twice.status, 409);
  EXPECT_EQ(Str(Json(twice).at("error").at("code")), "already_exists");

  // The dossier shows it to its owner and its staff; the history has the
  // level without the comment; the public lookup has the level only.
  for (Session* s : {&citizen, &officer}) {
    auto d = Get(*s, id);
    EXPECT_EQ(d.at("rating").at("level").as_int64(), 1);
    EXPECT_EQ(Str(d.at("rating").at("rated_at")), "2026-12-02T10:00:00+07:00");
    EXPECT_FALSE(d.at("can_rate").as_bool());
    const auto& last = d.at("history").as_array().back();
    EXPECT_EQ(Str(last.at("action")), "rated");
    EXPECT_EQ(last.at("details").at("level").as_int64(), 1);
    EXPECT_FALSE(last.at("details").as_object().contains("comment"));
  }
  auto pub = client_->Send("GET", "/api/v1/lookup?number=" + number + "&secret=" + secret);
  EXPECT_EQ(Json(pub).at("rating").at("level").as_int64(), 1);
  EXPECT_FALSE(Json(pub).at("can_rate").as_bool());
  EXPECT_EQ(pub.body.find("hướng dẫn"), std::string::npos);
  auto report = storage::events::VerifyEventLog(*store_);
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->broken);
}

TEST_P(DossierApiTest, WhoeverHoldsTheReceiptRatesACounterDossier) {
  Session officer = SignIn("motcua.pdp");
  Session leader = SignIn("lanhdao.pdp");
  Session specialist = SignIn("chuyenvien.pdp");
  // Received at the counter for someone without an account.
  const Counter c = AtCounter(officer);
  const std::int64_t id = c.id;
  const std::string number = c.number, secret = c.secret;
  auto rate = [&](const std::string& code, std::string_view level) {
    return client_->Send("POST", "/api/v1/lookup/rating",
                         R"({"number":")" + number + R"(","secret":")" + code + R"(","level":)" +
                             std::string(level) + "}",
                         {{"content-type", "application/json"}});
  };
  EXPECT_EQ(rate(secret, "3").status, 409);  // not ended yet
  Act(officer, id, "accept");
  Act(specialist, id, "start_processing");
  Act(specialist, id, "submit_for_approval");
  Act(leader, id, "approve");
  auto lookup = "/api/v1/lookup?number=" + number + "&secret=" + secret;
  EXPECT_FALSE(Json(client_->Send("GET", lookup))
                   .at("can_rate")
                   .as_bool());  // the result is not handed over yet
  Act(officer, id, "return_result");
  EXPECT_TRUE(Json(client_->Send("GET", lookup)).at("can_rate").as_bool());

  // A wrong code is answered as an unknown number, as in the lookup.
  std::string wrong = secret == "AAAAAAAA" ? "BBBBBBBB" : "AAAAAAAA";
  auto refused = rate(wrong, "3");
  EXPECT_EQ(refused.status, 404);
  EXPECT_EQ(rate("short", "3").status, 400);
  auto rated = rate(secret, "3");
  ASSERT_EQ(rated.status, 201) << rated.body;
  EXPECT_EQ(rate(secret, "2").status, 409);
  // The lookup answered from its cache before the rating; it shows it at once.
  auto after = Json(client_->Send("GET", lookup));
  EXPECT_EQ(after.at("rating").at("level").as_int64(), 3);
  EXPECT_FALSE(after.at("can_rate").as_bool());
  auto detail = Get(officer, id);
  const auto& last = detail.at("history").as_array().back();
  EXPECT_EQ(Str(last.at("action")), "rated");
  EXPECT_TRUE(last.at("actor_id").is_null());
  EXPECT_EQ(Str(last.at("details").at("by")), "receipt");
}

TEST_P(DossierApiTest, TheReceiptIsAPdfWithTheDossierAndItsAppointmentForThoseWhoMayReadIt) {
  Session officer = SignIn("motcua.pdp");
  Session citizen = SignIn("congdan");
  const Counter c = AtCounter(officer);
  const std::int64_t id = c.id;
  const std::string number = c.number, secret = c.secret;
  Act(officer, id, "accept");
  const std::string path = "/api/v1/dossiers/" + std::to_string(id) + "/receipt";
  auto pdf = Call(officer, "POST", path, R"({"secret":")" + secret + R"("})");
  ASSERT_EQ(pdf.status, 200) << pdf.body;
  EXPECT_EQ(pdf.Header("content-type").value_or(""), "application/pdf");
  ASSERT_EQ(pdf.body.rfind("%PDF-", 0), 0u);
  // Read back by poppler, as a person would read the printed page.
  const std::string text = PdfText(pdf.body);
  for (const std::string& expected :
       {number, std::string("Nguyễn Thị Ánh"), std::string("ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN"),
        std::string("ỦY BAN NHÂN DÂN PHƯỜNG PHAN ĐÌNH PHÙNG"), std::string("Người dùng motcua.pdp"),
        std::string("08 giờ 00 phút, ngày 07/12/2026"),
        std::string("theo quy định: 3 ngày làm việc"), secret}) {
    EXPECT_NE(text.find(expected), std::string::npos) << "missing " << expected << " in\n" << text;
  }
  // The code must be the dossier's; others cannot have its receipt at all.
  auto wrong = Call(officer, "POST", path, R"({"secret":"AAAAAAAA"})");
  EXPECT_EQ(wrong.status, 400);
  EXPECT_TRUE(Json(wrong).at("error").at("fields").as_object().contains("secret"));
  EXPECT_EQ(Call(citizen, "POST", path, R"({"secret":")" + secret + R"("})").status, 404);
  EXPECT_EQ(Call(officer, "POST", path, "{}").status, 400);
  // The process control sheet, with the hand-overs so far.
  Session specialist = SignIn("chuyenvien.pdp");
  Act(specialist, id, "start_processing");
  auto sheet = Call(officer, "GET", "/api/v1/dossiers/" + std::to_string(id) + "/control-sheet");
  ASSERT_EQ(sheet.status, 200) << sheet.body;
  EXPECT_EQ(sheet.Header("content-type").value_or(""), "application/pdf");
  const std::string rows = PdfText(sheet.body);
  for (const std::string& expected :
       {std::string("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"), number,
        std::string("1. Mới tiếp nhận"), std::string("3. Đang thẩm định")})
    EXPECT_NE(rows.find(expected), std::string::npos) << "missing " << expected << " in\n" << rows;
  EXPECT_EQ(
      Call(citizen, "GET", "/api/v1/dossiers/" + std::to_string(id) + "/control-sheet").status,
      404);
  // Printing them is a read of the applicant's data: it is on file.
  auto log = Json(Call(officer, "GET", "/api/v1/dossiers/" + std::to_string(id) + "/access-log"));
  bool printed = false;
  for (const auto& e : log.at("items").as_array())
    printed = printed || Str(e.at("route")).find("/receipt") != std::string::npos;
  EXPECT_TRUE(printed);
}

TEST_P(DossierApiTest, TheLettersToTheCitizenComeFromTheEventsThatDecidedThem) {
  Session citizen = SignIn("congdan");
  Session officer = SignIn("motcua.pdp");
  Session specialist = SignIn("chuyenvien.pdp");
  Session leader = SignIn("lanhdao.pdp");
  const std::int64_t id = Submit(citizen).at("dossier").at("id").as_int64();
  const std::string forms = "/api/v1/dossiers/" + std::to_string(id) + "/forms/";
  EXPECT_EQ(Call(officer, "GET", forms + "02").status, 404);  // nothing asked yet
  Act(officer, id, "accept");
  Act(specialist, id, "start_processing");
  Act(specialist, id, "request_supplement",
      R"({"reason":"Thiếu giấy tờ","items":[{"component_code":"TP2","description":"Bản sao bị mờ, nộp lại bản rõ"}]})");
  // The dossier lists the letters its history decided.
  auto listed = Get(citizen, id).at("forms").as_array();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(Str(listed.at(0)), "02");
  auto asked = Call(citizen, "GET", forms + "02");
  ASSERT_EQ(asked.status, 200) << asked.body;
  const std::string text = PdfText(asked.body);
  for (const std::string& expected :
       {std::string("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"),
        std::string("1. Bản sao bị mờ, nộp lại bản rõ"), std::string("Lý do: Thiếu giấy tờ"),
        std::string("Kính gửi: Nguyễn Thị Ánh"), std::string("Người dùng chuyenvien.pdp")})
    EXPECT_NE(text.find(expected), std::string::npos) << "missing " << expected << " in\n" << text;
  EXPECT_EQ(Call(officer, "GET", forms + "03").status, 404);  // not refused
  EXPECT_EQ(Call(officer, "GET", forms + "07").status, 400);
  // The apology, with its new appointment.
  Act(citizen, id, "supplement",
      R"({"files":[{"attachment_id":")" + Upload(citizen) + R"(","component_code":"TP2"}]})");
  auto sorry = Call(leader, "POST", "/api/v1/dossiers/" + std::to_string(id) + "/apology",
                    R"({"new_due_at":"2026-12-21T16:00+07:00","reason":"Cần xác minh thêm"})");
  ASSERT_EQ(sorry.status, 200) << sorry.body;
  auto both = Get(officer, id).at("forms").as_array();
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(Str(both.at(1)), "04");
  auto letter = Call(officer, "GET", forms + "04");
  ASSERT_EQ(letter.status, 200);
  EXPECT_NE(PdfText(letter.body).find("16 giờ 00 phút, ngày 21/12/2026"), std::string::npos);
  // A refusal at intake, on another dossier.
  const std::int64_t other = Submit(citizen).at("dossier").at("id").as_int64();
  Act(officer, other, "refuse", R"({"reason":"Không thuộc thẩm quyền của phường"})");
  auto refused = Call(citizen, "GET", "/api/v1/dossiers/" + std::to_string(other) + "/forms/03");
  ASSERT_EQ(refused.status, 200);
  EXPECT_NE(PdfText(refused.body).find("Lý do: Không thuộc thẩm quyền của phường"),
            std::string::npos);
  // Processing stopped by the leader, on a third.
  const std::int64_t third = Submit(citizen).at("dossier").at("id").as_int64();
  Act(officer, third, "accept");
  Act(specialist, third, "start_processing");
  Act(leader, third, "stop", R"({"reason":"Người nộp đề nghị dừng để bổ sung giấy tờ khác"})");
  auto stopped = Call(citizen, "GET", "/api/v1/dossiers/" + std::to_string(third) + "/forms/05");
  ASSERT_EQ(stopped.status, 200) << stopped.body;
  const std::string stop_text = PdfText(stopped.body);
  EXPECT_NE(stop_text.find("THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ"), std::string::npos) << stop_text;
  EXPECT_NE(stop_text.find("Lý do: Người nộp đề nghị dừng để bổ sung giấy tờ khác"),
            std::string::npos)
      << stop_text;
  EXPECT_NE(stop_text.find("Người dùng lanhdao.pdp"), std::string::npos) << stop_text;
  // Nobody else reads them.
  Session stranger = SignIn("congdan2");
  EXPECT_EQ(Call(stranger, "GET", forms + "02").status, 404);
}

TEST_P(DossierApiTest, AWithdrawnDossierIsNotRated) {
  Session citizen = SignIn("congdan");
  const std::int64_t id = Submit(citizen).at("dossier").at("id").as_int64();
  Act(citizen, id, "withdraw", R"({"reason":"Nộp nhầm thủ tục"})");
  EXPECT_FALSE(Get(citizen, id).at("can_rate").as_bool());
  auto r =
      Call(citizen, "POST", "/api/v1/dossiers/" + std::to_string(id) + "/rating", R"({"level":2})");
  EXPECT_EQ(r.status, 409) << r.body;
}

// Every scenario on both engines: SQLite, and the PostgreSQL server the test
// command starts.
TEST_P(DossierApiTest, TheLeaderSignsTheResultAndWhoeverHoldsItCanVerifyIt) {
  Session citizen = SignIn("congdan");
  Session officer = SignIn("motcua.pdp");
  Session specialist = SignIn("chuyenvien.pdp");
  Session leader = SignIn("lanhdao.pdp");
  auto created = Submit(citizen);
  const std::int64_t id = created.at("dossier").at("id").as_int64();
  const std::string number = Str(created.at("dossier").at("number"));
  Act(officer, id, "accept");
  Act(specialist, id, "start_processing");
  const std::string path = "/api/v1/dossiers/" + std::to_string(id) + "/result";
  EXPECT_EQ(Str(Json(Call(specialist, "GET", path)).at("state")), "none");

  // Who prepares it, and with what.
  EXPECT_EQ(Call(officer, "PUT", path, R"({"generate":true,"content":"x"})").status, 403);
  auto missing = Call(specialist, "PUT", path, R"({"generate":true})");
  EXPECT_EQ(missing.status, 400);
  EXPECT_TRUE(Json(missing).at("error").at("fields").as_object().contains("content"))
      << missing.body;
  auto not_pdf =
      Call(specialist, "PUT", path, R"({"attachment":"0123456789abcdef0123456789abcdef"})");
  EXPECT_EQ(not_pdf.status, 400) << not_pdf.body;
  auto draft = Call(
      specialist, "PUT", path,
      R"({"generate":true,"content":"Cấp bản sao trích lục khai sinh cho bà Nguyễn Thị Ánh.\nSố: 123/TLKS-BS."})");
  ASSERT_EQ(draft.status, 200) << draft.body;
  const std::string code = Str(Json(draft).at("code"));
  EXPECT_EQ(code.size(), 16u);
  EXPECT_EQ(Str(Json(draft).at("state")), "draft");
  // The verify link is the configured address's, whatever Host the request
  // names (issue 19: "Host: evil.example" was printed on citizens' papers).
  {
    std::string raw = "GET " + path + " HTTP/1.1\r\nHost: evil.example\r\n";
    for (const auto& [k, v] : leader.headers) raw += k + ": " + v + "\r\n";
    auto forged = client_->SendRaw(raw + "\r\n");
    ASSERT_EQ(forged.status, 200) << forged.body;
    EXPECT_EQ(Str(Json(forged).at("verify_url")), "http://127.0.0.1:8080/verify/" + code);
  }
  // The citizen sees nothing until it is signed; the staff read the draft.
  EXPECT_EQ(Str(Json(Call(citizen, "GET", path)).at("state")), "none");
  EXPECT_EQ(Call(citizen, "GET", path + "/file").status, 404);
  // Nor by the file's own address (issue 19: the draft was served there),
  // nor its description; the staff too read results through the result route.
  const std::string draft_id = Str(Json(draft).at("file").at("id"));
  EXPECT_EQ(Call(citizen, "GET", "/api/v1/attachments/" + draft_id).status, 404);
  EXPECT_EQ(Call(citizen, "GET", "/api/v1/attachments/" + draft_id + "/meta").status, 404);
  EXPECT_EQ(Call(leader, "GET", "/api/v1/attachments/" + draft_id).status, 404);
  auto draft_file = Call(leader, "GET", path + "/file");
  ASSERT_EQ(draft_file.status, 200);
  const std::string draft_text = PdfText(draft_file.body);
  EXPECT_NE(draft_text.find("KẾT QUẢ GIẢI QUYẾT HỒ SƠ"), std::string::npos) << draft_text;
  EXPECT_NE(draft_text.find("Số: 123/TLKS-BS."), std::string::npos) << draft_text;
  EXPECT_NE(draft_text.find("Kính gửi: Nguyễn Thị Ánh"), std::string::npos) << draft_text;

  // Signing: the leader only, with a file and password that open, from a trusted CA.
  auto b64 = [](const std::string& der) {
    std::string out(4 * ((der.size() + 2) / 3) + 1, '\0');
    out.resize(static_cast<std::size_t>(EVP_EncodeBlock(
        reinterpret_cast<unsigned char*>(out.data()),
        reinterpret_cast<const unsigned char*>(der.data()), static_cast<int>(der.size()))));
    return out;
  };
  auto sign_body = [&](const std::string& der, const std::string& password) {
    return json::serialize(json::object{{"pkcs12", b64(der)}, {"password", password}});
  };
  EXPECT_EQ(
      Call(specialist, "POST", path + "/sign", sign_body(Pki().leader_p12, "p12-pass")).status,
      403);
  auto wrong = Call(leader, "POST", path + "/sign", sign_body(Pki().leader_p12, "guess"));
  EXPECT_EQ(wrong.status, 400);
  EXPECT_TRUE(Json(wrong).at("error").at("fields").as_object().contains("password")) << wrong.body;
  auto junk = Call(leader, "POST", path + "/sign", R"({"pkcs12":"bm90IGEgcDEy","password":"x"})");
  EXPECT_EQ(junk.status, 400);
  EXPECT_TRUE(Json(junk).at("error").at("fields").as_object().contains("pkcs12")) << junk.body;
  const auto other_ca = *documents::MakeDemoCa("Somebody", "", At("2026-01-01T00:00+07:00"), 10);
  auto foreign = Call(leader, "POST", path + "/sign",
                      sign_body(*documents::MakeDemoSigner(other_ca, "Kẻ Mạo Danh", "", "x",
                                                           At("2026-01-01T00:00+07:00"), 1),
                                "x"));
  EXPECT_EQ(foreign.status, 400) << foreign.body;
  EXPECT_TRUE(Json(foreign).at("error").at("fields").as_object().contains("pkcs12"))
      << foreign.body;
  // The certificate must be registered to the signer's account (issue 19: a
  // leader signed with another leader's .p12 and its password).
  auto not_registered =
      Call(leader, "POST", path + "/sign", sign_body(Pki().leader_p12, "p12-pass"));
  EXPECT_EQ(not_registered.status, 403) << not_registered.body;
  EXPECT_TRUE(Json(not_registered).at("error").at("fields").as_object().contains("pkcs12"));
  AddUser("quantri.tinh", Role::kProvinceAdmin, UnitId("000.00.00.H55"), true);
  Session admin = SignIn("quantri.tinh");
  auto id_of = [&](const char* username) {
    Session s = SignIn(username);
    return Json(Call(s, "GET", "/api/v1/auth/me")).at("user").at("id").as_int64();
  };
  auto cert_of = [&](const std::string& p12, const std::string& password) {
    auto identity = documents::SigningIdentity::FromPkcs12(p12, password);
    EXPECT_TRUE(identity);
    unsigned char* der = nullptr;
    const int n = i2d_X509(identity->x509(), &der);
    std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(n));
    OPENSSL_free(der);
    return json::serialize(json::object{{"certificate", b64(out)}});
  };
  const std::string mine =
      "/api/v1/users/" + std::to_string(id_of("lanhdao.pdp")) + "/certificates";
  const std::string theirs =
      "/api/v1/users/" + std::to_string(id_of("lanhdao.tuphap")) + "/certificates";
  EXPECT_EQ(Call(leader, "POST", mine, cert_of(Pki().leader_p12, "p12-pass")).status, 403);
  auto registered = Call(admin, "POST", mine, cert_of(Pki().leader_p12, "p12-pass"));
  ASSERT_EQ(registered.status, 201) << registered.body;
  EXPECT_EQ(Str(Json(registered).at("subject")), "Ngô Quang Huy");
  ASSERT_EQ(Call(admin, "POST", theirs, cert_of(Pki().other_leader_p12, "p12-other")).status, 201);
  // One certificate signs for one person.
  EXPECT_EQ(Call(admin, "POST", theirs, cert_of(Pki().leader_p12, "p12-pass")).status, 409);
  EXPECT_EQ(Call(admin, "POST", mine, R"({"certificate":"bm90IGEgY2VydA=="})").status, 400);
  // The other leader's file and password: not this leader's to sign with.
  auto borrowed =
      Call(leader, "POST", path + "/sign", sign_body(Pki().other_leader_p12, "p12-other"));
  EXPECT_EQ(borrowed.status, 403) << borrowed.body;
  // A revoked certificate signs no more.
  const std::int64_t theirs_id =
      Json(Call(admin, "GET", theirs)).at("items").at(0).at("id").as_int64();
  EXPECT_EQ(Call(admin, "DELETE", theirs + "/" + std::to_string(theirs_id)).status, 204);
  EXPECT_FALSE(Json(Call(admin, "GET", theirs)).at("items").at(0).at("revoked_at").is_null());
  EXPECT_EQ(Json(Call(leader, "GET", mine)).at("items").as_array().size(), 1u);  // one's own
  clock_.Set(At("2026-12-03T09:15+07:00"));
  auto signed_result =
      Call(leader, "POST", path + "/sign", sign_body(Pki().leader_p12, "p12-pass"));
  ASSERT_EQ(signed_result.status, 200) << signed_result.body;
  auto s = Json(signed_result);
  EXPECT_EQ(Str(s.at("state")), "signed");
  EXPECT_EQ(Str(s.at("code")), code);
  EXPECT_EQ(Str(s.at("certificate").at("subject")), "Ngô Quang Huy");
  EXPECT_EQ(Str(s.at("signed_at")), "2026-12-03T09:15:00+07:00");
  // Once signed it is the result: not signed twice, not replaced.
  EXPECT_EQ(Call(leader, "POST", path + "/sign", sign_body(Pki().leader_p12, "p12-pass")).status,
            409);
  EXPECT_EQ(Call(specialist, "PUT", path, R"({"generate":true,"content":"khác"})").status, 409);

  // The citizen downloads it; it is the file the leader signed.
  EXPECT_EQ(Str(Json(Call(citizen, "GET", path)).at("state")), "signed");
  auto file = Call(citizen, "GET", path + "/file");
  ASSERT_EQ(file.status, 200);
  EXPECT_EQ(file.Header("content-type").value_or(""), "application/pdf");
  EXPECT_NE(PdfText(file.body).find("Số: 123/TLKS-BS."), std::string::npos);
  EXPECT_EQ(Str(s.at("file").at("sha256")),
            Str(Json(Call(citizen, "GET", path)).at("file").at("sha256")));

  // Whoever holds it checks it, signed in or not.
  auto verify = [&](const std::string& target, const std::string& bytes) {
    auto r = client_->Send("POST", target, bytes, {{"content-type", "application/pdf"}});
    EXPECT_EQ(r.status, 200) << r.body;
    return Json(r);
  };
  auto issued = verify("/api/v1/verify?code=" + code, file.body);
  EXPECT_EQ(Str(issued.at("verdict")), "issued");
  EXPECT_EQ(Str(issued.at("result").at("number")), number);
  EXPECT_EQ(Str(issued.at("result").at("certificate").at("subject")), "Ngô Quang Huy");
  EXPECT_TRUE(issued.at("signature").at("intact").as_bool());
  EXPECT_TRUE(issued.at("signature").at("trusted").as_bool());
  EXPECT_EQ(Str(verify("/api/v1/verify", file.body).at("verdict")), "issued");
  // One byte changed in what the signature covers (after its hole).
  std::string tampered = file.body;
  const std::size_t hole_end = tampered.find('>', tampered.find("/Contents <"));
  ASSERT_NE(hole_end, std::string::npos);
  const std::size_t at = hole_end + (tampered.size() - hole_end) / 2;
  tampered[at] = static_cast<char>(tampered[at] ^ 0x20);
  auto changed = verify("/api/v1/verify?code=" + code, tampered);
  EXPECT_EQ(Str(changed.at("verdict")), "changed");
  EXPECT_FALSE(changed.at("signature").at("intact").as_bool());
  EXPECT_EQ(Str(verify("/api/v1/verify", tampered).at("verdict")), "changed");
  EXPECT_EQ(Str(verify("/api/v1/verify", draft_file.body).at("verdict")), "unknown");
  // The public page's facts: what it is and who signed, not who asked.
  auto facts = client_->Send("GET", "/api/v1/verify/" + code);
  ASSERT_EQ(facts.status, 200);
  EXPECT_EQ(Str(Json(facts).at("number")), number);
  EXPECT_EQ(Str(Json(facts).at("signed_at")), "2026-12-03T09:15:00+07:00");
  EXPECT_EQ(facts.body.find("Nguyễn Thị Ánh"), std::string::npos);
  EXPECT_EQ(client_->Send("GET", "/api/v1/verify/aaaaaaaaaaaaaaaa").status, 404);
  EXPECT_EQ(client_->Send("GET", "/api/v1/verify/NOT-A-CODE").status, 400);
  EXPECT_EQ(client_->Send("POST", "/api/v1/verify", "x", {{"content-type", "text/plain"}}).status,
            400);

  // The history says who prepared and who signed.
  std::vector<std::string> actions;
  auto full = Get(citizen, id);
  for (const auto& h : full.at("history").as_array()) actions.push_back(Str(h.at("action")));
  EXPECT_NE(std::find(actions.begin(), actions.end(), "result_drafted"), actions.end());
  EXPECT_NE(std::find(actions.begin(), actions.end(), "result_signed"), actions.end());
  // The result's files are not among the documents the applicant submitted.
  EXPECT_EQ(full.at("files").as_array().size(), 2u);
  // And the chain of events still verifies.
  auto report = storage::events::VerifyEventLog(*store_);
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->broken);
}

TEST_P(DossierApiTest, StatisticsFollowEveryChangeAndARebuildGivesTheSameFigures) {
  Session citizen = SignIn("congdan");
  Session officer = SignIn("motcua.pdp");
  Session specialist = SignIn("chuyenvien.pdp");
  Session leader = SignIn("lanhdao.pdp");
  const std::int64_t done = Submit(citizen).at("dossier").at("id").as_int64();
  const std::int64_t open = Submit(citizen).at("dossier").at("id").as_int64();
  const std::int64_t refused = Submit(citizen).at("dossier").at("id").as_int64();
  Act(officer, done, "accept");
  Act(specialist, done, "start_processing");
  Act(specialist, done, "submit_for_approval");
  Act(leader, done, "approve");
  Act(officer, done, "return_result");
  auto accepted = Act(officer, open, "accept");
  Act(officer, refused, "refuse", R"({"reason":"Không thuộc thẩm quyền"})");
  auto rated = Call(citizen, "POST", "/api/v1/dossiers/" + std::to_string(done) + "/rating",
                    R"({"level":3})");
  ASSERT_LT(rated.status, 300) << rated.body;
  const std::string due =
      Str(accepted.at("due_at")).substr(0, 10);  // the open dossier's appointment day
  auto figures = [&](Session& s, const std::string& period, int expect = 200) {
    app_->statistics().Flush();
    auto r =
        Call(s, "GET", "/api/v1/statistics?unit=" + std::to_string(commune_) + "&period=" + period);
    EXPECT_EQ(r.status, expect) << r.body;
    return r;
  };
  auto month = figures(leader, "2026-12");
  auto t = Json(month).at("totals").as_object();
  EXPECT_EQ(t.at("received").as_int64(), 3);
  EXPECT_EQ(t.at("received_online").as_int64(), 3);
  EXPECT_EQ(t.at("decided").as_int64(), 2);        // the one approved and the one refused
  EXPECT_EQ(t.at("decided_early").as_int64(), 1);  // approved the day it came
  EXPECT_EQ(t.at("returned").as_int64(), 1);
  EXPECT_EQ(t.at("in_progress").as_int64(), 1);
  EXPECT_EQ(t.at("overdue").as_int64(), 0);
  EXPECT_EQ(t.at("carried_over").as_int64(), 0);
  EXPECT_EQ(Str(Json(month).at("period").at("name")), "Tháng 12/2026");
  // The 766 index of the month: the progress indicator counted, what motcua does not hold not
  // available.
  auto groups = Json(month).at("index").at("groups").as_array();
  auto progress = groups.at(1).at("indicators").at(0).as_object();
  EXPECT_EQ(Str(progress.at("id")), "dossiers_on_time");
  // Judged: the one decided with an appointment (the refusal at intake never had one).
  EXPECT_EQ(progress.at("counted").at("count").as_int64(), 1);
  EXPECT_EQ(progress.at("counted").at("of").as_int64(), 1);
  EXPECT_DOUBLE_EQ(progress.at("score").as_double(), 20.0);
  EXPECT_EQ(Str(groups.at(0).at("indicators").at(0).at("unavailable")), "not_held");
  // The citizen's rating: satisfaction with dossier handling is measured.
  EXPECT_EQ(t.at("rated").as_int64(), 1);
  auto satisfaction = groups.at(4).at("indicators").at(2).as_object();
  EXPECT_EQ(Str(satisfaction.at("id")), "dossier_satisfaction");
  EXPECT_DOUBLE_EQ(satisfaction.at("score").as_double(), 6.0);
  EXPECT_TRUE(Json(month).at("index").at("grade").is_null());
  // On its appointment's day the open dossier becomes overdue, with no event.
  clock_.Set(*calendar::ParseMoment(due + "T17:30+07:00"));
  auto after = figures(leader, due);
  EXPECT_EQ(Json(after).at("totals").at("overdue").as_int64(), 1) << after.body;
  EXPECT_EQ(Json(after).at("totals").at("received").as_int64(), 0);
  // Decree 09's report month of January 2027 starts on 15 December: what was open then is carried
  // over.
  clock_.Set(At("2027-01-05T09:00+07:00"));
  auto january = figures(leader, "bc-2027-01");
  EXPECT_EQ(Json(january).at("totals").at("carried_over").as_int64(), 1) << january.body;
  EXPECT_EQ(Str(Json(january).at("period").at("first_day")), "2026-12-15");
  // The same figures when everything is counted again from the dossiers.
  EXPECT_EQ(Json(january).at("totals").at("overdue").as_int64(), 1);
  EXPECT_EQ(Str(Json(january).at("period").at("as_of")), "2027-01-05");
  ASSERT_TRUE(app_->statistics().Rebuild());
  EXPECT_EQ(figures(leader, "bc-2027-01").body, january.body);
  EXPECT_EQ(figures(leader, due).body, after.body);
  // And from the event log alone, every history replayed.
  ASSERT_TRUE(app_->statistics().Rebuild(stats::StatsService::Source::kEventLog));
  EXPECT_EQ(figures(leader, "bc-2027-01").body, january.body);
  EXPECT_EQ(figures(leader, due).body, after.body);
  // Who may see them, and what is asked.
  figures(citizen, "2026-12", 403);
  Session elsewhere = SignIn("motcua.babe");
  figures(elsewhere, "2026-12", 403);
  auto bad = figures(leader, "2026-13", 400);
  EXPECT_TRUE(Json(bad).at("error").at("fields").as_object().contains("period"));
  auto no_unit = Call(leader, "GET", "/api/v1/statistics?period=2026-12");
  EXPECT_EQ(no_unit.status, 400);
}

// `motcua serve` listens at once and counts the figures on a thread of
// their own: meanwhile the statistics and the report answer 503 with
// Retry-After, and everything else works; what changed meanwhile is counted.
TEST_P(DossierApiTest, UntilTheFiguresAreCountedTheyAnswer503AndEverythingElseWorks) {
  Session citizen = SignIn("congdan");
  Session officer = SignIn("motcua.pdp");
  Session leader = SignIn("lanhdao.pdp");
  const std::int64_t before = Submit(citizen).at("dossier").at("id").as_int64();
  // The count waits for the test's word (at 10 M dossiers it takes some 40 s).
  std::promise<void> go;
  struct Release {
    std::promise<void>& p;
    bool done = false;
    void operator()() {
      if (!done) p.set_value();
      done = true;
    }
    ~Release() { (*this)(); }
  } release{go};
  std::shared_future<void> gate = go.get_future().share();
  app_->statistics().CountInBackground([gate] { gate.wait(); });
  const std::string query = "?unit=" + std::to_string(commune_) + "&period=2026-12";
  auto busy = Call(leader, "GET", "/api/v1/statistics" + query);
  EXPECT_EQ(busy.status, 503) << busy.body;
  const int retry = std::atoi(std::string(busy.Header("retry-after").value_or("0")).c_str());
  EXPECT_GE(retry, 1);
  EXPECT_LE(retry, 60);
  EXPECT_EQ(Str(Json(busy).at("error").at("code")), "unavailable") << busy.body;
  EXPECT_EQ(Call(leader, "GET", "/api/v1/reports/decree09" + query).status, 503);
  // Everything else answers: an action, a new dossier, the inbox, the lookup.
  Act(officer, before, "accept");
  const std::int64_t meanwhile = Submit(citizen).at("dossier").at("id").as_int64();
  EXPECT_NE(meanwhile, 0);
  EXPECT_EQ(Call(officer, "GET", "/api/v1/inbox").status, 200);
  release();
  http::Response ready;
  for (int i = 0; i < 200; ++i) {
    ready = Call(leader, "GET", "/api/v1/statistics" + query);
    if (ready.status != 503) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(ready.status, 200) << ready.body;
  app_->statistics().Flush();
  auto t = Json(Call(leader, "GET", "/api/v1/statistics" + query)).at("totals").as_object();
  EXPECT_EQ(t.at("received").as_int64(), 2);
  EXPECT_EQ(t.at("in_progress").as_int64(), 2);
}

// A restart reads the statistics' saved facts instead of counting every
// dossier, then only the dossiers changed since the save, from their rows:
// the figures are those of a count from scratch. A snapshot made with other
// office hours, or damaged, is not used: the count is from scratch.
TEST_P(DossierApiTest, ARestartReadsTheSavedStatisticsAndCountsOnlyWhatChangedSince) {
  Session citizen = SignIn("congdan");
  Session officer = SignIn("motcua.pdp");
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 4; ++i) ids.push_back(Submit(citizen).at("dossier").at("id").as_int64());
  Act(officer, ids[0], "accept");
  ASSERT_TRUE(app_->statistics().Rebuild());
  ASSERT_TRUE(app_->statistics().SaveSnapshot());
  // After the save: a dossier accepted, one more received.
  clock_.Advance(std::chrono::minutes(5));
  Act(officer, ids[1], "accept");
  Submit(citizen);
  app_->statistics().Flush();

  const char* source = std::getenv("MOTCUA_SOURCE_DIR");
  auto restart = [&](std::string office_hours) {
    auto app = App::Create(
        *store_, clock_,
        AppOptions{.data_dir = (std::filesystem::path(source ? source : ".") / "data").string(),
                   .attachments_dir = (province_.dir() / "attachments").string(),
                   .office_hours = std::move(office_hours),
                   .trust_dir = (province_.dir() / "trusted-ca").string()});
    EXPECT_TRUE(app) << app.error().message;
    return std::move(*app);
  };
  auto counted = [](stats::StatsService& s) {
    s.CountInBackground();
    for (int i = 0; i < 1000 && !s.CountingProgress().ready; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return s.CountingProgress();
  };
  const stats::FiguresQuery query{.unit_id = commune_,
                                  .period = *stats::ParsePeriod("2026-12"),
                                  .by = stats::Breakdown::kProcedure};
  auto expected = app_->statistics().Figures(query);
  ASSERT_TRUE(expected) << expected.error().message;
  ASSERT_EQ(expected->totals.received, 5);
  auto same_figures = [&](stats::StatsService& s) {
    auto got = s.Figures(query);
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_EQ(got->totals, expected->totals);
    ASSERT_EQ(got->rows.size(), expected->rows.size());
    for (std::size_t i = 0; i < got->rows.size(); ++i) {
      EXPECT_EQ(got->rows[i].key, expected->rows[i].key);
      EXPECT_EQ(got->rows[i].totals, expected->rows[i].totals);
    }
  };
  {
    auto second = restart("");
    const auto ready = counted(second->statistics());
    ASSERT_TRUE(ready.ready);
    EXPECT_TRUE(ready.from_snapshot);
    EXPECT_EQ(ready.read_again, 2);  // the one accepted and the new one
    same_figures(second->statistics());
  }
  {
    // A dossier received through another `motcua serve` on the same
    // database: no listener here hears of it; the catch-up reads it, and the
    // snapshot saved after it holds it.
    internal::TestProvince other;
    auto started =
        other.Start(std::string("dossier-snapshot-") + storage::testing::EngineName(GetParam()),
                    clock_, {.engine = GetParam(), .url = province_.url()});
    ASSERT_TRUE(started) << started.error().message;
    http::Headers h = officer.headers;
    h.emplace_back("content-type", "application/json");
    auto r = other.client().Send(
        "POST", "/api/v1/dossiers",
        R"({"procedure_code":"1.004873.000.00.00.H56","unit_id":)" + std::to_string(commune_) +
            R"(,"channel":1,"consent":true,"applicant":{"full_name":"Trần Văn Bình",)"
            R"("id_number":"001203004568","phone":"0912345679"}})",
        h);
    ASSERT_EQ(r.status, 201) << r.body;
    app_->statistics().Flush();
    EXPECT_EQ(app_->statistics().Figures(query)->totals.received, 5);  // not heard of
    ASSERT_TRUE(app_->statistics().CatchUp());
    EXPECT_EQ(app_->statistics().Figures(query)->totals.received, 6);
    ASSERT_TRUE(app_->statistics().SaveSnapshot());
    expected = app_->statistics().Figures(query);
    ASSERT_TRUE(expected);
    auto after = restart("");
    const auto ready = counted(after->statistics());
    ASSERT_TRUE(ready.from_snapshot);
    EXPECT_EQ(ready.read_again, 0);
    same_figures(after->statistics());
  }
  {
    // Other office hours give other working times: not this snapshot.
    auto other = restart("08:00-12:00,13:00-17:00");
    const auto ready = counted(other->statistics());
    ASSERT_TRUE(ready.ready);
    EXPECT_FALSE(ready.from_snapshot);
    EXPECT_EQ(ready.read_again, 6);
    auto got = other->statistics().Figures(query);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->totals.received, 6);
  }
  // The count from scratch saved one of its own basis; damage it.
  ASSERT_TRUE(store_->WriteSync([&](storage::Tx& tx) -> Status {
    MOTCUA_TRY(tx.Exec("UPDATE stats_snapshot_parts SET data = 'QUJD' WHERE part = 1"));
    return {};
  }));
  {
    auto third = restart("08:00-12:00,13:00-17:00");
    const auto ready = counted(third->statistics());
    ASSERT_TRUE(ready.ready);
    EXPECT_FALSE(ready.from_snapshot);
    auto got = third->statistics().Figures(query);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->totals.received, 6);
  }
}

TEST_P(DossierApiTest, StatisticsByUnitProcedureAndFieldAddUpAndTodaysUnitsTakeInTheMergedOnes) {
  Session citizen = SignIn("congdan");
  Session officer = SignIn("motcua.pdp");
  AddUser("quantri", Role::kProvinceAdmin, UnitId("000.00.00.H55"), true);
  Session admin = SignIn("quantri");
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(Submit(citizen).at("dossier").at("id").as_int64());
  Act(officer, ids[0], "accept");
  // An old dossier of Phường Quang Trung, merged into Phan Đình Phùng on 1 July 2025
  // (its row edited: the history still says Phan Đình Phùng, put back at the end).
  const std::int64_t quang_trung = UnitId("000.01.41.H55");
  ASSERT_TRUE(store_->WriteSync([&](storage::Tx& tx) -> Status {
    MOTCUA_TRY(
        tx.Exec("UPDATE dossiers SET receiving_unit_id = $1 WHERE id = $2", {quang_trung, ids[2]}));
    return {};
  }));
  app_->statistics().Changed(ids[2]);
  auto get = [&](const std::string& query, int expect = 200) {
    app_->statistics().Flush();
    auto r = Call(admin, "GET", "/api/v1/statistics?" + query);
    EXPECT_EQ(r.status, expect) << query << " " << r.body;
    return Json(r);
  };
  const std::string commune = std::to_string(commune_);
  // The units of the time: the old ward's dossier is not the new ward's.
  EXPECT_EQ(get("unit=" + commune + "&period=2026-12").at("totals").at("received").as_int64(), 2);
  auto today = get("unit=" + commune + "&period=2026-12&units=today");
  EXPECT_EQ(today.at("totals").at("received").as_int64(), 3);
  EXPECT_EQ(Str(today.at("units")), "today");
  EXPECT_EQ(today.at("units_counted").as_int64(), 3);  // itself, Quang Trung and Hoàng Văn Thụ
  // The province by its units: a row per unit active now, the ward's with what it took in.
  const std::string province = std::to_string(UnitId("000.00.00.H55"));
  auto units = get("unit=" + province + "&period=2026-12&by=unit&units=today");
  std::int64_t sum = 0;
  bool found = false;
  for (const auto& row : units.at("rows").as_array()) {
    sum += row.at("totals").at("received").as_int64();
    EXPECT_NE(Str(row.at("name")), "Thành phố Thái Nguyên");  // retired: not a row of today's
    if (row.at("unit_id").as_int64() == commune_) {
      found = true;
      EXPECT_EQ(row.at("totals").at("received").as_int64(), 3);
      EXPECT_EQ(Str(row.at("name")), "Phường Phan Đình Phùng");
      EXPECT_EQ(row.at("index").at("groups").as_array().size(), 5u);
    }
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(sum, 3);
  EXPECT_EQ(units.at("totals").at("received").as_int64(), 3);
  // By procedure and by field: the rows add up to the totals.
  for (const std::string by : {"procedure", "field"}) {
    auto rows = get("unit=" + commune + "&period=2026-12&by=" + by + "&units=today");
    ASSERT_EQ(rows.at("rows").as_array().size(), 1u) << by;
    const auto& row = rows.at("rows").at(0);
    EXPECT_EQ(row.at("totals"), rows.at("totals")) << by;
    EXPECT_EQ(row.at("totals").at("received").as_int64(), 3);
    if (by == "procedure") {
      EXPECT_EQ(Str(row.at("procedure_code")), kProcedure);
      EXPECT_FALSE(Str(row.at("name")).empty());
    } else {
      EXPECT_EQ(Str(row.at("name")), "Hộ tịch");
    }
  }
  // By month: the year's months begun by today, the last with this month's dossiers.
  auto months = get("unit=" + commune + "&period=2026&by=month");
  ASSERT_EQ(months.at("rows").as_array().size(), 12u);
  EXPECT_EQ(Str(months.at("rows").at(11).at("period")), "2026-12");
  EXPECT_EQ(Str(months.at("rows").at(11).at("name")), "Tháng 12/2026");
  EXPECT_EQ(months.at("rows").at(11).at("totals").at("received").as_int64(), 2);
  EXPECT_EQ(months.at("rows").at(0).at("totals").at("received").as_int64(), 0);
  EXPECT_EQ(get("unit=" + commune + "&period=bc-2027&by=month").at("rows").as_array().size(),
            0u);  // begins 15/12
  EXPECT_EQ(get("unit=" + commune + "&period=bc-2026-Q4&by=month").at("rows").as_array().size(),
            3u);
  // A day has no rows by procedure (the counters keep those by half month); unknown breakdowns are
  // named.
  auto day = get("unit=" + commune + "&period=2026-12-02&by=procedure", 400);
  EXPECT_TRUE(day.at("error").at("fields").as_object().contains("by"));
  auto wrong = get("unit=" + commune + "&period=2026-12&by=officer&units=yesterday", 400);
  EXPECT_TRUE(wrong.at("error").at("fields").as_object().contains("by"));
  EXPECT_TRUE(wrong.at("error").at("fields").as_object().contains("units"));
  // The edited row disagrees with the event log, and the check names it.
  auto check = app_->statistics().CheckAgainstEventLog();
  ASSERT_TRUE(check) << check.error().message;
  EXPECT_EQ(check->dossiers, 3);
  EXPECT_EQ(check->disagreeing, 1);
  ASSERT_EQ(check->problems.size(), 1u);
  EXPECT_EQ(check->problems[0], "dossier " + std::to_string(ids[2]) +
                                    ": receiving_unit_id: table " + std::to_string(quang_trung) +
                                    ", history " + std::to_string(commune_));
  ASSERT_TRUE(store_->WriteSync([&](storage::Tx& tx) -> Status {
    MOTCUA_TRY(
        tx.Exec("UPDATE dossiers SET receiving_unit_id = $1 WHERE id = $2", {commune_, ids[2]}));
    return {};
  }));
}

TEST_P(DossierApiTest, TheDecree09ReportBalancesByFieldAsJsonCsvAndXlsx) {
  Session citizen = SignIn("congdan");
  Session officer = SignIn("motcua.pdp");
  Session leader = SignIn("lanhdao.pdp");
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(Submit(citizen).at("dossier").at("id").as_int64());
  Act(officer, ids[0], "accept");
  Act(officer, ids[1], "refuse", R"({"reason":"Không thuộc thẩm quyền"})");
  app_->statistics().Flush();
  const std::string base =
      "/api/v1/reports/decree09?unit=" + std::to_string(commune_) + "&period=2026-12";
  auto report = Call(leader, "GET", base);
  ASSERT_EQ(report.status, 200) << report.body;
  auto j = Json(report);
  EXPECT_EQ(Str(j.at("unit_name")), "Phường Phan Đình Phùng");
  ASSERT_EQ(j.at("columns").as_array().size(), 12u);
  EXPECT_EQ(Str(j.at("columns").at(4).at("group")), "Số hồ sơ đã giải quyết");
  ASSERT_EQ(j.at("rows").as_array().size(), 1u);
  EXPECT_EQ(Str(j.at("rows").at(0).at("field")), "Hộ tịch");
  const auto& v = j.at("total").as_object();
  EXPECT_EQ(j.at("rows").at(0).at("values"), j.at("total"));
  EXPECT_EQ(v.at("received_total").as_int64(), 3);
  EXPECT_EQ(v.at("received_online").as_int64(), 3);
  EXPECT_EQ(v.at("carried_over").as_int64(), 0);
  EXPECT_EQ(v.at("handled_total").as_int64(), 0);
  EXPECT_EQ(v.at("in_progress_total").as_int64(),
            2);  // the accepted one and the one not yet looked at
  EXPECT_EQ(v.at("in_progress_overdue").as_int64(), 0);
  EXPECT_EQ(v.at("returned_withdrawn").as_int64(), 1);  // refused at intake
  // CSV: one header row, a row per field, the total.
  auto csv = Call(leader, "GET", base + "&format=csv");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.Header("content-type").value_or(""), "text/csv; charset=utf-8");
  EXPECT_NE(std::string(csv.Header("content-disposition").value_or(""))
                .find("bao-cao-tthc-000.51.00.H55-2026-12.csv"),
            std::string::npos);
  EXPECT_EQ(csv.body.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_NE(csv.body.find("STT,Lĩnh vực,Số hồ sơ nhận giải quyết: Tổng số,"), std::string::npos)
      << csv.body;
  EXPECT_NE(csv.body.find(
                "\r\n1,Hộ tịch,3,0,3,0,0,0,0,0,2,2,0,1\r\n,Tổng cộng,3,0,3,0,0,0,0,0,2,2,0,1\r\n"),
            std::string::npos)
      << csv.body;
  // XLSX: unzipped, the title, the unit, the field and the numbers.
  auto xlsx = Call(leader, "GET", base + "&format=xlsx");
  ASSERT_EQ(xlsx.status, 200) << xlsx.body;
  EXPECT_EQ(xlsx.Header("content-type").value_or(""),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  const auto path = std::filesystem::temp_directory_path() /
                    ("motcua-report-" + std::to_string(::getpid()) + ".xlsx");
  std::ofstream(path, std::ios::binary) << xlsx.body;
  const std::string strings =
      documents::testing::Shell("unzip -p " + path.string() + " xl/sharedStrings.xml");
  const std::string sheet =
      documents::testing::Shell("unzip -p " + path.string() + " xl/worksheets/sheet1.xml");
  std::filesystem::remove(path);
  for (const char* text :
       {"BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", "Phường Phan Đình Phùng",
        "Tháng 12/2026", "Hộ tịch", "Tổng cộng", "Số hồ sơ đang giải quyết", "Trong hạn"})
    EXPECT_NE(strings.find(text), std::string::npos) << text;
  EXPECT_NE(sheet.find("<v>3</v>"), std::string::npos) << sheet;
  // The six-month report that counts December's first days: 15 June to 14 December, the same
  // dossiers.
  auto half = Json(
      Call(leader, "GET",
           "/api/v1/reports/decree09?unit=" + std::to_string(commune_) + "&period=bc-2026-H2"));
  EXPECT_EQ(Str(half.at("period").at("name")),
            "Kỳ báo cáo 6 tháng cuối năm 2026 (15/06/2026 – 14/12/2026)");
  EXPECT_EQ(half.at("total"), j.at("total"));
  EXPECT_EQ(Str(half.at("xlsx")), "bao-cao-tthc-000.51.00.H55-bc-2026-H2.xlsx");
  // What is refused, and to whom.
  auto day =
      Call(leader, "GET",
           "/api/v1/reports/decree09?unit=" + std::to_string(commune_) + "&period=2026-12-02");
  EXPECT_EQ(day.status, 400);
  EXPECT_TRUE(Json(day).at("error").at("fields").as_object().contains("period")) << day.body;
  auto pdf = Call(leader, "GET", base + "&format=pdf");
  EXPECT_EQ(pdf.status, 400);
  EXPECT_TRUE(Json(pdf).at("error").at("fields").as_object().contains("format"));
  EXPECT_EQ(Call(citizen, "GET", base).status, 403);
}

TEST_P(DossierApiTest, ALeaderWatchesTheOverdueDossiersOfTheUnitsBelowWithTheirStepAndOfficer) {
  Session citizen = SignIn("congdan");
  Session officer = SignIn("motcua.pdp");
  AddUser("quantri", Role::kProvinceAdmin, UnitId("000.00.00.H55"), true);
  Session admin = SignIn("quantri");
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(Submit(citizen).at("dossier").at("id").as_int64());
  auto first = Act(officer, ids[0], "accept");
  Act(officer, ids[1], "accept");
  const std::string province = std::to_string(UnitId("000.00.00.H55"));
  auto watch = [&](Session& s, const std::string& query, int expect = 200) {
    auto r = Call(s, "GET", "/api/v1/dossiers?" + query);
    EXPECT_EQ(r.status, expect) << query << " " << r.body;
    return r;
  };
  // Before the appointments: two with one (the third is not accepted yet), none overdue.
  auto all = Json(watch(admin, "unit=" + province));
  EXPECT_EQ(all.at("counts").at("total").as_int64(), 2);
  EXPECT_EQ(all.at("counts").at("overdue").as_int64(), 0);
  ASSERT_EQ(all.at("items").as_array().size(), 2u);
  // Past the first appointment: overdue, with the step it waits in and who handed it there.
  clock_.Set(*calendar::ParseMoment(Str(first.at("due_at"))) + std::chrono::hours(1));
  auto overdue = Json(watch(admin, "unit=" + province + "&due=overdue"));
  EXPECT_EQ(overdue.at("counts").at("overdue").as_int64(), 2);
  ASSERT_EQ(overdue.at("items").as_array().size(), 2u);
  const auto& item = overdue.at("items").at(0);
  EXPECT_EQ(item.at("id").as_int64(), ids[0]);  // the most overdue first
  EXPECT_EQ(item.at("applicant").at("masked").as_bool(), true);
  const auto& step = item.at("step");
  EXPECT_FALSE(Str(step.at("name")).empty());
  EXPECT_EQ(Str(step.at("unit").at("name")), "Phường Phan Đình Phùng");
  EXPECT_EQ(Str(step.at("handed_by").at("name")), "Người dùng motcua.pdp");
  EXPECT_LT(item.at("working_seconds_left").as_int64(), 0);
  // In the calendar's office days: 07:30-11:30 and 13:30-17:00 by default.
  EXPECT_EQ(item.at("working_day_seconds").as_int64(), 7 * 3600 + 1800);
  // A page of one, then the next.
  auto page1 = Json(watch(admin, "unit=" + province + "&due=overdue&limit=1"));
  ASSERT_TRUE(page1.at("next_cursor").is_string());
  auto page2 = Json(watch(
      admin, "unit=" + province + "&due=overdue&limit=1&cursor=" + Str(page1.at("next_cursor"))));
  ASSERT_EQ(page2.at("items").as_array().size(), 1u);
  EXPECT_EQ(page2.at("items").at(0).at("id").as_int64(), ids[1]);
  EXPECT_TRUE(page2.at("next_cursor").is_null());
  // By procedure; the commune's own staff see their commune; others and citizens do not.
  EXPECT_EQ(Json(watch(admin, "unit=" + province + "&procedure_code=1.000000.000.00.00.H00"))
                .at("counts")
                .at("total")
                .as_int64(),
            0);
  EXPECT_EQ(
      Json(watch(officer, "unit=" + std::to_string(commune_))).at("counts").at("total").as_int64(),
      2);
  Session elsewhere = SignIn("motcua.babe");
  watch(elsewhere, "unit=" + std::to_string(commune_), 403);
  watch(citizen, "unit=" + province, 403);
  auto bad = Json(watch(admin, "due=soon", 400));
  EXPECT_TRUE(bad.at("error").at("fields").as_object().contains("due"));
  EXPECT_TRUE(bad.at("error").at("fields").as_object().contains("unit"));
}

// Issue 18: three places where the figures disagreed with the law and with a
// recount from the history. A same-day procedure answered later that day is
// on time; a dossier waiting for supplements is never overdue, in the figures
// as in the watch list; refusals at intake are no part of the average working
// time nor of the electronic results' share.
TEST_P(DossierApiTest, FiguresJudgeSameDayPausedAndRefusedDossiersAsTheLawSays) {
  Session citizen = SignIn("congdan");
  Session officer = SignIn("motcua.pdp");
  Session specialist = SignIn("chuyenvien.pdp");
  AddUser("quantri", Role::kProvinceAdmin, UnitId("000.00.00.H55"), true);
  Session admin = SignIn("quantri");
  // Đăng ký khai tử: 0 working days ("answered within the working day it is
  // received"), with the 15:00 cut-off, the immediate workflow.
  auto death_registration = [&](Session& s) {
    std::string body = R"({"procedure_code":"1.000656.000.00.00.H56","unit_id":)" +
                       std::to_string(commune_) +
                       R"(,"consent":true,"applicant":{"full_name":"Trần Văn Bình",)"
                       R"("id_number":"001203004568","phone":"0912345679"},"files":[)";
    for (const char* c : {"TP1", "TP2", "TP3"})
      body += std::string(c == std::string("TP1") ? "" : ",") + R"({"attachment_id":")" +
              Upload(s) + R"(","component_code":")" + c + R"("})";
    auto r = Call(s, "POST", "/api/v1/dossiers", body + "]}");
    EXPECT_EQ(r.status, 201) << r.body;
    return Json(r).at("dossier").at("id").as_int64();
  };
  clock_.Set(At("2026-12-02T14:40+07:00"));
  const std::int64_t same_day = death_registration(officer);
  clock_.Set(At("2026-12-02T14:48+07:00"));
  auto accepted = Act(officer, same_day, "accept");
  EXPECT_EQ(Str(accepted.at("due_at")), "2026-12-02T17:00:00+07:00");  // the close of that day
  clock_.Set(At("2026-12-02T16:03+07:00"));
  auto answered = Act(officer, same_day, "return_result");
  EXPECT_EQ(Str(answered.at("timeliness")), "on_time");
  // Received after 15:00 with the cut-off: it belongs to the next working day.
  clock_.Set(At("2026-12-02T15:20+07:00"));
  const std::int64_t late_afternoon = death_registration(officer);
  auto next_day = Act(officer, late_afternoon, "accept");
  EXPECT_EQ(Str(next_day.at("due_at")), "2026-12-03T17:00:00+07:00");
  // A refusal at intake: decided, with no clock.
  const std::int64_t refused = Submit(citizen).at("dossier").at("id").as_int64();
  Act(officer, refused, "refuse", R"({"reason":"Không thuộc thẩm quyền"})");

  // Paused: accepted Wednesday 15:30 (due Monday 7 December 15:30), asked for
  // supplements at 16:00 the same day; the citizen takes more than a week.
  clock_.Set(At("2026-12-02T15:30+07:00"));
  const std::int64_t paused = Submit(citizen).at("dossier").at("id").as_int64();
  auto first = Act(officer, paused, "accept");
  EXPECT_EQ(Str(first.at("due_at")), "2026-12-07T15:30:00+07:00");
  Act(specialist, paused, "start_processing");
  clock_.Set(At("2026-12-02T16:00+07:00"));
  Act(specialist, paused, "request_supplement",
      R"({"reason":"Thiếu giấy tờ","items":[{"component_code":"TP2","description":"Nộp lại bản rõ"}]})");

  auto figures = [&](const std::string& period) {
    app_->statistics().Flush();
    auto r = Call(admin, "GET",
                  "/api/v1/statistics?unit=" + std::to_string(commune_) + "&period=" + period);
    EXPECT_EQ(r.status, 200) << r.body;
    return Json(r);
  };
  auto watch = [&]() {
    return Json(Call(admin, "GET", "/api/v1/dossiers?unit=" + std::to_string(commune_)));
  };
  // Wednesday 9 December: past the appointment it had before the pause.
  clock_.Set(At("2026-12-09T10:00+07:00"));
  auto december = figures("2026-12");
  auto t = december.at("totals").as_object();
  EXPECT_EQ(t.at("decided").as_int64(), 2);           // the death registration, the refusal
  EXPECT_EQ(t.at("decided_accepted").as_int64(), 1);  // not the refusal
  EXPECT_EQ(t.at("decided_on_time").as_int64(), 1);
  EXPECT_EQ(t.at("decided_late").as_int64(), 0);
  // 14:48 to 16:03: 1.25 working hours, the refusal not counted as zero.
  EXPECT_DOUBLE_EQ(t.at("average_working_hours").as_double(), 1.25);
  EXPECT_EQ(t.at("overdue").as_int64(), 1) << "only the next-day death registration";
  EXPECT_EQ(t.at("in_progress").as_int64(), 1) << "the paused one, within its limit";
  EXPECT_EQ(watch().at("counts").at("overdue").as_int64(), 1);
  EXPECT_TRUE(Get(specialist, paused).at("urgency").is_null());
  // The index: the electronic results' share is of the one decided after acceptance.
  const auto& digitisation = december.at("index").at("groups").at(3).at("indicators");
  bool found = false;
  for (const auto& i : digitisation.as_array()) {
    if (Str(i.at("id")) != "dossiers_electronic_result") continue;
    found = true;
    EXPECT_EQ(i.at("counted").at("of").as_int64(), 1);
    EXPECT_EQ(i.at("counted").at("count").as_int64(), 0);
  }
  EXPECT_TRUE(found);
  // The progress indicator judges the on-time one and the overdue one, not the paused one.
  const auto& on_time = december.at("index").at("groups").at(1).at("indicators").at(0);
  EXPECT_EQ(on_time.at("counted").at("count").as_int64(), 1);
  EXPECT_EQ(on_time.at("counted").at("of").as_int64(), 2);

  // The citizen supplements on 9 December at 10:00: their 33.5 working hours
  // move the appointment to Monday 14 December 09:30, judged from now on.
  std::string fixed = Upload(citizen, "ban-ro.pdf");
  auto back = Act(citizen, paused, "supplement",
                  R"({"files":[{"attachment_id":")" + fixed + R"(","component_code":"TP2"}]})");
  EXPECT_EQ(Str(back.at("due_at")), "2026-12-14T09:30:00+07:00");
  EXPECT_EQ(figures("2026-12").at("totals").at("overdue").as_int64(), 1);
  clock_.Set(At("2026-12-14T17:30+07:00"));
  EXPECT_EQ(figures("2026-12").at("totals").at("overdue").as_int64(), 2);
  EXPECT_EQ(watch().at("counts").at("overdue").as_int64(), 2);
  EXPECT_EQ(Str(Get(specialist, paused).at("urgency")), "overdue");
  // A rebuild, from the table or from the log, gives the same figures.
  auto before = Json(Call(
      admin, "GET", "/api/v1/statistics?unit=" + std::to_string(commune_) + "&period=2026-12"));
  ASSERT_TRUE(app_->statistics().Rebuild(stats::StatsService::Source::kEventLog));
  EXPECT_EQ(json::serialize(figures("2026-12")), json::serialize(before));
}

INSTANTIATE_TEST_SUITE_P(Engines, DossierApiTest,
                         ::testing::Values(storage::testing::Engine::kSqlite,
                                           storage::testing::Engine::kPostgres),
                         [](const auto& info) { return storage::testing::EngineName(info.param); });

}  // namespace
}  // namespace motcua::app
