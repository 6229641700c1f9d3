// Documents an office signs and prints for the commitment lifecycle, shared
// by `credflow case print` and GET /v1/cases/{id}/documents/{kind}:
//   notice               告知书: what is committed, verification, the
//                        liability for a false commitment (commitment case)
//   commitment_letter    the signed 承诺书, rendered from its form (commitment case)
//   verification_report  核查报告 (verification case)
//   rectification_order  责令整改通知书 (false-commitment case)
//   revocation_decision  撤销决定书 (false-commitment case, once revoked)
//   penalty_referral     移送函, the penalty referral (false-commitment case, once revoked)
//   repair_notice        修复结果告知书, the applicant's one answer to a credit-repair
//                        application (repair case, once it answered: approved,
//                        partially repaired, rejected, not accepted; revoked too):
//                        each record with its department, violation and decision
//                        date, its result (准予修复/不予修复/不予受理) and the reason
//                        in Chinese, the earliest date a refused record can be
//                        applied for, and whether one may apply again after a
//                        revocation
//
// Each carries the issuing office and the legal basis from the "documents"
// policy (policies/documents.h), a document number (文号) the store issues
// once per (case, kind) from the office's per-year sequence, and dates in
// Chinese (2026年12月21日). A deadline computed on a provisional calendar
// (its timer's payload holds {"deadline": {"provisional": true}}) is printed
// with （暂定） and the policy's note.
//
// IssueDocument reads the store and writes only the document number; the
// renderers are pure. Threading: no state; safe to call from any thread.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/case.h"
#include "engine/case_service.h"
#include "engine/case_store.h"
#include "engine/clock.h"
#include "engine/status.h"

namespace credflow::adapters::documents {

inline constexpr const char* kNotice = "notice";
inline constexpr const char* kCommitmentLetter = "commitment_letter";
inline constexpr const char* kVerificationReport = "verification_report";
inline constexpr const char* kRectificationOrder = "rectification_order";
inline constexpr const char* kRevocationDecision = "revocation_decision";
inline constexpr const char* kPenaltyReferral = "penalty_referral";
inline constexpr const char* kRepairNotice = "repair_notice";

// Every kind, in the order of the lifecycle.
const std::vector<std::string>& DocumentKinds();

// A document ready to print: plain values, already in Chinese.
struct Document {
  std::string kind;
  std::string case_id;  // the case the document belongs to
  std::string office;   // the issuing office's name
  std::string title;
  engine::DocumentNumber number;
  std::string date;       // the day of issue, 2026年12月21日
  std::string addressee;  // "…：" line, without the colon; may be empty
  std::vector<std::string> paragraphs;
  std::vector<std::pair<std::string, std::string>> fields;  // label, value
  std::string legal_basis;                                  // as printed in the body
  std::vector<std::string> signature;                       // closing lines (office, date, or the signer's)
  std::vector<std::string> notes;                           // 注：…
  // A preview: no number was issued (a reader who issues none looked at a
  // document not yet issued). Printed （未编号） and marked as a preview.
  bool preview = false;

  // The number as printed: 苏市监承改〔2026〕17号, or （未编号） for a preview.
  std::string NumberText() const;
};

// Whether looking at a document issues its number: the staff who hand it
// out issue it; a reader who only reads (an auditor) sees the number
// already issued, or a preview (Document::preview) that writes nothing.
enum class Numbering { kIssue, kPreview };

// 2026年12月21日.
std::string ChineseDate(policies::Date date);

// The kinds of document the case's matter has now (a commitment case
// itself, its verification and its false-commitment handling; a repair
// application and its tasks), in lifecycle order: what `IssueDocument`
// accepts for `c`. Empty for a case of another workflow.
engine::Result<std::vector<std::string>> AvailableDocuments(engine::CaseStore& store, const engine::Case& c);

// The document `kind` of `c`'s matter. A kind that belongs to another case
// of the matter is taken from it: a commitment case prints its newest
// verification's report and its newest false-commitment case's documents; a
// child prints its commitment case's notice and letter; a repair task
// prints its application's repair_notice. On first issue the
// store issues the number, dated the clock's office date; afterwards the
// same number and date come back. With Numbering::kPreview nothing is
// written: the number already issued, else a preview dated today.
// NotFound("unknown_document") for a kind that does not exist, and
// NotFound("document_not_available") for one the matter does not have (yet);
// both messages list the kinds available. FailedPrecondition
// ("documents_policy_missing") when no documents policy is in force today,
// ("no_legal_basis") when it gives none for the document's date,
// ("form_not_loaded") when the letter's form is missing. Store failures as
// the store returns them.
engine::Result<Document> IssueDocument(engine::CaseStore& store, const engine::RuleBook& rules,
                                       const engine::Clock& clock, const engine::Case& c, const std::string& kind,
                                       Numbering numbering = Numbering::kIssue);

// Plain text, one paragraph a line, for a terminal or a text file.
std::string RenderText(const Document& d);
// A whole XHTML-compatible HTML page (well-formed XML), styled for A4 with an
// embedded @page rule; no script, no external resource; every value escaped.
std::string RenderHtml(const Document& d);

// How the repair notice words a refusal `code` (a check's, a window's or a
// department's reason); nullopt for a code it does not know (the notice then
// quotes the code).
std::optional<std::string> RepairReasonText(const std::string& code);

}  // namespace credflow::adapters::documents
