#include "integrations/dossier_sink.hpp"

#include "integrations/outbox.hpp"

namespace motcua::integrations {

bool OutboxDerivations::OwesNationalSync(std::string_view action) {
  return action != "rated" && action != "result_drafted" && action != "national_synced";
}

Status OutboxDerivations::OnDossierEvent(storage::Tx& tx, const storage::dossiers::DossierRow& row,
                                         const events::Event& event) {
  if (options_.national_sync && OwesNationalSync(event.action)) {
    MOTCUA_TRY_VOID(
        Enqueue(tx,
                NewMessage{"dvcqg", "dossier_sync", "dossier:" + std::to_string(row.id), row.id,
                           event.seq, "{}", "dvcqg:dossier_sync:" + std::to_string(event.seq),
                           /*coalesce=*/true},
                event.occurred_at));
  }
  return notify::Derive(tx, options_.notices, row, event);
}

}  // namespace motcua::integrations
