#include "storage/stats_repo.hpp"

#include "storage/accounts_repo.hpp"

namespace motcua::storage::stats {
namespace {

using storage::accounts::FormatTime;
using storage::accounts::ParseTime;

const std::string kSelect =
    "SELECT d.id, d.receiving_unit_id, d.channel, d.procedure_code, d.procedure_id, "
    "d.national_status, "
    "d.submitted_at, d.clock_start, COALESCE(d.apology_due_at, d.due_at), d.finished_at, "
    "d.returned_at, "
    "d.timeliness, d.paused_micros, "
    "CASE WHEN EXISTS (SELECT 1 FROM attachments a WHERE a.dossier_id = d.id AND a.component_code "
    "IS NOT NULL) "
    "THEN 1 ELSE 0 END, "
    "CASE WHEN EXISTS (SELECT 1 FROM dossier_results r WHERE r.dossier_id = d.id AND r.signed_at "
    "IS NOT NULL) "
    "THEN 1 ELSE 0 END, "
    "g.rated_at, g.level, d.clock, "
    // A row exists once the national portal acknowledged the dossier's
    // record (the delivery worker writes it with the "national_synced" event).
    "CASE WHEN EXISTS (SELECT 1 FROM national_sync s WHERE s.dossier_id = d.id) THEN 1 ELSE 0 END "
    "FROM dossiers d LEFT JOIN dossier_ratings g ON g.dossier_id = d.id ";

Result<DossierStatRow> FromRow(const Row& r) {
  DossierStatRow d;
  d.id = r.Int(0);
  d.receiving_unit_id = r.Int(1);
  d.channel = static_cast<int>(r.Int(2));
  d.procedure_code = r.Text(3);
  d.procedure_id = r.Int(4);
  d.national_status = static_cast<int>(r.Int(5));
  bool ok = true;
  auto time = [&](std::size_t i) -> std::optional<TimePoint> {
    if (r.IsNull(i)) return std::nullopt;
    auto t = ParseTime(r.Text(i));
    ok = ok && t.has_value();
    return t;
  };
  auto submitted = time(6);
  d.clock_start = time(7);
  d.due_at = time(8);
  d.finished_at = time(9);
  d.returned_at = time(10);
  d.timeliness = r.OptText(11);
  d.paused_micros = r.Int(12);
  d.digitised = r.Int(13) != 0;
  d.electronic_result = r.Int(14) != 0;
  d.rated_at = time(15);
  d.rating_level = static_cast<int>(r.Int(16));
  d.clock = r.Text(17);
  d.synced = r.Int(18) != 0;
  if (!ok || !submitted)
    return Fail(Code::kInternal, "dossier " + std::to_string(d.id) + " has an unreadable time");
  d.submitted_at = *submitted;
  return d;
}

}  // namespace

Result<std::optional<DossierStatRow>> FindDossier(Tx& tx, std::int64_t id) {
  auto rows = MOTCUA_TRY(tx.Query(kSelect + "WHERE d.id = $1", {id}));
  if (rows.empty()) return std::optional<DossierStatRow>();
  return std::optional<DossierStatRow>(MOTCUA_TRY(FromRow(rows.front())));
}

Result<std::vector<DossierStatRow>> ListDossiersOfIds(Tx& tx, std::int64_t after_id,
                                                      std::int64_t up_to_id) {
  auto rows = MOTCUA_TRY(
      tx.Query(kSelect + "WHERE d.id > $1 AND d.id <= $2 ORDER BY d.id", {after_id, up_to_id}));
  std::vector<DossierStatRow> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(MOTCUA_TRY(FromRow(r)));
  return out;
}

Result<std::int64_t> MaxDossierId(Tx& tx) {
  auto rows = MOTCUA_TRY(tx.Query("SELECT COALESCE(MAX(id), 0) FROM dossiers"));
  return rows.at(0).Int(0);
}

Result<std::int64_t> LastEventSeq(Tx& tx) {
  auto rows = MOTCUA_TRY(tx.Query("SELECT COALESCE(MAX(seq), 0) FROM events"));
  return rows.at(0).Int(0);
}

Result<std::vector<std::int64_t>> DossiersChangedBetween(Tx& tx, std::int64_t after,
                                                         std::int64_t up_to) {
  // The seq range is the primary key's: a short scan after a recent mark.
  auto rows = MOTCUA_TRY(
      tx.Query("SELECT DISTINCT aggregate_id FROM events WHERE seq > $1 AND seq <= $2 AND "
               "aggregate_type = 'dossier' ORDER BY aggregate_id",
               {after, up_to}));
  std::vector<std::int64_t> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(r.Int(0));
  return out;
}

Result<std::optional<SnapshotHeader>> LatestSnapshot(Tx& tx) {
  auto rows = MOTCUA_TRY(
      tx.Query("SELECT generation, basis, last_event_seq, dossiers, parts, taken_at FROM "
               "stats_snapshots WHERE complete = 1 ORDER BY generation DESC LIMIT 1"));
  if (rows.empty()) return std::optional<SnapshotHeader>();
  const Row& r = rows.front();
  auto taken = ParseTime(r.Text(5));
  if (!taken) return Fail(Code::kInternal, "a statistics snapshot has an unreadable time");
  return std::optional<SnapshotHeader>(SnapshotHeader{.generation = r.Int(0),
                                                      .basis = r.Text(1),
                                                      .last_event_seq = r.Int(2),
                                                      .dossiers = r.Int(3),
                                                      .parts = static_cast<int>(r.Int(4)),
                                                      .taken_at = *taken});
}

Result<std::string> SnapshotPart(Tx& tx, std::int64_t generation, int part) {
  auto rows = MOTCUA_TRY(
      tx.Query("SELECT data FROM stats_snapshot_parts WHERE generation = $1 AND part = $2",
               {generation, static_cast<std::int64_t>(part)}));
  if (rows.empty())
    return Fail(Code::kNotFound, "statistics snapshot " + std::to_string(generation) +
                                     " has no part " + std::to_string(part));
  return rows.front().Text(0);
}

Result<std::int64_t> BeginSnapshot(Tx& tx, const SnapshotHeader& header) {
  auto rows = MOTCUA_TRY(tx.Query(
      "INSERT INTO stats_snapshots (generation, basis, last_event_seq, dossiers, parts, "
      "taken_at, complete) SELECT COALESCE(MAX(generation), 0) + 1, $1, $2, $3, $4, $5, 0 FROM "
      "stats_snapshots RETURNING generation",
      {header.basis, header.last_event_seq, header.dossiers,
       static_cast<std::int64_t>(header.parts), FormatTime(header.taken_at)}));
  return rows.at(0).Int(0);
}

Status PutSnapshotPart(Tx& tx, std::int64_t generation, int part, const std::string& data) {
  MOTCUA_TRY(
      tx.Exec("INSERT INTO stats_snapshot_parts (generation, part, data) VALUES ($1, $2, $3)",
              {generation, static_cast<std::int64_t>(part), data}));
  return {};
}

Status CompleteSnapshot(Tx& tx, std::int64_t generation) {
  const auto done = MOTCUA_TRY(
      tx.Exec("UPDATE stats_snapshots SET complete = 1 WHERE generation = $1 AND "
              "parts = (SELECT COUNT(*) FROM stats_snapshot_parts WHERE generation = $1)",
              {generation}));
  if (done != 1)
    return Fail(Code::kInternal,
                "statistics snapshot " + std::to_string(generation) + " is missing parts");
  MOTCUA_TRY(tx.Exec("DELETE FROM stats_snapshot_parts WHERE generation <> $1", {generation}));
  MOTCUA_TRY(tx.Exec("DELETE FROM stats_snapshots WHERE generation <> $1", {generation}));
  return {};
}

Status DeleteSnapshots(Tx& tx) {
  MOTCUA_TRY(tx.Exec("DELETE FROM stats_snapshot_parts"));
  MOTCUA_TRY(tx.Exec("DELETE FROM stats_snapshots"));
  return {};
}

}  // namespace motcua::storage::stats
