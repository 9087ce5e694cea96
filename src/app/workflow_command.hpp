// `motcua workflow ...`: validates and describes workflow definitions from the
// command line. The work is done by motcua::workflow::RunWorkflowCli (core);
// this adds reading the files named on the command line.
//
// Exit codes: 0 every file valid, 1 a file is invalid or unreadable, 2 a
// usage error.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace motcua::app {

// `args` are the words after `motcua workflow`.
int RunWorkflowCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace motcua::app
