#include "app/wiring.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "app/data_files.hpp"
#include "app/integration_routes.hpp"
#include "common/log.hpp"
#include "http/auth.hpp"
#include "http/handlers/accounts.hpp"
#include "http/handlers/attachments.hpp"
#include "http/handlers/calendar.hpp"
#include "http/handlers/documents.hpp"
#include "http/handlers/dossiers.hpp"
#include "http/handlers/procedures.hpp"
#include "http/handlers/results.hpp"
#include "http/handlers/stats.hpp"
#include "http/handlers/units.hpp"
#include "http/pipeline.hpp"
#include "http/static_files.hpp"
#include "http/system_routes.hpp"
#include "integrations/dvcqg/adapter.hpp"
#include "integrations/notify/channels.hpp"
#include "integrations/outbox.hpp"

namespace motcua::app {
namespace {

// Lookup secrets and verification codes: OpenSSL's RAND_bytes.
Status SystemRandom(std::span<std::uint8_t> out) {
  if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1)
    return Fail(Code::kUnavailable, "the random number generator failed");
  return {};
}

// The spine's figures per destination, sampled when /metrics is scraped:
// what is owed (read from the outbox's pending and dead rows) and what the
// workers did since start.
void AddDeliveryMetrics(http::Metrics& m, storage::Store& store,
                        const integrations::DeliveryService& delivery) {
  using http::MetricType;
  using http::Sample;
  // Every destination delivered to has its line, 0 when nothing is owed
  // (an absent series would read as "unknown" on a dashboard).
  auto summaries = [&store, &delivery] {
    std::vector<integrations::DestinationSummary> out;
    (void)store.Read([&](storage::Tx& tx) -> Status {
      out = MOTCUA_TRY(integrations::Summarize(tx));
      return {};
    });
    for (const std::string& d : delivery.destinations())
      if (std::none_of(out.begin(), out.end(), [&](const auto& s) { return s.destination == d; }))
        out.push_back({.destination = d});
    return out;
  };
  auto owed = [summaries](auto field) {
    return [summaries, field] {
      std::vector<Sample> out;
      for (const auto& s : summaries()) out.push_back({{s.destination}, field(s)});
      return out;
    };
  };
  m.AddCallback("motcua_outbox_pending", "Messages waiting to be delivered.", MetricType::kGauge,
                {"destination"}, owed([](const auto& s) { return double(s.pending); }));
  m.AddCallback("motcua_outbox_retrying", "Pending messages that failed at least once.",
                MetricType::kGauge, {"destination"},
                owed([](const auto& s) { return double(s.retrying); }));
  m.AddCallback("motcua_outbox_dead", "Messages given up on, waiting for an administrator.",
                MetricType::kGauge, {"destination"},
                owed([](const auto& s) { return double(s.dead); }));
  m.AddCallback("motcua_outbox_oldest_pending_seconds",
                "Age of the oldest message waiting (the backlog's lag).", MetricType::kGauge,
                {"destination"}, owed([](const auto& s) {
                  if (!s.oldest_pending_at) return 0.0;
                  return std::chrono::duration<double>(std::chrono::system_clock::now() -
                                                       *s.oldest_pending_at)
                      .count();
                }));
  const integrations::DeliveryService* d = &delivery;
  auto done = [d](auto field) {
    return [d, field] {
      std::vector<Sample> out;
      for (const auto& s : d->Stats()) out.push_back({{s.destination}, field(s)});
      return out;
    };
  };
  m.AddCallback("motcua_delivery_attempts_total", "Delivery attempts settled.",
                MetricType::kCounter, {"destination"},
                done([](const auto& s) { return double(s.attempts); }));
  m.AddCallback("motcua_delivery_delivered_total", "Messages the partner acknowledged.",
                MetricType::kCounter, {"destination"},
                done([](const auto& s) { return double(s.delivered); }));
  m.AddCallback("motcua_delivery_retries_total", "Attempts that failed and will be retried.",
                MetricType::kCounter, {"destination"},
                done([](const auto& s) { return double(s.retries); }));
  m.AddCallback("motcua_delivery_dead_total", "Messages given up on since start.",
                MetricType::kCounter, {"destination"},
                done([](const auto& s) { return double(s.dead); }));
  m.AddCallback("motcua_delivery_yielded_seconds_total",
                "Time the dispatcher waited for a busy database writer before a batch.",
                MetricType::kCounter, {"destination"},
                done([](const auto& s) { return s.yielded_seconds; }));
  m.AddCallback("motcua_delivery_lag_p99_seconds",
                "99th percentile of the time from a message's commit to its acknowledgement "
                "since start (upper bound of its bucket).",
                MetricType::kGauge, {"destination"},
                done([](const auto& s) { return s.LagQuantile(0.99); }));
}

}  // namespace

bool LiveUnitHierarchy::IsSameOrBelow(std::int64_t unit, std::int64_t ancestor) const {
  return units_.Tree()->IsSameOrBelow(unit, ancestor);
}

bool LiveUnitHierarchy::IsTopLevel(std::int64_t unit) const {
  return units_.Tree()->IsTopLevel(unit);
}

App::App(storage::Store& store, const Clock& clock, AppOptions options)
    : store_(store),
      clock_(clock),
      options_(std::move(options)),
      units_(store, clock),
      hierarchy_(units_),
      accounts_(store, clock, hierarchy_),
      catalog_(store, clock),
      access_log_(store, clock) {}

Result<std::unique_ptr<App>> App::Create(storage::Store& store, const Clock& clock,
                                         AppOptions options) {
  int have = MOTCUA_TRY(store.SchemaVersion());
  if (have != store.LatestSchemaVersion())
    return Fail(Code::kFailedPrecondition, "the database schema is at version " +
                                               std::to_string(have) + ", this motcua needs " +
                                               std::to_string(store.LatestSchemaVersion()) +
                                               ": run 'motcua migrate' first");
  std::unique_ptr<App> app(new App(store, clock, std::move(options)));
  MOTCUA_TRY_VOID(app->units_.Reload());
  MOTCUA_TRY_VOID(app->catalog_.Reload());
  const std::string& data_dir = app->options_.data_dir;
  if (data_dir.empty()) return InvalidField("data-dir", "is required");
  app->holiday_tables_ = MOTCUA_TRY(ReadHolidayTables(data_dir + "/holidays"));
  app->calendar_ =
      MOTCUA_TRY(LoadWorkingCalendar(app->holiday_tables_, app->options_.office_hours));
  MOTCUA_TRY_VOID(LoadWorkflows(data_dir, app->workflows_));
  {
    Forms forms = MOTCUA_TRY(LoadForms(data_dir));
    app->forms_ = std::move(forms.layout);
    app->fonts_ = std::move(forms.fonts);
    if (!app->options_.public_url.empty()) app->forms_.portal = app->options_.public_url;
    if (app->forms_.portal.empty()) {
      app->forms_.portal = app->options_.fallback_public_url;
      app->public_url_defaulted_ = true;
    }
  }
  {
    std::string known;
    for (const workflow::Workflow* w : app->workflows_.Latest()) {
      if (!known.empty()) known += ", ";
      known += w->code();
    }
    const workflow::Registry* registry = &app->workflows_;
    app->catalog_.RequireKnownWorkflows(
        [registry](std::string_view code) { return registry->Latest(code) != nullptr; },
        std::move(known));
  }
  // A procedure whose workflow is missing cannot take dossiers (Submit says
  // so), but must not keep the whole province from starting.
  if (auto st = app->CheckCatalogWorkflows(); !st)
    log::Warn("catalogue", {{"problem", st.error().message}});

  app->dossiers_ = std::make_unique<dossiers::DossierService>(
      store, clock, *app->calendar_, app->catalog_, app->workflows_, app->units_, app->hierarchy_,
      app->access_log_, SystemRandom, app->options_.dossier_options);
  std::string attachments_dir = app->options_.attachments_dir.empty()
                                    ? data_dir + "/attachments"
                                    : app->options_.attachments_dir;
  auto key = app->options_.attachment_key
                 ? *app->options_.attachment_key
                 : MOTCUA_TRY(attachments::LoadAttachmentKey(
                       attachments_dir, std::getenv(attachments::kKeyEnvironmentVariable.data())));
  dossiers::DossierService* dossier_service = app->dossiers_.get();
  app->attachments_ = std::make_unique<attachments::AttachmentStore>(
      store, clock, attachments_dir, std::move(key), attachments::Limits{},
      [dossier_service](const accounts::Principal& who, std::int64_t dossier_id,
                        const audit::ReadContext& context) {
        return dossier_service->MayReadFiles(who, dossier_id, context);
      });

  auto trust = MOTCUA_TRY(LoadTrustList(
      app->options_.trust_dir.empty() ? data_dir + "/keys/trusted-ca" : app->options_.trust_dir));
  app->results_ = std::make_unique<results::ResultService>(
      store, clock, *app->dossiers_, *app->attachments_, app->catalog_, app->access_log_,
      app->fonts_, app->forms_, std::move(trust), SystemRandom);
  // Live statistics: counted from every dossier when serving starts (or at
  // the first question), then from each change.
  app->stats_ = std::make_unique<stats::StatsService>(store, clock, app->catalog_, *app->calendar_,
                                                      app->units_, app->workflows_,
                                                      MOTCUA_TRY(LoadIndexDefinition(data_dir)));
  stats::StatsService* statistics = app->stats_.get();
  app->dossiers_->AddChangeListener(
      [statistics](std::int64_t id, const std::string&) { statistics->Changed(id); });
  // The integration spine: what each event owes the outside systems is
  // written with it (the derivations), and delivered by the workers.
  app->exchange_key_ = MOTCUA_TRY(integrations::ExchangeKey::LoadOrCreate(
      app->options_.exchange_key.empty() ? integrations::ExchangeKeyPath(attachments_dir)
                                         : std::filesystem::path(app->options_.exchange_key)));
  app->delivery_ =
      std::make_unique<integrations::DeliveryService>(store, clock, *app->exchange_key_);
  const bool national_sync = !app->options_.dvcqg_url.empty();
  if (national_sync) {
    integrations::dvcqg::Config config{
        .url = app->options_.dvcqg_url,
        .username = app->options_.dvcqg_username,
        .password = app->options_.dvcqg_password,
        .madonvi = app->options_.dvcqg_madonvi,
        .mapping =
            MOTCUA_TRY(integrations::dvcqg::LoadMapping(data_dir + "/integrations/dvcqg.json")),
        .timeout = app->options_.dvcqg_timeout};
    config.policy.first_delay = app->options_.dvcqg_first_retry;
    catalog::CatalogService* catalog = &app->catalog_;
    units::UnitService* units = &app->units_;
    app->delivery_->Add(std::make_unique<integrations::dvcqg::Adapter>(
        store, clock, std::move(config),
        integrations::dvcqg::Directory{[catalog] { return catalog->Snapshot(); },
                                       [units] { return units->Tree(); }, &app->workflows_},
        [statistics](std::int64_t id) { statistics->Changed(id); }));
  }
  // Notifications: each channel whose provider is configured is a
  // destination; the words are data.
  namespace notify = integrations::notify;
  const AppOptions& o = app->options_;
  notify::Deployment notices;
  std::vector<std::string> channels;
  const std::string stop_key_file =
      (std::filesystem::path(integrations::ExchangeKeyPath(attachments_dir)).parent_path() /
       "notification-stop.key")
          .string();
  notices.stop_key = MOTCUA_TRY(notify::LoadOrCreateStopKey(stop_key_file));
  if (!o.smtp_url.empty() || !o.sms_url.empty() || !o.zalo_url.empty()) {
    auto templates = std::make_shared<const notify::Templates>(
        MOTCUA_TRY(notify::LoadTemplates(data_dir + "/notifications/templates.json")));
    auto policy = notify::kNoticePolicy;
    policy.first_delay = std::chrono::duration_cast<Micros>(o.notify_first_retry);
    if (!o.smtp_url.empty()) {
      app->delivery_->Add(notify::MakeEmailAdapter({.url = o.smtp_url,
                                                    .from = o.smtp_from,
                                                    .username = o.smtp_username,
                                                    .password = o.smtp_password,
                                                    .policy = policy},
                                                   templates));
      notices.email = true;
      channels.push_back("email");
    }
    if (!o.zalo_url.empty()) {
      app->delivery_->Add(notify::MakeZaloAdapter({.url = o.zalo_url,
                                                   .access_token = o.zalo_access_token,
                                                   .sms_fallback = !o.sms_url.empty(),
                                                   .policy = policy},
                                                  templates));
      notices.phone_destination = std::string(notify::kZalo);
      notices.sms_fallback = !o.sms_url.empty();
      channels.push_back("zalo");
    }
    if (!o.sms_url.empty()) {
      app->delivery_->Add(notify::MakeSmsAdapter(
          {.url = o.sms_url, .token = o.sms_token, .brandname = o.sms_brandname, .policy = policy},
          templates));
      if (notices.phone_destination.empty()) notices.phone_destination = std::string(notify::kSms);
      channels.push_back("sms");
    }
    catalog::CatalogService* catalog = &app->catalog_;
    units::UnitService* units = &app->units_;
    notices.public_url = app->forms_.portal;
    notices.quiet_from = o.quiet_from;
    notices.quiet_to = o.quiet_to;
    notices.procedure_name = [catalog](const storage::dossiers::DossierRow& row) {
      const auto snapshot = catalog->Snapshot();
      if (const auto* p =
              dossiers::FindVersionById(*snapshot, row.procedure_code, row.procedure_id))
        return p->name;
      return row.procedure_code;
    };
    notices.unit_name = [units](std::int64_t id) {
      const auto tree = units->Tree();
      const auto* u = tree->Find(id);
      return u ? u->name : std::string();
    };
  }
  const bool digests = notices.email;
  app->derivations_ = std::make_unique<integrations::OutboxDerivations>(
      integrations::OutboxDerivations::Options{.national_sync = national_sync, .notices = notices});
  app->dossiers_->SetEventSink(app->derivations_.get());
  integrations::DeliveryService* delivery = app->delivery_.get();
  app->dossiers_->AddChangeListener(
      [delivery](std::int64_t, const std::string&) { delivery->Kick(); });
  app->results_->OnSigned([statistics, delivery](std::int64_t id) {
    statistics->Changed(id);
    delivery->Kick();
  });
  AddDeliveryMetrics(app->metrics_, store, *app->delivery_);
  if (digests)
    app->digests_ = std::make_unique<notify::DigestScheduler>(
        store, clock, *app->calendar_, *app->dossiers_, app->forms_.portal,
        [delivery] { delivery->Kick(); },
        std::chrono::duration_cast<Micros>(app->options_.digest_every));

  http::RegisterSystemRoutes(app->router_, app->metrics_);
  // Dossiers filed on the national portal, pushed here: created by the
  // portal's system account, which exists once the push is configured.
  std::int64_t portal_account = 0;
  if (!app->options_.dvcqg_inbound_token.empty())
    portal_account = MOTCUA_TRY(integrations::dvcqg::EnsureSystemAccount(store, clock));
  app->inbound_ = std::make_unique<integrations::dvcqg::Inbound>(
      store, clock, *app->exchange_key_, *app->dossiers_, *app->attachments_, app->units_,
      app->options_.dvcqg_inbound_token, portal_account);
  RegisterIntegrationRoutes(app->router_, store, clock, *app->delivery_, *app->inbound_);
  RegisterNotificationRoutes(app->router_, store, clock, *app->dossiers_,
                             {.channels = std::move(channels), .stop_key = notices.stop_key});
  http::RegisterCalendarRoutes(app->router_, *app->calendar_, app->holiday_tables_, clock);
  http::RegisterUnitRoutes(app->router_, app->units_);
  http::RegisterAccountRoutes(app->router_, app->accounts_, app->hierarchy_);
  http::RegisterProcedureRoutes(app->router_, app->catalog_);
  http::RegisterAttachmentRoutes(app->router_, *app->attachments_);
  http::RegisterDossierRoutes(app->router_, *app->dossiers_, app->workflows_, clock);
  http::RegisterDocumentRoutes(app->router_, *app->dossiers_, app->catalog_, app->units_,
                               app->workflows_, app->fonts_, app->forms_, clock);
  http::RegisterStatsRoutes(app->router_, *app->stats_, app->hierarchy_);
  http::RegisterResultRoutes(app->router_, *app->results_, *app->dossiers_, app->units_,
                             app->fonts_, app->forms_, clock);

  // Database time and volume, sampled when /metrics is scraped.
  storage::Store* s = &store;
  auto& m = app->metrics_;
  m.AddCallbackCounter("motcua_db_reads_total", "Read transactions run.",
                       [s] { return static_cast<double>(s->Stats().reads); });
  m.AddCallbackCounter("motcua_db_writes_total", "Write callbacks run.",
                       [s] { return static_cast<double>(s->Stats().writes); });
  m.AddCallbackCounter("motcua_db_commits_total", "Group commits.",
                       [s] { return static_cast<double>(s->Stats().commits); });
  m.AddCallbackCounter("motcua_db_write_errors_total", "Write callbacks that failed.",
                       [s] { return static_cast<double>(s->Stats().write_errors); });
  m.AddCallbackCounter("motcua_db_read_seconds_total", "Time inside read transactions.",
                       [s] { return s->Stats().read_micros / 1e6; });
  m.AddCallbackCounter("motcua_db_write_seconds_total", "Time running write callbacks.",
                       [s] { return s->Stats().write_micros / 1e6; });
  m.AddCallbackCounter("motcua_db_commit_seconds_total", "Time in COMMIT (fsync).",
                       [s] { return s->Stats().commit_micros / 1e6; });
  m.AddCallbackGauge(
      "motcua_db_engine_heap_bytes",
      "Memory the database library holds in this process, mostly page caches (SQLite; 0 on "
      "PostgreSQL).",
      [s] { return static_cast<double>(s->Stats().engine_heap_bytes); });

  if (!app->options_.web_dir.empty() && std::filesystem::is_directory(app->options_.web_dir)) {
    // Every page and file of the front end: the citizen portal at /, the
    // staff workspace at /can-bo/ (docs/web.md).
    app->router_.SetFallback(http::StaticFiles(app->options_.web_dir));
  }
  return app;
}

Status App::CheckCatalogWorkflows() const {
  auto snapshot = catalog_.Snapshot();
  for (const auto& p : snapshot->All()) {
    if (workflows_.Latest(p.workflow_code) == nullptr)
      return Fail(Code::kFailedPrecondition,
                  "procedure " + p.code + " v" + std::to_string(p.version) + " names workflow '" +
                      p.workflow_code + "', which is not in " + options_.data_dir + "/workflows");
  }
  return {};
}

http::Handler App::Handler() {
  return http::BuildPipeline(router_, {http::MakeAuthMiddleware(accounts_)}, metrics_);
}

}  // namespace motcua::app
