#include "core/dossier/dossier_number.hpp"

#include <charconv>
#include <cstdio>

#include "core/units/unit.hpp"

namespace motcua::dossier {
namespace {

using namespace std::chrono;

// YY covers one century; dossiers before 2000 were never numbered this way.
constexpr year kFirstYear{2000};
constexpr year kLastYear{2099};

bool ParseDigits(std::string_view s, int* out) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

}  // namespace

calendar::Date DossierDay(TimePoint received_at) { return calendar::LocalDate(received_at); }

Result<std::string> FormatDossierNumber(const DossierNumber& n) {
  if (!units::IsAgencyCode(n.agency_code)) {
    return InvalidField("agency_code", "must look like 000.00.21.H12 (QCVN 102:2016)");
  }
  const year_month_day ymd{n.day};
  if (ymd.year() < kFirstYear || ymd.year() > kLastYear) {
    return InvalidField("day", "must be between 2000-01-01 and 2099-12-31");
  }
  if (n.sequence < 1) return InvalidField("sequence", "must be at least 1");
  if (n.sequence > kMaxDossierSequence) {
    return Fail(Code::kResourceExhausted, "agency " + n.agency_code + " has numbered " +
                                              std::to_string(kMaxDossierSequence) +
                                              " dossiers on this day already");
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "-%02d%02u%02u-%0*d", int(ymd.year()) % 100, unsigned(ymd.month()),
                unsigned(ymd.day()), kDossierSequenceDigits, n.sequence);
  return n.agency_code + buf;
}

Result<DossierNumber> ParseDossierNumber(std::string_view text) {
  auto bad = [](std::string problem) { return InvalidField("dossier_number", std::move(problem)); };
  const std::size_t dash1 = text.find('-');
  if (dash1 == std::string_view::npos) return bad("must look like 000.00.21.H12-250314-0007");
  const std::size_t dash2 = text.find('-', dash1 + 1);
  if (dash2 == std::string_view::npos || text.find('-', dash2 + 1) != std::string_view::npos) {
    return bad("must look like 000.00.21.H12-250314-0007");
  }
  DossierNumber n;
  n.agency_code = std::string(text.substr(0, dash1));
  if (!units::IsAgencyCode(n.agency_code)) return bad("the agency code is not QCVN 102 shaped");

  std::string_view date = text.substr(dash1 + 1, dash2 - dash1 - 1);
  int yy = 0, mm = 0, dd = 0;
  if (date.size() != 6 || !ParseDigits(date.substr(0, 2), &yy) ||
      !ParseDigits(date.substr(2, 2), &mm) || !ParseDigits(date.substr(4, 2), &dd)) {
    return bad("the date must be YYMMDD");
  }
  const year_month_day ymd{year(2000 + yy), month(static_cast<unsigned>(mm)),
                           day(static_cast<unsigned>(dd))};
  if (!ymd.ok()) return bad("the date " + std::string(date) + " does not exist");
  n.day = sys_days(ymd);

  std::string_view seq = text.substr(dash2 + 1);
  if (seq.size() < kDossierSequenceDigits ||
      seq.size() > static_cast<std::size_t>(kMaxDossierSequenceDigits) ||
      !ParseDigits(seq, &n.sequence)) {
    return bad("the sequence must be 4 digits (up to 7 from 10000)");
  }
  // One text per number: "0007", never "00007"; "10000", never padded.
  if (n.sequence < 1 || (seq.size() > kDossierSequenceDigits && seq.front() == '0')) {
    return bad("the sequence " + std::string(seq) + " is not a valid daily sequence");
  }
  return n;
}

}  // namespace motcua::dossier
