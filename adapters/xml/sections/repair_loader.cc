// <repair-regime>: the credit-repair section (policies/repair_rules.h).
//
//   <repair-regime platform regime title period-starts earliest source>
//     <window [match] published? repair? refusal? restriction-extends? source>
//       <minimum .../> <maximum .../> <escalation .../>      (periods, each optional)
//     </window> ...
//     <conditions [match] source><check name source/>...</conditions> ...
//     <documents [match] source><document id/>...</documents> ...
//     <decision [match] source><limit .../><extension .../>?</decision> ...
//     <stop-publication count unit source/>
//     <interview required source/>
//     <revocation reapply source/>
//     <heavier-penalties penalties tiers source/>
//     <bankruptcy-repair source><document id/>...</bankruptcy-repair>
//     <denial-reasons source><reason code label source?/>...</denial-reasons>
//   </repair-regime>
//
// [match]: kinds, tiers, sectors, penalties-any, penalties-only (space-
// separated lists), amount-below, simple-procedure, specific-serious.
#include <cstdlib>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include "adapters/xml/policy_section_loader.h"
#include "policies/repair_rules.h"

namespace credflow::adapters {
namespace {

constexpr std::initializer_list<const char*> kMatchAttributes = {
    "kinds",          "tiers",        "sectors",          "penalties-any",
    "penalties-only", "amount-below", "simple-procedure", "specific-serious"};

// Reads [match]; false (reported) when an attribute is malformed.
bool ReadMatch(XmlFileReader& r, pugi::xml_node node, policies::RecordMatch* m) {
  bool ok = true;
  m->kinds = XmlFileReader::Words(node, "kinds");
  m->tiers = XmlFileReader::Words(node, "tiers");
  m->sectors = XmlFileReader::Words(node, "sectors");
  m->penalties_any = XmlFileReader::Words(node, "penalties-any");
  m->penalties_only = XmlFileReader::Words(node, "penalties-only");
  if (pugi::xml_attribute a = node.attribute("amount-below")) {
    char* end = nullptr;
    const double value = std::strtod(a.value(), &end);
    if (end == a.value() || *end != '\0') {
      r.Error(node, "attribute 'amount-below' of <" + std::string(node.name()) + "> is '" + a.value() +
                        "' (expected a number of yuan)");
      ok = false;
    } else {
      m->amount_below = value;
    }
  }
  for (auto [name, out] :
       {std::pair{"simple-procedure", &m->simple_procedure}, std::pair{"specific-serious", &m->specific_serious}}) {
    if (!node.attribute(name)) continue;
    const std::optional<bool> value = r.OptionalBool(node, name, false);
    if (!value) ok = false;
    *out = value;
  }
  return ok;
}

bool AllowedAttributes(XmlFileReader& r, pugi::xml_node node, std::initializer_list<const char*> own) {
  bool ok = true;
  for (pugi::xml_attribute a : node.attributes()) {
    const std::string_view name = a.name();
    const auto is = [&](const char* n) { return name == n; };
    if (std::any_of(own.begin(), own.end(), is) || std::any_of(kMatchAttributes.begin(), kMatchAttributes.end(), is)) {
      continue;
    }
    r.Error(node, "element <" + std::string(node.name()) + "> has unknown attribute '" + std::string(name) + "'");
    ok = false;
  }
  return ok;
}

// An optional single child period; false (reported) when it is malformed or repeated.
bool OptionalPeriod(XmlFileReader& r, pugi::xml_node node, const char* name,
                    std::optional<policies::SourcedPeriod>* out) {
  pugi::xml_node found;
  for (pugi::xml_node child : node.children(name)) {
    if (found) {
      r.Error(child, "element <" + std::string(node.name()) + "> has more than one <" + name + ">");
      return false;
    }
    found = child;
  }
  if (!found) return true;
  *out = r.ReadPeriod(found);
  return out->has_value();
}

bool OnlyChildren(XmlFileReader& r, pugi::xml_node node, std::initializer_list<const char*> allowed) {
  bool ok = true;
  for (pugi::xml_node child : node.children()) {
    if (child.type() != pugi::node_element) continue;
    const std::string_view name = child.name();
    if (std::none_of(allowed.begin(), allowed.end(), [&](const char* n) { return name == n; })) {
      r.UnexpectedElement(child);
      ok = false;
    }
  }
  return ok;
}

void ReadWindow(XmlFileReader& r, pugi::xml_node node, policies::RepairRegimeSection* s) {
  policies::WindowRule w;
  bool ok = AllowedAttributes(r, node, {"published", "repair", "refusal", "restriction-extends", "source"});
  ok = ReadMatch(r, node, &w.match) && ok;
  ok = OnlyChildren(r, node, {"minimum", "maximum", "escalation"}) && ok;
  const std::optional<bool> published = r.OptionalBool(node, "published", true);
  const std::optional<bool> extends = r.OptionalBool(node, "restriction-extends", false);
  const std::optional<std::string> source = r.Required(node, "source");
  ok = OptionalPeriod(r, node, "minimum", &w.minimum) && ok;
  ok = OptionalPeriod(r, node, "maximum", &w.maximum) && ok;
  ok = OptionalPeriod(r, node, "escalation", &w.escalation) && ok;
  if (!ok || !published || !extends || !source) return;
  w.published = *published;
  w.restriction_extends = *extends;
  if (node.attribute("repair")) w.repair = node.attribute("repair").value();
  w.refusal = node.attribute("refusal").value();
  w.source = *source;
  w.line = r.Line(node);
  s->windows.push_back(std::move(w));
}

void ReadConditions(XmlFileReader& r, pugi::xml_node node, policies::RepairRegimeSection* s) {
  policies::ConditionRule c;
  bool ok = AllowedAttributes(r, node, {"source"});
  ok = ReadMatch(r, node, &c.match) && ok;
  ok = OnlyChildren(r, node, {"check"}) && ok;
  const std::optional<std::string> source = r.Required(node, "source");
  for (pugi::xml_node check : node.children("check")) {
    const bool known = r.OnlyAttributes(check, {"name", "source"});
    const std::optional<std::string> name = r.Required(check, "name");
    const std::optional<std::string> check_source = r.Required(check, "source");
    if (!known || !name || !check_source) {
      ok = false;
      continue;
    }
    c.checks.push_back({*name, *check_source});
  }
  if (!ok || !source) return;
  c.source = *source;
  c.line = r.Line(node);
  s->conditions.push_back(std::move(c));
}

void ReadDocuments(XmlFileReader& r, pugi::xml_node node, policies::RepairRegimeSection* s) {
  policies::DocumentRule d;
  bool ok = AllowedAttributes(r, node, {"source"});
  ok = ReadMatch(r, node, &d.match) && ok;
  ok = OnlyChildren(r, node, {"document"}) && ok;
  const std::optional<std::string> source = r.Required(node, "source");
  for (pugi::xml_node doc : node.children("document")) {
    const bool known = r.OnlyAttributes(doc, {"id"});
    const std::optional<std::string> id = r.Required(doc, "id");
    if (!known || !id) {
      ok = false;
      continue;
    }
    d.documents.push_back(*id);
  }
  if (!ok || !source) return;
  d.source = *source;
  d.line = r.Line(node);
  s->documents.push_back(std::move(d));
}

void ReadDecision(XmlFileReader& r, pugi::xml_node node, policies::RepairRegimeSection* s) {
  policies::DecisionRule d;
  bool ok = AllowedAttributes(r, node, {"source"});
  ok = ReadMatch(r, node, &d.match) && ok;
  ok = OnlyChildren(r, node, {"limit", "extension"}) && ok;
  const std::optional<std::string> source = r.Required(node, "source");
  std::optional<policies::SourcedPeriod> limit;
  const std::optional<pugi::xml_node> limit_node = r.OneChild(node, "limit");
  if (limit_node) limit = r.ReadPeriod(*limit_node);
  ok = OptionalPeriod(r, node, "extension", &d.extension) && ok;
  if (!ok || !source || !limit) return;
  d.limit = *limit;
  d.source = *source;
  d.line = r.Line(node);
  s->decisions.push_back(std::move(d));
}

// A reason without a source of its own cites the list's.
void ReadDenialReasons(XmlFileReader& r, pugi::xml_node node, policies::RepairRegimeSection* s) {
  if (!s->denial_reasons.empty()) r.Error(node, "a repair regime has one <denial-reasons>");
  bool ok = r.OnlyAttributes(node, {"source"});
  ok = OnlyChildren(r, node, {"reason"}) && ok;
  const std::optional<std::string> source = r.Required(node, "source");
  if (!ok || !source) return;
  for (pugi::xml_node reason : node.children("reason")) {
    const bool known = r.OnlyAttributes(reason, {"code", "label", "source"});
    const std::optional<std::string> code = r.Required(reason, "code");
    const std::optional<std::string> label = r.Required(reason, "label");
    if (!known || !code || !label) continue;
    const char* own = reason.attribute("source").value();
    s->denial_reasons.push_back({*code, *label, *own != '\0' ? std::string(own) : *source});
  }
}

class RepairLoader final : public PolicySectionLoader {
 public:
  std::vector<std::string> Elements() const override { return {"repair-regime"}; }

  void Load(XmlFileReader& r, pugi::xml_node node, policies::Policy* policy) const override {
    if (policy->Find<policies::RepairRegimeSection>() != nullptr) {
      r.Error(node, "a policy has at most one <repair-regime>");
      return;
    }
    const bool known = r.OnlyAttributes(node, {"platform", "regime", "title", "period-starts", "earliest", "source"});
    const std::optional<std::string> platform = r.Required(node, "platform");
    const std::optional<std::string> regime = r.Required(node, "regime");
    const std::optional<std::string> title = r.Required(node, "title");
    const std::optional<std::string> starts = r.Required(node, "period-starts");
    const std::optional<std::string> earliest = r.Required(node, "earliest");
    const std::optional<std::string> source = r.Required(node, "source");
    if (!known || !platform || !regime || !title || !starts || !earliest || !source) return;
    policies::RepairRegimeSection& s = policy->Section<policies::RepairRegimeSection>();
    s.platform = *platform;
    s.regime = *regime;
    s.title = *title;
    s.period_starts = *starts;
    s.earliest = *earliest;
    s.source = *source;
    s.line = r.Line(node);
    bool stop_seen = false;
    for (pugi::xml_node child : node.children()) {
      if (child.type() != pugi::node_element) continue;
      const std::string_view name = child.name();
      if (name == "window") {
        ReadWindow(r, child, &s);
      } else if (name == "conditions") {
        ReadConditions(r, child, &s);
      } else if (name == "documents") {
        ReadDocuments(r, child, &s);
      } else if (name == "decision") {
        ReadDecision(r, child, &s);
      } else if (name == "denial-reasons") {
        ReadDenialReasons(r, child, &s);
      } else if (name == "stop-publication") {
        if (stop_seen) r.Error(child, "a repair regime has one <stop-publication>");
        stop_seen = true;
        if (std::optional<policies::SourcedPeriod> p = r.ReadPeriod(child)) s.stop_publication = *p;
      } else if (name == "bankruptcy-repair") {
        if (s.bankruptcy) r.Error(child, "a repair regime has one <bankruptcy-repair>");
        bool ok = r.OnlyAttributes(child, {"source"});
        ok = OnlyChildren(r, child, {"document"}) && ok;
        const std::optional<std::string> bankruptcy_source = r.Required(child, "source");
        if (!ok || !bankruptcy_source) continue;
        policies::RepairRegimeSection::BankruptcyRepair b;
        b.source = *bankruptcy_source;
        b.line = r.Line(child);
        for (pugi::xml_node doc : child.children("document")) {
          if (!r.OnlyAttributes(doc, {"id"})) continue;
          if (std::optional<std::string> id = r.Required(doc, "id")) b.documents.push_back(*id);
        }
        s.bankruptcy = std::move(b);
      } else if (name == "heavier-penalties") {
        if (!s.heavier_source.empty()) r.Error(child, "a repair regime has one <heavier-penalties>");
        const bool ok = r.OnlyAttributes(child, {"penalties", "tiers", "source"});
        const std::optional<std::string> heavier_source = r.Required(child, "source");
        if (!ok || !heavier_source) continue;
        s.heavier_penalties = XmlFileReader::Words(child, "penalties");
        s.heavier_tiers = XmlFileReader::Words(child, "tiers");
        s.heavier_source = *heavier_source;
      } else if (name == "interview" || name == "revocation") {
        const char* flag = name == "interview" ? "required" : "reapply";
        const bool ok = r.OnlyAttributes(child, {flag, "source"});
        const std::optional<bool> value = r.OptionalBool(child, flag, false);
        const std::optional<std::string> flag_source = r.Required(child, "source");
        if (!ok || !value || !flag_source) continue;
        if (name == "interview") {
          s.interview_required = *value;
          s.interview_source = *flag_source;
        } else {
          s.reapply_after_revocation = *value;
          s.revocation_source = *flag_source;
        }
      } else {
        r.UnexpectedElement(child);
      }
    }
  }
};

}  // namespace

const PolicySectionLoader& RepairSectionLoader() {
  static const RepairLoader loader;
  return loader;
}

}  // namespace credflow::adapters
