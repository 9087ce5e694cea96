// The national portal (Cổng Dịch vụ công quốc gia) as a destination of the
// spine: every "dossier_sync" message sends the dossier's record as it is
// when the message leaves (DongBoHoSoMC) and the history rows the portal
// has not acknowledged yet (CapNhatTienDoHoSoMC, in chunks), through the
// portal's session-based JSON adapter (INTEGRATIONS.md 1.1):
//   POST {url}/auth {username, password} -> {error_code: "0", session};
//   POST {url}/integration {session, madonvi, service, ...}.
// A sync carries the whole state, so it also covers the older pending
// messages of its dossier (they are marked delivered with it).
//
// The first send of a dossier is a create (isUpdating "False"), later ones
// updates. A create the portal refuses may be one whose acknowledgement was
// lost: the adapter then looks the code up (TraCuuHoSo) and, when the portal
// has it, sends an update instead; it never reads the message text. What
// the portal acknowledged is recorded with the attempt, whatever the rest of
// the attempt did: the table national_sync (the first acknowledgement also
// appends the dossier event "national_synced", which the 766 index counts).
//
// Answers: no answer, a timeout, HTTP 5xx, 408, 429, or a body that is not
// the adapter's JSON: tried again later. An expired session: one new login
// and the call again. Any other error code: the portal refused the record
// (a field it rejects): dead, with its message, for an administrator.
//
// Thread safety: Deliver from several sender threads at once; the session
// is shared under a mutex.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/catalog/catalog.hpp"
#include "core/units/unit_tree.hpp"
#include "core/workflow/registry.hpp"
#include "integrations/delivery.hpp"
#include "integrations/dvcqg/mapping.hpp"
#include "storage/store.hpp"

namespace motcua::integrations::dvcqg {

inline constexpr std::string_view kDestination = "dvcqg";

struct Config {
  std::string url;  // the adapter's base, "https://.../adapter"
  std::string username;
  std::string password;
  std::string madonvi;  // the province's identifier code at the portal
  Mapping mapping;
  std::chrono::seconds session_ttl{300};
  std::chrono::milliseconds timeout{20000};
  RetryPolicy policy{.max_attempts = 40,  // about a day and a half at the cap
                     .first_delay = std::chrono::seconds(5),
                     .max_delay = std::chrono::hours(1)};
  int concurrency = 4;
};

// What the adapter reads of the rest of motcua (the services' snapshots).
struct Directory {
  std::function<std::shared_ptr<const catalog::Catalog>()> catalog;
  std::function<std::shared_ptr<const units::UnitTree>()> units;
  const workflow::Registry* workflows = nullptr;
};

// The portal lost dossier `dossier_id` (an operator's `motcua outbox
// replay`): what it acknowledged is forgotten, so that the next sync sends
// the record as a create (an update if the portal turns out to hold it)
// and every history row again. The first acknowledgement's time and event
// stay: the dossier was synced. Errors: those of Tx.
Status ForgetAcknowledgements(storage::Tx& tx, std::int64_t dossier_id);

class Adapter final : public integrations::Adapter {
 public:
  // `on_first_ack(dossier_id)` runs after the commit that recorded a
  // dossier's first acknowledgement (the statistics count it).
  Adapter(storage::Store& store, const Clock& clock, Config config, Directory directory,
          std::function<void(std::int64_t)> on_first_ack = {});

  std::string_view destination() const override { return kDestination; }
  RetryPolicy policy() const override { return config_.policy; }
  int concurrency() const override { return config_.concurrency; }
  Attempt Deliver(const Message& message, HttpClient& client) override;
  void Settled(const Message& message, const Attempt& attempt) override;

 private:
  struct Answer;
  Answer Call(HttpClient& client, Attempt& attempt, std::string_view service,
              boost::json::object body, const std::string& key);
  std::optional<std::string> Session(HttpClient& client, Attempt& attempt, bool renew);

  storage::Store& store_;
  const Clock& clock_;
  Config config_;
  Directory directory_;
  std::function<void(std::int64_t)> on_first_ack_;
  std::mutex session_mu_;
  std::string session_;
  std::chrono::steady_clock::time_point session_at_{};
};

}  // namespace motcua::integrations::dvcqg
