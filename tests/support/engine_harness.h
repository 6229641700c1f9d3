// A CaseService wired to a given store, the shipped rules (or others), every workflow
// (plus the test-only fanout/task pair) and a manual clock.
#pragma once

#include <string>

#include "engine/case_service.h"
#include "engine/clock.h"
#include "engine/workflow.h"
#include "workflows/commitment/commitment_workflow.h"

namespace credflow::testing {

class EngineHarness {
 public:
  // The shipped rules unless others are given (they must outlive the harness).
  explicit EngineHarness(engine::CaseStore* store, const engine::RuleBook* rules = nullptr);

  engine::CaseService& service() { return service_; }
  engine::ManualClock& clock() { return clock_; }
  engine::CaseStore& store() { return *store_; }
  const engine::WorkflowRegistry& workflows() const { return registry_; }

  void SetDate(const std::string& ymd);
  // Files a food-business permit commitment (decided on signing) today.
  engine::Result<engine::CommandResult> FileFoodPermit(const std::string& subject, const std::string& key = "");
  // Files a simplified-deregistration undertaking (published first) today.
  engine::Result<engine::CommandResult> FileDeregistration(const std::string& subject);
  engine::Result<engine::CommandResult> Fire(const std::string& case_id, const std::string& event,
                                             const engine::Json& data = engine::Json::object(),
                                             const std::string& key = "");

  static engine::Json FoodLetter(const std::string& signed_on);
  // The id of the case's child of `workflow` (the first one); empty if none.
  std::string ChildOf(const std::string& case_id, const std::string& workflow);
  // A verification report as the event data VerificationReported takes.
  static engine::Json Report(const std::string& result);

 private:
  engine::CaseStore* store_;
  engine::WorkflowRegistry registry_;
  engine::ManualClock clock_;
  engine::CaseService service_;
};

inline constexpr const char* kSubjectA = "91320500L968FMY61Q";
inline constexpr const char* kSubjectB = "91350100M000100Y43";
inline constexpr const char* kSubjectC = "91320500UNC8626R9D";

// A valid unified social credit code numbered `n` (0 <= n < 10^7): the
// 91320500MA prefix, n in seven digits, and the GB 32100-2015 check
// character. Distinct for distinct n, and in the order of n.
std::string NumberedCreditCode(int n);

}  // namespace credflow::testing
