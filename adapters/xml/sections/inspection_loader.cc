// <inspection-plan> and <joint-inspection>: the inspection-plan section
// (policies/inspection_rules.h).
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>

#include "adapters/xml/policy_section_loader.h"
#include "adapters/xml/sections/grade_sampling.h"
#include "policies/inspection_rules.h"

namespace credflow::adapters {
namespace {

std::vector<std::string> Words(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// <inspection-plan cycle default-grade department source> <grade/>... <screen-out/> </inspection-plan>
void ReadPlan(XmlFileReader& r, pugi::xml_node node, policies::InspectionSection* s) {
  bool ok = r.OnlyAttributes(node, {"cycle", "default-grade", "department", "source"});
  const std::optional<std::string> cycle = r.Required(node, "cycle");
  const std::optional<std::string> default_grade = r.Required(node, "default-grade");
  const std::optional<std::string> department = r.Required(node, "department");
  const std::optional<std::string> source = r.Required(node, "source");
  ok = ok && cycle && default_grade && department && source;
  bool screen_out_seen = false;
  for (pugi::xml_node child : node.children()) {
    if (child.type() != pugi::node_element) continue;
    const std::string_view name = child.name();
    if (name == "grade") {
      std::optional<policies::GradeSampling> g = ReadGradeSampling(r, child);
      if (g) s->grades.push_back(std::move(*g));
      ok = ok && g.has_value();
    } else if (name == "screen-out") {
      if (screen_out_seen) {
        r.Error(child, "element <inspection-plan> has more than one <screen-out>");
        ok = false;
        continue;
      }
      screen_out_seen = true;
      const bool known = r.OnlyAttributes(child, {"statuses", "source"});
      const std::optional<std::string> statuses = r.Required(child, "statuses");
      const std::optional<std::string> src = r.Required(child, "source");
      if (!known || !statuses || !src) {
        ok = false;
        continue;
      }
      s->screened_statuses = Words(*statuses);
      s->screen_out_source = *src;
    } else {
      r.UnexpectedElement(child);
      ok = false;
    }
  }
  if (!ok) {
    s->line = -1;  // present, and its problems reported
    return;
  }
  s->cycle = *cycle;
  s->default_grade = *default_grade;
  s->department = *department;
  s->source = *source;
  s->line = r.Line(node);
}

std::optional<policies::JointInspection> ReadJoint(XmlFileReader& r, pugi::xml_node node) {
  bool ok = r.OnlyAttributes(node, {"id", "name", "departments", "grades", "source"});
  const std::optional<std::string> id = r.Required(node, "id");
  const std::optional<std::string> name = r.Required(node, "name");
  const std::optional<std::string> departments = r.Required(node, "departments");
  const std::optional<std::string> source = r.Required(node, "source");
  for (pugi::xml_node child : node.children()) {
    if (child.type() != pugi::node_element) continue;
    r.UnexpectedElement(child);
    ok = false;
  }
  if (!ok || !id || !name || !departments || !source) return std::nullopt;
  policies::JointInspection j;
  j.id = *id;
  j.name = *name;
  j.departments = Words(*departments);
  j.grades = Words(node.attribute("grades").value());
  j.source = *source;
  j.line = r.Line(node);
  return j;
}

class InspectionLoader final : public PolicySectionLoader {
 public:
  std::vector<std::string> Elements() const override { return {"inspection-plan", "joint-inspection"}; }

  void Load(XmlFileReader& r, pugi::xml_node node, policies::Policy* policy) const override {
    policies::InspectionSection& s = policy->Section<policies::InspectionSection>();
    if (std::string_view(node.name()) == "joint-inspection") {
      if (auto j = ReadJoint(r, node)) s.joint.push_back(std::move(*j));
      return;
    }
    if (s.line != 0) {
      r.Error(node, "a policy has at most one <inspection-plan>");
      return;
    }
    ReadPlan(r, node, &s);
  }
};

}  // namespace

const PolicySectionLoader& InspectionSectionLoader() {
  static const InspectionLoader loader;
  return loader;
}

}  // namespace credflow::adapters
