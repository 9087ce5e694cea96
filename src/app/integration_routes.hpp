// HTTP routes for the administration of the integration spine: what motcua
// owes the outside systems (docs/integrations.md).
//
//   GET  /api/v1/integrations/outbox   ?destination=&state=&dossier=ID&before=ID&limit=N
//        -> 200 {destinations: [{destination, pending, retrying, dead,
//                 oldest_pending_at, delivered_since_start, lag_p99_seconds}],
//                items: [message], next_before}; newest first, 50 by default
//                (1 to 200)
//   POST /api/v1/integrations/outbox/{id}/retry     {} -> 200 message: due now,
//        attempts counted afresh
//   POST /api/v1/integrations/outbox/{id}/discard   {reason} -> 200 message
//
// A message: {id, destination, kind, dossier_id, dossier_number, state,
// attempts, created_at, next_attempt_at, last_attempt_at, finished_at,
// last_error, covered_by}; absent values are null. Messages carry no
// applicant data (a sync reads the dossier when it leaves).
//
// Who: the system administrator, who runs the province's connections. No
// principal: 401; another role: 403. An unknown id: 404; a delivered or
// discarded message: 409 failed_precondition. Bad parameters and bodies: 400
// naming them. The writes are rare administrator work and wait for their
// commit on the request's thread.
//
//   POST /api/v1/integrations/dvcqg/dossiers   the national portal pushing a
//        dossier filed there (integrations/dvcqg/inbound.hpp): Authorization
//        "Bearer <the province's token for the portal>", the portal's record
//        -> 201 {error_code "0", message, result: [{MaHoSo, SoHoSoTinh,
//        TrangThaiHoSo}]}, or 200 with the first answer for a code received
//        before; 401 without the token (or when none is configured); 400
//        naming the portal's field; 409 failed_precondition for a procedure
//        not offered online or a unit that does not receive it.
//
// Notifications (integrations/notify/notices.hpp, docs/integrations.md):
//
//   GET  /api/v1/dossiers/{id}/notifications
//        -> 200 {preferences: {email, phone, language, stopped_at, chosen,
//                updated_at, updated_by}, contacts: {email, phone} (masked, null
//                when not given), channels: [the configured ones],
//                notices: [{id, destination, notice, to (masked), state,
//                attempts, created_at, finished_at, last_error}]}
//   PUT  /api/v1/dossiers/{id}/notifications   {email, phone, language, stopped}
//        -> 200 as GET. For whoever may see the dossier: its citizen, or
//        staff of its units (at the counter, on the citizen's word).
//   POST /api/v1/notifications/stop   {number, token} (the link in every
//        message; no account) -> 200 {number, stopped_at}; 404 for a wrong
//        number or token alike.
//   GET  /api/v1/account/notifications   -> 200 {email, daily_digest, language}
//   PUT  /api/v1/account/notifications   {email, daily_digest, language}
//        -> 200: an officer's own daily digest (staff roles only; 403 else).
//
// Ownership: everything must outlive the router.
#pragma once

#include "common/clock.hpp"
#include "http/router.hpp"
#include "integrations/delivery.hpp"
#include "integrations/dvcqg/inbound.hpp"
#include "services/dossiers/dossier_service.hpp"
#include "storage/store.hpp"

namespace motcua::app {

void RegisterIntegrationRoutes(http::Router& router, storage::Store& store, const Clock& clock,
                               integrations::DeliveryService& delivery,
                               integrations::dvcqg::Inbound& inbound);

struct NotificationSetup {
  std::vector<std::string> channels;  // "email", "zalo", "sms": those configured
  std::string stop_key;
};
void RegisterNotificationRoutes(http::Router& router, storage::Store& store, const Clock& clock,
                                const dossiers::DossierService& dossiers, NotificationSetup setup);

}  // namespace motcua::app
