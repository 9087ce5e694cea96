// The public routes of whoever holds a receipt: its dossier number and
// lookup secret (mã tra cứu), without signing in.
//
//   GET  /api/v1/lookup          ?number=&secret= -> 200 public status
//   POST /api/v1/lookup/rating   {number, secret, level, comment?} -> 201 rating
//
// Both count failed tries per address under one limit: 429 with Retry-After
// once an address has failed too often (a lookup that found nothing, a
// rating with a wrong number or secret; successes are not counted). Answers
// of the lookup are kept for a moment in a LookupCache (lookup_cache.hpp)
// that the service's change listener empties of a dossier when it changes.
// Other errors are the service's, mapped by http/message.hpp: 400 naming
// each bad field, 404 for a wrong number or secret alike, 409 for a dossier
// not ended yet or rated before.
//
// Ownership: `service` and `clock` must outlive the router.
#pragma once

#include "common/clock.hpp"
#include "http/router.hpp"
#include "services/dossiers/dossier_service.hpp"

namespace motcua::http {

void RegisterLookupRoutes(Router& router, dossiers::DossierService& service, const Clock& clock);

}  // namespace motcua::http
