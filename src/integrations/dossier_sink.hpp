// The integration spine's side of the dossier events (services/dossiers/
// event_sink.hpp): which events owe which destination what, written to the
// outbox (outbox.hpp) in the event's own transaction.
//
// Thread safety: OnDossierEvent runs on the store's writer, inside a write
// callback; it only writes through the Tx and reads its immutable options.
#pragma once

#include <string_view>

#include "integrations/notify/notices.hpp"
#include "services/dossiers/event_sink.hpp"

namespace motcua::integrations {

// The rules of this deployment: which events owe which destination what.
// - "dvcqg" (the national portal), when enabled: every event that changes
//   what the portal holds of a dossier (its record, its status, dates,
//   history, result) owes a "dossier_sync": the adapter sends the dossier's
//   state as it is when the message leaves (dvcqg/adapter.hpp). Not owed:
//   a rating (the portal's ratings service is unconfirmed), a draft of the
//   result, and the portal's own acknowledgement.
// - "email", "sms", "zalo", when configured: the notices the citizen is owed
//   (notify/notices.hpp has the rules and the channels).
class OutboxDerivations final : public dossiers::DossierEventSink {
 public:
  struct Options {
    bool national_sync = false;
    notify::Deployment notices;  // no channel configured: none is owed
  };
  explicit OutboxDerivations(Options options) : options_(std::move(options)) {}

  Status OnDossierEvent(storage::Tx& tx, const storage::dossiers::DossierRow& row,
                        const events::Event& event) override;

  // Whether an event of `action` owes the national portal a sync.
  static bool OwesNationalSync(std::string_view action);

 private:
  Options options_;
};

}  // namespace motcua::integrations
