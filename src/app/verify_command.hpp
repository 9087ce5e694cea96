// `motcua verify`: walks the hash-chained event log and reports whether it is
// intact. Exit codes: 0 verified, 1 a broken link (named on stdout) or a
// database error, 2 a usage error.
#pragma once

#include <ostream>

#include "app/commands.hpp"

namespace motcua::app {

int RunVerify(const Args& args, std::ostream& out, std::ostream& err);

}  // namespace motcua::app
