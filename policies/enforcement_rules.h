// The enforcement-discretion sections (行政处罚裁量): the violation catalogue
// with each violation's membership in SAMR's lenient lists, and the decision
// table that triages a reported violation. Policy id "enforcement-discretion";
// a local list (e.g. a province's own 首违不罚 items) is a policy of its own id
// holding only a <violation-catalogue>, added as a file.
//
//   <violation-catalogue source="...">
//     <violation code name list list-source source>
//       <rectification count unit source [extend-over-rest-days]/>
//     </violation> ...
//   </violation-catalogue>
//   <discretion-table hit-policy="first" source="...">
//     <first-violation-lookback count unit source/>
//     <penalty-record platform department source/>
//     <rule id outcome [after="rectification"] [reason] source
//           [list] [harm] [fault] [first-violation] [harm-reduced] [grade] [commitment]/> ...
//   </discretion-table>
//
// Hit policy: first match, in document order. A rule matches when every
// condition it states holds (list, harm and grade name one or more values
// separated by spaces; the booleans are true or false); a condition it does
// not state matches anything. The last rule must state none, so that every
// report is decided.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "policies/policy.h"

namespace credflow::policies {

inline constexpr const char* kEnforcementPolicyId = "enforcement-discretion";

// List membership of a violation (SAMR 国市监法〔2025〕10号).
inline constexpr const char* kFirstViolationExemptList = "first_violation_exempt";  // 首违不罚清单
inline constexpr const char* kMinorExemptList = "minor_exempt";                     // 轻微免罚清单
inline constexpr const char* kNoList = "none";

// Outcomes of a decision (scenarios/FORMAT.md: enforcement case).
inline constexpr const char* kNoPenalty = "no_penalty";
inline constexpr const char* kMitigated = "mitigated";
inline constexpr const char* kOrdinaryPenalty = "ordinary_penalty";

// One violation on the catalogue.
struct ViolationItem {
  std::string code;  // food_permit_expired_not_renewed
  std::string name;  // 食品经营许可证有效期届满未换证仍从事经营
  std::string list;  // first_violation_exempt | minor_exempt | none
  std::string list_source;
  // The default period a rectification order (or a 信用+ commitment) sets.
  SourcedPeriod rectification;
  std::string source;
  int line = 0;
};

struct ViolationCatalogueSection {
  std::vector<ViolationItem> items;
  std::string source;

  const ViolationItem* Find(const std::string& code) const;
  // Duplicate codes (in this file, or in another catalogue whose dates
  // overlap), unknown lists.
  static void Check(const PolicySet& set, const Policy& policy, std::vector<PolicyError>* errors);
};

// What a rule tests: the facts of one reported violation.
struct DiscretionInputs {
  std::string list;  // the violation's list
  std::string harm;  // none | slight | serious
  bool fault = true;
  bool first_violation = true;  // no same-type violation within the look-back
  bool harm_reduced = false;
  std::string grade;        // the subject's risk grade; empty when ungraded
  bool commitment = false;  // the 信用+ written rectification commitment
};

struct DiscretionRule {
  std::string id;  // first_violation_list_first, ...
  // Conditions; empty or nullopt: any.
  std::vector<std::string> lists;
  std::vector<std::string> harms;
  std::vector<std::string> grades;
  std::optional<bool> fault;
  std::optional<bool> first_violation;
  std::optional<bool> harm_reduced;
  std::optional<bool> commitment;
  // The decision: at once, or, with after_rectification, when the violation
  // is rectified within the ordered period (missed: ordinary penalty).
  std::string outcome;
  bool after_rectification = false;
  std::string reason;  // why leniency is refused (ordinary_penalty rows)
  std::string source;
  int line = 0;

  bool Matches(const DiscretionInputs& in) const;
  bool AlwaysMatches() const;
};

// What a penalty decided here becomes (mitigated or ordinary): a dishonesty
// record of the repair lifecycle (workflows/record), shown on `platform` by
// the rules of the regime in force on the decision date, with its repair
// notice (两书同达).
struct PenaltyRecordRule {
  std::string platform;    // gsxt | credit_china
  std::string department;  // the deciding department when the report names none
  std::string source;
  int line = 0;
};

struct DiscretionSection {
  std::string hit_policy = "first";
  PenaltyRecordRule penalty_record;
  SourcedPeriod lookback;  // 首违: no same-type violation within it
  std::vector<DiscretionRule> rules;
  std::string source;
  int line = 0;

  // The first rule that matches; nullptr when none does.
  const DiscretionRule* Match(const DiscretionInputs& in) const;
  // A hit policy other than first; a look-back in working days; unknown
  // outcomes, lists, harms, grades; after= other than rectification or on an
  // ordinary penalty; an ordinary penalty without a reason; duplicate ids;
  // rules after one that always matches; a last rule that does not.
  static void Check(const PolicySet& set, const Policy& policy, std::vector<PolicyError>* errors);
};

// The violation `code` as the catalogues in force on `date` have it: the
// pinned policy's catalogue first, then every other catalogue in force (a
// local list added as a file); nullptr when none lists it. `found_in` (if
// not null) gets the policy that lists it.
const ViolationItem* FindViolation(const PolicySet& set, const Policy& pinned, const std::string& code, Date date,
                                   const Policy** found_in = nullptr);

// The first day of the look-back that ends on `today` (today included): a
// same-type violation decided on or after it makes this one not the first.
Date LookbackStart(const SourcedPeriod& lookback, Date today);

}  // namespace credflow::policies
