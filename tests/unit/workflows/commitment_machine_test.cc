// The commitment-filing machine, one row at a time: each test starts in the
// row's source state, fires its event, and asserts the target state, the
// data and the effects. Every event a state does not accept is refused
// without output.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "policies/catalogue.h"
#include "tests/support/machine_test.h"
#include "tests/support/shipped_rules.h"
#include "workflows/commitment/commitment_workflow.h"
#include "workflows/common/action_helpers.h"

namespace credflow::workflows::commitment {
namespace {

using engine::Json;
using policies::Date;

class CommitmentMachineTest : public testing::MachineTest {
 protected:
  CommitmentMachineTest()
      : MachineTest(NewCommitmentWorkflow(), kPolicyId, Date::FromYmd(2025, 3, 3), "case-1", "91320500L968FMY61Q") {}

  static Json FoodLetter() {
    return Json{{"form",
                 {{"applicant_name", "苏州禾丰餐饮管理有限公司"},
                  {"legal_representative", "周建华"},
                  {"premises_address", "苏州市姑苏区人民路1288号"},
                  {"business_items", {"prepackaged_food_sales"}},
                  {"signed_on", "2025-03-03"}}}};
  }
};

// The table the machine reports (read by `workflow describe`, the API and the
// table suite) has the designed states, rows, guards, actions and outcomes.
TEST_F(CommitmentMachineTest, DescribesItsTable) {
  EXPECT_EQ(workflow_->initial_state(), "CatalogueCheck");
  EXPECT_EQ(workflow_->states().size(), 12u);
  const auto rows = workflow_->transitions();
  ASSERT_EQ(rows.size(), 16u);
  EXPECT_EQ(rows[0].from, "CatalogueCheck");
  EXPECT_EQ(rows[0].event, "CommitmentFiled");
  EXPECT_EQ(rows[0].to, "Notified");
  EXPECT_EQ(rows[0].action, "NotifyApplicant");
  EXPECT_EQ(rows[0].guard, "SubjectEligible");
  EXPECT_EQ(rows[4].guard, "none");
  EXPECT_EQ(workflow_->OutcomeOf("Withdrawn"), "withdrawn");
  EXPECT_EQ(workflow_->OutcomeOf("OrdinaryProcedure"), "ordinary_procedure");
  EXPECT_EQ(workflow_->OutcomeOf("UnderVerification"), "pending");
  EXPECT_EQ(workflow_->OutcomeOf("Lapsed"), "lapsed");
}

// Which states conclude the matter: a case in any other is open, even with
// an outcome (rectification ordered, the matter suspended).
TEST_F(CommitmentMachineTest, DeclaresWhichStatesAreFinal) {
  std::vector<std::string> final_states;
  for (const std::string& state : workflow_->states()) {
    if (workflow_->IsFinal(state)) final_states.push_back(state);
  }
  std::sort(final_states.begin(), final_states.end());
  EXPECT_EQ(final_states,
            (std::vector<std::string>{"Exempted", "Fulfilled", "Lapsed", "OrdinaryProcedure", "Revoked", "Withdrawn"}));
  EXPECT_FALSE(workflow_->IsFinal("RectificationOrdered"));
  EXPECT_EQ(workflow_->OutcomeOf("RectificationOrdered"), "rectification_ordered");
}

// CatalogueCheck --CommitmentFiled [SubjectEligible] / NotifyApplicant--> Notified
TEST_F(CommitmentMachineTest, EligibleSubjectIsNotified) {
  AddRecord("false_commitment", "repaired");  // a repaired record does not block
  ASSERT_TRUE(Fire("CatalogueCheck", "CommitmentFiled", {{"commitment_type", "food_business_permit"}},
                   Date::FromYmd(2025, 3, 3))
                  .ok());
  EXPECT_EQ(out_.to_state, "Notified");
  EXPECT_EQ(out_.data["commitment_type"], "food_business_permit");
  EXPECT_EQ(out_.data["commitment_kind"], "permit");
  EXPECT_EQ(out_.data["notified_on"], "2025-03-03");
  auto notices = EffectsOf<engine::SendNotice>();
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0]->template_id, "commitment.written_notice");
  EXPECT_EQ(notices[0]->recipient, "applicant");
}

// CatalogueCheck --CommitmentFiled [SubjectIneligible] / RecordOrdinaryProcedure--> OrdinaryProcedure
TEST_F(CommitmentMachineTest, UnrepairedFalseCommitmentSendsToOrdinaryProcedure) {
  AddRecord("false_commitment", "active");
  ASSERT_TRUE(Fire("CatalogueCheck", "CommitmentFiled", {{"commitment_type", "fire_safety_venue_opening"}},
                   Date::FromYmd(2025, 6, 1))
                  .ok());
  EXPECT_EQ(out_.to_state, "OrdinaryProcedure");
  EXPECT_EQ(out_.reason, "unrepaired_false_commitment");
  EXPECT_EQ(out_.data["ordinary_procedure"]["reason"], "unrepaired_false_commitment");
  ASSERT_EQ(EffectsOf<engine::SendNotice>().size(), 1u);
  EXPECT_EQ(EffectsOf<engine::SendNotice>()[0]->template_id, "commitment.ordinary_procedure");
}

// A serious bad-credit record is what the record lifecycle keeps: a
// serious-list entry, or a penalty of the serious tier, while shown.
TEST_F(CommitmentMachineTest, SeriousListEntrySendsToOrdinaryProcedure) {
  AddRecord("serious_list", "active", {{"kind", "serious_list"}, {"platform", "gsxt"}});
  ASSERT_TRUE(Fire("CatalogueCheck", "CommitmentFiled", {{"commitment_type", "food_business_permit"}},
                   Date::FromYmd(2025, 6, 1))
                  .ok());
  EXPECT_EQ(out_.to_state, "OrdinaryProcedure");
  EXPECT_EQ(out_.reason, "serious_dishonesty_record");
}

TEST_F(CommitmentMachineTest, SeriousTierPenaltySendsToOrdinaryProcedure) {
  AddRecord("penalty", "active", {{"kind", "penalty"}, {"tier", "serious"}, {"platform", "credit_china"}});
  ASSERT_TRUE(Fire("CatalogueCheck", "CommitmentFiled", {{"commitment_type", "food_business_permit"}},
                   Date::FromYmd(2025, 6, 1))
                  .ok());
  EXPECT_EQ(out_.to_state, "OrdinaryProcedure");
  EXPECT_EQ(out_.reason, "serious_dishonesty_record");
}

// A general-tier penalty, and a serious one no longer shown, leave the route open.
TEST_F(CommitmentMachineTest, GeneralPenaltyOrSeriousOneRepairedLeavesTheRouteOpen) {
  AddRecord("penalty", "active", {{"kind", "penalty"}, {"tier", "general"}});
  AddRecord("penalty", "repaired", {{"kind", "penalty"}, {"tier", "serious"}});
  AddRecord("serious_list", "expired", {{"kind", "serious_list"}});
  ASSERT_TRUE(Fire("CatalogueCheck", "CommitmentFiled", {{"commitment_type", "food_business_permit"}},
                   Date::FromYmd(2025, 6, 1))
                  .ok());
  EXPECT_EQ(out_.to_state, "Notified");
}

// A type the catalogue in force does not list sets the transition's failure,
// which aborts it so nothing is written.
TEST_F(CommitmentMachineTest, ItemOffTheCatalogueFailsTheTransition) {
  ASSERT_TRUE(
      Fire("CatalogueCheck", "CommitmentFiled", {{"commitment_type", "no_such_item"}}, Date::FromYmd(2025, 6, 1)).ok());
  ASSERT_TRUE(out_.failure.has_value());
  EXPECT_EQ(out_.failure->reason(), "unknown_commitment_type");
}

// Notified --LetterSigned [DecidedOnSigning] / DecideOnCommitment--> UnderVerification
TEST_F(CommitmentMachineTest, PermitIsDecidedOnSigningAndHandedToVerification) {
  c_.data = {{"commitment_type", "food_business_permit"}};
  ASSERT_TRUE(Fire("Notified", "LetterSigned", FoodLetter(), Date::FromYmd(2025, 3, 3)).ok());
  EXPECT_EQ(out_.to_state, "UnderVerification");
  EXPECT_EQ(out_.data["decided_on"], "2025-03-03");
  EXPECT_EQ(out_.data["signed_on"], "2025-03-03");
  EXPECT_EQ(out_.data["letter"]["premises_address"], "苏州市姑苏区人民路1288号");
  auto children = EffectsOf<engine::OpenChildCase>();
  ASSERT_EQ(children.size(), 1u);
  EXPECT_EQ(children[0]->workflow, "verification");
  EXPECT_EQ(children[0]->first_event, "VerificationOpened");
  EXPECT_EQ(children[0]->data["commitment_case"], "case-1");
  EXPECT_EQ(children[0]->data["commitment_type"], "food_business_permit");
  EXPECT_EQ(children[0]->data["decided_on"], "2025-03-03");
  EXPECT_TRUE(EffectsOf<engine::SetTimer>().empty()) << "the window belongs to the verification case";
}

// Notified --LetterSigned [PublicationRequired] / PublishUndertaking--> InPublication
TEST_F(CommitmentMachineTest, DeclarationIsPublishedFirst) {
  c_.data = {{"commitment_type", "simplified_deregistration"}};
  Json letter = {{"form", {{"applicant_name", "苏州恒越贸易有限公司"}, {"signed_on", "2025-07-01"}}}};
  ASSERT_TRUE(Fire("Notified", "LetterSigned", letter, Date::FromYmd(2025, 7, 1)).ok());
  EXPECT_EQ(out_.to_state, "InPublication");
  // 20 days, start day not counted.
  EXPECT_EQ(out_.data["publication"]["ends_on"], "2025-07-21");
  auto timers = EffectsOf<engine::SetTimer>();
  ASSERT_EQ(timers.size(), 1u);
  EXPECT_EQ(timers[0]->name, "publication_end");
  EXPECT_EQ(timers[0]->event, "PublicationEnded");
}

// Notified --CommitmentWithdrawn / RecordWithdrawal--> Withdrawn
TEST_F(CommitmentMachineTest, WithdrawnBeforeSigning) {
  ASSERT_TRUE(Fire("Notified", "CommitmentWithdrawn", Json::object(), Date::FromYmd(2025, 7, 3)).ok());
  EXPECT_EQ(out_.to_state, "Withdrawn");
  EXPECT_EQ(out_.data["withdrawn_on"], "2025-07-03");
  ASSERT_EQ(EffectsOf<engine::CancelTimer>().size(), 1u);
}

// InPublication --PublicationEnded / OpenApplicationWindow--> AwaitingApplication
// The window runs 20 d from the publication's last day (the day its timer
// guarded, whenever it fired); 2025-07-21 + 20 d is Sunday 2025-08-10, so the
// last day moves to Monday 2025-08-11 (Civil Code art 203).
TEST_F(CommitmentMachineTest, PublicationEndOpensTheApplicationWindow) {
  c_.data = {{"commitment_type", "simplified_deregistration"}};
  ASSERT_TRUE(Fire("InPublication", "PublicationEnded", {{"timer", "publication_end"}, {"due_on", "2025-07-21"}},
                   Date::FromYmd(2025, 7, 23))
                  .ok());
  ASSERT_FALSE(out_.failure.has_value()) << out_.failure->ToString();
  EXPECT_EQ(out_.to_state, "AwaitingApplication");
  EXPECT_EQ(out_.data["application_window"]["starts_after"], "2025-07-21");
  EXPECT_EQ(out_.data["application_window"]["ends_on"], "2025-08-11");
  EXPECT_NE(Text(out_.data["application_window"], "source").find("art 203"), std::string::npos);
  EXPECT_FALSE(out_.data.contains("decided_on")) << "not decided until the application";
  EXPECT_TRUE(EffectsOf<engine::OpenChildCase>().empty());
  auto timers = EffectsOf<engine::SetTimer>();
  ASSERT_EQ(timers.size(), 1u);
  EXPECT_EQ(timers[0]->name, "application_window");
  EXPECT_EQ(timers[0]->event, "ApplicationWindowExpired");
  EXPECT_EQ(timers[0]->due_on, Date::FromYmd(2025, 8, 11));
}

// A window whose 20th day is a Saturday ends on the Monday after it.
TEST_F(CommitmentMachineTest, AWindowEndingOnSaturdayEndsOnMonday) {
  c_.data = {{"commitment_type", "simplified_deregistration"}};
  ASSERT_TRUE(Fire("InPublication", "PublicationEnded", {{"timer", "publication_end"}, {"due_on", "2025-08-24"}},
                   Date::FromYmd(2025, 8, 25))
                  .ok());
  EXPECT_EQ(out_.data["application_window"]["ends_on"], "2025-09-15") << "2025-09-13 is a Saturday";
}

// InPublication --ObjectionRaised / RecordObjection--> OrdinaryProcedure
// An objection closes the simplified route with who objected and why; no
// false-commitment record (nothing was found untrue).
TEST_F(CommitmentMachineTest, ObjectionDuringPublicationSendsToOrdinaryProcedure) {
  c_.data = {{"commitment_type", "simplified_deregistration"},
             {"publication", {{"starts_on", "2025-07-01"}, {"ends_on", "2025-07-21"}}}};
  ASSERT_TRUE(Fire("InPublication", "ObjectionRaised", {{"by", "苏州银行股份有限公司"}, {"grounds", "贷款未清偿"}},
                   Date::FromYmd(2025, 7, 21))
                  .ok());
  ASSERT_FALSE(out_.failure.has_value()) << out_.failure->ToString();
  EXPECT_EQ(out_.to_state, "OrdinaryProcedure");
  EXPECT_EQ(out_.reason, "objection_raised");
  EXPECT_EQ(out_.data["objection"]["by"], "苏州银行股份有限公司");
  EXPECT_EQ(out_.data["objection"]["grounds"], "贷款未清偿");
  EXPECT_EQ(out_.data["objection"]["raised_on"], "2025-07-21");
  EXPECT_EQ(out_.data["ordinary_procedure"]["reason"], "objection_raised");
  EXPECT_NE(Text(out_.data["ordinary_procedure"], "source").find("art 33"), std::string::npos);
  EXPECT_TRUE(EffectsOf<engine::PutSubjectRecord>().empty()) << "no false-commitment record";
  ASSERT_EQ(EffectsOf<engine::CancelTimer>().size(), 1u);
  EXPECT_EQ(EffectsOf<engine::CancelTimer>()[0]->name, "publication_end");
  ASSERT_EQ(EffectsOf<engine::SendNotice>().size(), 1u);
  EXPECT_EQ(EffectsOf<engine::SendNotice>()[0]->template_id, "commitment.objection_raised");
}

// An objection after the publication's last day (its timer not yet fired)
// comes too late: the transition fails, nothing is written.
TEST_F(CommitmentMachineTest, ObjectionAfterThePublicationIsRefused) {
  c_.data = {{"commitment_type", "simplified_deregistration"},
             {"publication", {{"starts_on", "2025-07-01"}, {"ends_on", "2025-07-21"}}}};
  ASSERT_TRUE(Fire("InPublication", "ObjectionRaised", {{"by", "王某"}}, Date::FromYmd(2025, 7, 22)).ok());
  ASSERT_TRUE(out_.failure.has_value());
  EXPECT_EQ(out_.failure->reason(), "publication_over");
}

// AwaitingApplication --ApplicationFiled / DecideOnCommitment--> UnderVerification
// The application on the window's last day (a Monday moved from a rest day)
// is in time: the matter is decided and handed to verification.
TEST_F(CommitmentMachineTest, ApplicationFiledInTimeDecides) {
  c_.data = {{"commitment_type", "simplified_deregistration"},
             {"application_window", {{"starts_after", "2025-07-21"}, {"ends_on", "2025-08-11"}}}};
  ASSERT_TRUE(Fire("AwaitingApplication", "ApplicationFiled", Json::object(), Date::FromYmd(2025, 8, 11)).ok());
  ASSERT_FALSE(out_.failure.has_value()) << out_.failure->ToString();
  EXPECT_EQ(out_.to_state, "UnderVerification");
  EXPECT_EQ(out_.data["decided_on"], "2025-08-11");
  EXPECT_EQ(out_.data["application_window"]["filed_on"], "2025-08-11");
  ASSERT_EQ(EffectsOf<engine::CancelTimer>().size(), 1u);
  EXPECT_EQ(EffectsOf<engine::CancelTimer>()[0]->name, "application_window");
  ASSERT_EQ(EffectsOf<engine::OpenChildCase>().size(), 1u);
}

// The day after the window (its timer not yet fired) the application is
// refused; the timer records the lapse.
TEST_F(CommitmentMachineTest, LateApplicationIsRefused) {
  c_.data = {{"commitment_type", "simplified_deregistration"},
             {"application_window", {{"starts_after", "2025-07-21"}, {"ends_on", "2025-08-11"}}}};
  ASSERT_TRUE(Fire("AwaitingApplication", "ApplicationFiled", Json::object(), Date::FromYmd(2025, 8, 12)).ok());
  ASSERT_TRUE(out_.failure.has_value());
  EXPECT_EQ(out_.failure->reason(), "application_window_passed");
}

// AwaitingApplication --ApplicationWindowExpired / RecordLapse--> Lapsed
TEST_F(CommitmentMachineTest, NoApplicationInTheWindowLapses) {
  c_.data = {{"commitment_type", "simplified_deregistration"},
             {"application_window", {{"starts_after", "2025-07-21"}, {"ends_on", "2025-08-11"}}}};
  ASSERT_TRUE(Fire("AwaitingApplication", "ApplicationWindowExpired",
                   {{"timer", "application_window"}, {"due_on", "2025-08-11"}}, Date::FromYmd(2025, 8, 12))
                  .ok());
  EXPECT_EQ(out_.to_state, "Lapsed");
  EXPECT_EQ(out_.reason, "application_window_passed");
  EXPECT_EQ(out_.data["lapsed_on"], "2025-08-12");
  EXPECT_TRUE(EffectsOf<engine::PutSubjectRecord>().empty()) << "a lapse is no false commitment";
  EXPECT_TRUE(workflow_->IsFinal("Lapsed"));
}

// AwaitingApplication --CommitmentWithdrawn / RecordWithdrawal--> Withdrawn
TEST_F(CommitmentMachineTest, WithdrawnWhileAwaitingTheApplication) {
  c_.data = {{"commitment_type", "simplified_deregistration"},
             {"application_window", {{"starts_after", "2025-07-21"}, {"ends_on", "2025-08-11"}}}};
  ASSERT_TRUE(Fire("AwaitingApplication", "CommitmentWithdrawn", Json::object(), Date::FromYmd(2025, 8, 1)).ok());
  EXPECT_EQ(out_.to_state, "Withdrawn");
  ASSERT_EQ(EffectsOf<engine::CancelTimer>().size(), 1u);
  EXPECT_EQ(EffectsOf<engine::CancelTimer>()[0]->name, "application_window");
}

// Simplified deregistration is closed from the start to an entity in the
// abnormal list, on the serious list, or whose licence was revoked; each
// with its reason. Other items do not read these exclusions.
TEST_F(CommitmentMachineTest, ListedOrRevokedEntityIsSentToOrdinaryProcedureForDeregistration) {
  const Json deregistration = {{"commitment_type", "simplified_deregistration"}};
  AddRecord("abnormal_list", "active");
  ASSERT_TRUE(Fire("CatalogueCheck", "CommitmentFiled", deregistration, Date::FromYmd(2025, 7, 1)).ok());
  EXPECT_EQ(out_.to_state, "OrdinaryProcedure");
  EXPECT_EQ(out_.reason, "in_abnormal_list");
  EXPECT_NE(Text(out_.data["ordinary_procedure"], "source").find("经营异常名录"), std::string::npos);
  // The same record does not close a permit item.
  ASSERT_TRUE(Fire("CatalogueCheck", "CommitmentFiled", {{"commitment_type", "food_business_permit"}},
                   Date::FromYmd(2025, 7, 1))
                  .ok());
  EXPECT_EQ(out_.to_state, "Notified");

  facts_.records.clear();
  AddRecord("abnormal_list", "repaired");  // removed from the list: no longer excluded
  AddRecord("serious_list", "active");
  ASSERT_TRUE(Fire("CatalogueCheck", "CommitmentFiled", deregistration, Date::FromYmd(2025, 7, 1)).ok());
  EXPECT_EQ(out_.reason, "in_serious_list");

  facts_.records.clear();
  engine::SubjectProfile revoked;
  revoked.code = c_.subject;
  revoked.name = "苏州恒越贸易有限公司";
  revoked.status = "revoked";
  facts_.profile = revoked;
  ASSERT_TRUE(Fire("CatalogueCheck", "CommitmentFiled", deregistration, Date::FromYmd(2025, 7, 1)).ok());
  EXPECT_EQ(out_.to_state, "OrdinaryProcedure");
  EXPECT_EQ(out_.reason, "licence_revoked");

  facts_.profile->status = "operating";
  AddRecord("abnormal_list", "repaired");
  ASSERT_TRUE(Fire("CatalogueCheck", "CommitmentFiled", deregistration, Date::FromYmd(2025, 7, 1)).ok());
  EXPECT_EQ(out_.to_state, "Notified");
}

// InPublication --CommitmentWithdrawn / RecordWithdrawal--> Withdrawn
TEST_F(CommitmentMachineTest, WithdrawnDuringPublication) {
  ASSERT_TRUE(Fire("InPublication", "CommitmentWithdrawn", Json::object(), Date::FromYmd(2025, 7, 3)).ok());
  EXPECT_EQ(out_.to_state, "Withdrawn");
  auto cancels = EffectsOf<engine::CancelTimer>();
  ASSERT_EQ(cancels.size(), 1u);
  EXPECT_EQ(cancels[0]->name, "publication_end");
}

// UnderVerification --ChildReachedOutcome [VerifiedConforming] / CloseAsFulfilled--> Fulfilled
TEST_F(CommitmentMachineTest, ConformingVerificationFulfils) {
  c_.data = {{"commitment_type", "food_business_permit"}};
  ASSERT_TRUE(Fire("UnderVerification", "ChildReachedOutcome",
                   {{"child", "v-1"},
                    {"workflow", "verification"},
                    {"outcome", "conforming"},
                    {"child_data", {{"verified_on", "2025-04-01"}}}},
                   Date::FromYmd(2025, 4, 1))
                  .ok());
  EXPECT_EQ(out_.to_state, "Fulfilled");
  EXPECT_EQ(out_.data["fulfilled_on"], "2025-04-01");
  EXPECT_EQ(out_.data["verification"]["case"], "v-1");
  EXPECT_EQ(out_.data["verification"]["verified_on"], "2025-04-01");
  EXPECT_TRUE(out_.effects.empty());
}

// UnderVerification --ChildReachedOutcome [VerificationExempted] / CloseAsExempted--> Exempted
TEST_F(CommitmentMachineTest, ExemptedVerificationClosesAsExempted) {
  ASSERT_TRUE(Fire("UnderVerification", "ChildReachedOutcome",
                   {{"child", "v-1"}, {"workflow", "verification"}, {"outcome", "exempted"}, {"reason", "not_sampled"}},
                   Date::FromYmd(2025, 4, 1))
                  .ok());
  EXPECT_EQ(out_.to_state, "Exempted");
  EXPECT_EQ(out_.reason, "not_sampled");
}

// UnderVerification --ChildReachedOutcome [VerifiedNonconforming] / OrderRectification--> RectificationOrdered
TEST_F(CommitmentMachineTest, NonconformingVerificationOpensFalseCommitmentHandling) {
  c_.data = {{"commitment_type", "food_business_permit"}};
  ASSERT_TRUE(Fire("UnderVerification", "ChildReachedOutcome",
                   {{"child", "v-1"},
                    {"workflow", "verification"},
                    {"outcome", "nonconforming"},
                    {"child_data", {{"findings", "no cold storage"}, {"rectification_days", 10}}}},
                   Date::FromYmd(2025, 4, 10))
                  .ok());
  EXPECT_EQ(out_.to_state, "RectificationOrdered");
  EXPECT_EQ(out_.data["verification"]["findings"], "no cold storage");
  auto children = EffectsOf<engine::OpenChildCase>();
  ASSERT_EQ(children.size(), 1u);
  EXPECT_EQ(children[0]->workflow, "false_commitment");
  EXPECT_EQ(children[0]->first_event, "NonconformityFound");
  EXPECT_EQ(children[0]->data["verification_case"], "v-1");
  EXPECT_EQ(children[0]->data["findings"], "no cold storage");
  EXPECT_EQ(children[0]->data["rectification_days"], 10);
  EXPECT_EQ(children[0]->data["commitment_type"], "food_business_permit");
}

// RectificationOrdered --ChildReachedOutcome [CommitmentRectified] / CloseAsFulfilled--> Fulfilled
TEST_F(CommitmentMachineTest, RectifiedInTimeFulfils) {
  ASSERT_TRUE(Fire("RectificationOrdered", "ChildReachedOutcome",
                   {{"child", "f-1"}, {"workflow", "false_commitment"}, {"outcome", "rectified"}},
                   Date::FromYmd(2025, 4, 20))
                  .ok());
  EXPECT_EQ(out_.to_state, "Fulfilled");
  EXPECT_EQ(out_.data["false_commitment"]["outcome"], "rectified");
}

// RectificationOrdered --ChildReachedOutcome [DecisionRevoked] / RecordRevocation--> Revoked
TEST_F(CommitmentMachineTest, NotRectifiedIsRevoked) {
  ASSERT_TRUE(Fire("RectificationOrdered", "ChildReachedOutcome",
                   {{"child", "f-1"}, {"workflow", "false_commitment"}, {"outcome", "revoked"}},
                   Date::FromYmd(2025, 4, 26))
                  .ok());
  EXPECT_EQ(out_.to_state, "Revoked");
  EXPECT_EQ(out_.data["revoked_on"], "2025-04-26");
  EXPECT_EQ(out_.reason, "not_rectified");
}

// A child's interim outcome matches no guard: not allowed in this state, nothing changes.
TEST_F(CommitmentMachineTest, InterimChildOutcomeIsNotThisCasesBusiness) {
  engine::Status st = Fire("RectificationOrdered", "ChildReachedOutcome",
                           {{"child", "f-1"}, {"workflow", "false_commitment"}, {"outcome", "rectification_ordered"}},
                           Date::FromYmd(2025, 4, 10));
  // A delivery no row of this state takes: not allowed here (the scheduler
  // discards it with a trace), not bad data.
  EXPECT_EQ(st.reason(), "event_not_allowed");
  EXPECT_TRUE(out_.to_state.empty());
}

TEST_F(CommitmentMachineTest, FinalStatesAcceptNothing) {
  for (const char* state : {"Fulfilled", "Exempted", "Revoked", "Withdrawn", "OrdinaryProcedure"}) {
    EXPECT_TRUE(workflow_->EventsAcceptedIn(state).empty()) << state;
  }
}

// An unknown event is the sender's error (unknown_event); an unknown stored
// state is an internal error, as only the engine writes states.
TEST_F(CommitmentMachineTest, UnknownEventAndStateAreReported) {
  EXPECT_EQ(Fire("Notified", "NoSuchEvent", Json::object(), Date::FromYmd(2025, 3, 3)).reason(), "unknown_event");
  EXPECT_EQ(Fire("NoSuchState", "LetterSigned", Json::object(), Date::FromYmd(2025, 3, 3)).code(),
            engine::Status::Code::kInternal);
}

}  // namespace
}  // namespace credflow::workflows::commitment
