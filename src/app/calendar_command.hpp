// `motcua calendar ...`: lunar dates, holidays and working-time deadlines from
// the command line. The work is done by motcua::calendar::RunCalendarCli
// (core); this adds the holiday tables read from --data-dir (default "data",
// tables in DIR/holidays/*.toml).
//
// Exit codes: 0 success, 1 the tables are missing or wrong, 2 a usage error.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace motcua::app {

// `args` are the words after `motcua calendar`.
int RunCalendarCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace motcua::app
