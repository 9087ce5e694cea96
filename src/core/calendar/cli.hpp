// The `motcua calendar` command, kept in core so that it is tested without the
// app: parsing the arguments, calling the calendar, printing the answer. The
// holiday tables come through `TableSource`, so no file is opened here.
//
// Exit codes (as for every motcua command): 0 success, 1 the holiday tables
// could not be read or are wrong, 2 a usage error (unknown option, missing or
// bad argument, impossible date). Errors go to `err` as one line.
#pragma once

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "core/calendar/holidays.hpp"

namespace motcua::calendar {

// The yearly tables found in a directory (e.g. "data/holidays").
using TableSource = std::function<Result<std::vector<TableFile>>(const std::string& holidays_dir)>;

// `args` are the words after `motcua calendar`.
int RunCalendarCli(const std::vector<std::string>& args, const TableSource& tables,
                   std::ostream& out, std::ostream& err);

}  // namespace motcua::calendar
