#include "core/stats/index766.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <set>

namespace motcua::stats {
namespace {

namespace json = boost::json;

struct Reader {
  Error error{Code::kInvalidArgument, "invalid index definition", {}};
  void Bad(const std::string& field, std::string problem) { error.With(field, std::move(problem)); }

  std::string Text(const json::object& o, const std::string& where, std::string_view key,
                   bool required = true) {
    const json::value* v = o.if_contains(key);
    if (v == nullptr || !v->is_string()) {
      if (required || v != nullptr) Bad(where + std::string(key), "must be a string");
      return {};
    }
    return std::string(v->as_string());
  }
  double Number(const json::object& o, const std::string& where, std::string_view key) {
    const json::value* v = o.if_contains(key);
    if (v == nullptr || !v->is_number()) {
      Bad(where + std::string(key), "must be a number");
      return 0;
    }
    return v->to_number<double>();
  }
};

}  // namespace

double IndicatorGroup::points() const {
  double sum = 0;
  for (const auto& i : indicators) sum += i.points;
  return sum;
}

Result<IndexDefinition> ParseIndexDefinition(std::string_view text) {
  boost::system::error_code ec;
  json::value root = json::parse(text, ec);
  if (ec || !root.is_object()) return InvalidField("body", "is not a JSON object");
  const json::object& o = root.as_object();
  Reader r;
  IndexDefinition d;
  d.name = r.Text(o, "", "name");
  d.name_en = r.Text(o, "", "name_en", false);
  if (const json::value* c = o.if_contains("report_cutoff_day")) {
    if (!c->is_int64() || c->as_int64() < 1 || c->as_int64() > 28)
      r.Bad("report_cutoff_day", "must be a day from 1 to 28");
    else
      d.report_cutoff_day = static_cast<unsigned>(c->as_int64());
  }
  std::set<std::string> ids;
  const json::value* groups = o.if_contains("groups");
  if (groups == nullptr || !groups->is_array() || groups->as_array().empty())
    r.Bad("groups", "must be a non-empty array");
  else {
    for (std::size_t g = 0; g < groups->as_array().size(); ++g) {
      const std::string gw = "groups[" + std::to_string(g) + "].";
      const json::value& gv = groups->as_array()[g];
      if (!gv.is_object()) {
        r.Bad(gw.substr(0, gw.size() - 1), "must be an object");
        continue;
      }
      IndicatorGroup group;
      group.id = r.Text(gv.as_object(), gw, "id");
      group.name = r.Text(gv.as_object(), gw, "name");
      group.name_en = r.Text(gv.as_object(), gw, "name_en", false);
      if (!group.id.empty() && !ids.insert(group.id).second) r.Bad(gw + "id", "is used twice");
      const json::value* list = gv.as_object().if_contains("indicators");
      if (list == nullptr || !list->is_array() || list->as_array().empty()) {
        r.Bad(gw + "indicators", "must be a non-empty array");
        continue;
      }
      for (std::size_t i = 0; i < list->as_array().size(); ++i) {
        const std::string iw = gw + "indicators[" + std::to_string(i) + "].";
        const json::value& iv = list->as_array()[i];
        if (!iv.is_object()) {
          r.Bad(iw.substr(0, iw.size() - 1), "must be an object");
          continue;
        }
        const json::object& io = iv.as_object();
        Indicator ind;
        ind.id = r.Text(io, iw, "id");
        ind.name = r.Text(io, iw, "name");
        ind.name_en = r.Text(io, iw, "name_en", false);
        ind.points = r.Number(io, iw, "points");
        ind.threshold = r.Number(io, iw, "threshold");
        if (!ind.id.empty() && !ids.insert(ind.id).second) r.Bad(iw + "id", "is used twice");
        if (ind.points <= 0) r.Bad(iw + "points", "must be more than 0");
        if (!(ind.threshold > 0 && ind.threshold <= 1))
          r.Bad(iw + "threshold", "must be a rate above 0 and at most 1");
        const json::value* m = io.if_contains("measure");
        if (m == nullptr || !(m->is_null() || (m->is_string() && !m->as_string().empty())))
          r.Bad(iw + "measure",
                "must be the name of what motcua counts, or null when it holds no such data");
        else if (m->is_string())
          ind.measure = std::string(m->as_string());
        group.indicators.push_back(std::move(ind));
      }
      d.groups.push_back(std::move(group));
    }
  }
  const json::value* grades = o.if_contains("grades");
  if (grades == nullptr || !grades->is_array())
    r.Bad("grades", "must be an array");
  else {
    for (std::size_t g = 0; g < grades->as_array().size(); ++g) {
      const std::string gw = "grades[" + std::to_string(g) + "].";
      const json::value& gv = grades->as_array()[g];
      if (!gv.is_object()) {
        r.Bad(gw.substr(0, gw.size() - 1), "must be an object");
        continue;
      }
      Grade grade{r.Number(gv.as_object(), gw, "min"), r.Text(gv.as_object(), gw, "name"),
                  r.Text(gv.as_object(), gw, "name_en", false)};
      if (!d.grades.empty() && grade.min >= d.grades.back().min)
        r.Bad(gw + "min", "must be below the grade before");
      d.grades.push_back(std::move(grade));
    }
  }
  if (!r.error.fields.empty()) return Fail(std::move(r.error));
  return d;
}

IndexScore Score(const IndexDefinition& definition, const Measures& measures) {
  IndexScore out;
  bool all = true;
  for (const auto& group : definition.groups) {
    GroupScore gs{&group, {}, 0, 0};
    for (const auto& ind : group.indicators) {
      IndicatorScore is{&ind, std::nullopt, std::nullopt, {}};
      auto m = ind.measure ? measures.find(*ind.measure) : measures.end();
      if (m == measures.end()) {
        is.unavailable = "not_held";
      } else {
        is.ratio = m->second;
        if (m->second.of <= 0) {
          is.unavailable = "none_counted";
        } else {
          const double rate =
              static_cast<double>(m->second.count) / static_cast<double>(m->second.of);
          is.score = std::min(1.0, rate / ind.threshold) * ind.points;
          gs.score += *is.score;
          gs.available_points += ind.points;
        }
      }
      all = all && is.score.has_value();
      out.points += ind.points;
      gs.indicators.push_back(std::move(is));
    }
    out.score += gs.score;
    out.available_points += gs.available_points;
    out.groups.push_back(std::move(gs));
  }
  if (all) {
    for (const auto& g : definition.grades) {
      if (out.score + 1e-9 >= g.min) {
        out.grade = g;
        break;
      }
    }
  }
  return out;
}

}  // namespace motcua::stats
