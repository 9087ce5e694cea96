#include "app/calendar_command.hpp"

#include <algorithm>
#include <cstdlib>

#include "app/data_files.hpp"
#include "core/calendar/cli.hpp"

namespace motcua::app {

int RunCalendarCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  // The calendar's own parser knows --data-dir; MOTCUA_DATA_DIR (as for
  // every other command) applies when the flag is not given.
  std::vector<std::string> with_env = args;
  const char* env = std::getenv("MOTCUA_DATA_DIR");
  bool has_flag = std::any_of(args.begin(), args.end(), [](const std::string& a) {
    return a == "--data-dir" || a.starts_with("--data-dir=");
  });
  bool asks_help = std::any_of(args.begin(), args.end(),
                               [](const std::string& a) { return a == "--help" || a == "-h"; });
  if (env != nullptr && *env != '\0' && !has_flag && !asks_help && !args.empty()) {
    with_env.push_back("--data-dir");
    with_env.push_back(env);
  }
  return calendar::RunCalendarCli(with_env, ReadHolidayTables, out, err);
}

}  // namespace motcua::app
