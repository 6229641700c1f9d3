// <verification>, <sampling> and <false-commitment>: the verification section.
#include <algorithm>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "adapters/xml/policy_section_loader.h"
#include "adapters/xml/sections/grade_sampling.h"
#include "policies/verification_rules.h"

namespace credflow::adapters {
namespace {

std::optional<policies::VerificationRule> ReadVerification(XmlFileReader& r, pugi::xml_node node) {
  bool ok = r.OnlyAttributes(node, {"type", "method", "mode", "source"});
  policies::VerificationRule rule;
  const std::optional<std::string> type = r.Required(node, "type");
  const std::optional<std::string> method = r.Required(node, "method");
  const std::optional<std::string> mode = r.Required(node, "mode");
  const std::optional<std::string> source = r.Required(node, "source");
  ok = ok && type && method && mode && source;
  for (pugi::xml_node child : node.children()) {
    if (child.type() != pugi::node_element) continue;
    const std::string_view name = child.name();
    if (name != "window" && name != "rectification") {
      r.UnexpectedElement(child);
      ok = false;
    }
  }
  for (auto [name, out] : {std::pair{"window", &rule.window}, std::pair{"rectification", &rule.rectification}}) {
    const std::optional<pugi::xml_node> child = r.OneChild(node, name);
    std::optional<policies::SourcedPeriod> period;
    if (child) period = r.ReadPeriod(*child);
    if (period) {
      *out = std::move(*period);
    } else {
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  rule.commitment_type = *type;
  rule.method = *method;
  rule.mode = *mode;
  rule.source = *source;
  rule.line = r.Line(node);
  return rule;
}

}  // namespace

std::optional<policies::GradeSampling> ReadGradeSampling(XmlFileReader& r, pugi::xml_node child) {
  bool ok = r.OnlyAttributes(child, {"value", "ratio", "draw", "max-per-cycle", "source"});
  const std::optional<std::string> value = r.Required(child, "value");
  const std::optional<std::string> ratio = r.Required(child, "ratio");
  const std::optional<std::string> source = r.Required(child, "source");
  policies::GradeSampling g;
  if (ratio) {
    char* end = nullptr;
    g.ratio = std::strtod(ratio->c_str(), &end);
    if (end == ratio->c_str() || *end != '\0') {
      r.Error(child, "attribute 'ratio' of <grade> is '" + *ratio + "' (expected a number in [0, 1])");
      ok = false;
    }
  }
  if (child.attribute("max-per-cycle")) {
    const std::optional<int> max = r.RequiredInt(child, "max-per-cycle", 0);
    ok = ok && max.has_value();
    g.max_per_cycle = max;
  }
  if (!ok || !value || !ratio || !source) return std::nullopt;
  g.grade = *value;
  if (child.attribute("draw")) g.draw = child.attribute("draw").value();
  g.source = *source;
  g.line = r.Line(child);
  return g;
}

namespace {

// <sampling cycle default-grade source><grade value ratio draw? max-per-cycle? source/>...
std::optional<policies::SamplingRule> ReadSampling(XmlFileReader& r, pugi::xml_node node) {
  bool ok = r.OnlyAttributes(node, {"cycle", "default-grade", "source"});
  policies::SamplingRule rule;
  const std::optional<std::string> cycle = r.Required(node, "cycle");
  const std::optional<std::string> default_grade = r.Required(node, "default-grade");
  const std::optional<std::string> source = r.Required(node, "source");
  ok = ok && cycle && default_grade && source;
  for (pugi::xml_node child : node.children()) {
    if (child.type() != pugi::node_element) continue;
    if (std::string_view(child.name()) != "grade") {
      r.UnexpectedElement(child);
      ok = false;
      continue;
    }
    std::optional<policies::GradeSampling> g = ReadGradeSampling(r, child);
    if (!g) {
      ok = false;
      continue;
    }
    rule.grades.push_back(std::move(*g));
  }
  if (!ok) return std::nullopt;
  rule.cycle = *cycle;
  rule.default_grade = *default_grade;
  rule.source = *source;
  rule.line = r.Line(node);
  return rule;
}

class VerificationLoader final : public PolicySectionLoader {
 public:
  std::vector<std::string> Elements() const override { return {"verification", "sampling", "false-commitment"}; }
  void Load(XmlFileReader& r, pugi::xml_node node, policies::Policy* policy) const override {
    policies::VerificationSection& section = policy->Section<policies::VerificationSection>();
    const std::string_view name = node.name();
    if (name == "verification") {
      if (auto v = ReadVerification(r, node)) section.rules.push_back(std::move(*v));
    } else if (name == "sampling") {
      if (section.sampling) {
        r.Error(node, "a policy has at most one <sampling>");
      } else if (auto s = ReadSampling(r, node)) {
        section.sampling = std::move(*s);
      }
    } else {
      const bool known = r.OnlyAttributes(node, {"order-basis", "record-source", "referral-source", "source"});
      const std::optional<std::string> basis = r.Required(node, "order-basis");
      const std::optional<std::string> record = r.Required(node, "record-source");
      const std::optional<std::string> referral = r.Required(node, "referral-source");
      const std::optional<std::string> source = r.Required(node, "source");
      if (section.false_commitment) {
        r.Error(node, "a policy has at most one <false-commitment>");
      } else if (known && basis && record && referral && source) {
        section.false_commitment = policies::FalseCommitmentRule{*basis, *record, *referral, *source, r.Line(node)};
      }
    }
  }
};

}  // namespace

const PolicySectionLoader& VerificationSectionLoader() {
  static const VerificationLoader loader;
  return loader;
}

}  // namespace credflow::adapters
