// Policy and PolicySet on hand-built policies: selection by date, exact
// versions, and the cross-file checks of Validate().
#include "policies/policy.h"
#include "policies/catalogue.h"
#include "policies/subject_vocabulary.h"
#include "policies/verification_rules.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace credflow::policies {
namespace {

Date PolDay(const char* text) { return Date::Parse(text).value(); }

Policy MakePolicy(const std::string& id, const std::string& version, const char* from,
                  std::optional<Date> to = std::nullopt) {
  Policy p;
  p.id = id;
  p.version = version;
  p.effective_from = PolDay(from);
  p.effective_to = to;
  p.file = id + "-" + version + ".xml";
  p.line = 2;
  return p;
}

CommitmentType MakeType(const std::string& id, const std::string& kind = "permit",
                        const std::string& decision = "on_signing") {
  CommitmentType t;
  t.id = id;
  t.kind = kind;
  t.decision = decision;
  t.line = 10;
  return t;
}

VerificationRule MakeRule(const std::string& type, int line) {
  VerificationRule r;
  r.commitment_type = type;
  r.method = "on_site";
  r.mode = "all";
  r.line = line;
  return r;
}

bool HasError(const std::vector<PolicyError>& errors, const std::string& file, int line, const std::string& text) {
  for (const PolicyError& e : errors) {
    if (e.file == file && e.line == line && e.message.find(text) != std::string::npos) return true;
  }
  return false;
}

std::string Dump(const std::vector<PolicyError>& errors) {
  std::string out;
  for (const PolicyError& e : errors) out += e.ToString() + "\n";
  return out;
}

// In force from effective_from to effective_to, both inclusive.
TEST(PolicyTest, InForceOnIncludesBothEnds) {
  const Policy p = MakePolicy("commitment", "1", "2020-01-01", PolDay("2020-12-31"));
  EXPECT_FALSE(p.InForceOn(PolDay("2019-12-31")));
  EXPECT_TRUE(p.InForceOn(PolDay("2020-01-01")));
  EXPECT_TRUE(p.InForceOn(PolDay("2020-12-31")));
  EXPECT_FALSE(p.InForceOn(PolDay("2021-01-01")));
  EXPECT_TRUE(MakePolicy("commitment", "2", "2021-01-01").InForceOn(PolDay("2099-01-01")));
}

TEST(PolicyTest, FindsTypesAndRulesById) {
  Policy p = MakePolicy("commitment", "1", "2020-01-01");
  p.Section<policies::CatalogueSection>().types.push_back(MakeType("food_business_permit"));
  p.Section<policies::VerificationSection>().rules.push_back(MakeRule("food_business_permit", 5));
  ASSERT_NE(policies::FindCommitmentType(p, "food_business_permit"), nullptr);
  EXPECT_EQ(policies::FindCommitmentType(p, "food_business_permit")->kind, "permit");
  EXPECT_EQ(policies::FindCommitmentType(p, "nope"), nullptr);
  ASSERT_NE(policies::FindVerificationRule(p, "food_business_permit"), nullptr);
  EXPECT_EQ(policies::FindVerificationRule(p, "food_business_permit")->line, 5);
  EXPECT_EQ(policies::FindVerificationRule(p, "nope"), nullptr);
}

// The compiler-style file:line: form lets an editor jump to the fault; a
// whole-file problem (line 0) prints no line.
TEST(PolicyErrorTest, ToStringIsFileLineMessage) {
  EXPECT_EQ((PolicyError{"a/b.xml", 12, "oops"}).ToString(), "a/b.xml:12: oops");
  EXPECT_EQ((PolicyError{"a/b.xml", 0, "unreadable"}).ToString(), "a/b.xml: unreadable");
}

// Select picks the version in force on the date; Find picks an exact version.
TEST(PolicySetTest, SelectsTheVersionInForce) {
  PolicySet set;
  set.Add(MakePolicy("commitment", "2019.1", "2019-01-01", PolDay("2023-12-31")));
  set.Add(MakePolicy("commitment", "2024.1", "2024-01-01"));
  set.Add(MakePolicy("other", "1", "2019-01-01"));
  EXPECT_EQ(set.Select("commitment", PolDay("2018-12-31")), nullptr);
  ASSERT_NE(set.Select("commitment", PolDay("2023-12-31")), nullptr);
  EXPECT_EQ(set.Select("commitment", PolDay("2023-12-31"))->version, "2019.1");
  ASSERT_NE(set.Select("commitment", PolDay("2024-01-01")), nullptr);
  EXPECT_EQ(set.Select("commitment", PolDay("2024-01-01"))->version, "2024.1");
  EXPECT_EQ(set.Select("missing", PolDay("2024-01-01")), nullptr);
  ASSERT_NE(set.Find("commitment", "2019.1"), nullptr);
  EXPECT_EQ(set.Find("commitment", "2019.1")->effective_from, PolDay("2019-01-01"));
  EXPECT_EQ(set.Find("commitment", "2025.1"), nullptr);
  EXPECT_EQ(set.All().size(), 3u);
  EXPECT_TRUE(set.Validate().empty()) << Dump(set.Validate());
}

// Two versions of one id in force on the same day: both files are named.
TEST(PolicySetTest, ValidateReportsOverlappingVersions) {
  PolicySet set;
  set.Add(MakePolicy("commitment", "2019.1", "2019-01-01"));
  set.Add(MakePolicy("commitment", "2024.1", "2024-01-01"));
  const std::vector<PolicyError> errors = set.Validate();
  ASSERT_EQ(errors.size(), 1u) << Dump(errors);
  EXPECT_EQ(errors[0].file, "commitment-2024.1.xml");
  EXPECT_NE(errors[0].message.find("overlaps"), std::string::npos);
  EXPECT_NE(errors[0].message.find("commitment-2019.1.xml:2"), std::string::npos);
  EXPECT_NE(errors[0].message.find("commitment-2024.1.xml:2"), std::string::npos);
}

TEST(PolicySetTest, ValidateReportsDuplicateVersionsAndReversedRanges) {
  PolicySet set;
  set.Add(MakePolicy("commitment", "2024.1", "2024-01-01"));
  Policy dup = MakePolicy("commitment", "2024.1", "2030-01-01");
  dup.file = "copy.xml";
  set.Add(dup);
  set.Add(MakePolicy("other", "1", "2024-01-01", PolDay("2023-01-01")));
  const std::vector<PolicyError> errors = set.Validate();
  EXPECT_TRUE(HasError(errors, "copy.xml", 2, "duplicate version 2024.1")) << Dump(errors);
  EXPECT_TRUE(HasError(errors, "other-1.xml", 2, "before it starts")) << Dump(errors);
}

// A verification rule must name a type of the catalogue in force on the
// rule policy's effective date.
TEST(PolicySetTest, ValidateReportsUnknownCommitmentType) {
  PolicySet set;
  Policy catalogue = MakePolicy("commitment", "1", "2019-01-01");
  catalogue.Section<policies::CatalogueSection>().types.push_back(MakeType("food_business_permit"));
  set.Add(catalogue);
  Policy rules = MakePolicy("commitment-verification", "1", "2019-01-01");
  rules.Section<policies::VerificationSection>().rules.push_back(MakeRule("food_business_permit", 7));
  rules.Section<policies::VerificationSection>().rules.push_back(MakeRule("xyz", 12));
  set.Add(rules);
  const std::vector<PolicyError> errors = set.Validate();
  ASSERT_EQ(errors.size(), 1u) << Dump(errors);
  EXPECT_TRUE(HasError(errors, "commitment-verification-1.xml", 12, "unknown commitment type 'xyz'")) << Dump(errors);
}

// A verification rule policy needs a commitment catalogue in force on its own
// effective date; one that starts later does not count.
TEST(PolicySetTest, ValidateReportsMissingCatalogue) {
  PolicySet set;
  Policy catalogue = MakePolicy("commitment", "1", "2024-01-01");
  catalogue.Section<policies::CatalogueSection>().types.push_back(MakeType("food_business_permit"));
  set.Add(catalogue);
  Policy rules = MakePolicy("commitment-verification", "1", "2019-01-01");
  rules.Section<policies::VerificationSection>().rules.push_back(MakeRule("food_business_permit", 7));
  set.Add(rules);
  const std::vector<PolicyError> errors = set.Validate();
  EXPECT_TRUE(
      HasError(errors, "commitment-verification-1.xml", 2, "no 'commitment' catalogue policy in force on 2019-01-01"))
      << Dump(errors);
}

// Each type is a permit or a declaration, decided on signing or after
// publication; only the latter has a publication period and an application
// window, and it must have both; ids are unique; an exclusion names a record
// kind or a status; a status is refused once.
TEST(PolicySetTest, ValidateChecksKindDecisionAndPublication) {
  PolicySet set;
  Policy catalogue = MakePolicy("commitment", "1", "2019-01-01");
  catalogue.Section<policies::CatalogueSection>().types.push_back(MakeType("a", "licence"));
  catalogue.Section<policies::CatalogueSection>().types.push_back(MakeType("b", "permit", "whenever"));
  catalogue.Section<policies::CatalogueSection>().types.push_back(MakeType("c", "declaration", "after_publication"));
  CommitmentType ok = MakeType("d", "declaration", "after_publication");
  ok.publication = SourcedPeriod{Period{20, Period::Unit::kCalendarDays}, false, "art 48"};
  ok.application_window = SourcedPeriod{Period{20, Period::Unit::kCalendarDays}, true, "art 33; art 203"};
  catalogue.Section<policies::CatalogueSection>().types.push_back(ok);
  CommitmentType signing_with_publication = MakeType("e");
  signing_with_publication.publication = ok.publication;
  catalogue.Section<policies::CatalogueSection>().types.push_back(signing_with_publication);
  catalogue.Section<policies::CatalogueSection>().types.push_back(MakeType("a"));
  CommitmentType signing_with_window = MakeType("f");
  signing_with_window.application_window = ok.application_window;
  catalogue.Section<policies::CatalogueSection>().types.push_back(signing_with_window);
  CommitmentType bad_exclusion = MakeType("g");
  bad_exclusion.exclusions.push_back(policies::ItemExclusion{"abnormal_list", "revoked", "x", "src", 12});
  bad_exclusion.exclusions.push_back(policies::ItemExclusion{"", "", "y", "src", 13});
  bad_exclusion.exclusions.push_back(policies::ItemExclusion{"serious_list", "", "in_serious_list", "src", 14});
  catalogue.Section<policies::CatalogueSection>().types.push_back(bad_exclusion);
  catalogue.Section<policies::CatalogueSection>().filing.refusals = {{"revoked", "subject_revoked", "src", 20},
                                                                     {"revoked", "subject_revoked", "src", 21}};
  set.Add(catalogue);
  const std::vector<PolicyError> errors = set.Validate();
  EXPECT_EQ(errors.size(), 10u) << Dump(errors);
  EXPECT_TRUE(HasError(errors, "commitment-1.xml", 10, "'c' decides after_publication but has no application window"))
      << Dump(errors);
  EXPECT_TRUE(HasError(errors, "commitment-1.xml", 10, "'f' has an application window but is not decided"))
      << Dump(errors);
  EXPECT_TRUE(HasError(errors, "commitment-1.xml", 12, "must name a record or a status, not both")) << Dump(errors);
  EXPECT_TRUE(HasError(errors, "commitment-1.xml", 13, "must name a record or a status, not both")) << Dump(errors);
  EXPECT_TRUE(HasError(errors, "commitment-1.xml", 21, "status 'revoked' is refused twice")) << Dump(errors);
  EXPECT_TRUE(HasError(errors, "commitment-1.xml", 10, "'a' has kind 'licence'")) << Dump(errors);
  EXPECT_TRUE(HasError(errors, "commitment-1.xml", 10, "'b' has decision 'whenever'")) << Dump(errors);
  EXPECT_TRUE(HasError(errors, "commitment-1.xml", 10, "'c' decides after_publication but has no publication"))
      << Dump(errors);
  EXPECT_TRUE(HasError(errors, "commitment-1.xml", 10, "'e' decides on_signing but has a publication")) << Dump(errors);
  EXPECT_TRUE(HasError(errors, "commitment-1.xml", 10, "duplicate commitment type 'a'")) << Dump(errors);
}

}  // namespace
}  // namespace credflow::policies
