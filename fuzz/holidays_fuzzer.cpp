// Yearly holiday tables (data/holidays/YEAR.toml, read at start) through
// HolidayCalendar::Load, motcua's own reader of them; a calendar that loads
// is then asked what the deadline arithmetic asks of it. The input holds up
// to four tables separated by form feeds ('\f'), so that tables that clash
// (one year given twice) are reached too.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar/holidays.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace calendar = motcua::calendar;
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  std::vector<calendar::TableFile> tables;
  while (tables.size() < 4) {
    const std::size_t end = tables.size() == 3 ? std::string_view::npos : rest.find('\f');
    tables.push_back(
        {"fuzz-" + std::to_string(tables.size()) + ".toml", std::string(rest.substr(0, end))});
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  auto loaded = calendar::HolidayCalendar::Load(tables);
  if (!loaded) return 0;
  // The years of the seeds, and the edges of the calendar's range.
  for (int year : {calendar::HolidayCalendar::kFirstYear, 2024, 2025, 2026, 2027,
                   calendar::HolidayCalendar::kLastYear}) {
    for (const auto& h : loaded->Holidays(year)) (void)loaded->IsWorkingDay(h.date);
    for (const auto& d : loaded->MakeUpWorkingDays(year)) (void)loaded->IsWorkingDay(d);
  }
  return 0;
}
