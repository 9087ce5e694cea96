// The applicant of a dossier (người nộp hồ sơ) and the masking of their
// personal data in lists and public lookups.
//
// Personal data (Law 91/2025, Decree 356/2025; DOMAIN.md 8): only what the
// procedure needs is collected, lists show it masked, and every unmasked
// read is logged by the service that reads it.
//
// Thread safety: plain values and pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace motcua::dossier {

struct Applicant {  // người nộp hồ sơ
  std::string full_name;
  // Căn cước / CCCD: 12 digits; the 9-digit identity cards (CMND) of before
  // 2016 are still accepted for dossiers that reference them.
  std::string id_number;
  std::string phone;    // Vietnamese mobile or landline, digits only after normalising
  std::string email;    // optional
  std::string address;  // optional: only procedures that deliver by post need it
};

// An e-mail address as motcua takes one: something before an '@', a dot
// after it, at most 254 characters, no spaces, angle brackets or line breaks
// (it goes into a mail's headers).
bool IsEmailAddress(std::string_view email);

// Normalises (trims, collapses spaces, strips phone separators) and checks
// every field, naming each bad one ("applicant.id_number": "must be 12
// digits"). Names are 2..100 code points of letters, spaces, apostrophes,
// dots and hyphens (Vietnamese and ethnic-minority names included).
Result<Applicant> ValidateApplicant(Applicant a);

// "Nguyễn Thị Ánh" -> "Nguyễn T. Á.": the family name and initials; enough
// for a citizen to recognise their dossier, not enough to identify them.
std::string MaskName(std::string_view full_name);
// "001203004567" -> "001*******67": the birth-province code and two digits.
std::string MaskIdNumber(std::string_view id_number);
// "0912345678" -> "091****678".
std::string MaskPhone(std::string_view phone);

}  // namespace motcua::dossier
