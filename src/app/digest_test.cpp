// Issue 20, section 3: an officer who asked for it gets one e-mail a day
// with the overdue and nearing dossiers of their inbox, named by number and
// procedure, never the applicant; none on a day with nothing to tell, and
// never two on one day (the scheduler and a restart may both ask).
#include "integrations/notify/digest.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "app/internal/test_province.hpp"
#include "app/wiring.hpp"
#include "core/calendar/date.hpp"
#include "http/test_client.hpp"
#include "integrations/notify/notices.hpp"
#include "integrations/outbox.hpp"

namespace motcua::app {
namespace {

namespace json = boost::json;
namespace notify = integrations::notify;
using accounts::Role;

constexpr std::string_view kPassword = "motcua-demo-2026";

TimePoint At(std::string_view text) { return *calendar::ParseMoment(text); }

class DigestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto started = province_.Start("digest", clock_, {.catalogue = true});
    ASSERT_TRUE(started) << started.error().message;
    for (const auto& u : province_.app().units().Tree()->units())
      if (u.agency_code == "000.54.00.H55") unit_ = u.id;  // Xã Ba Bể
    accounts::NewUser officer{
        "motcua.babe", "Lý Thị Nga", std::string(kPassword), {{Role::kOfficer, unit_, false}}};
    ASSERT_TRUE(province_.app().accounts().CreateUser(officer));
    accounts::NewUser specialist{"chuyenvien.babe",
                                 "Hà Văn Sơn",
                                 std::string(kPassword),
                                 {{Role::kSpecialist, unit_, false}}};
    ASSERT_TRUE(province_.app().accounts().CreateUser(specialist));
    headers_ = SignIn("motcua.babe");
  }

  http::Headers SignIn(const std::string& user) {
    auto r = province_.client().Send(
        "POST", "/api/v1/auth/login",
        R"({"username":")" + user + R"(","password":")" + std::string(kPassword) + R"("})",
        {{"content-type", "application/json"}});
    EXPECT_EQ(r.status, 200) << r.body;
    std::string cookie(r.Header("set-cookie").value_or(""));
    cookie = cookie.substr(0, cookie.find(';'));
    return {{"cookie", cookie},
            {"x-csrf-token", std::string(json::parse(r.body).at("csrf_token").as_string())},
            {"content-type", "application/json"}};
  }

  // A dossier received and accepted at the counter: in the specialist's inbox.
  std::string Submit() {
    auto r = province_.client().Send(
        "POST", "/api/v1/dossiers",
        R"({"procedure_code":"1.004873.000.00.00.H56","unit_id":)" + std::to_string(unit_) +
            R"(,"channel":1,"consent":true,"applicant":{"full_name":"Trần Văn Bình",)"
            R"("id_number":"001203004568","phone":"0912345679"}})",
        headers_);
    EXPECT_EQ(r.status, 201) << r.body;
    auto d = json::parse(r.body).at("dossier");
    auto a = province_.client().Send(
        "POST", "/api/v1/dossiers/" + std::to_string(d.at("id").as_int64()) + "/actions/accept",
        "{}", headers_);
    EXPECT_EQ(a.status, 200) << a.body;
    return std::string(d.at("number").as_string());
  }

  std::vector<integrations::Message> Digests() {
    std::vector<integrations::Message> out;
    EXPECT_TRUE(province_.store().Read([&](storage::Tx& tx) -> Status {
      out = MOTCUA_TRY(integrations::List(tx, {.destination = "email", .limit = 50}));
      return {};
    }));
    return out;
  }

  FakeClock clock_{At("2026-12-02T08:00+07:00")};  // a Wednesday
  internal::TestProvince province_;
  std::int64_t unit_ = 0;
  http::Headers headers_;
};

TEST_F(DigestTest, AnOfficerWhoAskedGetsOneDigestADayOfTheirOverdueAndNearingDossiers) {
  auto& client = province_.client();
  http::Headers specialist = SignIn("chuyenvien.babe");
  // The setting is the officer's own, checked like any input.
  auto bad =
      client.Send("PUT", "/api/v1/account/notifications",
                  R"({"email":"not an address","daily_digest":true,"language":"vi"})", specialist);
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("\"email\""), std::string::npos) << bad.body;
  auto none = client.Send("GET", "/api/v1/account/notifications", "", specialist);
  EXPECT_EQ(json::parse(none.body).at("daily_digest").as_bool(), false);

  // Accepted dossiers, due in 3 working days: the specialist's inbox.
  const std::string late = Submit();
  clock_.Set(At("2026-12-03T16:00+07:00"));
  headers_ = SignIn("motcua.babe");  // sessions idle out after 30 minutes
  const std::string fresh = Submit();
  const auto store_now = clock_.Now();
  // Nobody asked yet: nothing is written.
  auto written = notify::EnqueueDigests(province_.store(), province_.app().dossiers(), store_now,
                                        "https://dvc.example");
  ASSERT_TRUE(written) << written.error().message;
  EXPECT_EQ(*written, 0);

  specialist = SignIn("chuyenvien.babe");
  auto set = client.Send("PUT", "/api/v1/account/notifications",
                         R"({"email":"son@example.gov.vn","daily_digest":true,"language":"vi"})",
                         specialist);
  ASSERT_EQ(set.status, 200) << set.body;
  // Tuesday the 8th at 07:00: the first is late (due Monday 08:00), the
  // second due at 16:00, within one office day.
  clock_.Set(At("2026-12-08T07:00+07:00"));
  written = notify::EnqueueDigests(province_.store(), province_.app().dossiers(), clock_.Now(),
                                   "https://dvc.example");
  ASSERT_TRUE(written) << written.error().message;
  ASSERT_EQ(*written, 1);
  auto digests = Digests();
  ASSERT_EQ(digests.size(), 1u);
  auto payload = notify::ParseNoticePayload(digests[0].payload);
  ASSERT_TRUE(payload);
  EXPECT_EQ(payload->notice, "officer_digest");
  EXPECT_EQ(payload->to, "son@example.gov.vn");
  EXPECT_EQ(payload->vars.at("date"), "08/12/2026");
  const std::string list = payload->vars.at("list");
  const std::int64_t overdue = std::stoll(payload->vars.at("overdue_count"));
  const std::int64_t nearing = std::stoll(payload->vars.at("nearing_count"));
  EXPECT_EQ(overdue, 1) << list;
  EXPECT_EQ(nearing, 1) << list;
  EXPECT_LT(list.find("Quá hạn (1):\n- " + late), list.find("Sắp đến hạn (1):\n- " + fresh))
      << list;
  EXPECT_NE(list.find(late), std::string::npos) << list;
  EXPECT_NE(list.find(fresh), std::string::npos) << list;
  EXPECT_NE(list.find("Cấp Giấy xác nhận tình trạng hôn nhân"), std::string::npos) << list;
  EXPECT_EQ(list.find("Trần Văn Bình"), std::string::npos) << "no applicant in a digest";

  // Asked again the same day (the scheduler's next round, a restart): none more.
  clock_.Set(At("2026-12-08T09:00+07:00"));
  written = notify::EnqueueDigests(province_.store(), province_.app().dossiers(), clock_.Now(),
                                   "https://dvc.example");
  ASSERT_TRUE(written);
  EXPECT_EQ(*written, 0);
  EXPECT_EQ(Digests().size(), 1u);

  // Turned off: nothing the next day.
  specialist = SignIn("chuyenvien.babe");
  ASSERT_EQ(client
                .Send("PUT", "/api/v1/account/notifications",
                      R"({"email":"son@example.gov.vn","daily_digest":false,"language":"vi"})",
                      specialist)
                .status,
            200);
  clock_.Set(At("2026-12-09T07:30+07:00"));
  written = notify::EnqueueDigests(province_.store(), province_.app().dossiers(), clock_.Now(),
                                   "https://dvc.example");
  ASSERT_TRUE(written);
  EXPECT_EQ(*written, 0);
}

}  // namespace
}  // namespace motcua::app
