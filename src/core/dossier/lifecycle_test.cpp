#include "core/dossier/lifecycle.hpp"

#include <gtest/gtest.h>

#include "core/calendar/date.hpp"
#include "core/workflow/internal/test_files.hpp"

namespace motcua::dossier {
namespace {

using calendar::FormatMoment;

TimePoint At(std::string_view text) {
  auto t = calendar::ParseMoment(text);
  EXPECT_TRUE(t) << text;
  return *t;
}

std::string Fmt(const std::optional<TimePoint>& t) { return t ? FormatMoment(*t) : "-"; }

// Walks a dossier through the shipped commune workflow, as the dossier
// service does, keeping the time-keeping between actions.
class LifecycleTest : public ::testing::Test {
 protected:
  // Statutory holidays only; March 2027 has none.
  calendar::WorkingCalendar cal_{calendar::HolidayCalendar(), calendar::OfficeHours()};
  workflow::Workflow wf_ = workflow::internal::Demo("commune-simple");
  ProcedureTime rules_{{5, TimeLimit::Unit::kWorkingDays}, true};
  std::string state_ = "received";
  Progress p_;

  Advance Act(std::string_view action, std::string_view at) {
    auto t = wf_.Decide(state_, action,
                        {accounts::Role::kOfficer, accounts::Role::kSpecialist,
                         accounts::Role::kUnitLeader, accounts::Role::kCitizen});
    EXPECT_TRUE(t) << t.error().message;
    auto a = AdvanceClock(cal_, p_, *t, rules_, At(at));
    EXPECT_TRUE(a) << a.error().message;
    state_ = t->to->id;
    p_ = a->progress;
    return *a;
  }
};

TEST_F(LifecycleTest, AcceptanceStartsTheClockWithTheCutOff) {
  // Wednesday 15:30, after the 15:00 cut-off: counts from Thursday 07:30.
  Advance a = Act("accept", "2027-03-03T15:30+07:00");
  EXPECT_EQ(Fmt(p_.accepted_at), "2027-03-03T15:30:00+07:00");
  EXPECT_EQ(Fmt(p_.clock_start), "2027-03-04T07:30:00+07:00");
  EXPECT_EQ(Fmt(p_.due_at), "2027-03-11T07:30:00+07:00");  // 5 working days
  EXPECT_TRUE(a.opens_step);
  // The accept step's budget: 4 working hours from the hand-over.
  EXPECT_EQ(Fmt(a.step_due_at), "2027-03-04T10:00:00+07:00");
  EXPECT_FALSE(a.closed_step);  // the intake step had no budget
}

TEST_F(LifecycleTest, SupplementPauseMovesTheAppointmentByTheCitizensTime) {
  Act("accept", "2027-03-03T08:00+07:00");
  ASSERT_EQ(Fmt(p_.due_at), "2027-03-10T08:00:00+07:00");
  Act("start_processing", "2027-03-03T09:00+07:00");
  Advance pause = Act("request_supplement", "2027-03-04T08:00+07:00");
  EXPECT_EQ(p_.supplement_count, 1);
  EXPECT_EQ(Fmt(p_.paused_at), "2027-03-04T08:00:00+07:00");
  EXPECT_FALSE(pause.step_due_at);                   // the citizen's step has no due moment
  EXPECT_EQ(pause.closed_step, Timeliness::kEarly);  // within the 3-day budget
  // The citizen answers on Friday at 13:30: 7 working hours of Thursday and
  // the 4 of Friday morning, 11 in all.
  Advance resume = Act("supplement", "2027-03-05T13:30+07:00");
  EXPECT_FALSE(p_.paused_at);
  Micros taken =
      *cal_.WorkingTimeBetween(At("2027-03-04T08:00+07:00"), At("2027-03-05T13:30+07:00"));
  EXPECT_EQ(p_.paused, taken);
  auto expected_due = *cal_.AddWorkingHours(At("2027-03-10T08:00+07:00"), taken);
  EXPECT_EQ(Fmt(p_.due_at), FormatMoment(expected_due));
  EXPECT_EQ(p_.paused, std::chrono::hours(11));
  EXPECT_EQ(Fmt(p_.due_at), "2027-03-11T11:30:00+07:00");
  // The specialist's step (3 working days from Wednesday 09:00, Monday
  // 09:00) resumes with its budget moved by the same 11 hours.
  EXPECT_EQ(Fmt(resume.step_due_at), "2027-03-09T14:30:00+07:00");
  EXPECT_FALSE(resume.closed_step);  // the citizen's step is not judged
}

TEST_F(LifecycleTest, FinishingJudgesTheDossierAndReturningStampsIt) {
  Act("accept", "2027-03-03T08:00+07:00");
  Act("start_processing", "2027-03-03T09:00+07:00");
  Act("submit_for_approval", "2027-03-05T09:00+07:00");
  Advance approve = Act("approve", "2027-03-05T14:00+07:00");
  EXPECT_EQ(Fmt(p_.finished_at), "2027-03-05T14:00:00+07:00");
  EXPECT_EQ(p_.timeliness, Timeliness::kEarly);  // due 2027-03-10
  // The leader's step was due Monday 09:00: approved on Friday, early.
  EXPECT_EQ(approve.closed_step, Timeliness::kEarly);
  EXPECT_TRUE(approve.opens_step);  // result waiting at the counter
  Advance ret = Act("return_result", "2027-03-08T08:00+07:00");
  EXPECT_EQ(Fmt(p_.returned_at), "2027-03-08T08:00:00+07:00");
  EXPECT_FALSE(ret.opens_step);
  EXPECT_EQ(Fmt(p_.finished_at), "2027-03-05T14:00:00+07:00");  // finished stays
}

TEST_F(LifecycleTest, TwoSupplementRequestsMakeTheDossierLateWhateverTheDates) {
  Act("accept", "2027-03-03T08:00+07:00");
  Act("start_processing", "2027-03-03T08:10+07:00");
  Act("request_supplement", "2027-03-03T08:20+07:00");
  Act("supplement", "2027-03-03T08:30+07:00");
  Act("request_supplement", "2027-03-03T08:40+07:00");
  Act("supplement", "2027-03-03T08:50+07:00");
  EXPECT_EQ(p_.supplement_count, 2);
  Act("submit_for_approval", "2027-03-03T09:00+07:00");
  Act("approve", "2027-03-03T09:10+07:00");
  EXPECT_EQ(p_.timeliness, Timeliness::kLate);
}

TEST_F(LifecycleTest, PaymentPauseDoesNotCountAsASupplementRequest) {
  Act("accept", "2027-03-03T08:00+07:00");
  Act("start_processing", "2027-03-03T08:10+07:00");
  Act("request_payment", "2027-03-03T08:20+07:00");
  EXPECT_EQ(p_.supplement_count, 0);
  EXPECT_TRUE(p_.paused_at);
  Act("confirm_payment", "2027-03-03T08:30+07:00");
  EXPECT_FALSE(p_.paused_at);
}

TEST_F(LifecycleTest, LateStepsAndLateDossiers) {
  Act("accept", "2027-03-03T08:00+07:00");
  // The accept step had 4 working hours, up to 14:00 with the lunch break:
  // handed over at 14:30, it is late.
  Advance a = Act("start_processing", "2027-03-03T14:30+07:00");
  EXPECT_EQ(a.closed_step, Timeliness::kLate);
  Act("submit_for_approval", "2027-03-10T09:00+07:00");
  Act("approve", "2027-03-11T09:00+07:00");
  EXPECT_EQ(p_.timeliness, Timeliness::kLate);  // due 2027-03-10T08:00
}

TEST_F(LifecycleTest, WithdrawalDuringAPauseEndsThePauseAndFinishes) {
  Act("accept", "2027-03-03T08:00+07:00");
  Act("start_processing", "2027-03-03T08:10+07:00");
  Act("request_supplement", "2027-03-03T09:00+07:00");
  Advance w = Act("withdraw", "2027-03-08T09:00+07:00");
  EXPECT_FALSE(p_.paused_at);
  EXPECT_FALSE(w.opens_step);
  EXPECT_EQ(Fmt(p_.finished_at), "2027-03-08T09:00:00+07:00");
  // The citizen's three working days are not the agency's: still early.
  EXPECT_EQ(p_.timeliness, Timeliness::kEarly);
}

TEST_F(LifecycleTest, RefusalAtIntakeHasNoAppointmentToJudge) {
  Advance r = Act("refuse", "2027-03-03T08:00+07:00");
  EXPECT_FALSE(r.opens_step);
  EXPECT_EQ(Fmt(p_.finished_at), "2027-03-03T08:00:00+07:00");
  EXPECT_FALSE(p_.timeliness);
  EXPECT_FALSE(p_.due_at);
}

TEST(AddBudgetTest, WorkingDaysAndHours) {
  calendar::WorkingCalendar cal{calendar::HolidayCalendar(), calendar::OfficeHours()};
  auto d = AddBudget(cal, At("2027-03-05T16:00+07:00"), {2, workflow::BudgetUnit::kWorkingDays});
  ASSERT_TRUE(d);
  EXPECT_EQ(FormatMoment(*d), "2027-03-09T16:00:00+07:00");  // Friday + 2 = Tuesday
  auto h = AddBudget(cal, At("2027-03-05T16:00+07:00"), {2, workflow::BudgetUnit::kWorkingHours});
  ASSERT_TRUE(h);
  EXPECT_EQ(FormatMoment(*h), "2027-03-08T08:30:00+07:00");  // 1 h Friday, 1 h Monday
}

}  // namespace
}  // namespace motcua::dossier
