#include "tests/support/engine_harness.h"

#include <cstdio>

#include "tests/support/join_workflows.h"
#include "tests/support/shipped_rules.h"
#include "workflows/registry.h"

namespace credflow::testing {

EngineHarness::EngineHarness(engine::CaseStore* store, const engine::RuleBook* rules)
    : store_(store), service_(store, &registry_, rules != nullptr ? *rules : ShippedRules().book(), &clock_) {
  workflows::RegisterAll(registry_);
  registry_.Add(NewFanoutWorkflow());
  registry_.Add(NewTaskWorkflow());
  SetDate("2025-03-03");
}

void EngineHarness::SetDate(const std::string& ymd) { clock_.SetDate(*policies::Date::Parse(ymd)); }

engine::Json EngineHarness::FoodLetter(const std::string& signed_on) {
  return engine::Json{{"applicant_name", "苏州禾丰餐饮管理有限公司"},
                      {"legal_representative", "周建华"},
                      {"premises_address", "苏州市姑苏区人民路1288号"},
                      {"business_items", {"prepackaged_food_sales"}},
                      {"signed_on", signed_on}};
}

engine::Result<engine::CommandResult> EngineHarness::FileFoodPermit(const std::string& subject,
                                                                    const std::string& key) {
  workflows::commitment::FileCommitmentRequest r;
  r.subject = subject;
  r.commitment_type = "food_business_permit";
  r.form = FoodLetter(clock_.Today().ToString());
  r.actor = engine::Actor{"alice", "caseworker", "window-1"};
  r.idempotency_key = key;
  return workflows::commitment::FileCommitment(service_, r);
}

engine::Result<engine::CommandResult> EngineHarness::FileDeregistration(const std::string& subject) {
  workflows::commitment::FileCommitmentRequest r;
  r.subject = subject;
  r.commitment_type = "simplified_deregistration";
  r.form = engine::Json{{"applicant_name", "苏州恒越贸易有限公司"},
                        {"legal_representative", "陈立"},
                        {"investors", {"陈立", "王敏"}},
                        {"no_outstanding_debts", true},
                        {"signed_on", clock_.Today().ToString()}};
  r.actor = engine::Actor{"alice", "caseworker", "window-1"};
  return workflows::commitment::FileCommitment(service_, r);
}

std::string EngineHarness::ChildOf(const std::string& case_id, const std::string& workflow) {
  engine::CaseQuery q;
  q.parent_id = case_id;
  q.workflow = workflow;
  auto children = store_->FindCases(q);
  return children.ok() && !children->empty() ? children->front().id : std::string();
}

engine::Json EngineHarness::Report(const std::string& result) { return engine::Json{{"form", {{"result", result}}}}; }

engine::Result<engine::CommandResult> EngineHarness::Fire(const std::string& case_id, const std::string& event,
                                                          const engine::Json& data, const std::string& key) {
  engine::FireEventRequest r;
  r.case_id = case_id;
  r.event = engine::EventInput{event, data, engine::Actor{"bob", "caseworker", "window-2"}};
  r.idempotency_key = key;
  return service_.Fire(r);
}

std::string NumberedCreditCode(int n) {
  static const std::string kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  static const int kWeights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
  char digits[16];
  std::snprintf(digits, sizeof digits, "%07d", n);
  std::string code = std::string("91320500MA") + digits;
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += static_cast<int>(kAlphabet.find(code[static_cast<size_t>(i)])) * kWeights[i];
  return code + kAlphabet[static_cast<size_t>((31 - sum % 31) % 31)];
}

}  // namespace credflow::testing
