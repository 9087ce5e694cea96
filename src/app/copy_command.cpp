
#include "app/commands.hpp"
#include "app/settings.hpp"
#include "storage/copy.hpp"
#include "storage/events_repo.hpp"

namespace motcua::app {

int RunCopy(const Args& args, std::ostream& out, std::ostream& err) {
  Command cmd("motcua copy --from URL --to URL [options]",
              "Copies a province's whole database into an empty one, for example from its SQLite\n"
              "file to a PostgreSQL server: every table, row for row, with the same ids, dossier\n"
              "numbers and event chain. The target is migrated first and must hold no rows.\n"
              "What the source has committed when the copy begins is copied: stop the servers on\n"
              "it first. Attachment files stay in the data folder. Then the target's event log is\n"
              "verified, as 'motcua verify' does, and its last hash compared with the source's.",
              {
                  {"from", "URL", "the database to copy: sqlite:PATH or postgresql://...", ""},
                  {"to", "URL", "the empty database to copy into", ""},
                  {"log-level", "LEVEL", "debug, info, warn or error", "warn"},
              });
  auto parsed = ParseCommand(cmd, args);
  if (!parsed) return ReportError(err, "copy", parsed.error(), 2);
  if (parsed->help) {
    out << cmd.Help();
    return 0;
  }
  Error usage{Code::kInvalidArgument, "invalid arguments", {}};
  if (parsed->Get("from").empty()) usage.With("from", "name the database to copy");
  if (parsed->Get("to").empty()) usage.With("to", "name the database to copy into");
  if (!usage.fields.empty()) return ReportError(err, "copy", usage, 2);
  if (parsed->Get("from") == parsed->Get("to"))
    return ReportError(
        err, "copy",
        Error{Code::kInvalidArgument, "invalid arguments", {}}.With("to", "is the source"), 2);

  auto from = storage::Store::Open(parsed->Get("from"));
  if (!from) return ReportError(err, "copy", from.error().With("from", "cannot be opened"), 1);
  auto to = storage::Store::Open(parsed->Get("to"));
  if (!to) return ReportError(err, "copy", to.error().With("to", "cannot be opened"), 1);

  auto report = storage::CopyDatabase(**from, **to, [&](std::string_view table, std::int64_t rows) {
    if (rows % 100000 == 0) out << "  " << table << ": " << rows << " rows\n" << std::flush;
  });
  if (!report) return ReportError(err, "copy", report.error(), 1);
  for (const auto& t : report->tables) out << t.name << ": " << t.rows << " rows\n";
  out << "copied " << report->rows() << " rows from " << (*from)->engine() << " to "
      << (*to)->engine() << "\n";

  auto source_log = storage::events::VerifyEventLog(**from);
  auto target_log = storage::events::VerifyEventLog(**to);
  (*from)->Close();
  (*to)->Close();
  if (!target_log) return ReportError(err, "copy", target_log.error(), 1);
  if (target_log->broken) {
    out << "the target's event log is broken: " << target_log->broken->Message() << "\n";
    return 1;
  }
  if (source_log && (source_log->events != target_log->events ||
                     source_log->last_hash != target_log->last_hash)) {
    out << "the target's event log (" << target_log->events << " events, last hash "
        << target_log->last_hash << ") is not the source's (" << source_log->events
        << " events, last hash " << source_log->last_hash << ")\n";
    return 1;
  }
  out << "event log verified on the target: " << target_log->events << " events, last hash "
      << target_log->last_hash << " (as the source's)\n";
  return 0;
}

}  // namespace motcua::app
