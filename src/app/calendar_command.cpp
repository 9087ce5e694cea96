#include "app/calendar_command.hpp"

#include "app/data_files.hpp"
#include "core/calendar/cli.hpp"

namespace motcua::app {

int RunCalendarCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  return calendar::RunCalendarCli(args, ReadHolidayTables, out, err);
}

}  // namespace motcua::app
