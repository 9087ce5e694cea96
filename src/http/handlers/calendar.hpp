// HTTP routes for the working calendar.
//
//   GET /api/v1/holidays?year=YYYY  -> 200 {year, holidays: [{date, name, name_en}],
//                                      make_up_working_days: [date]}; public
//
// The days off of a year as the deadlines count them: the statutory holidays
// (the lunar ones converted), the yearly decisions from data/holidays, weekend
// days inside a holiday, and the Saturdays or Sundays worked in exchange.
// `year` defaults to this year in Vietnam; 1900..2100, else 400 naming it.
//
//   GET  /api/v1/holidays/{year}/table       -> 200 {year, file, text}; administrators
//   POST /api/v1/holidays/check?year=YYYY    -> 200 as GET /api/v1/holidays, for the table
//                                               in the body; 400 naming "table" and the line
//
// A year's table as the server loaded it (file and text null when it has
// none), and the days off a table would give, checked as `motcua serve`
// would load it, without loading it: like workflows, the tables are data
// files (data/holidays), deployed with the government's decision and read at
// start-up, so that an appointment never moves while the server runs.
//
// Ownership: `calendar`, `tables` and `clock` must outlive the router.
#pragma once

#include <vector>

#include "common/clock.hpp"
#include "core/calendar/holidays.hpp"
#include "core/calendar/working_time.hpp"
#include "http/router.hpp"

namespace motcua::http {

void RegisterCalendarRoutes(Router& router, const calendar::WorkingCalendar& calendar,
                            const std::vector<calendar::TableFile>& tables, const Clock& clock);

}  // namespace motcua::http
