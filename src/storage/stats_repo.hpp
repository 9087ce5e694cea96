// What the statistics read of a dossier (services/stats): its row's times
// and outcome, whether the applicant's documents came as files, whether it
// has a signed result, its rating, and whether the national portal has
// acknowledged its record (national_sync, migration 0012); one dossier, or
// all of them by id for a rebuild.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "storage/store.hpp"

namespace motcua::storage::stats {

struct DossierStatRow {
  std::int64_t id = 0;
  std::int64_t receiving_unit_id = 0;
  int channel = 2;
  std::string procedure_code;
  std::int64_t procedure_id = 0;
  int national_status = 1;
  TimePoint submitted_at{};
  std::optional<TimePoint> clock_start;
  std::optional<TimePoint> due_at;  // the appointment in force (an apology's, else the first)
  std::string clock = "stopped";    // its state's clock: running, paused or stopped
  std::optional<TimePoint> finished_at;
  std::optional<TimePoint> returned_at;
  std::optional<std::string> timeliness;
  std::int64_t paused_micros = 0;
  bool digitised = false;
  bool electronic_result = false;
  bool synced = false;  // the national portal acknowledged its record (once, for good)
  std::optional<TimePoint> rated_at;  // the citizen's rating, if any
  int rating_level = 0;               // 1 not satisfied, 2 satisfied, 3 very satisfied
};

[[nodiscard]] Result<std::optional<DossierStatRow>> FindDossier(Tx& tx, std::int64_t id);
// The dossiers with ids in (after_id, up_to_id], by id.
[[nodiscard]] Result<std::vector<DossierStatRow>> ListDossiersOfIds(Tx& tx, std::int64_t after_id,
                                                                    std::int64_t up_to_id);
// The highest dossier id (0 with none).
[[nodiscard]] Result<std::int64_t> MaxDossierId(Tx& tx);

// The highest event seq (0 with none): the mark a snapshot is taken at.
[[nodiscard]] Result<std::int64_t> LastEventSeq(Tx& tx);
// The dossiers with an event of seq in (after, up_to], ascending.
[[nodiscard]] Result<std::vector<std::int64_t>> DossiersChangedBetween(Tx& tx, std::int64_t after,
                                                                       std::int64_t up_to);

// The statistics' saved facts (migration 0010_stats_snapshots says what they are).
struct SnapshotHeader {
  std::int64_t generation = 0;
  std::string basis;
  std::int64_t last_event_seq = 0;
  std::int64_t dossiers = 0;
  int parts = 0;
  TimePoint taken_at{};
};
// The newest complete snapshot, if any.
[[nodiscard]] Result<std::optional<SnapshotHeader>> LatestSnapshot(Tx& tx);
// Part `part` of snapshot `generation`; kNotFound if it has none.
[[nodiscard]] Result<std::string> SnapshotPart(Tx& tx, std::int64_t generation, int part);
// Starts a snapshot (not complete, so never read) and returns its generation.
[[nodiscard]] Result<std::int64_t> BeginSnapshot(Tx& tx, const SnapshotHeader& header);
[[nodiscard]] Status PutSnapshotPart(Tx& tx, std::int64_t generation, int part,
                                     const std::string& data);
// Makes snapshot `generation` the one read, and deletes every other.
[[nodiscard]] Status CompleteSnapshot(Tx& tx, std::int64_t generation);
// Deletes every snapshot (after writing dossier rows without their events).
[[nodiscard]] Status DeleteSnapshots(Tx& tx);

}  // namespace motcua::storage::stats
