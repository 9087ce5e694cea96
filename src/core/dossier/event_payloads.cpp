#include "core/dossier/event_payloads.hpp"

#include <boost/json.hpp>

#include "core/calendar/date.hpp"

namespace motcua::dossier {
namespace {

namespace json = boost::json;

json::array FilesJson(const std::vector<HandedFile>& files) {
  json::array out;
  for (const auto& f : files)
    out.push_back(
        json::object{{"attachment_id", f.attachment_id}, {"component_code", f.component_code}});
  return out;
}

std::optional<Timeliness> ParseTimeliness(std::string_view s) {
  for (Timeliness t : {Timeliness::kEarly, Timeliness::kOnTime, Timeliness::kLate})
    if (TimelinessName(t) == s) return t;
  return std::nullopt;
}

// Reads the keys of one payload object, remembering the first problem.
class Reader {
 public:
  explicit Reader(const json::object& o) : o_(o) {}

  std::optional<std::string> OptString(std::string_view key) {
    const json::value* v = o_.if_contains(key);
    if (v == nullptr) return std::nullopt;
    if (!v->is_string()) return Bad(key, "must be a string"), std::nullopt;
    return std::string(v->as_string());
  }
  std::string String(std::string_view key) {
    if (!o_.contains(key)) return Bad(key, "is missing"), std::string();
    return OptString(key).value_or("");
  }
  std::optional<std::int64_t> OptInt(std::string_view key) {
    const json::value* v = o_.if_contains(key);
    if (v == nullptr) return std::nullopt;
    if (v->is_int64()) return v->as_int64();
    if (v->is_uint64() && v->as_uint64() <= INT64_MAX)
      return static_cast<std::int64_t>(v->as_uint64());
    return Bad(key, "must be an integer"), std::nullopt;
  }
  std::int64_t Int(std::string_view key) {
    if (!o_.contains(key)) return Bad(key, "is missing"), 0;
    return OptInt(key).value_or(0);
  }
  bool Bool(std::string_view key) {
    const json::value* v = o_.if_contains(key);
    if (v == nullptr || !v->is_bool()) return Bad(key, "must be true or false"), false;
    return v->as_bool();
  }
  std::optional<TimePoint> OptMoment(std::string_view key) {
    auto text = OptString(key);
    if (!text) return std::nullopt;
    auto t = calendar::ParseMoment(*text);
    if (!t) return Bad(key, "must be a moment with its offset"), std::nullopt;
    return *t;
  }
  TimePoint Moment(std::string_view key) {
    if (!o_.contains(key)) return Bad(key, "is missing"), TimePoint{};
    return OptMoment(key).value_or(TimePoint{});
  }
  std::optional<Timeliness> OptTimeliness(std::string_view key) {
    auto text = OptString(key);
    if (!text) return std::nullopt;
    auto t = ParseTimeliness(*text);
    if (!t) return Bad(key, "must be early, on_time or late"), std::nullopt;
    return t;
  }
  std::vector<HandedFile> Files(std::string_view key) {
    return List<HandedFile>(key, [](Reader& r) {
      return HandedFile{r.String("attachment_id"), r.String("component_code")};
    });
  }
  std::vector<AskedItem> Items(std::string_view key) {
    return List<AskedItem>(key, [](Reader& r) {
      return AskedItem{r.String("description"), r.OptString("component_code")};
    });
  }

  // An optional array of objects under `key`, each read by `one`; a problem
  // inside is named under `key` ("items.description").
  template <typename T, typename One>
  std::vector<T> List(std::string_view key, One one) {
    std::vector<T> out;
    const json::value* v = o_.if_contains(key);
    if (v == nullptr) return out;
    if (!v->is_array()) return Bad(key, "must be an array"), out;
    for (const auto& item : v->as_array()) {
      if (!item.is_object()) return Bad(key, "must hold objects"), out;
      Reader r(item.as_object());
      T value = one(r);
      if (r.problem_) return Bad(key, *r.problem_), out;
      out.push_back(std::move(value));
    }
    return out;
  }

  template <typename T>
  Result<EventPayload> Done(T value) {
    if (problem_) return Fail(*std::move(problem_));
    return EventPayload(std::move(value));
  }

 private:
  void Bad(std::string_view key, const std::string& why) {
    if (!problem_) problem_ = InvalidField(std::string(key), why).error();
  }
  void Bad(std::string_view key, const Error& inner) {
    if (problem_) return;
    Error e{Code::kInvalidArgument, "invalid event payload", {}};
    for (const auto& [k, v] : inner.fields) e.With(std::string(key) + "." + k, v);
    problem_ = std::move(e);
  }

  const json::object& o_;
  std::optional<Error> problem_;
};

struct Writer {
  json::object operator()(const SubmitPayload& p) const {
    return {{"number", p.number},
            {"channel", p.channel},
            {"procedure_code", p.procedure_code},
            {"procedure_id", p.procedure_id},
            {"workflow", p.workflow},
            {"workflow_version", p.workflow_version},
            {"unit_id", p.unit_id},
            {"files", FilesJson(p.files)}};
  }
  json::object operator()(const ActionPayload& p) const {
    json::object o;
    if (p.reason) o["reason"] = *p.reason;
    if (!p.items.empty()) {
      json::array items;
      for (const auto& i : p.items) {
        json::object item{{"description", i.description}};
        if (i.component_code) item["component_code"] = *i.component_code;
        items.push_back(std::move(item));
      }
      o["items"] = std::move(items);
    }
    if (p.fee_vnd) o["fee_vnd"] = *p.fee_vnd;
    if (p.to_unit_id) o["to_unit_id"] = *p.to_unit_id;
    if (!p.files.empty()) o["files"] = FilesJson(p.files);
    if (p.clock_start) o["clock_start"] = calendar::FormatMoment(*p.clock_start);
    if (p.due_at) o["due_at"] = calendar::FormatMoment(*p.due_at);
    if (p.step_due_at) o["step_due_at"] = calendar::FormatMoment(*p.step_due_at);
    if (p.closed_step_timeliness)
      o["closed_step_timeliness"] = TimelinessName(*p.closed_step_timeliness);
    if (p.timeliness) o["timeliness"] = TimelinessName(*p.timeliness);
    return o;
  }
  json::object operator()(const ApologyPayload& p) const {
    return {{"reason", p.reason},
            {"previous_due_at", calendar::FormatMoment(p.previous_due_at)},
            {"new_due_at", calendar::FormatMoment(p.new_due_at)}};
  }
  json::object operator()(const RatingPayload& p) const {
    return {{"level", p.level}, {"by", p.by}};
  }
  json::object operator()(const ResultDraftedPayload& p) const {
    return {{"code", p.code}, {"generated", p.generated}, {"sha256", p.sha256}};
  }
  json::object operator()(const ResultSignedPayload& p) const {
    return {{"code", p.code},
            {"sha256", p.sha256},
            {"signer", p.signer},
            {"certificate_sha256", p.certificate_sha256}};
  }
  json::object operator()(const NationalSyncedPayload& p) const {
    return {{"partner", p.partner}, {"version", p.version}};
  }
};

}  // namespace

std::string ToJson(const EventPayload& payload) {
  return json::serialize(std::visit(Writer{}, payload));
}

Result<EventPayload> ParsePayload(std::string_view action, std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return InvalidField("payload", "is not a JSON object");
  Reader r(v.as_object());
  if (action == "submit") {
    SubmitPayload p;
    p.number = r.String("number");
    p.channel = static_cast<int>(r.Int("channel"));
    p.procedure_code = r.String("procedure_code");
    p.procedure_id = r.Int("procedure_id");
    p.workflow = r.String("workflow");
    p.workflow_version = static_cast<int>(r.Int("workflow_version"));
    p.unit_id = r.Int("unit_id");
    p.files = r.Files("files");
    return r.Done(std::move(p));
  }
  if (action == "apology") {
    ApologyPayload p;
    p.reason = r.String("reason");
    p.previous_due_at = r.Moment("previous_due_at");
    p.new_due_at = r.Moment("new_due_at");
    return r.Done(std::move(p));
  }
  if (action == "rated") {
    RatingPayload p;
    p.level = static_cast<int>(r.Int("level"));
    p.by = r.OptString("by").value_or("account");
    return r.Done(std::move(p));
  }
  if (action == "result_drafted") {
    ResultDraftedPayload p;
    p.code = r.String("code");
    p.generated = r.Bool("generated");
    p.sha256 = r.String("sha256");
    return r.Done(std::move(p));
  }
  if (action == "result_signed") {
    ResultSignedPayload p;
    p.code = r.String("code");
    p.sha256 = r.String("sha256");
    p.signer = r.String("signer");
    p.certificate_sha256 = r.String("certificate_sha256");
    return r.Done(std::move(p));
  }
  if (action == "national_synced") {
    NationalSyncedPayload p;
    p.partner = r.String("partner");
    p.version = r.Int("version");
    return r.Done(std::move(p));
  }
  ActionPayload p;
  p.reason = r.OptString("reason");
  p.items = r.Items("items");
  p.fee_vnd = r.OptInt("fee_vnd");
  p.to_unit_id = r.OptInt("to_unit_id");
  p.files = r.Files("files");
  p.clock_start = r.OptMoment("clock_start");
  p.due_at = r.OptMoment("due_at");
  p.step_due_at = r.OptMoment("step_due_at");
  p.closed_step_timeliness = r.OptTimeliness("closed_step_timeliness");
  p.timeliness = r.OptTimeliness("timeliness");
  return r.Done(std::move(p));
}

}  // namespace motcua::dossier
