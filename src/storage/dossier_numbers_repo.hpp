// Dossier numbers from the per-agency, per-day counters of migration
// 0004_events.sql (table dossier_number_counters).
//
// The counter is upserted inside the caller's write callback, in the
// transaction that inserts the dossier: if that callback fails, its savepoint
// rolls the counter back and the next dossier gets the same number. Since
// SQLite runs write callbacks one at a time on its writer thread, numbers are
// unique and gapless (1..N per agency and day) under any concurrency.
//
// Thread safety: as the Tx (one thread, inside the callback).
#pragma once

#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "storage/store.hpp"

namespace motcua::storage::dossier_numbers {

// Takes the next number of `agency_code` on the Vietnamese date of
// `received_at` (UTC+7: 23:30 UTC on the 13th numbers under the 14th) and
// returns it formatted ("000.00.21.H12-250314-0007"). Errors: kInvalidArgument
// for a malformed agency code or a date outside 2000–2099; kResourceExhausted
// past 9,999,999 dossiers in one agency's day (the increment is undone when
// the callback returns the error, as it should); those of Tx.
[[nodiscard]] Result<std::string> NextDossierNumber(Tx& tx, std::string_view agency_code,
                                                    TimePoint received_at);

}  // namespace motcua::storage::dossier_numbers
