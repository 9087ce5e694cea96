#include "core/workflow/workflow.hpp"

#include <array>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <utility>

namespace motcua::workflow {
namespace {

template <class E, std::size_t N>
std::string_view NameOf(const std::array<std::pair<E, std::string_view>, N>& table, E e) {
  for (const auto& [value, name] : table) {
    if (value == e) return name;
  }
  return "unknown";
}

template <class E, std::size_t N>
std::optional<E> Lookup(const std::array<std::pair<E, std::string_view>, N>& table,
                        std::string_view name) {
  for (const auto& [value, n] : table) {
    if (n == name) return value;
  }
  return std::nullopt;
}

constexpr std::array<std::pair<Clock, std::string_view>, 3> kClocks{{
    {Clock::kRunning, "running"},
    {Clock::kPaused, "paused"},
    {Clock::kStopped, "stopped"},
}};

constexpr std::array<std::pair<ClockEffect, std::string_view>, 5> kEffects{{
    {ClockEffect::kNone, "none"},
    {ClockEffect::kStart, "start"},
    {ClockEffect::kPause, "pause"},
    {ClockEffect::kResume, "resume"},
    {ClockEffect::kStop, "stop"},
}};

constexpr std::array<std::pair<BudgetUnit, std::string_view>, 2> kBudgetUnits{{
    {BudgetUnit::kWorkingDays, "working_days"},
    {BudgetUnit::kWorkingHours, "working_hours"},
}};

constexpr std::array<std::pair<UnitKind, std::string_view>, 4> kUnitKinds{{
    {UnitKind::kDepartment, "department"},
    {UnitKind::kCommune, "commune"},
    {UnitKind::kCenter, "center"},
    {UnitKind::kReceivingUnit, "receiving_unit"},
}};

// DOMAIN.md section 2, as the national portal names them.
constexpr std::array<std::string_view, 11> kNationalStatusLabels{
    "",
    "newly submitted",
    "accepted",
    "not accepted",
    "processing",
    "supplement requested",
    "financial obligation requested",
    "withdrawn",
    "processing stopped",
    "processing finished",
    "result returned",
};

std::string Quoted(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '\'';
  out += s;
  out += '\'';
  return out;
}

// "role 'officer'", "roles 'citizen', 'officer'", "a caller without a role".
std::string WhoPhrase(RoleSet roles) {
  auto list = roles.Roles();
  if (list.empty()) return "a caller without a role";
  std::string out = list.size() == 1 ? "role " : "roles ";
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (i) out += ", ";
    out += Quoted(accounts::RoleName(list[i]));
  }
  return out;
}

Error UnknownId(std::string_view field, std::string_view id, const std::string& code) {
  Error e{Code::kInvalidArgument,
          "unknown " + std::string(field) + " " + Quoted(id) + " in workflow " + Quoted(code),
          {}};
  e.fields.emplace(std::string(field), "unknown " + std::string(field) + " " + Quoted(id));
  return e;
}

boost::json::value BudgetJson(const std::optional<Budget>& budget) {
  if (!budget) return nullptr;
  return boost::json::object{{"value", budget->value}, {"unit", BudgetUnitName(budget->unit)}};
}

}  // namespace

std::string_view ClockName(Clock clock) { return NameOf(kClocks, clock); }
std::optional<Clock> ParseClock(std::string_view name) { return Lookup(kClocks, name); }
std::string_view ClockEffectName(ClockEffect effect) { return NameOf(kEffects, effect); }
std::string_view BudgetUnitName(BudgetUnit unit) { return NameOf(kBudgetUnits, unit); }
std::optional<BudgetUnit> ParseBudgetUnit(std::string_view name) {
  return Lookup(kBudgetUnits, name);
}
std::string_view UnitKindName(UnitKind kind) { return NameOf(kUnitKinds, kind); }
std::optional<UnitKind> ParseUnitKind(std::string_view name) { return Lookup(kUnitKinds, name); }

std::string_view NationalStatusLabel(NationalStatus status) {
  return kNationalStatusLabels[static_cast<std::size_t>(NationalCode(status))];
}

std::string_view NationalStatusLabel(int code) {
  auto status = ParseNationalStatus(code);
  return status ? NationalStatusLabel(*status) : std::string_view();
}

std::optional<NationalStatus> ParseNationalStatus(int code) {
  if (code < 1 || code > 10) return std::nullopt;
  return static_cast<NationalStatus>(code);
}

bool IsFinal(NationalStatus s) {
  return s == NationalStatus::kNotAccepted || s == NationalStatus::kWithdrawn ||
         s == NationalStatus::kStopped || s == NationalStatus::kReturned;
}

ClockEffect EffectOf(Clock from, Clock to) {
  if (from == to) return ClockEffect::kNone;
  switch (to) {
    case Clock::kRunning:
      return from == Clock::kPaused ? ClockEffect::kResume : ClockEffect::kStart;
    case Clock::kPaused:
      // Only a running clock can pause; the loader rejects stopped -> paused.
      return from == Clock::kRunning ? ClockEffect::kPause : ClockEffect::kNone;
    case Clock::kStopped:
      return ClockEffect::kStop;
  }
  return ClockEffect::kNone;
}

RoleSet::RoleSet(std::initializer_list<accounts::Role> roles) {
  for (auto r : roles) Add(r);
}

RoleSet RoleSet::Of(const std::vector<accounts::RoleBinding>& bindings) {
  RoleSet set;
  for (const auto& b : bindings) set.Add(b.role);
  return set;
}

std::vector<accounts::Role> RoleSet::Roles() const {
  std::vector<accounts::Role> out;
  for (auto r : {accounts::Role::kCitizen, accounts::Role::kOfficer, accounts::Role::kSpecialist,
                 accounts::Role::kUnitLeader, accounts::Role::kProvinceAdmin,
                 accounts::Role::kSystemAdmin}) {
    if (Has(r)) out.push_back(r);
  }
  return out;
}

std::optional<StateIndex> Workflow::FindStateIndex(std::string_view id) const {
  auto it = state_index_.find(id);
  if (it == state_index_.end()) return std::nullopt;
  return it->second;
}

std::optional<ActionIndex> Workflow::FindActionIndex(std::string_view id) const {
  auto it = action_index_.find(id);
  if (it == action_index_.end()) return std::nullopt;
  return it->second;
}

const State* Workflow::FindState(std::string_view id) const {
  auto i = FindStateIndex(id);
  return i ? &states_[*i] : nullptr;
}

const Action* Workflow::FindAction(std::string_view id) const {
  auto i = FindActionIndex(id);
  return i ? &actions_[*i] : nullptr;
}

Result<NationalStatus> Workflow::NationalStatusOf(std::string_view state) const {
  const State* s = FindState(state);
  if (!s) return Fail(UnknownId("state", state, code_));
  return s->national_status;
}

Result<bool> Workflow::IsTerminal(std::string_view state) const {
  const State* s = FindState(state);
  if (!s) return Fail(UnknownId("state", state, code_));
  return s->terminal;
}

Result<std::vector<const Action*>> Workflow::AllowedActions(std::string_view state,
                                                            RoleSet roles) const {
  auto s = FindStateIndex(state);
  if (!s) return Fail(UnknownId("state", state, code_));
  std::vector<const Action*> out;
  const std::uint64_t bit = std::uint64_t{1} << *s;
  for (const Action& a : actions_) {
    if ((a.from_mask & bit) != 0 && roles.Intersects(a.roles)) out.push_back(&a);
  }
  return out;
}

Result<Transition> Workflow::Decide(std::string_view state, std::string_view action,
                                    RoleSet roles) const {
  auto s = FindStateIndex(state);
  if (!s) return Fail(UnknownId("state", state, code_));
  auto a = FindActionIndex(action);
  if (!a) return Fail(UnknownId("action", action, code_));
  return Decide(*s, *a, roles);
}

Result<Transition> Workflow::Decide(StateIndex state, ActionIndex action, RoleSet roles) const {
  const Action& a = actions_[action];
  const State& from = states_[state];
  if ((a.from_mask & (std::uint64_t{1} << state)) == 0) {
    return Fail(Code::kFailedPrecondition,
                "action " + Quoted(a.id) + " is not allowed in state " + Quoted(from.id));
  }
  if (!roles.Intersects(a.roles)) {
    return Fail(Code::kPermissionDenied, WhoPhrase(roles) + " may not " + Quoted(a.id));
  }
  const State& to = states_[a.to];
  Transition t;
  t.action = &a;
  t.from = &from;
  t.to = &to;
  t.national_status = to.national_status;
  t.budget = a.budget;
  t.clock = EffectOf(from.clock, to.clock);
  t.transfer = a.transfer;
  t.requires_reason = a.requires_reason;
  t.terminal = to.terminal;
  return t;
}

std::string Workflow::Describe() const {
  boost::json::array nodes;
  for (std::size_t i = 0; i < states_.size(); ++i) {
    const State& s = states_[i];
    nodes.push_back(boost::json::object{
        {"id", s.id},
        {"name", s.name},
        {"name_en", s.name_en},
        {"national_status", NationalCode(s.national_status)},
        {"national_status_label", NationalStatusLabel(s.national_status)},
        {"clock", ClockName(s.clock)},
        {"initial", i == initial_},
        {"terminal", s.terminal},
    });
  }
  boost::json::array edges;
  for (const Action& a : actions_) {
    boost::json::array roles;
    for (auto r : a.roles.Roles()) roles.push_back(boost::json::string(accounts::RoleName(r)));
    for (StateIndex from : a.from) {
      boost::json::value transfer = nullptr;
      if (a.transfer) transfer = boost::json::string(UnitKindName(*a.transfer));
      edges.push_back(boost::json::object{
          {"action", a.id},
          {"name", a.name},
          {"name_en", a.name_en},
          {"from", states_[from].id},
          {"to", states_[a.to].id},
          {"roles", roles},
          {"budget", BudgetJson(a.budget)},
          {"clock_effect", ClockEffectName(EffectOf(states_[from].clock, states_[a.to].clock))},
          {"transfer", transfer},
          {"requires_reason", a.requires_reason},
          {"optional", a.optional},
      });
    }
  }
  boost::json::object graph{
      {"code", code_},
      {"version", version_},
      {"name", name_},
      {"name_en", name_en_},
      {"initial", states_[initial_].id},
      {"nodes", std::move(nodes)},
      {"edges", std::move(edges)},
  };
  return boost::json::serialize(graph);
}

}  // namespace motcua::workflow
