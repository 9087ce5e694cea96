#include "core/dossier/applicant.hpp"

#include <cctype>
#include <vector>

namespace motcua::dossier {
namespace {

// Bytes in the UTF-8 sequence that starts with `lead` (0: not a lead byte).
std::size_t PointLength(char lead) {
  const auto c = static_cast<unsigned char>(lead);
  return c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
}

bool ValidUtf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = PointLength(s[i]);
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += n;
  }
  return true;
}

// Splits UTF-8 text into code points (as byte strings); malformed input
// yields nullopt.
std::optional<std::vector<std::string>> CodePoints(std::string_view s) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = PointLength(s[i]);
    if (n == 0 || i + n > s.size()) return std::nullopt;
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return std::nullopt;
    out.emplace_back(s.substr(i, n));
    i += n;
  }
  return out;
}

std::string CollapseSpaces(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

bool AllDigits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return !s.empty();
}

}  // namespace

bool IsEmailAddress(std::string_view email) {
  const auto at = email.find('@');
  return at != std::string_view::npos && at != 0 && email.find('.', at) != std::string_view::npos &&
         email.find_first_of(" <>\r\n\t") == std::string_view::npos && email.size() <= 254;
}

Result<Applicant> ValidateApplicant(Applicant a) {
  Error error{Code::kInvalidArgument, "invalid applicant", {}};
  a.full_name = CollapseSpaces(a.full_name);
  auto name_points = CodePoints(a.full_name);
  if (!name_points) {
    error.With("applicant.full_name", "is not valid UTF-8");
  } else if (name_points->size() < 2 || name_points->size() > 100) {
    error.With("applicant.full_name", "must be 2 to 100 characters");
  } else {
    for (const auto& cp : *name_points) {
      unsigned char c = static_cast<unsigned char>(cp[0]);
      bool ok = cp.size() > 1 || std::isalpha(c) || c == ' ' || c == '\'' || c == '.' || c == '-';
      if (!ok) {
        error.With("applicant.full_name",
                   "may hold only letters, spaces, apostrophes, dots and hyphens");
        break;
      }
    }
  }
  a.id_number = CollapseSpaces(a.id_number);
  if (!AllDigits(a.id_number) || (a.id_number.size() != 12 && a.id_number.size() != 9))
    error.With("applicant.id_number",
               "must be 12 digits (căn cước) or 9 digits (old identity card)");
  std::string phone;
  for (char c : a.phone)
    if (c != ' ' && c != '.' && c != '-' && c != '(' && c != ')') phone.push_back(c);
  if (phone.rfind("+84", 0) == 0) phone = "0" + phone.substr(3);
  a.phone = phone;
  // Mobile numbers have 10 digits, landlines 11 (0 + 2-3 digit area code + number).
  if (!AllDigits(a.phone) || a.phone[0] != '0' || a.phone.size() < 10 || a.phone.size() > 11)
    error.With("applicant.phone", "must be a Vietnamese phone number such as 0912345678");
  a.email = CollapseSpaces(a.email);
  if (!a.email.empty() && !IsEmailAddress(a.email))
    error.With("applicant.email", "is not an email address");
  a.address = CollapseSpaces(a.address);
  if (!CodePoints(a.address) || a.address.size() > 500)
    error.With("applicant.address", "must be valid text of at most 500 bytes");
  if (!error.fields.empty()) {
    error.message =
        "invalid applicant: " + error.fields.begin()->first + " " + error.fields.begin()->second;
    return Fail(std::move(error));
  }
  return a;
}

std::string MaskName(std::string_view full_name) {
  // Every list row and every lookup masks a name: byte ranges, no copies
  // per character.
  const std::string name = CollapseSpaces(full_name);
  if (name.empty() || !ValidUtf8(name)) return "***";
  auto first_point = [&](std::size_t at) {
    return std::string_view(name).substr(at, PointLength(name[at]));
  };
  const std::size_t first_space = name.find(' ');
  if (first_space == std::string::npos)
    return std::string(first_point(0)) + ".";     // a single name: initial only
  std::string out = name.substr(0, first_space);  // the family name stays
  for (std::size_t at = first_space + 1; at < name.size();) {
    out += ' ';
    out += first_point(at);
    out += '.';
    const std::size_t next = name.find(' ', at);
    if (next == std::string::npos) break;
    at = next + 1;
  }
  return out;
}

std::string MaskIdNumber(std::string_view id) {
  if (id.size() < 6) return std::string(id.size(), '*');
  return std::string(id.substr(0, 3)) + std::string(id.size() - 5, '*') +
         std::string(id.substr(id.size() - 2));
}

std::string MaskPhone(std::string_view phone) {
  if (phone.size() < 7) return std::string(phone.size(), '*');
  return std::string(phone.substr(0, 3)) + std::string(phone.size() - 6, '*') +
         std::string(phone.substr(phone.size() - 3));
}

}  // namespace motcua::dossier
