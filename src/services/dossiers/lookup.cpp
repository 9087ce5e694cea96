// The public lookup by number and the receipt's code.
#include "core/dossier/dossier_number.hpp"
#include "core/dossier/lookup_secret.hpp"
#include "services/dossiers/dossier_service.hpp"
#include "services/dossiers/internal/helpers.hpp"

namespace motcua::dossiers {

// The use cases share the helpers of internal/ (a namespace private to services/dossiers).
using namespace internal;  // NOLINT(google-build-using-namespace)

Result<LookupResult> DossierService::Lookup(std::string_view number,
                                            std::string_view secret) const {
  auto parsed = dossier::ParseDossierNumber(number);
  if (!parsed)
    return InvalidField("number", "is not a dossier number such as 000.00.21.H12-250314-0007");
  auto normal = dossier::NormalizeLookupSecret(secret);
  if (!normal)
    return InvalidField("secret", "is the " + std::to_string(dossier::kLookupSecretLength) +
                                      "-character code printed on the receipt");
  std::optional<repo::PublicRow> row;
  bool matches = false;
  std::vector<repo::StepTimes> steps;
  MOTCUA_TRY_VOID(store_.Read([&](Tx& tx) -> Status {
    row = MOTCUA_TRY(repo::FindPublic(tx, number));
    matches = row && dossier::LookupSecretMatches(row->number, *normal, row->lookup_hash);
    if (matches) steps = MOTCUA_TRY(repo::ListStepTimes(tx, row->id));
    return {};
  }));
  // One answer for an unknown number and a wrong secret.
  if (!matches) return Fail(Error{Code::kNotFound, "no dossier with this number and code", {}});
  LookupResult out;
  out.number = std::move(row->number);
  out.lookup_hash = std::move(row->lookup_hash);
  auto snapshot = catalog_.Snapshot();
  if (const auto* p = FindVersionById(*snapshot, row->procedure_code, row->procedure_id)) {
    out.procedure_name = p->name;
    out.procedure_name_en = p->name_en.value_or("");
  }
  const workflow::Workflow* wf = workflows_.Find(row->workflow_code, row->workflow_version);
  auto name_of = [&](const std::string& state, std::string& vi, std::string& en) {
    if (const auto* s = wf ? wf->FindState(state) : nullptr) {
      vi = s->name;
      en = s->name_en;
    }
  };
  name_of(row->state, out.state_name, out.state_name_en);
  out.national_status = row->national_status;
  out.masked_name = dossier::MaskName(row->applicant_name);
  if (const auto* u = units_.Tree()->Find(row->receiving_unit_id))
    out.receiving_unit_name = u->name;
  out.submitted_at = row->submitted_at;
  out.accepted_at = row->accepted_at;
  out.due_at = row->apology_due_at ? row->apology_due_at : row->due_at;
  out.finished_at = row->finished_at;
  out.returned_at = row->returned_at;
  out.pending_request = std::move(row->pending_request);
  out.rating_level = row->rating_level;
  out.can_rate = !row->rating_level && Rateable(row->terminal, row->national_status);
  out.steps.reserve(steps.size());
  for (auto& s : steps) {
    LookupResult::Step step;
    name_of(s.state, step.state_name, step.state_name_en);
    step.started_at = s.started_at;
    step.finished_at = s.finished_at;
    out.steps.push_back(std::move(step));
  }
  return out;
}

}  // namespace motcua::dossiers
