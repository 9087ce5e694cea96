// What motcua tells citizens and officers, as data
// (data/notifications/templates.json): for each notice, the e-mail (subject
// and body), the text message and the Zalo ZNS template, in Vietnamese and,
// where written, English. A new wording is an edit of that file; a
// placeholder the notice does not know is refused when the file loads, so a
// typo cannot reach a citizen as "{numbr}".
//
// Notices and the values they may use ({name} in the texts):
//   every citizen notice: number (the dossier number), procedure (its
//     name), lookup_url (the public lookup, prefilled with the number; the
//     citizen types the secret from the receipt), stop_url (stops every
//     message of this dossier);
//   receipt: + unit, received_date, due_date;
//   supplement_request: + items (one "- item" per line), items_inline
//     ("item; item"), reason;
//   payment_request: + fee ("1.250.000 đồng"), reason;
//   new_appointment: + old_due_date, new_due_date, reason;
//   result_ready: + unit;
//   processing_stopped, refused: + reason;
//   officer_digest: date, overdue_count, nearing_count, list (one line per
//     dossier), inbox_url, settings_url.
// No notice knows the applicant's name, identity number or address: a
// message names the dossier, not the person (issue 20: no more personal data
// than it needs).
//
// Text messages are sent without diacritics (the telcos' registered
// brandname templates are unaccented GSM-7; INTEGRATIONS.md 5) and cut to
// three segments. Zalo params are cut to their declared length.
//
// Thread safety: a loaded Templates is immutable; the functions are pure.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace motcua::integrations::notify {

using Vars = std::map<std::string, std::string, std::less<>>;

struct EmailText {
  std::string subject, body;
};

struct ZaloParam {
  std::string name;
  std::string value;     // with placeholders
  std::size_t max = 30;  // code points; Zalo's limit for the param's type
};

struct NoticeTemplates {
  std::map<std::string, EmailText, std::less<>> email;  // by language
  std::map<std::string, std::string, std::less<>> sms;  // by language
  std::string zalo_template_id;                         // empty: not sent by Zalo
  std::vector<ZaloParam> zalo_params;
};

struct Templates {
  std::map<std::string, NoticeTemplates, std::less<>> notices;
};

// The notices motcua sends and the placeholders each may use.
const std::map<std::string, std::set<std::string>, std::less<>>& NoticeVariables();

// Errors: kInvalidArgument naming the file and the field (an unknown notice
// or placeholder, a notice without its Vietnamese e-mail and text message).
Result<Templates> LoadTemplates(const std::filesystem::path& file);
Result<Templates> ParseTemplates(std::string_view json, std::string_view source_name);

// `text` with each {name} replaced by vars[name] ("" when absent).
std::string Fill(std::string_view text, const Vars& vars);

// "Hồ sơ Đã nhận" -> "Ho so Da nhan": Vietnamese letters (precomposed or
// with combining marks) to their base letters; other non-ASCII characters
// become '?' except typographic quotes and dashes, which become ASCII.
std::string Unaccent(std::string_view utf8);

// At most `max` code points of `text`, ending in "..." when cut.
std::string CutText(std::string_view text, std::size_t max);

struct RenderedEmail {
  std::string subject, body;
};
// The notice in `language`, else in Vietnamese. Errors: kNotFound for a
// notice the templates do not have.
Result<RenderedEmail> RenderEmail(const Templates& t, std::string_view notice,
                                  std::string_view language, const Vars& vars);
// Unaccented, at most kSmsMaxChars.
inline constexpr std::size_t kSmsMaxChars = 459;  // three concatenated segments of 153
Result<std::string> RenderSms(const Templates& t, std::string_view notice,
                              std::string_view language, const Vars& vars);
struct RenderedZalo {
  std::string template_id;
  std::vector<std::pair<std::string, std::string>> data;
};
// Errors: kNotFound when the notice has no Zalo template.
Result<RenderedZalo> RenderZalo(const Templates& t, std::string_view notice, const Vars& vars);

}  // namespace motcua::integrations::notify
