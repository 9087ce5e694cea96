// The subcommands behind `motcua`. Each takes the arguments after its name,
// prints --help on request, and returns the process exit code (see cli.hpp).
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace motcua::app {

using Args = std::vector<std::string>;

int RunServe(const Args& args, std::ostream& out, std::ostream& err);
int RunMigrate(const Args& args, std::ostream& out, std::ostream& err);
int RunDemo(const Args& args, std::ostream& out, std::ostream& err);
int RunUser(const Args& args, std::ostream& out, std::ostream& err);
int RunSeed(const Args& args, std::ostream& out, std::ostream& err);
int RunSeedStatistics(const Args& args, std::ostream& out, std::ostream& err);
int RunCopy(const Args& args, std::ostream& out, std::ostream& err);
int RunBackup(const Args& args, std::ostream& out, std::ostream& err);
int RunRestore(const Args& args, std::ostream& out, std::ostream& err);
int RunOutbox(const Args& args, std::ostream& out, std::ostream& err);

}  // namespace motcua::app
