// <violation-catalogue> and <discretion-table>: the enforcement-discretion
// sections (policies/enforcement_rules.h).
//
//   <violation-catalogue source>
//     <violation code name list list-source source>
//       <rectification count unit source [extend-over-rest-days]/>
//     </violation> ...
//   </violation-catalogue>
//   <discretion-table hit-policy source>
//     <first-violation-lookback count unit source/>
//     <penalty-record platform department source/>
//     <rule id outcome [after] [reason] source [list] [harm] [fault]
//           [first-violation] [harm-reduced] [grade] [commitment]/> ...
//   </discretion-table>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/xml/policy_section_loader.h"
#include "policies/enforcement_rules.h"

namespace credflow::adapters {
namespace {

// An optional true/false condition: absent leaves it unset; false (reported)
// when malformed.
bool Condition(XmlFileReader& r, pugi::xml_node node, const char* name, std::optional<bool>* out) {
  if (node.attribute(name).empty()) return true;
  const std::optional<bool> value = r.OptionalBool(node, name, false);
  if (!value) return false;
  *out = *value;
  return true;
}

std::optional<policies::ViolationItem> ReadViolation(XmlFileReader& r, pugi::xml_node node) {
  bool ok = r.OnlyAttributes(node, {"code", "name", "list", "list-source", "source"});
  const std::optional<std::string> code = r.Required(node, "code");
  const std::optional<std::string> name = r.Required(node, "name");
  const std::optional<std::string> list = r.Required(node, "list");
  const std::optional<std::string> list_source = r.Required(node, "list-source");
  const std::optional<std::string> source = r.Required(node, "source");
  std::optional<policies::SourcedPeriod> rectification;
  for (pugi::xml_node child : node.children()) {
    if (child.type() != pugi::node_element) continue;
    if (std::string_view(child.name()) != "rectification" || rectification) {
      r.UnexpectedElement(child);
      ok = false;
      continue;
    }
    rectification = r.ReadPeriod(child);
    ok = ok && rectification.has_value();
  }
  if (!rectification && ok) {
    r.Error(node, "element <violation> lacks child <rectification> (the default rectification period)");
    ok = false;
  }
  if (!ok || !code || !name || !list || !list_source || !source) return std::nullopt;
  policies::ViolationItem item;
  item.code = *code;
  item.name = *name;
  item.list = *list;
  item.list_source = *list_source;
  item.rectification = *rectification;
  item.source = *source;
  item.line = r.Line(node);
  return item;
}

std::optional<policies::DiscretionRule> ReadRule(XmlFileReader& r, pugi::xml_node node) {
  bool ok = r.OnlyAttributes(node, {"id", "outcome", "after", "reason", "source", "list", "harm", "fault",
                                    "first-violation", "harm-reduced", "grade", "commitment"});
  const std::optional<std::string> id = r.Required(node, "id");
  const std::optional<std::string> outcome = r.Required(node, "outcome");
  const std::optional<std::string> source = r.Required(node, "source");
  policies::DiscretionRule rule;
  const std::string after = node.attribute("after").value();
  if (!after.empty() && after != "rectification") {
    r.Error(node, "attribute 'after' of <rule> is '" + after + "' (expected rectification)");
    ok = false;
  }
  rule.after_rectification = after == "rectification";
  rule.reason = node.attribute("reason").value();
  rule.lists = XmlFileReader::Words(node, "list");
  rule.harms = XmlFileReader::Words(node, "harm");
  rule.grades = XmlFileReader::Words(node, "grade");
  ok = Condition(r, node, "fault", &rule.fault) && ok;
  ok = Condition(r, node, "first-violation", &rule.first_violation) && ok;
  ok = Condition(r, node, "harm-reduced", &rule.harm_reduced) && ok;
  ok = Condition(r, node, "commitment", &rule.commitment) && ok;
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_element) {
      r.UnexpectedElement(child);
      ok = false;
    }
  }
  if (!ok || !id || !outcome || !source) return std::nullopt;
  rule.id = *id;
  rule.outcome = *outcome;
  rule.source = *source;
  rule.line = r.Line(node);
  return rule;
}

std::optional<policies::PenaltyRecordRule> ReadPenaltyRecord(XmlFileReader& r, pugi::xml_node node) {
  const bool known = r.OnlyAttributes(node, {"platform", "department", "source"});
  const std::optional<std::string> platform = r.Required(node, "platform");
  const std::optional<std::string> department = r.Required(node, "department");
  const std::optional<std::string> source = r.Required(node, "source");
  if (!known || !platform || !department || !source) return std::nullopt;
  policies::PenaltyRecordRule rule;
  rule.platform = *platform;
  rule.department = *department;
  rule.source = *source;
  rule.line = r.Line(node);
  return rule;
}

class EnforcementLoader final : public PolicySectionLoader {
 public:
  std::vector<std::string> Elements() const override { return {"violation-catalogue", "discretion-table"}; }

  void Load(XmlFileReader& r, pugi::xml_node node, policies::Policy* policy) const override {
    if (std::string_view(node.name()) == "violation-catalogue") {
      LoadCatalogue(r, node, policy);
    } else {
      LoadTable(r, node, policy);
    }
  }

 private:
  static void LoadCatalogue(XmlFileReader& r, pugi::xml_node node, policies::Policy* policy) {
    if (policy->Find<policies::ViolationCatalogueSection>() != nullptr) {
      r.Error(node, "a policy has at most one <violation-catalogue>");
      return;
    }
    const bool known = r.OnlyAttributes(node, {"source"});
    const std::optional<std::string> source = r.Required(node, "source");
    if (!known || !source) return;
    policies::ViolationCatalogueSection& s = policy->Section<policies::ViolationCatalogueSection>();
    s.source = *source;
    for (pugi::xml_node child : node.children()) {
      if (child.type() != pugi::node_element) continue;
      if (std::string_view(child.name()) != "violation") {
        r.UnexpectedElement(child);
        continue;
      }
      if (std::optional<policies::ViolationItem> item = ReadViolation(r, child)) s.items.push_back(std::move(*item));
    }
  }

  static void LoadTable(XmlFileReader& r, pugi::xml_node node, policies::Policy* policy) {
    if (policy->Find<policies::DiscretionSection>() != nullptr) {
      r.Error(node, "a policy has at most one <discretion-table>");
      return;
    }
    const bool known = r.OnlyAttributes(node, {"hit-policy", "source"});
    const std::optional<std::string> hit_policy = r.Required(node, "hit-policy");
    const std::optional<std::string> source = r.Required(node, "source");
    const std::optional<pugi::xml_node> lookback_node = r.OneChild(node, "first-violation-lookback");
    std::optional<policies::SourcedPeriod> lookback;
    if (lookback_node) lookback = r.ReadPeriod(*lookback_node);
    const std::optional<pugi::xml_node> record_node = r.OneChild(node, "penalty-record");
    std::optional<policies::PenaltyRecordRule> record;
    if (record_node) record = ReadPenaltyRecord(r, *record_node);
    if (!known || !hit_policy || !source || !lookback || !record) return;
    policies::DiscretionSection& s = policy->Section<policies::DiscretionSection>();
    s.hit_policy = *hit_policy;
    s.lookback = *lookback;
    s.penalty_record = *record;
    s.source = *source;
    s.line = r.Line(node);
    for (pugi::xml_node child : node.children()) {
      if (child.type() != pugi::node_element) continue;
      const std::string_view name = child.name();
      if (name == "first-violation-lookback" || name == "penalty-record") continue;
      if (name != "rule") {
        r.UnexpectedElement(child);
        continue;
      }
      if (std::optional<policies::DiscretionRule> rule = ReadRule(r, child)) s.rules.push_back(std::move(*rule));
    }
  }
};

}  // namespace

const PolicySectionLoader& EnforcementSectionLoader() {
  static const EnforcementLoader loader;
  return loader;
}

}  // namespace credflow::adapters
