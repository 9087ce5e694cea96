#include "core/catalog/procedure_json.hpp"

#include <set>
#include <string_view>

namespace motcua::catalog {
namespace {

namespace json = boost::json;

// Reads the members of one JSON object by name, recording problems under
// prefix + name, and remembers which members were read so that the rest can
// be refused as unknown.
class Fields {
 public:
  Fields(const json::object& obj, std::string prefix, Error& errors)
      : obj_(obj), prefix_(std::move(prefix)), errors_(errors) {}

  const json::value* Get(std::string_view name, bool required) {
    seen_.insert(std::string(name));
    auto it = obj_.find(name);
    if (it == obj_.end() || (!required && it->value().is_null())) {
      if (required) Problem(name, "is required");
      return nullptr;
    }
    return &it->value();
  }
  std::optional<std::string> String(std::string_view name, bool required) {
    const json::value* v = Get(name, required);
    if (v == nullptr) return std::nullopt;
    if (!v->is_string()) {
      Problem(name, "must be a string");
      return std::nullopt;
    }
    return std::string(v->as_string());
  }
  std::optional<std::int64_t> Int(std::string_view name, bool required) {
    const json::value* v = Get(name, required);
    if (v == nullptr) return std::nullopt;
    if (v->is_int64()) return v->as_int64();
    if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
      return static_cast<std::int64_t>(v->as_uint64());
    }
    Problem(name, "must be a whole number");
    return std::nullopt;
  }
  std::optional<bool> Bool(std::string_view name, bool required) {
    const json::value* v = Get(name, required);
    if (v == nullptr) return std::nullopt;
    if (!v->is_bool()) {
      Problem(name, "must be true or false");
      return std::nullopt;
    }
    return v->as_bool();
  }
  template <class E>
  std::optional<E> Enum(std::string_view name, bool required,
                        std::optional<E> (*parse)(std::string_view), std::string_view choices) {
    auto text = String(name, required);
    if (!text) return std::nullopt;
    auto value = parse(*text);
    if (!value) Problem(name, "must be " + std::string(choices));
    return value;
  }
  void Problem(std::string_view name, std::string problem) {
    errors_.With(prefix_ + std::string(name), std::move(problem));
  }
  // Refuses the members nobody asked for.
  void Finish() {
    for (const auto& member : obj_) {
      if (!seen_.contains(std::string(member.key()))) Problem(member.key(), "unknown field");
    }
  }
  const std::string& prefix() const { return prefix_; }

 private:
  const json::object& obj_;
  std::string prefix_;
  Error& errors_;
  std::set<std::string> seen_;
};

// Ints in range of `int`; the range rules themselves belong to Validate.
std::optional<int> SmallInt(Fields& f, std::string_view name, bool required) {
  auto v = f.Int(name, required);
  if (!v) return std::nullopt;
  if (*v < -1'000'000 || *v > 1'000'000) {
    f.Problem(name, "is out of range");
    return std::nullopt;
  }
  return static_cast<int>(*v);
}

const json::object* Object(const json::value& value, const std::string& name, Error& errors) {
  if (const json::object* obj = value.if_object()) return obj;
  errors.With(name.empty() ? "body" : name, "must be an object");
  return nullptr;
}

const json::array* Array(const json::value& value, const std::string& name, Error& errors) {
  if (const json::array* arr = value.if_array()) return arr;
  errors.With(name, "must be a list");
  return nullptr;
}

std::string Item(const std::string& name, std::size_t i) {
  return name + "[" + std::to_string(i) + "]";
}

}  // namespace

json::array FeesToJson(const std::vector<Fee>& fees) {
  json::array out;
  for (const Fee& f : fees)
    out.emplace_back(json::object{{"description", f.description}, {"amount", f.amount_vnd}});
  return out;
}

json::array ComponentsToJson(const std::vector<Component>& components) {
  json::array out;
  for (const Component& c : components) {
    out.emplace_back(
        json::object{{"code", c.code},
                     {"name", c.name},
                     {"originals", c.originals},
                     {"copies", c.copies},
                     {"required", c.required},
                     {"template", c.template_file.empty() ? json::value(nullptr)
                                                          : json::value(c.template_file)}});
  }
  return out;
}

json::object ToJson(const Procedure& p) {
  json::array levels;
  for (Level l : p.levels) levels.emplace_back(LevelName(l));
  return {
      {"id", p.id},
      {"code", p.code},
      {"version", p.version},
      {"status", LifecycleName(p.status)},
      {"name", p.name},
      {"name_en", p.name_en ? json::value(*p.name_en) : json::value(nullptr)},
      {"field", p.field},
      {"levels", std::move(levels)},
      {"online_mode", OnlineModeName(p.online_mode)},
      {"time_limit",
       json::object{{"value", p.time_limit.value}, {"unit", TimeUnitName(p.time_limit.unit)}}},
      {"cutoff_1500", p.cutoff_1500},
      {"fees", FeesToJson(p.fees)},
      {"total_fee", TotalFee(p)},
      {"components", ComponentsToJson(p.components)},
      {"result_kind", ResultKindName(p.result_kind)},
      {"workflow_code", p.workflow_code},
      {"effective_from", units::FormatDate(p.effective_from)},
      {"retired_on",
       p.retired_on ? json::value(units::FormatDate(*p.retired_on)) : json::value(nullptr)},
  };
}

std::optional<std::vector<Fee>> FeesFromJson(const json::value& value, const std::string& name,
                                             Error& errors) {
  const json::array* list = Array(value, name, errors);
  if (list == nullptr) return std::nullopt;
  const std::size_t before = errors.fields.size();
  std::vector<Fee> fees;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string item = Item(name, i);
    const json::object* obj = Object((*list)[i], item, errors);
    if (obj == nullptr) continue;
    Fields f(*obj, item + ".", errors);
    Fee fee;
    fee.description = f.String("description", true).value_or("");
    fee.amount_vnd = f.Int("amount", true).value_or(0);
    f.Finish();
    fees.push_back(std::move(fee));
  }
  if (errors.fields.size() != before) return std::nullopt;
  return fees;
}

std::optional<std::vector<Component>> ComponentsFromJson(const json::value& value,
                                                         const std::string& name, Error& errors) {
  const json::array* list = Array(value, name, errors);
  if (list == nullptr) return std::nullopt;
  const std::size_t before = errors.fields.size();
  std::vector<Component> components;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string item = Item(name, i);
    const json::object* obj = Object((*list)[i], item, errors);
    if (obj == nullptr) continue;
    Fields f(*obj, item + ".", errors);
    Component c;
    c.code = f.String("code", true).value_or("");
    c.name = f.String("name", true).value_or("");
    c.originals = SmallInt(f, "originals", true).value_or(0);
    c.copies = SmallInt(f, "copies", true).value_or(0);
    c.required = f.Bool("required", false).value_or(true);
    c.template_file = f.String("template", false).value_or("");
    f.Finish();
    components.push_back(std::move(c));
  }
  if (errors.fields.size() != before) return std::nullopt;
  return components;
}

std::optional<Procedure> ProcedureFromJson(const json::value& value, const std::string& prefix,
                                           Error& errors, const JsonReadOptions& options) {
  const std::string whole = prefix.empty() ? "" : prefix.substr(0, prefix.size() - 1);
  const json::object* obj = Object(value, whole, errors);
  if (obj == nullptr) return std::nullopt;
  const std::size_t before = errors.fields.size();
  Fields f(*obj, prefix, errors);
  Procedure p;
  p.code = f.String("code", options.code_required).value_or("");
  p.name = f.String("name", true).value_or("");
  p.name_en = f.String("name_en", false);
  p.field = f.String("field", true).value_or("");
  if (const json::value* levels = f.Get("levels", true)) {
    if (const json::array* list = Array(*levels, prefix + "levels", errors)) {
      for (std::size_t i = 0; i < list->size(); ++i) {
        const json::value& v = (*list)[i];
        auto level = v.is_string() ? ParseLevel(v.as_string()) : std::nullopt;
        if (level) {
          p.levels.push_back(*level);
        } else {
          errors.With(Item(prefix + "levels", i), "must be province, commune or district");
        }
      }
    }
  }
  p.online_mode = f.Enum<OnlineMode>("online_mode", true, ParseOnlineMode, "full, partial or none")
                      .value_or(OnlineMode::kNone);
  if (const json::value* limit = f.Get("time_limit", true)) {
    if (const json::object* lobj = Object(*limit, prefix + "time_limit", errors)) {
      Fields lf(*lobj, prefix + "time_limit.", errors);
      p.time_limit.value = SmallInt(lf, "value", true).value_or(0);
      p.time_limit.unit =
          lf.Enum<TimeUnit>("unit", true, ParseTimeUnit, "working_days or working_hours")
              .value_or(TimeUnit::kWorkingDays);
      lf.Finish();
    }
  }
  p.cutoff_1500 = f.Bool("cutoff_1500", false).value_or(false);
  if (const json::value* fees = f.Get("fees", false)) {
    p.fees = FeesFromJson(*fees, prefix + "fees", errors).value_or(std::vector<Fee>{});
  }
  if (const json::value* components = f.Get("components", true)) {
    p.components = ComponentsFromJson(*components, prefix + "components", errors)
                       .value_or(std::vector<Component>{});
  }
  p.result_kind =
      f.Enum<ResultKind>("result_kind", true, ParseResultKind,
                         "certificate, licence, certified_copy, decision, written_answer or other")
          .value_or(ResultKind::kOther);
  p.workflow_code = f.String("workflow_code", true).value_or("");
  if (auto text = f.String("effective_from", true)) {
    if (auto date = units::ParseDate(*text)) {
      p.effective_from = *date;
    } else {
      f.Problem("effective_from", "must be a date YYYY-MM-DD");
    }
  }
  p.status = f.Enum<Lifecycle>("status", false, ParseLifecycle, "draft or published")
                 .value_or(Lifecycle::kPublished);
  f.Finish();
  if (errors.fields.size() != before) return std::nullopt;
  return p;
}

}  // namespace motcua::catalog
