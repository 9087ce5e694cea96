#include "app/verify_command.hpp"

#include "app/settings.hpp"
#include "app/wiring.hpp"
#include "common/clock.hpp"
#include "storage/events_repo.hpp"

namespace motcua::app {
namespace {

// The migration that creates the event log (0004_events.sql).
constexpr int kEventsSchemaVersion = 4;

}  // namespace

int RunVerify(const Args& args, std::ostream& out, std::ostream& err) {
  auto options = CommonOptions();
  options.push_back(
      {"statistics", "",
       "also compare every dossier's row, which the statistics count, with its replayed history",
       "", false});
  Command cmd(
      "motcua verify [options]",
      "Walks the whole event log, recomputes every event's hash and link, and names the\n"
      "first broken one. Exit status 0 if the log is intact (and, with --statistics, every\n"
      "dossier's row is what its history says), 1 if not. --statistics replays the histories\n"
      "with the workflows, procedures and holidays of --data-dir.\n"
      "Keep the printed last hash elsewhere: removing the newest events leaves a shorter\n"
      "chain that is still consistent, and only a hash kept outside shows it.",
      options);
  auto parsed = ParseCommand(cmd, args);
  if (!parsed) return ReportError(err, "verify", parsed.error(), 2);
  if (parsed->help) {
    out << cmd.Help();
    return 0;
  }
  auto store = OpenStore(*parsed);
  if (!store) return ReportError(err, "verify", store.error(), 1);
  // Verifying must not change the database: a schema without the event log
  // is refused rather than migrated behind the operator's back.
  auto version = (*store)->SchemaVersion();
  if (!version) return ReportError(err, "verify", version.error(), 1);
  if (*version < kEventsSchemaVersion) {
    return ReportError(err, "verify",
                       Error{Code::kFailedPrecondition,
                             "the database has no event log (schema version " +
                                 std::to_string(*version) + "); run 'motcua migrate' first",
                             {}},
                       1);
  }
  auto report = storage::events::VerifyEventLog(**store);
  if (!report) return ReportError(err, "verify", report.error(), 1);
  if (report->broken) {
    out << report->broken->Message() << "\n";
    out << "the " << report->events << " events before it are intact";
    if (report->events > 0) out << "; last intact hash " << report->last_hash;
    out << "\n";
    return 1;
  }
  out << "event log verified: " << report->events << " events, last hash " << report->last_hash
      << "\n";
  if (!parsed->Has("statistics")) return 0;
  SystemClock clock;
  auto app = App::Create(
      **store, clock,
      AppOptions{.data_dir = parsed->Get("data-dir"), .office_hours = parsed->Get("office-hours")});
  if (!app) return ReportError(err, "verify", app.error(), 1);
  auto check = (*app)->statistics().CheckAgainstEventLog();
  if (!check) return ReportError(err, "verify", check.error(), 1);
  if (check->disagreeing == 0) {
    out << "statistics verified: " << check->dossiers
        << " dossiers, each row as its history says\n";
    return 0;
  }
  out << "statistics: " << check->disagreeing << " of " << check->dossiers
      << " dossiers disagree with their history in the event log";
  if (check->disagreeing > static_cast<std::int64_t>(check->problems.size()))
    out << " (the first " << check->problems.size() << ")";
  out << ":\n";
  for (const auto& p : check->problems) out << "  " << p << "\n";
  return 1;
}

}  // namespace motcua::app
