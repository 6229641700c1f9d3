// <grading>: the risk-grading section (policies/grading_rules.h).
//
//   <grading lookback-years source>
//     <monthly-recompute day source/>   (optional)
//     <rule grade source [current="C D"]>
//       <when input [min] [max]/> ...
//     </rule> ...
//   </grading>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/xml/policy_section_loader.h"
#include "adapters/xml/sections/grading_conditions.h"
#include "policies/grading_rules.h"

namespace credflow::adapters {
namespace {

std::optional<policies::GradingRule> ReadGradingRule(XmlFileReader& r, pugi::xml_node node) {
  bool ok = r.OnlyAttributes(node, {"grade", "current", "source"});
  const std::optional<std::string> grade = r.Required(node, "grade");
  const std::optional<std::string> source = r.Required(node, "source");
  policies::GradingRule rule;
  rule.current = XmlFileReader::Words(node, "current");
  ok = ReadGradingConditions(r, node, &rule.when) && ok;
  if (!ok || !grade || !source) return std::nullopt;
  rule.grade = *grade;
  rule.source = *source;
  rule.line = r.Line(node);
  return rule;
}

void ReadSchedule(XmlFileReader& r, pugi::xml_node node, policies::GradingSection* s) {
  const bool known = r.OnlyAttributes(node, {"day", "source"});
  const std::optional<int> day = r.RequiredInt(node, "day", 1);
  const std::optional<std::string> source = r.Required(node, "source");
  s->recompute_line = r.Line(node);  // a second one is an unexpected element
  if (!known || !day || !source) return;
  s->recompute_day = *day;
  s->recompute_source = *source;
}

class GradingLoader final : public PolicySectionLoader {
 public:
  std::vector<std::string> Elements() const override { return {"grading"}; }

  void Load(XmlFileReader& r, pugi::xml_node node, policies::Policy* policy) const override {
    if (policy->Find<policies::GradingSection>() != nullptr) {
      r.Error(node, "a policy has at most one <grading>");
      return;
    }
    const bool known = r.OnlyAttributes(node, {"lookback-years", "source"});
    const std::optional<int> lookback = r.RequiredInt(node, "lookback-years", 1, kMaxRuleYears);
    const std::optional<std::string> source = r.Required(node, "source");
    if (!known || !lookback || !source) return;
    policies::GradingSection& s = policy->Section<policies::GradingSection>();
    s.lookback_years = *lookback;
    s.source = *source;
    s.line = r.Line(node);
    for (pugi::xml_node child : node.children()) {
      if (child.type() != pugi::node_element) continue;
      if (std::string_view(child.name()) == "monthly-recompute" && s.recompute_line == 0) {
        ReadSchedule(r, child, &s);
        continue;
      }
      if (std::string_view(child.name()) != "rule") {
        r.UnexpectedElement(child);
        continue;
      }
      if (std::optional<policies::GradingRule> rule = ReadGradingRule(r, child)) s.rules.push_back(std::move(*rule));
    }
  }
};

}  // namespace

bool ReadGradingConditions(XmlFileReader& r, pugi::xml_node rule, std::vector<policies::GradingCondition>* out) {
  bool ok = true;
  for (pugi::xml_node child : rule.children()) {
    if (child.type() != pugi::node_element) continue;
    if (std::string_view(child.name()) != "when") {
      r.UnexpectedElement(child);
      ok = false;
      continue;
    }
    policies::GradingCondition c;
    ok = r.OnlyAttributes(child, {"input", "min", "max"}) && ok;
    const std::optional<std::string> input = r.Required(child, "input");
    for (const char* bound : {"min", "max"}) {
      if (child.attribute(bound).empty()) continue;
      const std::optional<int> value = r.RequiredInt(child, bound, 0);
      if (!value) {
        ok = false;
        continue;
      }
      (std::string_view(bound) == "min" ? c.min : c.max) = *value;
    }
    if (!input) {
      ok = false;
      continue;
    }
    c.input = *input;
    out->push_back(std::move(c));
  }
  return ok;
}

const PolicySectionLoader& GradingSectionLoader() {
  static const GradingLoader loader;
  return loader;
}

}  // namespace credflow::adapters
