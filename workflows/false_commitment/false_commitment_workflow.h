// The false-commitment workflow (不实承诺处理) as the engine sees it, and the
// rectification order (责令整改通知书) it prints.
//
// A false-commitment case is opened by a commitment case as its child
// (engine::OpenChildCase) when verification finds the commitment untrue, with
// data {"commitment_case", "commitment_type", "verification_case",
// "findings", "rectification_days"?, "applicant_name"?} and first event
// NonconformityFound.
#pragma once

#include <memory>
#include <string>

#include "engine/case_service.h"
#include "engine/workflow.h"
#include "workflows/commitment/names.h"
#include "workflows/false_commitment/names.h"

namespace credflow::workflows::false_commitment {

// Read as in force on the day: item names, authorities and legal bases.
inline constexpr const char* kCataloguePolicyId = commitment::kPolicyId;

std::unique_ptr<engine::WorkflowDefinition> NewFalseCommitmentWorkflow();

// The ids of the records a case writes: derived from the case id, so that a
// replay or a repair addresses the same record.
std::string FalseCommitmentRecordId(const std::string& case_id);
std::string PenaltyReferralRecordId(const std::string& case_id);

// Fills the rectification_order form's letter from the case's data and the
// catalogue in force on the day the order was made. NotFound
// ("not_a_false_commitment_case") for a case of another workflow;
// FailedPrecondition("no_rectification_order") when no order was made yet,
// ("unknown_commitment_type") when the catalogue no longer has the item,
// ("form_not_loaded") when the rule book lacks the form, and
// ("incomplete_rectification_order") when the data do not satisfy the form.
// Pure: reads only its arguments.
engine::Result<std::string> RenderRectificationOrder(const engine::Case& false_commitment_case,
                                                     const engine::RuleBook& rules);

}  // namespace credflow::workflows::false_commitment
