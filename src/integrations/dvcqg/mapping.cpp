#include "integrations/dvcqg/mapping.hpp"

#include <boost/json/parse.hpp>
#include <chrono>
#include <fstream>
#include <set>
#include <sstream>

namespace motcua::integrations::dvcqg {

namespace json = boost::json;

namespace {

const std::set<std::string, std::less<>>& DossierVocabulary() {
  static const std::set<std::string, std::less<>> names = {
      "dossier.code",        "dossier.channel",
      "dossier.summary",     "dossier.submitted_at",
      "dossier.accepted_at", "dossier.due_at",
      "dossier.finished_at", "dossier.returned_at",
      "dossier.refused_at",  "dossier.national_status",
      "dossier.has_files",   "dossier.paid_online",
      "dossier.source",      "procedure.code",
      "procedure.name",      "procedure.field",
      "applicant.name",      "applicant.kind",
      "applicant.id_number", "applicant.phone",
      "applicant.email",     "applicant.identifiers",
      "unit.current_name",   "unit.receiving_code",
      "unit.receiving_name"};
  return names;
}

const std::set<std::string, std::less<>>& StepVocabulary() {
  static const std::set<std::string, std::less<>> names = {
      "dossier.code",    "step.officer",     "step.officer_title",
      "step.unit_name",  "step.content",     "step.national_status",
      "step.started_at", "step.finished_at", "step.due_at"};
  return names;
}

Error Bad(std::string_view source, std::string field, std::string why) {
  return Error{Code::kInvalidArgument,
               std::string(source) + ": " + field + " " + why,
               {{std::move(field), std::move(why)}}};
}

Result<std::vector<std::pair<std::string, Source>>> Fields(
    const json::object& root, std::string_view key, const std::set<std::string, std::less<>>& vocab,
    std::string_view source) {
  const json::value* v = root.if_contains(key);
  if (v == nullptr || !v->is_object() || v->as_object().empty())
    return Fail(Bad(source, std::string(key), "must be an object of the portal's fields"));
  std::vector<std::pair<std::string, Source>> out;
  for (const auto& [field, from] : v->as_object()) {
    const std::string path = std::string(key) + "." + std::string(field);
    Source s;
    if (from.is_string()) {
      s.name = std::string(from.as_string());
      if (!vocab.contains(s.name))
        return Fail(Bad(source, path, "names '" + s.name + "', which motcua does not compute"));
    } else if (from.is_object() && from.as_object().size() == 1 &&
               from.as_object().contains("const")) {
      s.constant = from.as_object().at("const");
    } else {
      return Fail(Bad(source, path, "must be a value's name or {\"const\": ...}"));
    }
    out.emplace_back(std::string(field), std::move(s));
  }
  return out;
}

Result<std::string> Text(const json::object& o, std::string_view key, std::string_view source,
                         std::string_view path) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_string() || v->as_string().empty())
    return Fail(Bad(source, std::string(path) + "." + std::string(key), "must be a name"));
  return std::string(v->as_string());
}

Result<std::vector<std::string>> Codes(const json::object& o, std::string_view key,
                                       std::string_view source) {
  const json::value* v = o.if_contains(key);
  std::vector<std::string> out;
  if (v != nullptr && v->is_array())
    for (const auto& c : v->as_array())
      if (c.is_string()) out.emplace_back(c.as_string());
  if (out.empty()) return Fail(Bad(source, std::string(key), "must list the codes as strings"));
  return out;
}

}  // namespace

Result<Mapping> ParseMapping(std::string_view text, std::string_view source) {
  boost::system::error_code ec;
  json::value root = json::parse(text, ec);
  if (ec || !root.is_object())
    return Fail(Code::kInvalidArgument, std::string(source) + " is not a JSON object");
  const json::object& o = root.as_object();
  Mapping m;
  if (const json::value* paths = o.if_contains("paths"); paths && paths->is_object()) {
    m.login_path = MOTCUA_TRY(Text(paths->as_object(), "login", source, "paths"));
    m.call_path = MOTCUA_TRY(Text(paths->as_object(), "call", source, "paths"));
  }
  const json::value* services = o.if_contains("services");
  if (services == nullptr || !services->is_object())
    return Fail(Bad(source, "services", "must name the sync, history and lookup services"));
  m.sync_service = MOTCUA_TRY(Text(services->as_object(), "sync", source, "services"));
  m.history_service = MOTCUA_TRY(Text(services->as_object(), "history", source, "services"));
  m.lookup_service = MOTCUA_TRY(Text(services->as_object(), "lookup", source, "services"));
  m.success_codes = MOTCUA_TRY(Codes(o, "success_codes", source));
  m.session_expired_codes = MOTCUA_TRY(Codes(o, "session_expired_codes", source));
  if (const json::value* chunk = o.if_contains("history_chunk")) {
    if (!chunk->is_int64() || chunk->as_int64() < 1 || chunk->as_int64() > 50)
      return Fail(Bad(source, "history_chunk", "must be 1 to 50 rows"));
    m.history_chunk = static_cast<int>(chunk->as_int64());
  }
  m.dossier = MOTCUA_TRY(Fields(o, "dossier", DossierVocabulary(), source));
  m.history = MOTCUA_TRY(Fields(o, "history", StepVocabulary(), source));
  return m;
}

Result<Mapping> LoadMapping(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Fail(Code::kInvalidArgument, "cannot read " + file.string());
  std::ostringstream s;
  s << in.rdbuf();
  return ParseMapping(s.str(), file.string());
}

json::object Render(const std::vector<std::pair<std::string, Source>>& fields,
                    const Values& values) {
  json::object out;
  for (const auto& [field, source] : fields) {
    if (source.constant) {
      out[field] = *source.constant;
    } else if (auto it = values.find(source.name); it != values.end()) {
      out[field] = it->second;
    } else {
      out[field] = "";
    }
  }
  return out;
}

std::string PortalTime(const std::optional<TimePoint>& t) {
  if (!t) return "";
  using namespace std::chrono;
  const auto local = floor<seconds>(*t) + hours(7);  // Vietnam keeps UTC+7 all year
  const auto day = floor<days>(local);
  const year_month_day ymd{day};
  const hh_mm_ss hms{local - day};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d%02u%02u%02ld%02ld%02ld", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long>(hms.hours().count()), static_cast<long>(hms.minutes().count()),
                static_cast<long>(hms.seconds().count()));
  return buf;
}

}  // namespace motcua::integrations::dvcqg
