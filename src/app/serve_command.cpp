#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "app/commands.hpp"
#include "app/settings.hpp"
#include "app/wiring.hpp"
#include "common/log.hpp"
#include "http/server.hpp"

namespace motcua::app {

int RunServe(const Args& args, std::ostream& out, std::ostream& err) {
  auto options = CommonOptions();
  options.push_back(
      {"listen", "HOST:PORT", "address to listen on (port 0: any free port)", "127.0.0.1:8080"});
  options.push_back({"threads", "N", "I/O threads (0: one per core)", "0"});
  options.push_back(
      {"db-readers", "N",
       "database connections for reads (1 to 64); with the writer's, 1 + N per process", "4"});
  options.push_back({"web-dir", "DIR", "built web front end to serve at /", "web/dist"});
  options.push_back(
      {"public-url", "URL",
       "the address citizens reach motcua at, for the links and QR codes on receipts and results\n"
       "(https://dichvucong.example.gov.vn); required unless listening on loopback; default: the\n"
       "forms file's portal, else http://LISTEN",
       ""});
  options.push_back(
      {"submission-limits", "C,S,U",
       "dossiers one citizen account, one staff account may submit in 10 minutes, and one unit\n"
       "may receive in an hour (U at most 416666, so that a day's numbers cannot run out)",
       "30,300,30000"});
  options.push_back({"dvcqg-url", "URL",
                     "the national portal's sync adapter (docs/integrations.md); empty: no sync",
                     ""});
  options.push_back(
      {"dvcqg-username", "NAME", "the province's account at the portal's adapter", ""});
  options.push_back({"dvcqg-password", "TEXT",
                     "its password (better in the environment than on the command line)", ""});
  options.push_back({"dvcqg-madonvi", "CODE", "the province's identifier code at the portal", ""});
  options.push_back({"dvcqg-inbound-token", "TEXT",
                     "the token the national portal presents to push dossiers filed there (at "
                     "least 32 characters; better in the environment); empty: none is taken",
                     ""});
  options.push_back(
      {"dvcqg-timeout-ms", "MS", "the longest wait for one answer of the portal", "20000"});
  options.push_back({"dvcqg-retry-ms", "MS",
                     "the first delay before a failed sync is tried again (then doubling, at most "
                     "an hour, with jitter)",
                     "5000"});
  options.push_back({"smtp-url", "URL",
                     "the mail relay for notices and digests: smtp://HOST:PORT (STARTTLS when "
                     "offered) or\nsmtps://HOST:PORT; empty: no e-mail",
                     ""});
  options.push_back(
      {"smtp-from", "ADDRESS", "the sender, \"Name <address>\"", "Một cửa <no-reply@localhost>"});
  options.push_back({"smtp-username", "NAME", "the relay's account; empty: no AUTH", ""});
  options.push_back({"smtp-password", "TEXT", "its password (better in the environment)", ""});
  options.push_back({"sms-url", "URL", "the SMS brandname gateway; empty: no SMS", ""});
  options.push_back({"sms-token", "TEXT", "the gateway's bearer token", ""});
  options.push_back(
      {"sms-brandname", "NAME", "the sender name registered with the telcos", "MOTCUA"});
  options.push_back(
      {"zalo-url", "URL", "Zalo's ZNS API (https://business.openapi.zalo.me); empty: no Zalo", ""});
  options.push_back({"zalo-access-token", "TEXT", "the OA's access token", ""});
  options.push_back({"notify-retry-ms", "MS",
                     "the first delay before a failed notice is tried again (then doubling, at "
                     "most an hour;\n12 attempts)",
                     "30000"});
  options.push_back({"notify-quiet-hours", "H-H",
                     "texts to the phone written from the first hour wait for the second "
                     "(Vietnam's time);\n\"none\": sent at once, day and night",
                     "21-7"});
  options.push_back({"trusted-proxies", "IP,IP",
                     "reverse proxies whose X-Forwarded-For/-Proto headers are believed", ""});
  Command cmd(
      "motcua serve [options]",
      "Serves the HTTP API. Stops cleanly on SIGINT or SIGTERM: requests in flight finish,\n"
      "queued writes are committed, the statistics' facts are saved for the next start,\n"
      "and the database is closed.",
      options);
  auto parsed = ParseCommand(cmd, args);
  if (!parsed) return ReportError(err, "serve", parsed.error(), 2);
  if (parsed->help) {
    out << cmd.Help();
    return 0;
  }
  char* end = nullptr;
  std::string threads_text = parsed->Get("threads");
  long threads = std::strtol(threads_text.c_str(), &end, 10);
  if (threads_text.empty() || *end != '\0' || threads < 0 || threads > 256)
    return ReportError(err, "serve",
                       InvalidField("--threads", "must be a number from 0 to 256").error(), 2);

  std::string readers_text = parsed->Get("db-readers");
  long readers = std::strtol(readers_text.c_str(), &end, 10);
  if (readers_text.empty() || *end != '\0' || readers < 1 || readers > 64)
    return ReportError(err, "serve",
                       InvalidField("--db-readers", "must be a number from 1 to 64").error(), 2);

  // Block the stop signals before any thread starts, so that every thread
  // inherits the mask and only sigwait() below ever sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  long dvcqg_ms[2] = {0, 0};
  for (int i = 0; i < 2; ++i) {
    const char* name = i == 0 ? "dvcqg-timeout-ms" : "dvcqg-retry-ms";
    const std::string text = parsed->Get(name);
    dvcqg_ms[i] = std::strtol(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || dvcqg_ms[i] < 10 || dvcqg_ms[i] > 600'000)
      return ReportError(
          err, "serve",
          InvalidField("--" + std::string(name), "must be 10 to 600000 milliseconds").error(), 2);
  }

  // The portal's adapter: a mistyped address would fail every sync for a
  // day and a half before anyone saw a dead message; refuse it at start.
  std::string dvcqg_url;
  if (!parsed->Get("dvcqg-url").empty()) {
    auto url = ParseBaseUrl(parsed->Get("dvcqg-url"), "--dvcqg-url");
    if (!url) return ReportError(err, "serve", url.error(), 2);
    dvcqg_url = *url;
  }

  // The notification channels: a mistyped address is refused at start.
  std::string sms_url, zalo_url;
  for (auto [flag, out] :
       {std::pair<const char*, std::string*>{"sms-url", &sms_url}, {"zalo-url", &zalo_url}}) {
    if (parsed->Get(flag).empty()) continue;
    auto url = ParseBaseUrl(parsed->Get(flag), "--" + std::string(flag));
    if (!url) return ReportError(err, "serve", url.error(), 2);
    *out = *url;
  }
  const std::string smtp_url = parsed->Get("smtp-url");
  if (!smtp_url.empty() && !smtp_url.starts_with("smtp://") && !smtp_url.starts_with("smtps://"))
    return ReportError(
        err, "serve",
        InvalidField("--smtp-url", "must be smtp://HOST:PORT or smtps://HOST:PORT").error(), 2);
  if (const std::string from = parsed->Get("smtp-from");
      from.find('@') == std::string::npos || from.find_first_of("\r\n") != std::string::npos)
    return ReportError(
        err, "serve",
        InvalidField("--smtp-from", "must be an address, \"Name <address>\" or \"address\"")
            .error(),
        2);
  long notify_retry_ms = 0;
  {
    const std::string text = parsed->Get("notify-retry-ms");
    notify_retry_ms = std::strtol(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || notify_retry_ms < 10 || notify_retry_ms > 3'600'000)
      return ReportError(
          err, "serve",
          InvalidField("--notify-retry-ms", "must be 10 to 3600000 milliseconds").error(), 2);
  }

  int quiet_from = 0, quiet_to = 0;
  if (const std::string text = parsed->Get("notify-quiet-hours"); text != "none") {
    char tail = 0;
    if (std::sscanf(text.c_str(), "%d-%d%c", &quiet_from, &quiet_to, &tail) != 2 ||
        quiet_from < 0 || quiet_from > 23 || quiet_to < 0 || quiet_to > 23 ||
        quiet_from == quiet_to)
      return ReportError(err, "serve",
                         InvalidField("--notify-quiet-hours",
                                      "must be two different hours H-H (0 to 23), or \"none\"")
                             .error(),
                         2);
  }

  // A guessable token would let anyone file dossiers in the portal's name.
  if (const std::string& token = parsed->Get("dvcqg-inbound-token");
      !token.empty() && token.size() < 32)
    return ReportError(
        err, "serve",
        InvalidField("--dvcqg-inbound-token", "must be at least 32 characters").error(), 2);

  std::string public_url;
  if (!parsed->Get("public-url").empty()) {
    auto url = ParsePublicUrl(parsed->Get("public-url"));
    if (!url) return ReportError(err, "serve", url.error(), 2);
    public_url = *url;
  }
  dossiers::DossierOptions dossier_options;
  {
    long c = 0, s = 0, u = 0;
    char tail = 0;
    const std::string text = parsed->Get("submission-limits");
    if (std::sscanf(text.c_str(), "%ld,%ld,%ld%c", &c, &s, &u, &tail) != 3 || c < 1 || s < 1 ||
        u < 1 || c > 1'000'000 || s > 1'000'000 || u > 416'666)
      return ReportError(err, "serve",
                         InvalidField("--submission-limits",
                                      "must be three whole numbers C,S,U: 1 to 1000000, 1 to "
                                      "1000000, 1 to 416666")
                             .error(),
                         2);
    dossier_options.citizen_submissions_per_10_minutes = static_cast<int>(c);
    dossier_options.staff_submissions_per_10_minutes = static_cast<int>(s);
    dossier_options.submissions_per_unit_hour = static_cast<int>(u);
  }
  const std::string listen = parsed->Get("listen");
  const std::string listen_host = listen.substr(0, listen.rfind(':'));
  const bool loopback = listen_host == "127.0.0.1" || listen_host == "localhost" ||
                        listen_host == "[::1]" || listen_host == "::1";

  auto store = storage::Store::Open(
      parsed->Get("db"), storage::StoreOptions{.read_connections = static_cast<int>(readers)});
  if (!store) return ReportError(err, "serve", store.error(), 1);
  SystemClock clock;
  auto app =
      App::Create(**store, clock,
                  AppOptions{.web_dir = parsed->Get("web-dir"),
                             .data_dir = parsed->Get("data-dir"),
                             .office_hours = parsed->Get("office-hours"),
                             .public_url = public_url,
                             .fallback_public_url = "http://" + listen,
                             .dossier_options = dossier_options,
                             .dvcqg_url = dvcqg_url,
                             .dvcqg_username = parsed->Get("dvcqg-username"),
                             .dvcqg_password = parsed->Get("dvcqg-password"),
                             .dvcqg_madonvi = parsed->Get("dvcqg-madonvi"),
                             .dvcqg_timeout = std::chrono::milliseconds(dvcqg_ms[0]),
                             .dvcqg_first_retry = std::chrono::milliseconds(dvcqg_ms[1]),
                             .dvcqg_inbound_token = parsed->Get("dvcqg-inbound-token"),
                             .smtp_url = smtp_url,
                             .smtp_from = parsed->Get("smtp-from"),
                             .smtp_username = parsed->Get("smtp-username"),
                             .smtp_password = parsed->Get("smtp-password"),
                             .sms_url = sms_url,
                             .sms_token = parsed->Get("sms-token"),
                             .sms_brandname = parsed->Get("sms-brandname"),
                             .zalo_url = zalo_url,
                             .zalo_access_token = parsed->Get("zalo-access-token"),
                             .notify_first_retry = std::chrono::milliseconds(notify_retry_ms),
                             .quiet_from = quiet_from,
                             .quiet_to = quiet_to});
  if (!app) return ReportError(err, "serve", app.error(), 1);
  // A receipt's QR code sends citizens to this address: from anywhere but
  // this machine, it must be the one they reach, said by the operator.
  if ((*app)->public_url_defaulted() && !loopback)
    return ReportError(
        err, "serve",
        InvalidField("--public-url", "is required when listening on " + listen +
                                         ": the address citizens reach motcua at, printed on "
                                         "receipts and results (or the forms file's portal)")
            .error(),
        2);
  // The statistics are counted from every dossier on a thread of their own,
  // so that the server listens at once; until they are, they answer 503.
  (*app)->statistics().CountInBackground();

  http::ServerOptions server_options;
  server_options.listen = parsed->Get("listen");
  server_options.threads = static_cast<int>(threads);
  std::string proxies = parsed->Get("trusted-proxies");
  for (std::size_t start = 0; start < proxies.size();) {
    std::size_t end = std::min(proxies.find(',', start), proxies.size());
    if (end > start) server_options.trusted_proxies.push_back(proxies.substr(start, end - start));
    start = end + 1;
  }
  http::Server server(server_options, (*app)->Handler());
  if (auto st = server.Start(); !st) return ReportError(err, "serve", st.error(), 1);

  std::string host = server_options.listen.substr(0, server_options.listen.rfind(':'));
  std::string url = "http://" + host + ":" + std::to_string(server.port()) + "/";
  log::Info("listening", {{"url", url}, {"db_engine", std::string((*store)->engine())}});
  out << "motcua listening on " << url << std::endl;
  // What the outbox owes leaves on the delivery workers' threads.
  (*app)->StartDelivery();

  // Housekeeping, off the requests' threads. Expired sessions are refused
  // when presented anyway; purging them keeps the table small, and every ten
  // minutes is plenty for a 30-minute idle limit. Attachment files that a
  // crash left without a row (AttachmentStore::RemoveOrphans) are removed at
  // start and every hour, once ten minutes old: another server's upload in
  // flight is milliseconds from its commit.
  std::mutex purge_mu;
  std::condition_variable purge_cv;
  bool stopping = false;
  std::thread purger([&] {
    auto sweep = [&] {
      auto swept = (*app)->attachments().RemoveOrphans(std::chrono::minutes(10));
      if (!swept) log::Warn("orphaned attachment sweep failed", {{"error", swept.error().message}});
    };
    sweep();
    std::unique_lock lock(purge_mu);
    for (int round = 1;
         !purge_cv.wait_for(lock, std::chrono::minutes(10), [&] { return stopping; }); ++round) {
      lock.unlock();
      auto purged = (*app)->accounts().PurgeExpiredSessions();
      if (!purged) log::Warn("session purge failed", {{"error", purged.error().message}});
      if (round % 6 == 0) sweep();
      lock.lock();
    }
  });

  int signal = 0;
  sigwait(&stop_signals, &signal);
  {
    std::lock_guard lock(purge_mu);
    stopping = true;
  }
  purge_cv.notify_all();
  purger.join();
  log::Info("stopping", {{"signal", signal == SIGINT ? "SIGINT" : "SIGTERM"}});
  server.Stop();
  // Attempts in flight give up within a second and are settled as retries.
  (*app)->StopDelivery();
  // The statistics' facts, so that the next start reads them instead of
  // counting every dossier (services/stats/stats_service.hpp).
  if ((*app)->statistics().CountingProgress().ready) {
    if (auto saved = (*app)->statistics().SaveSnapshot(); !saved)
      log::Warn("statistics snapshot not saved", {{"error", saved.error().message}});
  }
  (*store)->Close();
  log::Info("stopped");
  return 0;
}

}  // namespace motcua::app
