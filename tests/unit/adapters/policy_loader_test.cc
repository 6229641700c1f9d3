// The XML policy and calendar loaders: the shipped definitions load cleanly,
// and broken files are reported with the right file and line.
#include "adapters/xml/policy_loader.h"
#include "policies/catalogue.h"
#include "policies/repair_rules.h"
#include "policies/subject_vocabulary.h"
#include "policies/verification_rules.h"
#include "tests/support/paths.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace credflow::adapters {
namespace {

namespace fs = std::filesystem;
using policies::Date;
using policies::Period;
using policies::PolicyError;

Date D(const char* text) { return Date::Parse(text).value(); }

std::string DumpErrors(const std::vector<PolicyError>& errors) {
  std::string out;
  for (const PolicyError& e : errors) out += e.ToString() + "\n";
  return out;
}

// Lines joined with '\n', so that a test can say which line is which.
std::string Lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

// A small valid catalogue: lines 1-2 header, 3 eligibility block, 4 type, 5 close.
std::string Catalogue(const std::string& version, const std::string& from,
                      const std::string& extra_root_attributes = "") {
  return Lines({
      R"(<?xml version="1.0" encoding="UTF-8"?>)",
      R"(<policy id="commitment" version=")" + version + R"(" title="t" authority="a" effective-from=")" + from +
          R"(" source="s")" + extra_root_attributes + ">",
      R"(  <eligibility><block record="false_commitment" reason="r" source="art 59"/></eligibility>)",
      R"(  <commitment-type id="food_business_permit" name="n" kind="permit" form="f" authority="a" decision="on_signing" legal-basis="b" source="s"/>)",
      R"(</policy>)",
  });
}

// A valid verification policy for `type`: the <verification> is on line 3.
std::string Verification(const std::string& type) {
  return Lines({
      R"(<?xml version="1.0" encoding="UTF-8"?>)",
      R"(<policy id="commitment-verification" version="1" title="t" authority="a" effective-from="2019-01-01" source="s">)",
      R"(  <verification type=")" + type + R"(" method="on_site" mode="all" source="s">)",
      R"(    <window count="30" unit="working_days" source="s"/>)",
      R"(    <rectification count="15" unit="days" source="s"/>)",
      R"(  </verification>)",
      R"(</policy>)",
  });
}

class PolicyLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("credflow-policy-loader-" + std::string(info->name()) + "-" + std::to_string(std::random_device{}()));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::string Write(const std::string& name, const std::string& content) {
    const fs::path path = dir_ / name;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
    return path.string();
  }

  PolicyLoadResult Load() { return LoadPolicyDirectory(dir_.string()); }

  static bool HasError(const std::vector<PolicyError>& errors, const std::string& file, int line,
                       const std::string& text) {
    return std::any_of(errors.begin(), errors.end(), [&](const PolicyError& e) {
      return e.file == file && e.line == line && e.message.find(text) != std::string::npos;
    });
  }

  fs::path dir_;
};

// The shipped definitions load without a single error and hold the 15
// catalogue types (6 permit, 9 declaration), each with a verification rule.
TEST(ShippedPolicyTest, DefinitionsLoadCleanly) {
  const PolicyLoadResult r = LoadPolicyDirectory((credflow::testing::SourceDir() + "/policies/definitions"));
  ASSERT_TRUE(r.errors.empty()) << DumpErrors(r.errors);
  const policies::Policy* catalogue = r.set.Select("commitment", D("2024-06-01"));
  ASSERT_NE(catalogue, nullptr);
  EXPECT_EQ(catalogue->version, "2024.1");
  EXPECT_EQ(catalogue->authority, "江苏省市场监督管理局");
  const std::set<std::string> expected = {"food_business_permit",
                                          "fire_safety_venue_opening",
                                          "industrial_product_production_permit",
                                          "inspection_body_accreditation",
                                          "outdoor_advertising_permit",
                                          "food_small_workshop_registration",
                                          "simplified_deregistration",
                                          "registered_address_declaration",
                                          "annual_report_truthfulness",
                                          "enterprise_name_self_declaration",
                                          "no_criminal_record_proof_substitute",
                                          "social_security_proof_substitute",
                                          "no_tax_arrears_proof_substitute",
                                          "voluntary_public_commitment",
                                          "industry_self_discipline_commitment"};
  std::set<std::string> ids;
  int permits = 0;
  int declarations = 0;
  for (const policies::CommitmentType& t : catalogue->Find<policies::CatalogueSection>()->types) {
    ids.insert(t.id);
    permits += t.kind == "permit";
    declarations += t.kind == "declaration";
    EXPECT_EQ(t.form_id, t.id);
    EXPECT_FALSE(t.source.empty()) << t.id;
    EXPECT_FALSE(t.name.empty()) << t.id;
    EXPECT_EQ(t.decision, t.id == "simplified_deregistration" ? "after_publication" : "on_signing") << t.id;
  }
  EXPECT_EQ(ids, expected);
  EXPECT_EQ(permits, 6);
  EXPECT_EQ(declarations, 9);

  const policies::CommitmentType* dereg = policies::FindCommitmentType(*catalogue, "simplified_deregistration");
  ASSERT_NE(dereg, nullptr);
  ASSERT_TRUE(dereg->publication.has_value());
  EXPECT_EQ(dereg->publication->period.count, 20);
  EXPECT_EQ(dereg->publication->period.unit, Period::Unit::kCalendarDays);
  EXPECT_FALSE(dereg->publication->extend_over_rest_days);
  const std::vector<policies::EligibilityBlock>& blocks =
      catalogue->Find<policies::CatalogueSection>()->eligibility_blocks;
  ASSERT_EQ(blocks.size(), 4u);
  EXPECT_EQ(blocks[0].record_kind, "false_commitment");
  EXPECT_EQ(blocks[0].reason, "unrepaired_false_commitment");
  EXPECT_EQ(blocks[1].record_kind, "serious_list");
  EXPECT_EQ(blocks[1].tier, "");
  EXPECT_EQ(blocks[1].reason, "serious_dishonesty_record");
  EXPECT_EQ(blocks[2].record_kind, "penalty");
  EXPECT_EQ(blocks[2].tier, "serious");
  EXPECT_EQ(blocks[2].reason, "serious_dishonesty_record");
  EXPECT_EQ(blocks[3].record_kind, "rectification_commitment_breach");

  const policies::Policy* verification = r.set.Select("commitment-verification", D("2024-06-01"));
  ASSERT_NE(verification, nullptr);
  for (const std::string& id : expected) {
    EXPECT_NE(policies::FindVerificationRule(*verification, id), nullptr) << id;
  }
  const policies::VerificationRule* food = policies::FindVerificationRule(*verification, "food_business_permit");
  ASSERT_NE(food, nullptr);
  EXPECT_EQ(food->window.period.count, 30);
  EXPECT_EQ(food->window.period.unit, Period::Unit::kWorkingDays);
  EXPECT_EQ(food->rectification.period.count, 15);
  EXPECT_EQ(food->rectification.period.unit, Period::Unit::kCalendarDays);
  EXPECT_FALSE(food->rectification.extend_over_rest_days);
  const policies::VerificationRule* fire = policies::FindVerificationRule(*verification, "fire_safety_venue_opening");
  ASSERT_NE(fire, nullptr);
  EXPECT_EQ(fire->window.period.count, 10);
  EXPECT_EQ(fire->window.period.unit, Period::Unit::kWorkingDays);
  EXPECT_EQ(fire->method, "on_site");
  EXPECT_EQ(catalogue->content_hash.size(), 64u);
}

// The shipped calendar loads without errors.
// What false-commitment handling cites comes from the verification policy,
// each with its source.
TEST(ShippedPolicyTest, FalseCommitmentCitationsAreInThePolicy) {
  const PolicyLoadResult r = LoadPolicyDirectory((credflow::testing::SourceDir() + "/policies/definitions"));
  ASSERT_TRUE(r.errors.empty()) << DumpErrors(r.errors);
  const policies::Policy* p = r.set.Select("commitment-verification", D("2025-04-10"));
  ASSERT_NE(p, nullptr);
  ASSERT_TRUE(p->Find<policies::VerificationSection>()->false_commitment.has_value());
  EXPECT_EQ(p->Find<policies::VerificationSection>()->false_commitment->order_basis,
            "深圳经济特区社会信用条例 art 64(2)");
  EXPECT_NE(p->Find<policies::VerificationSection>()->false_commitment->record_source.find("国办发〔2020〕42号"),
            std::string::npos);
  EXPECT_FALSE(p->Find<policies::VerificationSection>()->false_commitment->referral_source.empty());
  EXPECT_FALSE(p->Find<policies::VerificationSection>()->false_commitment->source.empty());
  EXPECT_GT(p->Find<policies::VerificationSection>()->false_commitment->line, 0);
}

// The shipped holiday calendar loads without errors and covers 2019 to 2026;
// working-day deadlines outside those years cannot be computed.
TEST(ShippedPolicyTest, CalendarLoadsCleanly) {
  const CalendarLoadResult r =
      LoadCalendar((credflow::testing::SourceDir() + "/policies/calendars/cn-public-holidays.xml"));
  EXPECT_TRUE(r.errors.empty()) << DumpErrors(r.errors);
  EXPECT_EQ(r.calendar.first_year(), 2019);
  EXPECT_EQ(r.calendar.last_year(), 2026);
}

// Files are loaded from the folder itself: subfolders such as calendars/ and
// files of other types are ignored.
TEST_F(PolicyLoaderTest, LoadsOnlyXmlFilesOfTheFolder) {
  Write("commitment.xml", Catalogue("1", "2019-01-01"));
  Write("calendars/cn.xml", "<calendar/>");
  Write("notes.md", "# not a policy");
  const PolicyLoadResult r = Load();
  EXPECT_TRUE(r.errors.empty()) << DumpErrors(r.errors);
  ASSERT_EQ(r.set.All().size(), 1u);
  EXPECT_EQ(r.set.All()[0]->file, (dir_ / "commitment.xml").string());
  EXPECT_EQ(r.set.All()[0]->line, 2);
  ASSERT_EQ(r.set.All()[0]->Find<policies::CatalogueSection>()->types.size(), 1u);
  EXPECT_EQ(r.set.All()[0]->Find<policies::CatalogueSection>()->types[0].line, 4);
}

// Malformed XML: the parse error carries the line of the fault.
TEST_F(PolicyLoaderTest, ReportsBadXmlWithLine) {
  const std::string file = Write(
      "commitment.xml",
      Lines({
          R"(<?xml version="1.0" encoding="UTF-8"?>)",
          R"(<policy id="commitment" version="1" title="t" authority="a" effective-from="2019-01-01" source="s">)",
          R"(  <eligibility>)",
          R"(    <block record=false_commitment reason="r" source="s"/>)",
          R"(  </eligibility>)",
          R"(</policy>)",
      }));
  const PolicyLoadResult r = Load();
  ASSERT_EQ(r.errors.size(), 1u) << DumpErrors(r.errors);
  EXPECT_EQ(r.errors[0].file, file);
  EXPECT_EQ(r.errors[0].line, 4);
  EXPECT_NE(r.errors[0].message.find("XML parse error"), std::string::npos);
  EXPECT_TRUE(r.set.All().empty());
}

// A rule file saved in GBK (pugixml would take its bytes as they are) is
// refused with the line of the first byte that is not UTF-8.
TEST_F(PolicyLoaderTest, ReportsBytesThatAreNotUtf8WithLine) {
  std::string text = Catalogue("1", "2019-01-01");
  const size_t title = text.find("title=\"t\"");
  ASSERT_NE(title, std::string::npos);
  text.replace(title, 9, "title=\"\xCB\xD5\xD6\xDD\"");  // 苏州 in GBK
  const std::string file = Write("commitment.xml", text);
  const PolicyLoadResult r = Load();
  ASSERT_EQ(r.errors.size(), 1u) << DumpErrors(r.errors);
  EXPECT_EQ(r.errors[0].file, file);
  EXPECT_EQ(r.errors[0].line, 2);
  EXPECT_NE(r.errors[0].message.find("not valid UTF-8"), std::string::npos) << DumpErrors(r.errors);
  EXPECT_TRUE(r.set.All().empty());
}

// A missing required attribute names the element and the attribute.
TEST_F(PolicyLoaderTest, ReportsMissingAttribute) {
  const std::string file = Write(
      "commitment.xml",
      Lines({
          R"(<?xml version="1.0" encoding="UTF-8"?>)",
          R"(<policy id="commitment" version="1" title="t" authority="a" effective-from="2019-01-01" source="s">)",
          R"(  <commitment-type id="ok" name="n" kind="permit" form="f" authority="a" decision="on_signing" legal-basis="b" source="s"/>)",
          R"(  <!-- a comment -->)",
          R"(  <commitment-type id="broken" name="n" form="f" authority="a")",
          R"(                   decision="on_signing" legal-basis="b" source="s"/>)",
          R"(</policy>)",
      }));
  const PolicyLoadResult r = Load();
  ASSERT_EQ(r.errors.size(), 1u) << DumpErrors(r.errors);
  EXPECT_EQ(r.errors[0].ToString(), file + ":5: element <commitment-type> lacks attribute 'kind'");
  // The broken element is left out; the rest of the policy loads.
  const policies::Policy* p = r.set.Find("commitment", "1");
  ASSERT_NE(p, nullptr);
  EXPECT_NE(policies::FindCommitmentType(*p, "ok"), nullptr);
  EXPECT_EQ(policies::FindCommitmentType(*p, "broken"), nullptr);
}

// Every rule element needs a non-empty source.
TEST_F(PolicyLoaderTest, ReportsMissingOrEmptySource) {
  Write("a-commitment.xml", Catalogue("1", "2019-01-01"));
  const std::string file = Write(
      "b-verification.xml",
      Lines({
          R"(<?xml version="1.0" encoding="UTF-8"?>)",
          R"(<policy id="commitment-verification" version="1" title="t" authority="a" effective-from="2019-01-01" source="s">)",
          R"(  <verification type="food_business_permit" method="on_site" mode="all">)",
          R"(    <window count="30" unit="working_days" source=""/>)",
          R"(    <rectification count="15" unit="days"/>)",
          R"(  </verification>)",
          R"(  <eligibility>)",
          R"(    <block record="serious_dishonesty" reason="r"/>)",
          R"(  </eligibility>)",
          R"(</policy>)",
      }));
  const PolicyLoadResult r = Load();
  EXPECT_TRUE(HasError(r.errors, file, 3, "element <verification> lacks attribute 'source'")) << DumpErrors(r.errors);
  EXPECT_TRUE(HasError(r.errors, file, 4, "element <window> has an empty attribute 'source'")) << DumpErrors(r.errors);
  EXPECT_TRUE(HasError(r.errors, file, 5, "element <rectification> lacks attribute 'source'")) << DumpErrors(r.errors);
  EXPECT_TRUE(HasError(r.errors, file, 8, "element <block> lacks attribute 'source'")) << DumpErrors(r.errors);
  EXPECT_EQ(r.errors.size(), 4u) << DumpErrors(r.errors);
}

// An eligibility block's tier is one of the record tiers.
TEST_F(PolicyLoaderTest, RefusesAnUnknownBlockTier) {
  Write("a-commitment.xml", Catalogue("1", "2019-01-01"));
  const std::string file = Write(
      "b-verification.xml",
      Lines({
          R"(<?xml version="1.0" encoding="UTF-8"?>)",
          R"(<policy id="commitment-verification" version="1" title="t" authority="a" effective-from="2019-01-01" source="s">)",
          R"(  <eligibility>)",
          R"(    <block record="penalty" tier="grave" reason="r" source="s"/>)",
          R"(  </eligibility>)",
          R"(</policy>)",
      }));
  const PolicyLoadResult r = Load();
  EXPECT_TRUE(HasError(r.errors, file, 4, "tier must be light, general or serious, not 'grave'"))
      << DumpErrors(r.errors);
}

// Numbers are bounded: a period of more than 100 years, or any number over
// a million, is refused with its line (a period of 1,494,604,046 years
// overflowed the day arithmetic: tests/fuzz/regressions/policy_xml).
TEST_F(PolicyLoaderTest, RefusesNumbersBeyondTheirBounds) {
  Write("a-commitment.xml", Catalogue("1", "2019-01-01"));
  const std::string file = Write(
      "b-verification.xml",
      Lines({
          R"(<?xml version="1.0" encoding="UTF-8"?>)",
          R"(<policy id="commitment-verification" version="1" title="t" authority="a" effective-from="2019-01-01" source="s">)",
          R"(  <verification type="food_business_permit" method="on_site" mode="all" source="s">)",
          R"(    <window count="1494604046" unit="years" source="s"/>)",
          R"(    <rectification count="101" unit="years" source="s"/>)",
          R"(  </verification>)",
          R"(  <verification type="other" method="on_site" mode="all" source="s">)",
          R"(    <window count="26001" unit="working_days" source="s"/>)",
          R"(    <rectification count="1200" unit="months" source="s"/>)",
          R"(  </verification>)",
          R"(</policy>)",
      }));
  const PolicyLoadResult r = Load();
  EXPECT_TRUE(HasError(r.errors, file, 4,
                       "attribute 'count' of <window> is '1494604046' (expected an integer from 1 to 1000000)"))
      << DumpErrors(r.errors);
  EXPECT_TRUE(HasError(r.errors, file, 5, "<rectification> is 101 years (at most 100, 100 years)"))
      << DumpErrors(r.errors);
  EXPECT_TRUE(HasError(r.errors, file, 8, "<window> is 26001 working_days (at most 26000, 100 years)"))
      << DumpErrors(r.errors);
  // 1,200 months is exactly 100 years: no error on line 9.
  for (const PolicyError& e : r.errors) EXPECT_NE(e.line, 9) << e.ToString();
}

// Two versions of 'commitment' in force on the same days: the error names
// both files and lines.
TEST_F(PolicyLoaderTest, ReportsOverlappingVersions) {
  const std::string old_file = Write("commitment-2019.xml", Catalogue("2019.1", "2019-01-01"));
  const std::string new_file = Write("commitment-2024.xml", Catalogue("2024.1", "2024-01-01"));
  const PolicyLoadResult r = Load();
  ASSERT_EQ(r.errors.size(), 1u) << DumpErrors(r.errors);
  EXPECT_EQ(r.errors[0].file, new_file);
  EXPECT_EQ(r.errors[0].line, 2);
  EXPECT_NE(r.errors[0].message.find("overlaps"), std::string::npos) << r.errors[0].message;
  EXPECT_NE(r.errors[0].message.find(old_file + ":2"), std::string::npos) << r.errors[0].message;
  EXPECT_NE(r.errors[0].message.find(new_file + ":2"), std::string::npos) << r.errors[0].message;
}

// Closing the first version the day before the second starts is valid, and
// Select picks the version in force on each date.
TEST_F(PolicyLoaderTest, SelectsVersionByDate) {
  Write("commitment-2019.xml", Catalogue("2019.1", "2019-01-01", R"( effective-to="2023-12-31")"));
  Write("commitment-2024.xml", Catalogue("2024.1", "2024-01-01"));
  const PolicyLoadResult r = Load();
  ASSERT_TRUE(r.errors.empty()) << DumpErrors(r.errors);
  EXPECT_EQ(r.set.Select("commitment", D("2018-12-31")), nullptr);
  ASSERT_NE(r.set.Select("commitment", D("2023-12-31")), nullptr);
  EXPECT_EQ(r.set.Select("commitment", D("2023-12-31"))->version, "2019.1");
  ASSERT_NE(r.set.Select("commitment", D("2024-01-01")), nullptr);
  EXPECT_EQ(r.set.Select("commitment", D("2024-01-01"))->version, "2024.1");
  ASSERT_NE(r.set.Find("commitment", "2019.1"), nullptr);
  EXPECT_EQ(r.set.Find("commitment", "2019.1")->effective_to, D("2023-12-31"));
}

// A verification rule for a type the catalogue does not list.
TEST_F(PolicyLoaderTest, ReportsUnknownCommitmentType) {
  Write("a-commitment.xml", Catalogue("1", "2019-01-01"));
  const std::string file = Write("b-verification.xml", Verification("xyz"));
  const PolicyLoadResult r = Load();
  ASSERT_EQ(r.errors.size(), 1u) << DumpErrors(r.errors);
  EXPECT_EQ(r.errors[0].file, file);
  EXPECT_EQ(r.errors[0].line, 3);
  EXPECT_NE(r.errors[0].message.find("unknown commitment type 'xyz'"), std::string::npos) << r.errors[0].message;
}

// An impossible date names the attribute; the policy is left out.
TEST_F(PolicyLoaderTest, ReportsBadDate) {
  std::string text = Catalogue("1", "2023-02-29");
  const std::string file = Write("commitment.xml", text);
  const PolicyLoadResult r = Load();
  ASSERT_EQ(r.errors.size(), 1u) << DumpErrors(r.errors);
  EXPECT_EQ(r.errors[0].file, file);
  EXPECT_EQ(r.errors[0].line, 2);
  EXPECT_NE(r.errors[0].message.find("'effective-from'"), std::string::npos) << r.errors[0].message;
  EXPECT_NE(r.errors[0].message.find("2023-02-29"), std::string::npos) << r.errors[0].message;
  EXPECT_TRUE(r.set.All().empty());
}

// Bad periods and unknown elements or attributes are reported, not ignored.
TEST_F(PolicyLoaderTest, ReportsBadPeriodsAndUnknownNames) {
  Write("a-commitment.xml", Catalogue("1", "2019-01-01"));
  const std::string file = Write(
      "b-verification.xml",
      Lines({
          R"(<?xml version="1.0" encoding="UTF-8"?>)",
          R"(<policy id="commitment-verification" version="1" title="t" authority="a" effective-from="2019-01-01" source="s">)",
          R"(  <verification type="food_business_permit" method="on_site" mode="all" source="s">)",
          R"(    <window count="thirty" unit="weeks" source="s"/>)",
          R"(    <rectification count="15" unit="days" source="s" extend-over-rest-days="yes"/>)",
          R"(  </verification>)",
          R"(  <verificaton type="food_business_permit"/>)",
          R"(  <verification type="food_business_permit" method="on_site" mode="all" source="s" window="30">)",
          R"(    <rectification count="15" unit="days" source="s"/>)",
          R"(  </verification>)",
          R"(</policy>)",
      }));
  const PolicyLoadResult r = Load();
  EXPECT_TRUE(HasError(r.errors, file, 4, "attribute 'count' of <window> is 'thirty'")) << DumpErrors(r.errors);
  EXPECT_TRUE(HasError(r.errors, file, 4, "attribute 'unit' of <window> is 'weeks'")) << DumpErrors(r.errors);
  EXPECT_TRUE(HasError(r.errors, file, 5, "'extend-over-rest-days' of <rectification> is 'yes'"))
      << DumpErrors(r.errors);
  EXPECT_TRUE(HasError(r.errors, file, 7, "unexpected element <verificaton>")) << DumpErrors(r.errors);
  EXPECT_TRUE(HasError(r.errors, file, 8, "unknown attribute 'window'")) << DumpErrors(r.errors);
  EXPECT_TRUE(HasError(r.errors, file, 8, "lacks child <window>")) << DumpErrors(r.errors);
  EXPECT_EQ(r.errors.size(), 6u) << DumpErrors(r.errors);
  ASSERT_NE(r.set.Find("commitment-verification", "1"), nullptr);
  EXPECT_TRUE(r.set.Find("commitment-verification", "1")->Find<policies::VerificationSection>()->rules.empty());
}

// A GSXT repair regime whose penalty records need no heavier penalty since,
// with `heavier` as line 10 (empty: no such element) and `denials` as
// line 11.
std::string GsxtRegime(const std::string& heavier,
                       const std::string& denials = R"(<denial-reasons source="s"><reason code="documents_missing" )"
                                                    R"(label="申请材料不齐全"/></denial-reasons>)") {
  return Lines({
      R"(<?xml version="1.0" encoding="UTF-8"?>)",
      R"(<policy id="credit-repair-gsxt" version="1" title="t" authority="a" effective-from="2021-01-01" source="s">)",
      R"(  <repair-regime platform="gsxt" regime="x" title="t" period-starts="publication" earliest="day_after" source="s">)",
      R"(    <window kinds="penalty" source="s">)",
      R"(      <minimum count="3" unit="months" source="s"/><maximum count="3" unit="years" source="s"/>)",
      R"(    </window>)",
      R"(    <conditions kinds="penalty" source="s"><check name="no_heavier_penalty_since" source="s"/></conditions>)",
      R"(    <decision source="s"><limit count="7" unit="working_days" source="s"/></decision>)",
      R"(    <stop-publication count="3" unit="working_days" source="s"/>)",
      "    " + heavier,
      "    " + denials,
      R"(  </repair-regime>)",
      R"(</policy>)",
  });
}

// What is heavier (令44 art 2) is policy: a regime that checks for a heavier
// penalty must say what one is, in the penalty and tier vocabulary.
TEST_F(PolicyLoaderTest, HeavierPenaltiesAreStatedWhereTheCheckIsUsed) {
  const std::string file = Write("repair.xml", GsxtRegime(""));
  PolicyLoadResult r = Load();
  EXPECT_TRUE(HasError(r.errors, file, 7, "needs <heavier-penalties>")) << DumpErrors(r.errors);
  EXPECT_EQ(r.errors.size(), 1u) << DumpErrors(r.errors);

  Write("repair.xml",
        GsxtRegime(R"(<heavier-penalties penalties="suspension licence_revoked" tiers="grave" source="s"/>)"));
  r = Load();
  EXPECT_TRUE(HasError(r.errors, file, 3, "unknown penalty 'licence_revoked'")) << DumpErrors(r.errors);
  EXPECT_TRUE(HasError(r.errors, file, 3, "unknown tier 'grave'")) << DumpErrors(r.errors);
  EXPECT_EQ(r.errors.size(), 2u) << DumpErrors(r.errors);

  Write("repair.xml", GsxtRegime(R"(<heavier-penalties penalties="suspension" tiers="serious" source="s"/>)"));
  r = Load();
  EXPECT_TRUE(r.errors.empty()) << DumpErrors(r.errors);
  const policies::Policy* policy = r.set.Find("credit-repair-gsxt", "1");
  ASSERT_NE(policy, nullptr);
  const policies::RepairRegimeSection* regime = policies::FindRepairRegime(*policy);
  ASSERT_NE(regime, nullptr);
  EXPECT_EQ(regime->heavier_penalties, (std::vector<std::string>{"suspension"}));
  EXPECT_EQ(regime->heavier_tiers, (std::vector<std::string>{"serious"}));
}

// The reasons a department may deny with are the regime's: required, each
// a code of [a-z0-9_] with a label, no code twice; a reason without a
// source of its own cites the list's.
TEST_F(PolicyLoaderTest, ARegimeListsItsDenialReasons) {
  const std::string heavier = R"(<heavier-penalties penalties="suspension" source="s"/>)";
  const std::string file = Write("repair.xml", GsxtRegime(heavier, ""));
  PolicyLoadResult r = Load();
  EXPECT_TRUE(HasError(r.errors, file, 3, "needs <denial-reasons>")) << DumpErrors(r.errors);
  EXPECT_EQ(r.errors.size(), 1u) << DumpErrors(r.errors);

  Write("repair.xml", GsxtRegime(heavier, R"(<denial-reasons source="list"><reason code="Bad Code" label="x"/>)"
                                          R"(<reason code="late" label="逾期"/><reason code="late" label="又一个"/>)"
                                          R"(<reason code="nolabel"/></denial-reasons>)"));
  r = Load();
  EXPECT_TRUE(HasError(r.errors, file, 3, "'Bad Code' is not 1-64 characters")) << DumpErrors(r.errors);
  EXPECT_TRUE(HasError(r.errors, file, 3, "'late' is listed twice")) << DumpErrors(r.errors);
  EXPECT_TRUE(HasError(r.errors, file, 11, "label")) << DumpErrors(r.errors);
  EXPECT_EQ(r.errors.size(), 3u) << DumpErrors(r.errors);

  Write("repair.xml", GsxtRegime(heavier, R"(<denial-reasons source="list"><reason code="late" label="逾期"/>)"
                                          R"(<reason code="other" label="其他" source="own"/></denial-reasons>)"));
  r = Load();
  ASSERT_TRUE(r.errors.empty()) << DumpErrors(r.errors);
  const policies::RepairRegimeSection* regime = policies::FindRepairRegime(*r.set.Find("credit-repair-gsxt", "1"));
  ASSERT_NE(regime, nullptr);
  ASSERT_EQ(regime->denial_reasons.size(), 2u);
  EXPECT_EQ(regime->denial_reasons[0].code, "late");
  EXPECT_EQ(regime->denial_reasons[0].label, "逾期");
  EXPECT_EQ(regime->denial_reasons[0].source, "list");
  EXPECT_EQ(regime->denial_reasons[1].source, "own");
}

// The grading table names inputs and grades the engine knows, and no row
// hides behind one that always matches.
TEST_F(PolicyLoaderTest, GradingTableIsChecked) {
  Write(
      "a-vocabulary.xml",
      Lines({
          R"(<?xml version="1.0" encoding="UTF-8"?>)",
          R"(<policy id="risk-classification" version="1" title="t" authority="a" effective-from="2019-01-01" source="s">)",
          R"(  <risk-grade value="A" name="n" source="s"/><risk-grade value="D" name="n" source="s"/>)",
          R"(</policy>)",
      }));
  const std::string file = Write(
      "b-grading.xml",
      Lines({
          R"(<?xml version="1.0" encoding="UTF-8"?>)",
          R"(<policy id="risk-grading" version="1" title="t" authority="a" effective-from="2019-01-01" source="s">)",
          R"(  <grading lookback-years="3" source="s">)",
          R"(    <rule grade="D" source="s"><when input="penalty_count" min="10"/></rule>)",
          R"(    <rule grade="E" source="s"><when input="penalties" min="5" max="2"/></rule>)",
          R"(    <rule grade="keep" source="s"/>)",
          R"(    <rule grade="A" source="s"><when input="penalties" max="0"/></rule>)",
          R"(  </grading>)",
          R"(</policy>)",
      }));
  const PolicyLoadResult r = Load();
  EXPECT_TRUE(HasError(r.errors, file, 4, "unknown input 'penalty_count'")) << DumpErrors(r.errors);
  EXPECT_TRUE(HasError(r.errors, file, 5, "grade 'E' is not a risk grade")) << DumpErrors(r.errors);
  EXPECT_TRUE(HasError(r.errors, file, 5, "min above max")) << DumpErrors(r.errors);
  EXPECT_TRUE(HasError(r.errors, file, 7, "never reached")) << DumpErrors(r.errors);
  EXPECT_EQ(r.errors.size(), 4u) << DumpErrors(r.errors);
}

// The content hash is the SHA-256 hex of the bytes and follows the content.
TEST_F(PolicyLoaderTest, ContentHashFollowsTheBytes) {
  const std::string file = Write("commitment.xml", Catalogue("1", "2019-01-01"));
  const PolicyLoadResult first = Load();
  ASSERT_TRUE(first.errors.empty()) << DumpErrors(first.errors);
  const std::string hash = first.set.Find("commitment", "1")->content_hash;
  ASSERT_EQ(hash.size(), 64u);
  EXPECT_TRUE(std::all_of(hash.begin(), hash.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  })) << hash;
  EXPECT_EQ(Load().set.Find("commitment", "1")->content_hash, hash);  // stable

  Write("commitment.xml", Catalogue("1", "2019-01-01") + "<!-- edited -->\n");
  const PolicyLoadResult second = Load();
  ASSERT_TRUE(second.errors.empty()) << DumpErrors(second.errors);
  EXPECT_NE(second.set.Find("commitment", "1")->content_hash, hash);
}

// The hash is SHA-256 of the exact bytes (checked against sha256sum).
TEST_F(PolicyLoaderTest, ContentHashIsSha256OfTheFile) {
  Write("commitment.xml",
        Lines({
            R"(<?xml version="1.0" encoding="UTF-8"?>)",
            R"(<policy id="commitment" version="1" title="t" authority="a" effective-from="2019-01-01" source="s"/>)",
        }));
  const PolicyLoadResult r = Load();
  ASSERT_TRUE(r.errors.empty()) << DumpErrors(r.errors);
  EXPECT_EQ(r.set.Find("commitment", "1")->content_hash,
            "76b96feae9c58891a028cd4c15df447e611cc0b49b1d7d402d0990fe7eeadd18");
}

// A policy folder that does not exist is one error naming the folder, not an
// empty rule book.
TEST_F(PolicyLoaderTest, ReportsMissingDirectory) {
  const PolicyLoadResult r = LoadPolicyDirectory((dir_ / "nope").string());
  ASSERT_EQ(r.errors.size(), 1u) << DumpErrors(r.errors);
  EXPECT_EQ(r.errors[0].file, (dir_ / "nope").string());
}

// Calendar files: every year section is known; bad entries are reported
// with their line.
TEST_F(PolicyLoaderTest, CalendarReportsBadEntries) {
  const std::string file = Write("cal.xml", Lines({
                                                R"(<?xml version="1.0" encoding="UTF-8"?>)",
                                                R"(<calendar id="t" name="test">)",
                                                R"(  <year value="2030" source="notice">)",
                                                R"(    <holiday name="A" from="2030-01-01" to="2030-01-02"/>)",
                                                R"(    <holiday name="B" from="2030-02-30" to="2030-03-01"/>)",
                                                R"(    <workday date="2030-01-07" reason="not a weekend"/>)",
                                                R"(    <workday date="2030-01-05" reason="ok"/>)",
                                                R"(  </year>)",
                                                R"(  <year value="2030" source="again"/>)",
                                                R"(  <year value="2031" source="notice">)",
                                                R"(    <holiday name="C" from="2031-01-04" to="2031-01-04"/>)",
                                                R"(    <workday date="2031-01-04" reason="clash"/>)",
                                                R"(  </year>)",
                                                R"(</calendar>)",
                                            }));
  const CalendarLoadResult r = LoadCalendar(file);
  EXPECT_TRUE(HasError(r.errors, file, 5, "'from' of <holiday> is '2030-02-30'")) << DumpErrors(r.errors);
  EXPECT_TRUE(HasError(r.errors, file, 6, "workday 2030-01-07 is a Monday-Friday")) << DumpErrors(r.errors);
  EXPECT_TRUE(HasError(r.errors, file, 9, "year 2030 is also defined at " + file + ":3")) << DumpErrors(r.errors);
  EXPECT_TRUE(HasError(r.errors, file, 12, "also a day off of holiday 'C'")) << DumpErrors(r.errors);
  EXPECT_EQ(r.errors.size(), 4u) << DumpErrors(r.errors);
  EXPECT_EQ(r.calendar.IsWorkingDay(D("2030-01-02")), std::optional<bool>(false));
  EXPECT_EQ(r.calendar.IsWorkingDay(D("2030-01-05")), std::optional<bool>(true));
  EXPECT_EQ(r.calendar.IsWorkingDay(D("2032-01-05")), std::nullopt);
}

// An unclosed element is one error at the line where parsing fails; a missing
// calendar file is one error too.
TEST_F(PolicyLoaderTest, CalendarReportsParseErrorWithLine) {
  const std::string file = Write("cal.xml", Lines({
                                                R"(<?xml version="1.0" encoding="UTF-8"?>)",
                                                R"(<calendar id="t" name="test">)",
                                                R"(  <year value="2030" source="notice">)",
                                                R"(</calendar>)",
                                            }));
  const CalendarLoadResult r = LoadCalendar(file);
  ASSERT_EQ(r.errors.size(), 1u) << DumpErrors(r.errors);
  EXPECT_EQ(r.errors[0].file, file);
  EXPECT_EQ(r.errors[0].line, 4);
  EXPECT_EQ(LoadCalendar((dir_ / "missing.xml").string()).errors.size(), 1u);
}

}  // namespace
}  // namespace credflow::adapters
