// The commitment catalogue section (告知承诺事项目录): which matters a
// subject may obtain by commitment, how each is decided, and which records
// close the commitment route. Policy id "commitment".
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "policies/policy.h"

namespace credflow::policies {

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

// A record kind that closes the commitment route (sends the subject to
// ordinary procedure), with the reason code the case will carry.
struct EligibilityBlock {
  std::string record_kind;  // false_commitment, serious_dishonesty
  std::string reason;       // unrepaired_false_commitment, ...
  std::string source;
  int line = 0;
};

struct CatalogueSection {
  std::vector<CommitmentType> types;
  std::vector<EligibilityBlock> eligibility_blocks;

  const CommitmentType* FindType(const std::string& id) const;
  // Duplicate ids, unknown kinds and decisions, publication periods that
  // do not fit the decision.
  static void Check(const PolicySet& set, const Policy& policy, std::vector<PolicyError>* errors);
};

// The item `id` of the policy's catalogue, or nullptr (no such item, or no
// catalogue in the policy).
const CommitmentType* FindCommitmentType(const Policy& policy, const std::string& id);

}  // namespace credflow::policies
