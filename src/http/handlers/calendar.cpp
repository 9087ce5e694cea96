#include "http/handlers/calendar.hpp"

#include <boost/json.hpp>

#include <charconv>
#include <chrono>
#include <string>

#include "core/calendar/date.hpp"

namespace motcua::http {

namespace json = boost::json;

void RegisterCalendarRoutes(Router& router, const calendar::WorkingCalendar& cal, const Clock& clock) {
  router.Add("GET", "/api/v1/holidays", [&cal, &clock](Request& req, Responder respond) {
    int year = static_cast<int>(std::chrono::year_month_day(calendar::LocalDate(clock.Now())).year());
    Error error{Code::kInvalidArgument, "invalid query parameters", {}};
    for (const auto& [name, value] : req.query) {
      if (name == "year") {
        int parsed = 0;
        auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
        if (ec != std::errc() || end != value.data() + value.size() || parsed < calendar::HolidayCalendar::kFirstYear ||
            parsed > calendar::HolidayCalendar::kLastYear) {
          error.With(name, "must be a year from 1900 to 2100");
        } else {
          year = parsed;
        }
      } else {
        error.With(name, "unknown parameter");
      }
    }
    if (!error.fields.empty()) return respond(ErrorResponse(std::move(error)));
    const auto& days = cal.holidays();
    json::array holidays;
    for (const auto& h : days.Holidays(year)) {
      holidays.push_back(json::object{{"date", calendar::FormatDate(h.date)}, {"name", h.name_vi}, {"name_en", h.name_en}});
    }
    json::array make_up;
    for (const auto& d : days.MakeUpWorkingDays(year)) make_up.push_back(json::string(calendar::FormatDate(d)));
    Response res = JsonResponse(200, json::object{{"year", year},
                                                  {"holidays", std::move(holidays)},
                                                  {"make_up_working_days", std::move(make_up)}});
    // The same for everyone until the server restarts with new tables.
    res.SetHeader("cache-control", "public, max-age=3600");
    respond(std::move(res));
  });
}

}  // namespace motcua::http
