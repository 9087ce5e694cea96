#include "app/verify_command.hpp"

#include <cstdlib>

#include "app/settings.hpp"
#include "app/wiring.hpp"
#include "common/clock.hpp"
#include "integrations/exchange_log.hpp"
#include "storage/events_repo.hpp"

namespace motcua::app {
namespace {

// The migration that creates the event log (0004_events.sql).
constexpr int kEventsSchemaVersion = 4;

}  // namespace

Result<CheckSummary> CheckDatabase(storage::Store& store, const CheckOptions& options,
                                   std::ostream& out) {
  CheckSummary summary;
  // Verifying must not change the database: a schema without the event log
  // is refused rather than migrated behind the operator's back.
  const int version = MOTCUA_TRY(store.SchemaVersion());
  if (version < kEventsSchemaVersion) {
    return Fail(Code::kFailedPrecondition, "the database has no event log (schema version " +
                                               std::to_string(version) +
                                               "); run 'motcua migrate' first");
  }
  auto report = MOTCUA_TRY(storage::events::VerifyEventLog(store));
  summary.events = report.events;
  summary.last_hash = report.last_hash;
  if (report.broken) {
    out << report.broken->Message() << "\n";
    out << "the " << report.events << " events before it are intact";
    if (report.events > 0) out << "; last intact hash " << report.last_hash;
    out << "\n";
    return summary;
  }
  out << "event log verified: " << report.events << " events, last hash " << report.last_hash
      << "\n";
  if ((options.expected_events && *options.expected_events != report.events) ||
      (options.expected_last_hash && *options.expected_last_hash != report.last_hash)) {
    out << "the event log is not the one expected: " << options.expected_events.value_or(0)
        << " events, last hash " << options.expected_last_hash.value_or("") << "\n";
    return summary;
  }
  const std::string attachments_dir =
      options.attachments_dir.empty() ? options.data_dir + "/attachments" : options.attachments_dir;
  if (options.exchanges) {
    auto key = MOTCUA_TRY(
        integrations::ExchangeKey::PublicOf(integrations::ExchangeKeyPath(attachments_dir)));
    auto exchanges = MOTCUA_TRY(integrations::VerifyExchangeLog(store, key));
    if (exchanges.broken) {
      out << "exchange log broken at entry " << exchanges.broken->seq << ": "
          << exchanges.broken->reason << "\n";
      out << "the " << exchanges.entries << " entries before it are intact\n";
      return summary;
    }
    out << "exchange log verified: " << exchanges.entries << " entries signed with key " << key.id()
        << (exchanges.entries > 0 ? ", last hash " + exchanges.last_hash : "") << "\n";
  }
  if (!options.statistics && !options.attachments) {
    summary.intact = true;
    return summary;
  }

  auto loaded =
      options.key ? Result<attachments::AttachmentKey>(*options.key)
                  : attachments::LoadExistingAttachmentKey(
                        attachments_dir, std::getenv(attachments::kKeyEnvironmentVariable.data()));
  // The statistics read no file: without a key, one made up in memory keeps
  // the App from creating a key file (verifying changes nothing).
  if (!loaded && !options.attachments && loaded.error().code == Code::kFailedPrecondition)
    loaded = attachments::KeyFromBase64(std::string(43, 'A') + "=", "unused");
  attachments::AttachmentKey key = MOTCUA_TRY(std::move(loaded));
  SystemClock clock;
  auto app = MOTCUA_TRY(App::Create(store, clock,
                                    AppOptions{.data_dir = options.data_dir,
                                               .attachments_dir = attachments_dir,
                                               .attachment_key = key,
                                               .office_hours = options.office_hours}));
  bool intact = true;
  if (options.statistics) {
    auto check = MOTCUA_TRY(app->statistics().CheckAgainstEventLog());
    summary.dossiers = check.dossiers;
    if (check.disagreeing == 0) {
      out << "statistics verified: " << check.dossiers
          << " dossiers, each row as its history says\n";
    } else {
      intact = false;
      out << "statistics: " << check.disagreeing << " of " << check.dossiers
          << " dossiers disagree with their history in the event log";
      if (check.disagreeing > static_cast<std::int64_t>(check.problems.size()))
        out << " (the first " << check.problems.size() << ")";
      out << ":\n";
      for (const auto& p : check.problems) out << "  " << p << "\n";
    }
  }
  if (options.attachments) {
    summary.files = MOTCUA_TRY(app->attachments().CheckFiles());
    if (summary.files.damaged == 0) {
      out << "attachments verified: " << summary.files.files << " files, " << summary.files.bytes
          << " bytes, each as its row says\n";
    } else {
      intact = false;
      out << "attachments: " << summary.files.damaged << " of " << summary.files.files
          << " files cannot be read as their rows say";
      if (summary.files.damaged > static_cast<std::int64_t>(summary.files.problems.size()))
        out << " (the first " << summary.files.problems.size() << ")";
      out << ":\n";
      for (const auto& p : summary.files.problems) out << "  " << p << "\n";
    }
  }
  summary.intact = intact;
  return summary;
}

int RunVerify(const Args& args, std::ostream& out, std::ostream& err) {
  auto options = CommonOptions();
  options.push_back(
      {"statistics", "",
       "also compare every dossier's row, which the statistics count, with its replayed history",
       "", false});
  options.push_back({"attachments", "",
                     "also read every attachment file under DATA_DIR/attachments with its key "
                     "and compare it with its row (SHA-256, size)",
                     "", false});
  options.push_back({"exchanges", "",
                     "also walk the exchange log (what was sent to and received from outside "
                     "systems): every link, hash and signature, with the key's public half",
                     "", false});
  Command cmd(
      "motcua verify [options]",
      "Walks the whole event log, recomputes every event's hash and link, and names the\n"
      "first broken one. Exit status 0 if the log is intact (and, with --statistics, every\n"
      "dossier's row is what its history says; with --attachments, every file opens as its\n"
      "row says), 1 if not. --statistics replays the histories with the workflows,\n"
      "procedures and holidays of --data-dir.\n"
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
  auto summary = CheckDatabase(**store,
                               CheckOptions{.data_dir = parsed->Get("data-dir"),
                                            .office_hours = parsed->Get("office-hours"),
                                            .statistics = parsed->Has("statistics"),
                                            .attachments = parsed->Has("attachments"),
                                            .exchanges = parsed->Has("exchanges")},
                               out);
  if (!summary) return ReportError(err, "verify", summary.error(), 1);
  return summary->intact ? 0 : 1;
}

}  // namespace motcua::app
