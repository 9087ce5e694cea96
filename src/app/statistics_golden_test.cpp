// The figures leaders sign, checked against a golden file: a small hand-made
// history (tests/golden/statistics/history.json: a same-day procedure, an
// hours limit, supplements twice, a pause across Tết, a merger, a refusal, a
// withdrawal) played through the HTTP API as `motcua serve` wires it, on both
// engines, with the figures worked out by hand in the file. At the end
// `motcua verify --statistics` must find every row as its history says.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <sstream>
#include <string>

#include "app/internal/test_province.hpp"
#include "app/verify_command.hpp"
#include "app/wiring.hpp"
#include "core/calendar/date.hpp"
#include "http/test_client.hpp"

namespace motcua::app {
namespace {

namespace json = boost::json;
using accounts::Role;

constexpr std::string_view kPassword = "motcua-demo-2026";

std::string Str(const json::value& v) {
  return v.is_string() ? std::string(v.as_string()) : json::serialize(v);
}

class StatisticsGoldenTest : public ::testing::TestWithParam<storage::testing::Engine> {
 protected:
  void SetUp() override {
    auto started =
        province_.Start("golden-stats", clock_, {.catalogue = true, .engine = GetParam()});
    ASSERT_TRUE(started) << started.error().message;
    app_ = &province_.app();
    client_ = &province_.client();
    const auto text = internal::TestProvince::ReadFile(
        std::filesystem::path(std::getenv("MOTCUA_SOURCE_DIR") ? std::getenv("MOTCUA_SOURCE_DIR")
                                                               : ".") /
        "tests/golden/statistics/history.json");
    boost::system::error_code ec;
    golden_ = json::parse(text, ec);
    ASSERT_FALSE(ec) << "history.json: " << ec.message();
    units_["P"] = UnitId("000.51.00.H55");  // Phường Phan Đình Phùng
    units_["B"] = UnitId("000.54.00.H55");  // Xã Ba Bể
    AddUser("congdan", Role::kCitizen, 0);
    AddUser("motcua.pdp", Role::kOfficer, units_["P"]);
    AddUser("chuyenvien.pdp", Role::kSpecialist, units_["P"]);
    AddUser("lanhdao.pdp", Role::kUnitLeader, units_["P"]);
    AddUser("motcua.babe", Role::kOfficer, units_["B"]);
    AddUser("quantri", Role::kProvinceAdmin, UnitId("000.00.00.H55"));
    const auto imported = app_->catalog().ImportJson(
        json::serialize(json::object{{"procedures", golden_.at("procedures")}}));
    ASSERT_TRUE(imported) << imported.error().message;
  }

  std::int64_t UnitId(std::string_view agency_code) {
    for (const auto& u : app_->units().Tree()->units())
      if (u.agency_code == agency_code) return u.id;
    ADD_FAILURE() << "no unit " << agency_code;
    return 0;
  }

  void AddUser(const std::string& name, Role role, std::int64_t unit) {
    accounts::NewUser u{
        name, "Người dùng " + name, std::string(kPassword), {{role, unit, role != Role::kCitizen}}};
    auto r = app_->accounts().CreateUser(u);
    ASSERT_TRUE(r) << r.error().message;
  }

  // A fresh session for each request: the test's clock jumps by days.
  http::Headers SignIn(const std::string& username) {
    auto r = client_->Send(
        "POST", "/api/v1/auth/login",
        json::serialize(json::object{{"username", username}, {"password", std::string(kPassword)}}),
        {{"content-type", "application/json"}});
    EXPECT_EQ(r.status, 200) << r.body;
    std::string cookie(r.Header("set-cookie").value_or(""));
    cookie = cookie.substr(0, cookie.find(';'));
    return {{"cookie", cookie}, {"x-csrf-token", Str(json::parse(r.body).at("csrf_token"))}};
  }

  json::value Call(const std::string& who, std::string_view method, const std::string& target,
                   const std::string& body, int expect, const std::string& step) {
    http::Headers h = SignIn(who);
    if (!body.empty()) h.emplace_back("content-type", "application/json");
    auto r = client_->Send(method, target, body, h);
    EXPECT_EQ(r.status, expect) << step << ": " << r.body;
    boost::system::error_code ec;
    auto v = json::parse(r.body, ec);
    return ec ? json::value() : v;
  }

  std::string Upload(const std::string& who) {
    http::Headers h = SignIn(who);
    h.emplace_back("content-type", "application/pdf");
    h.emplace_back("x-file-name", "giay-to.pdf");
    auto r = client_->Send("POST", "/api/v1/attachments", "%PDF-1.4\n% a scanned page\n%%EOF\n", h);
    EXPECT_EQ(r.status, 201) << r.body;
    return Str(json::parse(r.body).at("id"));
  }

  // The required components of a procedure, each handed in as a file.
  json::array Files(const std::string& who, const std::string& procedure) {
    json::array files;
    auto snapshot = app_->catalog().Snapshot();
    const auto* p = snapshot->InForce(procedure, calendar::LocalDate(clock_.Now()));
    EXPECT_NE(p, nullptr) << procedure;
    if (p == nullptr) return files;
    for (const auto& c : p->components)
      if (c.required)
        files.push_back(json::object{{"attachment_id", Upload(who)}, {"component_code", c.code}});
    return files;
  }

  void Play(const json::object& step, const std::string& name) {
    const std::string who = step.contains("as") ? Str(step.at("as")) : "";
    if (step.contains("submit")) {
      const std::string procedure = Str(step.at("procedure"));
      json::object body{{"procedure_code", procedure},
                        {"unit_id", units_.at(Str(step.at("unit")))},
                        {"consent", true},
                        {"applicant", json::object{{"full_name", "Nguyễn Thị Ánh"},
                                                   {"id_number", "001203004567"},
                                                   {"phone", "0912345678"}}},
                        {"files", Files(who, procedure)}};
      auto created = Call(who, "POST", "/api/v1/dossiers", json::serialize(body), 201, name);
      if (created.is_object())
        dossiers_[Str(step.at("submit"))] = created.at("dossier").at("id").as_int64();
    } else if (step.contains("do")) {
      json::value body = json::object{};
      if (step.contains("body")) body = golden_.at("bodies").at(Str(step.at("body")));
      if (body.is_object() && body.as_object().contains("files"))
        body.as_object()["files"].as_array()[0].as_object()["attachment_id"] = Upload(who);
      auto d = Call(who, "POST",
                    "/api/v1/dossiers/" + std::to_string(dossiers_.at(Str(step.at("dossier")))) +
                        "/actions/" + Str(step.at("do")),
                    json::serialize(body), 200, name);
      if (step.contains("due_at") && d.is_object()) {
        EXPECT_EQ(Str(d.at("due_at")), Str(step.at("due_at"))) << name;
      }
      if (step.contains("timeliness") && d.is_object()) {
        EXPECT_EQ(Str(d.at("timeliness")), Str(step.at("timeliness"))) << name;
      }
    } else if (step.contains("rate")) {
      Call(who, "POST",
           "/api/v1/dossiers/" + std::to_string(dossiers_.at(Str(step.at("dossier")))) + "/rating",
           json::serialize(json::object{{"level", step.at("rate")}}), 201, name);
    } else if (step.contains("retire")) {
      auto on = calendar::ParseDate(Str(step.at("on")));
      ASSERT_TRUE(on) << name;
      auto retired = app_->units().Retire(units_.at(Str(step.at("retire"))), *on,
                                          {units_.at(Str(step.at("successor")))});
      ASSERT_TRUE(retired) << name << ": " << retired.error().message;
    } else if (step.contains("expect")) {
      Expect(Str(step.at("expect")));
    }
  }

  void Expect(const std::string& name) {
    const json::object& e = golden_.at("expectations").at(name).as_object();
    app_->statistics().Flush();
    std::string query =
        "?unit=" + std::to_string(units_.at(Str(e.at("unit")))) + "&period=" + Str(e.at("period"));
    if (e.contains("units")) query += "&units=" + Str(e.at("units"));
    if (e.contains("rows")) {
      auto report = Call("quantri", "GET", "/api/v1/reports/decree09" + query, "", 200, name);
      ASSERT_TRUE(report.is_object()) << name;
      for (const auto& [field, values] : e.at("rows").as_object()) {
        const json::object* row = nullptr;
        for (const auto& r : report.at("rows").as_array())
          if (Str(r.at("field")) == std::string(field)) row = &r.at("values").as_object();
        ASSERT_NE(row, nullptr) << name << ": no row for " << field;
        for (const auto& [key, want] : values.as_object())
          EXPECT_EQ(json::serialize(row->at(key)), json::serialize(want))
              << name << ": " << field << " " << key;
      }
      for (const auto& [key, want] : e.at("total").as_object())
        EXPECT_EQ(json::serialize(report.at("total").at(key)), json::serialize(want))
            << name << ": total " << key;
      return;
    }
    auto figures = Call("quantri", "GET", "/api/v1/statistics" + query, "", 200, name);
    ASSERT_TRUE(figures.is_object()) << name;
    for (const auto& [key, want] : e.at("totals").as_object()) {
      const json::value& got = figures.at("totals").at(key);
      if (want.is_double()) {
        EXPECT_DOUBLE_EQ(got.to_number<double>(), want.as_double()) << name << ": " << key;
      } else {
        EXPECT_EQ(json::serialize(got), json::serialize(want)) << name << ": " << key;
      }
    }
    if (!e.contains("index")) return;
    const auto& want = e.at("index").as_object();
    const auto& index = figures.at("index");
    EXPECT_DOUBLE_EQ(index.at("score").to_number<double>(), want.at("score").to_number<double>())
        << name;
    EXPECT_DOUBLE_EQ(index.at("available_points").to_number<double>(),
                     want.at("available_points").to_number<double>())
        << name;
    for (const auto& [id, counted] : want.at("indicators").as_object()) {
      const json::value* found = nullptr;
      for (const auto& g : index.at("groups").as_array())
        for (const auto& i : g.at("indicators").as_array())
          if (Str(i.at("id")) == std::string(id)) found = &i;
      ASSERT_NE(found, nullptr) << name << ": " << id;
      const auto& c = counted.as_array();
      EXPECT_EQ(found->at("counted").at("count").as_int64(), c[0].as_int64()) << name << " " << id;
      EXPECT_EQ(found->at("counted").at("of").as_int64(), c[1].as_int64()) << name << " " << id;
      EXPECT_NEAR(found->at("score").to_number<double>(), c[2].to_number<double>(), 1e-9)
          << name << " " << id;
    }
  }

  FakeClock clock_{*calendar::ParseMoment("2027-01-15T08:00+07:00")};
  internal::TestProvince province_;
  App* app_ = nullptr;
  http::TestClient* client_ = nullptr;
  json::value golden_;
  std::map<std::string, std::int64_t> units_, dossiers_;
};

TEST_P(StatisticsGoldenTest, TheFiguresOfAHandMadeHistoryAreTheOnesWorkedOutByHand) {
  // The steps in the order of their moments (the file groups them by dossier).
  std::vector<std::pair<TimePoint, const json::object*>> steps;
  for (const auto& s : golden_.at("steps").as_array()) {
    auto at = calendar::ParseMoment(Str(s.at("at")));
    ASSERT_TRUE(at) << Str(s.at("at"));
    steps.emplace_back(*at, &s.as_object());
  }
  std::stable_sort(steps.begin(), steps.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (std::size_t i = 0; i < steps.size(); ++i) {
    clock_.Set(steps[i].first);
    const json::object& step = *steps[i].second;
    std::string name = "step at " + Str(step.at("at"));
    if (step.contains("dossier")) name += " (" + Str(step.at("dossier")) + ")";
    if (step.contains("submit")) name += " (" + Str(step.at("submit")) + ")";
    Play(step, name);
    if (::testing::Test::HasFatalFailure()) return;
  }
  // `motcua verify --statistics` over the same database: every row is what its history says.
  std::ostringstream out, err;
  const char* src = std::getenv("MOTCUA_SOURCE_DIR");
  const int code =
      RunVerify({"--db", province_.url(), "--data-dir",
                 (std::filesystem::path(src ? src : ".") / "data").string(), "--statistics"},
                out, err);
  EXPECT_EQ(code, 0) << out.str() << err.str();
  EXPECT_NE(out.str().find("statistics verified: 8 dossiers, each row as its history says"),
            std::string::npos)
      << out.str() << err.str();
}

INSTANTIATE_TEST_SUITE_P(Engines, StatisticsGoldenTest,
                         ::testing::Values(storage::testing::Engine::kSqlite,
                                           storage::testing::Engine::kPostgres),
                         [](const auto& info) { return storage::testing::EngineName(info.param); });

}  // namespace
}  // namespace motcua::app
