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
// Ownership: `calendar` and `clock` must outlive the router.
#pragma once

#include "common/clock.hpp"
#include "core/calendar/working_time.hpp"
#include "http/router.hpp"

namespace motcua::http {

void RegisterCalendarRoutes(Router& router, const calendar::WorkingCalendar& calendar, const Clock& clock);

}  // namespace motcua::http
