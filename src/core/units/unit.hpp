// Administrative units and agencies: the value type and its format rules.
//
// A unit never disappears: when it is merged or abolished it gets a valid_to
// date and links to its successors, so that old dossiers keep the unit that
// received them and statistics can be shown by the units of the time or by
// today's units.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace motcua::units {

// A calendar day (dates are stored as TEXT YYYY-MM-DD).
using Date = std::chrono::year_month_day;

// Strict YYYY-MM-DD of a real calendar day; nullopt otherwise.
std::optional<Date> ParseDate(std::string_view text);
std::string FormatDate(Date date);

// The two-level reform (Decision 19/2025/QĐ-TTg, in force 2025-07-01): districts
// exist only before this day, and communes hang directly below provinces.
// Historical fact rather than tunable policy, hence a constant.
inline constexpr Date kDistrictsAbolished{std::chrono::year{2025}, std::chrono::July,
                                          std::chrono::day{1}};

enum class Kind {
  kProvince,    // tỉnh, thành phố trực thuộc trung ương
  kDistrict,    // huyện, quận, thị xã (before 2025-07-01 only)
  kCommune,     // xã, phường, đặc khu
  kDepartment,  // sở, ban, ngành cấp tỉnh (Sở Tư pháp, ...)
  kCenter,      // Trung tâm Phục vụ hành chính công (one-stop centre)
};

// "province", "district", "commune", "department", "center".
std::string_view KindName(Kind kind);
std::optional<Kind> ParseKind(std::string_view name);

struct Unit {           // đơn vị hành chính (or a provincial agency)
  std::int64_t id = 0;  // 0 until stored
  Kind kind = Kind::kCommune;
  std::string name;                    // Vietnamese, as in the founding decision
  std::optional<std::string> name_en;  // for English pages, if known
  // General Statistics Office code: 2 digits (province), 3 (district),
  // 5 (commune); empty for departments and centres. Never reused.
  std::string stats_code;
  std::string agency_code;  // QCVN 102:2016, e.g. "000.00.21.H12"; unique
  std::optional<std::int64_t> parent_id;
  Date valid_from{};
  // First day the unit no longer exists (exclusive): Bắc Kạn, merged into
  // Thái Nguyên on 2025-07-01, has valid_to 2025-07-01.
  std::optional<Date> valid_to;
  std::vector<std::int64_t> predecessors;  // ids, ascending
  std::vector<std::int64_t> successors;    // ids, ascending

  // True if the unit exists on `day`.
  bool ActiveOn(Date day) const { return valid_from <= day && (!valid_to || day < *valid_to); }
  bool operator==(const Unit&) const = default;
};

// V1V2V3.Z1Z2.Y1Y2.M1X1X2: "ddd.dd.dd.Ldd" with L an ASCII letter.
bool IsAgencyCode(std::string_view code);
// The GSO code shape required for `kind` (empty for departments and centres).
bool IsStatsCodeFor(Kind kind, std::string_view code);

}  // namespace motcua::units
