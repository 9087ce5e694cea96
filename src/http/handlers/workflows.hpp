// HTTP routes for the workflows that dossiers follow (quy trình): the
// definitions loaded at startup, and a check of a new one before deployment.
//
//   GET  /api/v1/workflows                   -> 200 {items: [graph]}; signed in
//   GET  /api/v1/workflows/{code}            -> 200 graph (core/workflow Describe); signed in
//   GET  /api/v1/workflows/{code}/definition -> 200 the definition file as loaded;
//                                               province or system administrators
//   POST /api/v1/workflows/check             definition -> 200 {valid, workflow,
//                                               loaded_version}; administrators
//
// Errors: 401 without a signed-in caller, 403 for other roles, 404 for an
// unknown code, 413 for a definition over 256 KiB, 400 naming each problem of
// a definition at its JSON path.
//
// Ownership: `workflows` must outlive the router.
#pragma once

#include "core/workflow/registry.hpp"
#include "http/router.hpp"

namespace motcua::http {

void RegisterWorkflowRoutes(Router& router, const workflow::Registry& workflows);

}  // namespace motcua::http
