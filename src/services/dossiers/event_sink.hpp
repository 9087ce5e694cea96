// What the dossier use cases tell whoever derives work from their events
// (the integration spine's outbox, src/integrations/dossier_sink.hpp): every
// event they append, inside the transaction that appends it, so that what is
// derived commits with the event or not at all.
//
// Thread safety: OnDossierEvent runs on the store's writer, inside a write
// callback; it must only write through the Tx and read immutable state.
// Errors it returns fail the whole transaction (the event is not written).
#pragma once

#include "common/result.hpp"
#include "core/events/event.hpp"
#include "storage/dossiers_repo.hpp"
#include "storage/store.hpp"

namespace motcua::dossiers {

class DossierEventSink {
 public:
  virtual ~DossierEventSink() = default;
  // `row` is the dossier as the event leaves it; `event` as stored (seq set).
  virtual Status OnDossierEvent(storage::Tx& tx, const storage::dossiers::DossierRow& row,
                                const events::Event& event) = 0;
};

}  // namespace motcua::dossiers
