// The engine on the shipped demo workflows: what an officer, a specialist, a
// leader or a citizen may do in each state, and what follows.
#include "core/workflow/workflow.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <deque>
#include <set>

#include "core/workflow/internal/test_files.hpp"

namespace motcua::workflow {
namespace {

using accounts::Role;
using internal::Demo;
using ::testing::ElementsAre;

const RoleSet kCitizen{Role::kCitizen};
const RoleSet kOfficer{Role::kOfficer};
const RoleSet kSpecialist{Role::kSpecialist};
const RoleSet kLeader{Role::kUnitLeader};
const RoleSet kEveryone{Role::kCitizen,    Role::kOfficer,       Role::kSpecialist,
                        Role::kUnitLeader, Role::kProvinceAdmin, Role::kSystemAdmin};

const char* const kDemos[] = {"commune-simple", "department", "inter-level", "immediate"};

std::vector<std::string> Ids(const Result<std::vector<const Action*>>& actions) {
  std::vector<std::string> ids;
  if (actions) {
    for (const Action* a : *actions) ids.push_back(a->id);
  }
  return ids;
}

// Decides, failing the test (and returning an empty transition) on an error.
Transition Step(const Workflow& wf, const std::string& state, const std::string& action,
                RoleSet roles) {
  auto t = wf.Decide(state, action, roles);
  EXPECT_TRUE(t) << state << " / " << action << ": " << t.error().message;
  return t ? *t : Transition{};
}

class CommuneSimpleTest : public ::testing::Test {
 protected:
  Workflow wf_ = Demo("commune-simple");
};

TEST_F(CommuneSimpleTest, MainPathFromIntakeToReturnedResult) {
  EXPECT_EQ(wf_.initial().id, "received");
  EXPECT_EQ(NationalCode(wf_.initial().national_status), 1);

  Transition accept = Step(wf_, "received", "accept", kOfficer);
  EXPECT_EQ(accept.to->id, "accepted");
  EXPECT_EQ(NationalCode(accept.national_status), 2);
  EXPECT_EQ(accept.clock, ClockEffect::kStart);  // the appointment date is set now
  EXPECT_EQ(accept.budget, (Budget{4, BudgetUnit::kWorkingHours}));
  EXPECT_FALSE(accept.transfer);
  EXPECT_FALSE(accept.terminal);

  Transition take = Step(wf_, "accepted", "start_processing", kSpecialist);
  EXPECT_EQ(NationalCode(take.national_status), 4);
  EXPECT_EQ(take.clock, ClockEffect::kNone);
  EXPECT_EQ(take.budget, (Budget{3, BudgetUnit::kWorkingDays}));

  Transition submit = Step(wf_, "processing", "submit_for_approval", kSpecialist);
  EXPECT_EQ(submit.to->id, "leader_approval");
  EXPECT_EQ(NationalCode(submit.national_status), 4);
  EXPECT_EQ(submit.budget, (Budget{1, BudgetUnit::kWorkingDays}));

  Transition approve = Step(wf_, "leader_approval", "approve", kLeader);
  EXPECT_EQ(NationalCode(approve.national_status), 9);
  EXPECT_EQ(approve.clock,
            ClockEffect::kStop);  // processing finished: on time or not is judged here
  EXPECT_FALSE(approve.terminal);

  Transition ret = Step(wf_, "result_ready", "return_result", kOfficer);
  EXPECT_EQ(NationalCode(ret.national_status), 10);
  EXPECT_TRUE(ret.terminal);
  EXPECT_EQ(ret.clock, ClockEffect::kNone);
  EXPECT_EQ(ret.from->id, "result_ready");
  EXPECT_EQ(ret.action->name, "Trả kết quả");
}

TEST_F(CommuneSimpleTest, SupplementsPauseTheClockAndTheCitizenResumesIt) {
  Transition ask = Step(wf_, "processing", "request_supplement", kSpecialist);
  EXPECT_EQ(NationalCode(ask.national_status), 5);
  EXPECT_EQ(ask.clock, ClockEffect::kPause);
  EXPECT_TRUE(ask.requires_reason);  // every missing item, listed at once
  EXPECT_EQ(ask.action->name, "Yêu cầu bổ sung hồ sơ");

  EXPECT_THAT(Ids(wf_.AllowedActions("supplement_requested", kCitizen)),
              ElementsAre("supplement", "withdraw"));
  Transition back = Step(wf_, "supplement_requested", "supplement", kCitizen);
  EXPECT_EQ(back.to->id, "processing");
  EXPECT_EQ(back.clock, ClockEffect::kResume);
  EXPECT_EQ(NationalCode(back.national_status), 4);
  EXPECT_FALSE(back.budget);  // the step continues with what was left of it
  // At the counter, the officer records the supplements for the citizen.
  EXPECT_TRUE(wf_.Decide("supplement_requested", "supplement", kOfficer));
}

TEST_F(CommuneSimpleTest, FinancialObligationsPauseTheClockUntilPaid) {
  Transition ask = Step(wf_, "processing", "request_payment", kSpecialist);
  EXPECT_EQ(NationalCode(ask.national_status), 6);
  EXPECT_EQ(ask.clock, ClockEffect::kPause);
  Transition paid = Step(wf_, "payment_requested", "confirm_payment", kCitizen);
  EXPECT_EQ(paid.clock, ClockEffect::kResume);
  EXPECT_EQ(paid.to->id, "processing");
}

TEST_F(CommuneSimpleTest, RefusalAtIntakeIsTerminalWithAReason) {
  Transition refuse = Step(wf_, "received", "refuse", kOfficer);
  EXPECT_EQ(NationalCode(refuse.national_status), 3);
  EXPECT_TRUE(refuse.terminal);
  EXPECT_TRUE(refuse.requires_reason);
  EXPECT_EQ(refuse.clock, ClockEffect::kNone);  // the clock never started
  auto late = wf_.Decide("processing", "refuse", kOfficer);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, Code::kFailedPrecondition);
  EXPECT_EQ(late.error().message, "action 'refuse' is not allowed in state 'processing'");
}

TEST_F(CommuneSimpleTest, LeaderSendsBackAStepWithAReason) {
  Transition back = Step(wf_, "leader_approval", "send_back", kLeader);
  EXPECT_EQ(back.to->id, "processing");
  EXPECT_TRUE(back.requires_reason);
  EXPECT_EQ(back.budget, (Budget{1, BudgetUnit::kWorkingDays}));
  EXPECT_EQ(back.clock, ClockEffect::kNone);  // the legal clock keeps running
}

TEST_F(CommuneSimpleTest, CitizenWithdrawsFromAnyWaitingStateButNotOnceFinished) {
  for (const char* state : {"received", "accepted", "processing", "leader_approval",
                            "supplement_requested", "payment_requested"}) {
    Transition w = Step(wf_, state, "withdraw", kCitizen);
    EXPECT_EQ(NationalCode(w.national_status), 7) << state;
    EXPECT_TRUE(w.terminal) << state;
  }
  EXPECT_EQ(Step(wf_, "supplement_requested", "withdraw", kCitizen).clock, ClockEffect::kStop);
  EXPECT_EQ(Step(wf_, "received", "withdraw", kCitizen).clock, ClockEffect::kNone);
  auto finished = wf_.Decide("result_ready", "withdraw", kCitizen);
  ASSERT_FALSE(finished);
  EXPECT_EQ(finished.error().code, Code::kFailedPrecondition);
}

TEST_F(CommuneSimpleTest, OnlyTheLeaderStopsProcessingAndMustSayWhy) {
  Transition stop = Step(wf_, "payment_requested", "stop", kLeader);
  EXPECT_EQ(NationalCode(stop.national_status), 8);
  EXPECT_TRUE(stop.terminal);
  EXPECT_TRUE(stop.requires_reason);
  EXPECT_EQ(stop.clock, ClockEffect::kStop);
  auto specialist = wf_.Decide("processing", "stop", kSpecialist);
  ASSERT_FALSE(specialist);
  EXPECT_EQ(specialist.error().code, Code::kPermissionDenied);
  EXPECT_EQ(specialist.error().message, "role 'specialist' may not 'stop'");
}

TEST_F(CommuneSimpleTest, PermissionErrorsNameTheCallersRoles) {
  auto officer = wf_.Decide("leader_approval", "approve", kOfficer);
  ASSERT_FALSE(officer);
  EXPECT_EQ(officer.error().code, Code::kPermissionDenied);
  EXPECT_EQ(officer.error().message, "role 'officer' may not 'approve'");

  auto two = wf_.Decide("leader_approval", "approve", RoleSet{Role::kOfficer, Role::kCitizen});
  EXPECT_EQ(two.error().message, "roles 'citizen', 'officer' may not 'approve'");
  auto none = wf_.Decide("leader_approval", "approve", RoleSet{});
  EXPECT_EQ(none.error().message, "a caller without a role may not 'approve'");
  // No implicit super-user: an administrator does not approve dossiers.
  auto admin = wf_.Decide("leader_approval", "approve", RoleSet{Role::kSystemAdmin});
  EXPECT_EQ(admin.error().code, Code::kPermissionDenied);
}

TEST_F(CommuneSimpleTest, WrongStateIsCheckedBeforeTheRole) {
  auto r = wf_.Decide("received", "approve", kOfficer);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Code::kFailedPrecondition);
  EXPECT_EQ(r.error().message, "action 'approve' is not allowed in state 'received'");
}

TEST_F(CommuneSimpleTest, UnknownIdsAreInvalidArguments) {
  auto state = wf_.Decide("intake", "approve", kLeader);
  ASSERT_FALSE(state);
  EXPECT_EQ(state.error().code, Code::kInvalidArgument);
  EXPECT_EQ(state.error().message, "unknown state 'intake' in workflow 'commune-simple'");
  EXPECT_EQ(state.error().fields.at("state"), "unknown state 'intake'");

  auto action = wf_.Decide("leader_approval", "aprove", kLeader);
  ASSERT_FALSE(action);
  EXPECT_EQ(action.error().code, Code::kInvalidArgument);
  EXPECT_EQ(action.error().fields.at("action"), "unknown action 'aprove'");

  EXPECT_FALSE(wf_.AllowedActions("archived", kLeader));
  EXPECT_FALSE(wf_.NationalStatusOf("archived"));
  EXPECT_FALSE(wf_.IsTerminal("archived"));
}

TEST_F(CommuneSimpleTest, RolesFromBindingsWhateverTheirUnits) {
  std::vector<accounts::RoleBinding> bindings{{Role::kOfficer, 12, false},
                                              {Role::kUnitLeader, 7, true}};
  RoleSet roles = RoleSet::Of(bindings);
  EXPECT_TRUE(roles.Has(Role::kOfficer));
  EXPECT_TRUE(roles.Has(Role::kUnitLeader));
  EXPECT_FALSE(roles.Has(Role::kSpecialist));
  EXPECT_TRUE(wf_.Decide("leader_approval", "approve", roles));
  EXPECT_THAT(Ids(wf_.AllowedActions("leader_approval", roles)),
              ElementsAre("send_back", "approve", "withdraw", "stop"));
}

TEST_F(CommuneSimpleTest, AllowedActionsDependOnStateAndRole) {
  EXPECT_THAT(Ids(wf_.AllowedActions("received", kOfficer)),
              ElementsAre("accept", "refuse", "withdraw"));
  EXPECT_THAT(Ids(wf_.AllowedActions("received", kSpecialist)), ElementsAre());
  EXPECT_THAT(Ids(wf_.AllowedActions("processing", kSpecialist)),
              ElementsAre("request_supplement", "request_payment", "submit_for_approval"));
  EXPECT_THAT(Ids(wf_.AllowedActions("processing", kLeader)), ElementsAre("stop"));
  EXPECT_THAT(Ids(wf_.AllowedActions("returned", kEveryone)), ElementsAre());
}

TEST_F(CommuneSimpleTest, RolesActingInAStateServeTheInboxes) {
  auto processing = wf_.FindStateIndex("processing");
  ASSERT_TRUE(processing);
  EXPECT_EQ(wf_.RolesActingIn(*processing),
            (RoleSet{Role::kCitizen, Role::kOfficer, Role::kSpecialist, Role::kUnitLeader}));
  auto supplement = wf_.FindStateIndex("supplement_requested");
  EXPECT_TRUE(wf_.RolesActingIn(*supplement).Has(Role::kCitizen));
  EXPECT_TRUE(wf_.RolesActingIn(*wf_.FindStateIndex("returned")).empty());
}

TEST_F(CommuneSimpleTest, LookupsAndTheNationalStatusMapping) {
  EXPECT_EQ(
      NationalCode(wf_.NationalStatusOf("leader_approval").value_or(NationalStatus::kSubmitted)),
      4);
  EXPECT_EQ(
      NationalCode(wf_.NationalStatusOf("payment_requested").value_or(NationalStatus::kSubmitted)),
      6);
  EXPECT_EQ(NationalCode(wf_.NationalStatusOf("withdrawn").value_or(NationalStatus::kSubmitted)),
            7);
  EXPECT_EQ(wf_.IsTerminal("stopped").value_or(false), true);
  EXPECT_EQ(wf_.IsTerminal("result_ready").value_or(true), false);
  ASSERT_NE(wf_.FindState("result_ready"), nullptr);
  EXPECT_EQ(wf_.FindState("result_ready")->name, "Đã có kết quả, chờ trả");
  EXPECT_EQ(wf_.FindAction("withdraw")->name, "Công dân rút hồ sơ");
  EXPECT_EQ(wf_.FindAction("nope"), nullptr);
}

TEST_F(CommuneSimpleTest, IndexOverloadAgreesWithIds) {
  auto s = wf_.FindStateIndex("processing");
  auto a = wf_.FindActionIndex("request_supplement");
  ASSERT_TRUE(s && a);
  auto by_index = wf_.Decide(*s, *a, kSpecialist);
  ASSERT_TRUE(by_index);
  EXPECT_EQ(by_index->to, wf_.FindState("supplement_requested"));
  EXPECT_EQ(by_index->clock, ClockEffect::kPause);
  auto denied = wf_.Decide(*s, *a, kCitizen);
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code, Code::kPermissionDenied);
}

TEST_F(CommuneSimpleTest, DescribeIsAGraphForTheAdminPage) {
  auto doc = boost::json::parse(wf_.Describe());
  const auto& g = doc.as_object();
  EXPECT_EQ(g.at("code").as_string(), "commune-simple");
  EXPECT_EQ(g.at("initial").as_string(), "received");
  EXPECT_EQ(g.at("nodes").as_array().size(), wf_.states().size());
  std::size_t edges = 0;
  for (const Action& a : wf_.actions()) edges += a.from.size();
  EXPECT_EQ(g.at("edges").as_array().size(), edges);

  const auto& first = g.at("nodes").as_array()[0].as_object();
  EXPECT_EQ(first.at("name").as_string(), "Mới tiếp nhận");
  EXPECT_EQ(first.at("national_status").as_int64(), 1);
  EXPECT_EQ(first.at("initial").as_bool(), true);
  bool saw_pause = false;
  for (const auto& e : g.at("edges").as_array()) {
    const auto& edge = e.as_object();
    if (edge.at("action").as_string() != "request_supplement") continue;
    saw_pause = true;
    EXPECT_EQ(edge.at("clock_effect").as_string(), "pause");
    EXPECT_EQ(edge.at("requires_reason").as_bool(), true);
    EXPECT_EQ(edge.at("roles").as_array().size(), 1u);
    EXPECT_TRUE(edge.at("budget").is_null());
  }
  EXPECT_TRUE(saw_pause);
}

TEST(DepartmentWorkflowTest, TransfersToTheDepartmentAndBackToTheCentre) {
  Workflow wf = Demo("department");
  Transition out = Step(wf, "accepted", "transfer_to_department", kOfficer);
  EXPECT_EQ(out.transfer, UnitKind::kDepartment);
  EXPECT_EQ(out.to->id, "department_processing");
  EXPECT_EQ(out.budget, (Budget{7, BudgetUnit::kWorkingDays}));

  Step(wf, "department_processing", "submit_for_approval", kSpecialist);
  Transition approve = Step(wf, "leader_approval", "approve", kLeader);
  EXPECT_FALSE(approve.transfer);
  Transition back = Step(wf, "result_at_department", "transfer_result_to_center", kSpecialist);
  EXPECT_EQ(back.transfer, UnitKind::kReceivingUnit);
  EXPECT_EQ(NationalCode(back.national_status), 9);
  Transition ret = Step(wf, "result_at_center", "return_result", kOfficer);
  EXPECT_TRUE(ret.terminal);
  EXPECT_EQ(NationalCode(ret.national_status), 10);
}

TEST(InterLevelWorkflowTest, OptionalAppraisalMayBeTakenOrSkipped) {
  Workflow wf = Demo("inter-level");
  EXPECT_THAT(Ids(wf.AllowedActions("department_processing", kSpecialist)),
              ElementsAre("return_to_commune", "request_appraisal", "submit_for_approval"));
  const Action* appraisal = wf.FindAction("request_appraisal");
  ASSERT_NE(appraisal, nullptr);
  EXPECT_TRUE(appraisal->optional);
  EXPECT_FALSE(wf.FindAction("submit_for_approval")->optional);

  Transition skip = Step(wf, "department_processing", "submit_for_approval", kSpecialist);
  Transition take = Step(wf, "department_processing", "request_appraisal", kSpecialist);
  EXPECT_EQ(take.to->id, "external_appraisal");
  Transition after = Step(wf, "external_appraisal", "submit_for_approval", kSpecialist);
  EXPECT_EQ(skip.to, after.to);  // both ways lead to the department leader
  EXPECT_EQ(after.to->id, "department_approval");
}

TEST(InterLevelWorkflowTest, CommuneToDepartmentAndBackWithASendBackAcrossUnits) {
  Workflow wf = Demo("inter-level");
  Transition up = Step(wf, "commune_check", "transfer_to_department", kSpecialist);
  EXPECT_EQ(up.transfer, UnitKind::kDepartment);
  EXPECT_EQ(up.action->name, "Chuyển liên thông lên Sở");

  Transition back = Step(wf, "department_processing", "return_to_commune", kSpecialist);
  EXPECT_EQ(back.transfer, UnitKind::kReceivingUnit);
  EXPECT_TRUE(back.requires_reason);
  EXPECT_EQ(back.to->id, "commune_check");

  Transition result = Step(wf, "result_at_department", "transfer_result_to_commune", kSpecialist);
  EXPECT_EQ(result.transfer, UnitKind::kReceivingUnit);
  EXPECT_TRUE(Step(wf, "result_at_commune", "return_result", kOfficer).terminal);
}

TEST(ImmediateWorkflowTest, AnsweredWithinTheWorkingDayOrRefused) {
  Workflow wf = Demo("immediate");
  Transition accept = Step(wf, "received", "accept", kOfficer);
  EXPECT_EQ(accept.budget, (Budget{4, BudgetUnit::kWorkingHours}));
  EXPECT_EQ(accept.clock, ClockEffect::kStart);
  Transition ret = Step(wf, "processing", "return_result", kOfficer);
  EXPECT_TRUE(ret.terminal);
  EXPECT_EQ(ret.clock, ClockEffect::kStop);
  EXPECT_EQ(NationalCode(Step(wf, "received", "refuse", kOfficer).national_status), 3);
}

// Main-path budgets against the limits the demo workflows are made for:
// (working days, working hours) summed along the path.
TEST(DemoBudgetsTest, MainPathsFitRealisticProcedureLimits) {
  struct Path {
    const char* code;
    std::vector<const char*> actions;
    int days, hours;
  };
  const Path paths[] = {
      {"commune-simple", {"accept", "start_processing", "submit_for_approval", "approve"}, 4, 8},
      {"department",
       {"accept", "transfer_to_department", "submit_for_approval", "approve",
        "transfer_result_to_center"},
       9,
       8},
      {"inter-level",
       {"accept", "transfer_to_department", "submit_for_approval", "approve",
        "transfer_result_to_commune"},
       9,
       8},
      {"immediate", {"accept"}, 0, 4},
  };
  for (const Path& p : paths) {
    Workflow wf = Demo(p.code);
    int days = 0, hours = 0;
    std::string state = wf.initial().id;
    for (const char* action : p.actions) {
      Transition t = Step(wf, state, action, kEveryone);
      if (!t.to) break;
      if (t.budget) (t.budget->unit == BudgetUnit::kWorkingDays ? days : hours) += t.budget->value;
      state = t.to->id;
    }
    EXPECT_EQ(days, p.days) << p.code;
    EXPECT_EQ(hours, p.hours) << p.code;
  }
}

// Property: in every demo workflow, walking every allowed action from the
// initial state visits every state, every action succeeds for the roles it
// names, and from every state visited some terminal state can be reached.
TEST(DemoWalkTest, EveryStateIsReachedAndEveryStateCanFinish) {
  for (const char* code : kDemos) {
    SCOPED_TRACE(code);
    Workflow wf = Demo(code);
    std::set<std::string> seen{wf.initial().id};
    std::deque<std::string> queue{wf.initial().id};
    std::map<std::string, std::set<std::string>> next;
    while (!queue.empty()) {
      std::string state = queue.front();
      queue.pop_front();
      auto allowed = wf.AllowedActions(state, kEveryone);
      ASSERT_TRUE(allowed);
      EXPECT_EQ(allowed->empty(), wf.IsTerminal(state).value()) << state;
      for (const Action* a : *allowed) {
        auto t = wf.Decide(state, a->id, a->roles);
        ASSERT_TRUE(t) << state << " / " << a->id << ": " << t.error().message;
        EXPECT_EQ(t->national_status, wf.NationalStatusOf(t->to->id).value());
        next[state].insert(t->to->id);
        if (seen.insert(t->to->id).second) queue.push_back(t->to->id);
      }
    }
    EXPECT_EQ(seen.size(), wf.states().size());
    for (const State& s : wf.states()) {
      std::set<std::string> reach{s.id};
      std::deque<std::string> q{s.id};
      bool finishes = s.terminal;
      while (!q.empty() && !finishes) {
        std::string cur = q.front();
        q.pop_front();
        for (const auto& n : next[cur]) {
          finishes = finishes || wf.IsTerminal(n).value();
          if (reach.insert(n).second) q.push_back(n);
        }
      }
      EXPECT_TRUE(finishes) << s.id << " cannot finish";
    }
  }
}

TEST(WorkflowParseTest, ASmallDefinitionLoadsWithDefaults) {
  auto wf = Workflow::Parse(R"({
    "code": "tiny", "version": 3, "name": "Nhỏ", "name_en": "Tiny", "initial": "a",
    "states": [
      {"id": "a", "name": "A", "name_en": "A", "national_status": 1, "clock": "stopped"},
      {"id": "b", "name": "B", "name_en": "B", "national_status": 10, "terminal": true,
       "clock": "stopped"}],
    "actions": [{"id": "go", "name": "Đi", "name_en": "Go", "from": "a", "to": "b",
                 "roles": ["officer"]}]})");
  ASSERT_TRUE(wf) << wf.error().message;
  EXPECT_EQ(wf->version(), 3);
  const Action& go = wf->actions()[0];
  EXPECT_FALSE(go.budget);
  EXPECT_FALSE(go.transfer);
  EXPECT_FALSE(go.requires_reason);
  EXPECT_FALSE(go.optional);
  EXPECT_FALSE(wf->states()[0].terminal);
}

TEST(WorkflowParseTest, TooManyStatesIsRejectedBeforeAnyCheck) {
  std::string states;
  for (std::size_t i = 0; i <= kMaxStates; ++i) {
    states += std::string(i ? "," : "") + R"({"id": "s)" + std::to_string(i) +
              R"(", "name": "S", "name_en": "S", "national_status": 4, "clock": "running"})";
  }
  auto wf = Workflow::Parse(R"({"code": "big", "version": 1, "name": "L", "name_en": "L",
    "initial": "s0", "states": [)" +
                            states + R"(], "actions": []})");
  ASSERT_FALSE(wf);
  EXPECT_EQ(wf.error().fields.at("states"), "more than 64 entries");
}

TEST(WorkflowClockTest, EffectsFollowTheClocksOfBothStates) {
  EXPECT_EQ(EffectOf(Clock::kStopped, Clock::kRunning), ClockEffect::kStart);
  EXPECT_EQ(EffectOf(Clock::kRunning, Clock::kPaused), ClockEffect::kPause);
  EXPECT_EQ(EffectOf(Clock::kPaused, Clock::kRunning), ClockEffect::kResume);
  EXPECT_EQ(EffectOf(Clock::kPaused, Clock::kStopped), ClockEffect::kStop);
  EXPECT_EQ(EffectOf(Clock::kRunning, Clock::kStopped), ClockEffect::kStop);
  EXPECT_EQ(EffectOf(Clock::kPaused, Clock::kPaused), ClockEffect::kNone);
}

}  // namespace
}  // namespace motcua::workflow
