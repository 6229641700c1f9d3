#include "policies/repair_rules.h"

#include <algorithm>
#include <set>

#include "policies/policy_checks.h"

namespace credflow::policies {
namespace {

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

template <class Rule>
const Rule* FirstMatch(const std::vector<Rule>& rules, const RecordFacts& record) {
  for (const Rule& rule : rules) {
    if (rule.match.Matches(record)) return &rule;
  }
  return nullptr;
}

// The last day of `period` from `start` (start day not counted), by calendar
// arithmetic only: publication periods are never moved off rest days.
Date AddPeriod(Date start, const Period& period) {
  switch (period.unit) {
    case Period::Unit::kMonths: return AddMonthsClamped(start, period.count);
    case Period::Unit::kYears: return AddMonthsClamped(start, period.count * 12);
    case Period::Unit::kCalendarDays:
    case Period::Unit::kWorkingDays: break;  // Check refuses working days for windows
  }
  return start.AddDays(period.count);
}

// A period's length in days, roughly, for comparing a minimum with a maximum.
int ApproximateDays(const Period& p) {
  switch (p.unit) {
    case Period::Unit::kMonths: return p.count * 31;
    case Period::Unit::kYears: return p.count * 366;
    case Period::Unit::kCalendarDays: return p.count;
    case Period::Unit::kWorkingDays: return p.count * 7 / 5;
  }
  return p.count;
}

bool IsCalendarPeriod(const SourcedPeriod& p) { return p.period.unit != Period::Unit::kWorkingDays; }

// A record that `match` matches, for checking that the decision rules cover
// every repairable window.
RecordFacts Representative(const RecordMatch& match, const std::string& platform) {
  RecordFacts r;
  r.platform = platform;
  r.kind = match.kinds.empty() ? kRecordPenalty : match.kinds.front();
  r.tier = match.tiers.empty() ? "general" : match.tiers.front();
  if (!match.penalties_only.empty()) {
    r.penalties = {match.penalties_only.front()};
  } else if (!match.penalties_any.empty()) {
    r.penalties = {match.penalties_any.front()};
  } else {
    r.penalties = {"fine"};
  }
  if (!match.sectors.empty()) r.sector = match.sectors.front();
  if (match.amount_below) r.amount = *match.amount_below / 2;
  r.simple_procedure = match.simple_procedure.value_or(false);
  r.specific_serious = match.specific_serious.value_or(false);
  return r;
}

void CheckMatch(const Policy& p, const RecordMatch& m, int line, std::vector<PolicyError>* errors) {
  auto each = [&](const std::vector<std::string>& values, bool (*known)(const std::string&), const char* what) {
    for (const std::string& v : values) {
      if (!known(v)) errors->push_back({p.file, line, std::string("unknown ") + what + " '" + v + "'"});
    }
  };
  each(m.kinds, IsKnownRecordKind, "record kind");
  each(m.tiers, IsKnownTier, "tier");
  each(m.penalties_any, IsKnownPenalty, "penalty");
  each(m.penalties_only, IsKnownPenalty, "penalty");
  if (m.amount_below && *m.amount_below <= 0) errors->push_back({p.file, line, "amount-below must be positive"});
}

}  // namespace

const char* RepairPolicyIdFor(const std::string& platform) {
  if (platform == kPlatformCreditChina) return kCreditChinaRepairPolicyId;
  if (platform == kPlatformGsxt) return kGsxtRepairPolicyId;
  return nullptr;
}

bool RecordMatch::Matches(const RecordFacts& record) const {
  if (!kinds.empty() && !Contains(kinds, record.kind)) return false;
  if (!tiers.empty() && !Contains(tiers, record.tier)) return false;
  if (!sectors.empty() && !Contains(sectors, record.sector)) return false;
  if (!penalties_any.empty() && std::none_of(record.penalties.begin(), record.penalties.end(),
                                             [&](const std::string& p) { return Contains(penalties_any, p); })) {
    return false;
  }
  if (!penalties_only.empty()) {
    if (record.penalties.empty()) return false;
    for (const std::string& p : record.penalties) {
      if (!Contains(penalties_only, p)) return false;
    }
  }
  if (amount_below && !(record.amount && *record.amount < *amount_below)) return false;
  if (simple_procedure && *simple_procedure != record.simple_procedure) return false;
  if (specific_serious && *specific_serious != record.specific_serious) return false;
  return true;
}

const WindowRule* RepairRegimeSection::MatchWindow(const RecordFacts& record) const {
  return FirstMatch(windows, record);
}
const ConditionRule* RepairRegimeSection::MatchConditions(const RecordFacts& record) const {
  return FirstMatch(conditions, record);
}
const DocumentRule* RepairRegimeSection::MatchDocuments(const RecordFacts& record) const {
  return FirstMatch(documents, record);
}
const DecisionRule* RepairRegimeSection::MatchDecision(const RecordFacts& record) const {
  return FirstMatch(decisions, record);
}

std::optional<PublicationWindow> DerivePublicationWindow(const RepairRegimeSection& regime, const RecordFacts& record) {
  const WindowRule* rule = regime.MatchWindow(record);
  if (rule == nullptr) return std::nullopt;
  PublicationWindow w;
  w.source = rule->source;
  w.line = rule->line;
  w.starts =
      regime.period_starts == "publication" ? record.published_on.value_or(record.decided_on) : record.decided_on;
  w.published = rule->published;
  if (!rule->published) {
    w.repairable = false;
    w.refusal = rule->refusal.empty() ? "record_not_shown" : rule->refusal;
    return w;
  }
  if (rule->maximum) {
    Date ends = AddPeriod(w.starts, rule->maximum->period);
    if (rule->restriction_extends && record.restriction_until && ends < *record.restriction_until) {
      ends = *record.restriction_until;
    }
    w.ends = ends;
  }
  if (rule->escalation) w.escalates_on = AddPeriod(w.starts, rule->escalation->period);
  if (rule->repair != "application") {
    w.repairable = false;
    w.refusal = rule->refusal;
    return w;
  }
  // Without a minimum a record is repairable from the day it counts from
  // (once its conditions hold): the day after it with earliest="day_after",
  // as with any other period.
  const Date last = rule->minimum ? AddPeriod(w.starts, rule->minimum->period) : w.starts;
  w.earliest_repair = regime.earliest == "last_day" ? last : last.AddDays(1);
  return w;
}

const RepairRegimeSection* FindRepairRegime(const Policy& policy) { return policy.Find<RepairRegimeSection>(); }

bool IsKnownPlatform(const std::string& platform) { return IsOneOf(platform, {kPlatformCreditChina, kPlatformGsxt}); }
bool IsKnownRecordKind(const std::string& kind) {
  return IsOneOf(kind, {kRecordPenalty, kRecordAbnormalList, kRecordSeriousList});
}
bool IsKnownTier(const std::string& tier) { return IsOneOf(tier, {"light", "general", "serious"}); }
bool IsKnownPenalty(const std::string& penalty) {
  return IsOneOf(penalty, {"warning", "criticism", "fine", "confiscation", "suspension", "licence_revocation",
                           "practice_restriction", "business_restriction"});
}
bool IsKnownRepairDocument(const std::string& document) {
  return IsOneOf(document, {"repair_commitment", "proof_of_performance", "business_licence", "agent_id",
                            "interview_record", "court_ruling", "credit_report", "training_certificate"});
}
bool IsKnownRepairCheck(const std::string& check) {
  return IsOneOf(check, {kCheckObligationsPerformed, kCheckNotInAbnormalList, kCheckNotInSeriousList,
                         kCheckNoSameTypeViolation, kCheckNoHeavierPenalty});
}

std::string RefusalOfCheck(const std::string& check) {
  if (check == kCheckObligationsPerformed) return "obligations_not_performed";
  if (check == kCheckNotInAbnormalList) return "in_abnormal_list";
  if (check == kCheckNotInSeriousList) return "in_serious_list";
  if (check == kCheckNoSameTypeViolation) return "same_type_violation_since";
  if (check == kCheckNoHeavierPenalty) return "heavier_penalty_since";
  return "";
}

bool RepairRegimeSection::IsHeavier(const RecordFacts& record) const {
  if (Contains(heavier_tiers, record.tier)) return true;
  return std::any_of(record.penalties.begin(), record.penalties.end(),
                     [&](const std::string& p) { return Contains(heavier_penalties, p); });
}

bool IsReasonCode(std::string_view code) {
  return !code.empty() && code.size() <= 64 && std::all_of(code.begin(), code.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

void RepairRegimeSection::Check(const PolicySet& set, const Policy& p, std::vector<PolicyError>* errors) {
  (void)set;
  const RepairRegimeSection& s = *p.Find<RepairRegimeSection>();
  auto error = [&](int line, std::string message) { errors->push_back({p.file, line, std::move(message)}); };
  if (!IsKnownPlatform(s.platform)) {
    error(s.line, "unknown platform '" + s.platform + "' (expected credit_china or gsxt)");
  } else if (p.id != RepairPolicyIdFor(s.platform)) {
    error(s.line,
          "a " + s.platform + " regime belongs to policy '" + RepairPolicyIdFor(s.platform) + "', not '" + p.id + "'");
  }
  if (!IsOneOf(s.period_starts, {"decision", "publication"})) {
    error(s.line, "period-starts '" + s.period_starts + "' (expected decision or publication)");
  }
  if (!IsOneOf(s.earliest, {"day_after", "last_day"})) {
    error(s.line, "earliest '" + s.earliest + "' (expected day_after or last_day)");
  }
  if (s.windows.empty()) error(s.line, "a repair regime needs at least one <window>");
  if (s.denial_reasons.empty()) error(s.line, "a repair regime needs <denial-reasons> with at least one <reason>");
  std::set<std::string> denial_codes;
  for (const DenialReason& r : s.denial_reasons) {
    if (!IsReasonCode(r.code)) error(s.line, "denial reason code '" + r.code + "' is not 1-64 characters of [a-z0-9_]");
    if (!denial_codes.insert(r.code).second) error(s.line, "denial reason '" + r.code + "' is listed twice");
    if (r.label.empty()) error(s.line, "denial reason '" + r.code + "' has no label");
  }
  if (s.stop_publication.source.empty()) error(s.line, "a repair regime needs <stop-publication>");
  for (const WindowRule& w : s.windows) {
    CheckMatch(p, w.match, w.line, errors);
    if (!IsOneOf(w.repair, {"application", "none"})) {
      error(w.line, "repair '" + w.repair + "' (expected application or none)");
    }
    if (w.repair == "none" && !IsOneOf(w.refusal, {"out_of_scope", "no_early_stop", "not_repairable"})) {
      error(w.line, "a window with repair=\"none\" names its refusal: out_of_scope, no_early_stop or not_repairable");
    }
    for (const std::optional<SourcedPeriod>* period : {&w.minimum, &w.maximum, &w.escalation}) {
      if (*period && !IsCalendarPeriod(**period)) {
        error(w.line, "publication periods are in days, months or years, not working days");
      }
    }
    if (w.minimum && w.maximum && ApproximateDays(w.maximum->period) < ApproximateDays(w.minimum->period)) {
      error(w.line, "the maximum period is shorter than the minimum");
    }
    if (w.published && w.repair == "application" && s.MatchDecision(Representative(w.match, s.platform)) == nullptr) {
      error(w.line, "no <decision> rule sets the decision time for records of this window");
    }
  }
  for (const ConditionRule& c : s.conditions) {
    CheckMatch(p, c.match, c.line, errors);
    for (const NamedCheck& check : c.checks) {
      if (!IsKnownRepairCheck(check.check)) error(c.line, "unknown check '" + check.check + "'");
      if (check.check == kCheckNoHeavierPenalty && s.heavier_source.empty()) {
        error(c.line, "the check no_heavier_penalty_since needs <heavier-penalties> saying what is heavier");
      }
    }
  }
  if (s.bankruptcy) {
    for (const std::string& doc : s.bankruptcy->documents) {
      if (!IsKnownRepairDocument(doc)) error(s.bankruptcy->line, "unknown document '" + doc + "'");
    }
  }
  for (const std::string& penalty : s.heavier_penalties) {
    if (!IsKnownPenalty(penalty)) error(s.line, "<heavier-penalties>: unknown penalty '" + penalty + "'");
  }
  for (const std::string& tier : s.heavier_tiers) {
    if (!IsKnownTier(tier)) error(s.line, "<heavier-penalties>: unknown tier '" + tier + "'");
  }
  for (const DocumentRule& d : s.documents) {
    CheckMatch(p, d.match, d.line, errors);
    for (const std::string& doc : d.documents) {
      if (!IsKnownRepairDocument(doc)) error(d.line, "unknown document '" + doc + "'");
    }
  }
  for (const DecisionRule& d : s.decisions) {
    CheckMatch(p, d.match, d.line, errors);
    for (const SourcedPeriod* period : {&d.limit, d.extension ? &*d.extension : nullptr}) {
      if (period != nullptr && !IsOneOf(Period::UnitName(period->period.unit), {"working_days", "days"})) {
        error(d.line, "a decision time is in working days or days");
      }
    }
  }
}

}  // namespace credflow::policies
