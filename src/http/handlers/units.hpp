// HTTP routes for administrative units and agencies.
//
//   GET   /api/v1/units               ?parent_id=&kind=&as_of=YYYY-MM-DD&include_retired=true|false
//                                     -> 200 {items: [unit]}; public (citizens pick where to
//                                     submit)
//   GET   /api/v1/units/{id}          -> 200 unit + {children_count}; public
//   POST  /api/v1/units               {kind, name, name_en?, stats_code?, agency_code,
//                                      parent_id?, valid_from, valid_to?} -> 201 unit
//   PATCH /api/v1/units/{id}          {name?, name_en?, stats_code?, agency_code?, kind?,
//                                      parent_id?, valid_from?} -> 200 unit
//   POST  /api/v1/units/{id}/retire   {date, successor_ids?} -> 200 unit
//   POST  /api/v1/units/import        text/csv (core/units/csv_import.hpp)
//                                     -> 200 {units_created, links_created}
//
// A unit in JSON: {id, kind, name, name_en, stats_code, agency_code,
// parent_id, valid_from, valid_to, predecessor_ids, successor_ids}; absent
// optional values are null.
//
// Writes need province_admin over the unit's parent (create, import, a new
// parent in PATCH) or over the unit itself (PATCH, retire); units without a
// parent (provinces) need system_admin, who may do everything. No principal:
// 401; not allowed: 403. Bad query parameters, path ids and bodies: 400
// naming the parameter or field; unknown query parameters and body fields
// are refused too. Writes block their I/O thread until the commit is
// durable (a few milliseconds with group commit); they are rare admin work.
//
// Ownership: `units` must outlive the router.
#pragma once

#include "http/router.hpp"
#include "services/units/unit_service.hpp"

namespace motcua::http {

void RegisterUnitRoutes(Router& router, units::UnitService& units);

}  // namespace motcua::http
