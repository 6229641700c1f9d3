// The credit-repair section (信用修复): for one platform track and one rule
// regime (a dated policy version), how a dishonesty record (失信信息) is
// published, when and how it may be repaired, what an application must
// bring and within how many working days a department decides.
//
// Two tracks, each a policy id whose versions are the regimes in force by
// date (domain.md section 0):
//   credit-repair-credit-china  527号 -> Order 58 -> 22号 -> Order 36
//   credit-repair-gsxt          公示规定 + SAMR 2021 -> SAMR 2025
// The regime in force on the record's decision date sets its publication
// window (RepairRegimeSection::windows); the regime in force on the
// application date sets the procedure (conditions, documents, decision
// limits). Every rule keeps its source; C++ holds only the mechanisms
// (matching a record, counting a period, the named checks below).
//
// Rules are matched top-down, first match wins (a decision table with hit
// policy "first"); a policy author orders them from the most to the least
// specific. A record no window rule matches is a policy error at load time
// for the kinds the section declares (Check).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "policies/policy.h"

namespace credflow::policies {

// The platforms a record shows on.
inline constexpr const char* kPlatformCreditChina = "credit_china";  // 信用中国
inline constexpr const char* kPlatformGsxt = "gsxt";                 // 国家企业信用信息公示系统

// The policy ids of the two tracks.
inline constexpr const char* kCreditChinaRepairPolicyId = "credit-repair-credit-china";
inline constexpr const char* kGsxtRepairPolicyId = "credit-repair-gsxt";
// The policy id of `platform`'s track, or nullptr for an unknown platform.
const char* RepairPolicyIdFor(const std::string& platform);

// Record kinds (what the record is).
inline constexpr const char* kRecordPenalty = "penalty";             // 行政处罚信息
inline constexpr const char* kRecordAbnormalList = "abnormal_list";  // 经营异常名录
inline constexpr const char* kRecordSeriousList = "serious_list";    // 严重违法失信名单

// What a dishonesty record states: the inputs of its publication window and
// of the repair conditions.
struct RecordFacts {
  std::string platform;                // credit_china | gsxt
  std::string kind;                    // penalty | abnormal_list | serious_list
  std::string tier;                    // light | general | serious; empty for a list entry without one
  std::vector<std::string> penalties;  // warning, criticism, fine, confiscation, suspension,
                                       // licence_revocation, practice_restriction, business_restriction
  std::optional<double> amount;        // yuan, when a fine or confiscation has one
  std::string sector;                  // food, drug, special_equipment, work_safety, fire, ... (may be empty)
  std::string violation;               // violation type code (may be empty)
  bool simple_procedure = false;       // decided by simple (on-the-spot) procedure
  bool specific_serious = false;       // 527号 特定严重失信: never repairable
  Date decided_on;
  std::optional<Date> published_on;       // defaults to decided_on
  std::optional<Date> restriction_until;  // last day of a restriction (限制从业, ...) when it has a term
};

// Which records a rule applies to. An empty or absent condition matches
// anything; every condition given must hold.
struct RecordMatch {
  std::vector<std::string> kinds;           // kind is one of these
  std::vector<std::string> tiers;           // tier is one of these
  std::vector<std::string> sectors;         // sector is one of these
  std::vector<std::string> penalties_any;   // at least one penalty is one of these
  std::vector<std::string> penalties_only;  // the record has penalties and every one is one of these
  std::optional<double> amount_below;       // the record states an amount, and it is < this (较低数额, local)
  std::optional<bool> simple_procedure;
  std::optional<bool> specific_serious;

  bool Matches(const RecordFacts& record) const;
};

// How records of a kind are published and repaired.
struct WindowRule {
  RecordMatch match;
  bool published = true;  // false: never shown (e.g. simple-procedure fines on GSXT)
  // "application": repairable by application once `minimum` is served;
  // "none": not repairable by application (it ends at the maximum only),
  // refused with `refusal`.
  std::string repair = "application";
  std::string refusal;  // reason code when repair == "none": out_of_scope, no_early_stop, not_repairable
  std::optional<SourcedPeriod> minimum;     // absent with repair == application: repairable at once
  std::optional<SourcedPeriod> maximum;     // absent: no automatic end (e.g. the abnormal list)
  bool restriction_extends = false;         // a restriction whose term ends later than the maximum: its term
  std::optional<SourcedPeriod> escalation;  // abnormal list: escalates to the serious list when still listed
  std::string source;
  int line = 0;
};

// The checks a repair application must pass, besides the minimum period
// (which every application passes first). C++ implements each named check.
inline constexpr const char* kCheckObligationsPerformed = "obligations_performed";        // obligations_not_performed
inline constexpr const char* kCheckNotInAbnormalList = "not_in_abnormal_list";            // in_abnormal_list
inline constexpr const char* kCheckNotInSeriousList = "not_in_serious_list";              // in_serious_list
inline constexpr const char* kCheckNoSameTypeViolation = "no_same_type_violation_since";  // same_type_violation_since
inline constexpr const char* kCheckNoHeavierPenalty = "no_heavier_penalty_since";         // heavier_penalty_since

struct NamedCheck {
  std::string check;  // one of the kCheck names
  std::string source;
};

struct ConditionRule {
  RecordMatch match;
  std::vector<NamedCheck> checks;  // in the order they are checked
  std::string source;
  int line = 0;
};

// Document codes an application may bring (scenarios/FORMAT.md, and more).
// repair_commitment, proof_of_performance, business_licence, agent_id,
// interview_record, court_ruling, credit_report, training_certificate.
struct DocumentRule {
  RecordMatch match;
  std::vector<std::string> documents;  // every one is required
  std::string source;
  int line = 0;
};

// Within how long the deciding department decides, and whether it may
// extend.
struct DecisionRule {
  RecordMatch match;
  SourcedPeriod limit;                     // from acceptance (start day not counted)
  std::optional<SourcedPeriod> extension;  // absent: no extension
  std::string source;
  int line = 0;
};

// A reason a deciding department may give for denying a repair, as the
// console offers it (the code goes into the decision; the label is what the
// applicant reads). A department may still give another code: the codes
// are open (scenarios/FORMAT.md), the list is the regime's vocabulary.
struct DenialReason {
  std::string code;   // [a-z0-9_], at most 64 characters
  std::string label;  // in Chinese
  std::string source;
};

// A reason code as a department gives it: 1-64 characters of [a-z0-9_].
bool IsReasonCode(std::string_view code);

struct RepairRegimeSection {
  std::string platform;       // credit_china | gsxt
  std::string regime;         // a short name: 527, order58, 22, order36, samr2021, samr2025
  std::string title;          // the rule's name in Chinese, for documents
  std::string period_starts;  // decision | publication: the day publication periods count from
  std::string earliest;       // day_after | last_day: first day an application can succeed
  std::string source;
  std::vector<WindowRule> windows;        // first match
  std::vector<ConditionRule> conditions;  // first match; none matching: no checks beyond the minimum
  std::vector<DocumentRule> documents;    // first match; none matching: no documents required
  std::vector<DecisionRule> decisions;    // first match; required for every repairable window
  SourcedPeriod stop_publication;         // the platform stops showing a repaired record within this
  // A credit interview (信用约谈) before repair: an interview_record is then
  // required of every application (Weihai, a local parameter).
  bool interview_required = false;
  std::string interview_source;
  // Temporary repair for a subject in bankruptcy reorganisation (破产重整):
  // with a court ruling approving the reorganisation plan or settlement its
  // records are shielded at once, whatever their minimum period or
  // conditions, and the measures obstructing the plan lifted (22号, SAMR
  // 2025). Absent: the regime has no such repair.
  struct BankruptcyRepair {
    std::vector<std::string> documents;  // required of the application
    std::string source;
    int line = 0;
  };
  std::optional<BankruptcyRepair> bankruptcy;
  // What counts as a penalty heavier than a fine or a warning for the check
  // no_heavier_penalty_since (SAMR 2021 art 7 read with 令44 art 2): a later
  // record with any of these penalties or of any of these tiers. Required
  // when a condition uses the check.
  std::vector<std::string> heavier_penalties;
  std::vector<std::string> heavier_tiers;
  std::string heavier_source;
  // Whether `record` (another record's facts) is heavier in that sense.
  bool IsHeavier(const RecordFacts& record) const;
  // After a repair is revoked for false materials, may the subject apply
  // again? (unverified nationally: a parameter)
  bool reapply_after_revocation = false;
  std::string revocation_source;
  // The denial reasons the regime's conditions give (<denial-reasons>), in
  // the order offered; required, codes unique.
  std::vector<DenialReason> denial_reasons;
  int line = 0;

  const WindowRule* MatchWindow(const RecordFacts& record) const;
  const ConditionRule* MatchConditions(const RecordFacts& record) const;
  const DocumentRule* MatchDocuments(const RecordFacts& record) const;
  const DecisionRule* MatchDecision(const RecordFacts& record) const;

  // Unknown platform, period_starts or earliest, unknown kinds, tiers,
  // penalties, checks, documents or refusal codes; repair == none without a
  // refusal; a window with a maximum shorter than its minimum; periods in
  // units other than months/years/days for windows and other than
  // working_days/days for decisions; a repairable window no decision rule
  // matches (checked on a representative record of its match); no window
  // at all; the policy's id not the track of `platform`.
  static void Check(const PolicySet& set, const Policy& policy, std::vector<PolicyError>* errors);
};

// The publication window of a record under a regime, derived from its facts.
struct PublicationWindow {
  bool published = true;  // shown at all
  // The day its periods count from (not itself counted): the decision or the
  // publication date, per regime.
  Date starts;
  std::optional<Date> ends;             // last day shown; nullopt: no automatic end
  bool repairable = true;               // by application
  std::string refusal;                  // reason code when not repairable (out_of_scope, no_early_stop, not_repairable)
  std::optional<Date> earliest_repair;  // first day an application can succeed on time grounds
  std::optional<Date> escalates_on;     // abnormal list: the day it escalates when still listed
  std::string source;                   // the matched rule's source
  int line = 0;                         // the matched rule's line
};

// The window of `record` under `regime`; nullopt when no window rule matches
// (a gap in the policy, reported to the caller as such). Publication
// periods are calendar arithmetic (民法典 arts 201-202, start day not
// counted) and are not extended over rest days.
std::optional<PublicationWindow> DerivePublicationWindow(const RepairRegimeSection& regime, const RecordFacts& record);

// The regime section of `policy`, or nullptr.
const RepairRegimeSection* FindRepairRegime(const Policy& policy);

// The vocabulary the section and the record workflow accept.
bool IsKnownPlatform(const std::string& platform);
bool IsKnownRecordKind(const std::string& kind);
bool IsKnownTier(const std::string& tier);
bool IsKnownPenalty(const std::string& penalty);
bool IsKnownRepairDocument(const std::string& document);
bool IsKnownRepairCheck(const std::string& check);
// The reason code a failed check answers with (obligations_not_performed, ...).
std::string RefusalOfCheck(const std::string& check);

}  // namespace credflow::policies
