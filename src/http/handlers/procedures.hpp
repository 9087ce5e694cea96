// HTTP routes for the procedure catalogue.
//
//   GET  /api/v1/procedures                 ?q=&field=&level=&online_mode=&limit=1..100&offset=
//                                           -> 200 {total, limit, offset, as_of, items: [summary]};
//                                           public. Searches the versions in force today
//                                           (core/catalog/search.hpp for matching and ranking).
//   GET  /api/v1/procedures/{code}          ?as_of=YYYY-MM-DD -> 200 procedure; public. Without
//                                           as_of: in force today, else the newest published.
//   GET  /api/v1/procedures/{code}/versions -> 200 {items: [procedure]}, ascending version;
//                                           public; drafts only for administrators.
//   GET  /api/v1/procedure-fields           -> 200 {items: [{field, procedures}]}; public.
//   POST /api/v1/procedures                 procedure (core/catalog/procedure_json.hpp),
//                                           status draft or published -> 201 procedure
//   POST /api/v1/procedures/{code}/versions procedure without code (or the same code),
//                                           effective_from after the current version's
//                                           -> 201 procedure (the new version)
//   POST /api/v1/procedures/{code}/retire   {date} -> 200 procedure (the newest, retired)
//   POST /api/v1/procedures/import          application/json or text/csv
//                                           (core/catalog/import.hpp), all or nothing
//                                           -> 200 {procedures_created, versions_published}
//
// A summary is {code, version, name, name_en, field, levels, online_mode,
// time_limit, cutoff_1500, total_fee, result_kind, effective_from}; a full
// procedure is the output form of procedure_json.hpp.
//
// Writes need province_admin or system_admin (the catalogue is the
// province's): no principal 401, another role 403. Bad query parameters,
// codes and bodies: 400 naming each; unknown parameters and body fields are
// refused. An unknown code is 404. Writes block their I/O thread until the
// commit is durable; they are rare admin work.
//
// Ownership: `catalog` must outlive the router.
#pragma once

#include "http/router.hpp"
#include "services/catalog/catalog_service.hpp"

namespace motcua::http {

void RegisterProcedureRoutes(Router& router, catalog::CatalogService& catalog);

}  // namespace motcua::http
