// What the statistics read of a dossier (services/stats): its row's times
// and outcome, whether the applicant's documents came as files, whether it
// has a signed result, and its rating; one dossier, or all of them by id for a rebuild.
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
  std::optional<TimePoint> rated_at;  // the citizen's rating, if any
  int rating_level = 0;               // 1 not satisfied, 2 satisfied, 3 very satisfied
};

[[nodiscard]] Result<std::optional<DossierStatRow>> FindDossier(Tx& tx, std::int64_t id);
// The dossiers with ids in (after_id, up_to_id], by id.
[[nodiscard]] Result<std::vector<DossierStatRow>> ListDossiersOfIds(Tx& tx, std::int64_t after_id,
                                                                    std::int64_t up_to_id);
// The highest dossier id (0 with none).
[[nodiscard]] Result<std::int64_t> MaxDossierId(Tx& tx);

}  // namespace motcua::storage::stats
