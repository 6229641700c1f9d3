// Events of the verification lifecycle (承诺核查), each declared once with
// who may send it and what its data hold.
#pragma once

#include "workflows/common/machine_base.h"

namespace credflow::workflows::verification {

// The commitment was decided and handed over: raised by the commitment case
// when it opens this one (the opening data carry commitment_case,
// commitment_type and decided_on).
CREDFLOW_EVENT(VerificationOpened,
               Declare::System().Describe("the commitment was decided and handed over to verification"));
// The verification plan drew this commitment, or exempted it. Raised only by
// the plan (workflows/verification/verification_workflow.h, CommitPlan), so
// the seed is the plan's and an auditor can recompute the draw.
// A quota draw (sampling.h) also carries the commitment's place in its
// grade's shuffle: the grade, N, the quota, its position, how many were
// selected before it, and the hash of the sorted candidate ids.
CREDFLOW_EVENT(DrawMade, Declare::System()
                             .Required("seed", forms::FieldType::kString)
                             .Required("plan_date", forms::FieldType::kDate)
                             .Required("verified_in_cycle", forms::FieldType::kInteger)
                             .Range(0, std::nullopt)
                             .Optional("mode", forms::FieldType::kEnum)
                             .Options({"independent", "quota"})
                             .Optional("grade", forms::FieldType::kString)
                             .Optional("candidates", forms::FieldType::kInteger)
                             .Range(1, std::nullopt)
                             .Optional("quota", forms::FieldType::kInteger)
                             .Range(0, std::nullopt)
                             .Optional("position", forms::FieldType::kInteger)
                             .Range(0, std::nullopt)
                             .Optional("selected_before", forms::FieldType::kInteger)
                             .Range(0, std::nullopt)
                             .Optional("candidates_sha256", forms::FieldType::kString)
                             .Describe("the verification plan drew this commitment (or exempted it)"));
// An inspector started the verification.
CREDFLOW_EVENT(VerificationStarted, Declare::Person(kWindowStaff)
                                        .Optional("inspector", forms::FieldType::kString)
                                        .Describe("an inspector started the verification"));
// The verification report was filed (checked against the report form).
CREDFLOW_EVENT(VerificationReported,
               Declare::Person(kWindowStaff).Form("form").Describe("the verification report was filed"));
// The verification window closed with no report.
CREDFLOW_EVENT(VerificationOverdue, Declare::Timer().Describe("the verification window closed with no report"));

}  // namespace credflow::workflows::verification
