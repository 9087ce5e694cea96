// Workflows as data: the states a dossier passes through, the actions that
// move it on, who may take them, the time budget of each step and the
// national status code (1..10, DOMAIN.md section 2) each state reports.
//
// A Workflow is built only by Workflow::Parse, which validates the whole
// definition (data/workflows/README.md describes the format) and then never
// changes: every member function is const and safe to call from many threads
// at once. Decide() is the hot path of every dossier transition: ids are
// interned when loading, so a decision is two hash lookups (or none, with the
// index overload) and a few bit tests, and allocates nothing unless it fails.
//
// The engine decides by role only. That the caller's role binding covers the
// dossier's current unit is the dossier service's check (Principal::HasRoleAt).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.hpp"
#include "core/accounts/principal.hpp"

namespace motcua::workflow {

// Bounds on one definition. Real one-stop workflows have 5 to 20 states; 64
// lets an action's "from" set be one 64-bit mask, and 256 actions is more
// than four per state.
inline constexpr std::size_t kMaxStates = 64;
inline constexpr std::size_t kMaxActions = 256;

// What the legal time limit does while a dossier is in a state.
enum class Clock {
  kRunning,  // the time limit is being used up
  kPaused,   // waiting for the citizen (supplements, fees): the appointment moves
  kStopped,  // not counting: before acceptance, or after processing finished
};
// "running", "paused", "stopped".
std::string_view ClockName(Clock clock);
std::optional<Clock> ParseClock(std::string_view name);

// What a transition does to the clock, from the clocks of its two states.
enum class ClockEffect {
  kNone,    // same clock on both sides
  kStart,   // stopped -> running: the dossier service sets the appointment date
  kPause,   // running -> paused: the time the citizen takes is not counted
  kResume,  // paused -> running: the appointment date moves by the pause
  kStop,    // running or paused -> stopped: the dossier is finished one way or another
};
// "none", "start", "pause", "resume", "stop".
std::string_view ClockEffectName(ClockEffect effect);

// The national status of a dossier (DOMAIN.md section 2), as synced to the
// national portal. Every state of a workflow maps to one (data); the rules
// that depend on the status name it here, never by its number.
enum class NationalStatus : std::uint8_t {
  kSubmitted = 1,            // newly submitted
  kAccepted = 2,             // accepted
  kNotAccepted = 3,          // refused at intake
  kProcessing = 4,           // processing
  kSupplementRequested = 5,  // supplements requested of the citizen
  kFinancialObligation = 6,  // fees or taxes requested
  kWithdrawn = 7,            // withdrawn by the citizen
  kStopped = 8,              // processing stopped
  kFinished = 9,             // processing finished
  kReturned = 10,            // result returned
};
// The code as synced and stored (1..10).
constexpr int NationalCode(NationalStatus s) { return static_cast<int>(s); }
// The status of a code; none outside 1..10.
std::optional<NationalStatus> ParseNationalStatus(int code);
// Whether a dossier with this status has ended: 3, 7, 8 or 10.
bool IsFinal(NationalStatus s);

enum class BudgetUnit { kWorkingDays, kWorkingHours };
// "working_days", "working_hours".
std::string_view BudgetUnitName(BudgetUnit unit);
std::optional<BudgetUnit> ParseBudgetUnit(std::string_view name);

// Time allowed for the step an action starts, counted by core/calendar
// (WorkingCalendar::AddWorkingDays / AddWorkingHours).
struct Budget {
  int value = 0;  // >= 1
  BudgetUnit unit = BudgetUnit::kWorkingDays;
  bool operator==(const Budget&) const = default;
};

// Where a transfer sends the dossier. A hint for the dossier service, which
// picks the concrete unit (the procedure's department, the applicant's
// commune, or the unit that received the dossier).
enum class UnitKind {
  kDepartment,     // a provincial department (sở, ngành)
  kCommune,        // a commune (xã, phường, đặc khu)
  kCenter,         // the provincial public-service centre
  kReceivingUnit,  // back to the unit whose one-stop counter received it
};
// "department", "commune", "center", "receiving_unit".
std::string_view UnitKindName(UnitKind kind);
std::optional<UnitKind> ParseUnitKind(std::string_view name);

// A set of accounts::Role, as a bit mask.
class RoleSet {
 public:
  constexpr RoleSet() = default;
  RoleSet(std::initializer_list<accounts::Role> roles);
  // Every role of the bindings, whatever their units.
  static RoleSet Of(const std::vector<accounts::RoleBinding>& bindings);

  bool Has(accounts::Role role) const { return (bits_ & Bit(role)) != 0; }
  bool Intersects(RoleSet other) const { return (bits_ & other.bits_) != 0; }
  bool empty() const { return bits_ == 0; }
  void Add(accounts::Role role) { bits_ |= Bit(role); }
  // The roles in declaration order of accounts::Role.
  std::vector<accounts::Role> Roles() const;
  // Bit i set for role i of accounts::Role: how inboxes store the set.
  std::uint8_t bits() const { return bits_; }
  static RoleSet FromBits(std::uint8_t bits) {
    RoleSet s;
    s.bits_ = bits;
    return s;
  }
  bool operator==(const RoleSet&) const = default;

 private:
  static std::uint8_t Bit(accounts::Role role) {
    return static_cast<std::uint8_t>(1u << static_cast<unsigned>(role));
  }
  std::uint8_t bits_ = 0;
};

using StateIndex = std::uint16_t;   // position in Workflow::states()
using ActionIndex = std::uint16_t;  // position in Workflow::actions()

struct State {  // trạng thái hồ sơ
  std::string id;
  std::string name;  // Vietnamese
  std::string name_en;
  NationalStatus national_status = NationalStatus::kSubmitted;
  bool terminal = false;
  Clock clock = Clock::kRunning;
};

struct Action {  // thao tác xử lý
  std::string id;
  std::string name;  // Vietnamese
  std::string name_en;
  std::vector<StateIndex> from;  // in definition order
  StateIndex to = 0;
  RoleSet roles;
  std::optional<Budget> budget;      // of the step it starts; none: no new budget
  std::optional<UnitKind> transfer;  // set: the dossier moves to another unit
  bool requires_reason = false;      // refuse, send back, stop: the caller must say why
  bool optional = false;             // a step that may be skipped (another way on exists)
  std::uint64_t from_mask = 0;       // bit i set: states()[i] is in `from`
};

// The outcome of a decision. The pointers refer into the Workflow that made
// it, which must outlive the Transition.
struct Transition {
  const Action* action = nullptr;
  const State* from = nullptr;
  const State* to = nullptr;
  NationalStatus national_status = NationalStatus::kSubmitted;  // of `to`
  std::optional<Budget> budget;
  ClockEffect clock = ClockEffect::kNone;
  std::optional<UnitKind> transfer;
  bool requires_reason = false;
  bool terminal = false;  // `to` is terminal
};

class Workflow {  // quy trình xử lý
 public:
  // Parses and validates a definition. Errors: kInvalidArgument, with every
  // problem found in `fields`, keyed by JSON path ("actions[3].to" ->
  // "unknown state 'aproved'"; "$" for the document as a whole).
  [[nodiscard]] static Result<Workflow> Parse(std::string_view json);

  const std::string& code() const { return code_; }
  int version() const { return version_; }
  const std::string& name() const { return name_; }
  const std::string& name_en() const { return name_en_; }
  const State& initial() const { return states_[initial_]; }
  const std::vector<State>& states() const { return states_; }
  const std::vector<Action>& actions() const { return actions_; }

  std::optional<StateIndex> FindStateIndex(std::string_view id) const;
  std::optional<ActionIndex> FindActionIndex(std::string_view id) const;
  const State* FindState(std::string_view id) const;    // nullptr if unknown
  const Action* FindAction(std::string_view id) const;  // nullptr if unknown

  // Errors: kInvalidArgument (field "state") for a state not in this workflow.
  [[nodiscard]] Result<workflow::NationalStatus> NationalStatusOf(std::string_view state) const;
  [[nodiscard]] Result<bool> IsTerminal(std::string_view state) const;

  // The actions `roles` may take in `state` now, in definition order.
  // Errors: kInvalidArgument (field "state") for an unknown state.
  [[nodiscard]] Result<std::vector<const Action*>> AllowedActions(std::string_view state,
                                                                  RoleSet roles) const;
  // The roles that can take some action in `state` (for inboxes). Empty for
  // a terminal state. `state` must be < states().size().
  RoleSet RolesActingIn(StateIndex state) const { return acting_[state]; }

  // Whether `roles` may take `action` in `state`, and what follows. Errors:
  // kInvalidArgument (field "state" or "action") for an id not in this
  // workflow; kFailedPrecondition "action 'approve' is not allowed in state
  // 'intake'"; kPermissionDenied "role 'officer' may not 'approve'".
  [[nodiscard]] Result<Transition> Decide(std::string_view state, std::string_view action,
                                          RoleSet roles) const;
  // The same by index (both must be in range), for callers that interned ids.
  [[nodiscard]] Result<Transition> Decide(StateIndex state, ActionIndex action,
                                          RoleSet roles) const;

  // The workflow as a graph, for the admin page: a JSON object with "code",
  // "version", "name", "name_en", "initial", "nodes" (one per state) and
  // "edges" (one per action and source state, with its clock effect).
  std::string Describe() const;

  // The definition it was parsed from, as written (for editing it again).
  const std::string& source() const { return source_; }

 private:
  friend class Loader;
  Workflow() = default;

  // Transparent hashing so that lookups by string_view do not allocate.
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Index = std::unordered_map<std::string, std::uint16_t, Hash, std::equal_to<>>;

  std::string code_;
  int version_ = 0;
  std::string name_;
  std::string name_en_;
  StateIndex initial_ = 0;
  std::vector<State> states_;
  std::vector<Action> actions_;
  Index state_index_;
  Index action_index_;
  std::vector<RoleSet> acting_;  // per state
  std::string source_;
};

// The clock effect of moving from a state with clock `from` to one with `to`.
ClockEffect EffectOf(Clock from, Clock to);

// The label of a national status ("processing" for 4).
std::string_view NationalStatusLabel(NationalStatus status);
// The label of a stored code; "" outside 1..10.
std::string_view NationalStatusLabel(int code);

}  // namespace motcua::workflow
