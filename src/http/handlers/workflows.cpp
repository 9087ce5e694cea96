#include "http/handlers/workflows.hpp"

#include <boost/json.hpp>
#include <cstddef>
#include <string>
#include <utility>

#include "core/workflow/workflow.hpp"
#include "http/auth.hpp"

namespace motcua::http {
namespace {

namespace json = boost::json;
using accounts::Role;

}  // namespace

void RegisterWorkflowRoutes(Router& router, const workflow::Registry& workflows) {
  router.Add("GET", "/api/v1/workflows", [&workflows](Request& req, Responder respond) {
    if (auto st = RequireAuthenticated(req); !st) return respond(ErrorResponse(st.error()));
    json::array items;
    for (const auto* wf : workflows.Latest()) items.push_back(json::parse(wf->Describe()));
    respond(JsonResponse(200, json::object{{"items", std::move(items)}}));
  });
  router.Add("GET", "/api/v1/workflows/{code}", [&workflows](Request& req, Responder respond) {
    if (auto st = RequireAuthenticated(req); !st) return respond(ErrorResponse(st.error()));
    const auto* wf = workflows.Latest(req.path_params["code"]);
    if (wf == nullptr)
      return respond(ErrorResponse(
          Error{Code::kNotFound, "no workflow '" + req.path_params["code"] + "'", {}}));
    respond(JsonResponse(200, json::parse(wf->Describe())));
  });
  // The definition file of a loaded workflow, as written, for administrators
  // who edit it (and check it below) before deploying a new version.
  router.Add("GET", "/api/v1/workflows/{code}/definition",
             [&workflows](Request& req, Responder respond) {
               if (auto st = RequireAnyRole(req, {Role::kProvinceAdmin, Role::kSystemAdmin}); !st)
                 return respond(ErrorResponse(st.error()));
               const auto* wf = workflows.Latest(req.path_params["code"]);
               if (wf == nullptr)
                 return respond(ErrorResponse(
                     Error{Code::kNotFound, "no workflow '" + req.path_params["code"] + "'", {}}));
               Response res;
               res.status = 200;
               res.SetHeader("content-type", "application/json");
               res.body = wf->source();
               respond(std::move(res));
             });
  // Checks a workflow definition as `motcua serve` would load it, without
  // loading it: workflows are data files (data/workflows), reviewed and
  // deployed like the law they encode. Administrators edit one in the
  // browser and see every problem at its JSON path.
  router.Add("POST", "/api/v1/workflows/check", [&workflows](Request& req, Responder respond) {
    if (auto st = RequireAnyRole(req, {Role::kProvinceAdmin, Role::kSystemAdmin}); !st)
      return respond(ErrorResponse(st.error()));
    constexpr std::size_t kMaxDefinition = 256 * 1024;
    if (req.body.size() > kMaxDefinition)
      return respond(ErrorResponse(Error{Code::kPayloadTooLarge,
                                         "a workflow definition is at most 256 KiB",
                                         {{"body", "at most 256 KiB"}}}));
    auto wf = workflow::Workflow::Parse(req.body);
    if (!wf) return respond(ErrorResponse(wf.error()));
    json::object out{{"valid", true}, {"workflow", json::parse(wf->Describe())}};
    const auto* loaded = workflows.Latest(wf->code());
    out["loaded_version"] = loaded ? json::value(loaded->version()) : json::value(nullptr);
    respond(JsonResponse(200, std::move(out)));
  });
}

}  // namespace motcua::http
