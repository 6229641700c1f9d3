// The false-commitment machine, one row at a time: each test starts in the
// row's source state, fires its event, and asserts the target state, the
// data and the effects. Every event a state does not accept is refused
// without output. The printed rectification order is checked at the end.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "policies/catalogue.h"
#include "policies/subject_vocabulary.h"
#include "policies/verification_rules.h"
#include "tests/support/machine_test.h"
#include "tests/support/shipped_rules.h"
#include "tests/support/status_matchers.h"
#include "workflows/commitment/eligibility.h"
#include "workflows/false_commitment/false_commitment_workflow.h"

namespace credflow::workflows::false_commitment {
namespace {

using engine::Json;
using policies::Date;

constexpr const char* kSubject = "91320500L968FMY61Q";
constexpr const char* kCaseId = "fc-1";
constexpr const char* kFindings =
    "cold storage and the separate raw/cooked preparation areas described in the commitment do not exist";

class FalseCommitmentMachineTest : public testing::MachineTest {
 protected:
  FalseCommitmentMachineTest()
      : MachineTest(NewFalseCommitmentWorkflow(), kPolicyId, Date::FromYmd(2025, 4, 10), kCaseId, kSubject) {
    c_.data = OpeningData();
  }

  // What the commitment case opens this case with.
  static Json OpeningData() {
    return Json{{"commitment_case", "c-1"},
                {"commitment_type", "food_business_permit"},
                {"verification_case", "v-1"},
                {"findings", kFindings}};
  }

  // The case as RectificationOrdered leaves it (deadline 2025-04-25).
  static Json OrderedData() {
    Json data = OpeningData();
    data["applicant_name"] = "苏州禾丰餐饮管理有限公司";
    data["ordered_on"] = "2025-04-10";
    data["deadline"] = "2025-04-25";
    data["legal_basis"] =
        "食品安全法 art 35 (permit required, R); 告知承诺 by local food-business-permit rule (V~); "
        "深圳经济特区社会信用条例 art 64(2)";
    data["suspended"] = true;
    return data;
  }

  const engine::SubjectRecord* RecordOfKind(const std::string& kind) const {
    for (const engine::PutSubjectRecord* put : EffectsOf<engine::PutSubjectRecord>()) {
      if (put->record.kind == kind) return &put->record;
    }
    return nullptr;
  }

  // A copy of the shipped verification policy whose food-business-permit
  // rectification period is `period`, extended over rest days or not.
  void UseRectificationPeriod(policies::Period period, bool extend_over_rest_days) {
    custom_ = *policy_;
    for (policies::VerificationRule& rule : custom_.Section<policies::VerificationSection>().rules) {
      if (rule.commitment_type != "food_business_permit") continue;
      rule.rectification.period = period;
      rule.rectification.extend_over_rest_days = extend_over_rest_days;
    }
    policy_ = &custom_;
  }

  policies::Policy custom_;
};

// The table the machine reports (read by `workflow describe`, the API and the
// table suite) has the designed five unguarded rows and outcomes.
TEST_F(FalseCommitmentMachineTest, DescribesItsTable) {
  EXPECT_EQ(workflow_->name(), "false_commitment");
  EXPECT_EQ(workflow_->policy_id(), "commitment-verification");
  EXPECT_EQ(workflow_->initial_state(), "Opened");
  EXPECT_EQ(workflow_->states().size(), 5u);
  const auto rows = workflow_->transitions();
  ASSERT_EQ(rows.size(), 5u);
  const std::vector<std::vector<std::string>> expected = {
      {"Opened", "NonconformityFound", "RectificationOrdered", "OrderRectification", "none"},
      {"RectificationOrdered", "RectificationConfirmed", "Rectified", "RecordRectification", "none"},
      {"RectificationOrdered", "RectificationDeadlinePassed", "Revoked", "RevokeDecision", "none"},
      {"RectificationOrdered", "RectificationRefused", "Revoked", "RevokeDecision", "none"},
      {"Revoked", "CreditRecordRepaired", "Repaired", "MarkRecordRepaired", "none"}};
  for (size_t i = 0; i < rows.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ((std::vector<std::string>{rows[i].from, rows[i].event, rows[i].to, rows[i].action, rows[i].guard}),
              expected[i]);
  }
  EXPECT_EQ(workflow_->OutcomeOf("Opened"), "pending");
  EXPECT_EQ(workflow_->OutcomeOf("RectificationOrdered"), "rectification_ordered");
  EXPECT_EQ(workflow_->OutcomeOf("Rectified"), "rectified");
  EXPECT_EQ(workflow_->OutcomeOf("Revoked"), "revoked");
  EXPECT_EQ(workflow_->OutcomeOf("Repaired"), "repaired");
}

// Opened --NonconformityFound / OrderRectification--> RectificationOrdered,
// with the item's period from the pinned policy: 15 days from 2025-04-10 is
// 2025-04-25.
TEST_F(FalseCommitmentMachineTest, NonconformityOrdersRectificationWithThePolicyPeriod) {
  ASSERT_TRUE(Fire("Opened", "NonconformityFound", Json::object(), Date::FromYmd(2025, 4, 10)).ok());
  ASSERT_FALSE(out_.failure.has_value()) << out_.failure->ToString();
  EXPECT_EQ(out_.to_state, "RectificationOrdered");
  EXPECT_EQ(out_.data["ordered_on"], "2025-04-10");
  EXPECT_EQ(out_.data["deadline"], "2025-04-25");
  EXPECT_EQ(out_.data["suspended"], true);
  EXPECT_EQ(out_.data["findings"], kFindings);
  EXPECT_EQ(out_.data["commitment_case"], "c-1");
  EXPECT_EQ(out_.data["rectification"]["period"], "15 days");
  EXPECT_EQ(out_.data["rectification"]["extend_over_rest_days"], false);
  EXPECT_EQ(out_.data["rectification"]["policy"]["id"], "commitment-verification");
  // The item's legal basis from the catalogue in force, then Shenzhen art 64(2).
  EXPECT_EQ(out_.data["legal_basis"],
            "食品安全法 art 35 (permit required, R); 告知承诺 by local food-business-permit rule (V~); "
            "深圳经济特区社会信用条例 art 64(2)");
  ASSERT_EQ(out_.effects.size(), 2u);
  auto timers = EffectsOf<engine::SetTimer>();
  ASSERT_EQ(timers.size(), 1u);
  EXPECT_EQ(timers[0]->name, "rectification_due");
  EXPECT_EQ(timers[0]->event, "RectificationDeadlinePassed");
  EXPECT_EQ(timers[0]->due_on, Date::FromYmd(2025, 4, 25));
  EXPECT_FALSE(timers[0]->fire_on.has_value());  // fires the day after the deadline
  auto notices = EffectsOf<engine::SendNotice>();
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0]->recipient, "applicant");
  EXPECT_EQ(notices[0]->template_id, "false_commitment.rectification_order");
  EXPECT_EQ(notices[0]->data["deadline"], "2025-04-25");
  EXPECT_EQ(notices[0]->data["findings"], kFindings);
  EXPECT_EQ(notices[0]->data["name"], "食品经营许可");
  EXPECT_EQ(notices[0]->data["suspended"], true);
}

// The report's rectification_days (opening data) replaces the policy period:
// 30 calendar days from 2025-04-10 is 2025-05-10, a Saturday, kept because
// the item's rule does not extend over rest days.
TEST_F(FalseCommitmentMachineTest, ReportedRectificationDaysOverrideThePolicyPeriod) {
  c_.data["rectification_days"] = 30;
  ASSERT_TRUE(Fire("Opened", "NonconformityFound", Json::object(), Date::FromYmd(2025, 4, 10)).ok());
  ASSERT_FALSE(out_.failure.has_value());
  EXPECT_EQ(out_.data["deadline"], "2025-05-10");
  EXPECT_EQ(out_.data["rectification"]["period"], "30 days");
  ASSERT_EQ(EffectsOf<engine::SetTimer>().size(), 1u);
  EXPECT_EQ(EffectsOf<engine::SetTimer>()[0]->due_on, Date::FromYmd(2025, 5, 10));
}

// Event data complete the opening data and win over it: 20 days from
// 2025-04-10 is 2025-04-30.
TEST_F(FalseCommitmentMachineTest, EventDataOverrideTheOpeningData) {
  c_.data["rectification_days"] = 30;
  c_.data.erase("findings");
  ASSERT_TRUE(Fire("Opened", "NonconformityFound",
                   {{"rectification_days", 20}, {"findings", "no cold storage"}, {"applicant_name", "禾丰"}},
                   Date::FromYmd(2025, 4, 10))
                  .ok());
  ASSERT_FALSE(out_.failure.has_value());
  EXPECT_EQ(out_.data["deadline"], "2025-04-30");
  EXPECT_EQ(out_.data["findings"], "no cold storage");
  EXPECT_EQ(out_.data["applicant_name"], "禾丰");
}

// A rule that extends over rest days: 15 days from 2025-09-23 is 2025-10-08,
// the last day of the National Day holiday (10-01..10-08), so the period ends
// on the next working day, 2025-10-09.
TEST_F(FalseCommitmentMachineTest, RectificationPeriodEndingInNationalDayMovesToNextWorkingDay) {
  UseRectificationPeriod({15, policies::Period::Unit::kCalendarDays}, /*extend_over_rest_days=*/true);
  ASSERT_TRUE(Fire("Opened", "NonconformityFound", Json::object(), Date::FromYmd(2025, 9, 23)).ok());
  ASSERT_FALSE(out_.failure.has_value());
  EXPECT_EQ(out_.data["deadline"], "2025-10-09");
  EXPECT_EQ(out_.data["rectification"]["extend_over_rest_days"], true);
  ASSERT_EQ(EffectsOf<engine::SetTimer>().size(), 1u);
  EXPECT_EQ(EffectsOf<engine::SetTimer>()[0]->due_on, Date::FromYmd(2025, 10, 9));

  // A reported period follows the same rule for its last day.
  c_.data["rectification_days"] = 15;
  ASSERT_TRUE(Fire("Opened", "NonconformityFound", Json::object(), Date::FromYmd(2025, 9, 23)).ok());
  EXPECT_EQ(out_.data["deadline"], "2025-10-09");

  // The shipped rule does not extend: the period ends on the holiday.
  policy_ = testing::ShippedRules().policies.Select(kPolicyId, Date::FromYmd(2025, 9, 23));
  ASSERT_TRUE(Fire("Opened", "NonconformityFound", Json::object(), Date::FromYmd(2025, 9, 23)).ok());
  EXPECT_EQ(out_.data["deadline"], "2025-10-08");
}

// A working-day period across National Day counts the make-up working days:
// 10 working days from Friday 2025-09-26 are 09-28 (Sunday, worked), 09-29,
// 09-30, 10-09, 10-10, 10-11 (Saturday, worked), 10-13 .. 10-16.
TEST_F(FalseCommitmentMachineTest, WorkingDayRectificationPeriodAcrossNationalDay) {
  UseRectificationPeriod({10, policies::Period::Unit::kWorkingDays}, /*extend_over_rest_days=*/true);
  ASSERT_TRUE(Fire("Opened", "NonconformityFound", Json::object(), Date::FromYmd(2025, 9, 26)).ok());
  ASSERT_FALSE(out_.failure.has_value());
  EXPECT_EQ(out_.data["deadline"], "2025-10-16");
  EXPECT_EQ(out_.data["rectification"]["period"], "10 working_days");
}

// An order must state what was found untrue: without findings the transition
// fails and nothing is written.
TEST_F(FalseCommitmentMachineTest, OrderWithoutFindingsFailsTheTransition) {
  c_.data.erase("findings");
  ASSERT_TRUE(Fire("Opened", "NonconformityFound", Json::object(), Date::FromYmd(2025, 4, 10)).ok());
  ASSERT_TRUE(out_.failure.has_value());
  EXPECT_EQ(out_.failure->reason(), "invalid_event_data");
}

// The order needs the item's rule and legal basis: a type the catalogue does
// not list fails the transition, and nothing is written.
TEST_F(FalseCommitmentMachineTest, ItemOffTheCatalogueFailsTheTransition) {
  c_.data["commitment_type"] = "no_such_item";
  ASSERT_TRUE(Fire("Opened", "NonconformityFound", Json::object(), Date::FromYmd(2025, 4, 10)).ok());
  ASSERT_TRUE(out_.failure.has_value());
  EXPECT_EQ(out_.failure->reason(), "unknown_commitment_type");
}

TEST_F(FalseCommitmentMachineTest, RectificationDaysMustBeAWholePositiveNumber) {
  for (const Json& bad : {Json(0), Json(-3), Json(1.5), Json("15")}) {
    SCOPED_TRACE(bad.dump());
    c_.data["rectification_days"] = bad;
    ASSERT_TRUE(Fire("Opened", "NonconformityFound", Json::object(), Date::FromYmd(2025, 4, 10)).ok());
    ASSERT_TRUE(out_.failure.has_value());
    EXPECT_EQ(out_.failure->reason(), "invalid_event_data");
  }
}

// Without a rule for the item only a reported period can set the deadline.
TEST_F(FalseCommitmentMachineTest, ItemWithoutVerificationRuleNeedsReportedDays) {
  custom_ = *policy_;
  custom_.Section<policies::VerificationSection>().rules.clear();
  policy_ = &custom_;
  ASSERT_TRUE(Fire("Opened", "NonconformityFound", Json::object(), Date::FromYmd(2025, 4, 10)).ok());
  ASSERT_TRUE(out_.failure.has_value());
  EXPECT_EQ(out_.failure->reason(), "no_verification_rule");

  c_.data["rectification_days"] = 15;
  ASSERT_TRUE(Fire("Opened", "NonconformityFound", Json::object(), Date::FromYmd(2025, 4, 10)).ok());
  ASSERT_FALSE(out_.failure.has_value());
  EXPECT_EQ(out_.data["deadline"], "2025-04-25");
}

// A deadline the calendar cannot compute (2040 has neither a notice nor
// lunar dates) fails.
TEST_F(FalseCommitmentMachineTest, DeadlineInAnUnknownYearFailsTheTransition) {
  UseRectificationPeriod({15, policies::Period::Unit::kCalendarDays}, /*extend_over_rest_days=*/true);
  ASSERT_TRUE(Fire("Opened", "NonconformityFound", Json::object(), Date::FromYmd(2040, 4, 10)).ok());
  ASSERT_TRUE(out_.failure.has_value());
  EXPECT_EQ(out_.failure->reason(), "calendar_unknown_year");
}

// A deadline ending in next year, whose notice is not out, is counted on the
// provisional year and armed as provisional, saying how it was counted.
TEST_F(FalseCommitmentMachineTest, DeadlineInNextYearIsProvisional) {
  UseRectificationPeriod({15, policies::Period::Unit::kCalendarDays}, /*extend_over_rest_days=*/true);
  ASSERT_TRUE(Fire("Opened", "NonconformityFound", Json::object(), Date::FromYmd(2026, 12, 20)).ok());
  ASSERT_FALSE(out_.failure.has_value()) << out_.failure->ToString();
  EXPECT_EQ(out_.data["deadline"], "2027-01-04");
  const engine::SetTimer* armed = nullptr;
  for (const engine::Effect& e : out_.effects) {
    if (const auto* t = std::get_if<engine::SetTimer>(&e)) armed = t;
  }
  ASSERT_NE(armed, nullptr);
  EXPECT_TRUE(armed->provisional);
  EXPECT_EQ(armed->payload["deadline"]["field"], "/deadline");
  EXPECT_EQ(armed->payload["deadline"]["start"], "2026-12-20");
  EXPECT_EQ(armed->payload["deadline"]["calendar"]["version"], "cn@2026");

  // Two years ahead is beyond the working-calendar policy's horizon.
  UseRectificationPeriod({400, policies::Period::Unit::kCalendarDays}, /*extend_over_rest_days=*/true);
  ASSERT_TRUE(Fire("Opened", "NonconformityFound", Json::object(), Date::FromYmd(2026, 12, 20)).ok());
  ASSERT_TRUE(out_.failure.has_value());
  EXPECT_EQ(out_.failure->reason(), "calendar_unknown_year");
}

// RectificationOrdered --RectificationConfirmed / RecordRectification--> Rectified
TEST_F(FalseCommitmentMachineTest, ConfirmedRectificationResumesTheMatter) {
  c_.data = OrderedData();
  ASSERT_TRUE(Fire("RectificationOrdered", "RectificationConfirmed", {{"note", "cold room installed"}},
                   Date::FromYmd(2025, 4, 22))
                  .ok());
  ASSERT_FALSE(out_.failure.has_value());
  EXPECT_EQ(out_.to_state, "Rectified");
  EXPECT_EQ(out_.data["rectified_on"], "2025-04-22");
  EXPECT_EQ(out_.data["resumed_on"], "2025-04-22");
  EXPECT_EQ(out_.data["suspended"], false);
  EXPECT_EQ(out_.data["rectification_note"], "cold room installed");
  EXPECT_EQ(out_.data["deadline"], "2025-04-25");  // kept for the record
  ASSERT_EQ(out_.effects.size(), 2u);
  ASSERT_EQ(EffectsOf<engine::CancelTimer>().size(), 1u);
  EXPECT_EQ(EffectsOf<engine::CancelTimer>()[0]->name, "rectification_due");
  ASSERT_EQ(EffectsOf<engine::SendNotice>().size(), 1u);
  EXPECT_EQ(EffectsOf<engine::SendNotice>()[0]->template_id, "false_commitment.rectified");
  EXPECT_TRUE(EffectsOf<engine::PutSubjectRecord>().empty());
}

// RectificationOrdered --RectificationDeadlinePassed / RevokeDecision--> Revoked:
// the timer armed for 2025-04-25 fires on 2025-04-26.
TEST_F(FalseCommitmentMachineTest, MissedDeadlineRevokesAndRecordsTheFalseCommitment) {
  c_.data = OrderedData();
  ASSERT_TRUE(Fire("RectificationOrdered", "RectificationDeadlinePassed",
                   {{"timer", "rectification_due"}, {"due_on", "2025-04-25"}}, Date::FromYmd(2025, 4, 26))
                  .ok());
  ASSERT_FALSE(out_.failure.has_value());
  EXPECT_EQ(out_.to_state, "Revoked");
  EXPECT_EQ(out_.reason, "rectification_overdue");
  EXPECT_EQ(out_.data["revoked_on"], "2025-04-26");
  EXPECT_EQ(out_.data["revocation_reason"], "rectification_overdue");
  EXPECT_EQ(out_.data["suspended"], false);
  EXPECT_EQ(out_.data["false_commitment_record_id"], "fc-1:false_commitment");
  EXPECT_EQ(out_.data["penalty_referral_id"], "fc-1:penalty_referral");

  ASSERT_EQ(EffectsOf<engine::PutSubjectRecord>().size(), 2u);
  const engine::SubjectRecord* record = RecordOfKind("false_commitment");
  ASSERT_NE(record, nullptr);
  EXPECT_EQ(record->id, "fc-1:false_commitment");
  EXPECT_EQ(record->status, "active");
  EXPECT_EQ(record->subject, kSubject);
  EXPECT_EQ(record->case_id, kCaseId);
  EXPECT_EQ(record->created_at, now_);
  EXPECT_EQ(record->data["commitment_case"], "c-1");
  EXPECT_EQ(record->data["commitment_type"], "food_business_permit");
  EXPECT_EQ(record->data["verification_case"], "v-1");
  EXPECT_EQ(record->data["findings"], kFindings);
  EXPECT_EQ(record->data["source"], "深圳经济特区社会信用条例 art 64(2); 国办发〔2020〕42号");

  const engine::SubjectRecord* referral = RecordOfKind("penalty_referral");
  ASSERT_NE(referral, nullptr);
  EXPECT_EQ(referral->id, "fc-1:penalty_referral");
  EXPECT_EQ(referral->status, "active");
  EXPECT_EQ(referral->data["commitment_case"], "c-1");
  EXPECT_EQ(referral->data["findings"], kFindings);
  EXPECT_EQ(referral->data["revocation_reason"], "rectification_overdue");
  EXPECT_EQ(referral->data["referred_on"], "2025-04-26");

  ASSERT_EQ(EffectsOf<engine::CancelTimer>().size(), 1u);
  EXPECT_EQ(EffectsOf<engine::CancelTimer>()[0]->name, "rectification_due");
  auto notices = EffectsOf<engine::SendNotice>();
  ASSERT_EQ(notices.size(), 2u);
  EXPECT_EQ(notices[0]->recipient, "applicant");
  EXPECT_EQ(notices[0]->template_id, "false_commitment.decision_revoked");
  EXPECT_EQ(notices[1]->template_id, "false_commitment.penalty_referral");
  EXPECT_TRUE(EffectsOf<engine::SetTimer>().empty());
}

// RectificationOrdered --RectificationRefused / RevokeDecision--> Revoked
TEST_F(FalseCommitmentMachineTest, RefusalRevokesAndRecordsTheFalseCommitment) {
  c_.data = OrderedData();
  ASSERT_TRUE(Fire("RectificationOrdered", "RectificationRefused", {{"reason", "will not install cold storage"}},
                   Date::FromYmd(2025, 4, 15))
                  .ok());
  ASSERT_FALSE(out_.failure.has_value());
  EXPECT_EQ(out_.to_state, "Revoked");
  EXPECT_EQ(out_.reason, "rectification_refused");
  EXPECT_EQ(out_.data["revoked_on"], "2025-04-15");
  EXPECT_EQ(out_.data["refusal_reason"], "will not install cold storage");
  const engine::SubjectRecord* record = RecordOfKind("false_commitment");
  ASSERT_NE(record, nullptr);
  EXPECT_EQ(record->id, "fc-1:false_commitment");
  EXPECT_EQ(record->status, "active");
  ASSERT_NE(RecordOfKind("penalty_referral"), nullptr);
  EXPECT_EQ(RecordOfKind("penalty_referral")->status, "active");
  ASSERT_EQ(EffectsOf<engine::CancelTimer>().size(), 1u);  // the deadline is disarmed
  EXPECT_EQ(EffectsOf<engine::SendNotice>().size(), 2u);
}

// The record the revocation writes is the one the commitment route's
// eligibility check reads: it closes the route until repaired.
TEST_F(FalseCommitmentMachineTest, RevocationRecordClosesTheCommitmentRoute) {
  c_.data = OrderedData();
  ASSERT_TRUE(Fire("RectificationOrdered", "RectificationRefused", Json::object(), Date::FromYmd(2025, 4, 15)).ok());
  const policies::Policy* catalogue =
      testing::ShippedRules().policies.Select(commitment::kPolicyId, Date::FromYmd(2025, 6, 1));
  ASSERT_NE(catalogue, nullptr);
  engine::SubjectFacts after;
  after.subject = kSubject;
  after.records.push_back(*RecordOfKind("false_commitment"));
  after.records.push_back(*RecordOfKind("penalty_referral"));
  const commitment::Route route = commitment::CommitmentRoute(*catalogue, after);
  EXPECT_FALSE(route.allowed);
  EXPECT_EQ(route.reason, "unrepaired_false_commitment");
}

// Revoked --CreditRecordRepaired / MarkRecordRepaired--> Repaired: the same
// record, now repaired, which reopens the route.
TEST_F(FalseCommitmentMachineTest, RepairMarksTheSameRecordRepaired) {
  c_.data = OrderedData();
  c_.data["revoked_on"] = "2025-04-26";
  c_.data["revocation_reason"] = "rectification_overdue";
  c_.data["suspended"] = false;
  c_.data["false_commitment_record_id"] = "fc-1:false_commitment";
  engine::SubjectRecord stored;
  stored.id = "fc-1:false_commitment";
  stored.subject = kSubject;
  stored.kind = "false_commitment";
  stored.status = "active";
  stored.case_id = kCaseId;
  stored.created_at = engine::StartOfDay(Date::FromYmd(2025, 4, 26));
  facts_.records.push_back(stored);

  ASSERT_TRUE(Fire("Revoked", "CreditRecordRepaired", {{"repair_case", "r-1"}}, Date::FromYmd(2025, 9, 1)).ok());
  ASSERT_FALSE(out_.failure.has_value());
  EXPECT_EQ(out_.to_state, "Repaired");
  EXPECT_EQ(out_.data["repaired_on"], "2025-09-01");
  EXPECT_EQ(out_.data["repair_case"], "r-1");
  ASSERT_EQ(EffectsOf<engine::PutSubjectRecord>().size(), 1u);
  const engine::SubjectRecord& record = EffectsOf<engine::PutSubjectRecord>()[0]->record;
  EXPECT_EQ(record.id, "fc-1:false_commitment");
  EXPECT_EQ(record.kind, "false_commitment");
  EXPECT_EQ(record.status, "repaired");
  EXPECT_EQ(record.created_at, stored.created_at);  // first written on revocation
  EXPECT_EQ(record.data["repaired_on"], "2025-09-01");
  EXPECT_EQ(record.data["repair_case"], "r-1");
  EXPECT_EQ(record.data["findings"], kFindings);
  EXPECT_EQ(record.data["revoked_on"], "2025-04-26");
  ASSERT_EQ(EffectsOf<engine::SendNotice>().size(), 1u);
  EXPECT_EQ(EffectsOf<engine::SendNotice>()[0]->template_id, "false_commitment.record_repaired");

  engine::SubjectFacts after;
  after.subject = kSubject;
  after.records.push_back(record);
  const policies::Policy* catalogue =
      testing::ShippedRules().policies.Select(commitment::kPolicyId, Date::FromYmd(2025, 9, 1));
  ASSERT_NE(catalogue, nullptr);
  EXPECT_TRUE(commitment::CommitmentRoute(*catalogue, after).allowed);
}

// Revoked is not final: its false-commitment record can still be repaired,
// which reopens the subject's commitment route.
TEST_F(FalseCommitmentMachineTest, OnlyRectifiedAndRepairedAreFinal) {
  EXPECT_TRUE(workflow_->EventsAcceptedIn("Rectified").empty());
  EXPECT_TRUE(workflow_->EventsAcceptedIn("Repaired").empty());
  EXPECT_EQ(workflow_->EventsAcceptedIn("Revoked"), std::vector<std::string>{"CreditRecordRepaired"});
}

// An unknown event is the sender's error (unknown_event); an unknown stored
// state is an internal error, as only the engine writes states.
TEST_F(FalseCommitmentMachineTest, UnknownEventAndStateAreReported) {
  EXPECT_EQ(Fire("Opened", "NoSuchEvent", Json::object(), Date::FromYmd(2025, 4, 10)).reason(), "unknown_event");
  EXPECT_EQ(Fire("NoSuchState", "NonconformityFound", Json::object(), Date::FromYmd(2025, 4, 10)).code(),
            engine::Status::Code::kInternal);
}

// ---- the printed rectification order ----------------------------------------

class RectificationOrderTest : public FalseCommitmentMachineTest {
 protected:
  // The case after NonconformityFound on 2025-04-10.
  engine::Case OrderedCase() {
    c_.data["applicant_name"] = "苏州禾丰餐饮管理有限公司";
    EXPECT_TRUE(Fire("Opened", "NonconformityFound", Json::object(), Date::FromYmd(2025, 4, 10)).ok());
    engine::Case ordered = c_;
    ordered.state = out_.to_state;
    ordered.outcome = workflow_->OutcomeOf(ordered.state);
    ordered.data = out_.data;
    return ordered;
  }
};

// The order names the applicant, the item, the findings, the legal basis and
// the deadline, says the matter is suspended and spells out the consequences.
TEST_F(RectificationOrderTest, OrderContainsDeadlineFindingsAndLegalBasis) {
  engine::Result<std::string> text = RenderRectificationOrder(OrderedCase(), testing::ShippedRules().book());
  ASSERT_OK(text);
  EXPECT_NE(text->find("责令整改通知书"), std::string::npos);
  EXPECT_NE(text->find("苏州禾丰餐饮管理有限公司"), std::string::npos);
  EXPECT_NE(text->find(kSubject), std::string::npos);
  EXPECT_NE(text->find("食品经营许可"), std::string::npos);
  EXPECT_NE(text->find(kFindings), std::string::npos);
  EXPECT_NE(text->find("食品安全法 art 35"), std::string::npos);
  EXPECT_NE(text->find("深圳经济特区社会信用条例 art 64(2)"), std::string::npos);
  EXPECT_NE(text->find("于2025-04-25前"), std::string::npos);
  EXPECT_NE(text->find("中止办理"), std::string::npos);
  EXPECT_NE(text->find("撤销"), std::string::npos);
  EXPECT_NE(text->find("记入信用记录"), std::string::npos);
  EXPECT_NE(text->find("行政处罚"), std::string::npos);
  EXPECT_NE(text->find("市场监督管理部门"), std::string::npos);  // the item's authority
  EXPECT_NE(text->find("2025-04-10"), std::string::npos);        // the day of the order
  EXPECT_NE(text->find(kCaseId), std::string::npos);
  EXPECT_EQ(text->find('{'), std::string::npos) << *text;
}

// The order stays printable once the case has moved on.
TEST_F(RectificationOrderTest, OrderIsPrintableAfterRevocation) {
  engine::Case revoked = OrderedCase();
  revoked.state = "Revoked";
  EXPECT_TRUE(RenderRectificationOrder(revoked, testing::ShippedRules().book()).ok());
}

// Without an applicant name the order addresses the credit code.
TEST_F(RectificationOrderTest, OrderWithoutApplicantNameAddressesTheCreditCode) {
  engine::Case ordered = OrderedCase();
  ordered.data.erase("applicant_name");
  engine::Result<std::string> text = RenderRectificationOrder(ordered, testing::ShippedRules().book());
  ASSERT_OK(text);
  EXPECT_NE(text->find(std::string(kSubject) + "（统一社会信用代码：" + kSubject + "）"), std::string::npos);
}

TEST_F(RectificationOrderTest, NoOrderBeforeRectificationIsOrdered) {
  c_.state = "Opened";
  engine::Result<std::string> text = RenderRectificationOrder(c_, testing::ShippedRules().book());
  ASSERT_FALSE(text.ok());
  EXPECT_TRUE(text.status().IsFailedPrecondition());
  EXPECT_EQ(text.status().reason(), "no_rectification_order");
}

TEST_F(RectificationOrderTest, OtherWorkflowsHaveNoRectificationOrder) {
  engine::Case commitment_case = OrderedCase();
  commitment_case.workflow = "commitment";
  engine::Result<std::string> text = RenderRectificationOrder(commitment_case, testing::ShippedRules().book());
  ASSERT_FALSE(text.ok());
  EXPECT_TRUE(text.status().IsNotFound());
  EXPECT_EQ(text.status().reason(), "not_a_false_commitment_case");
}

// The order is rendered from the rectification_order form; without it,
// printing fails (form_not_loaded) rather than produce a partial document.
TEST_F(RectificationOrderTest, OrderNeedsTheFormInTheRuleBook) {
  forms::FormRegistry no_forms;
  engine::RuleBook book = testing::ShippedRules().book();
  book.forms = &no_forms;
  engine::Result<std::string> text = RenderRectificationOrder(OrderedCase(), book);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().reason(), "form_not_loaded");
}

}  // namespace
}  // namespace credflow::workflows::false_commitment
