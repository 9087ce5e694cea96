#include "app/cli.hpp"

#include "app/calendar_command.hpp"
#include "app/commands.hpp"
#include "app/verify_command.hpp"
#include "app/workflow_command.hpp"

namespace motcua::app {
namespace {

constexpr const char* kUsage =
    "usage: motcua <command> [options]\n"
    "\n"
    "commands:\n"
    "  serve      serve the HTTP API and the web front end\n"
    "  migrate    create or upgrade the database schema\n"
    "  demo       load the demo province into an empty database\n"
    "  user add   create an account with a role bound to a unit\n"
    "  calendar   lunar dates, holidays and working-time arithmetic\n"
    "  workflow   check and describe workflow definitions\n"
    "  verify     check the hash chain of the event log (and the exchange log, statistics, files)\n"
    "  outbox     list, retry, discard or replay what is owed to the outside systems\n"
    "  copy       copy a whole database into an empty one (SQLite to PostgreSQL)\n"
    "  backup     write a verified backup (database and attachment files) to a new folder\n"
    "  restore    restore a backup into a new database and data folder, and verify it\n"
    "  seed       fill a demo database with generated dossiers (benchmarks)\n"
    "  seed-statistics  fill a demo database with years of dossier rows (statistics benchmark)\n"
    "  version    print the version\n"
    "\n"
    "Run 'motcua <command> --help' for the options of a command.\n";

}  // namespace

int Main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty()) {
    err << kUsage;
    return 2;
  }
  const std::string& cmd = args[0];
  Args rest(args.begin() + 1, args.end());
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    out << kUsage;
    return 0;
  }
  if (cmd == "version" || cmd == "--version") {
    out << "motcua 0.1.0\n";
    return 0;
  }
  if (cmd == "serve") return RunServe(rest, out, err);
  if (cmd == "migrate") return RunMigrate(rest, out, err);
  if (cmd == "demo") return RunDemo(rest, out, err);
  if (cmd == "user") return RunUser(rest, out, err);
  if (cmd == "calendar") return RunCalendarCommand(rest, out, err);
  if (cmd == "workflow") return RunWorkflowCommand(rest, out, err);
  if (cmd == "verify") return RunVerify(rest, out, err);
  if (cmd == "seed") return RunSeed(rest, out, err);
  if (cmd == "seed-statistics") return RunSeedStatistics(rest, out, err);
  if (cmd == "copy") return RunCopy(rest, out, err);
  if (cmd == "backup") return RunBackup(rest, out, err);
  if (cmd == "restore") return RunRestore(rest, out, err);
  if (cmd == "outbox") return RunOutbox(rest, out, err);
  err << "motcua: unknown command '" << cmd << "'\n\n" << kUsage;
  return 2;
}

}  // namespace motcua::app
