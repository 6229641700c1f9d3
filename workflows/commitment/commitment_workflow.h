// The commitment-filing workflow as the engine sees it, and the use case that
// files a commitment at the window.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "engine/case_service.h"
#include "engine/workflow.h"
#include "workflows/commitment/names.h"

namespace credflow::workflows::commitment {

std::unique_ptr<engine::WorkflowDefinition> NewCommitmentWorkflow();

struct FileCommitmentRequest {
  std::string subject;                         // unified social credit code
  std::string subject_name;                    // as the applicant gave it; recorded, may be empty
  std::string commitment_type;                 // an id on the catalogue
  engine::Json form = engine::Json::object();  // the commitment letter's fields
  engine::Actor actor;
  std::string idempotency_key;
};

// Files a commitment in one transaction: opens the case, runs the catalogue
// and eligibility check, and, when the subject may use the route, records the
// signed letter (which decides the matter or starts its publication).
// InvalidArgument("invalid_credit_code"), ("unknown_commitment_type") or
// ("invalid_form", with one error per field) change nothing: the case, its
// filing and its letter are written in one transaction or not at all.
engine::Result<engine::CommandResult> FileCommitment(engine::CaseService& service,
                                                     const FileCommitmentRequest& request);

}  // namespace credflow::workflows::commitment
