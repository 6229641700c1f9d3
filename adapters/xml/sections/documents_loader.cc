// <office>, <document>, <legal-basis> and <provisional-note>: the documents
// section (policies/documents.h).
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "adapters/xml/policy_section_loader.h"
#include "policies/documents.h"

namespace credflow::adapters {
namespace {

// Reports child elements: every element of this section is empty.
bool NoChildren(XmlFileReader& r, pugi::xml_node node) {
  bool ok = true;
  for (pugi::xml_node child : node.children()) {
    if (child.type() != pugi::node_element) continue;
    r.UnexpectedElement(child);
    ok = false;
  }
  return ok;
}

std::string Optional(pugi::xml_node node, const char* name) { return node.attribute(name).value(); }

// <office id name province source/>
void ReadOffice(XmlFileReader& r, pugi::xml_node node, policies::DocumentsSection* section) {
  bool ok = r.OnlyAttributes(node, {"id", "name", "province", "source"}) && NoChildren(r, node);
  const std::optional<std::string> id = r.Required(node, "id");
  const std::optional<std::string> name = r.Required(node, "name");
  const std::optional<std::string> province = r.Required(node, "province");
  const std::optional<std::string> source = r.Required(node, "source");
  if (section->office) {
    r.Error(node, "a policy has at most one <office>");
    return;
  }
  if (!ok || !id || !name || !province || !source) return;
  section->office = policies::IssuingOffice{*id, *name, *province, *source, r.Line(node)};
}

// <document kind title prefix addressee? remedies? source/>
void ReadKind(XmlFileReader& r, pugi::xml_node node, policies::DocumentsSection* section) {
  bool ok =
      r.OnlyAttributes(node, {"kind", "title", "prefix", "addressee", "remedies", "source"}) && NoChildren(r, node);
  const std::optional<std::string> kind = r.Required(node, "kind");
  const std::optional<std::string> title = r.Required(node, "title");
  const std::optional<std::string> prefix = r.Required(node, "prefix");
  const std::optional<std::string> source = r.Required(node, "source");
  if (!ok || !kind || !title || !prefix || !source) return;
  section->kinds.push_back(policies::DocumentKind{*kind, *title, *prefix, Optional(node, "addressee"),
                                                  Optional(node, "remedies"), *source, r.Line(node)});
}

// <legal-basis document (commitment-type | commitment-kind)? from to? text source/>
void ReadBasis(XmlFileReader& r, pugi::xml_node node, policies::DocumentsSection* section) {
  bool ok =
      r.OnlyAttributes(node, {"document", "commitment-type", "commitment-kind", "from", "to", "text", "source"}) &&
      NoChildren(r, node);
  policies::LegalBasis b;
  const std::optional<std::string> document = r.Required(node, "document");
  const std::optional<policies::Date> from = r.RequiredDate(node, "from");
  const std::optional<std::string> text = r.Required(node, "text");
  const std::optional<std::string> source = r.Required(node, "source");
  ok = r.OptionalDate(node, "to", &b.to) && ok;
  if (!ok || !document || !from || !text || !source) return;
  b.document = *document;
  b.commitment_type = Optional(node, "commitment-type");
  b.commitment_kind = Optional(node, "commitment-kind");
  b.from = *from;
  b.text = *text;
  b.source = *source;
  b.line = r.Line(node);
  section->bases.push_back(std::move(b));
}

// <provisional-note text source/>
void ReadProvisionalNote(XmlFileReader& r, pugi::xml_node node, policies::DocumentsSection* section) {
  bool ok = r.OnlyAttributes(node, {"text", "source"}) && NoChildren(r, node);
  const std::optional<std::string> text = r.Required(node, "text");
  const std::optional<std::string> source = r.Required(node, "source");
  if (!section->provisional_note.empty()) {
    r.Error(node, "a policy has at most one <provisional-note>");
    return;
  }
  if (!ok || !text || !source) return;
  section->provisional_note = *text;
  section->provisional_note_source = *source;
}

class DocumentsLoader final : public PolicySectionLoader {
 public:
  std::vector<std::string> Elements() const override {
    return {"office", "document", "legal-basis", "provisional-note"};
  }
  void Load(XmlFileReader& r, pugi::xml_node node, policies::Policy* policy) const override {
    policies::DocumentsSection& section = policy->Section<policies::DocumentsSection>();
    const std::string_view name = node.name();
    if (name == "office") {
      ReadOffice(r, node, &section);
    } else if (name == "document") {
      ReadKind(r, node, &section);
    } else if (name == "legal-basis") {
      ReadBasis(r, node, &section);
    } else {
      ReadProvisionalNote(r, node, &section);
    }
  }
};

}  // namespace

const PolicySectionLoader& DocumentsSectionLoader() {
  static const DocumentsLoader loader;
  return loader;
}

}  // namespace credflow::adapters
