// Dossier numbers (số hồ sơ), Circular 01/2018/TT-VPCP art. 19:
// "{receiving agency code}-{YYMMDD}-{NNNN}", e.g. "000.00.21.H12-250314-0007":
// the QCVN 102:2016 code of the agency that received the dossier, the date of
// receipt in Vietnam (UTC+7) and the dossier's place in that agency's day.
//
// Past 9999 in one day the sequence widens ("...-250314-10000", up to seven
// digits) rather than failing. The circular assumes a daily
// count per agency well below 10,000, and per department or commune it is;
// but since 2025 a province's public administration service centre receives
// for every department under its own code, and a merged province peaks at
// 4–12 k dossiers a working day times 3–5 after Tết (DOMAIN.md 9). Refusing a
// citizen's dossier because a counter ran out is worse than a longer number,
// which stays unique, sorts after the four-digit ones of that day and is
// accepted by the national portal as plain text. Beyond 9,999,999 a day,
// numbering fails with kResourceExhausted, which cannot happen in practice:
// submissions are limited per unit and hour (DossierOptions in
// services/dossiers), at most 24 times that a day, far below (issue 19: one
// account once used up the 99,999 numbers of a commune's day in 10 s).
//
// Everything here is pure and thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "core/calendar/date.hpp"

namespace motcua::dossier {

inline constexpr int kDossierSequenceDigits = 4;
inline constexpr int kMaxDossierSequenceDigits = 7;
inline constexpr int kMaxDossierSequence = 9'999'999;

struct DossierNumber {
  std::string agency_code;  // "000.00.21.H12"
  calendar::Date day;       // the Vietnamese date of receipt, 2000-01-01 to 2099-12-31
  int sequence = 0;         // 1 to kMaxDossierSequence

  bool operator==(const DossierNumber&) const = default;
};

// The day a dossier received at `received_at` is numbered under: the date in
// Vietnam, not in UTC (a dossier received at 06:30 on the 14th local time,
// 23:30 UTC on the 13th, belongs to the 14th).
calendar::Date DossierDay(TimePoint received_at);

// The text form. Errors: kInvalidArgument naming "agency_code" (not QCVN 102
// shaped) or "day" (outside 2000–2099, which YY cannot tell apart);
// kResourceExhausted when sequence > kMaxDossierSequence; kInvalidArgument
// ("sequence") when it is below 1.
[[nodiscard]] Result<std::string> FormatDossierNumber(const DossierNumber& number);

// Reads exactly the form FormatDossierNumber writes: a zero-padded four-digit
// sequence, or more digits (up to seven) without a leading zero from 10000
// on, so each number has one text.
// Errors: kInvalidArgument (field "dossier_number") saying what is wrong.
[[nodiscard]] Result<DossierNumber> ParseDossierNumber(std::string_view text);

}  // namespace motcua::dossier
