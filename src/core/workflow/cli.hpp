// The `motcua workflow` command, kept in core so that it is tested without the
// app: `check FILE...` validates definitions and lists every problem with its
// JSON path; `describe FILE [--json]` prints the states and actions. Files
// come through `FileSource`, so nothing is opened here.
//
// Exit codes (as for every motcua command): 0 success (every file valid),
// 1 a file is invalid or cannot be read, 2 a usage error. Problems go to
// `err`, one per line, as "FILE: PATH: PROBLEM".
#pragma once

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace motcua::workflow {

// The whole text of the file at `path`.
using FileSource = std::function<Result<std::string>(const std::string& path)>;

// `args` are the words after `motcua workflow`.
int RunWorkflowCli(const std::vector<std::string>& args, const FileSource& files, std::ostream& out,
                   std::ostream& err);

}  // namespace motcua::workflow
