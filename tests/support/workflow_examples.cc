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

// ---- dishonesty records, repair applications, department tasks ----------

// Record case ids the repair examples name (the raise targets exist).
constexpr const char* kRecordOk = "00000000-0000-4000-8000-0000000a0001";
constexpr const char* kRecordEarly = "00000000-0000-4000-8000-0000000a0002";
constexpr const char* kRecordOutOfScope = "00000000-0000-4000-8000-0000000a0003";

Json TaxFine() {
  return {{"department", "tax"},       {"platform", "credit_china"}, {"kind", "penalty"},
          {"tier", "general"},         {"penalties", {"fine"}},      {"amount", 20000},
          {"decided_on", "2025-03-03"}};
}

// A record as its case keeps it after RecordDecided (Order 58, 2024-09-01).
Json PublishedTaxFine() {
  return {{"department", "tax"},
          {"platform", "credit_china"},
          {"kind", "penalty"},
          {"tier", "general"},
          {"penalties", {"fine"}},
          {"amount", 20000},
          {"decided_on", "2024-09-01"},
          {"published_on", "2024-09-01"},
          {"regime", "order58"},
          {"published", true},
          {"repairable", true},
          {"earliest_repair", "2024-12-02"},
          {"window_ends", "2027-09-01"},
          {"publication_ends", "2027-09-01"},
          {"obligations_fulfilled", false}};
}

engine::SubjectRecord SubjectRecordOf(const char* case_id, Json data, const char* status = "active") {
  engine::SubjectRecord r;
  r.id = std::string(case_id) + ":record";
  r.subject = kExampleSubject;
  r.kind = data.value("kind", "penalty");
  r.status = status;
  r.case_id = case_id;
  r.data = std::move(data);
  return r;
}

std::vector<engine::SubjectRecord> RepairRecords() {
  Json ok = PublishedTaxFine();
  ok["obligations_fulfilled"] = true;
  Json early = PublishedTaxFine();
  early["obligations_fulfilled"] = true;
  early["earliest_repair"] = "2025-06-02";
  Json out_of_scope = PublishedTaxFine();
  out_of_scope["repairable"] = false;
  out_of_scope["refusal"] = "out_of_scope";
  return {SubjectRecordOf(kRecordOk, ok), SubjectRecordOf(kRecordEarly, early),
          SubjectRecordOf(kRecordOutOfScope, out_of_scope)};
}

std::vector<RowExample> Record() {
  const Json credit_china = {{"platform", "credit_china"}};
  Json simple = TaxFine();
  simple["platform"] = "gsxt";
  simple["department"] = "market-regulation";
  simple["tier"] = "light";
  simple["amount"] = 200;
  simple["simple_procedure"] = true;
  Json abnormal = {{"department", "market-regulation"}, {"platform", "gsxt"},           {"kind", "abnormal_list"},
                   {"decided_on", "2022-03-01"},        {"published_on", "2022-03-01"}, {"escalates_on", "2025-03-01"}};
  Json repaired = PublishedTaxFine();
  repaired["repaired_on"] = "2025-02-20";
  const std::vector<std::string> fulfilled = {"PutSubjectRecord penalty"};
  return {
      {"Recorded",
       "RecordDecided",
       "WindowPublished",
       "Published",
       credit_china,
       TaxFine(),
       "",
       {},
       {"SetTimer publication_end", "SetTimer repairable_from", "PutSubjectRecord penalty",
        "SendNotice record.repair_notice"}},
      {"Recorded",
       "RecordDecided",
       "WindowNotPublished",
       "NotPublished",
       Json{{"platform", "gsxt"}},
       simple,
       "",
       {},
       {"PutSubjectRecord penalty"}},
      {"Published",
       "ObligationsFulfilled",
       "none",
       "Published",
       PublishedTaxFine(),
       {{"fulfilled_on", "2025-03-01"}},
       "",
       {},
       fulfilled},
      {"Published",
       "RepairableFromReached",
       "none",
       "Published",
       PublishedTaxFine(),
       TimerData("repairable_from"),
       "",
       {},
       {"SendNotice record.repairable"}},
      {"Published",
       "EscalationDue",
       "none",
       "Published",
       abnormal,
       TimerData("escalation"),
       "",
       {},
       {"SendNotice record.escalation_due", "SendNotice record.escalation_due", "PutSubjectRecord abnormal_list"}},
      {"Published",
       "PublicationPeriodEnded",
       "none",
       "Expired",
       PublishedTaxFine(),
       TimerData("publication_end"),
       "",
       {},
       {"CancelTimer repairable_from", "CancelTimer escalation", "PutSubjectRecord penalty",
        "SendNotice record.expired"}},
      {"Published",
       "RepairApproved",
       "none",
       "Repaired",
       PublishedTaxFine(),
       {{"repair_case", "r-1"}},
       "",
       {},
       {"CancelTimer publication_end", "CancelTimer repairable_from", "CancelTimer escalation",
        "PutSubjectRecord penalty", "SendNotice record.stop_publication"}},
      {"NotPublished",
       "ObligationsFulfilled",
       "none",
       "NotPublished",
       PublishedTaxFine(),
       Json::object(),
       "",
       {},
       fulfilled},
      {"Expired", "ObligationsFulfilled", "none", "Expired", PublishedTaxFine(), Json::object(), "", {}, fulfilled},
      {"Repaired",
       "RepairRevoked",
       "none",
       "Published",
       repaired,
       {{"repair_case", "r-1"}, {"reason", "false_materials"}},
       "",
       {},
       {"SetTimer publication_end", "PutSubjectRecord penalty", "SendNotice record.publication_restored"}},
  };
}

std::vector<RowExample> Repair() {
  const Json all_documents = {"repair_commitment", "proof_of_performance", "business_licence", "agent_id"};
  auto applied = [&](std::vector<std::string> records, Json documents) {
    return Json{{"records", records}, {"documents", documents}};
  };
  const Json requested = {{"records", {kRecordOk}}, {"documents", {"repair_commitment"}}};
  const Json requested_early = {{"records", {kRecordEarly}}, {"documents", {"repair_commitment"}}};
  const Json requested_scope = {{"records", {kRecordOutOfScope}}, {"documents", {"repair_commitment"}}};
  const Json task_intake = {{"record", kRecordOk}, {"department", "tax"}, {"result", "task"}};
  const Json early_intake = {
      {"record", kRecordEarly}, {"department", "tax"}, {"result", "denied"}, {"reason", "minimum_period_not_served"}};
  const Json one_task = {{"tasks_opened", 1}, {"intake", {task_intake}}};
  const Json two_tasks = {{"tasks_opened", 2}, {"intake", {task_intake, task_intake}}};
  const Json partly = {{"tasks_opened", 1}, {"intake", {task_intake, early_intake}}};
  const Json approved = {{"approved_records", {kRecordOk}}};
  const Json task_data = {{"record", kRecordOk}, {"department", "tax"}};
  const Json revoke = {{"reason", "false_materials"}};
  // Intake marks the application (repair_application: active under review,
  // else its outcome) before it answers; the join after.
  const std::vector<std::string> answer = {"PutSubjectRecord repair_application", "SendNotice repair.result"};
  const std::vector<std::string> ask_once = {"PutSubjectRecord repair_application",
                                             "SendNotice repair.documents_missing"};
  const std::vector<std::string> review = {"PutSubjectRecord repair_application", "OpenChildCase repair_task"};
  const std::vector<std::string> joined = {"SendNotice repair.result", "PutSubjectRecord repair_application"};
  const std::vector<std::string> revoked = {"RaiseOnCase RepairRevoked", "PutSubjectRecord repair_revoked",
                                            "SendNotice repair.revoked"};
  std::vector<RowExample> rows = {
      {"Received",
       "RepairApplied",
       "NothingInScope",
       "NotAccepted",
       Json::object(),
       applied({kRecordOutOfScope}, all_documents),
       "",
       {},
       answer},
      {"Received",
       "RepairApplied",
       "NothingCanSucceed",
       "Rejected",
       Json::object(),
       applied({kRecordEarly}, all_documents),
       "",
       {},
       answer},
      {"Received",
       "RepairApplied",
       "DocumentsMissing",
       "DocumentsRequested",
       Json::object(),
       applied({kRecordOk}, {"repair_commitment"}),
       "",
       {},
       ask_once},
      {"Received",
       "RepairApplied",
       "ReadyForReview",
       "UnderReview",
       Json::object(),
       applied({kRecordOk}, all_documents),
       "",
       {},
       review},
      {"DocumentsRequested",
       "DocumentsSupplied",
       "NothingInScope",
       "NotAccepted",
       requested_scope,
       {{"documents", all_documents}},
       "",
       {},
       answer},
      {"DocumentsRequested",
       "DocumentsSupplied",
       "NothingCanSucceed",
       "Rejected",
       requested_early,
       {{"documents", all_documents}},
       "",
       {},
       answer},
      {"DocumentsRequested",
       "DocumentsSupplied",
       "DocumentsMissing",
       "DocumentsRequested",
       requested,
       {{"documents", {"agent_id"}}},
       "",
       {},
       ask_once},
      {"DocumentsRequested",
       "DocumentsSupplied",
       "ReadyForReview",
       "UnderReview",
       requested,
       {{"documents", all_documents}},
       "",
       {},
       review},
      {"UnderReview",
       "ChildReachedOutcome",
       "TasksPending",
       "UnderReview",
       two_tasks,
       Delivery("repair_task", "approved", task_data),
       "",
       {},
       {}},
      {"UnderReview",
       "ChildReachedOutcome",
       "AllRecordsRepaired",
       "Approved",
       one_task,
       Delivery("repair_task", "approved", task_data),
       "",
       {},
       joined},
      {"UnderReview",
       "ChildReachedOutcome",
       "SomeRecordsRepaired",
       "PartiallyRepaired",
       partly,
       Delivery("repair_task", "approved", task_data),
       "",
       {},
       joined},
      {"UnderReview",
       "ChildReachedOutcome",
       "NoRecordRepaired",
       "Rejected",
       one_task,
       Delivery("repair_task", "denied", task_data),
       "",
       {},
       joined},
      {"Approved", "RepairRevoked", "none", "Revoked", approved, revoke, "", {}, revoked},
      {"PartiallyRepaired", "RepairRevoked", "none", "Revoked", approved, revoke, "", {}, revoked},
  };
  for (RowExample& row : rows) {
    row.records = RepairRecords();
    if (row.event == "RepairRevoked") row.cases_raised_on = {kRecordOk};
  }
  return rows;
}

std::vector<RowExample> RepairTask() {
  Json task = {{"record", kRecordOk},        {"application", "00000000-0000-4000-8000-0000000b0001"},
               {"platform", "credit_china"}, {"kind", "penalty"},
               {"tier", "general"},          {"department", "tax"}};
  Json in_review = task;
  in_review["due_on"] = "2025-03-17";
  const Json approve = {{"decision", "approve"}};
  const Json deny = {{"decision", "deny"}, {"reason", "harm_not_removed"}};
  const std::vector<std::string> approved = {"CancelTimer decision_due", "RaiseOnCase RepairApproved"};
  const std::vector<std::string> denied = {"CancelTimer decision_due"};
  std::vector<RowExample> rows = {
      {"Assigned",
       "TaskAssigned",
       "none",
       "InReview",
       task,
       Json::object(),
       "",
       {},
       {"SetTimer decision_due", "SendNotice repair.task_assigned"}},
      {"InReview", "TaskDecided", "Approves", "TaskApproved", in_review, approve, "", {}, approved},
      {"InReview", "TaskDecided", "Denies", "TaskDenied", in_review, deny, "", {}, denied},
      {"InReview",
       "DecisionExtended",
       "none",
       "InReview",
       in_review,
       {{"reason", "需调取执行记录"}},
       "",
       {},
       {"SetTimer decision_due", "SendNotice repair.task_extended"}},
      {"InReview",
       "DecisionDeadlinePassed",
       "none",
       "Overdue",
       in_review,
       TimerData("decision_due"),
       "",
       {},
       {"SendNotice repair.task_overdue"}},
      {"Overdue", "TaskDecided", "Approves", "TaskApproved", in_review, approve, "", {}, approved},
      {"Overdue", "TaskDecided", "Denies", "TaskDenied", in_review, deny, "", {}, denied},
  };
  for (RowExample& row : rows) {
    row.department = "tax";
    if (row.event == "TaskDecided" && row.guard == "Approves") row.cases_raised_on = {kRecordOk};
  }
  return rows;
}

// The remediation ledger: drawn for a subject with a grade; its status
// decides the classification.
std::vector<RowExample> Ledger() {
  const Json drawn = {{"drawn_on", "2025-03-03"},
                      {"rule_line", 20},
                      {"rule_source", "2023 round"},
                      {"official", "王科长"},
                      {"department", "market-regulation"}};
  const Json interview = {
      {"kind", "reminder"}, {"held_on", "2025-03-03"}, {"official", "王科长"}, {"agreed", "按期整改并履行处罚决定"}};
  const Json entered = {{"drawn_on", "2025-01-06"}, {"classification", "operating"}};
  const Json exit = {{"checked_on", "2025-03-03"}, {"reason", "no longer meets the entry rule"}};
  const std::vector<std::string> exited = {"CancelTimer interview_due", "CancelTimer progress_due",
                                           "CancelTimer rectification_due", "PutSubjectRecord remediation_ledger",
                                           "SendNotice ledger.exit"};
  std::vector<RowExample> rows = {
      {"Drawn",
       "LedgerDrawn",
       "ScreenedOutAtDraw",
       "ScreenedOut",
       {},
       drawn,
       "D",
       {},
       {"PutSubjectRecord remediation_ledger"}},
      {"Drawn",
       "LedgerDrawn",
       "KeySupervisionAtDraw",
       "KeySupervision",
       {},
       drawn,
       "D",
       {},
       {"PutSubjectRecord remediation_ledger", "SendNotice ledger.entered"}},
      {"Drawn",
       "LedgerDrawn",
       "OperatingAtDraw",
       "InLedger",
       {},
       drawn,
       "D",
       {},
       {"PutSubjectRecord remediation_ledger", "SendNotice ledger.entered", "SetTimer interview_due"}},
      {"InLedger",
       "InterviewHeld",
       "none",
       "Interviewed",
       entered,
       interview,
       "D",
       {},
       {"CancelTimer interview_due", "SetTimer progress_due"}},
      {"InLedger",
       "InterviewDeadlinePassed",
       "none",
       "InLedger",
       entered,
       TimerData("interview_due"),
       "D",
       {},
       {"SendNotice ledger.interview_overdue"}},
      {"Interviewed",
       "InterviewHeld",
       "none",
       "Interviewed",
       entered,
       interview,
       "D",
       {},
       {"CancelTimer interview_due", "SetTimer progress_due"}},
      {"Interviewed",
       "ProgressDeadlinePassed",
       "none",
       "Interviewed",
       entered,
       TimerData("progress_due"),
       "D",
       {},
       {"SendNotice ledger.warning_interview_due"}},
      {"Interviewed",
       "CommitmentSigned",
       "none",
       "Rectifying",
       entered,
       {{"note", "书面承诺60日内整改"}},
       "D",
       {},
       {"CancelTimer progress_due", "SetTimer rectification_due"}},
      {"Rectifying",
       "RectificationDeadlinePassed",
       "none",
       "Interviewed",
       entered,
       TimerData("rectification_due"),
       "D",
       {},
       {"SendNotice ledger.warning_interview_due"}},
      {"InLedger", "ExitCriteriaMet", "none", "Closed", entered, exit, "D", {}, exited},
      {"Interviewed", "ExitCriteriaMet", "none", "Closed", entered, exit, "D", {}, exited},
      {"Rectifying", "ExitCriteriaMet", "none", "Closed", entered, exit, "D", {}, exited},
      {"KeySupervision", "ExitCriteriaMet", "none", "Exited", entered, exit, "D", {}, exited},
  };
  rows[0].subject_status = "deregistered";  // screened out (a lost-contact abnormal listing too: unit test)
  rows[1].subject_status = "unreachable";
  return rows;
}

// ---- enforcement (行政处罚裁量) ----------------------------------------------

// A case waiting for rectification, as AwaitRectification left it; `outcome`
// is what the matched row gives a rectification in time.
Json AwaitingRectification(const char* rule, const char* outcome, bool commitment) {
  return {{"violation", "expired_food_on_sale"},
          {"violation_name", "销售超过保质期的食品"},
          {"list", "minor_exempt"},
          {"harm", commitment ? "slight" : "none"},
          {"rectification_commitment", commitment},
          {"procedure", "ordinary"},
          {"reported_on", "2025-02-28"},
          {"triage", {{"rule", {{"id", rule}, {"line", 1}, {"source", "行政处罚法 art 33(1)"}, {"outcome", outcome}}}}},
          {"rectification", {{"ordered_on", "2025-02-28"}, {"due_on", "2025-03-03"}, {"commitment", commitment}}}};
}

std::vector<RowExample> Enforcement() {
  const Json no_fault = {{"violation", "food_permit_expired_not_renewed"}, {"harm", "slight"}, {"fault", false}};
  const Json harm_reduced = {{"violation", "false_advertising"}, {"harm", "serious"}, {"harm_reduced", true}};
  const Json no_ground = {{"violation", "false_advertising"}, {"harm", "serious"}};
  const Json minor = {{"violation", "expired_food_on_sale"}, {"harm", "none"}};
  const Json committed = {{"violation", "expired_food_on_sale"}, {"harm", "none"}, {"rectification_commitment", true}};
  const std::vector<std::string> no_penalty = {"PutSubjectRecord violation_finding", "SendNotice enforcement.decision",
                                               "SendNotice enforcement.education"};
  // A penalty (mitigated or ordinary) opens its dishonesty record.
  const std::vector<std::string> decided = {"PutSubjectRecord violation_finding", "SendNotice enforcement.decision",
                                            "OpenChildCase dishonesty_record"};
  const std::vector<std::string> rectified_no_penalty = {
      "CancelTimer rectification_due", "PutSubjectRecord violation_finding", "SendNotice enforcement.decision",
      "SendNotice enforcement.education"};
  const std::vector<std::string> rectified = {"CancelTimer rectification_due", "PutSubjectRecord violation_finding",
                                              "SendNotice enforcement.decision", "OpenChildCase dishonesty_record"};
  const Json ordered_first = AwaitingRectification("minor_list_no_harm", "no_penalty", false);
  const Json ordered_mitigated = AwaitingRectification("credit_plus_listed_commitment", "mitigated", false);
  const Json committed_first = AwaitingRectification("minor_list_no_harm", "no_penalty", true);
  const Json committed_mitigated = AwaitingRectification("credit_plus_listed_commitment", "mitigated", true);
  const Json note = {{"note", "过期食品已下架"}};
  std::vector<std::string> breach = rectified;
  breach.push_back("PutSubjectRecord rectification_commitment_breach");
  breach.push_back("SendNotice enforcement.commitment_breached");
  return {
      {"Reported", "ViolationReported", "NoPenaltyAtOnce", "NoPenalty", Json::object(), no_fault, "", {}, no_penalty},
      {"Reported", "ViolationReported", "MitigationAtOnce", "Mitigated", Json::object(), harm_reduced, "", {}, decided},
      {"Reported",
       "ViolationReported",
       "OrdinaryPenaltyAtOnce",
       "OrdinaryPenalty",
       Json::object(),
       no_ground,
       "",
       {},
       decided},
      {"Reported",
       "ViolationReported",
       "RectificationFirst",
       "RectificationOrdered",
       Json::object(),
       minor,
       "",
       {},
       {"SetTimer rectification_due", "PutSubjectRecord violation_finding",
        "SendNotice enforcement.rectification_order"}},
      {"Reported",
       "ViolationReported",
       "CommitmentFirst",
       "CommitmentGiven",
       Json::object(),
       committed,
       "",
       {},
       {"SetTimer rectification_due", "PutSubjectRecord violation_finding",
        "SendNotice enforcement.commitment_accepted"}},
      {"RectificationOrdered",
       "RectificationConfirmed",
       "LenientOutcomeIsNoPenalty",
       "NoPenalty",
       ordered_first,
       note,
       "",
       {},
       rectified_no_penalty},
      {"RectificationOrdered",
       "RectificationConfirmed",
       "LenientOutcomeIsMitigation",
       "Mitigated",
       ordered_mitigated,
       note,
       "",
       {},
       rectified},
      {"RectificationOrdered",
       "RectificationDeadlinePassed",
       "none",
       "OrdinaryPenalty",
       ordered_first,
       TimerData("rectification_due"),
       "",
       {},
       rectified},
      {"CommitmentGiven",
       "RectificationConfirmed",
       "LenientOutcomeIsNoPenalty",
       "NoPenalty",
       committed_first,
       note,
       "",
       {},
       rectified_no_penalty},
      {"CommitmentGiven",
       "RectificationConfirmed",
       "LenientOutcomeIsMitigation",
       "Mitigated",
       committed_mitigated,
       note,
       "",
       {},
       rectified},
      {"CommitmentGiven",
       "RectificationDeadlinePassed",
       "none",
       "OrdinaryPenalty",
       committed_first,
       TimerData("rectification_due"),
       "",
       {},
       breach},
  };
}

// A random-inspection visit: drawn by the plan of 2025 for a grade-D subject
// (visited jointly by the shipped policy's three departments), or opened on a
// complaint (the policy's department alone); then the departments' results.
std::vector<RowExample> Inspection() {
  const Json planned = {{"cycle", "2025"},
                        {"seed", "inspection:2025"},
                        {"grade", "D"},
                        {"mode", "quota"},
                        {"inspected_in_cycle", 0},
                        {"candidates", 1},
                        {"quota", 1},
                        {"position", 0},
                        {"selected_before", 0},
                        {"candidates_sha256", std::string(64, 'a')},
                        {"joint", "market-tax-hr"}};
  const Json awaiting_two = {{"cycle", "2025"}, {"grounds", "plan"}, {"tasks_opened", 2}};
  const Json awaiting_one = {{"cycle", "2025"}, {"grounds", "complaint"}, {"tasks_opened", 1}};
  const Json passed = {{"department", "market-regulation"}, {"result", "passed"}, {"inspected_on", "2025-03-03"}};
  const Json problems = {{"department", "market-regulation"},
                         {"result", "problems_found"},
                         {"findings", "未按规定公示年度报告"},
                         {"inspected_on", "2025-03-03"}};
  const std::vector<std::string> concluded = {"PutSubjectRecord inspection", "SendNotice inspection.concluded"};
  std::vector<RowExample> rows = {
      {"Opened",
       "InspectionPlanned",
       "none",
       "AwaitingResults",
       Json::object(),
       planned,
       "D",
       {},
       {"PutSubjectRecord inspection", "OpenChildCase inspection_task", "OpenChildCase inspection_task",
        "OpenChildCase inspection_task"}},
      {"Opened",
       "InspectionRequested",
       "none",
       "AwaitingResults",
       Json::object(),
       {{"grounds", "complaint"}, {"note", "消费者投诉：无证经营"}},
       "A",
       {},
       {"PutSubjectRecord inspection", "OpenChildCase inspection_task"}},
      {"AwaitingResults",
       "ChildReachedOutcome",
       "ResultsOutstanding",
       "AwaitingResults",
       awaiting_two,
       Delivery("inspection_task", "passed", passed),
       "",
       {},
       {}},
      {"AwaitingResults",
       "ChildReachedOutcome",
       "EveryDepartmentPassed",
       "Passed",
       awaiting_one,
       Delivery("inspection_task", "passed", passed),
       "",
       {},
       concluded},
      {"AwaitingResults",
       "ChildReachedOutcome",
       "SomeDepartmentFoundProblems",
       "ProblemsFound",
       awaiting_one,
       Delivery("inspection_task", "problems_found", problems),
       "",
       {},
       concluded},
  };
  return rows;
}

// One department's part of a visit: assigned, then its result.
std::vector<RowExample> InspectionTask() {
  const Json task = {{"visit", "00000000-0000-4000-8000-0000000d0001"},
                     {"cycle", "2025"},
                     {"grounds", "plan"},
                     {"joint", ""},
                     {"departments", {"tax"}},
                     {"department", "tax"},
                     {"due_on", "2025-12-31"}};
  Json to_inspect = task;
  to_inspect["assigned_on"] = "2025-03-03";
  std::vector<RowExample> rows = {
      {"Assigned",
       "InspectionAssigned",
       "none",
       "ToInspect",
       task,
       Json::object(),
       "",
       {},
       {"SendNotice inspection.task_assigned"}},
      {"ToInspect",
       "InspectionResultRecorded",
       "ResultPassed",
       "TaskPassed",
       to_inspect,
       {{"result", "passed"}, {"inspected_on", "2025-03-03"}, {"inspectors", "王敏、李强"}},
       "",
       {},
       {}},
      {"ToInspect",
       "InspectionResultRecorded",
       "ResultProblemsFound",
       "TaskProblemsFound",
       to_inspect,
       {{"result", "problems_found"}, {"findings", "未按规定为职工缴纳社会保险"}},
       "",
       {},
       {}},
  };
  for (RowExample& row : rows) row.department = "tax";
  return rows;
}

}  // namespace

policies::Date ExampleDate() { return policies::Date::FromYmd(2025, 3, 3); }

std::vector<RowExample> ExamplesFor(const std::string& workflow) {
  if (workflow == "commitment") return Commitment();
  if (workflow == "verification") return Verification();
  if (workflow == "false_commitment") return FalseCommitment();
  if (workflow == "subject") return Subject();
  if (workflow == "dishonesty_record") return Record();
  if (workflow == "repair") return Repair();
  if (workflow == "repair_task") return RepairTask();
  if (workflow == "remediation_ledger") return Ledger();
  if (workflow == "enforcement") return Enforcement();
  if (workflow == "inspection") return Inspection();
  if (workflow == "inspection_task") return InspectionTask();
  return {};
}

}  // namespace credflow::testing
