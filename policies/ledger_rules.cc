#include "policies/ledger_rules.h"

#include <algorithm>
#include <string>

#include "policies/subject_vocabulary.h"

namespace credflow::policies {

const std::vector<std::string>& LedgerInputNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> all = GradingInputNames();
    all.push_back("uncorrected_published");
    all.push_back("serious_list_entries");
    return all;
  }();
  return names;
}

bool LedgerEntryRule::Matches(const GradingInputs& inputs) const { return ConditionsHold(when, inputs); }

const LedgerEntryRule* LedgerSection::MatchEntry(const GradingInputs& inputs) const {
  for (const LedgerEntryRule& r : entry) {
    if (r.Matches(inputs)) return &r;
  }
  return nullptr;
}

void LedgerSection::Check(const PolicySet& set, const Policy& p, std::vector<PolicyError>* errors) {
  const LedgerSection& s = *p.Find<LedgerSection>();
  auto error = [&](int line, std::string message) { errors->push_back({p.file, line, std::move(message)}); };
  if (s.lookback_years < 1) error(s.line, "lookback-years must be at least 1");
  if (s.entry.empty()) error(s.line, "<ledger> needs at least one <entry> rule");
  const auto& names = LedgerInputNames();
  for (const LedgerEntryRule& r : s.entry) {
    if (r.when.empty()) error(r.line, "an <entry> rule needs at least one <when>");
    for (const GradingCondition& c : r.when) {
      if (std::find(names.begin(), names.end(), c.input) == names.end()) {
        error(r.line, "unknown input '" + c.input + "'");
      }
      if (!c.min && !c.max) error(r.line, "<when input=\"" + c.input + "\"> needs min or max");
    }
  }
  const Policy* vocabulary = set.Select("risk-classification", p.effective_from);
  for (const auto* list : {&s.screen_out_statuses, &s.key_supervision_statuses}) {
    for (const std::string& status : *list) {
      if (vocabulary == nullptr || FindSubjectStatus(*vocabulary, status) == nullptr) {
        error(s.line, "status '" + status + "' is not a subject status of the risk-classification policy");
      }
    }
  }
  if (!s.interview || !s.progress || !s.rectification) {
    error(s.line, "<ledger> needs <interview>, <progress> and <rectification> periods");
  }
  for (const LedgerTarget& t : s.targets) {
    if (t.ratio <= 0 || t.ratio > 1) error(s.line, "a target ratio is in (0, 1]");
    const std::string mm = (t.month < 10 ? "0" : "") + std::to_string(t.month);
    const std::string dd = (t.day < 10 ? "0" : "") + std::to_string(t.day);
    if (t.month < 1 || t.day < 1 || !Date::Parse("2001-" + mm + "-" + dd)) {
      error(s.line, "a target's day is not a day of the year (MM-DD, not 02-29)");
    }
  }
}

}  // namespace credflow::policies
