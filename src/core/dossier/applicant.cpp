#include "core/dossier/applicant.hpp"

#include <cctype>
#include <vector>

namespace motcua::dossier {
namespace {

// Splits UTF-8 text into code points (as byte strings); malformed input
// yields nullopt.
std::optional<std::vector<std::string>> CodePoints(std::string_view s) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
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
        error.With("applicant.full_name", "may hold only letters, spaces, apostrophes, dots and hyphens");
        break;
      }
    }
  }
  a.id_number = CollapseSpaces(a.id_number);
  if (!AllDigits(a.id_number) || (a.id_number.size() != 12 && a.id_number.size() != 9))
    error.With("applicant.id_number", "must be 12 digits (căn cước) or 9 digits (old identity card)");
  std::string phone;
  for (char c : a.phone)
    if (c != ' ' && c != '.' && c != '-' && c != '(' && c != ')') phone.push_back(c);
  if (phone.rfind("+84", 0) == 0) phone = "0" + phone.substr(3);
  a.phone = phone;
  // Mobile numbers have 10 digits, landlines 11 (0 + 2-3 digit area code + number).
  if (!AllDigits(a.phone) || a.phone[0] != '0' || a.phone.size() < 10 || a.phone.size() > 11)
    error.With("applicant.phone", "must be a Vietnamese phone number such as 0912345678");
  a.email = CollapseSpaces(a.email);
  if (!a.email.empty()) {
    auto at = a.email.find('@');
    if (at == std::string::npos || at == 0 || a.email.find('.', at) == std::string::npos ||
        a.email.find(' ') != std::string::npos || a.email.size() > 254)
      error.With("applicant.email", "is not an email address");
  }
  a.address = CollapseSpaces(a.address);
  if (!CodePoints(a.address) || a.address.size() > 500)
    error.With("applicant.address", "must be valid text of at most 500 bytes");
  if (!error.fields.empty()) {
    error.message = "invalid applicant: " + error.fields.begin()->first + " " + error.fields.begin()->second;
    return Fail(std::move(error));
  }
  return a;
}

std::string MaskName(std::string_view full_name) {
  auto points = CodePoints(CollapseSpaces(full_name));
  if (!points || points->empty()) return "***";
  // Words are runs of code points between spaces.
  std::vector<std::vector<std::string>> words(1);
  for (auto& cp : *points) {
    if (cp == " ") {
      words.emplace_back();
      continue;
    }
    words.back().push_back(cp);
  }
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out.push_back(' ');
    if (i == 0) {
      for (const auto& cp : words[i]) out += cp;  // the family name stays
    } else {
      out += words[i].front() + ".";
    }
  }
  if (words.size() == 1) out = words[0].front() + ".";  // a single name: initial only
  return out;
}

std::string MaskIdNumber(std::string_view id) {
  if (id.size() < 6) return std::string(id.size(), '*');
  return std::string(id.substr(0, 3)) + std::string(id.size() - 5, '*') + std::string(id.substr(id.size() - 2));
}

std::string MaskPhone(std::string_view phone) {
  if (phone.size() < 7) return std::string(phone.size(), '*');
  return std::string(phone.substr(0, 3)) + std::string(phone.size() - 6, '*') +
         std::string(phone.substr(phone.size() - 3));
}

}  // namespace motcua::dossier
