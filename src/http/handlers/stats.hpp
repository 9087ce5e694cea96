// HTTP routes for live statistics (services/stats/stats_service.hpp).
//
//   GET /api/v1/statistics?unit=ID&period=bc-2026-12
//       -> 200 the unit's figures (it and the units below it) over the period,
//          with the 766 index; for staff of that unit or above it.
//
// Ownership: everything must outlive the router.
#pragma once

#include "http/router.hpp"
#include "services/stats/stats_service.hpp"

namespace motcua::accounts {
class UnitHierarchy;
}

namespace motcua::http {

void RegisterStatsRoutes(Router& router, stats::StatsService& stats,
                         const accounts::UnitHierarchy& hierarchy);

}  // namespace motcua::http
