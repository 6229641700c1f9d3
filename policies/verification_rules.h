// The verification section (承诺核查): per catalogue item, how and within
// which window a commitment is verified, the sampling ratios by risk grade,
// and what false-commitment handling cites. Policy id
// "commitment-verification".
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "policies/policy.h"

namespace credflow::policies {

// Per commitment type: how and when it is verified (承诺核查).
struct VerificationRule {
  std::string commitment_type;
  SourcedPeriod window;  // counted from the decision date
  std::string method;    // data_check | document_check | on_site
  // all: every commitment of the item is verified (a statutory or local
  // inspection duty); sampled: a seeded draw by risk grade decides.
  std::string mode;
  SourcedPeriod rectification;  // default period of a rectification order
  std::string source;
  int line = 0;
};

// How a grade's ratio is applied (workflows/verification/sampling.h).
inline constexpr const char* kDrawIndependent = "independent";
inline constexpr const char* kDrawQuota = "quota";

// The sampling ratio of one risk grade (A low ... D high; 国市监信发〔2022〕6号).
struct GradeSampling {
  std::string grade;  // A, B, C, D
  double ratio = 0;   // 0..1, a whole number of millionths
  // independent: each commitment is drawn on its own with probability
  // `ratio`; quota: a plan verifies exactly round(ratio x N) of the grade's N
  // commitments, chosen by a seeded shuffle (<grade draw="...">, default
  // independent).
  std::string draw = kDrawIndependent;
  std::optional<int> max_per_cycle;  // e.g. grade A: once per cycle (Weihai, 无事不扰)
  std::string source;
  int line = 0;
};

// How sampled verifications are drawn.
struct SamplingRule {
  std::string cycle;          // year | month: the span of max_per_cycle
  std::string default_grade;  // for a subject never graded
  std::vector<GradeSampling> grades;
  std::string source;
  int line = 0;

  const GradeSampling* Find(const std::string& grade) const;
};

// The checks every table of ratios by risk grade shares (the verification
// sampling, the inspection plan, policies/inspection_rules.h): every grade
// A-D exactly once, ratios within [0, 1] in whole millionths (a quota is
// computed from them exactly), a known draw, and a default grade that has a
// ratio. Problems of the table as a whole are reported at `line`.
void CheckGradeRatios(const Policy& policy, const std::vector<GradeSampling>& grades, const std::string& default_grade,
                      int line, std::vector<PolicyError>* errors);

// What false-commitment handling cites: the rule an order rests on beside
// the item's own legal basis, and the sources of the credit record and of the
// penalty referral it leaves.
struct FalseCommitmentRule {
  std::string order_basis;
  std::string record_source;
  std::string referral_source;
  std::string source;
  int line = 0;
};

struct VerificationSection {
  std::vector<VerificationRule> rules;
  std::optional<SamplingRule> sampling;
  std::optional<FalseCommitmentRule> false_commitment;

  const VerificationRule* FindRule(const std::string& commitment_type) const;
  // Rules naming an unknown commitment type (in the catalogue in force at
  // the policy's effective date) or a missing catalogue, duplicates, unknown
  // methods and modes, sampled rules without <sampling>, and the sampling
  // ratios (every grade A-D once, within [0, 1], a known cycle).
  static void Check(const PolicySet& set, const Policy& policy, std::vector<PolicyError>* errors);
};

// The rule for `commitment_type` in the policy, or nullptr.
const VerificationRule* FindVerificationRule(const Policy& policy, const std::string& commitment_type);

}  // namespace credflow::policies
