#include "http/handlers/dossiers.hpp"

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/json_writer.hpp"
#include "core/calendar/date.hpp"
#include "http/auth.hpp"
#include "http/handlers/dossier_json.hpp"
#include "http/handlers/lookup.hpp"
#include "http/handlers/workflows.hpp"
#include "http/json_body.hpp"
#include "http/params.hpp"

namespace motcua::http {
namespace {

namespace json = boost::json;
using calendar::FormatMoment;
using dossier_json::Counts;
using dossier_json::DetailBody;
using dossier_json::Err;
using dossier_json::Private;
using dossier_json::RatingResponse;
using dossier_json::ReadRating;
using dossier_json::Summary;
using dossier_json::ViewBody;
using dossier_json::ViewFields;
using dossiers::DossierService;
using dossiers::DossierView;

constexpr StringRules kReasonRules{.min_length = 0, .max_length = 2000};
constexpr StringRules kCodeRules{.min_length = 1, .max_length = 64};
constexpr StringRules kIdRules{.min_length = 1, .max_length = 64};
constexpr std::size_t kMaxListItems = 200;

// Reads [{attachment_id, component_code}, ...] at `name`.
std::vector<dossiers::FileRef> ReadFiles(ObjectReader& r, std::string_view name) {
  std::vector<dossiers::FileRef> out;
  const json::value* v = r.Raw(name);
  if (v == nullptr) return out;
  if (!v->is_array() || v->as_array().size() > kMaxListItems) {
    r.Problem(name, "must be an array of at most " + std::to_string(kMaxListItems) + " files");
    return out;
  }
  const auto& arr = v->as_array();
  for (std::size_t i = 0; i < arr.size(); ++i) {
    std::string at = std::string(name) + "[" + std::to_string(i) + "]";
    if (!arr[i].is_object()) {
      r.Problem(at, "must be an object {attachment_id, component_code}");
      continue;
    }
    ObjectReader f(arr[i].as_object());
    dossiers::FileRef ref{f.RequiredString("attachment_id", kIdRules),
                          f.RequiredString("component_code", kCodeRules)};
    if (auto st = f.Finish(); !st) {
      for (const auto& [k, p] : st.error().fields) r.Problem(at + "." + k, p);
      continue;
    }
    out.push_back(std::move(ref));
  }
  return out;
}

void SubmitDossier(DossierService& service, Request& req, Responder respond) {
  if (auto st = RequireAuthenticated(req); !st) return respond(Err(st.error()));
  auto body = ParseJsonObject(req);
  if (!body) return respond(Err(body.error()));
  ObjectReader r(*body);
  dossiers::SubmitRequest s;
  s.procedure_code = r.RequiredString("procedure_code", {.min_length = 1, .max_length = 40});
  s.unit_id = r.RequiredInt("unit_id", 1, INT64_MAX);
  if (auto ch = r.OptionalInt("channel", 1, 3)) s.channel = static_cast<dossiers::Channel>(*ch);
  auto consent = r.OptionalBool("consent");
  s.consent = consent.value_or(false);
  const json::value* a = r.Raw("applicant");
  if (a == nullptr) {
    r.Problem("applicant", "is required");
  } else if (!a->is_object()) {
    r.Problem("applicant", "must be an object");
  } else {
    ObjectReader ar(a->as_object());
    s.applicant.full_name = ar.RequiredString("full_name", {.min_length = 1, .max_length = 100});
    s.applicant.id_number = ar.RequiredString("id_number", {.min_length = 1, .max_length = 20});
    s.applicant.phone = ar.RequiredString("phone", {.min_length = 1, .max_length = 20});
    s.applicant.email = ar.OptionalString("email", {.max_length = 254}).value_or("");
    s.applicant.address = ar.OptionalString("address", {.max_length = 300}).value_or("");
    if (auto st = ar.Finish(); !st)
      for (const auto& [k, p] : st.error().fields) r.Problem("applicant." + k, p);
  }
  s.files = ReadFiles(r, "files");
  if (auto st = r.Finish(); !st) return respond(Err(st.error()));
  service.Submit(*req.principal, std::move(s), [respond](Result<dossiers::Submitted> out) {
    if (!out) return respond(Err(out.error()));
    std::string body;
    JsonWriter w(body);
    w.Object().Key("dossier").Object();
    ViewFields(w, out->view);
    w.End().Key("lookup_secret").String(out->lookup_secret).End();
    Response res = Private(JsonTextResponse(201, std::move(body)));
    res.SetHeader("Location", "/api/v1/dossiers/" + std::to_string(out->view.row.id));
    respond(std::move(res));
  });
}

void GetDossier(DossierService& service, Request& req, Responder respond) {
  if (auto st = RequireAuthenticated(req); !st) return respond(Err(st.error()));
  auto id = PathId(req);
  if (!id) return respond(Err(id.error()));
  dossiers::ReadContext ctx = ReadContextOf(req);
  service.Get(*req.principal, *id, std::move(ctx), [respond](Result<dossiers::DossierDetail> d) {
    if (!d) return respond(Err(d.error()));
    respond(Private(JsonTextResponse(200, DetailBody(*d))));
  });
}

void ActOnDossier(DossierService& service, Request& req, Responder respond) {
  if (auto st = RequireAuthenticated(req); !st) return respond(Err(st.error()));
  auto id = PathId(req);
  if (!id) return respond(Err(id.error()));
  dossiers::ActRequest a;
  a.action = req.path_params["action"];
  if (a.action.empty() || a.action.size() > 64)
    return respond(
        Err(InvalidField("action", "must be an action id of the dossier's workflow").error()));
  // An action may have no body at all ("accept").
  if (!req.body.empty()) {
    auto body = ParseJsonObject(req);
    if (!body) return respond(Err(body.error()));
    ObjectReader r(*body);
    a.expected_version = r.OptionalInt("version", 1, INT64_MAX);
    a.reason = r.OptionalString("reason", kReasonRules).value_or("");
    a.to_unit_id = r.OptionalInt("to_unit_id", 1, INT64_MAX);
    a.fee_vnd = r.OptionalInt("fee_vnd", 1, 1'000'000'000'000);
    if (const json::value* items = r.Raw("items")) {
      if (!items->is_array() || items->as_array().size() > 100) {
        r.Problem("items", "must be an array of at most 100 items");
      } else {
        const auto& arr = items->as_array();
        for (std::size_t i = 0; i < arr.size(); ++i) {
          std::string at = "items[" + std::to_string(i) + "]";
          if (!arr[i].is_object()) {
            r.Problem(at, "must be an object {component_code?, description}");
            continue;
          }
          ObjectReader ir(arr[i].as_object());
          dossiers::MissingItem item;
          item.component_code = ir.OptionalString("component_code", kCodeRules);
          item.description = ir.OptionalString("description", {.max_length = 1000}).value_or("");
          if (auto st = ir.Finish(); !st) {
            for (const auto& [k, p] : st.error().fields) r.Problem(at + "." + k, p);
            continue;
          }
          a.items.push_back(std::move(item));
        }
      }
    }
    a.files = ReadFiles(r, "files");
    if (auto st = r.Finish(); !st) return respond(Err(st.error()));
  }
  service.Act(*req.principal, *id, std::move(a), [respond](Result<DossierView> v) {
    if (!v) return respond(Err(v.error()));
    respond(Private(JsonTextResponse(200, ViewBody(*v))));
  });
}

void Apologize(DossierService& service, Request& req, Responder respond) {
  if (auto st = RequireAuthenticated(req); !st) return respond(Err(st.error()));
  auto id = PathId(req);
  if (!id) return respond(Err(id.error()));
  auto body = ParseJsonObject(req);
  if (!body) return respond(Err(body.error()));
  ObjectReader r(*body);
  dossiers::ApologyRequest a;
  a.expected_version = r.OptionalInt("version", 1, INT64_MAX);
  a.reason = r.RequiredString("reason", {.min_length = 1, .max_length = 2000});
  std::string due = r.RequiredString("new_due_at", {.min_length = 1, .max_length = 40});
  if (!due.empty()) {
    auto t = calendar::ParseMoment(due);
    if (!t)
      r.Problem("new_due_at", "must be a moment such as 2027-03-10T16:00+07:00");
    else
      a.new_due_at = *t;
  }
  if (auto st = r.Finish(); !st) return respond(Err(st.error()));
  service.Apologize(*req.principal, *id, std::move(a), [respond](Result<DossierView> v) {
    if (!v) return respond(Err(v.error()));
    respond(Private(JsonTextResponse(200, ViewBody(*v))));
  });
}

void AccessLogOf(DossierService& service, Request& req, Responder respond) {
  if (auto st = RequireAuthenticated(req); !st) return respond(Err(st.error()));
  auto id = PathId(req);
  if (!id) return respond(Err(id.error()));
  auto entries = service.AccessLogOf(*req.principal, *id, ReadContextOf(req));
  if (!entries) return respond(Err(entries.error()));
  if (!*entries)
    return respond(Err(Error{Code::kNotFound, "no dossier " + std::to_string(*id), {}}));
  json::array items;
  for (const auto& e : **entries) {
    items.push_back(json::object{{"user_id", e.record.user_id},
                                 {"at", FormatMoment(e.at)},
                                 {"purpose", e.record.purpose},
                                 {"route", e.record.route},
                                 {"request_id", e.record.request_id}});
  }
  respond(Private(JsonResponse(200, json::object{{"items", std::move(items)}})));
}

std::optional<int> ParseLimit(const Request& req, Error& error) {
  auto it = req.query.find("limit");
  if (it == req.query.end()) return std::nullopt;
  auto n = ParsePositiveId(it->second);
  if (!n || *n > 100) {
    error.With("limit", "must be 1 to 100");
    return std::nullopt;
  }
  return static_cast<int>(*n);
}

std::optional<dossiers::InboxQuery::Due> ParseDue(std::string_view value) {
  if (value == "overdue") return dossiers::InboxQuery::Due::kOverdue;
  if (value == "nearing") return dossiers::InboxQuery::Due::kNearing;
  if (value == "any") return dossiers::InboxQuery::Due::kAny;
  return std::nullopt;
}

void Inbox(DossierService& service, Request& req, Responder respond) {
  if (auto st = RequireAuthenticated(req); !st) return respond(Err(st.error()));
  dossiers::InboxQuery q;
  Error error{Code::kInvalidArgument, "invalid query parameters", {}};
  for (const auto& [name, value] : req.query) {
    if (name == "state") {
      if (value.empty() || value.size() > 64)
        error.With(name, "must be a state id");
      else
        q.state = value;
    } else if (name == "procedure_code") {
      if (value.empty() || value.size() > 40)
        error.With(name, "must be a procedure code");
      else
        q.procedure_code = value;
    } else if (name == "due") {
      if (auto due = ParseDue(value))
        q.due = *due;
      else
        error.With(name, "must be overdue, nearing or any");
    } else if (name == "q") {
      if (value.size() > 100)
        error.With(name, "must be at most 100 characters");
      else
        q.search = value;
    } else if (name == "cursor") {
      q.cursor = value;
    } else if (name != "limit") {
      error.With(name, "unknown parameter");
    }
  }
  if (auto limit = ParseLimit(req, error)) q.limit = *limit;
  if (!error.fields.empty()) return respond(Err(error));
  auto page = service.Inbox(*req.principal, q);
  if (!page) return respond(Err(page.error()));
  std::string body;
  body.reserve(1024 * (page->items.size() + 1));
  JsonWriter w(body);
  w.Object();
  Counts(w, page->counts);
  w.Key("items").Array();
  for (const auto& v : page->items) Summary(w, v);
  w.End().Key("next_cursor").String(page->next_cursor).End();
  respond(Private(JsonTextResponse(200, std::move(body))));
}

// GET /api/v1/dossiers?unit=: a leader's watch over the units below them.
void WatchList(DossierService& service, Request& req, Responder respond) {
  if (auto st = RequireAuthenticated(req); !st) return respond(Err(st.error()));
  dossiers::WatchQuery q;
  Error error{Code::kInvalidArgument, "invalid query parameters", {}};
  bool unit = false;
  for (const auto& [name, value] : req.query) {
    if (name == "unit") {
      auto id = ParsePositiveId(value);
      if (!id)
        error.With(name, "must be the id of a unit");
      else
        q.unit_id = *id;
      unit = true;
    } else if (name == "procedure_code") {
      if (value.empty() || value.size() > 40)
        error.With(name, "must be a procedure code");
      else
        q.procedure_code = value;
    } else if (name == "due") {
      if (auto due = ParseDue(value))
        q.due = *due;
      else
        error.With(name, "must be overdue, nearing or any");
    } else if (name == "cursor") {
      q.cursor = value;
    } else if (name != "limit") {
      error.With(name, "unknown parameter");
    }
  }
  if (!unit) error.With("unit", "is required: the id of a unit");
  if (auto limit = ParseLimit(req, error)) q.limit = *limit;
  if (!error.fields.empty()) return respond(Err(error));
  auto page = service.Watch(*req.principal, q);
  if (!page) return respond(Err(page.error()));
  std::string body;
  body.reserve(1200 * (page->items.size() + 1));
  JsonWriter w(body);
  w.Object();
  Counts(w, page->counts);
  w.Key("items").Array();
  for (const auto& item : page->items) dossier_json::WatchRow(w, item);
  w.End().Key("next_cursor").String(page->next_cursor).End();
  respond(Private(JsonTextResponse(200, std::move(body))));
}

void MyDossiers(DossierService& service, Request& req, Responder respond) {
  if (auto st = RequireAuthenticated(req); !st) return respond(Err(st.error()));
  Error error{Code::kInvalidArgument, "invalid query parameters", {}};
  std::int64_t before = 0;
  int limit = 20;
  for (const auto& [name, value] : req.query) {
    if (name == "before") {
      auto n = ParsePositiveId(value);
      if (!n)
        error.With(name, "must be a dossier id");
      else
        before = *n;
    } else if (name != "limit") {
      error.With(name, "unknown parameter");
    }
  }
  if (auto l = ParseLimit(req, error)) limit = *l;
  if (!error.fields.empty()) return respond(Err(error));
  auto page = service.Mine(*req.principal, before, limit);
  if (!page) return respond(Err(page.error()));
  std::string body;
  body.reserve(1024 * (page->items.size() + 1));
  JsonWriter w(body);
  w.Object().Key("items").Array();
  for (const auto& v : page->items) Summary(w, v);
  w.End().Key("next_before").Int(page->next_before).End();
  respond(Private(JsonTextResponse(200, std::move(body))));
}

void RateDossier(DossierService& service, Request& req, Responder respond) {
  if (auto st = RequireAuthenticated(req); !st) return respond(Err(st.error()));
  auto id = PathId(req);
  if (!id) return respond(Err(id.error()));
  auto body = ParseJsonObject(req);
  if (!body) return respond(Err(body.error()));
  ObjectReader r(*body);
  dossiers::RateRequest g = ReadRating(r);
  if (auto st = r.Finish(); !st) return respond(Err(st.error()));
  service.Rate(*req.principal, *id, std::move(g),
               [respond](Result<dossiers::Rating> out) { respond(RatingResponse(out)); });
}

}  // namespace

void RegisterDossierRoutes(Router& router, DossierService& service,
                           const workflow::Registry& workflows, const Clock& clock) {
  router.Add("POST", "/api/v1/dossiers", [&service](Request& req, Responder respond) {
    SubmitDossier(service, req, std::move(respond));
  });
  router.Add("GET", "/api/v1/dossiers/{id}", [&service](Request& req, Responder respond) {
    GetDossier(service, req, std::move(respond));
  });
  router.Add("POST", "/api/v1/dossiers/{id}/actions/{action}",
             [&service](Request& req, Responder respond) {
               ActOnDossier(service, req, std::move(respond));
             });
  router.Add("POST", "/api/v1/dossiers/{id}/apology", [&service](Request& req, Responder respond) {
    Apologize(service, req, std::move(respond));
  });
  router.Add("GET", "/api/v1/dossiers/{id}/access-log",
             [&service](Request& req, Responder respond) {
               AccessLogOf(service, req, std::move(respond));
             });
  router.Add("GET", "/api/v1/inbox", [&service](Request& req, Responder respond) {
    Inbox(service, req, std::move(respond));
  });
  router.Add("GET", "/api/v1/dossiers", [&service](Request& req, Responder respond) {
    WatchList(service, req, std::move(respond));
  });
  router.Add("GET", "/api/v1/me/dossiers", [&service](Request& req, Responder respond) {
    MyDossiers(service, req, std::move(respond));
  });
  RegisterLookupRoutes(router, service, clock);
  router.Add("POST", "/api/v1/dossiers/{id}/rating", [&service](Request& req, Responder respond) {
    RateDossier(service, req, std::move(respond));
  });
  RegisterWorkflowRoutes(router, workflows);
}

dossiers::ReadContext ReadContextOf(const Request& req) {
  return {req.method + " " + (req.route ? req.route->pattern : req.path), req.request_id};
}

}  // namespace motcua::http
