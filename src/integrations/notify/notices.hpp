// Which dossier events tell the citizen what, on which channels: the rules
// (docs/integrations.md, "Notifications"), the channels chosen per dossier,
// and the outbox messages they owe (one per channel, written in the
// event's transaction like every message of the spine).
//
// The rules, from the event and the state it leaves (the workflow's
// national status, so that every workflow file gets them):
//   acceptance (an action that starts the limit's clock) -> "receipt";
//   a refusal at intake (national status 3)              -> "refused";
//   a request for supplements (5)                        -> "supplement_request";
//   a request for payment (6)                            -> "payment_request";
//   processing stopped (8)                               -> "processing_stopped";
//   the result at the unit that received the dossier (9) -> "result_ready";
//   an apology with a new appointment                    -> "new_appointment".
// Nothing for the rest (a submission is confirmed on screen; transfers and
// appraisals are internal; a withdrawal is the citizen's own act).
//
// Channels: e-mail to the applicant's address, and the phone (Zalo ZNS when
// configured, with SMS when the number has no Zalo account; SMS when Zalo is
// not configured). Without a choice on record: every channel the applicant
// gave a contact for. A stop (the link in every message) ends them all.
// Texts to the phone wait for 07:00 when written between 21:00 and 07:00
// (the deployment's quiet hours).
//
// Thread safety: pure functions, and functions over a Tx as that Tx.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "core/events/event.hpp"
#include "integrations/notify/templates.hpp"
#include "storage/dossiers_repo.hpp"
#include "storage/store.hpp"

namespace motcua::integrations::notify {

inline constexpr std::string_view kEmail = "email";
inline constexpr std::string_view kSms = "sms";
inline constexpr std::string_view kZalo = "zalo";

struct Preferences {
  bool email = true;
  bool phone = true;
  std::string language = "vi";
  std::optional<TimePoint> stopped_at;
  std::optional<TimePoint> updated_at;  // none: the defaults, never chosen
  std::string updated_by;
};

// The dossier's choice, or the defaults.
Result<Preferences> ReadPreferences(storage::Tx& tx, std::int64_t dossier_id);
// `by`: "citizen", "counter:<user id>", "link".
Status WritePreferences(storage::Tx& tx, std::int64_t dossier_id, const Preferences& p,
                        std::string_view by, TimePoint now);

// What the rules owe for an event: the notice and its values (those that do
// not depend on the deployment: procedure, unit and links are added by
// Derive).
struct Owed {
  std::string notice;
  Vars vars;
  std::optional<std::int64_t> unit_id;  // the unit the notice names, if any
};
// Whether the event may owe a notice at all, from the row and the event's
// states only (no payload parsed): false for most events.
bool MayOwe(const storage::dossiers::DossierRow& row, const events::Event& event);
std::optional<Owed> NoticeFor(const storage::dossiers::DossierRow& row, const events::Event& event,
                              std::string_view language);

// "10/12/2026" and "16:00 10/12/2026" in Vietnam's time.
std::string LocalDay(TimePoint t);
std::string LocalMoment(TimePoint t);
// "1.250.000 đồng" (vi), "1,250,000 VND" (en).
std::string FormatFee(std::int64_t vnd, std::string_view language);
// "84912345678" from "0912345678"; nullopt for a number that is not a
// Vietnamese mobile (a landline cannot receive Zalo or SMS).
std::optional<std::string> InternationalMobile(std::string_view phone);

// The secret behind the stop links: 32 bytes, made once in `file`.
Result<std::string> LoadOrCreateStopKey(const std::string& file);
// The token in the stop link of dossier `number` (HMAC-SHA256, 22 base64url
// characters); StopTokenMatches compares without an early exit.
std::string StopToken(std::string_view key, std::string_view number);
bool StopTokenMatches(std::string_view key, std::string_view number, std::string_view token);

struct Deployment {
  bool email = false;             // an SMTP relay is configured
  std::string phone_destination;  // "zalo", "sms" or "" (none configured)
  bool sms_fallback = false;      // Zalo's refusals of a number go on by SMS
  std::string public_url;         // links in messages
  // Texts to the phone written from quiet_from:00 wait for quiet_to:00
  // (Vietnam's time); equal hours: no quiet hours.
  int quiet_from = 21, quiet_to = 7;
  std::string stop_key;
  std::function<std::string(const storage::dossiers::DossierRow&)> procedure_name;
  std::function<std::string(std::int64_t unit_id)> unit_name;
};

// Writes the messages the event owes (none when the rules owe nothing, the
// citizen stopped them, or no channel reaches them).
Status Derive(storage::Tx& tx, const Deployment& d, const storage::dossiers::DossierRow& row,
              const events::Event& event);

// The payload of a notice message: {notice, to, language, vars}.
struct NoticePayload {
  std::string notice;
  std::string to;  // an address, or a phone number as 84xxxxxxxxx
  std::string language;
  Vars vars;
};
std::string ToJson(const NoticePayload& p);
Result<NoticePayload> ParseNoticePayload(std::string_view json);

// "an***@example.org", "8491****678": the recipient as lists show it.
std::string MaskRecipient(std::string_view to);

}  // namespace motcua::integrations::notify
