#include "http/system_routes.hpp"

namespace motcua::http {

void RegisterSystemRoutes(Router& router, Metrics& metrics) {
  router.Add("GET", "/healthz", [](Request&, Responder respond) {
    Response res;
    res.headers.emplace_back("content-type", "text/plain; charset=utf-8");
    res.headers.emplace_back("cache-control", "no-store");
    res.body = "ok";
    respond(std::move(res));
  });
  router.Add("GET", "/metrics", [&metrics](Request&, Responder respond) {
    Response res;
    res.headers.emplace_back("content-type", std::string(kPrometheusContentType));
    res.headers.emplace_back("cache-control", "no-store");
    res.body = metrics.Render();
    respond(std::move(res));
  });
  router.Add("GET", "/api/v1/openapi.json", [](Request&, Responder respond) {
    Response res;
    res.headers.emplace_back("content-type", "application/json");
    // Changes only with a release; an hour keeps API browsers snappy.
    res.headers.emplace_back("cache-control", "public, max-age=3600");
    res.body = std::string(EmbeddedOpenApiJson());
    respond(std::move(res));
  });
}

}  // namespace motcua::http
