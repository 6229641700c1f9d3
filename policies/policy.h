// The policy model: versioned, dated rule sets loaded from XML (by
// adapters/xml) and read by the workflows' guards and actions. Every rule
// keeps the `source` that names the regulation and article it comes from.
//
// Immutable after loading; safe to share between threads.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "policies/calendar.h"
#include "policies/date.h"

namespace credflow::policies {

// A number or period together with the rule that sets it.
struct SourcedPeriod {
  Period period;
  bool extend_over_rest_days = false;  // statutory action deadlines: yes
  std::string source;
};

// One kind of commitment on the catalogue (告知承诺事项).
struct CommitmentType {
  std::string id;         // food_business_permit
  std::string name;       // 食品经营许可
  std::string kind;       // permit | declaration
  std::string form_id;    // the commitment-letter form
  std::string authority;  // approving department
  // on_signing: the matter is decided when the letter is signed (permit
  // granted on complete documents); after_publication: decided when the
  // publication period ends without objection.
  std::string decision;
  std::optional<SourcedPeriod> publication;  // after_publication only
  std::string legal_basis;
  std::string source;
  int line = 0;  // where it was defined, for messages
};

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

// The sampling ratio of one risk grade (A low ... D high; 国市监信发〔2022〕6号).
struct GradeSampling {
  std::string grade;                 // A, B, C, D
  double ratio = 0;                  // 0..1
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

// What false-commitment handling cites (domain.md section 3): the rule an
// order rests on beside the item's own legal basis, and the sources of the
// credit record and of the penalty referral it leaves.
struct FalseCommitmentRule {
  std::string order_basis;
  std::string record_source;
  std::string referral_source;
  std::string source;
  int line = 0;
};

// A record kind that closes the commitment route (sends the subject to
// ordinary procedure), with the reason code the case will carry.
struct EligibilityBlock {
  std::string record_kind;  // false_commitment, serious_dishonesty
  std::string reason;       // unrepaired_false_commitment, ...
  std::string source;
  int line = 0;
};

// A class of the enterprise credit-risk classification (国市监信发〔2022〕6号):
// A low, B general, C fairly high, D high.
struct RiskGradeDefinition {
  std::string value;  // A
  std::string name;   // 信用风险低
  std::string source;
  int line = 0;
};

// A status a market entity can have (operating, unreachable, bankrupt, ...).
struct SubjectStatusDefinition {
  std::string value;  // operating
  std::string name;   // 正常经营
  std::string source;
  int line = 0;
};

struct Policy {
  std::string id;       // e.g. commitment
  std::string version;  // e.g. 2024.1
  std::string title;
  std::string authority;  // issuing authority
  std::string source;
  Date effective_from;
  std::optional<Date> effective_to;  // inclusive; nullopt = open-ended
  std::string file;                  // where it was loaded from
  int line = 0;
  std::string content_hash;  // SHA-256 hex of the file's bytes

  std::vector<CommitmentType> commitment_types;
  std::vector<VerificationRule> verification_rules;
  std::vector<EligibilityBlock> eligibility_blocks;
  std::optional<SamplingRule> sampling;
  std::optional<FalseCommitmentRule> false_commitment;
  std::vector<RiskGradeDefinition> risk_grades;
  std::vector<SubjectStatusDefinition> subject_statuses;

  bool InForceOn(Date d) const;
  const CommitmentType* FindCommitmentType(const std::string& id) const;
  const VerificationRule* FindVerificationRule(const std::string& commitment_type) const;
  // nullptr when the policy does not list the value.
  const RiskGradeDefinition* FindRiskGrade(const std::string& value) const;
  const SubjectStatusDefinition* FindSubjectStatus(const std::string& value) const;
};

// A problem found while loading or validating a policy set.
struct PolicyError {
  std::string file;
  int line = 0;
  std::string message;
  std::string ToString() const;  // "file:line: message"
};

// Every loaded policy, every version.
class PolicySet {
 public:
  void Add(Policy policy);
  // The version of `id` in force on `date`, or nullptr.
  const Policy* Select(const std::string& id, Date date) const;
  // An exact version, or nullptr.
  const Policy* Find(const std::string& id, const std::string& version) const;
  std::vector<const Policy*> All() const;

  // Cross-file checks: overlapping effective dates of one id, duplicate
  // versions, verification rules naming an unknown commitment type (in the
  // catalogue in force at the rule's effective date), missing catalogue,
  // risk grades or subject statuses listed twice.
  std::vector<PolicyError> Validate() const;

 private:
  std::vector<std::unique_ptr<Policy>> policies_;
};

}  // namespace credflow::policies
