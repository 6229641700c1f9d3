// <ledger>: the remediation-ledger section (policies/ledger_rules.h).
#include <cstdlib>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include "adapters/xml/policy_section_loader.h"
#include "adapters/xml/sections/grading_conditions.h"
#include "policies/ledger_rules.h"

namespace credflow::adapters {
namespace {

std::optional<policies::LedgerEntryRule> ReadEntry(XmlFileReader& r, pugi::xml_node node) {
  bool ok = r.OnlyAttributes(node, {"source"});
  const std::optional<std::string> source = r.Required(node, "source");
  policies::LedgerEntryRule rule;
  ok = ReadGradingConditions(r, node, &rule.when) && ok;
  if (!ok || !source) return std::nullopt;
  rule.source = *source;
  rule.line = r.Line(node);
  return rule;
}

std::optional<policies::LedgerTarget> ReadTarget(XmlFileReader& r, pugi::xml_node node) {
  const bool ok = r.OnlyAttributes(node, {"by", "ratio", "source"});
  const std::optional<std::string> by = r.Required(node, "by");
  const std::optional<std::string> ratio = r.Required(node, "ratio");
  const std::optional<std::string> source = r.Required(node, "source");
  if (!ok || !by || !ratio || !source) return std::nullopt;
  policies::LedgerTarget t;
  char* end = nullptr;
  t.ratio = std::strtod(ratio->c_str(), &end);
  if (end == ratio->c_str() || *end != '\0') {
    r.Error(node, "attribute 'ratio' of <target> is '" + *ratio + "' (expected a number such as 0.8)");
    return std::nullopt;
  }
  if (by->size() != 5 || (*by)[2] != '-') {
    r.Error(node, "attribute 'by' of <target> is '" + *by + "' (expected MM-DD)");
    return std::nullopt;
  }
  t.month = std::atoi(by->substr(0, 2).c_str());
  t.day = std::atoi(by->substr(3, 2).c_str());
  t.source = *source;
  return t;
}

class LedgerLoader final : public PolicySectionLoader {
 public:
  std::vector<std::string> Elements() const override { return {"ledger"}; }

  void Load(XmlFileReader& r, pugi::xml_node node, policies::Policy* policy) const override {
    if (policy->Find<policies::LedgerSection>() != nullptr) {
      r.Error(node, "a policy has at most one <ledger>");
      return;
    }
    const bool known = r.OnlyAttributes(node, {"lookback-years", "source"});
    const std::optional<int> lookback = r.RequiredInt(node, "lookback-years", 1, kMaxRuleYears);
    const std::optional<std::string> source = r.Required(node, "source");
    if (!known || !lookback || !source) return;
    policies::LedgerSection& s = policy->Section<policies::LedgerSection>();
    s.lookback_years = *lookback;
    s.source = *source;
    s.line = r.Line(node);
    for (pugi::xml_node child : node.children()) {
      if (child.type() != pugi::node_element) continue;
      const std::string_view name = child.name();
      if (name == "entry") {
        if (auto rule = ReadEntry(r, child)) s.entry.push_back(std::move(*rule));
      } else if (name == "screen-out") {
        const bool ok = r.OnlyAttributes(child, {"statuses", "abnormal-violations", "source"});
        const std::optional<std::string> src = r.Required(child, "source");
        if (!ok || !src) continue;
        s.screen_out_statuses = XmlFileReader::Words(child, "statuses");
        s.screen_out_abnormal_violations = XmlFileReader::Words(child, "abnormal-violations");
        s.screen_out_source = *src;
      } else if (name == "key-supervision") {
        const bool ok = r.OnlyAttributes(child, {"statuses", "source"});
        const std::optional<std::string> src = r.Required(child, "source");
        if (!ok || !src) continue;
        s.key_supervision_statuses = XmlFileReader::Words(child, "statuses");
        s.key_supervision_source = *src;
      } else if (name == "interview" || name == "progress" || name == "rectification") {
        std::optional<policies::SourcedPeriod> period = r.ReadPeriod(child);
        if (!period) continue;
        (name == "interview" ? s.interview : name == "progress" ? s.progress : s.rectification) = std::move(period);
      } else if (name == "target") {
        if (auto t = ReadTarget(r, child)) s.targets.push_back(std::move(*t));
      } else {
        r.UnexpectedElement(child);
      }
    }
  }
};

}  // namespace

const PolicySectionLoader& LedgerSectionLoader() {
  static const LedgerLoader loader;
  return loader;
}

}  // namespace credflow::adapters
