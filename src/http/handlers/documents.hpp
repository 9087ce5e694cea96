// HTTP routes for printable documents.
//
//   POST /api/v1/dossiers/{id}/receipt {secret} -> 200 application/pdf: form 01
//   GET  /api/v1/dossiers/{id}/control-sheet   -> 200 application/pdf: form 06
//   GET  /api/v1/dossiers/{id}/forms/{02..05}  -> 200 application/pdf: the letter of the
//        last event that decided it (supplements, refusal, apology, stop); 404 if none
//
// The receipt carries the lookup code, which motcua never stores: the page
// that received it when the dossier was submitted (the citizen's receipt, the
// counter's intake) asks for the PDF with it. Who may: whoever may read the
// dossier (its owner, its staff); the read is in the access log. A code that
// is not the dossier's is a 400 naming "secret". The control sheet has no
// code on it: whoever may read the dossier prints it, logged as well.
//
// Ownership: everything must outlive the router.
#pragma once

#include <memory>

#include "core/workflow/registry.hpp"
#include "documents/control_sheet.hpp"
#include "documents/pdf.hpp"
#include "documents/receipt.hpp"
#include "http/router.hpp"
#include "services/catalog/catalog_service.hpp"
#include "services/dossiers/dossier_service.hpp"
#include "services/units/unit_service.hpp"

namespace motcua::http {

// The header lines of a unit's documents: its superior's agency and its own.
void UnitAgencies(const units::UnitService& units, const documents::FormLayout& layout,
                  std::int64_t unit_id, std::string& parent_agency, std::string& agency);

// The citizen portal's address for links and QR codes: configured (App sets
// it from --public-url, the forms file or the listen address), never taken
// from a request, whose Host header the client writes (issue 19).
std::string PortalAddress(const documents::FormLayout& layout);

void RegisterDocumentRoutes(Router& router, dossiers::DossierService& dossiers,
                            const catalog::CatalogService& catalog, const units::UnitService& units,
                            const workflow::Registry& workflows,
                            std::shared_ptr<const documents::Fonts> fonts,
                            const documents::FormLayout& layout, const Clock& clock);

}  // namespace motcua::http
