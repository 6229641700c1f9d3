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
  const bool known = r.OnlyAttributes(node, {"record", "tier", "reason", "source"});
  policies::EligibilityBlock block;
  const std::optional<std::string> record = r.Required(node, "record");
  const std::optional<std::string> reason = r.Required(node, "reason");
  const std::optional<std::string> source = r.Required(node, "source");
  if (!known || !record || !reason || !source) return std::nullopt;
  block.tier = node.attribute("tier").value();
  if (!block.tier.empty() && block.tier != "light" && block.tier != "general" && block.tier != "serious") {
    r.Error(node, "tier must be light, general or serious, not '" + block.tier + "'");
    return std::nullopt;
  }
  block.record_kind = *record;
  block.reason = *reason;
  block.source = *source;
  block.line = r.Line(node);
  return block;
}

// <exclusion record="abnormal_list" | status="revoked" reason source/>.
std::optional<policies::ItemExclusion> ReadExclusion(XmlFileReader& r, pugi::xml_node node) {
  const bool known = r.OnlyAttributes(node, {"record", "status", "reason", "source"});
  const std::optional<std::string> reason = r.Required(node, "reason");
  const std::optional<std::string> source = r.Required(node, "source");
  if (!known || !reason || !source) return std::nullopt;
  policies::ItemExclusion x;
  x.record_kind = node.attribute("record").value();
  x.status = node.attribute("status").value();
  x.reason = *reason;
  x.source = *source;
  x.line = r.Line(node);
  return x;
}

// <filing source>: <refuse status reason source/>, <letter-date
// max-days-before source/>, <applicant-name source/>.
void ReadFiling(XmlFileReader& r, pugi::xml_node node, policies::FilingRules* filing) {
  r.OnlyAttributes(node, {"source"});
  if (const std::optional<std::string> source = r.Required(node, "source")) filing->source = *source;
  for (pugi::xml_node child : node.children()) {
    if (child.type() != pugi::node_element) continue;
    const std::string_view name = child.name();
    if (name == "refuse") {
      const bool known = r.OnlyAttributes(child, {"status", "reason", "source"});
      const std::optional<std::string> status = r.Required(child, "status");
      const std::optional<std::string> reason = r.Required(child, "reason");
      const std::optional<std::string> source = r.Required(child, "source");
      if (known && status && reason && source) {
        filing->refusals.push_back(policies::FilingRefusal{*status, *reason, *source, r.Line(child)});
      }
    } else if (name == "letter-date") {
      const bool known = r.OnlyAttributes(child, {"max-days-before", "source"});
      const std::optional<int> days = r.RequiredInt(child, "max-days-before", 0, kMaxRuleYears * 366);
      const std::optional<std::string> source = r.Required(child, "source");
      if (filing->letter_max_days_before) {
        r.Error(child, "element <filing> has more than one <letter-date>");
      } else if (known && days && source) {
        filing->letter_max_days_before = *days;
        filing->letter_date_source = *source;
      }
    } else if (name == "applicant-name") {
      const bool known = r.OnlyAttributes(child, {"source"});
      const std::optional<std::string> source = r.Required(child, "source");
      if (known && source) filing->applicant_name_source = *source;
    } else {
      r.UnexpectedElement(child);
    }
  }
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
    const std::string_view name = child.name();
    if (name == "publication" || name == "application-window") {
      std::optional<policies::SourcedPeriod>& period =
          name == "publication" ? type.publication : type.application_window;
      if (period) {
        r.Error(child, "element <commitment-type> has more than one <" + std::string(name) + ">");
        ok = false;
      } else {
        period = r.ReadPeriod(child);
        ok = ok && period.has_value();
      }
    } else if (name == "objection") {
      const bool known = r.OnlyAttributes(child, {"source"});
      const std::optional<std::string> source = r.Required(child, "source");
      ok = ok && known && source.has_value();
      if (source) type.objection_source = *source;
    } else if (name == "exclusion") {
      std::optional<policies::ItemExclusion> exclusion = ReadExclusion(r, child);
      ok = ok && exclusion.has_value();
      if (exclusion) type.exclusions.push_back(std::move(*exclusion));
    } else {
      r.UnexpectedElement(child);
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  type.line = r.Line(node);
  return type;
}

class CatalogueLoader final : public PolicySectionLoader {
 public:
  std::vector<std::string> Elements() const override { return {"commitment-type", "eligibility", "filing"}; }
  void Load(XmlFileReader& r, pugi::xml_node node, policies::Policy* policy) const override {
    policies::CatalogueSection& section = policy->Section<policies::CatalogueSection>();
    if (std::string_view(node.name()) == "commitment-type") {
      if (auto t = ReadCommitmentType(r, node)) section.types.push_back(std::move(*t));
      return;
    }
    if (std::string_view(node.name()) == "filing") {
      ReadFiling(r, node, &section.filing);
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
