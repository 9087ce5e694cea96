#include "http/handlers/stats.hpp"

#include <boost/json.hpp>

#include "core/accounts/principal.hpp"
#include "http/auth.hpp"
#include "http/params.hpp"

namespace motcua::http {
namespace {

namespace json = boost::json;
using accounts::Role;

json::object TotalsJson(const stats::Totals& t) {
  json::object o{{"received", t.received},
                 {"received_online", t.received_online},
                 {"received_counter", t.received_counter},
                 {"received_digitised", t.received_digitised},
                 {"decided", t.decided},
                 {"decided_early", t.decided_early},
                 {"decided_on_time", t.decided_on_time},
                 {"decided_late", t.decided_late},
                 {"decided_electronic", t.decided_electronic},
                 {"returned", t.returned},
                 {"withdrawn", t.withdrawn},
                 {"rated", t.rated},
                 {"rated_satisfied", t.rated_satisfied},
                 {"carried_over", t.open_before},
                 {"in_progress", t.open_at_end - t.overdue_at_end},
                 {"overdue", t.overdue_at_end}};
  // Working hours on average, of the dossiers decided (null when none).
  o["average_working_hours"] =
      t.decided > 0 ? json::value(static_cast<double>(t.working_seconds) / 3600.0 / static_cast<double>(t.decided))
                    : json::value(nullptr);
  return o;
}

json::object IndexJson(const stats::IndexScore& s) {
  json::array groups;
  for (const auto& g : s.groups) {
    json::array indicators;
    for (const auto& i : g.indicators) {
      json::object o{{"id", i.indicator->id},
                     {"name", i.indicator->name},
                     {"name_en", i.indicator->name_en},
                     {"points", i.indicator->points},
                     {"threshold", i.indicator->threshold}};
      if (i.ratio) o["counted"] = json::object{{"count", i.ratio->count}, {"of", i.ratio->of}};
      o["score"] = i.score ? json::value(*i.score) : json::value(nullptr);
      if (!i.score) o["unavailable"] = i.unavailable;
      indicators.push_back(std::move(o));
    }
    groups.push_back(json::object{{"id", g.group->id},
                                  {"name", g.group->name},
                                  {"name_en", g.group->name_en},
                                  {"points", g.group->points()},
                                  {"available_points", g.available_points},
                                  {"score", g.score},
                                  {"indicators", std::move(indicators)}});
  }
  json::object o{{"score", s.score},
                 {"available_points", s.available_points},
                 {"points", s.points},
                 {"groups", std::move(groups)}};
  o["grade"] = s.grade ? json::value(json::object{{"name", s.grade->name}, {"name_en", s.grade->name_en}})
                       : json::value(nullptr);
  return o;
}

// A row's index: the scores only (the names are the top-level index's).
json::object ShortIndexJson(const stats::IndexScore& s) {
  json::array groups;
  for (const auto& g : s.groups)
    groups.push_back(json::object{{"id", g.group->id}, {"available_points", g.available_points}, {"score", g.score}});
  json::object o{{"score", s.score}, {"available_points", s.available_points}, {"groups", std::move(groups)}};
  o["grade"] = s.grade ? json::value(s.grade->name) : json::value(nullptr);
  return o;
}

void Figures(stats::StatsService& service, const accounts::UnitHierarchy& hierarchy, Request& req,
             Responder respond) {
  if (auto st = RequireAuthenticated(req); !st) return respond(ErrorResponse(st.error()));
  Error bad{Code::kInvalidArgument, "invalid statistics query", {}};
  auto unit_text = req.query.find("unit");
  const std::int64_t unit =
      unit_text == req.query.end() ? 0 : ParsePositiveId(unit_text->second).value_or(0);
  if (unit == 0) bad.With("unit", "is required: the id of a unit");
  auto period_text = req.query.find("period");
  auto period = stats::ParsePeriod(period_text == req.query.end() ? "" : period_text->second);
  if (!period) bad.With("period", period.error().fields.at("period"));
  stats::FiguresQuery query;
  if (auto it = req.query.find("units"); it != req.query.end()) {
    if (it->second == "today") query.view = stats::UnitsView::kToday;
    else if (it->second != "of_the_time") bad.With("units", "is of_the_time (the units that received the dossiers) or today");
  }
  if (auto it = req.query.find("by"); it != req.query.end()) {
    if (it->second == "unit") query.by = stats::Breakdown::kUnit;
    else if (it->second == "procedure") query.by = stats::Breakdown::kProcedure;
    else if (it->second == "field") query.by = stats::Breakdown::kField;
    else bad.With("by", "is unit, procedure or field");
  }
  if (!bad.fields.empty()) return respond(ErrorResponse(bad));
  query.unit_id = unit;
  query.period = *period;
  // Staff of the unit, or of a unit above it, see its figures.
  bool allowed = false;
  for (Role r : {Role::kOfficer, Role::kSpecialist, Role::kUnitLeader, Role::kProvinceAdmin, Role::kSystemAdmin})
    allowed = allowed || req.principal->HasRoleAt(r, unit, hierarchy);
  if (!allowed) return respond(ErrorResponse(Error{Code::kPermissionDenied, "the figures of a unit are for its staff and those above it", {}}));
  auto figures = service.Figures(query);
  if (!figures) return respond(ErrorResponse(figures.error()));
  const auto& f = *figures;
  json::object out{{"unit_id", f.unit_id},
                   {"units_counted", static_cast<std::int64_t>(f.units.size())},
                   {"period", json::object{{"id", stats::FormatPeriod(f.period)},
                                           {"name", stats::VietnameseName(f.period, service.definition().report_cutoff_day)},
                                           {"first_day", calendar::FormatDate(f.range.first)},
                                           {"last_day", calendar::FormatDate(f.range.last)},
                                           {"as_of", calendar::FormatDate(f.as_of)}}},
                   {"totals", TotalsJson(f.totals)},
                   {"index", IndexJson(f.index)}};
  if (query.by != stats::Breakdown::kNone) {
    json::array rows;
    for (const auto& r : f.rows) {
      json::object o;
      if (query.by == stats::Breakdown::kUnit) {
        o["unit_id"] = r.unit_id;
        o["units_counted"] = static_cast<std::int64_t>(r.units.size());
      } else if (query.by == stats::Breakdown::kProcedure) {
        o["procedure_code"] = r.key;
      }
      o["name"] = r.name;
      o["totals"] = TotalsJson(r.totals);
      o["index"] = ShortIndexJson(r.index);
      rows.push_back(std::move(o));
    }
    out["by"] = query.by == stats::Breakdown::kUnit ? "unit" : query.by == stats::Breakdown::kProcedure ? "procedure" : "field";
    out["rows"] = std::move(rows);
  }
  out["units"] = query.view == stats::UnitsView::kToday ? "today" : "of_the_time";
  Response res = JsonResponse(200, out);
  res.SetHeader("cache-control", "private, no-store");
  respond(std::move(res));
}

}  // namespace

void RegisterStatsRoutes(Router& router, stats::StatsService& stats, const accounts::UnitHierarchy& hierarchy) {
  router.Add("GET", "/api/v1/statistics", [&stats, &hierarchy](Request& req, Responder respond) {
    Figures(stats, hierarchy, req, std::move(respond));
  });
}

}  // namespace motcua::http
