// HTTP routes for a dossier's electronic result and its verification
// (services/results/result_service.hpp).
//
//   GET  /api/v1/dossiers/{id}/result        -> 200 {state: none|draft|signed, ...}
//   PUT  /api/v1/dossiers/{id}/result        {attachment} | {generate: true, content}
//                                            -> 200 the draft (specialists, leaders of the unit
//                                            holding it)
//   POST /api/v1/dossiers/{id}/result/sign   {pkcs12 (base64), password} -> 200 signed (its
//   leaders) GET  /api/v1/dossiers/{id}/result/file   -> 200 application/pdf (logged read) GET
//   /api/v1/verify/{code}               -> 200 what the result is, who signed it and when (public)
//   POST /api/v1/verify[?code=]              body: the PDF -> 200 {verdict: issued|changed|unknown,
//   ...} (public)
//
// The PKCS#12 file and its password are used for the one request and kept
// nowhere. Ownership: everything must outlive the router.
#pragma once

#include <memory>

#include "documents/pdf.hpp"
#include "documents/receipt.hpp"
#include "http/router.hpp"
#include "services/dossiers/dossier_service.hpp"
#include "services/results/result_service.hpp"
#include "services/units/unit_service.hpp"

namespace motcua::http {

void RegisterResultRoutes(Router& router, results::ResultService& results,
                          dossiers::DossierService& dossiers, const units::UnitService& units,
                          std::shared_ptr<const documents::Fonts> fonts,
                          const documents::FormLayout& layout, const Clock& clock);

}  // namespace motcua::http
