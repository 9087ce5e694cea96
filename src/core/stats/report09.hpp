// The procedure-handling report of Decree 09/2019/NĐ-CP (DOMAIN.md section
// 6): per field of a unit, for a report period, the official column groups
// of the report on administrative procedures handled by the agencies that
// handle them (Circular 01/2020/TT-VPCP's form; the columns as DOMAIN.md
// gives them):
//
//   received for handling: total = carried over + newly received online
//     + newly received in person or by post;
//   handled: total = early + on time + late;
//   in progress: total = within the limit + overdue;
//   returned or withdrawn: refused at intake + withdrawn by the citizen.
//
// So that the report balances: total received = handled + in progress +
// returned or withdrawn (what motcua counts: every dossier received is, at
// the period's end, either decided, withdrawn or still open). Assumed, since
// the form counts dossiers "received for handling": a refusal at intake is
// received and returned, not handled.
//
// Pure and thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "core/stats/counters.hpp"

namespace motcua::stats {

struct Report09Column {
  std::string_view key;
  std::string_view group;  // Vietnamese, as on the form
  std::string_view name;   // within the group
  std::string_view group_en;
  std::string_view name_en;
};

inline constexpr std::size_t kReport09Columns = 12;
const std::array<Report09Column, kReport09Columns>& Report09Columns();

// The values of `t` in the columns' order.
std::array<std::int64_t, kReport09Columns> Report09Values(const Totals& t);

}  // namespace motcua::stats
