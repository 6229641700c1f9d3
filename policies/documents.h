// The documents section: what an office prints and signs for the commitment
// lifecycle (告知书, 承诺书, 核查报告, 责令整改通知书, 撤销决定书, 移送函):
// the issuing office, the document-number prefix (文号 prefix) per kind of
// document, and the legal basis each kind cites, per regime (dated) and per
// catalogue item where the item has its own statute. Policy id "documents".
//
// Every text here is printed as it stands, so the section's check refuses
// what an official document must not carry: Latin letters (English, the
// confidence marks of domain.md), and a regulation of another province.
//
// Immutable after loading; safe to share between threads.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "policies/policy.h"

namespace credflow::policies {

inline constexpr const char* kDocumentsPolicyId = "documents";

// The office that issues the documents.
struct IssuingOffice {
  std::string id;        // the key of its number sequences, e.g. js-amr
  std::string name;      // 江苏省市场监督管理局
  std::string province;  // 江苏省: the jurisdiction whose local rules it may cite
  std::string source;
  int line = 0;
};

// One kind of document and how it is numbered.
struct DocumentKind {
  std::string kind;       // rectification_order
  std::string title;      // 责令整改通知书
  std::string prefix;     // 苏市监承改: numbers read 苏市监承改〔2026〕17号
  std::string addressee;  // whom it is sent to when not the applicant (移送函); may be empty
  std::string remedies;   // the notice of appeal rights it ends with; may be empty
  std::string source;
  int line = 0;
};

// The legal basis a kind of document cites, in force from `from` to `to`
// (inclusive; open-ended when absent): for one catalogue item, for the items
// of one kind (permit, declaration), or (both empty) for every item.
struct LegalBasis {
  std::string document;         // a DocumentKind::kind
  std::string commitment_type;  // one catalogue item; empty = not item-specific
  std::string commitment_kind;  // permit | declaration; empty = not kind-specific
  Date from;
  std::optional<Date> to;
  std::string text;  // clean Chinese, as printed: 《中华人民共和国行政许可法》第六十九条第二款
  std::string source;
  int line = 0;

  bool InForceOn(Date d) const { return from <= d && (!to || d <= *to); }
};

struct DocumentsSection {
  std::optional<IssuingOffice> office;
  std::vector<DocumentKind> kinds;
  std::vector<LegalBasis> bases;
  // Printed under a deadline computed on a provisional calendar.
  std::string provisional_note;
  std::string provisional_note_source;

  const DocumentKind* FindKind(const std::string& kind) const;
  // The basis `document` cites on `date` for an item of `commitment_type`,
  // of kind `commitment_kind`: the item's own when one is in force, else its
  // kind's, else the general one; nullptr when none is in force on `date`.
  const LegalBasis* FindBasis(const std::string& document, const std::string& commitment_type,
                              const std::string& commitment_kind, Date date) const;

  // One office; each kind once, with a prefix unique among kinds; every
  // basis naming a listed kind, at most one of item and kind; bases of one
  // (document, item, kind) not overlapping;
  // every kind with a general basis from the policy's effective date on;
  // and every printed text free of Latin letters and of other provinces.
  static void Check(const PolicySet& set, const Policy& policy, std::vector<PolicyError>* errors);
};

// Why `text` cannot be printed by an office of `province` ("" when it can):
// it has Latin letters, or names a province, autonomous region,
// municipality or special economic zone other than `province`.
std::string UnprintableReason(const std::string& text, const std::string& province);

}  // namespace credflow::policies
