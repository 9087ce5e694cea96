#include "storage/dossier_numbers_repo.hpp"

#include <algorithm>

#include "core/dossier/dossier_number.hpp"
#include "core/units/unit.hpp"

namespace motcua::storage::dossier_numbers {

Result<std::string> NextDossierNumber(Tx& tx, std::string_view agency_code, TimePoint received_at) {
  using motcua::dossier::DossierNumber;
  // Check the code before it becomes a counter row nobody can use.
  if (!motcua::units::IsAgencyCode(agency_code)) {
    return InvalidField("agency_code", "must look like 000.00.21.H12 (QCVN 102:2016)");
  }
  DossierNumber number{std::string(agency_code), motcua::dossier::DossierDay(received_at), 0};
  auto rows = MOTCUA_TRY(tx.Query(
      "INSERT INTO dossier_number_counters (agency_code, day, last_seq) VALUES ($1, $2, 1) "
      "ON CONFLICT (agency_code, day) DO UPDATE "
      "SET last_seq = dossier_number_counters.last_seq + 1 RETURNING last_seq",
      {number.agency_code, calendar::FormatDate(number.day)}));
  if (rows.size() != 1) return Fail(Code::kInternal, "the dossier number counter returned no row");
  const std::int64_t seq = rows[0].Int(0);
  number.sequence =
      static_cast<int>(std::min<std::int64_t>(seq, motcua::dossier::kMaxDossierSequence + 1));
  // On failure (kResourceExhausted past the limit) the caller's callback
  // returns the error and its savepoint undoes the increment.
  return motcua::dossier::FormatDossierNumber(number);
}

}  // namespace motcua::storage::dossier_numbers
