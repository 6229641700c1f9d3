// The commitment catalogue section (告知承诺事项目录): which matters a
// subject may obtain by commitment, how each is decided, and which records
// close the commitment route. Policy id "commitment".
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "policies/policy.h"

namespace credflow::policies {

// Why an item sends a subject to ordinary procedure from the start, whatever
// the catalogue-wide blocks say (e.g. simplified deregistration is not open
// to an entity in the abnormal list): an active record of a kind, or a
// subject status. Exactly one of record_kind and status is set.
struct ItemExclusion {
  std::string record_kind;  // abnormal_list, serious_list
  std::string status;       // revoked
  std::string reason;       // in_abnormal_list, ...
  std::string source;
  int line = 0;
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
  // after_publication only, and required there: when the publication ends
  // without objection, the applicant files the application the undertaking
  // was published for within this period, counted from the publication's
  // last day (simplified deregistration: 20 d, its last day moved off a
  // rest day); the matter is decided on that application.
  std::optional<SourcedPeriod> application_window;
  // The rule under which an objection during the publication closes the
  // item's commitment route (empty: the item's own source).
  std::string objection_source;
  std::vector<ItemExclusion> exclusions;
  std::string legal_basis;
  std::string source;
  int line = 0;  // where it was defined, for messages
};

// A record kind that closes the commitment route (sends the subject to
// ordinary procedure) while a record of it is active (shown, not repaired),
// with the reason code the case will carry. With a tier, only records of
// that tier (the record's data "tier": a serious-tier penalty) close it.
struct EligibilityBlock {
  std::string record_kind;  // false_commitment, serious_list, penalty, ...
  std::string tier;         // light, general, serious; "" for any
  std::string reason;       // unrepaired_false_commitment, ...
  std::string source;
  int line = 0;
};

// A subject status under which no commitment may be filed (a deregistered,
// revoked or bankrupt entity); the filing is refused with `reason`. An item
// whose exclusions name the status takes the filing instead and sends it to
// ordinary procedure.
struct FilingRefusal {
  std::string status;  // deregistered, revoked, bankrupt
  std::string reason;  // subject_deregistered, ...
  std::string source;
  int line = 0;
};

// What a filing is checked against before a case is opened.
struct FilingRules {
  std::vector<FilingRefusal> refusals;
  // The letter must be dated no earlier than this many days before the day
  // of filing (and never after it).
  std::optional<int> letter_max_days_before;
  std::string letter_date_source;
  // The letter's applicant must be the registered name of the subject (a
  // subject not yet registered is registered by the filing under it).
  std::string applicant_name_source;
  std::string source;
};

struct CatalogueSection {
  std::vector<CommitmentType> types;
  std::vector<EligibilityBlock> eligibility_blocks;
  FilingRules filing;

  const CommitmentType* FindType(const std::string& id) const;
  // Duplicate ids, unknown kinds and decisions, publication periods and
  // application windows that do not fit the decision, exclusions that name
  // neither or both of a record kind and a status, duplicate refusals.
  static void Check(const PolicySet& set, const Policy& policy, std::vector<PolicyError>* errors);
};

// The item `id` of the policy's catalogue, or nullptr (no such item, or no
// catalogue in the policy).
const CommitmentType* FindCommitmentType(const Policy& policy, const std::string& id);

// The refusal for a subject in `status` filing for `type` (nullptr when it
// may file): the catalogue's refusal of that status, unless the item's own
// exclusions name the status.
const FilingRefusal* FilingRefusalFor(const CatalogueSection& catalogue, const CommitmentType& type,
                                      const std::string& status);

}  // namespace credflow::policies
