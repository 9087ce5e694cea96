// Issue 20, section 3: citizens are told what happens to their dossier, on
// the channels they keep, through real providers' protocols. `motcua serve`
// sends e-mail to a real SMTP server (Debian's aiosmtpd, run by
// tests/standins/smtp/mailbox.py), Zalo ZNS messages and text messages to
// their stand-ins (tests/standins/zalo, tests/standins/sms). The test reads
// what arrived: the receipt with its lookup link, a supplement request with
// every item, a number without Zalo reached by SMS instead, unaccented, a
// refused address dead with the relay's words and shown on the dossier, a
// stop link that ends every message, and no applicant name nor identity
// number in any message.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <regex>

#include "app/internal/process_testing.hpp"
#include "http/test_client.hpp"

namespace motcua::app {
namespace {

namespace json = boost::json;
using namespace internal;  // NOLINT(google-build-using-namespace)

constexpr const char* kName = "Trần Văn Bình";
constexpr const char* kIdNumber = "001203004568";

class NotificationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("motcua-notify-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    MakeProvinceFolder(dir_);
    db_ = "sqlite:data/m.db";
    ASSERT_EQ(RunMotcua({"demo", "--db", db_}, "", dir_).exit_code, 0);
    for (const auto& [user, role] :
         {std::pair{"chuyenvien.babe", "specialist"}, std::pair{"lanhdao.babe", "unit_leader"}})
      ASSERT_EQ(RunMotcua({"user", "add", user, "--display-name", "Cán bộ Ba Bể", "--role", role,
                           "--unit", "000.54.00.H55", "--db", db_},
                          "motcua-demo-2026\n", dir_)
                    .exit_code,
                0);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<ServeProcess> Serve(const StandIn& smtp, const StandIn& zalo,
                                      const StandIn& sms) {
    auto serve = std::make_unique<ServeProcess>(
        dir_, db_,
        std::vector<std::string>{"--data-dir",
                                 "data",
                                 "--smtp-url",
                                 "smtp://127.0.0.1:" + std::to_string(smtp.port()),
                                 "--smtp-from",
                                 "Một cửa Bắc Kạn <no-reply@motcua.example>",
                                 "--zalo-url",
                                 zalo.url(),
                                 "--zalo-access-token",
                                 "zalo-test-token",
                                 "--sms-url",
                                 sms.url(),
                                 "--sms-token",
                                 "sms-test-token",
                                 "--sms-brandname",
                                 "MOTCUA",
                                 "--notify-retry-ms",
                                 "100",
                                 "--notify-quiet-hours",
                                 "none",
                                 "--submission-limits",
                                 "1000,1000,30000"});
    EXPECT_NE(serve->port(), 0);
    return serve;
  }

  // The mails the SMTP server received, one JSON object each.
  std::vector<json::object> Mails() const {
    std::vector<json::object> out;
    std::ifstream in(dir_ / "mail.jsonl");
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) out.push_back(json::parse(line).as_object());
    // The body travels in canonical form, CRLF line ends (RFC 2045 6.8).
    for (json::object& m : out) {
      std::string text(m.at("text").as_string());
      for (std::size_t at; (at = text.find("\r\n")) != std::string::npos;) text.erase(at, 1);
      m["text"] = text;
    }
    return out;
  }

  fs::path dir_;
  std::string db_;
};

std::string Str(const json::value& v) { return std::string(v.as_string()); }

json::object Control(const StandIn& s, const std::string& method, const std::string& path,
                     const std::string& body = "") {
  http::TestClient c(s.port());
  auto r = c.Send(method, path, body, {{"content-type", "application/json"}});
  EXPECT_EQ(r.status, 200) << path << ": " << r.body;
  return r.status == 200 ? json::parse(r.body).as_object() : json::object{};
}

json::array Received(const StandIn& s) {
  return Control(s, "GET", "/_control/messages").at("messages").as_array();
}

// A counter submission at Ba Bể with these contacts; the dossier's id and number.
std::pair<std::int64_t, std::string> Submit(http::TestClient& client, const http::Headers& officer,
                                            std::int64_t unit, const std::string& email,
                                            const std::string& phone) {
  json::object applicant{{"full_name", kName}, {"id_number", kIdNumber}, {"phone", phone}};
  if (!email.empty()) applicant["email"] = email;
  auto r = client.Send("POST", "/api/v1/dossiers",
                       json::serialize(json::object{{"procedure_code", "1.004873.000.00.00.H56"},
                                                    {"unit_id", unit},
                                                    {"channel", 1},
                                                    {"consent", true},
                                                    {"applicant", applicant}}),
                       officer);
  EXPECT_EQ(r.status, 201) << r.body;
  if (r.status != 201) return {0, ""};
  auto d = json::parse(r.body).at("dossier");
  return {d.at("id").as_int64(), Str(d.at("number"))};
}

void Act(http::TestClient& client, const http::Headers& who, std::int64_t id,
         const std::string& action, const std::string& body = "{}") {
  auto r = client.Send("POST", "/api/v1/dossiers/" + std::to_string(id) + "/actions/" + action,
                       body, who);
  EXPECT_EQ(r.status, 200) << action << ": " << r.body;
}

// Waits (up to 30 s) for `done` to hold.
template <typename F>
bool Eventually(F done) {
  for (int i = 0; i < 300; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return done();
}

json::object Notices(http::TestClient& client, const http::Headers& who, std::int64_t id) {
  auto r = client.Send("GET", "/api/v1/dossiers/" + std::to_string(id) + "/notifications", "", who);
  EXPECT_EQ(r.status, 200) << r.body;
  return r.status == 200 ? json::parse(r.body).as_object() : json::object{};
}

TEST_F(NotificationsTest, CitizensAreToldOnTheirChannelsAndCanStopIt) {
  StandIn smtp("smtp", "/usr/bin/python3", "mailbox.py", {"--out", (dir_ / "mail.jsonl").string()});
  StandIn zalo("zalo", {});
  StandIn sms("sms", {});
  ASSERT_NE(smtp.port(), 0);
  ASSERT_NE(zalo.port(), 0);
  ASSERT_NE(sms.port(), 0);
  // This number has no Zalo account.
  Control(zalo, "POST", "/_control/faults", R"({"not_on_zalo":["84912000222"]})");
  auto serve = Serve(smtp, zalo, sms);
  http::TestClient client(serve->port());
  const auto officer = SignIn(client, "motcua.babe");
  const auto specialist = SignIn(client, "chuyenvien.babe");
  const std::int64_t unit = BaBeUnitId(client);

  // 1. The receipt, by e-mail and by Zalo, with the lookup link.
  auto [first, number] = Submit(client, officer, unit, "binh@example.org", "0912000111");
  ASSERT_NE(first, 0);
  EXPECT_TRUE(Mails().empty()) << "a submission at the counter is confirmed on paper";
  Act(client, officer, first, "accept");
  ASSERT_TRUE(Eventually([&] { return Mails().size() == 1 && Received(zalo).size() == 1; }));
  const json::object receipt = Mails().at(0);
  EXPECT_EQ(Str(receipt.at("subject")), "Hồ sơ " + number + " đã được tiếp nhận");
  EXPECT_EQ(Str(receipt.at("rcpt_tos").at(0)), "binh@example.org");
  const std::string text = Str(receipt.at("text"));
  EXPECT_NE(text.find("/tra-cuu?so=" + number), std::string::npos) << text;
  EXPECT_NE(text.find("Cấp Giấy xác nhận tình trạng hôn nhân"), std::string::npos) << text;
  EXPECT_NE(text.find("Ngày hẹn trả kết quả: "), std::string::npos) << text;
  const json::object zns = Received(zalo).at(0).as_object();
  EXPECT_EQ(Str(zns.at("phone")), "84912000111");
  EXPECT_EQ(Str(zns.at("template_id")), "motcua_receipt");
  EXPECT_EQ(Str(zns.at("template_data").at("ma_ho_so")), number);
  EXPECT_TRUE(Received(sms).empty()) << "Zalo reached the citizen; no SMS as well";

  // 2. A supplement request names every item.
  Act(client, specialist, first, "start_processing");
  Act(client, specialist, first, "request_supplement",
      R"({"reason":"Hồ sơ chưa đủ","items":[{"description":"Bản sao giấy khai sinh rõ nét"},)"
      R"({"description":"Tờ khai có chữ ký"}]})");
  ASSERT_TRUE(Eventually([&] { return Mails().size() == 2; }));
  const std::string asked = Str(Mails().at(1).at("text"));
  EXPECT_EQ(Str(Mails().at(1).at("subject")), "Hồ sơ " + number + " cần bổ sung");
  EXPECT_NE(asked.find("- Bản sao giấy khai sinh rõ nét\n- Tờ khai có chữ ký"), std::string::npos)
      << json::serialize(json::value(asked));
  EXPECT_NE(asked.find("Lý do: Hồ sơ chưa đủ"), std::string::npos) << asked;

  // 3. A number without Zalo gets the notice by SMS, unaccented.
  auto [second, second_number] = Submit(client, officer, unit, "", "0912000222");
  Act(client, officer, second, "accept");
  ASSERT_TRUE(Eventually([&] { return Received(sms).size() == 1; }));
  const json::object text_message = Received(sms).at(0).as_object();
  EXPECT_EQ(Str(text_message.at("phone")), "84912000222");
  const std::string sms_text = Str(text_message.at("message"));
  EXPECT_EQ(sms_text.rfind("Ho so " + second_number + " da duoc tiep nhan. Hen tra ket qua: ", 0),
            0u)
      << sms_text;
  for (unsigned char c : sms_text) EXPECT_LT(c, 0x80) << sms_text;
  auto second_notices = Notices(client, officer, second);
  bool zalo_dead = false;
  for (const auto& n : second_notices.at("notices").as_array())
    if (Str(n.at("destination")) == "zalo") {
      zalo_dead = Str(n.at("state")) == "dead";
      EXPECT_NE(Str(n.at("last_error")).find("-118"), std::string::npos) << n;
      EXPECT_EQ(Str(n.at("to")), "849*****222") << "the number is masked";
    }
  EXPECT_TRUE(zalo_dead) << second_notices;

  // 4. A refused address: dead at once, with the relay's words, not retried.
  auto [third, third_number] = Submit(client, officer, unit, "bad@example.org", "0312345678");
  Act(client, officer, third, "accept");
  json::object third_notices;
  ASSERT_TRUE(Eventually([&] {
    third_notices = Notices(client, officer, third);
    for (const auto& n : third_notices.at("notices").as_array())
      if (Str(n.at("destination")) == "email") return Str(n.at("state")) == "dead";
    return false;
  }));
  for (const auto& n : third_notices.at("notices").as_array())
    if (Str(n.at("destination")) == "email") {
      EXPECT_EQ(n.at("attempts").as_int64(), 1) << n;
      EXPECT_NE(Str(n.at("last_error")).find("550"), std::string::npos) << n;
      EXPECT_EQ(Str(n.at("to")), "ba***@example.org");
    }

  // 5. The stop link in the receipt ends every message of that dossier.
  std::smatch link;
  ASSERT_TRUE(std::regex_search(text, link, std::regex("/ngung-thong-bao\\?so=([^&]+)&t=(\\S+)")))
      << text;
  EXPECT_EQ(link[1].str(), number);
  auto forged = client.Send("POST", "/api/v1/notifications/stop",
                            R"({"number":")" + number + R"(","token":"AAAAAAAAAAAAAAAAAAAAAA"})",
                            {{"content-type", "application/json"}});
  EXPECT_EQ(forged.status, 404) << forged.body;
  auto stop = client.Send("POST", "/api/v1/notifications/stop",
                          R"({"number":")" + number + R"(","token":")" + link[2].str() + R"("})",
                          {{"content-type", "application/json"}});
  ASSERT_EQ(stop.status, 200) << stop.body;
  const std::size_t mails = Mails().size(), zns_count = Received(zalo).size();
  Act(client, officer, first, "supplement");
  Act(client, specialist, first, "request_payment", R"({"reason":"Lệ phí"})");
  // The other dossier's next notice is the marker that delivery went on.
  Act(client, specialist, second, "start_processing");
  Act(client, specialist, second, "request_supplement",
      R"({"reason":"Thiếu","items":[{"description":"Tờ khai"}]})");
  ASSERT_TRUE(Eventually([&] { return Received(sms).size() == 2; }));
  EXPECT_EQ(Mails().size(), mails);
  EXPECT_EQ(Received(zalo).size(), zns_count);  // the second dossier's try was refused again
  auto stopped = Notices(client, officer, first);
  EXPECT_FALSE(stopped.at("preferences").at("stopped_at").is_null());
  EXPECT_EQ(Str(stopped.at("preferences").at("updated_by")), "link");

  // 6. The counter records the citizen's choice: e-mail only, in English.
  auto [fourth, fourth_number] = Submit(client, officer, unit, "an@example.org", "0912000444");
  auto chosen = client.Send("PUT", "/api/v1/dossiers/" + std::to_string(fourth) + "/notifications",
                            R"({"phone":false,"language":"en"})", officer);
  ASSERT_EQ(chosen.status, 200) << chosen.body;
  auto bad = client.Send("PUT", "/api/v1/dossiers/" + std::to_string(fourth) + "/notifications",
                         R"({"language":"fr"})", officer);
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("language"), std::string::npos) << bad.body;
  Act(client, officer, fourth, "accept");
  ASSERT_TRUE(Eventually([&] { return Mails().size() == mails + 1; }));
  EXPECT_EQ(Str(Mails().back().at("subject")), "Dossier " + fourth_number + " has been accepted");
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  for (const auto& m : Received(zalo))
    EXPECT_NE(Str(m.at("phone")), "84912000444") << "the citizen chose no phone messages";

  // No message names the person.
  for (const auto& m : Mails()) {
    EXPECT_EQ(Str(m.at("text")).find(kName), std::string::npos);
    EXPECT_EQ(Str(m.at("text")).find(kIdNumber), std::string::npos);
  }
  for (const auto& m : Received(sms))
    EXPECT_EQ(Str(m.at("message")).find(kIdNumber), std::string::npos);
  EXPECT_EQ(Control(sms, "GET", "/_control/messages").at("duplicates").as_int64(), 0);
  EXPECT_EQ(Control(zalo, "GET", "/_control/messages").at("duplicates").as_int64(), 0);
}

}  // namespace
}  // namespace motcua::app
