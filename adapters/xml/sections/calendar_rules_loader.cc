// <provisional-calendar years-ahead source/>: the working-calendar section.
#include <optional>
#include <string>

#include "adapters/xml/policy_section_loader.h"
#include "policies/calendar_rules.h"

namespace credflow::adapters {
namespace {

class CalendarRulesLoader final : public PolicySectionLoader {
 public:
  std::vector<std::string> Elements() const override { return {"provisional-calendar"}; }
  void Load(XmlFileReader& r, pugi::xml_node node, policies::Policy* policy) const override {
    if (policy->Find<policies::CalendarRulesSection>() != nullptr) {
      r.Error(node, "<provisional-calendar> is given twice");
      return;
    }
    const bool known = r.OnlyAttributes(node, {"years-ahead", "source"});
    const std::optional<int> years = r.RequiredInt(node, "years-ahead", 0, kMaxRuleYears);
    const std::optional<std::string> source = r.Required(node, "source");
    if (!known || !years || !source) return;
    policies::CalendarRulesSection& section = policy->Section<policies::CalendarRulesSection>();
    section.provisional_years_ahead = *years;
    section.source = *source;
    section.line = r.Line(node);
  }
};

}  // namespace

const PolicySectionLoader& CalendarRulesSectionLoader() {
  static const CalendarRulesLoader loader;
  return loader;
}

}  // namespace credflow::adapters
