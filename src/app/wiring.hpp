// Builds a running motcua from a Store: services, routes, pipeline. Shared by
// `motcua serve` and the end-to-end tests, so the tests exercise exactly the
// routes and middleware the binary serves.
#pragma once

#include <memory>
#include <string>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "core/accounts/principal.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "services/accounts/account_service.hpp"
#include "services/units/unit_service.hpp"
#include "storage/store.hpp"

namespace motcua::app {

// The units tree as the accounts service sees it: always the latest
// snapshot of the UnitService, so role checks follow unit changes at once.
class LiveUnitHierarchy final : public accounts::UnitHierarchy {
 public:
  explicit LiveUnitHierarchy(const units::UnitService& units) : units_(units) {}
  bool IsSameOrBelow(std::int64_t unit, std::int64_t ancestor) const override;

 private:
  const units::UnitService& units_;
};

struct AppOptions {
  std::string web_dir;  // built front end; served at / when the folder exists
};

// Everything behind the HTTP server. Owns the services and the router; the
// Store and the Clock must outlive it.
class App {
 public:
  // Loads the units snapshot; fails if the schema is not current (the
  // message says to run `motcua migrate`) or the store cannot be read.
  static Result<std::unique_ptr<App>> Create(storage::Store& store, const Clock& clock,
                                             AppOptions options);

  // The root handler for http::Server: router, auth, metrics, access log.
  http::Handler Handler();

  const http::Router& router() const { return router_; }
  http::Metrics& metrics() { return metrics_; }
  units::UnitService& units() { return units_; }
  accounts::AccountService& accounts() { return accounts_; }

 private:
  App(storage::Store& store, const Clock& clock, AppOptions options);

  storage::Store& store_;
  AppOptions options_;
  units::UnitService units_;
  LiveUnitHierarchy hierarchy_;
  accounts::AccountService accounts_;
  http::Metrics metrics_;
  http::Router router_;
};

}  // namespace motcua::app
