#include "http/handlers/calendar.hpp"

#include <boost/json.hpp>
#include <charconv>
#include <chrono>
#include <string>

#include "core/calendar/date.hpp"
#include "http/auth.hpp"

namespace motcua::http {

namespace json = boost::json;

namespace {

std::optional<int> ParseYear(std::string_view text) {
  int parsed = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), parsed);
  if (ec != std::errc() || end != text.data() + text.size() ||
      parsed < calendar::HolidayCalendar::kFirstYear ||
      parsed > calendar::HolidayCalendar::kLastYear)
    return std::nullopt;
  return parsed;
}

// ?year=YYYY, defaulting to this year in Vietnam; nullopt after answering 400.
std::optional<int> YearQuery(const Request& req, const Clock& clock, Responder& respond) {
  int year = static_cast<int>(std::chrono::year_month_day(calendar::LocalDate(clock.Now())).year());
  Error error{Code::kInvalidArgument, "invalid query parameters", {}};
  for (const auto& [name, value] : req.query) {
    if (name != "year")
      error.With(name, "unknown parameter");
    else if (auto y = ParseYear(value))
      year = *y;
    else
      error.With(name, "must be a year from 1900 to 2100");
  }
  if (!error.fields.empty()) {
    respond(ErrorResponse(std::move(error)));
    return std::nullopt;
  }
  return year;
}

// {year, holidays, make_up_working_days} of `days` for `year`.
json::object DaysOff(const calendar::HolidayCalendar& days, int year) {
  json::array holidays;
  for (const auto& h : days.Holidays(year)) {
    holidays.push_back(json::object{
        {"date", calendar::FormatDate(h.date)}, {"name", h.name_vi}, {"name_en", h.name_en}});
  }
  json::array make_up;
  for (const auto& d : days.MakeUpWorkingDays(year))
    make_up.push_back(json::string(calendar::FormatDate(d)));
  return json::object{{"year", year},
                      {"holidays", std::move(holidays)},
                      {"make_up_working_days", std::move(make_up)}};
}

std::string BaseName(const std::string& path) {
  auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

constexpr std::size_t kMaxTable = 64 * 1024;

}  // namespace

void RegisterCalendarRoutes(Router& router, const calendar::WorkingCalendar& cal,
                            const std::vector<calendar::TableFile>& tables, const Clock& clock) {
  router.Add("GET", "/api/v1/holidays", [&cal, &clock](Request& req, Responder respond) {
    auto year = YearQuery(req, clock, respond);
    if (!year) return;
    Response res = JsonResponse(200, DaysOff(cal.holidays(), *year));
    // The same for everyone until the server restarts with new tables.
    res.SetHeader("cache-control", "public, max-age=3600");
    respond(std::move(res));
  });
  router.Add("GET", "/api/v1/holidays/{year}/table", [&tables](Request& req, Responder respond) {
    if (auto st =
            RequireAnyRole(req, {accounts::Role::kProvinceAdmin, accounts::Role::kSystemAdmin});
        !st)
      return respond(ErrorResponse(st.error()));
    auto year = ParseYear(req.path_params["year"]);
    if (!year)
      return respond(
          ErrorResponse(InvalidField("year", "must be a year from 1900 to 2100").error()));
    const std::string name = std::to_string(*year) + ".toml";
    json::object out{{"year", *year}, {"file", nullptr}, {"text", nullptr}};
    for (const auto& t : tables) {
      if (BaseName(t.name) == name) {
        out["file"] = name;
        out["text"] = t.text;
      }
    }
    respond(JsonResponse(200, std::move(out)));
  });
  router.Add("POST", "/api/v1/holidays/check", [&clock](Request& req, Responder respond) {
    if (auto st =
            RequireAnyRole(req, {accounts::Role::kProvinceAdmin, accounts::Role::kSystemAdmin});
        !st)
      return respond(ErrorResponse(st.error()));
    auto year = YearQuery(req, clock, respond);
    if (!year) return;
    if (req.body.size() > kMaxTable)
      return respond(ErrorResponse(Error{Code::kPayloadTooLarge,
                                         "a holiday table is at most 64 KiB",
                                         {{"table", "at most 64 KiB"}}}));
    // Named as its file would be, so that a table of another year is refused.
    auto days = calendar::HolidayCalendar::Load({{std::to_string(*year) + ".toml", req.body}});
    if (!days) {
      Error e = days.error();
      e.With("table", e.message);
      return respond(ErrorResponse(std::move(e)));
    }
    respond(JsonResponse(200, DaysOff(*days, *year)));
  });
}

}  // namespace motcua::http
