// The motcua command line: dispatches to the subcommands.
//
// Exit codes: 0 success, 1 a runtime failure (database unreachable, port
// taken), 2 a usage error (unknown option, bad argument). Errors go to `err`
// as one line a person can act on.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace motcua::app {

int Main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace motcua::app
