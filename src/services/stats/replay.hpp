// The statistics' facts about a dossier from its history alone: the event
// log replayed through the workflow and the clock rules that wrote the
// dossier's row (DESIGN.md: the log is the truth, tables are projections).
//
// What each fact comes from:
// - "submit": the receiving unit, the channel, the procedure version, the
//   workflow version, the submission time and the files handed in;
// - each workflow action: its transition (the workflow's, by state and
//   action), applied with dossier::AdvanceClock at the event's time: the
//   clock's start, the appointment, pauses, the end and its timeliness, the
//   return; and files handed in later (supplements);
// - "apology": the new appointment;
// - "result_signed": an electronic result; "rated": the citizen's rating;
// - "national_synced": the national portal acknowledged its record (synced).
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "core/calendar/working_time.hpp"
#include "core/catalog/catalog.hpp"
#include "core/events/event.hpp"
#include "core/workflow/registry.hpp"
#include "storage/stats_repo.hpp"

namespace motcua::stats {

// The row of one dossier from its events (ascending seq, all of the same
// dossier). Errors: kInternal naming the event (by seq) that cannot be
// replayed: no "submit" first, a workflow or procedure version not loaded,
// an action the workflow does not have in that state, or states that do not
// follow one another.
[[nodiscard]] Result<storage::stats::DossierStatRow> ReplayDossier(
    std::span<const events::Event> history, const workflow::Registry& workflows,
    const catalog::Catalog& catalog, const calendar::WorkingCalendar& calendar);

// The facts on which `table` (the dossier table's row) and `history` (its
// replay) disagree, as "finished_at: table 2026-12-03T09:00:00Z, history
// none"; empty when they agree.
std::vector<std::string> Differences(const storage::stats::DossierStatRow& table,
                                     const storage::stats::DossierStatRow& history);

}  // namespace motcua::stats
