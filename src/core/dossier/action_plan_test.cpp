#include "core/dossier/action_plan.hpp"

#include <gtest/gtest.h>

#include "core/calendar/date.hpp"
#include "core/catalog/testing.hpp"
#include "core/units/testing.hpp"
#include "core/workflow/internal/test_files.hpp"

namespace motcua::dossier {
namespace {

using accounts::Role;
using units::testing::kJustice;
using units::testing::kThanhMaiNew;
using units::testing::kThanhVan;
using workflow::RoleSet;

TimePoint At(std::string_view text) { return *calendar::ParseMoment(text); }

bool Names(const Error& e, const std::string& field) {
  for (const auto& [k, v] : e.fields)
    if (k == field) return true;
  return false;
}

class ActionPlanTest : public ::testing::Test {
 protected:
  ActionPlanTest() { procedure_.components.push_back({"TP2", "Giấy tờ tùy thân", 1, 0, true, ""}); }

  workflow::Transition Decide(const std::string& state, const std::string& action, Role role) {
    auto t = wf_.Decide(state, action, RoleSet{role});
    EXPECT_TRUE(t) << action << ": " << t.error().message;
    return *t;
  }

  Result<ActionPlan> Plan(const workflow::Transition& t, const ActionInput& in,
                          const Progress& before = {}) {
    return PlanAction({cal_, tree_, now_}, {before, kThanhMaiNew, kThanhMaiNew}, t, procedure_, in);
  }

  // Wednesday 2 December 2026, 08:30.
  TimePoint now_ = At("2026-12-02T08:30+07:00");
  calendar::WorkingCalendar cal_{calendar::HolidayCalendar(), calendar::OfficeHours()};
  units::UnitTree tree_{units::testing::MergedProvince()};
  workflow::Workflow wf_ = workflow::internal::Demo("inter-level");
  catalog::Procedure procedure_ = catalog::testing::MakeProcedure("1.004873.000.00.00.H56", "X");
};

TEST_F(ActionPlanTest, AcceptanceStartsTheClockAndTheEventSaysTheAppointment) {
  auto plan = Plan(Decide("received", "accept", Role::kOfficer), {});
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ(calendar::FormatMoment(*plan->progress.due_at), "2026-12-07T08:30:00+07:00");
  EXPECT_EQ(plan->payload.clock_start, now_);
  EXPECT_EQ(plan->payload.due_at, plan->progress.due_at);
  EXPECT_TRUE(plan->opens_step);
  EXPECT_EQ(plan->pending, ActionPlan::Pending::kKeep);
  EXPECT_EQ(plan->current_unit_id, kThanhMaiNew);
}

TEST_F(ActionPlanTest, EveryProblemOfTheInputIsNamedAtOnce) {
  // A request for supplements with no items, an amount, a unit and a file of
  // another procedure's component.
  auto plan = Plan(Decide("commune_check", "request_supplement", Role::kSpecialist),
                   {"", {}, 10000, kJustice, {{"f1", "TP9"}}});
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().code, Code::kInvalidArgument);
  for (const char* field : {"reason", "items", "fee_vnd", "to_unit_id", "files[0].component_code"})
    EXPECT_TRUE(Names(plan.error(), field)) << field << ": " << plan.error().message;
  // Items name a component of the procedure, or say what is missing.
  plan = Plan(Decide("commune_check", "request_supplement", Role::kSpecialist),
              {"Thiếu", {{"", "TP7"}, {"  ", std::nullopt}}});
  ASSERT_FALSE(plan);
  EXPECT_TRUE(Names(plan.error(), "items[0].component_code"));
  EXPECT_TRUE(Names(plan.error(), "items[1].description"));
  // Only a request for supplements lists items.
  plan = Plan(Decide("received", "accept", Role::kOfficer), {"", {{"Bản sao", std::nullopt}}});
  ASSERT_FALSE(plan);
  EXPECT_TRUE(Names(plan.error(), "items"));
}

TEST_F(ActionPlanTest, ARequestForSupplementsWaitsForTheCitizenWithWhatItAsks) {
  Progress running = Plan(Decide("received", "accept", Role::kOfficer), {})->progress;
  auto plan = Plan(Decide("commune_check", "request_supplement", Role::kSpecialist),
                   {" Thiếu giấy tờ ", {{" Bản sao mờ ", std::string("TP2")}}}, running);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ(plan->pending, ActionPlan::Pending::kSet);
  ASSERT_TRUE(plan->request);
  EXPECT_EQ(plan->request->items.at(0).description, "Bản sao mờ");  // trimmed
  EXPECT_EQ(plan->payload.reason, "Thiếu giấy tờ");
  EXPECT_EQ(plan->progress.supplement_count, 1);
  EXPECT_EQ(plan->progress.paused_at, now_);
  EXPECT_EQ(
      PendingRequestJson(*plan->request),
      R"({"kind":"supplement","requested_at":"2026-12-02T08:30:00+07:00",)"
      R"("reason":"Thiếu giấy tờ","items":[{"description":"Bản sao mờ","component_code":"TP2"}]})");
}

TEST_F(ActionPlanTest, ATransferGoesToAUnitOfTheKindTheWorkflowNames) {
  Progress running = Plan(Decide("received", "accept", Role::kOfficer), {})->progress;
  const auto transfer = Decide("commune_check", "transfer_to_department", Role::kSpecialist);
  auto missing = Plan(transfer, {}, running);
  ASSERT_FALSE(missing);
  EXPECT_TRUE(Names(missing.error(), "to_unit_id"));
  auto commune = Plan(transfer, {"", {}, std::nullopt, kThanhMaiNew}, running);
  ASSERT_FALSE(commune);
  EXPECT_NE(commune.error().fields.at("to_unit_id").find("is not a department"), std::string::npos);
  // A unit gone since the merger is no destination (a commune here; any kind).
  auto gone = Plan(transfer, {"", {}, std::nullopt, kThanhVan}, running);
  ASSERT_FALSE(gone);
  auto sent = Plan(transfer, {"", {}, std::nullopt, kJustice}, running);
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(sent->current_unit_id, kJustice);
  EXPECT_EQ(sent->payload.to_unit_id, kJustice);
}

TEST_F(ActionPlanTest, TheFormsAHistoryDecidedAndWhoMayRate) {
  const std::vector<HistoryStep> history = {{"submit", "received"},
                                            {"accept", "commune_check"},
                                            {"request_supplement", "supplement_requested"},
                                            {"supplement", "commune_check"},
                                            {"request_supplement", "supplement_requested"},
                                            {"apology", "supplement_requested"},
                                            {"national_synced", "supplement_requested"},
                                            {"stop", "stopped"},
                                            {"national_synced", "stopped"},
                                            {"rated", "stopped"}};
  auto forms = DecidedForms(history, &wf_);
  ASSERT_EQ(forms.size(), 3u);
  EXPECT_EQ(forms[0].form, 2);
  EXPECT_EQ(forms[0].event, 4u);  // the last request, not the portal's acknowledgement after it
  EXPECT_EQ(forms[1].form, 4);
  EXPECT_EQ(forms[2].form, 5);
  EXPECT_EQ(forms[2].event, 7u);  // the stop: its letter has its reason and signer
  EXPECT_EQ(DecidedForms(history, nullptr).size(), 1u);  // without the workflow: the apology
  EXPECT_TRUE(Rateable(true, workflow::NationalStatus::kStopped));
  EXPECT_TRUE(Rateable(true, workflow::NationalStatus::kNotAccepted));
  EXPECT_FALSE(Rateable(true, workflow::NationalStatus::kWithdrawn));
  EXPECT_FALSE(Rateable(false, workflow::NationalStatus::kProcessing));
}

}  // namespace
}  // namespace motcua::dossier
