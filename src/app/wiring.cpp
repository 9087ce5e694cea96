#include "app/wiring.hpp"

#include <filesystem>

#include "http/auth.hpp"
#include "http/handlers/accounts.hpp"
#include "http/handlers/units.hpp"
#include "http/pipeline.hpp"
#include "http/static_files.hpp"
#include "http/system_routes.hpp"

namespace motcua::app {

bool LiveUnitHierarchy::IsSameOrBelow(std::int64_t unit, std::int64_t ancestor) const {
  return units_.Tree()->IsSameOrBelow(unit, ancestor);
}

App::App(storage::Store& store, const Clock& clock, AppOptions options)
    : store_(store),
      options_(std::move(options)),
      units_(store, clock),
      hierarchy_(units_),
      accounts_(store, clock, hierarchy_) {}

Result<std::unique_ptr<App>> App::Create(storage::Store& store, const Clock& clock,
                                         AppOptions options) {
  int have = MOTCUA_TRY(store.SchemaVersion());
  if (have != store.LatestSchemaVersion())
    return Fail(Code::kFailedPrecondition,
                "the database schema is at version " + std::to_string(have) + ", this motcua needs " +
                    std::to_string(store.LatestSchemaVersion()) + ": run 'motcua migrate' first");
  std::unique_ptr<App> app(new App(store, clock, std::move(options)));
  MOTCUA_TRY_VOID(app->units_.Reload());

  http::RegisterSystemRoutes(app->router_, app->metrics_);
  http::RegisterUnitRoutes(app->router_, app->units_);
  http::RegisterAccountRoutes(app->router_, app->accounts_, app->hierarchy_);

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

  if (!app->options_.web_dir.empty() && std::filesystem::is_directory(app->options_.web_dir)) {
    auto files = http::StaticFiles(app->options_.web_dir);
    app->router_.Add("GET", "/", files);
    app->router_.Add("GET", "/assets/{file}", files);
  }
  return app;
}

http::Handler App::Handler() {
  return http::BuildPipeline(router_, {http::MakeAuthMiddleware(accounts_)}, metrics_);
}

}  // namespace motcua::app
