#include "integrations/notify/channels.hpp"

#include <curl/curl.h>

#include <boost/json.hpp>
#include <cstring>
#include <ctime>

#include "core/files/base64.hpp"
#include "integrations/notify/notices.hpp"
#include "integrations/outbox.hpp"

namespace motcua::integrations::notify {

namespace json = boost::json;

namespace {

Attempt Dead(std::string why) {
  Attempt a;
  a.verdict = Verdict::kDead;
  a.error = std::move(why);
  return a;
}

// The word the exchange log keeps for an attempt's verdict.
std::string OutcomeOf(Verdict v) {
  switch (v) {
    case Verdict::kDelivered:
      return "delivered";
    case Verdict::kDead:
      return "dead";
    case Verdict::kRetry:
      return "retry";
  }
  return "retry";
}

bool HasLineBreak(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

// RFC 2047: a header word in UTF-8, base64 ("B") encoding, split so that no
// encoded word passes 75 characters and no character is cut in two.
std::string EncodedWords(std::string_view text) {
  bool ascii = true;
  for (unsigned char c : text) ascii = ascii && c >= 0x20 && c < 0x7F;
  if (ascii) return std::string(text);
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t n = std::min<std::size_t>(45, text.size() - i);  // 45 bytes -> 60 base64
    while (i + n < text.size() && (static_cast<unsigned char>(text[i + n]) & 0xC0) == 0x80) --n;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + files::EncodeBase64(text.substr(i, n)) + "?=";
    i += n;
  }
  return out;
}

// The display name of "Name <addr>" encoded, the address left as it is.
std::string AddressHeader(std::string_view mailbox) {
  const auto lt = mailbox.find('<');
  if (lt == std::string_view::npos || lt == 0) return std::string(mailbox);
  std::string_view name = mailbox.substr(0, lt);
  while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
  return EncodedWords(name) + " " + std::string(mailbox.substr(lt));
}

std::string BareAddress(std::string_view mailbox) {
  const auto lt = mailbox.find('<'), gt = mailbox.find('>');
  if (lt != std::string_view::npos && gt != std::string_view::npos && gt > lt)
    return std::string(mailbox.substr(lt + 1, gt - lt - 1));
  return std::string(mailbox);
}

std::string RfcDate(TimePoint t) {
  const std::time_t secs =
      std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

// The parts every channel shares: the payload read, a call logged.
class NoticeAdapter : public Adapter {
 public:
  NoticeAdapter(std::string destination, RetryPolicy policy,
                std::shared_ptr<const Templates> templates)
      : destination_(std::move(destination)), policy_(policy), templates_(std::move(templates)) {}
  std::string_view destination() const override { return destination_; }
  RetryPolicy policy() const override { return policy_; }

  Attempt Deliver(const Message& m, HttpClient& client) override {
    auto payload = ParseNoticePayload(m.payload);
    if (!payload) return Dead("the message's payload is unreadable");
    return Send(m, *payload, client);
  }

 protected:
  virtual Attempt Send(const Message& m, const NoticePayload& p, HttpClient& client) = 0;
  const Templates& templates() const { return *templates_; }

 private:
  std::string destination_;
  RetryPolicy policy_;
  std::shared_ptr<const Templates> templates_;
};

// ------------------------------------------------------------------ e-mail

struct Upload {
  std::string_view data;
  std::size_t at = 0;
};

std::size_t ReadUpload(char* buffer, std::size_t size, std::size_t n, void* user) {
  auto* u = static_cast<Upload*>(user);
  const std::size_t len = std::min(size * n, u->data.size() - u->at);
  std::memcpy(buffer, u->data.data() + u->at, len);
  u->at += len;
  return len;
}

std::size_t Discard(char*, std::size_t size, std::size_t n, void*) { return size * n; }

class EmailAdapter final : public NoticeAdapter {
 public:
  EmailAdapter(EmailConfig c, std::shared_ptr<const Templates> t)
      : NoticeAdapter(std::string(kEmail), c.policy, std::move(t)), config_(std::move(c)) {}
  int concurrency() const override { return 2; }

 protected:
  Attempt Send(const Message& m, const NoticePayload& p, HttpClient&) override {
    if (HasLineBreak(p.to) || p.to.find('@') == std::string::npos)
      return Dead("not an e-mail address");
    auto text = RenderEmail(templates(), p.notice, p.language, p.vars);
    if (!text) return Dead(text.error().message);
    const auto stop = p.vars.find("stop_url");
    const std::string mime =
        MimeMessage(config_.from, p.to, text->subject, text->body,
                    "<" + m.idempotency_key + "." + std::to_string(m.id) + "@motcua>",
                    stop == p.vars.end() ? "" : stop->second,
                    std::chrono::time_point_cast<Micros>(std::chrono::system_clock::now()));

    Call call{.operation = "smtp:" + p.notice, .request = mime, .answer = {}, .outcome = {}};
    const auto started = std::chrono::steady_clock::now();
    CURL* curl = curl_easy_init();
    if (curl == nullptr) {
      Attempt a;
      a.error = "libcurl could not start";
      return a;
    }
    Upload upload{mime};
    const std::string from = "<" + BareAddress(config_.from) + ">";
    curl_slist* rcpt = curl_slist_append(nullptr, ("<" + p.to + ">").c_str());
    char error[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(curl, CURLOPT_URL, config_.url.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadUpload);
    curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Discard);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(config_.timeout.count()));
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
    if (!config_.username.empty()) {
      curl_easy_setopt(curl, CURLOPT_USERNAME, config_.username.c_str());
      curl_easy_setopt(curl, CURLOPT_PASSWORD, config_.password.c_str());
    }
    const CURLcode rc = curl_easy_perform(curl);
    long code = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(curl);

    call.answer.status = static_cast<int>(code);
    call.answer.duration =
        std::chrono::duration_cast<Micros>(std::chrono::steady_clock::now() - started);
    Attempt a;
    if (rc == CURLE_OK) {
      a.verdict = Verdict::kDelivered;
      call.outcome = OutcomeOf(a.verdict);
    } else {
      call.answer.error = error[0] != 0 ? error : curl_easy_strerror(rc);
      const std::string said = "SMTP " + std::to_string(code) + ": " + call.answer.error;
      if (code >= 500 && code < 600) {
        // The relay refused the address or the message for good.
        a.verdict = Verdict::kDead;
        a.error = "refused: " + said;
      } else {
        a.verdict = Verdict::kRetry;
        a.error = code > 0 ? said : "no answer: " + call.answer.error;
      }
      call.outcome = OutcomeOf(a.verdict);
    }
    a.calls.push_back(std::move(call));
    return a;
  }

 private:
  EmailConfig config_;
};

// --------------------------------------------------------------- HTTP ones

// What an HTTP provider's answer means when it is not a success.
Attempt FromHttpFailure(const HttpAnswer& answer, std::string said, bool refused) {
  Attempt a;
  a.retry_after = answer.retry_after;
  if (answer.status == 0) {
    a.error = "no answer: " + answer.error;
  } else if (refused) {
    a.verdict = Verdict::kDead;
    a.error = "refused: " + said;
  } else {
    a.error = said;
  }
  return a;
}

std::string Field(const json::value* v) {
  if (v == nullptr) return "";
  if (v->is_string()) return std::string(v->as_string());
  return json::serialize(*v);
}

class SmsAdapter final : public NoticeAdapter {
 public:
  SmsAdapter(SmsConfig c, std::shared_ptr<const Templates> t)
      : NoticeAdapter(std::string(kSms), c.policy, std::move(t)), config_(std::move(c)) {}

 protected:
  Attempt Send(const Message& m, const NoticePayload& p, HttpClient& client) override {
    auto text = RenderSms(templates(), p.notice, p.language, p.vars);
    if (!text) return Dead(text.error().message);
    HttpRequest request{.method = "POST",
                        .url = config_.url + "/sms/send",
                        .headers = {{"Authorization", "Bearer " + config_.token},
                                    {"Content-Type", "application/json"}},
                        .body = json::serialize(json::object{{"brandname", config_.brandname},
                                                             {"phone", p.to},
                                                             {"message", *text},
                                                             {"ref", m.idempotency_key}}),
                        .timeout = config_.timeout};
    Call call{.operation = "sms:" + p.notice, .request = request.body, .answer = {}, .outcome = {}};
    call.answer = client.Send(request);
    const HttpAnswer& answer = call.answer;
    boost::system::error_code ec;
    const json::value body = json::parse(answer.body, ec);
    const json::object* o = !ec && body.is_object() ? &body.as_object() : nullptr;
    const std::string code = o ? Field(o->if_contains("code")) : "";
    const std::string said = "HTTP " + std::to_string(answer.status) +
                             (o ? " " + code + " " + Field(o->if_contains("message")) : "");
    Attempt a;
    if (answer.status == 200 && code == "00") {
      a.verdict = Verdict::kDelivered;
    } else {
      // A bad number, content the gateway refuses (4xx but 401, 403, 408,
      // 429: the province's account or the gateway's load, which pass).
      const bool refused = answer.status >= 400 && answer.status < 500 && answer.status != 401 &&
                           answer.status != 403 && answer.status != 408 && answer.status != 429;
      a = FromHttpFailure(answer, said, refused);
    }
    call.outcome = OutcomeOf(a.verdict);
    a.calls.push_back(std::move(call));
    return a;
  }

 private:
  SmsConfig config_;
};

class ZaloAdapter final : public NoticeAdapter {
 public:
  ZaloAdapter(ZaloConfig c, std::shared_ptr<const Templates> t)
      : NoticeAdapter(std::string(kZalo), c.policy, std::move(t)), config_(std::move(c)) {}

 protected:
  Attempt Send(const Message& m, const NoticePayload& p, HttpClient& client) override {
    auto rendered = RenderZalo(templates(), p.notice, p.vars);
    if (!rendered) return Fallback(m, p, Dead(rendered.error().message));
    json::object data;
    for (const auto& [k, v] : rendered->data) data[k] = v;
    HttpRequest request{
        .method = "POST",
        .url = config_.url + "/message/template",
        .headers = {{"access_token", config_.access_token}, {"Content-Type", "application/json"}},
        .body = json::serialize(json::object{{"phone", p.to},
                                             {"template_id", rendered->template_id},
                                             {"template_data", std::move(data)},
                                             {"tracking_id", m.idempotency_key}}),
        .timeout = config_.timeout};
    Call call{.operation = "zns:" + p.notice, .request = request.body, .answer = {}, .outcome = {}};
    call.answer = client.Send(request);
    const HttpAnswer& answer = call.answer;
    boost::system::error_code ec;
    const json::value body = json::parse(answer.body, ec);
    const json::object* o = !ec && body.is_object() ? &body.as_object() : nullptr;
    const json::value* error = o ? o->if_contains("error") : nullptr;
    const std::int64_t code = error && error->is_int64() ? error->as_int64() : 1;
    const std::string said =
        "error " + std::to_string(code) + ": " +
        (o ? Field(o->if_contains("message")) : "HTTP " + std::to_string(answer.status));
    Attempt a;
    if (answer.status == 200 && error != nullptr && code == 0) {
      a.verdict = Verdict::kDelivered;
    } else if (answer.status == 200 && error != nullptr) {
      // -124 a wrong token, -216 an expired one: the province's setup, which
      // an administrator mends; anything else refuses this message.
      a = FromHttpFailure(answer, said, code != -124 && code != -216);
    } else {
      a = FromHttpFailure(answer, "HTTP " + std::to_string(answer.status),
                          answer.status >= 400 && answer.status < 500 && answer.status != 429 &&
                              answer.status != 408);
    }
    call.outcome = OutcomeOf(a.verdict);
    a.calls.push_back(std::move(call));
    // -108 a malformed number, -118 no Zalo account: the number may still
    // take a text message.
    if (a.verdict == Verdict::kDead && (code == -108 || code == -118)) return Fallback(m, p, a);
    return a;
  }

 private:
  // A notice Zalo cannot carry goes by SMS, written with the dead verdict.
  Attempt Fallback(const Message& m, const NoticePayload& p, Attempt a) const {
    if (!config_.sms_fallback) return a;
    a.error += " (sent by SMS instead)";
    NewMessage sms{.destination = std::string(kSms),
                   .kind = m.kind,
                   .ordering_key = m.ordering_key,
                   .dossier_id = m.dossier_id,
                   .event_seq = m.event_seq,
                   .payload = ToJson(p),
                   .idempotency_key = "sms:fallback:" + std::to_string(m.id)};
    a.record = [sms](storage::Tx& tx, TimePoint now) -> Status {
      MOTCUA_TRY(EnqueueOnce(tx, sms, now));  // settled twice: the first one stands
      return {};
    };
    return a;
  }

  ZaloConfig config_;
};

}  // namespace

std::string MimeMessage(std::string_view from, std::string_view to, std::string_view subject,
                        std::string_view body, std::string_view message_id,
                        std::string_view unsubscribe_url, TimePoint date) {
  std::string crlf_body;
  crlf_body.reserve(body.size() + body.size() / 40);
  for (char c : body) {
    if (c == '\n') crlf_body += '\r';
    if (c != '\r') crlf_body += c;
  }
  std::string out;
  out += "Date: " + RfcDate(date) + "\r\n";
  out += "From: " + AddressHeader(from) + "\r\n";
  out += "To: <" + std::string(to) + ">\r\n";
  out += "Subject: " + EncodedWords(subject) + "\r\n";
  out += "Message-ID: " + std::string(message_id) + "\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: text/plain; charset=UTF-8\r\n";
  out += "Content-Transfer-Encoding: base64\r\n";
  out += "Auto-Submitted: auto-generated\r\n";
  if (!unsubscribe_url.empty() && !HasLineBreak(unsubscribe_url))
    out += "List-Unsubscribe: <" + std::string(unsubscribe_url) + ">\r\n";
  out += "\r\n";
  const std::string encoded = files::EncodeBase64(crlf_body);
  for (std::size_t i = 0; i < encoded.size(); i += 76) out += encoded.substr(i, 76) + "\r\n";
  return out;
}

std::unique_ptr<Adapter> MakeEmailAdapter(EmailConfig config,
                                          std::shared_ptr<const Templates> templates) {
  return std::make_unique<EmailAdapter>(std::move(config), std::move(templates));
}
std::unique_ptr<Adapter> MakeSmsAdapter(SmsConfig config,
                                        std::shared_ptr<const Templates> templates) {
  return std::make_unique<SmsAdapter>(std::move(config), std::move(templates));
}
std::unique_ptr<Adapter> MakeZaloAdapter(ZaloConfig config,
                                         std::shared_ptr<const Templates> templates) {
  return std::make_unique<ZaloAdapter>(std::move(config), std::move(templates));
}

}  // namespace motcua::integrations::notify
