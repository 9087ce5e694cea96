// The notification channels as destinations of the spine (delivery.hpp):
// each renders a notice message (notices.hpp) with the templates
// (templates.hpp) when it leaves, and hands it to its provider.
//
//   "email": SMTP through libcurl (STARTTLS when the relay offers it; smtps://
//     for implicit TLS), one recipient, text/plain UTF-8, a Message-ID made
//     of the idempotency key, List-Unsubscribe with the dossier's stop link.
//   "sms":   a brandname gateway over HTTP (docs/integrations.md: the
//     contract is assumed, not published): POST {url}/sms/send with a bearer
//     token, {brandname, phone, message, ref}; the ref is the idempotency key.
//   "zalo":  Zalo ZNS (INTEGRATIONS.md 5): POST {url}/message/template,
//     header access_token, {phone, template_id, template_data, tracking_id};
//     delivered only when HTTP 200 and error 0.
//
// Answers: no answer, a timeout, HTTP 5xx or 429, SMTP 4xx, an expired or
// refused token: tried again later (never forever: a notice is dead after
// its policy's attempts, about six hours). A refusal of the recipient or of
// the message (SMTP 5xx, a bad number, a number without Zalo, content the
// gateway refuses): dead at once, with the provider's words, shown to the
// dossier's officers and the administrators. When the Zalo adapter has an
// SMS fallback, a number without Zalo is sent the same notice by SMS, in the
// attempt's settling write.
//
// Thread safety: Deliver from several sender threads at once; the adapters
// hold only immutable configuration.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "integrations/delivery.hpp"
#include "integrations/notify/templates.hpp"

namespace motcua::integrations::notify {

// About six hours from the first attempt to the last: a notice is only worth
// sending while it is news.
inline constexpr RetryPolicy kNoticePolicy{.max_attempts = 12,
                                           .first_delay = std::chrono::seconds(30),
                                           .max_delay = std::chrono::hours(1)};

struct EmailConfig {
  std::string url;                 // smtp://relay.example.gov.vn:587, smtps://...:465
  std::string from;                // "Một cửa tỉnh <no-reply@example.gov.vn>"
  std::string username, password;  // empty: no AUTH
  std::chrono::milliseconds timeout{20000};
  RetryPolicy policy = kNoticePolicy;
};

struct SmsConfig {
  std::string url;  // the gateway's base
  std::string token;
  std::string brandname;  // the sender name registered with the telcos
  std::chrono::milliseconds timeout{20000};
  RetryPolicy policy = kNoticePolicy;
};

struct ZaloConfig {
  std::string url = "https://business.openapi.zalo.me";
  std::string access_token;
  bool sms_fallback = false;  // a number without Zalo is sent an SMS instead
  std::chrono::milliseconds timeout{20000};
  RetryPolicy policy = kNoticePolicy;
};

std::unique_ptr<Adapter> MakeEmailAdapter(EmailConfig config,
                                          std::shared_ptr<const Templates> templates);
std::unique_ptr<Adapter> MakeSmsAdapter(SmsConfig config,
                                        std::shared_ptr<const Templates> templates);
std::unique_ptr<Adapter> MakeZaloAdapter(ZaloConfig config,
                                         std::shared_ptr<const Templates> templates);

// The e-mail as sent (for the tests and the SMTP adapter): headers and a
// base64 text/plain UTF-8 body. `to`, `from` must not hold CR or LF.
std::string MimeMessage(std::string_view from, std::string_view to, std::string_view subject,
                        std::string_view body, std::string_view message_id,
                        std::string_view unsubscribe_url, TimePoint date);

}  // namespace motcua::integrations::notify
