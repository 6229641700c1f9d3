// The printed documents of a commitment matter (adapters/documents): each
// kind's number, Chinese date, office and legal basis; numbers issued once
// and in sequence; a provisional deadline marked; and the HTML page parsed
// as XML to prove it well-formed.
#include "adapters/documents/documents.h"

#include <gtest/gtest.h>
#include <pugixml.hpp>

#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "policies/documents.h"
#include "policies/repair_rules.h"
#include "tests/support/engine_harness.h"
#include "tests/support/in_memory_case_store.h"
#include "tests/support/paths.h"
#include "tests/support/shipped_rules.h"
#include "tests/support/status_matchers.h"

namespace credflow::adapters::documents {
namespace {

using engine::Json;
using testing::kSubjectA;
using testing::kSubjectB;

constexpr const char* kOffice = "江苏省市场监督管理局";
constexpr const char* kGuidance42 =
    "《国务院办公厅关于全面推行证明事项和涉企经营许可事项告知承诺制的指导意见》（国办发〔2020〕42号）";
constexpr const char* kFindings = "经营场所未设置冷藏设施，与承诺的贮存条件不符";

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class DocumentsTest : public ::testing::Test {
 protected:
  DocumentsTest() : harness_(&store_) {}

  // Files a food-business permit on 2025-04-01 (the notice and the signed
  // letter), and on 2025-04-10 reports it untrue: the verification report
  // and the rectification order (deadline 2025-04-25).
  std::string FileAndFindUntrue(const std::string& subject) {
    harness_.SetDate("2025-04-01");
    engine::Result<engine::CommandResult> filed = harness_.FileFoodPermit(subject);
    EXPECT_TRUE(filed.ok()) << filed.status().ToString();
    const std::string commitment = filed.ok() ? filed->case_id : "";
    harness_.SetDate("2025-04-10");
    const std::string verification = harness_.ChildOf(commitment, "verification");
    engine::Result<engine::CommandResult> reported = harness_.Fire(verification, "VerificationReported",
                                                                   Json{{"form",
                                                                         {{"result", "nonconforming"},
                                                                          {"findings", kFindings},
                                                                          {"method", "on_site"},
                                                                          {"inspector", "李明"},
                                                                          {"verified_on", "2025-04-10"}}}});
    EXPECT_TRUE(reported.ok()) << reported.status().ToString();
    EXPECT_TRUE(harness_.service().FireDueTimers().ok());
    return commitment;
  }

  engine::Case Load(const std::string& id) {
    engine::Result<engine::Case> c = store_.GetCase(id);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? *c : engine::Case{};
  }

  engine::Result<Document> Issue(const std::string& case_id, const std::string& kind) {
    return IssueDocument(store_, testing::ShippedRules().book(), harness_.clock(), Load(case_id), kind);
  }

  // The document's text, after checking what every document carries.
  std::string Printed(const std::string& case_id, const std::string& kind, const std::string& number,
                      const std::string& date, const std::string& basis) {
    engine::Result<Document> doc = Issue(case_id, kind);
    EXPECT_TRUE(doc.ok()) << doc.status().ToString();
    if (!doc.ok()) return "";
    EXPECT_EQ(doc->number.Text(), number);
    EXPECT_EQ(doc->date, date);
    EXPECT_EQ(doc->office, kOffice);
    EXPECT_EQ(doc->legal_basis, basis);
    EXPECT_EQ(policies::UnprintableReason(doc->legal_basis, "江苏省"), "");
    const std::string text = RenderText(*doc);
    EXPECT_TRUE(Contains(text, number)) << text;
    EXPECT_TRUE(Contains(text, date)) << text;
    EXPECT_TRUE(Contains(text, kOffice)) << text;
    EXPECT_TRUE(Contains(text, basis)) << text;
    EXPECT_FALSE(Contains(text, "{")) << "an unfilled placeholder:\n" << text;
    return text;
  }

  std::string FalseCommitmentOf(const std::string& commitment) {
    return harness_.ChildOf(commitment, "false_commitment");
  }

  testing::InMemoryCaseStore store_;
  testing::EngineHarness harness_;
};

// 告知书: what is committed, how it is verified, and the liability for a
// false commitment, under 42号 (the notice's date is after 2020-10-27).
TEST_F(DocumentsTest, NoticeCarriesNumberDateOfficeAndLegalBasis) {
  const std::string c = FileAndFindUntrue(kSubjectA);
  const std::string text = Printed(c, kNotice, "苏市监承告〔2025〕1号", "2025年4月10日", kGuidance42);
  EXPECT_TRUE(Contains(text, "告知承诺告知书")) << text;
  EXPECT_TRUE(Contains(text, "苏州禾丰餐饮管理有限公司（统一社会信用代码：" + std::string(kSubjectA) + "）：")) << text;
  EXPECT_TRUE(Contains(text, "“食品经营许可”")) << text;
  EXPECT_TRUE(Contains(text, "经营场所")) << "the letter's fields, from the form:\n" << text;
  EXPECT_TRUE(Contains(text, "30个工作日")) << "the verification window, from policy:\n" << text;
  EXPECT_TRUE(Contains(text, "现场核查")) << text;
  EXPECT_TRUE(Contains(text, "记入信用记录")) << text;
  EXPECT_TRUE(Contains(text, "撤销")) << text;
  EXPECT_TRUE(Contains(text, "撤回承诺")) << text;
}

// The signed 承诺书 is rendered from its form: its title, its text with the
// values filled in (option labels, Chinese dates) and a table of its fields.
TEST_F(DocumentsTest, SignedLetterIsRenderedFromItsForm) {
  const std::string c = FileAndFindUntrue(kSubjectA);
  const std::string text = Printed(c, kCommitmentLetter, "苏市监承书〔2025〕1号", "2025年4月10日", kGuidance42);
  EXPECT_TRUE(Contains(text, "食品经营许可告知承诺书")) << text;
  EXPECT_TRUE(Contains(text, std::string(kOffice) + "：")) << "addressed to the office:\n" << text;
  EXPECT_TRUE(Contains(text, "预包装食品销售")) << "the option's label, not its value:\n" << text;
  EXPECT_FALSE(Contains(text, "prepackaged_food_sales")) << text;
  EXPECT_TRUE(Contains(text, "签署日期：2025年4月1日")) << text;
  EXPECT_TRUE(Contains(text, "法定代表人（负责人）：周建华")) << "the field table:\n" << text;
  EXPECT_TRUE(Contains(text, "收件日期：2025年4月10日")) << text;
}

TEST_F(DocumentsTest, VerificationReportStatesResultFindingsAndWindow) {
  const std::string c = FileAndFindUntrue(kSubjectA);
  const std::string text = Printed(c, kVerificationReport, "苏市监承核〔2025〕1号", "2025年4月10日", kGuidance42);
  EXPECT_TRUE(Contains(text, "告知承诺核查报告")) << text;
  EXPECT_TRUE(Contains(text, "核查结论：与承诺不符")) << text;
  EXPECT_TRUE(Contains(text, "核查方式：现场核查")) << text;
  EXPECT_TRUE(Contains(text, "核查人员：李明")) << text;
  EXPECT_TRUE(Contains(text, "核查日期：2025年4月10日")) << text;
  EXPECT_TRUE(Contains(text, "核查期限：2025年5月")) << "30 working days from the decision:\n" << text;
  EXPECT_TRUE(Contains(text, kFindings)) << text;
}

// 责令整改通知书: the findings, the deadline in Chinese, suspension, and
// what follows if the applicant does not rectify. The false-commitment case
// and its commitment case print the same order (one number).
TEST_F(DocumentsTest, RectificationOrderCarriesDeadlineAndFindings) {
  const std::string c = FileAndFindUntrue(kSubjectA);
  const std::string fc = FalseCommitmentOf(c);
  ASSERT_FALSE(fc.empty());
  const std::string text = Printed(fc, kRectificationOrder, "苏市监承改〔2025〕1号", "2025年4月10日", kGuidance42);
  EXPECT_TRUE(Contains(text, "责令整改通知书")) << text;
  EXPECT_TRUE(Contains(text, "现责令你单位于2025年4月25日前（含当日）")) << text;
  EXPECT_TRUE(Contains(text, kFindings)) << text;
  EXPECT_TRUE(Contains(text, "中止办理")) << text;
  EXPECT_FALSE(Contains(text, "（暂定）")) << "an official calendar's deadline is not provisional";
  EXPECT_FALSE(Contains(text, "深圳")) << text;
  Printed(c, kRectificationOrder, "苏市监承改〔2025〕1号", "2025年4月10日", kGuidance42);
}

// 撤销决定书 and 移送函 of a permit: the Administrative Licensing Law's
// articles on a permit obtained by deception, with 42号.
TEST_F(DocumentsTest, RevocationAndReferralOfAPermitCiteTheLicensingLaw) {
  const std::string c = FileAndFindUntrue(kSubjectA);
  const std::string fc = FalseCommitmentOf(c);
  harness_.SetDate("2025-04-14");
  ASSERT_OK(harness_.Fire(fc, "RectificationRefused", Json{{"reason", "不同意增设冷藏设施"}}));
  harness_.SetDate("2025-04-15");

  const std::string revocation = Printed(fc, kRevocationDecision, "苏市监承撤〔2025〕1号", "2025年4月15日",
                                         std::string("《中华人民共和国行政许可法》第六十九条第二款、") + kGuidance42);
  EXPECT_TRUE(Contains(revocation, "撤销决定书")) << revocation;
  EXPECT_TRUE(Contains(revocation, "本机关于2025年4月10日责令你单位于2025年4月25日前完成整改")) << revocation;
  EXPECT_TRUE(Contains(revocation, "你单位拒不整改（不同意增设冷藏设施）")) << revocation;
  EXPECT_TRUE(Contains(revocation, "行政复议")) << "the remedies, from policy:\n" << revocation;

  const std::string referral = Printed(c, kPenaltyReferral, "苏市监承移〔2025〕1号", "2025年4月15日",
                                       std::string("《中华人民共和国行政许可法》第七十九条、") + kGuidance42);
  EXPECT_TRUE(Contains(referral, "案件移送函")) << referral;
  EXPECT_TRUE(Contains(referral, "江苏省市场监督管理局执法稽查局：")) << referral;
  EXPECT_TRUE(Contains(referral, "本机关已于2025年4月14日依法撤销相关决定")) << referral;
  EXPECT_TRUE(Contains(referral, "经责令限期整改，拒不整改")) << referral;
}

// Printed again later, a document shows the number and date it was issued
// with; the next matter's document takes the next number; a new year starts
// the sequence again at 1.
TEST_F(DocumentsTest, NumbersAreIssuedOnceAndInSequencePerYear) {
  const std::string first = FalseCommitmentOf(FileAndFindUntrue(kSubjectA));
  Printed(first, kRectificationOrder, "苏市监承改〔2025〕1号", "2025年4月10日", kGuidance42);
  const std::string second = FalseCommitmentOf(FileAndFindUntrue(kSubjectB));
  harness_.SetDate("2025-04-11");
  Printed(first, kRectificationOrder, "苏市监承改〔2025〕1号", "2025年4月10日", kGuidance42);
  Printed(second, kRectificationOrder, "苏市监承改〔2025〕2号", "2025年4月11日", kGuidance42);

  const std::string third = FalseCommitmentOf(FileAndFindUntrue(testing::kSubjectC));
  harness_.SetDate("2026-01-04");
  Printed(third, kRectificationOrder, "苏市监承改〔2026〕1号", "2026年1月4日", kGuidance42);
  Printed(first, kRectificationOrder, "苏市监承改〔2025〕1号", "2025年4月10日", kGuidance42);
}

// A deadline computed on a provisional calendar (the timer's payload says so)
// is printed with （暂定） and the policy's note.
TEST_F(DocumentsTest, ProvisionalDeadlineIsMarkedWithANote) {
  const std::string fc = FalseCommitmentOf(FileAndFindUntrue(kSubjectA));
  engine::Result<std::vector<engine::Timer>> timers = store_.GetTimers(fc);
  ASSERT_OK(timers);
  ASSERT_EQ(timers->size(), 1u);
  engine::Timer timer = timers->front();
  timer.payload = Json{{"deadline", {{"provisional", true}, {"calendar", "provisional-2025"}}}};
  ASSERT_OK(store_.RunInTransaction([&](engine::StoreTransaction& tx) { return tx.PutTimer(timer); }));

  engine::Result<Document> doc = Issue(fc, kRectificationOrder);
  ASSERT_OK(doc);
  const std::string text = RenderText(*doc);
  EXPECT_TRUE(Contains(text, "于2025年4月25日（暂定）前")) << text;
  const policies::Policy* policy =
      testing::ShippedRules().policies.Select(policies::kDocumentsPolicyId, harness_.clock().Today());
  ASSERT_NE(policy, nullptr);
  const std::string& note = policy->Find<policies::DocumentsSection>()->provisional_note;
  EXPECT_TRUE(Contains(note, "国务院办公厅公布")) << note;
  EXPECT_TRUE(Contains(text, note)) << text;
  EXPECT_TRUE(Contains(RenderHtml(*doc), "（暂定）"));
}

// An unknown kind, and a kind the matter does not have yet, are NotFound;
// the message lists what the case has.
TEST_F(DocumentsTest, UnknownAndNotYetAvailableDocumentsAreRefused) {
  const std::string c = FileAndFindUntrue(kSubjectA);
  engine::Result<std::vector<std::string>> available = AvailableDocuments(store_, Load(c));
  ASSERT_OK(available);
  EXPECT_EQ(*available,
            (std::vector<std::string>{kNotice, kCommitmentLetter, kVerificationReport, kRectificationOrder}));

  engine::Result<Document> unknown = Issue(c, "permit_certificate");
  ASSERT_FALSE(unknown.ok());
  EXPECT_TRUE(unknown.status().IsNotFound());
  EXPECT_EQ(unknown.status().reason(), "unknown_document");

  engine::Result<Document> early = Issue(c, kRevocationDecision);
  ASSERT_FALSE(early.ok());
  EXPECT_TRUE(early.status().IsNotFound());
  EXPECT_EQ(early.status().reason(), "document_not_available");
  EXPECT_TRUE(Contains(early.status().message(), "notice, commitment_letter, verification_report, rectification_order"))
      << early.status().message();
  engine::Result<std::vector<engine::DocumentNumber>> numbers = store_.GetDocumentNumbers(FalseCommitmentOf(c));
  ASSERT_OK(numbers);
  EXPECT_TRUE(numbers->empty()) << "a refused document takes no number";
}

// The HTML page parses as XML, has the A4 page rule, no script and no
// external resource, and escapes what the case data hold.
TEST_F(DocumentsTest, HtmlIsWellFormedPrintableAndEscaped) {
  FileAndFindUntrue(kSubjectB);
  engine::CaseQuery q;
  q.workflow = "false_commitment";
  engine::Result<std::vector<engine::Case>> found = store_.FindCases(q);
  ASSERT_OK(found);
  ASSERT_EQ(found->size(), 1u);
  engine::Case fc = found->front();
  fc.data["findings"] = "<script>alert('x')</script> & \"冷藏\"";
  ASSERT_OK(store_.RunInTransaction([&](engine::StoreTransaction& tx) { return tx.ReplaceCase(fc); }));

  engine::Result<Document> doc = Issue(fc.id, kRectificationOrder);
  ASSERT_OK(doc);
  const std::string html = RenderHtml(*doc);
  pugi::xml_document page;
  const pugi::xml_parse_result parsed = page.load_string(html.c_str(), pugi::parse_default | pugi::parse_doctype);
  ASSERT_TRUE(parsed) << parsed.description() << " at offset " << parsed.offset << "\n" << html;

  const pugi::xml_node root = page.document_element();
  EXPECT_STREQ(root.name(), "html");
  EXPECT_STREQ(root.attribute("lang").value(), "zh-CN");
  EXPECT_STREQ(root.child("head").child("meta").attribute("charset").value(), "utf-8");
  const std::string style = root.child("head").child_value("style");
  EXPECT_TRUE(Contains(style, "@page")) << style;
  EXPECT_TRUE(Contains(style, "size: A4")) << style;
  EXPECT_TRUE(Contains(style, "margin:")) << style;
  EXPECT_TRUE(page.select_nodes("//script").empty()) << "no script";
  EXPECT_TRUE(page.select_nodes("//link | //img | //iframe | //object | //@src | //@href").empty())
      << "no external resource";
  EXPECT_FALSE(Contains(html, "url(")) << "no resource from the stylesheet";

  const pugi::xml_node article = root.child("body").child("article");
  EXPECT_STREQ(article.attribute("data-kind").value(), "rectification_order");
  EXPECT_EQ(std::string(article.child("header").child_value("h1")), "责令整改通知书");
  EXPECT_EQ(std::string(article.child("header").find_child_by_attribute("p", "class", "office").child_value()),
            kOffice);
  EXPECT_EQ(std::string(article.child("header").find_child_by_attribute("p", "class", "number").child_value()),
            "苏市监承改〔2025〕1号");
  EXPECT_EQ(std::string(article.child("footer").find_child_by_attribute("p", "class", "date").child_value()),
            "2025年4月10日");
  std::vector<std::string> paragraphs;
  for (pugi::xml_node p : article.child("section").children("p")) paragraphs.push_back(p.child_value());
  ASSERT_GE(paragraphs.size(), 3u);
  EXPECT_EQ(paragraphs[1], "<script>alert('x')</script> & \"冷藏\"") << "escaped, and read back as written";
  EXPECT_TRUE(Contains(paragraphs[2], kGuidance42)) << paragraphs[2];
}

// ---- the legal basis by regime ----------------------------------------------------

const policies::DocumentsSection& ShippedDocuments() {
  const policies::Policy* p =
      testing::ShippedRules().policies.Select(policies::kDocumentsPolicyId, *policies::Date::Parse("2026-12-21"));
  EXPECT_NE(p, nullptr);
  return *p->Find<policies::DocumentsSection>();
}

std::string BasisOn(const std::string& document, const std::string& type, const std::string& kind,
                    const std::string& date) {
  const policies::LegalBasis* b = ShippedDocuments().FindBasis(document, type, kind, *policies::Date::Parse(date));
  return b ? b->text : "(none)";
}

// The basis follows the regime in force on the document's date: the 2019
// guidance before 42号; the 2016 deregistration reform before the 2022
// registration regulation; the general basis before the Fire Protection
// Law's 2021 commitment article.
TEST(DocumentsPolicyTest, LegalBasisFollowsTheRegimeOfTheDocumentsDate) {
  EXPECT_TRUE(
      Contains(BasisOn(kRectificationOrder, "food_business_permit", "permit", "2020-10-26"), "国办发〔2019〕35号"));
  EXPECT_EQ(BasisOn(kRectificationOrder, "food_business_permit", "permit", "2020-10-27"), kGuidance42);
  EXPECT_TRUE(
      Contains(BasisOn(kNotice, "simplified_deregistration", "declaration", "2022-02-28"), "工商企注字〔2016〕253号"));
  EXPECT_EQ(
      BasisOn(kNotice, "simplified_deregistration", "declaration", "2022-03-01"),
      "《中华人民共和国市场主体登记管理条例》第三十三条、《中华人民共和国市场主体登记管理条例实施细则》第四十七条至第四"
      "十九条");
  EXPECT_EQ(BasisOn(kRevocationDecision, "simplified_deregistration", "declaration", "2024-05-01"),
            "《中华人民共和国市场主体登记管理条例》第四十条");
  EXPECT_EQ(BasisOn(kNotice, "fire_safety_venue_opening", "permit", "2021-04-28"), kGuidance42);
  EXPECT_EQ(BasisOn(kNotice, "fire_safety_venue_opening", "permit", "2021-04-29"), "《中华人民共和国消防法》第十五条");
  EXPECT_EQ(BasisOn(kPenaltyReferral, "fire_safety_venue_opening", "permit", "2026-12-21"),
            "《中华人民共和国消防法》第五十八条第一款第四项");
  EXPECT_EQ(BasisOn(kRevocationDecision, "no_tax_arrears_proof_substitute", "declaration", "2026-12-21"), kGuidance42);
  EXPECT_EQ(BasisOn(kNotice, "food_business_permit", "permit", "2019-07-08"), "(none)");
}

// Every printed text of the shipped policy is clean Chinese of this
// jurisdiction, and the check refuses confidence marks, English and another
// province's regulation.
TEST(DocumentsPolicyTest, PrintedTextsAreCleanChineseOfTheOfficesJurisdiction) {
  for (const policies::LegalBasis& b : ShippedDocuments().bases) {
    EXPECT_EQ(policies::UnprintableReason(b.text, "江苏省"), "") << b.text;
  }
  EXPECT_NE(policies::UnprintableReason("《中华人民共和国消防法》第十五条 (V~)", "江苏省"), "");
  EXPECT_NE(policies::UnprintableReason("Fire Protection Law art 15", "江苏省"), "");
  EXPECT_NE(policies::UnprintableReason("《深圳经济特区社会信用条例》第六十四条", "江苏省"), "");
  EXPECT_NE(policies::UnprintableReason("《河南省社会信用条例》第六十八条", "江苏省"), "");
  EXPECT_EQ(policies::UnprintableReason("《江苏省社会信用条例》", "江苏省"), "");
}

// The section's check names the line of a basis that cannot be printed,
// of two that overlap, and of a kind left without a general basis.
TEST(DocumentsPolicyTest, CheckRefusesUnprintableOverlappingAndMissingBases) {
  policies::PolicySet set;
  policies::Policy p;
  p.id = policies::kDocumentsPolicyId;
  p.version = "1";
  p.file = "documents.xml";
  p.effective_from = *policies::Date::Parse("2020-01-01");
  policies::DocumentsSection& s = p.Section<policies::DocumentsSection>();
  s.office = policies::IssuingOffice{"js-amr", kOffice, "江苏省", "test", 2};
  s.provisional_note = "注：暂定。";
  s.kinds.push_back({"rectification_order", "责令整改通知书", "苏市监承改", "", "", "test", 3});
  s.kinds.push_back({"notice", "告知书", "苏市监承告", "", "", "test", 4});
  s.bases.push_back({"rectification_order", "", "", *policies::Date::Parse("2020-01-01"), std::nullopt,
                     "深圳经济特区社会信用条例 art 64(2)", "test", 10});
  s.bases.push_back(
      {"rectification_order", "", "", *policies::Date::Parse("2021-01-01"), std::nullopt, kGuidance42, "test", 11});
  std::vector<policies::PolicyError> errors;
  policies::DocumentsSection::Check(set, p, &errors);
  std::vector<int> lines;
  for (const policies::PolicyError& e : errors) lines.push_back(e.line);
  EXPECT_NE(std::find(lines.begin(), lines.end(), 10), lines.end()) << "the Shenzhen basis";
  EXPECT_NE(std::find(lines.begin(), lines.end(), 11), lines.end()) << "the overlap";
  EXPECT_NE(std::find(lines.begin(), lines.end(), 4), lines.end()) << "the notice without a basis";
}

// Every reason a regime lets a department deny with (its <denial-reasons>,
// what the inbox offers) is one the repair notice words in Chinese for the
// applicant, not a quoted code.
TEST(RepairNoticeTest, EveryDenialReasonOfEveryRegimeIsWorded) {
  int codes = 0;
  for (const policies::Policy* policy : credflow::testing::ShippedRules().policies.All()) {
    const policies::RepairRegimeSection* regime = policies::FindRepairRegime(*policy);
    if (regime == nullptr) continue;
    for (const policies::DenialReason& reason : regime->denial_reasons) {
      ++codes;
      EXPECT_TRUE(RepairReasonText(reason.code).has_value())
          << policy->id << " " << policy->version << ": " << reason.code << " is not a reason the notice words";
    }
  }
  EXPECT_GE(codes, 6 * 8);
  EXPECT_FALSE(RepairReasonText("obligations_not_fulfilled").has_value());
}

}  // namespace
}  // namespace credflow::adapters::documents
