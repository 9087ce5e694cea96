#include "core/units/unit.hpp"

#include <cstdio>

namespace motcua::units {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

int Number(std::string_view digits) {
  int n = 0;
  for (char c : digits) n = n * 10 + (c - '0');
  return n;
}

}  // namespace

std::optional<Date> ParseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  std::string_view y = text.substr(0, 4), m = text.substr(5, 2), d = text.substr(8, 2);
  if (!AllDigits(y) || !AllDigits(m) || !AllDigits(d)) return std::nullopt;
  Date date{std::chrono::year{Number(y)}, std::chrono::month{static_cast<unsigned>(Number(m))},
            std::chrono::day{static_cast<unsigned>(Number(d))}};
  if (!date.ok()) return std::nullopt;
  return date;
}

std::string FormatDate(Date date) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return buf;
}

std::string_view KindName(Kind kind) {
  switch (kind) {
    case Kind::kProvince:
      return "province";
    case Kind::kDistrict:
      return "district";
    case Kind::kCommune:
      return "commune";
    case Kind::kDepartment:
      return "department";
    case Kind::kCenter:
      return "center";
  }
  return "commune";
}

std::optional<Kind> ParseKind(std::string_view name) {
  for (Kind k :
       {Kind::kProvince, Kind::kDistrict, Kind::kCommune, Kind::kDepartment, Kind::kCenter}) {
    if (KindName(k) == name) return k;
  }
  return std::nullopt;
}

bool IsAgencyCode(std::string_view code) {
  if (code.size() != 13) return false;
  for (std::size_t i = 0; i < code.size(); ++i) {
    char c = code[i];
    switch (i) {
      case 3:
      case 6:
      case 9:
        if (c != '.') return false;
        break;
      case 10:
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return false;
        break;
      default:
        if (!IsDigit(c)) return false;
    }
  }
  return true;
}

bool IsStatsCodeFor(Kind kind, std::string_view code) {
  std::size_t want = 0;
  switch (kind) {
    case Kind::kProvince:
      want = 2;
      break;
    case Kind::kDistrict:
      want = 3;
      break;
    case Kind::kCommune:
      want = 5;
      break;
    case Kind::kDepartment:
    case Kind::kCenter:
      return code.empty();
  }
  return code.size() == want && AllDigits(code);
}

}  // namespace motcua::units
