#include "services/dossiers/internal/helpers.hpp"

#include <charconv>
#include <map>

#include "core/calendar/date.hpp"
#include "storage/attachments_repo.hpp"

namespace motcua::dossiers::internal {

dossier::Progress ToProgress(const DossierRow& r) {
  dossier::Progress p;
  p.accepted_at = r.accepted_at;
  p.clock_start = r.clock_start;
  p.due_at = r.due_at;
  p.paused_at = r.paused_at;
  p.paused = Micros(r.paused_micros);
  p.supplement_count = r.supplement_count;
  p.step_due_at = r.step_due_at;
  p.finished_at = r.finished_at;
  p.returned_at = r.returned_at;
  if (r.timeliness == "early") p.timeliness = dossier::Timeliness::kEarly;
  if (r.timeliness == "on_time") p.timeliness = dossier::Timeliness::kOnTime;
  if (r.timeliness == "late") p.timeliness = dossier::Timeliness::kLate;
  return p;
}

void FromProgress(const dossier::Progress& p, DossierRow& r) {
  r.accepted_at = p.accepted_at;
  r.clock_start = p.clock_start;
  r.due_at = p.due_at;
  r.paused_at = p.paused_at;
  r.paused_micros = p.paused.count();
  r.supplement_count = p.supplement_count;
  r.step_due_at = p.step_due_at;
  r.finished_at = p.finished_at;
  r.returned_at = p.returned_at;
  r.timeliness.reset();
  if (p.timeliness) r.timeliness = std::string(dossier::TimelinessName(*p.timeliness));
}

// The appointment the citizen was last given.
std::optional<TimePoint> AppointmentOf(const DossierRow& r) {
  return r.apology_due_at ? r.apology_due_at : r.due_at;
}

// National statuses of endings that are not anyone's work: a withdrawal
// (the citizen's wish, which an officer may record) and stopping
// processing (a leader's exceptional decision).
bool EndsWithoutWork(NationalStatus status) {
  return status == NationalStatus::kWithdrawn || status == NationalStatus::kStopped;
}

// The roles whose work a dossier in `state` waits for: those of its actions
// other than withdrawing or stopping it (an inbox is a to-do list; every
// open dossier could be withdrawn).
std::int64_t InboxRoles(const workflow::Workflow& wf, const workflow::State& state) {
  if (state.terminal) return 0;
  auto index = wf.FindStateIndex(state.id);
  if (!index) return 0;
  RoleSet roles;
  for (const auto& a : wf.actions()) {
    if ((a.from_mask & (std::uint64_t{1} << *index)) == 0) continue;
    if (EndsWithoutWork(wf.states()[a.to].national_status)) continue;
    for (Role r : a.roles.Roles()) roles.Add(r);
  }
  return RoleBits(roles);
}

void SetState(DossierRow& r, const workflow::Workflow& wf, const workflow::State& s) {
  r.state = s.id;
  r.national_status = workflow::NationalCode(s.national_status);
  r.clock = std::string(ClockText(s.clock));
  r.terminal = s.terminal;
  r.acting_roles = InboxRoles(wf, s);
  r.queue_at = r.due_at.value_or(r.submitted_at);
}

std::optional<catalog::Level> LevelOfUnit(units::Kind kind) {
  switch (kind) {
    case units::Kind::kCommune:
      return catalog::Level::kCommune;
    case units::Kind::kCenter:
    case units::Kind::kDepartment:
      return catalog::Level::kProvince;
    case units::Kind::kDistrict:
      return catalog::Level::kDistrict;
    case units::Kind::kProvince:
      return std::nullopt;  // a province has no counter of its own
  }
  return std::nullopt;
}

std::vector<dossier::HandedFile> Handed(const std::vector<FileRef>& files) {
  std::vector<dossier::HandedFile> out;
  for (const auto& f : files) out.push_back({f.attachment_id, f.component_code});
  return out;
}

// The problems of the files named for `proc` (core/dossier's rule).
Status ValidateFileRefs(const std::vector<FileRef>& files, const catalog::Procedure& proc,
                        std::string_view field) {
  Error error{Code::kInvalidArgument, "invalid files", {}};
  dossier::CheckFiles(Handed(files), proc, field, error);
  if (!error.fields.empty()) return Fail(std::move(error));
  return {};
}

// Links each staged file of `owner` to the dossier, or fails naming the file.
Status LinkFiles(Tx& tx, const std::vector<FileRef>& files, std::int64_t owner,
                 std::int64_t dossier_id, std::string_view field) {
  for (std::size_t i = 0; i < files.size(); ++i) {
    bool linked = MOTCUA_TRY(storage::attachments::LinkToDossier(
        tx, files[i].attachment_id, owner, dossier_id, files[i].component_code));
    if (!linked)
      return InvalidField(std::string(field) + "[" + std::to_string(i) + "].attachment_id",
                          "is not a file you uploaded and have not used yet");
  }
  return {};
}

std::string EncodeCursor(TimePoint at, std::int64_t id) {
  return std::to_string(at.time_since_epoch().count()) + "." + std::to_string(id);
}

std::optional<std::pair<TimePoint, std::int64_t>> DecodeCursor(std::string_view text) {
  auto dot = text.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == text.size() || text.size() > 40)
    return std::nullopt;
  std::int64_t micros = 0, id = 0;
  auto a = std::from_chars(text.data(), text.data() + dot, micros);
  auto b = std::from_chars(text.data() + dot + 1, text.data() + text.size(), id);
  if (a.ec != std::errc() || a.ptr != text.data() + dot || b.ec != std::errc() ||
      b.ptr != text.data() + text.size() || id <= 0)
    return std::nullopt;
  return std::make_pair(TimePoint(Micros(micros)), id);
}

Error Stale(const DossierRow& row) {
  Error e{Code::kAborted,
          "the dossier was changed by someone else meanwhile (now in state '" + row.state +
              "', version " + std::to_string(row.version) + "); reload it and try again",
          {}};
  e.With("state", row.state).With("version", std::to_string(row.version));
  return e;
}

// The units a staff caller's bindings cover, with the roles held on each,
// grouped by role set: the inbox scopes.
std::vector<repo::UnitScope> ScopesOf(const Principal& who, const units::UnitTree& tree) {
  std::map<std::int64_t, std::int64_t> roles_by_unit;
  for (const auto& b : who.roles) {
    if (!IsStaff(b.role)) continue;
    std::int64_t bit = std::int64_t{1} << static_cast<int>(b.role);
    if (b.role == Role::kSystemAdmin) {
      for (const auto& u : tree.units()) roles_by_unit[u.id] |= bit;
      continue;
    }
    if (b.subtree) {
      for (std::int64_t u : tree.Subtree(b.unit_id)) roles_by_unit[u] |= bit;
    } else {
      roles_by_unit[b.unit_id] |= bit;
    }
  }
  std::map<std::int64_t, repo::UnitScope> by_roles;
  for (auto [unit, roles] : roles_by_unit) {
    auto& s = by_roles[roles];
    s.roles = roles;
    s.units.push_back(unit);
  }
  std::vector<repo::UnitScope> out;
  for (auto& [roles, scope] : by_roles) out.push_back(std::move(scope));
  return out;
}

bool Rateable(bool terminal, int national_status) {
  auto status = workflow::ParseNationalStatus(national_status);
  return status && dossier::Rateable(terminal, *status);
}

}  // namespace motcua::dossiers::internal
