// Test helpers: a small merged province to query and validate against.
// Header-only and used by tests only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/units/unit.hpp"

namespace motcua::units::testing {

inline Date D(const char* text) { return *ParseDate(text); }

inline Unit MakeUnit(std::int64_t id, Kind kind, std::string name, std::string stats_code,
                     std::string agency_code, std::optional<std::int64_t> parent, const char* from,
                     const char* to = nullptr) {
  Unit u;
  u.id = id;
  u.kind = kind;
  u.name = std::move(name);
  u.stats_code = std::move(stats_code);
  u.agency_code = std::move(agency_code);
  u.parent_id = parent;
  u.valid_from = D(from);
  if (to != nullptr) u.valid_to = D(to);
  return u;
}

// Ids of MergedProvince().
enum : std::int64_t {
  kBacKan = 1,       // province, retired 2025-07-01 into Thái Nguyên
  kThaiNguyen = 2,   // province
  kChoMoi = 3,       // district of Bắc Kạn, retired 2025-07-01
  kThanhVan = 4,     // commune of Chợ Mới, merged into kThanhMaiNew
  kThanhMaiOld = 5,  // commune of Chợ Mới, merged into kThanhMaiNew
  kThanhMaiNew = 6,  // commune of Thái Nguyên from 2025-07-01
  kJustice = 7,      // Sở Tư pháp Thái Nguyên
  kDongHy = 8,       // district of Thái Nguyên, retired 2025-07-01
  kHoaThuong = 9,    // commune of Đồng Hỷ, retired with no successor recorded
};

inline std::vector<Unit> MergedProvince() {
  std::vector<Unit> u = {
      MakeUnit(kBacKan, Kind::kProvince, "Tỉnh Bắc Kạn", "06", "000.00.00.H06", std::nullopt,
               "1997-01-01", "2025-07-01"),
      MakeUnit(kThaiNguyen, Kind::kProvince, "Tỉnh Thái Nguyên", "19", "000.00.00.H56",
               std::nullopt, "1997-01-01"),
      MakeUnit(kChoMoi, Kind::kDistrict, "Huyện Chợ Mới", "064", "000.00.21.H06", kBacKan,
               "1997-01-01", "2025-07-01"),
      MakeUnit(kThanhVan, Kind::kCommune, "Xã Thanh Vận", "01990", "000.21.21.H06", kChoMoi,
               "1997-01-01", "2025-07-01"),
      MakeUnit(kThanhMaiOld, Kind::kCommune, "Xã Thanh Mai", "01993", "000.22.21.H06", kChoMoi,
               "1997-01-01", "2025-07-01"),
      MakeUnit(kThanhMaiNew, Kind::kCommune, "Xã Thanh Mai", "01996", "000.31.21.H56", kThaiNguyen,
               "2025-07-01"),
      MakeUnit(kJustice, Kind::kDepartment, "Sở Tư pháp", "", "000.00.11.H56", kThaiNguyen,
               "1997-01-01"),
      MakeUnit(kDongHy, Kind::kDistrict, "Huyện Đồng Hỷ", "168", "000.00.22.H56", kThaiNguyen,
               "1997-01-01", "2025-07-01"),
      MakeUnit(kHoaThuong, Kind::kCommune, "Xã Hóa Thượng", "05500", "000.21.22.H56", kDongHy,
               "1997-01-01", "2025-07-01"),
  };
  auto link = [&u](std::int64_t from, std::int64_t to) {
    u[from - 1].successors.push_back(to);
    u[to - 1].predecessors.push_back(from);
  };
  link(kBacKan, kThaiNguyen);
  link(kThanhVan, kThanhMaiNew);
  link(kThanhMaiOld, kThanhMaiNew);
  return u;
}

}  // namespace motcua::units::testing
