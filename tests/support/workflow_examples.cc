#include "tests/support/workflow_examples.h"

#include "tests/support/engine_harness.h"

namespace credflow::testing {
namespace {

using engine::Json;

Json FoodLetter() { return EngineHarness::FoodLetter("2025-03-03"); }

Json DeregistrationLetter() {
  return {{"applicant_name", "苏州恒越贸易有限公司"},
          {"legal_representative", "陈立"},
          {"investors", {"陈立", "王敏"}},
          {"no_outstanding_debts", true},
          {"signed_on", "2025-03-03"}};
}

Json Delivery(const char* workflow, const char* outcome, Json child_data = Json::object()) {
  return {{"child", "00000000-0000-4000-8000-0000000c0001"},
          {"workflow", workflow},
          {"outcome", outcome},
          {"reason", ""},
          {"child_data", std::move(child_data)}};
}

Json TimerData(const char* timer) { return {{"timer", timer}, {"due_on", "2025-03-02"}}; }

std::vector<RowExample> Commitment() {
  const Json food = {{"commitment_type", "food_business_permit"}, {"applicant_name", "苏州禾丰餐饮管理有限公司"}};
  const Json deregistration = {{"commitment_type", "simplified_deregistration"}};
  const Json in_publication = {{"commitment_type", "simplified_deregistration"},
                               {"publication", {{"starts_on", "2025-02-20"}, {"ends_on", "2025-03-12"}}}};
  const Json awaiting_application = {
      {"commitment_type", "simplified_deregistration"},
      {"application_window", {{"starts_after", "2025-02-28"}, {"ends_on", "2025-03-20"}}}};
  const std::vector<std::string> decided = {"CancelTimer publication_end", "OpenChildCase verification",
                                            "SendNotice commitment.decided"};
  const std::vector<std::string> withdrawn = {"CancelTimer publication_end", "SendNotice commitment.withdrawn"};
  return {
      {"CatalogueCheck",
       "CommitmentFiled",
       "SubjectEligible",
       "Notified",
       Json::object(),
       {{"commitment_type", "food_business_permit"}},
       "",
       {},
       {"SendNotice commitment.written_notice"}},
      {"CatalogueCheck",
       "CommitmentFiled",
       "SubjectIneligible",
       "OrdinaryProcedure",
       Json::object(),
       {{"commitment_type", "food_business_permit"}},
       "",
       {"false_commitment"},
       {"SendNotice commitment.ordinary_procedure"}},
      {"Notified",
       "LetterSigned",
       "DecidedOnSigning",
       "UnderVerification",
       food,
       {{"form", FoodLetter()}},
       "",
       {},
       decided},
      {"Notified",
       "LetterSigned",
       "PublicationRequired",
       "InPublication",
       deregistration,
       {{"form", DeregistrationLetter()}},
       "",
       {},
       {"SetTimer publication_end"}},
      {"Notified", "CommitmentWithdrawn", "none", "Withdrawn", food, {{"reason", "不再申请"}}, "", {}, withdrawn},
      {"InPublication",
       "PublicationEnded",
       "none",
       "AwaitingApplication",
       deregistration,
       TimerData("publication_end"),
       "",
       {},
       {"SetTimer application_window", "SendNotice commitment.application_window"}},
      {"InPublication",
       "ObjectionRaised",
       "none",
       "OrdinaryProcedure",
       in_publication,
       {{"by", "苏州银行股份有限公司"}, {"grounds", "贷款未清偿"}},
       "",
       {},
       {"CancelTimer publication_end", "SendNotice commitment.objection_raised"}},
      {"InPublication", "CommitmentWithdrawn", "none", "Withdrawn", deregistration, Json::object(), "", {}, withdrawn},
      {"AwaitingApplication",
       "ApplicationFiled",
       "none",
       "UnderVerification",
       awaiting_application,
       Json::object(),
       "",
       {},
       {"CancelTimer application_window", "OpenChildCase verification", "SendNotice commitment.decided"}},
      {"AwaitingApplication",
       "ApplicationWindowExpired",
       "none",
       "Lapsed",
       awaiting_application,
       TimerData("application_window"),
       "",
       {},
       {"SendNotice commitment.lapsed"}},
      {"AwaitingApplication",
       "CommitmentWithdrawn",
       "none",
       "Withdrawn",
       awaiting_application,
       Json::object(),
       "",
       {},
       {"CancelTimer application_window", "SendNotice commitment.withdrawn"}},
      {"UnderVerification",
       "ChildReachedOutcome",
       "VerifiedConforming",
       "Fulfilled",
       food,
       Delivery("verification", "conforming"),
       "",
       {},
       {}},
      {"UnderVerification",
       "ChildReachedOutcome",
       "VerificationExempted",
       "Exempted",
       food,
       Delivery("verification", "exempted"),
       "",
       {},
       {}},
      {"UnderVerification",
       "ChildReachedOutcome",
       "VerifiedNonconforming",
       "RectificationOrdered",
       food,
       Delivery("verification", "nonconforming", {{"findings", "no cold storage"}}),
       "",
       {},
       {"OpenChildCase false_commitment"}},
      {"RectificationOrdered",
       "ChildReachedOutcome",
       "CommitmentRectified",
       "Fulfilled",
       food,
       Delivery("false_commitment", "rectified"),
       "",
       {},
       {}},
      {"RectificationOrdered",
       "ChildReachedOutcome",
       "DecisionRevoked",
       "Revoked",
       food,
       Delivery("false_commitment", "revoked"),
       "",
       {},
       {}},
  };
}

std::vector<RowExample> Verification() {
  const Json all = {
      {"commitment_case", "c-1"}, {"commitment_type", "food_business_permit"}, {"decided_on", "2025-03-03"}};
  const Json sampled = {
      {"commitment_case", "c-1"}, {"commitment_type", "annual_report_truthfulness"}, {"decided_on", "2025-03-03"}};
  Json scheduled = all;
  scheduled["due_on"] = "2025-04-15";
  const std::vector<std::string> armed = {"SetTimer verification_due", "SendNotice verification.scheduled"};
  const Json conforming = {{"form", {{"result", "conforming"}}}};
  const Json nonconforming = {{"form", {{"result", "nonconforming"}, {"findings", "no cold storage"}}}};
  // Grade D by quota, round(0.80 x 2) = 2: the first place is drawn; grade A
  // once a cycle: used up, whatever the place.
  const Json selects = {{"seed", "plan:2025-03-03"},
                        {"plan_date", "2025-03-03"},
                        {"verified_in_cycle", 0},
                        {"mode", "quota"},
                        {"grade", "D"},
                        {"candidates", 2},
                        {"quota", 2},
                        {"position", 0},
                        {"selected_before", 0},
                        {"candidates_sha256", "0123"}};
  const Json exempts = {{"seed", "plan:2025-03-03"},
                        {"plan_date", "2025-03-03"},
                        {"verified_in_cycle", 1},
                        {"mode", "quota"},
                        {"grade", "A"},
                        {"candidates", 20},
                        {"quota", 1},
                        {"position", 0},
                        {"selected_before", 0},
                        {"candidates_sha256", "0123"}};
  std::vector<RowExample> rows = {
      {"Opened", "VerificationOpened", "EveryCommitmentVerified", "Scheduled", all, Json::object(), "", {}, armed},
      {"Opened", "VerificationOpened", "SamplingRequired", "AwaitingDraw", sampled, Json::object(), "", {}, {}},
      {"AwaitingDraw", "DrawMade", "DrawSelects", "Scheduled", sampled, selects, "D", {}, armed},
      {"AwaitingDraw",
       "DrawMade",
       "DrawExempts",
       "Exempted",
       sampled,
       exempts,
       "A",
       {},
       {"SendNotice verification.exempted"}},
  };
  rows[2].at_example_id = true;
  for (const char* state : {"Scheduled", "InProgress"}) {
    if (std::string(state) == "Scheduled") {
      rows.push_back(
          {state, "VerificationStarted", "none", "InProgress", scheduled, {{"inspector", "王检查"}}, "", {}, {}});
    }
    rows.push_back({state,
                    "VerificationReported",
                    "ReportConforming",
                    "Conforming",
                    scheduled,
                    conforming,
                    "",
                    {},
                    {"CancelTimer verification_due"}});
    rows.push_back({state,
                    "VerificationReported",
                    "ReportNonconforming",
                    "Nonconforming",
                    scheduled,
                    nonconforming,
                    "",
                    {},
                    {"CancelTimer verification_due"}});
    rows.push_back({state,
                    "VerificationOverdue",
                    "none",
                    state,
                    scheduled,
                    TimerData("verification_due"),
                    "",
                    {},
                    {"SendNotice verification.overdue"}});
  }
  return rows;
}

std::vector<RowExample> FalseCommitment() {
  const Json opening = {{"commitment_case", "c-1"},
                        {"commitment_type", "food_business_permit"},
                        {"verification_case", "v-1"},
                        {"findings", "no cold storage"},
                        {"applicant_name", "苏州禾丰餐饮管理有限公司"}};
  Json ordered = opening;
  ordered["ordered_on"] = "2025-03-03";
  ordered["deadline"] = "2025-03-18";
  ordered["legal_basis"] = "深圳经济特区社会信用条例 art 64(2)";
  ordered["suspended"] = true;
  Json revoked = ordered;
  revoked["revoked_on"] = "2025-03-19";
  revoked["suspended"] = false;
  const std::vector<std::string> revocation = {
      "CancelTimer rectification_due", "PutSubjectRecord false_commitment", "PutSubjectRecord penalty_referral",
      "SendNotice false_commitment.decision_revoked", "SendNotice false_commitment.penalty_referral"};
  return {
      {"Opened",
       "NonconformityFound",
       "none",
       "RectificationOrdered",
       opening,
       Json::object(),
       "",
       {},
       {"SetTimer rectification_due", "SendNotice false_commitment.rectification_order"}},
      {"RectificationOrdered",
       "RectificationConfirmed",
       "none",
       "Rectified",
       ordered,
       {{"note", "冷库已建成"}},
       "",
       {},
       {"CancelTimer rectification_due", "SendNotice false_commitment.rectified"}},
      {"RectificationOrdered",
       "RectificationDeadlinePassed",
       "none",
       "Revoked",
       ordered,
       TimerData("rectification_due"),
       "",
       {},
       revocation},
      {"RectificationOrdered",
       "RectificationRefused",
       "none",
       "Revoked",
       ordered,
       {{"reason", "拒绝整改"}},
       "",
       {},
       revocation},
      {"Revoked",
       "CreditRecordRepaired",
       "none",
       "Repaired",
       revoked,
       {{"repair_case", "r-1"}},
       "",
       {"false_commitment"},
       {"PutSubjectRecord false_commitment", "SendNotice false_commitment.record_repaired"}},
  };
}

std::vector<RowExample> Subject() {
  const Json registered = {
      {"name", "苏州禾丰餐饮管理有限公司"}, {"status", "operating"},      {"grade", "B"},
      {"grade_set_on", "2025-01-02"},       {"grade_reason", "年度分类"}, {"grade_source", "import"}};
  return {
      {"Unregistered",
       "SubjectRegistered",
       "RegistrationValid",
       "Registered",
       Json::object(),
       {{"name", "苏州禾丰餐饮管理有限公司"}, {"status", "operating"}},
       "",
       {},
       {"PutSubjectProfile"}},
      {"Registered",
       "GradeSet",
       "GradeInPolicy",
       "Registered",
       registered,
       {{"grade", "C"}, {"reason", "抽查发现问题"}, {"source", "cli"}},
       "",
       {},
       {"PutSubjectProfile"}},
      {"Registered",
       "StatusChanged",
       "StatusInPolicy",
       "Registered",
       registered,
       {{"status", "bankrupt"}, {"reason", "破产重整"}},
       "",
       {},
       {"PutSubjectProfile"}},
      {"Registered",
       "NameChanged",
       "NameGiven",
       "Registered",
       registered,
       {{"name", "苏州禾丰餐饮集团有限公司"}},
       "",
       {},
       {"PutSubjectProfile"}},
  };
}

}  // namespace

policies::Date ExampleDate() { return policies::Date::FromYmd(2025, 3, 3); }

std::vector<RowExample> ExamplesFor(const std::string& workflow) {
  if (workflow == "commitment") return Commitment();
  if (workflow == "verification") return Verification();
  if (workflow == "false_commitment") return FalseCommitment();
  if (workflow == "subject") return Subject();
  return {};
}

}  // namespace credflow::testing
