// Builds a running motcua from a Store: services, routes, pipeline. Shared by
// `motcua serve` and the end-to-end tests, so the tests exercise exactly the
// routes and middleware the binary serves.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "core/accounts/principal.hpp"
#include "core/calendar/working_time.hpp"
#include "core/workflow/registry.hpp"
#include "documents/pdf.hpp"
#include "documents/receipt.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "integrations/delivery.hpp"
#include "integrations/dossier_sink.hpp"
#include "integrations/dvcqg/inbound.hpp"
#include "integrations/exchange_log.hpp"
#include "integrations/notify/digest.hpp"
#include "services/accounts/account_service.hpp"
#include "services/attachments/attachment_store.hpp"
#include "services/audit/access_log.hpp"
#include "services/catalog/catalog_service.hpp"
#include "services/dossiers/dossier_service.hpp"
#include "services/results/result_service.hpp"
#include "services/stats/stats_service.hpp"
#include "services/units/unit_service.hpp"
#include "storage/store.hpp"

namespace motcua::app {

// The units tree as the accounts service sees it: always the latest
// snapshot of the UnitService, so role checks follow unit changes at once.
class LiveUnitHierarchy final : public accounts::UnitHierarchy {
 public:
  explicit LiveUnitHierarchy(const units::UnitService& units) : units_(units) {}
  bool IsSameOrBelow(std::int64_t unit, std::int64_t ancestor) const override;
  bool IsTopLevel(std::int64_t unit) const override;

 private:
  const units::UnitService& units_;
};

struct AppOptions {
  std::string web_dir;  // built front end; served at / when the folder exists
  // The law-as-data folder: holidays/*.toml and workflows/*.json. Required.
  std::string data_dir = "data";
  // Encrypted attachments; empty: DATA_DIR/attachments. Its key lives in
  // ../keys/attachments.key beside it unless MOTCUA_ATTACHMENT_KEY is set.
  std::string attachments_dir;
  // The attachments' key, when the caller loaded it (motcua restore, backup:
  // no key file is created beside a backup); else as said above.
  std::optional<attachments::AttachmentKey> attachment_key;
  std::string office_hours;  // "07:30-11:30,13:30-17:00" when empty
  // The CAs whose certificates may sign results: every *.pem here; empty:
  // DATA_DIR/keys/trusted-ca (`motcua demo` puts its demo CA there). No
  // folder, no signing: the sign route says so.
  std::string trust_dir;
  // The address citizens reach motcua at ("https://dichvucong.example.gov.vn"),
  // for the links and QR codes on receipts and results; empty: the forms
  // file's portal, else `fallback_public_url`. Never the request's Host
  // header, which the client writes.
  std::string public_url;
  std::string fallback_public_url = "http://127.0.0.1:8080";
  // The submission limits and the rest of the dossier service's settings
  // (`motcua serve --submission-limits`; benchmarks lift them).
  dossiers::DossierOptions dossier_options;
  // The national portal's sync adapter (docs/integrations.md); an empty url
  // syncs nothing and owes nothing. Its field mapping is
  // DATA_DIR/integrations/dvcqg.json.
  std::string dvcqg_url;
  std::string dvcqg_username;
  std::string dvcqg_password;
  std::string dvcqg_madonvi;
  std::chrono::milliseconds dvcqg_timeout{20000};     // one call's longest wait
  std::chrono::milliseconds dvcqg_first_retry{5000};  // the backoff's first delay
  // The token the national portal presents when it pushes a dossier filed
  // there (integrations/dvcqg/inbound.hpp); empty: no push is taken.
  std::string dvcqg_inbound_token;
  // The exchange log's signing key; empty: ../keys/exchange-log.pem beside
  // the attachments (integrations/exchange_log.hpp).
  std::string exchange_key;
  // Notifications (integrations/notify/): each channel is on when its
  // address is given. The words are DATA_DIR/notifications/templates.json.
  std::string smtp_url;   // smtp://relay:587 (STARTTLS when offered), smtps://relay:465
  std::string smtp_from;  // "Một cửa tỉnh <no-reply@example.gov.vn>"
  std::string smtp_username, smtp_password;
  std::string sms_url, sms_token, sms_brandname;
  std::string zalo_url, zalo_access_token;
  // The first delay before a failed notice is tried again (tests shorten it).
  std::chrono::milliseconds notify_first_retry{30000};
  // Texts to the phone are held from the first hour to the second (Vietnam's
  // time); equal: never held.
  int quiet_from = 21, quiet_to = 7;
  // The officers' daily digest is checked this often (from 07:00 on working days).
  std::chrono::milliseconds digest_every{600000};
};

// Everything behind the HTTP server. Owns the services and the router; the
// Store and the Clock must outlive it.
class App {
 public:
  // Whether the public address is the fallback (neither configured nor in
  // the forms file): `motcua serve` refuses that unless it listens on loopback.
  bool public_url_defaulted() const { return public_url_defaulted_; }
  // Loads the units and catalogue snapshots, the holiday tables and the
  // workflows; fails if the schema is not current (the message says to run
  // `motcua migrate`), the store cannot be read, or a data file is wrong
  // (the message names the file), or a procedure names a workflow that is
  // not loaded.
  static Result<std::unique_ptr<App>> Create(storage::Store& store, const Clock& clock,
                                             AppOptions options);

  // The root handler for http::Server: router, auth, metrics, access log.
  http::Handler Handler();

  const http::Router& router() const { return router_; }
  http::Metrics& metrics() { return metrics_; }
  units::UnitService& units() { return units_; }
  accounts::AccountService& accounts() { return accounts_; }
  const accounts::UnitHierarchy& hierarchy() const { return hierarchy_; }
  catalog::CatalogService& catalog() { return catalog_; }
  const workflow::Registry& workflows() const { return workflows_; }
  const calendar::WorkingCalendar& calendar() const { return *calendar_; }
  dossiers::DossierService& dossiers() { return *dossiers_; }
  attachments::AttachmentStore& attachments() { return *attachments_; }
  results::ResultService& results() { return *results_; }
  stats::StatsService& statistics() { return *stats_; }
  audit::AccessLog& access_log() { return access_log_; }
  // The delivery workers: started by StartDelivery (serve), stopped by
  // StopDelivery or the destructor, before the services they read.
  integrations::DeliveryService& delivery() { return *delivery_; }
  const integrations::ExchangeKey& exchange_key() const { return *exchange_key_; }
  void StartDelivery() {
    delivery_->Start();
    if (digests_) digests_->Start();
  }
  void StopDelivery() {
    if (digests_) digests_->Stop();
    delivery_->Stop();
  }

 private:
  App(storage::Store& store, const Clock& clock, AppOptions options);
  Status CheckCatalogWorkflows() const;

  storage::Store& store_;
  const Clock& clock_;
  AppOptions options_;
  units::UnitService units_;
  LiveUnitHierarchy hierarchy_;
  accounts::AccountService accounts_;
  catalog::CatalogService catalog_;
  workflow::Registry workflows_;
  std::vector<calendar::TableFile> holiday_tables_;  // as loaded, for the administrators' editor
  documents::FormLayout forms_;                      // the printed forms' words (data/documents)
  bool public_url_defaulted_ = false;
  std::shared_ptr<const documents::Fonts> fonts_;
  std::unique_ptr<calendar::WorkingCalendar> calendar_;
  audit::AccessLog access_log_;
  std::unique_ptr<dossiers::DossierService> dossiers_;
  std::unique_ptr<attachments::AttachmentStore> attachments_;
  std::unique_ptr<results::ResultService> results_;
  std::unique_ptr<stats::StatsService> stats_;
  std::optional<integrations::ExchangeKey> exchange_key_;
  std::unique_ptr<integrations::OutboxDerivations> derivations_;
  std::unique_ptr<integrations::dvcqg::Inbound> inbound_;
  http::Metrics metrics_;
  http::Router router_;
  // Last: destroyed (stopped) first, while what it reads still exists.
  std::unique_ptr<integrations::DeliveryService> delivery_;
  std::unique_ptr<integrations::notify::DigestScheduler> digests_;  // with e-mail only
};

}  // namespace motcua::app
