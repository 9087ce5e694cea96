// The notices as the province edits them and as citizens read them: the
// shipped words load and fill; a typo in a placeholder is refused naming the
// file and the field; text messages lose their diacritics and nothing else;
// which events owe which notice; the stop link's token; a mail's headers.
#include <gtest/gtest.h>

#include <cstdlib>

#include "core/dossier/event_payloads.hpp"
#include "core/files/base64.hpp"
#include "integrations/notify/channels.hpp"
#include "integrations/notify/notices.hpp"
#include "integrations/notify/templates.hpp"

namespace motcua::integrations::notify {
namespace {

std::filesystem::path SourceDir() {
  const char* src = std::getenv("MOTCUA_SOURCE_DIR");
  return src ? src : ".";
}

TimePoint At(int y, int mo, int d, int h, int mi) {  // Vietnam's time
  using namespace std::chrono;
  return TimePoint(sys_days(year{y} / mo / d) + hours(h) + minutes(mi) - hours(7));
}

TEST(TemplatesTest, TheShippedWordsHaveEveryNoticeInVietnameseAndEnglish) {
  auto t = LoadTemplates(SourceDir() / "data" / "notifications" / "templates.json");
  ASSERT_TRUE(t) << t.error().message;
  for (const auto& [notice, vars] : NoticeVariables()) {
    ASSERT_TRUE(t->notices.contains(notice)) << notice;
    EXPECT_TRUE(t->notices.at(notice).email.contains("en")) << notice;
  }
  Vars v{{"number", "000.54.00.H55-261208-0001"},
         {"procedure", "Cấp Giấy xác nhận tình trạng hôn nhân"},
         {"unit", "UBND xã Ba Bể"},
         {"received_date", "08:30 08/12/2026"},
         {"due_date", "08:30 15/12/2026"},
         {"lookup_url", "https://dichvucong.example/tra-cuu?so=000.54.00.H55-261208-0001"}};
  auto mail = RenderEmail(*t, "receipt", "vi", v);
  ASSERT_TRUE(mail);
  EXPECT_EQ(mail->subject, "Hồ sơ 000.54.00.H55-261208-0001 đã được tiếp nhận");
  EXPECT_NE(mail->body.find("Ngày hẹn trả kết quả: 08:30 15/12/2026."), std::string::npos);
  // A language without its words falls back to Vietnamese.
  EXPECT_EQ(RenderEmail(*t, "receipt", "fr", v)->subject, mail->subject);
  auto sms = RenderSms(*t, "receipt", "vi", v);
  ASSERT_TRUE(sms);
  EXPECT_EQ(*sms,
            "Ho so 000.54.00.H55-261208-0001 da duoc tiep nhan. Hen tra ket qua: 08:30 "
            "15/12/2026. Tra cuu: https://dichvucong.example/tra-cuu?so=000.54.00.H55-261208-0001");
  auto zalo = RenderZalo(*t, "receipt", v);
  ASSERT_TRUE(zalo);
  EXPECT_EQ(zalo->template_id, "motcua_receipt");
  EXPECT_EQ(zalo->data.at(0),
            (std::pair<std::string, std::string>{"ma_ho_so", "000.54.00.H55-261208-0001"}));
  // The digest goes by e-mail only.
  EXPECT_FALSE(RenderSms(*t, "officer_digest", "vi", {}));
  EXPECT_FALSE(RenderZalo(*t, "officer_digest", {}));
}

TEST(TemplatesTest, AWrongEditIsRefusedNamingTheField) {
  const auto minimal = [](std::string receipt_subject) {
    std::string json = R"({"notices":{)";
    bool first = true;
    for (const auto& [notice, vars] : NoticeVariables()) {
      if (!first) json += ",";
      first = false;
      json += "\"" + notice + R"(":{"email":{"vi":{"subject":")" +
              (notice == "receipt" ? receipt_subject : "x") + R"(","body":"y"}}})";
    }
    return json + "}}";
  };
  EXPECT_TRUE(ParseTemplates(minimal("Hồ sơ {number}"), "t.json"));
  auto typo = ParseTemplates(minimal("Hồ sơ {numbr}"), "t.json");
  ASSERT_FALSE(typo);
  EXPECT_TRUE(typo.error().fields.contains("notices.receipt.email.vi.subject"));
  EXPECT_NE(typo.error().message.find("{numbr}"), std::string::npos);
  // No notice may name the applicant.
  EXPECT_FALSE(ParseTemplates(minimal("{full_name}"), "t.json"));
  EXPECT_FALSE(ParseTemplates(minimal("Hồ sơ {number"), "t.json"));
  EXPECT_FALSE(ParseTemplates(
      R"({"notices":{"receipt":{"email":{"en":{"subject":"a","body":"b"}}}}})", "t.json"))
      << "Vietnamese comes first";
}

TEST(TemplatesTest, TextMessagesLoseTheirDiacriticsAndKeepEverythingElse) {
  EXPECT_EQ(Unaccent("Hồ sơ ĐÃ được tiếp nhận, ngày 08/12"), "Ho so DA duoc tiep nhan, ngay 08/12");
  EXPECT_EQ(Unaccent("ỳýỵỷỹ ƯỪỨỰỬỮ đĐ"), "yyyyy UUUUUU dD");
  // Decomposed spellings (a base letter and combining marks) as well.
  EXPECT_EQ(Unaccent("Vie\xcc\xa3\xcc\x82t"), "Viet");
  EXPECT_EQ(Unaccent("“Hồ sơ” – 3…"), "\"Ho so\" - 3...");
  EXPECT_EQ(Unaccent("漢"), "?");
  EXPECT_EQ(CutText("abcdef", 6), "abcdef");
  EXPECT_EQ(CutText("abcdefg", 6), "abc...");
  EXPECT_EQ(CutText("Đường dài", 5), "Đư...");
}

storage::dossiers::DossierRow Row(int national_status) {
  storage::dossiers::DossierRow r;
  r.id = 7;
  r.number = "000.54.00.H55-261208-0001";
  r.national_status = national_status;
  r.receiving_unit_id = 3;
  r.current_unit_id = 3;
  return r;
}

// A workflow event that moved the dossier (from one state to another).
events::Event Ev(std::string action, const dossier::EventPayload& p) {
  events::Event e;
  e.action = std::move(action);
  e.payload = dossier::ToJson(p);
  e.from_state = "before";
  e.to_state = "after";
  e.occurred_at = TimePoint(std::chrono::seconds(1'796'000'000));
  return e;
}

TEST(NoticesTest, EachEventOwesTheNoticeTheCitizenExpects) {
  dossier::ActionPayload accept;
  accept.clock_start = At(2026, 12, 8, 8, 30);
  accept.due_at = At(2026, 12, 15, 8, 30);
  auto accepted = Row(2);
  auto accept_event = Ev("accept", accept);
  accepted.accepted_at = accept_event.occurred_at;
  auto receipt = NoticeFor(accepted, accept_event, "vi");
  ASSERT_TRUE(receipt);
  EXPECT_EQ(receipt->notice, "receipt");
  EXPECT_EQ(receipt->vars.at("due_date"), "08:30 15/12/2026");
  EXPECT_EQ(receipt->unit_id, 3);

  dossier::ActionPayload ask;
  ask.reason = "Thiếu";
  ask.items = {{"Tờ khai", std::nullopt}, {"Bản sao", "TP2"}};
  auto supplement = NoticeFor(Row(5), Ev("request_supplement", ask), "vi");
  ASSERT_TRUE(supplement);
  EXPECT_EQ(supplement->vars.at("items"), "- Tờ khai\n- Bản sao");
  EXPECT_EQ(supplement->vars.at("items_inline"), "Tờ khai; Bản sao");

  dossier::ActionPayload pay;
  pay.fee_vnd = 1250000;
  EXPECT_EQ(NoticeFor(Row(6), Ev("request_payment", pay), "vi")->vars.at("fee"), "1.250.000 đồng");
  EXPECT_EQ(NoticeFor(Row(6), Ev("request_payment", pay), "en")->vars.at("fee"), "1,250,000 VND");
  EXPECT_EQ(NoticeFor(Row(3), Ev("refuse", ask), "vi")->notice, "refused");
  EXPECT_EQ(NoticeFor(Row(8), Ev("stop", ask), "vi")->notice, "processing_stopped");
  EXPECT_EQ(NoticeFor(Row(9), Ev("approve", {dossier::ActionPayload{}}), "vi")->notice,
            "result_ready");
  // A result still at the department is not ready for the citizen.
  auto at_department = Row(9);
  at_department.current_unit_id = 4;
  EXPECT_FALSE(NoticeFor(at_department, Ev("approve", {dossier::ActionPayload{}}), "vi"));
  dossier::ApologyPayload sorry{"Chờ xác minh", At(2026, 12, 15, 8, 30), At(2026, 12, 18, 16, 0)};
  auto apology = NoticeFor(Row(4), Ev("apology", sorry), "vi");
  ASSERT_TRUE(apology);
  EXPECT_EQ(apology->notice, "new_appointment");
  EXPECT_EQ(apology->vars.at("new_due_date"), "16:00 18/12/2026");
  // A result reopened back into processing restarts no receipt: the
  // acceptance was long before.
  auto reopened = accepted;
  reopened.accepted_at = At(2026, 12, 1, 8, 0);
  EXPECT_FALSE(NoticeFor(reopened, accept_event, "vi"));
  // An event that leaves the state as it was (a signature, the portal's
  // acknowledgement) owes nothing, even in a state that does.
  auto still = Ev("request_supplement", ask);
  still.from_state = still.to_state;
  EXPECT_FALSE(NoticeFor(Row(5), still, "vi"));
  // Nothing for internal steps, submissions, ratings.
  EXPECT_FALSE(NoticeFor(Row(4), Ev("start_processing", {dossier::ActionPayload{}}), "vi"));
  EXPECT_FALSE(NoticeFor(Row(1), Ev("submit", {dossier::SubmitPayload{}}), "vi"));
  EXPECT_FALSE(NoticeFor(Row(10), Ev("rated", {dossier::RatingPayload{2, "account"}}), "vi"));
}

TEST(NoticesTest, PhonesLinksAndRecipients) {
  EXPECT_EQ(InternationalMobile("0912 345 678"), "84912345678");
  EXPECT_EQ(InternationalMobile("84912345678"), "84912345678");
  EXPECT_EQ(InternationalMobile("0312345678"), "84312345678");
  EXPECT_FALSE(InternationalMobile("02093870123")) << "a landline takes no text message";
  EXPECT_FALSE(InternationalMobile("091234567"));
  const std::string key(32, 'k');
  const std::string token = StopToken(key, "000.54.00.H55-261208-0001");
  EXPECT_EQ(token.size(), 22u);
  EXPECT_TRUE(StopTokenMatches(key, "000.54.00.H55-261208-0001", token));
  EXPECT_FALSE(StopTokenMatches(key, "000.54.00.H55-261208-0002", token));
  EXPECT_FALSE(StopTokenMatches(std::string(32, 'j'), "000.54.00.H55-261208-0001", token));
  EXPECT_EQ(MaskRecipient("binh@example.org"), "bi***@example.org");
  EXPECT_EQ(MaskRecipient("84912345678"), "849*****678");
  NoticePayload p{"receipt", "binh@example.org", "vi", {{"number", "N-1"}}};
  auto back = ParseNoticePayload(ToJson(p));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->vars.at("number"), "N-1");
  EXPECT_FALSE(ParseNoticePayload("{}"));
}

TEST(ChannelsTest, AMailCarriesItsSubjectEncodedAndItsBodyInBase64) {
  const std::string mime =
      MimeMessage("Một cửa <no-reply@example.gov.vn>", "binh@example.org",
                  "Hồ sơ đã được tiếp nhận", "Dòng 1\nDòng 2", "<k.1@motcua>",
                  "https://x/ngung-thong-bao?so=1&t=2", At(2026, 12, 8, 8, 30));
  EXPECT_NE(mime.find("Date: Tue, 08 Dec 2026 01:30:00 +0000\r\n"), std::string::npos) << mime;
  EXPECT_NE(mime.find("From: =?UTF-8?B?" + files::EncodeBase64("Một cửa") +
                      "?= <no-reply@example.gov.vn>\r\n"),
            std::string::npos)
      << mime;
  EXPECT_NE(mime.find("Subject: =?UTF-8?B?"), std::string::npos);
  EXPECT_NE(mime.find("List-Unsubscribe: <https://x/ngung-thong-bao?so=1&t=2>\r\n"),
            std::string::npos);
  EXPECT_NE(mime.find("\r\n\r\n" + files::EncodeBase64("Dòng 1\r\nDòng 2") + "\r\n"),
            std::string::npos)
      << mime;
  // A subject too long for one encoded word is folded between characters.
  const std::string folded =
      MimeMessage("a@b.c", "d@e.f", std::string(40, 'x') + "ồ" + std::string(40, 'y'), "", "<k@m>",
                  "", At(2026, 12, 8, 8, 30));
  EXPECT_NE(folded.find("?=\r\n =?UTF-8?B?"), std::string::npos) << folded;
}

}  // namespace
}  // namespace motcua::integrations::notify
