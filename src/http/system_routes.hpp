// Routes every deployment has, whatever else it serves:
//   GET /healthz              200 "ok" (text/plain): the process is up and
//                             serving; cheap enough for load balancers and
//                             benchmarks to hit constantly.
//   GET /metrics              the Metrics registry in Prometheus text format.
//   GET /api/v1/openapi.json  the API description, embedded at build time
//                             from api/openapi.json.
// Ownership: `metrics` must outlive the router's handlers.
#pragma once

#include <string_view>

#include "http/metrics.hpp"
#include "http/router.hpp"

namespace motcua::http {

void RegisterSystemRoutes(Router& router, Metrics& metrics);

// api/openapi.json as it was when this binary was built.
std::string_view EmbeddedOpenApiJson();

}  // namespace motcua::http
