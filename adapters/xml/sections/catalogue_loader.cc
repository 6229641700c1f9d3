// <commitment-type> and <eligibility>: the commitment catalogue section.
#include <algorithm>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "adapters/xml/policy_section_loader.h"
#include "policies/catalogue.h"

namespace credflow::adapters {
namespace {

std::optional<policies::EligibilityBlock> ReadBlock(XmlFileReader& r, pugi::xml_node node) {
  const bool known = r.OnlyAttributes(node, {"record", "reason", "source"});
  policies::EligibilityBlock block;
  const std::optional<std::string> record = r.Required(node, "record");
  const std::optional<std::string> reason = r.Required(node, "reason");
  const std::optional<std::string> source = r.Required(node, "source");
  if (!known || !record || !reason || !source) return std::nullopt;
  block.record_kind = *record;
  block.reason = *reason;
  block.source = *source;
  block.line = r.Line(node);
  return block;
}

std::optional<policies::CommitmentType> ReadCommitmentType(XmlFileReader& r, pugi::xml_node node) {
  bool ok = r.OnlyAttributes(node, {"id", "name", "kind", "form", "authority", "decision", "legal-basis", "source"});
  policies::CommitmentType type;
  std::pair<const char*, std::string*> fields[] = {
      {"id", &type.id},
      {"name", &type.name},
      {"kind", &type.kind},
      {"form", &type.form_id},
      {"authority", &type.authority},
      {"decision", &type.decision},
      {"legal-basis", &type.legal_basis},
      {"source", &type.source},
  };
  for (auto& [name, out] : fields) {
    std::optional<std::string> value = r.Required(node, name);
    if (value) {
      *out = std::move(*value);
    } else {
      ok = false;
    }
  }
  for (pugi::xml_node child : node.children()) {
    if (child.type() != pugi::node_element) continue;
    if (std::string_view(child.name()) != "publication") {
      r.UnexpectedElement(child);
      ok = false;
    } else if (type.publication) {
      r.Error(child, "element <commitment-type> has more than one <publication>");
      ok = false;
    } else {
      type.publication = r.ReadPeriod(child);
      ok = ok && type.publication.has_value();
    }
  }
  if (!ok) return std::nullopt;
  type.line = r.Line(node);
  return type;
}

class CatalogueLoader final : public PolicySectionLoader {
 public:
  std::vector<std::string> Elements() const override { return {"commitment-type", "eligibility"}; }
  void Load(XmlFileReader& r, pugi::xml_node node, policies::Policy* policy) const override {
    policies::CatalogueSection& section = policy->Section<policies::CatalogueSection>();
    if (std::string_view(node.name()) == "commitment-type") {
      if (auto t = ReadCommitmentType(r, node)) section.types.push_back(std::move(*t));
      return;
    }
    r.OnlyAttributes(node, {"source"});
    for (pugi::xml_node block : node.children()) {
      if (block.type() != pugi::node_element) continue;
      if (std::string_view(block.name()) != "block") {
        r.UnexpectedElement(block);
      } else if (auto b = ReadBlock(r, block)) {
        section.eligibility_blocks.push_back(std::move(*b));
      }
    }
  }
};

}  // namespace

const PolicySectionLoader& CatalogueSectionLoader() {
  static const CatalogueLoader loader;
  return loader;
}

}  // namespace credflow::adapters
