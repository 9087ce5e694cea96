// `motcua outbox`: what the integration spine owes the outside systems, for
// an operator at the console (the administration page shows the same).
//   list     the newest messages, filtered by destination, state, dossier
//   retry    make a dead (or waiting) message due now, with fresh attempts
//   discard  give up a pending or dead message, saying why
//   replay   send a dossier to a destination again (the national portal lost
//            it): a new message, delivered like any other
// A running server's workers pick the changes up at their next look (within
// a second). Exit codes: 0 done, 1 refused or a database error, 2 usage.
#include <iomanip>

#include "app/commands.hpp"
#include "app/settings.hpp"
#include "common/clock.hpp"
#include "integrations/dvcqg/adapter.hpp"
#include "integrations/outbox.hpp"
#include "storage/accounts_repo.hpp"
#include "storage/dossiers_repo.hpp"

namespace motcua::app {
namespace {

using integrations::Message;

void Print(std::ostream& out, const Message& m) {
  out << m.id << "\t" << m.destination << "\t" << m.kind << "\t"
      << (m.dossier_id ? std::to_string(*m.dossier_id) : "-") << "\t"
      << integrations::StateName(m.state) << "\t" << m.attempts << "\t"
      << storage::accounts::FormatTime(m.created_at) << "\t" << (m.last_error ? *m.last_error : "")
      << "\n";
}

Result<std::int64_t> Number(const std::string& text, std::string_view what) {
  char* end = nullptr;
  const long long n = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || n <= 0)
    return InvalidField(std::string(what), "must be a positive number");
  return static_cast<std::int64_t>(n);
}

}  // namespace

int RunOutbox(const Args& args, std::ostream& out, std::ostream& err) {
  auto options = CommonOptions();
  options.push_back({"destination", "NAME", "dvcqg, email, sms or zalo", "", false});
  options.push_back({"state", "STATE", "list: pending, delivered, dead or discarded", "", false});
  options.push_back({"dossier", "NUMBER|ID", "list, replay: one dossier", "", false});
  options.push_back({"limit", "N", "list: at most N messages, newest first", "50", false});
  options.push_back({"reason", "TEXT", "discard: why (kept with the message)", "", false});
  Command cmd("motcua outbox list|retry ID|discard ID --reason TEXT|replay --dossier N [options]",
              "What the integration spine owes the outside systems (docs/integrations.md).\n"
              "list prints id, destination, kind, dossier, state, attempts, created, last error.\n"
              "retry makes a dead message due now with fresh attempts; discard gives one up;\n"
              "replay sends a dossier to --destination (default dvcqg) again as a new message.",
              options);
  const std::string verb = args.empty() ? "" : args[0];
  if (verb != "list" && verb != "retry" && verb != "discard" && verb != "replay") {
    if (verb == "--help" || verb == "-h") {
      out << cmd.Help();
      return 0;
    }
    err << "motcua outbox: expected list, retry, discard or replay\n\n" << cmd.Help();
    return 2;
  }
  auto parsed = ParseCommand(cmd, Args(args.begin() + 1, args.end()));
  if (!parsed) return ReportError(err, "outbox " + verb, parsed.error(), 2);
  if (parsed->help) {
    out << cmd.Help();
    return 0;
  }
  std::optional<std::int64_t> id;
  if (verb == "retry" || verb == "discard") {
    if (parsed->positional.size() != 1)
      return ReportError(err, "outbox " + verb,
                         InvalidField("ID", "give the message's id (motcua outbox list)").error(),
                         2);
    auto n = Number(parsed->positional[0], "ID");
    if (!n) return ReportError(err, "outbox " + verb, n.error(), 2);
    id = *n;
  }
  if (verb == "discard" && parsed->Get("reason").empty())
    return ReportError(err, "outbox discard",
                       InvalidField("--reason", "say why the message is given up").error(), 2);
  std::optional<integrations::MessageState> state;
  if (!parsed->Get("state").empty()) {
    state = integrations::ParseState(parsed->Get("state"));
    if (!state)
      return ReportError(
          err, "outbox " + verb,
          InvalidField("--state", "must be pending, delivered, dead or discarded").error(), 2);
  }
  auto limit = Number(parsed->Get("limit"), "--limit");
  if (!limit || *limit > 10000)
    return ReportError(err, "outbox " + verb,
                       InvalidField("--limit", "must be a number from 1 to 10000").error(), 2);
  if (verb == "replay" && parsed->Get("dossier").empty())
    return ReportError(err, "outbox replay",
                       InvalidField("--dossier", "name the dossier (number or id)").error(), 2);

  auto store = OpenStore(*parsed);
  if (!store) return ReportError(err, "outbox " + verb, store.error(), 1);
  SystemClock clock;
  const TimePoint now = clock.Now();
  // A dossier by its number (000.54.00.H55-261203-0001) or its id.
  auto dossier_of = [&](storage::Tx& tx) -> Result<std::optional<std::int64_t>> {
    const std::string& given = parsed->Get("dossier");
    if (given.empty()) return std::optional<std::int64_t>();
    if (given.find('-') != std::string::npos) {
      auto row = MOTCUA_TRY(storage::dossiers::FindByNumber(tx, given));
      if (!row) return Fail(Error{Code::kNotFound, "no dossier " + given, {{"dossier", given}}});
      return std::optional<std::int64_t>(row->id);
    }
    return std::optional<std::int64_t>(MOTCUA_TRY(Number(given, "--dossier")));
  };
  Status done;
  if (verb == "list") {
    done = (*store)->Read([&](storage::Tx& tx) -> Status {
      integrations::ListQuery q;
      if (!parsed->Get("destination").empty()) q.destination = parsed->Get("destination");
      q.state = state;
      q.dossier_id = MOTCUA_TRY(dossier_of(tx));
      q.limit = static_cast<int>(*limit);
      out << "id\tdestination\tkind\tdossier\tstate\tattempts\tcreated\tlast error\n";
      for (const Message& m : MOTCUA_TRY(integrations::List(tx, q))) Print(out, m);
      return {};
    });
  } else {
    done = (*store)->WriteSync([&](storage::Tx& tx) -> Status {
      if (verb == "retry") {
        Print(out, MOTCUA_TRY(integrations::Retry(tx, *id, now)));
      } else if (verb == "discard") {
        Print(out, MOTCUA_TRY(integrations::Discard(tx, *id, now, parsed->Get("reason"))));
      } else {
        const std::int64_t dossier = *MOTCUA_TRY(dossier_of(tx));
        if (!MOTCUA_TRY(storage::dossiers::Find(tx, dossier)))
          return Fail(Error{Code::kNotFound, "no dossier " + std::to_string(dossier), {}});
        const std::string destination =
            parsed->Get("destination").empty() ? "dvcqg" : parsed->Get("destination");
        // The portal lost it: everything is sent again, record and history.
        if (destination == integrations::dvcqg::kDestination)
          MOTCUA_TRY_VOID(integrations::dvcqg::ForgetAcknowledgements(tx, dossier));
        const std::int64_t made =
            MOTCUA_TRY(integrations::Replay(tx, destination, "dossier_sync", dossier, "{}", now));
        out << "message " << made << " will send dossier " << dossier << " to " << destination
            << " again\n";
      }
      return {};
    });
  }
  (*store)->Close();
  if (!done) return ReportError(err, "outbox " + verb, done.error(), 1);
  return 0;
}

}  // namespace motcua::app
