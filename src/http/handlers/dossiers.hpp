// HTTP routes for dossiers (hồ sơ) and inboxes; RegisterDossierRoutes also
// registers the public lookup (lookup.hpp) and the workflows (workflows.hpp).
//
//   POST /api/v1/dossiers                       submit online (citizen) or record at a counter
//                                               (officer) -> 201 {dossier, lookup_secret}
//   GET  /api/v1/dossiers/{id}                  -> 200 dossier with steps, history, files
//                                               (unmasked; the read is logged first)
//   POST /api/v1/dossiers/{id}/actions/{action} {version?, reason?, items?, to_unit_id?,
//                                               fee_vnd?, files?} -> 200 dossier (masked)
//   POST /api/v1/dossiers/{id}/apology          {version?, new_due_at, reason} -> 200 dossier
//   POST /api/v1/dossiers/{id}/rating           {level, comment?} -> 201 rating; the owner
//   GET  /api/v1/dossiers/{id}/access-log       -> 200 {items: [{user_id, at, purpose, route}]}
//   GET  /api/v1/inbox                          ?state=&procedure_code=&due=overdue|nearing
//                                               &q=&cursor=&limit= -> 200 {counts, items,
//                                               next_cursor}
//   GET  /api/v1/dossiers                       ?unit=&procedure_code=&due=&cursor=&limit=
//                                               -> 200 {counts, items, next_cursor}: a
//                                               leader's watch
//   GET  /api/v1/me/dossiers                    ?before=&limit= -> 200 {items, next_before}
//
// The answers are written by dossier_json.hpp.
//
// The body of a submission: {procedure_code, unit_id, channel?, consent,
// applicant: {full_name, id_number, phone, email?, address?},
// files: [{attachment_id, component_code}]}.
//
// Errors are the service's (services/dossiers/dossier_service.hpp) mapped
// by http/message.hpp: 400 naming each bad field, 401 without a signed-in
// caller, 403 for a role that may not act, 404 for a dossier the caller may
// not see, 409 for an action not allowed now or a stale version (its fields
// carry the current state and version).
//
// Responses that carry personal data are Cache-Control: no-store. Writes
// answer from the writer's completion callback: no I/O thread waits for a
// commit.
//
// Ownership: `service`, `workflows`, `access_log` and `clock` must outlive
// the router.
#pragma once

#include "core/workflow/registry.hpp"
#include "http/router.hpp"
#include "services/audit/access_log.hpp"
#include "services/dossiers/dossier_service.hpp"

namespace motcua::http {

// What the access log records of a request that reads a dossier: its
// method and route, and its request id.
dossiers::ReadContext ReadContextOf(const Request& req);

void RegisterDossierRoutes(Router& router, dossiers::DossierService& service,
                           const workflow::Registry& workflows, const Clock& clock);

}  // namespace motcua::http
