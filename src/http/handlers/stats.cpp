#include "http/handlers/stats.hpp"

#include <boost/json.hpp>

#include "core/accounts/principal.hpp"
#include "core/files/file_name.hpp"
#include "core/stats/report09.hpp"
#include "documents/spreadsheet.hpp"
#include "http/auth.hpp"
#include "http/params.hpp"

namespace motcua::http {
namespace {

namespace json = boost::json;

json::object TotalsJson(const stats::Totals& t) {
  json::object o{{"received", t.received},
                 {"received_online", t.received_online},
                 {"received_counter", t.received_counter},
                 {"received_digitised", t.received_digitised},
                 {"received_synced", t.received_synced},
                 {"decided", t.decided},
                 {"decided_early", t.decided_early},
                 {"decided_on_time", t.decided_on_time},
                 {"decided_late", t.decided_late},
                 {"decided_accepted", t.decided_accepted},
                 {"decided_electronic", t.decided_electronic},
                 {"returned", t.returned},
                 {"withdrawn", t.withdrawn},
                 {"rated", t.rated},
                 {"rated_satisfied", t.rated_satisfied},
                 {"carried_over", t.open_before},
                 {"in_progress", t.open_at_end - t.overdue_at_end},
                 {"overdue", t.overdue_at_end}};
  // Working hours on average, of the dossiers decided after acceptance (a
  // refusal at intake had no clock; null when none).
  o["average_working_hours"] = t.decided_accepted > 0
                                   ? json::value(static_cast<double>(t.working_seconds) / 3600.0 /
                                                 static_cast<double>(t.decided_accepted))
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
  o["grade"] =
      s.grade ? json::value(json::object{{"name", s.grade->name}, {"name_en", s.grade->name_en}})
              : json::value(nullptr);
  return o;
}

// A row's index: the scores only (the names are the top-level index's).
json::object ShortIndexJson(const stats::IndexScore& s) {
  json::array groups;
  for (const auto& g : s.groups)
    groups.push_back(json::object{
        {"id", g.group->id}, {"available_points", g.available_points}, {"score", g.score}});
  json::object o{
      {"score", s.score}, {"available_points", s.available_points}, {"groups", std::move(groups)}};
  o["grade"] = s.grade ? json::value(s.grade->name) : json::value(nullptr);
  return o;
}

// The unit, period and units view of a question about `unit`'s figures, for
// staff of the unit or of a unit above it. `by`: whether the question may
// name a breakdown.
Result<stats::FiguresQuery> ParseQuery(const accounts::UnitHierarchy& hierarchy, Request& req,
                                       bool by) {
  MOTCUA_TRY_VOID(RequireAuthenticated(req));
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
    if (it->second == "today")
      query.view = stats::UnitsView::kToday;
    else if (it->second != "of_the_time")
      bad.With("units", "is of_the_time (the units that received the dossiers) or today");
  }
  if (auto it = req.query.find("by"); by && it != req.query.end()) {
    if (it->second == "unit")
      query.by = stats::Breakdown::kUnit;
    else if (it->second == "procedure")
      query.by = stats::Breakdown::kProcedure;
    else if (it->second == "field")
      query.by = stats::Breakdown::kField;
    else if (it->second == "month")
      query.by = stats::Breakdown::kMonth;
    else
      bad.With("by", "is unit, procedure, field or month");
  }
  if (!bad.fields.empty()) return Fail(bad);
  query.unit_id = unit;
  query.period = *period;
  if (!req.principal->IsStaffAt(unit, hierarchy))
    return Fail(Code::kPermissionDenied,
                "the figures of a unit are for its staff and those above it");
  return query;
}

json::object PeriodJson(const stats::UnitFigures& f, unsigned cutoff) {
  return json::object{{"id", stats::FormatPeriod(f.period)},
                      {"name", stats::VietnameseName(f.period, cutoff)},
                      {"first_day", calendar::FormatDate(f.range.first)},
                      {"last_day", calendar::FormatDate(f.range.last)},
                      {"as_of", calendar::FormatDate(f.as_of)}};
}

void Figures(stats::StatsService& service, const accounts::UnitHierarchy& hierarchy, Request& req,
             Responder respond) {
  auto parsed = ParseQuery(hierarchy, req, true);
  if (!parsed) return respond(ErrorResponse(parsed.error()));
  const stats::FiguresQuery& query = *parsed;
  auto figures = service.Figures(query);
  if (!figures) return respond(ErrorResponse(figures.error()));
  const auto& f = *figures;
  json::object out{{"unit_id", f.unit_id},
                   {"units_counted", static_cast<std::int64_t>(f.units.size())},
                   {"period", PeriodJson(f, service.definition().report_cutoff_day)},
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
      } else if (query.by == stats::Breakdown::kMonth) {
        o["period"] = r.key;
      }
      o["name"] = r.name;
      o["totals"] = TotalsJson(r.totals);
      o["index"] = ShortIndexJson(r.index);
      rows.push_back(std::move(o));
    }
    out["by"] = query.by == stats::Breakdown::kUnit        ? "unit"
                : query.by == stats::Breakdown::kProcedure ? "procedure"
                : query.by == stats::Breakdown::kField     ? "field"
                                                           : "month";
    out["rows"] = std::move(rows);
  }
  out["units"] = query.view == stats::UnitsView::kToday ? "today" : "of_the_time";
  Response res = JsonResponse(200, out);
  res.SetHeader("cache-control", "private, no-store");
  respond(std::move(res));
}

// Decree 09's report of `f` (its rows by field) as a table.
documents::Table ReportTable(const stats::UnitFigures& f, unsigned cutoff) {
  documents::Table t;
  t.sheet = "Bao cao";
  t.title = {"BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
             "Đơn vị: " + f.unit_name + " (" + f.agency_code + ")",
             stats::VietnameseName(f.period, cutoff) + "; số liệu đến hết ngày " +
                 calendar::FormatDate(f.as_of)};
  t.groups = {{"STT", 1}, {"Lĩnh vực", 1}};
  t.columns = {"STT", "Lĩnh vực"};
  t.widths = {6, 36};
  const auto& columns = stats::Report09Columns();
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (t.groups.back().name == columns[i].group)
      ++t.groups.back().span;
    else
      t.groups.push_back({std::string(columns[i].group), 1});
    t.columns.emplace_back(columns[i].name);
    t.widths.push_back(13);
  }
  std::int64_t n = 0;
  auto row = [&](documents::Cell first, std::string name, const stats::Totals& totals) {
    std::vector<documents::Cell> r{std::move(first), std::move(name)};
    for (std::int64_t v : stats::Report09Values(totals)) r.emplace_back(v);
    t.rows.push_back(std::move(r));
  };
  for (const auto& r : f.rows) row(++n, r.name.empty() ? "(không rõ lĩnh vực)" : r.name, r.totals);
  row(std::string(), "Tổng cộng", f.totals);
  t.last_row_is_total = true;
  t.notes = {
      "Kỳ báo cáo theo Nghị định số 09/2019/NĐ-CP: từ ngày 15 tháng trước đến ngày 14 của tháng "
      "báo cáo.",
      "Số hồ sơ nhận giải quyết = đã giải quyết + đang giải quyết + trả lại, rút. Lập bởi motcua."};
  return t;
}

void Report(stats::StatsService& service, const accounts::UnitHierarchy& hierarchy, Request& req,
            Responder respond) {
  auto parsed = ParseQuery(hierarchy, req, false);
  if (!parsed) return respond(ErrorResponse(parsed.error()));
  std::string format = "json";
  if (auto it = req.query.find("format"); it != req.query.end()) format = it->second;
  if (format != "json" && format != "csv" && format != "xlsx")
    return respond(ErrorResponse(Error{Code::kInvalidArgument, "invalid report query", {}}.With(
        "format", "is json, csv or xlsx")));
  stats::FiguresQuery query = *parsed;
  // Rows by field are counted by half month: every period but a day.
  if (query.period.kind == stats::PeriodKind::kDay)
    return respond(ErrorResponse(Error{Code::kInvalidArgument, "invalid report query", {}}.With(
        "period",
        "the report counts whole half months: a month, a quarter, a half year, a year or a report "
        "period")));
  query.by = stats::Breakdown::kField;
  auto figures = service.Figures(query);
  if (!figures) return respond(ErrorResponse(figures.error()));
  const auto& f = *figures;
  const unsigned cutoff = service.definition().report_cutoff_day;
  const std::string file = "bao-cao-tthc-" + f.agency_code + "-" + stats::FormatPeriod(f.period);
  Response res;
  if (format == "json") {
    json::array columns, rows;
    for (const auto& c : stats::Report09Columns())
      columns.push_back(json::object{{"key", c.key},
                                     {"group", c.group},
                                     {"name", c.name},
                                     {"group_en", c.group_en},
                                     {"name_en", c.name_en}});
    auto values = [](const stats::Totals& t) {
      json::object o;
      const auto v = stats::Report09Values(t);
      for (std::size_t i = 0; i < v.size(); ++i) o[stats::Report09Columns()[i].key] = v[i];
      return o;
    };
    for (const auto& r : f.rows)
      rows.push_back(json::object{{"field", r.name}, {"values", values(r.totals)}});
    res = JsonResponse(
        200,
        json::object{{"unit_id", f.unit_id},
                     {"unit_name", f.unit_name},
                     {"agency_code", f.agency_code},
                     {"units", query.view == stats::UnitsView::kToday ? "today" : "of_the_time"},
                     {"period", PeriodJson(f, cutoff)},
                     {"columns", std::move(columns)},
                     {"rows", std::move(rows)},
                     {"total", values(f.totals)},
                     {"csv", file + ".csv"},
                     {"xlsx", file + ".xlsx"}});
  } else if (format == "csv") {
    res.status = 200;
    res.body = documents::WriteCsv(ReportTable(f, cutoff));
    res.SetHeader("content-type", "text/csv; charset=utf-8");
    res.SetHeader("content-disposition", files::ContentDisposition(file + ".csv"));
  } else {
    auto bytes = documents::WriteXlsx(ReportTable(f, cutoff));
    if (!bytes) return respond(ErrorResponse(bytes.error()));
    res.status = 200;
    res.body = std::move(*bytes);
    res.SetHeader("content-type",
                  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    res.SetHeader("content-disposition", files::ContentDisposition(file + ".xlsx"));
  }
  res.SetHeader("x-content-type-options", "nosniff");
  res.SetHeader("cache-control", "private, no-store");
  respond(std::move(res));
}

}  // namespace

void RegisterStatsRoutes(Router& router, stats::StatsService& stats,
                         const accounts::UnitHierarchy& hierarchy) {
  router.Add("GET", "/api/v1/statistics", [&stats, &hierarchy](Request& req, Responder respond) {
    Figures(stats, hierarchy, req, std::move(respond));
  });
  router.Add("GET", "/api/v1/reports/decree09",
             [&stats, &hierarchy](Request& req, Responder respond) {
               Report(stats, hierarchy, req, std::move(respond));
             });
}

}  // namespace motcua::http
