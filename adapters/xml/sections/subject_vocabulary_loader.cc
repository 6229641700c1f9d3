// <risk-grade> and <subject-status>: the subject vocabulary section.
#include <algorithm>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "adapters/xml/policy_section_loader.h"
#include "policies/subject_vocabulary.h"

namespace credflow::adapters {
namespace {

// <risk-grade value name source/> and <subject-status value name source/>:
// one entry of the subject vocabulary.
template <class Definition>
std::optional<Definition> ReadVocabularyEntry(XmlFileReader& r, pugi::xml_node node) {
  bool ok = r.OnlyAttributes(node, {"value", "name", "source"});
  const std::optional<std::string> value = r.Required(node, "value");
  const std::optional<std::string> name = r.Required(node, "name");
  const std::optional<std::string> source = r.Required(node, "source");
  for (pugi::xml_node child : node.children()) {
    if (child.type() != pugi::node_element) continue;
    r.UnexpectedElement(child);
    ok = false;
  }
  if (!ok || !value || !name || !source) return std::nullopt;
  Definition d;
  d.value = *value;
  d.name = *name;
  d.source = *source;
  d.line = r.Line(node);
  return d;
}

class SubjectVocabularyLoader final : public PolicySectionLoader {
 public:
  std::vector<std::string> Elements() const override { return {"risk-grade", "subject-status"}; }
  void Load(XmlFileReader& r, pugi::xml_node node, policies::Policy* policy) const override {
    policies::SubjectVocabularySection& section = policy->Section<policies::SubjectVocabularySection>();
    if (std::string_view(node.name()) == "risk-grade") {
      if (auto g = ReadVocabularyEntry<policies::RiskGradeDefinition>(r, node)) {
        section.risk_grades.push_back(std::move(*g));
      }
    } else if (auto st = ReadVocabularyEntry<policies::SubjectStatusDefinition>(r, node)) {
      section.subject_statuses.push_back(std::move(*st));
    }
  }
};

}  // namespace

const PolicySectionLoader& SubjectVocabularySectionLoader() {
  static const SubjectVocabularyLoader loader;
  return loader;
}

}  // namespace credflow::adapters
