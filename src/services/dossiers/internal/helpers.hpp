// What the dossier service's use cases share (services/dossiers/*.cpp):
// moving between a dossier row and the pure rules of core/dossier, the
// inbox's roles and scopes, files, cursors and the write-then-answer step.
// Private to services/dossiers.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/dossier/action_plan.hpp"
#include "core/dossier/lifecycle.hpp"
#include "services/dossiers/dossier_service.hpp"
#include "storage/dossiers_repo.hpp"

namespace motcua::dossiers::internal {

namespace repo = storage::dossiers;
using accounts::Principal;
using accounts::Role;
using storage::Tx;
// The workflow engine's clock of a state (running, paused, stopped).
using StateClock = workflow::Clock;
using workflow::NationalStatus;
using workflow::RoleSet;

inline constexpr std::string_view kAggregate = "dossier";

inline std::string_view ClockText(StateClock c) { return workflow::ClockName(c); }
inline std::int64_t RoleBits(RoleSet s) { return s.bits(); }
inline bool IsStaff(Role r) { return r != Role::kCitizen; }
inline std::string TextOrEmpty(const std::optional<std::string>& s) { return s.value_or(""); }

// A row's time-keeping as core/dossier reads it, and back.
dossier::Progress ToProgress(const DossierRow& r);
void FromProgress(const dossier::Progress& p, DossierRow& r);
// The appointment the citizen was last given (an apology's, else the first).
std::optional<TimePoint> AppointmentOf(const DossierRow& r);
// The roles whose work a dossier in `state` waits for (the inbox's).
std::int64_t InboxRoles(const workflow::Workflow& wf, const workflow::State& state);
// Puts the row in state `s` of `wf`: its id, national status, clock, inbox roles.
void SetState(DossierRow& r, const workflow::Workflow& wf, const workflow::State& s);
// The handling level of a unit of `kind`, none for a unit that handles none.
std::optional<catalog::Level> LevelOfUnit(units::Kind kind);
// Files as core/dossier names them, and their problems for `proc` under `field`.
std::vector<dossier::HandedFile> Handed(const std::vector<FileRef>& files);
[[nodiscard]] Status ValidateFileRefs(const std::vector<FileRef>& files,
                                      const catalog::Procedure& proc, std::string_view field);
// Links each staged file of `owner` to the dossier, or fails naming the file.
[[nodiscard]] Status LinkFiles(Tx& tx, const std::vector<FileRef>& files, std::int64_t owner,
                               std::int64_t dossier_id, std::string_view field);
// A list's cursor: the sort moment and the id, opaque to callers.
std::string EncodeCursor(TimePoint at, std::int64_t id);
std::optional<std::pair<TimePoint, std::int64_t>> DecodeCursor(std::string_view text);
// Whether a row may be rated: core/dossier's rule over the stored status
// (a row holds the code 1..10).
bool Rateable(bool terminal, int national_status);
// The 409 of a write on a version someone else changed meanwhile.
Error Stale(const DossierRow& row);
// The units a staff caller's bindings cover, with the roles held on each,
// grouped by role set: the inbox scopes.
std::vector<repo::UnitScope> ScopesOf(const Principal& who, const units::UnitTree& tree);

// Runs `fn` as one write callback and answers `done` once its commit is
// durable; `committed` sees what a successful write produced first (for the
// change listeners). `fn` returns the answer or the error that rolls its
// savepoint back.
template <class T, class Fn>
void WriteThenAnswer(storage::Store& store, Fn fn, std::function<void(Result<T>)> done,
                     std::function<void(const T&)> committed) {
  auto out =
      std::make_shared<Result<T>>(std::unexpected(Error{Code::kInternal, "not written", {}}));
  store.Write(
      [fn = std::move(fn), out](Tx& tx) -> Status {
        *out = fn(tx);
        if (!*out) return std::unexpected(out->error());
        return {};
      },
      [out, done = std::move(done), committed = std::move(committed)](Status st) {
        if (!st) return done(std::unexpected(st.error()));
        if (*out) committed(**out);
        done(std::move(*out));
      });
}

}  // namespace motcua::dossiers::internal
