#include "http/handlers/units.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <charconv>
#include <set>
#include <string>

#include "http/auth.hpp"
#include "http/json_body.hpp"
#include "http/params.hpp"

namespace motcua::http {
namespace {

namespace json = boost::json;
using accounts::Role;
using units::Date;
using units::Kind;
using units::Unit;
using units::UnitService;

// Unit names run to about 60 characters ("Trung tâm Phục vụ hành chính công
// tỉnh ..."); 200 leaves room without letting a body carry a novel.
constexpr StringRules kNameRules{.min_length = 1, .max_length = 200};
constexpr StringRules kCodeRules{.min_length = 0, .max_length = 32};
// A merger joins a handful of units; no retirement has dozens of successors.
constexpr std::size_t kMaxSuccessors = 64;

json::value OptString(const std::optional<std::string>& s) {
  return s ? json::value(*s) : json::value(nullptr);
}

json::array Ids(const std::vector<std::int64_t>& ids) {
  json::array out;
  for (std::int64_t id : ids) out.emplace_back(id);
  return out;
}

json::object UnitJson(const Unit& u) {
  return {
      {"id", u.id},
      {"kind", units::KindName(u.kind)},
      {"name", u.name},
      {"name_en", OptString(u.name_en)},
      {"stats_code", u.stats_code},
      {"agency_code", u.agency_code},
      {"parent_id", u.parent_id ? json::value(*u.parent_id) : json::value(nullptr)},
      {"valid_from", units::FormatDate(u.valid_from)},
      {"valid_to", u.valid_to ? json::value(units::FormatDate(*u.valid_to)) : json::value(nullptr)},
      {"predecessor_ids", Ids(u.predecessors)},
      {"successor_ids", Ids(u.successors)},
  };
}

// Who may write below `parent` (nullopt: a unit with no parent).
Status RequireAdminOver(const Request& req, std::optional<std::int64_t> parent,
                        const accounts::UnitHierarchy& tree) {
  if (!parent) return RequireAnyRole(req, {Role::kSystemAdmin});
  return RequireRoleAt(req, Role::kProvinceAdmin, *parent, tree);
}

std::optional<Kind> ReadKind(ObjectReader& reader, std::optional<std::string> text) {
  if (!text) return std::nullopt;
  auto kind = units::ParseKind(*text);
  if (!kind) reader.Problem("kind", "must be province, district, commune, department or center");
  return kind;
}

std::optional<Date> ReadDate(ObjectReader& reader, std::string_view field,
                             std::optional<std::string> text) {
  if (!text) return std::nullopt;
  auto date = units::ParseDate(*text);
  if (!date) reader.Problem(field, "must be a date YYYY-MM-DD");
  return date;
}

// Present and null: the client asks to clear the field.
bool IsNull(const json::object& obj, std::string_view name) {
  auto it = obj.find(name);
  return it != obj.end() && it->value().is_null();
}

void Answer(Responder& respond, int status, const Result<Unit>& unit) {
  respond(unit ? JsonResponse(status, UnitJson(*unit)) : ErrorResponse(unit.error()));
}

Result<units::ListFilter> ReadListFilter(const Request& req) {
  units::ListFilter filter;
  Error error{Code::kInvalidArgument, "invalid query parameters", {}};
  for (const auto& [name, value] : req.query) {
    if (name == "parent_id") {
      filter.parent_id = ParsePositiveId(value);
      if (!filter.parent_id) error.With(name, "must be a positive integer");
    } else if (name == "kind") {
      filter.kind = units::ParseKind(value);
      if (!filter.kind)
        error.With(name, "must be province, district, commune, department or center");
    } else if (name == "as_of") {
      filter.as_of = units::ParseDate(value);
      if (!filter.as_of) error.With(name, "must be a date YYYY-MM-DD");
    } else if (name == "include_retired") {
      if (value == "true" || value == "false") {
        filter.include_retired = value == "true";
      } else {
        error.With(name, "must be true or false");
      }
    } else {
      error.With(name, "unknown parameter");
    }
  }
  if (!error.fields.empty()) return Fail(std::move(error));
  return filter;
}

void ListUnits(UnitService& service, Request& req, Responder respond) {
  auto filter = ReadListFilter(req);
  if (!filter) return respond(ErrorResponse(filter.error()));
  auto units = service.List(*filter);
  if (!units) return respond(ErrorResponse(units.error()));
  json::array items;
  for (const Unit& u : *units) items.emplace_back(UnitJson(u));
  respond(JsonResponse(200, json::object{{"items", std::move(items)}}));
}

void GetUnit(UnitService& service, Request& req, Responder respond) {
  auto id = PathId(req);
  if (!id) return respond(ErrorResponse(id.error()));
  auto detail = service.Get(*id);
  if (!detail) return respond(ErrorResponse(detail.error()));
  json::object out = UnitJson(detail->unit);
  out["children_count"] = detail->children_count;
  respond(JsonResponse(200, std::move(out)));
}

void CreateUnit(UnitService& service, Request& req, Responder respond) {
  if (auto ok = RequireAuthenticated(req); !ok) return respond(ErrorResponse(ok.error()));
  auto body = ParseJsonObject(req);
  if (!body) return respond(ErrorResponse(body.error()));
  ObjectReader reader(*body);
  Unit unit;
  auto kind = ReadKind(reader, reader.RequiredString("kind"));
  unit.name = reader.RequiredString("name", kNameRules);
  unit.name_en = reader.OptionalString("name_en", kNameRules);
  unit.stats_code = reader.OptionalString("stats_code", kCodeRules).value_or("");
  unit.agency_code = reader.RequiredString("agency_code", kCodeRules);
  unit.parent_id = reader.OptionalInt("parent_id", 1, INT64_MAX);
  auto from = ReadDate(reader, "valid_from", reader.RequiredString("valid_from"));
  unit.valid_to = ReadDate(reader, "valid_to", reader.OptionalString("valid_to"));
  if (auto ok = reader.Finish(); !ok) return respond(ErrorResponse(ok.error()));
  unit.kind = *kind;
  unit.valid_from = *from;
  if (auto ok = RequireAdminOver(req, unit.parent_id, *service.Tree()); !ok) {
    return respond(ErrorResponse(ok.error()));
  }
  auto created = service.Create(std::move(unit));
  if (created) {
    Response res = JsonResponse(201, UnitJson(*created));
    res.SetHeader("Location", "/api/v1/units/" + std::to_string(created->id));
    return respond(std::move(res));
  }
  respond(ErrorResponse(created.error()));
}

// The checks every write on an existing unit starts with: a valid id, a
// caller, a unit, and the right to manage it.
Result<std::int64_t> AuthorizeOnUnit(UnitService& service, const Request& req) {
  const std::int64_t id = MOTCUA_TRY(PathId(req));
  MOTCUA_TRY_VOID(RequireAuthenticated(req));
  auto tree = service.Tree();
  if (tree->Find(id) == nullptr) return Fail(Code::kNotFound, "no unit " + std::to_string(id));
  MOTCUA_TRY_VOID(RequireRoleAt(req, Role::kProvinceAdmin, id, *tree));
  return id;
}

void UpdateUnit(UnitService& service, Request& req, Responder respond) {
  auto id = AuthorizeOnUnit(service, req);
  if (!id) return respond(ErrorResponse(id.error()));
  auto body = ParseJsonObject(req);
  if (!body) return respond(ErrorResponse(body.error()));
  ObjectReader reader(*body);
  units::UnitPatch patch;
  patch.name = reader.OptionalString("name", kNameRules);
  const bool clear_name_en = IsNull(*body, "name_en");
  if (auto name_en = reader.OptionalString("name_en", kNameRules)) patch.name_en = name_en;
  if (clear_name_en) patch.name_en = std::optional<std::string>();
  patch.stats_code = reader.OptionalString("stats_code", kCodeRules);
  patch.agency_code = reader.OptionalString("agency_code", kCodeRules);
  patch.kind = ReadKind(reader, reader.OptionalString("kind"));
  const bool clear_parent = IsNull(*body, "parent_id");
  if (auto parent = reader.OptionalInt("parent_id", 1, INT64_MAX)) patch.parent_id = parent;
  if (clear_parent) patch.parent_id = std::optional<std::int64_t>();
  patch.valid_from = ReadDate(reader, "valid_from", reader.OptionalString("valid_from"));
  if (auto ok = reader.Finish(); !ok) return respond(ErrorResponse(ok.error()));
  if (patch.parent_id) {
    if (auto ok = RequireAdminOver(req, *patch.parent_id, *service.Tree()); !ok) {
      return respond(ErrorResponse(ok.error()));
    }
  }
  Answer(respond, 200, service.Update(*id, patch));
}

void RetireUnit(UnitService& service, Request& req, Responder respond) {
  auto id = AuthorizeOnUnit(service, req);
  if (!id) return respond(ErrorResponse(id.error()));
  auto body = ParseJsonObject(req);
  if (!body) return respond(ErrorResponse(body.error()));
  ObjectReader reader(*body);
  auto date = ReadDate(reader, "date", reader.RequiredString("date"));
  std::vector<std::int64_t> successors;
  if (const json::value* raw = reader.Raw("successor_ids")) {
    const json::array* list = raw->if_array();
    bool ok = list != nullptr && list->size() <= kMaxSuccessors;
    for (std::size_t i = 0; ok && i < list->size(); ++i) {
      ok = (*list)[i].is_int64() && (*list)[i].as_int64() > 0;
      if (ok) successors.push_back((*list)[i].as_int64());
    }
    if (!ok) {
      reader.Problem("successor_ids",
                     "must be a list of at most " + std::to_string(kMaxSuccessors) + " unit ids");
    }
  }
  if (auto ok = reader.Finish(); !ok) return respond(ErrorResponse(ok.error()));
  Answer(respond, 200, service.Retire(*id, *date, std::move(successors)));
}

void ImportUnits(UnitService& service, Request& req, Responder respond) {
  if (auto ok = RequireAuthenticated(req); !ok) return respond(ErrorResponse(ok.error()));
  std::string type(req.Header("content-type").value_or(""));
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (type.substr(0, type.find(';')) != "text/csv") {
    return respond(ErrorResponse(Error{
        Code::kInvalidArgument, "the body must be CSV", {{"content-type", "must be text/csv"}}}));
  }
  auto tree = service.Tree();
  // Runs on the writer thread while this thread waits, so `req` and `tree`
  // are alive; it only reads them.
  auto guard = [&req, &tree](std::optional<std::int64_t> parent) {
    return RequireAdminOver(req, parent, *tree);
  };
  auto counts = service.ImportCsv(req.body, guard);
  if (!counts) return respond(ErrorResponse(counts.error()));
  respond(JsonResponse(200, json::object{{"units_created", counts->units_created},
                                         {"links_created", counts->links_created}}));
}

}  // namespace

void RegisterUnitRoutes(Router& router, UnitService& units) {
  auto bind = [&units](void (*fn)(UnitService&, Request&, Responder)) {
    return [&units, fn](Request& req, Responder respond) { fn(units, req, std::move(respond)); };
  };
  router.Add("GET", "/api/v1/units", bind(ListUnits));
  router.Add("POST", "/api/v1/units", bind(CreateUnit));
  router.Add("POST", "/api/v1/units/import", bind(ImportUnits));
  router.Add("GET", "/api/v1/units/{id}", bind(GetUnit));
  router.Add("PATCH", "/api/v1/units/{id}", bind(UpdateUnit));
  router.Add("POST", "/api/v1/units/{id}/retire", bind(RetireUnit));
}

}  // namespace motcua::http
