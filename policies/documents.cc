#include "policies/documents.h"

#include "policies/policy_checks.h"

#include <map>
#include <tuple>
#include <utility>

namespace credflow::policies {
namespace {

// The provincial-level divisions and the special economic zones with their
// own legislatures, as named in the titles of their regulations.
constexpr const char* kJurisdictions[] = {
    "北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽", "福建",
    "江西", "山东", "河南", "湖北", "湖南",   "广东", "广西", "海南",   "重庆", "四川", "贵州", "云南", "西藏",
    "陕西", "甘肃", "青海", "宁夏", "新疆",   "香港", "澳门", "台湾",   "深圳", "珠海", "汕头", "厦门",
};

bool HasLatinLetter(const std::string& text) {
  for (char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) return true;
  }
  return false;
}

void CheckPrintable(const Policy& p, int line, const std::string& what, const std::string& text,
                    const std::string& province, std::vector<PolicyError>* errors) {
  const std::string why = UnprintableReason(text, province);
  if (!why.empty()) errors->push_back({p.file, line, what + " cannot be printed: " + why});
}

}  // namespace

std::string UnprintableReason(const std::string& text, const std::string& province) {
  if (HasLatinLetter(text)) {
    return "it has Latin letters (English or a confidence mark); printed texts are clean Chinese, and the "
           "confidence belongs in the source attribute";
  }
  for (const char* name : kJurisdictions) {
    if (text.find(name) == std::string::npos) continue;
    if (!province.empty() && province.find(name) != std::string::npos) continue;
    return std::string("it cites a rule of ") + name + ", outside the office's jurisdiction (" + province + ")";
  }
  return "";
}

const DocumentKind* DocumentsSection::FindKind(const std::string& kind) const {
  for (const DocumentKind& k : kinds) {
    if (k.kind == kind) return &k;
  }
  return nullptr;
}

const LegalBasis* DocumentsSection::FindBasis(const std::string& document, const std::string& commitment_type,
                                              const std::string& commitment_kind, Date date) const {
  const LegalBasis* for_kind = nullptr;
  const LegalBasis* general = nullptr;
  for (const LegalBasis& b : bases) {
    if (b.document != document || !b.InForceOn(date)) continue;
    if (!b.commitment_type.empty()) {
      if (b.commitment_type == commitment_type) return &b;
    } else if (!b.commitment_kind.empty()) {
      if (b.commitment_kind == commitment_kind) for_kind = &b;
    } else {
      general = &b;
    }
  }
  return for_kind != nullptr ? for_kind : general;
}

void DocumentsSection::Check(const PolicySet&, const Policy& p, std::vector<PolicyError>* errors) {
  const DocumentsSection& section = *p.Find<DocumentsSection>();
  const std::string province = section.office ? section.office->province : "";
  if (!section.office) {
    errors->push_back({p.file, p.line, "a documents policy names its issuing office (<office>)"});
  } else {
    CheckPrintable(p, section.office->line, "the office's name", section.office->name, province, errors);
  }
  if (section.provisional_note.empty()) {
    errors->push_back({p.file, p.line, "a documents policy gives the note printed under a provisional deadline"});
  } else {
    CheckPrintable(p, p.line, "the provisional-deadline note", section.provisional_note, province, errors);
  }

  std::map<std::string, int> kinds;
  std::map<std::string, std::string> prefixes;
  for (const DocumentKind& k : section.kinds) {
    if (auto [it, fresh] = kinds.emplace(k.kind, k.line); !fresh) {
      errors->push_back(
          {p.file, k.line, "document kind '" + k.kind + "' is also defined at line " + std::to_string(it->second)});
    }
    if (auto [it, fresh] = prefixes.emplace(k.prefix, k.kind); !fresh) {
      errors->push_back(
          {p.file, k.line,
           "document kinds '" + it->second + "' and '" + k.kind + "' share the number prefix " + k.prefix});
    }
    CheckPrintable(p, k.line, "the title of '" + k.kind + "'", k.title, province, errors);
    CheckPrintable(p, k.line, "the number prefix of '" + k.kind + "'", k.prefix, province, errors);
    CheckPrintable(p, k.line, "the addressee of '" + k.kind + "'", k.addressee, province, errors);
    CheckPrintable(p, k.line, "the remedies of '" + k.kind + "'", k.remedies, province, errors);
  }

  std::map<std::tuple<std::string, std::string, std::string>, std::vector<const LegalBasis*>> by_key;
  for (const LegalBasis& b : section.bases) {
    if (kinds.count(b.document) == 0) {
      errors->push_back({p.file, b.line, "legal basis for unknown document kind '" + b.document + "'"});
    }
    if (!b.commitment_type.empty() && !b.commitment_kind.empty()) {
      errors->push_back({p.file, b.line, "a legal basis names an item or a kind of item, not both"});
    }
    if (!b.commitment_kind.empty() && !IsOneOf(b.commitment_kind, {"permit", "declaration"})) {
      errors->push_back(
          {p.file, b.line, "commitment-kind is '" + b.commitment_kind + "' (expected permit or declaration)"});
    }
    if (b.to && *b.to < b.from) {
      errors->push_back({p.file, b.line, "legal basis ends (" + b.to->ToString() + ") before it starts"});
    }
    CheckPrintable(p, b.line, "the legal basis", b.text, province, errors);
    std::vector<const LegalBasis*>& same = by_key[{b.document, b.commitment_type, b.commitment_kind}];
    const std::string scope = b.commitment_type + b.commitment_kind;  // at most one is set
    for (const LegalBasis* other : same) {
      const bool apart = (b.to && *b.to < other->from) || (other->to && *other->to < b.from);
      if (!apart) {
        errors->push_back({p.file, b.line,
                           "legal basis for '" + b.document + "'" + (scope.empty() ? "" : " (" + scope + ")") +
                               " overlaps the one at line " + std::to_string(other->line)});
      }
    }
    same.push_back(&b);
  }
  // Every kind can be printed for any date the policy is in force: a
  // general basis covers each day from its effective date.
  for (const DocumentKind& k : section.kinds) {
    const std::vector<const LegalBasis*>& general = by_key[{k.kind, "", ""}];
    std::optional<Date> day = p.effective_from;
    while (day) {
      const LegalBasis* in_force = nullptr;
      for (const LegalBasis* b : general) {
        if (b->InForceOn(*day)) in_force = b;
      }
      if (in_force == nullptr) {
        errors->push_back({p.file, k.line,
                           "document kind '" + k.kind + "' has no general legal basis in force on " + day->ToString()});
        break;
      }
      day = in_force->to ? std::optional<Date>(in_force->to->AddDays(1)) : std::nullopt;
      if (day && p.effective_to && *p.effective_to < *day) break;
    }
  }
}

}  // namespace credflow::policies
