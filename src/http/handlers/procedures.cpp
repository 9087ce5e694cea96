#include "http/handlers/procedures.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <charconv>
#include <string>

#include "core/catalog/procedure_json.hpp"
#include "core/catalog/text.hpp"
#include "http/auth.hpp"
#include "http/json_body.hpp"

namespace motcua::http {
namespace {

namespace json = boost::json;
using accounts::Role;
using catalog::CatalogService;
using catalog::Procedure;

// Nobody types a longer query; the bound keeps a query's cost fixed.
constexpr std::size_t kMaxQueryLength = 200;
// Far beyond any catalogue (about 2,000 procedures): refuses nonsense early.
constexpr std::int64_t kMaxOffset = 1'000'000;
constexpr std::size_t kDefaultLimit = 20;

json::object Summary(const Procedure& p) {
  json::object full = catalog::ToJson(p);
  json::object out;
  for (const char* key :
       {"code", "version", "name", "name_en", "field", "levels", "online_mode", "time_limit",
        "cutoff_1500", "total_fee", "result_kind", "effective_from"}) {
    out[key] = full.at(key);
  }
  return out;
}

std::optional<std::int64_t> ParseCount(std::string_view text) {
  std::int64_t n = 0;
  if (text.empty() || text.size() > 9 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  std::from_chars(text.data(), text.data() + text.size(), n);
  return n;
}

Result<std::string> PathCode(const Request& req) {
  auto it = req.path_params.find("code");
  if (it == req.path_params.end() || !catalog::IsProcedureCode(it->second)) {
    return InvalidField("code", "must be a national procedure code such as 1.001193.000.00.00.H12");
  }
  return it->second;
}

Status RequireAdmin(const Request& req) {
  return RequireAnyRole(req, {Role::kProvinceAdmin, Role::kSystemAdmin});
}

bool IsAdmin(const Request& req) {
  return req.principal && (req.principal->HasRole(Role::kProvinceAdmin) ||
                           req.principal->HasRole(Role::kSystemAdmin));
}

std::string ContentType(const Request& req) {
  std::string type(req.Header("content-type").value_or(""));
  type = type.substr(0, type.find(';'));
  type = std::string(catalog::TrimSpaces(type));
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return type;
}

Result<catalog::SearchQuery> ReadSearch(const Request& req) {
  catalog::SearchQuery query;
  query.limit = kDefaultLimit;
  Error error{Code::kInvalidArgument, "invalid query parameters", {}};
  for (const auto& [name, value] : req.query) {
    if (name == "q") {
      if (catalog::CodePointCount(value) > kMaxQueryLength) {
        error.With(name, "must be at most " + std::to_string(kMaxQueryLength) + " characters");
      }
      query.text = value;
    } else if (name == "field") {
      if (catalog::CodePointCount(value) > catalog::kMaxFieldLength) {
        error.With(name, "is too long");
      } else if (!catalog::TrimSpaces(value).empty()) {
        query.field = value;
      }
    } else if (name == "level") {
      query.level = catalog::ParseLevel(value);
      if (!query.level) error.With(name, "must be province, commune or district");
    } else if (name == "online_mode") {
      query.online_mode = catalog::ParseOnlineMode(value);
      if (!query.online_mode) error.With(name, "must be full, partial or none");
    } else if (name == "limit") {
      auto n = ParseCount(value);
      if (!n || *n < 1 || *n > static_cast<std::int64_t>(catalog::kMaxSearchLimit)) {
        error.With(name, "must be 1 to " + std::to_string(catalog::kMaxSearchLimit));
      } else {
        query.limit = static_cast<std::size_t>(*n);
      }
    } else if (name == "offset") {
      auto n = ParseCount(value);
      if (!n || *n > kMaxOffset) {
        error.With(name, "must be 0 to " + std::to_string(kMaxOffset));
      } else {
        query.offset = static_cast<std::size_t>(*n);
      }
    } else {
      error.With(name, "unknown parameter");
    }
  }
  if (!error.fields.empty()) return Fail(std::move(error));
  return query;
}

void SearchProcedures(CatalogService& service, Request& req, Responder respond) {
  auto query = ReadSearch(req);
  if (!query) return respond(ErrorResponse(query.error()));
  auto page = service.Search(*query);
  if (!page) return respond(ErrorResponse(page.error()));
  json::array items;
  for (const Procedure& p : page->items) items.emplace_back(Summary(p));
  respond(JsonResponse(200, json::object{{"total", page->total},
                                         {"limit", query->limit},
                                         {"offset", query->offset},
                                         {"as_of", units::FormatDate(page->as_of)},
                                         {"items", std::move(items)}}));
}

void GetProcedure(CatalogService& service, Request& req, Responder respond) {
  auto code = PathCode(req);
  if (!code) return respond(ErrorResponse(code.error()));
  std::optional<catalog::Date> as_of;
  Error error{Code::kInvalidArgument, "invalid query parameters", {}};
  for (const auto& [name, value] : req.query) {
    if (name == "as_of") {
      as_of = units::ParseDate(value);
      if (!as_of) error.With(name, "must be a date YYYY-MM-DD");
    } else {
      error.With(name, "unknown parameter");
    }
  }
  if (!error.fields.empty()) return respond(ErrorResponse(error));
  auto found = service.Get(*code, as_of);
  respond(found ? JsonResponse(200, catalog::ToJson(*found)) : ErrorResponse(found.error()));
}

void ListVersions(CatalogService& service, Request& req, Responder respond) {
  auto code = PathCode(req);
  if (!code) return respond(ErrorResponse(code.error()));
  auto versions = service.Versions(*code, IsAdmin(req));
  if (!versions) return respond(ErrorResponse(versions.error()));
  json::array items;
  for (const Procedure& p : *versions) items.emplace_back(catalog::ToJson(p));
  respond(JsonResponse(200, json::object{{"items", std::move(items)}}));
}

void ListFields(CatalogService& service, Request&, Responder respond) {
  json::array items;
  for (const catalog::FieldCount& f : service.Fields()) {
    items.emplace_back(json::object{{"field", f.field}, {"procedures", f.procedures}});
  }
  respond(JsonResponse(200, json::object{{"items", std::move(items)}}));
}

// The body of a create or a new version: the procedure's input form.
Result<Procedure> ReadProcedure(const Request& req, bool code_required) {
  auto body = MOTCUA_TRY(ParseJsonObject(req));
  Error errors{Code::kInvalidArgument, "", {}};
  auto procedure = catalog::ProcedureFromJson(json::value(std::move(body)), "", errors,
                                              {.code_required = code_required});
  if (!procedure) {
    errors.message = "the body has " + std::to_string(errors.fields.size()) + " problem(s)";
    return Fail(std::move(errors));
  }
  return *procedure;
}

void Created(Responder& respond, const Result<Procedure>& p) {
  if (!p) return respond(ErrorResponse(p.error()));
  Response res = JsonResponse(201, catalog::ToJson(*p));
  res.SetHeader("Location", "/api/v1/procedures/" + p->code);
  respond(std::move(res));
}

void CreateProcedure(CatalogService& service, Request& req, Responder respond) {
  if (auto ok = RequireAdmin(req); !ok) return respond(ErrorResponse(ok.error()));
  auto procedure = ReadProcedure(req, true);
  if (!procedure) return respond(ErrorResponse(procedure.error()));
  Created(respond, service.Create(std::move(*procedure)));
}

void PublishVersion(CatalogService& service, Request& req, Responder respond) {
  // Who asks comes first: an anonymous caller learns nothing about codes.
  if (auto ok = RequireAdmin(req); !ok) return respond(ErrorResponse(ok.error()));
  auto code = PathCode(req);
  if (!code) return respond(ErrorResponse(code.error()));
  auto procedure = ReadProcedure(req, false);
  if (!procedure) return respond(ErrorResponse(procedure.error()));
  Error error{Code::kInvalidArgument, "invalid body", {}};
  if (!procedure->code.empty() && procedure->code != *code)
    error.With("code", "must be the code of the URL");
  if (procedure->status != catalog::Lifecycle::kPublished)
    error.With("status", "a new version is published");
  if (!error.fields.empty()) return respond(ErrorResponse(error));
  const catalog::Date from = procedure->effective_from;
  Created(respond, service.PublishVersion(*code, std::move(*procedure), from));
}

void RetireProcedure(CatalogService& service, Request& req, Responder respond) {
  // Who asks comes first: an anonymous caller learns nothing about codes.
  if (auto ok = RequireAdmin(req); !ok) return respond(ErrorResponse(ok.error()));
  auto code = PathCode(req);
  if (!code) return respond(ErrorResponse(code.error()));
  auto body = ParseJsonObject(req);
  if (!body) return respond(ErrorResponse(body.error()));
  ObjectReader reader(*body);
  std::string text = reader.RequiredString("date");
  auto date = units::ParseDate(text);
  if (!text.empty() && !date) reader.Problem("date", "must be a date YYYY-MM-DD");
  if (auto ok = reader.Finish(); !ok) return respond(ErrorResponse(ok.error()));
  auto retired = service.Retire(*code, *date);
  respond(retired ? JsonResponse(200, catalog::ToJson(*retired)) : ErrorResponse(retired.error()));
}

void ImportProcedures(CatalogService& service, Request& req, Responder respond) {
  if (auto ok = RequireAdmin(req); !ok) return respond(ErrorResponse(ok.error()));
  const std::string type = ContentType(req);
  Result<catalog::ImportCounts> counts;
  if (type == "application/json") {
    counts = service.ImportJson(req.body);
  } else if (type == "text/csv") {
    counts = service.ImportCsv(req.body);
  } else {
    return respond(
        ErrorResponse(Error{Code::kInvalidArgument,
                            "the body must be JSON or CSV",
                            {{"content-type", "must be application/json or text/csv"}}}));
  }
  if (!counts) return respond(ErrorResponse(counts.error()));
  respond(JsonResponse(200, json::object{{"procedures_created", counts->procedures_created},
                                         {"versions_published", counts->versions_published}}));
}

}  // namespace

void RegisterProcedureRoutes(Router& router, CatalogService& catalog) {
  auto bind = [&catalog](void (*fn)(CatalogService&, Request&, Responder)) {
    return
        [&catalog, fn](Request& req, Responder respond) { fn(catalog, req, std::move(respond)); };
  };
  router.Add("GET", "/api/v1/procedures", bind(SearchProcedures));
  router.Add("POST", "/api/v1/procedures", bind(CreateProcedure));
  router.Add("POST", "/api/v1/procedures/import", bind(ImportProcedures));
  router.Add("GET", "/api/v1/procedures/{code}", bind(GetProcedure));
  router.Add("GET", "/api/v1/procedures/{code}/versions", bind(ListVersions));
  router.Add("POST", "/api/v1/procedures/{code}/versions", bind(PublishVersion));
  router.Add("POST", "/api/v1/procedures/{code}/retire", bind(RetireProcedure));
  router.Add("GET", "/api/v1/procedure-fields", bind(ListFields));
}

}  // namespace motcua::http
