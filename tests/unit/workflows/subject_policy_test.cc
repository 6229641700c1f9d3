// The risk-classification policy the subject workflow pins: the shipped file
// lists grades A-D and the five subject statuses with their sources, and the
// loader stays strict about <risk-grade> and <subject-status> (unknown
// attributes or children, a missing source, duplicates: file:line errors).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "adapters/xml/policy_loader.h"
#include "policies/catalogue.h"
#include "policies/subject_vocabulary.h"
#include "policies/verification_rules.h"
#include "tests/support/shipped_rules.h"
#include "workflows/subject/subject_workflow.h"

namespace credflow::workflows::subject {
namespace {

namespace fs = std::filesystem;
using policies::Date;

std::string Dump(const std::vector<policies::PolicyError>& errors) {
  std::string out;
  for (const auto& e : errors) out += e.ToString() + "\n";
  return out;
}

// A policy folder of its own, removed at the end of the test.
class PolicyDir {
 public:
  PolicyDir() {
    std::random_device seed;
    path_ = fs::temp_directory_path() / ("credflow-subject-policy-" + std::to_string(seed()));
    fs::create_directories(path_);
  }
  ~PolicyDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  // Writes risk.xml whose line 3 is `body_line` (lines 1-2 the header).
  std::string Write(const std::vector<std::string>& body) {
    std::ofstream out(path_ / "risk.xml");
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        << "<policy id=\"risk-classification\" version=\"1\" title=\"t\" authority=\"a\" "
           "effective-from=\"2019-01-01\" source=\"s\">\n";
    for (const std::string& line : body) out << line << "\n";
    out << "</policy>\n";
    return (path_ / "risk.xml").string();
  }
  std::string path() const { return path_.string(); }

 private:
  fs::path path_;
};

// Every entry carries its name and legal source, and lookups find only the
// listed values (no grade E, no status closed).
TEST(SubjectPolicyTest, ShippedPolicyListsTheFourGradesAndSixStatuses) {
  const policies::Policy* p = testing::ShippedRules().policies.Select(kPolicyId, Date::FromYmd(2025, 3, 3));
  ASSERT_NE(p, nullptr);
  ASSERT_EQ(p->Find<policies::SubjectVocabularySection>()->risk_grades.size(), 4u);
  const std::pair<const char*, const char*> grades[] = {
      {"A", "信用风险低"}, {"B", "信用风险一般"}, {"C", "信用风险较高"}, {"D", "信用风险高"}};
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(p->Find<policies::SubjectVocabularySection>()->risk_grades[i].value, grades[i].first);
    EXPECT_EQ(p->Find<policies::SubjectVocabularySection>()->risk_grades[i].name, grades[i].second);
    EXPECT_NE(p->Find<policies::SubjectVocabularySection>()->risk_grades[i].source.find("国市监信发〔2022〕6号"),
              std::string::npos);
    EXPECT_GT(p->Find<policies::SubjectVocabularySection>()->risk_grades[i].line, 0);
  }
  std::vector<std::string> statuses;
  for (const auto& s : p->Find<policies::SubjectVocabularySection>()->subject_statuses) {
    statuses.push_back(s.value);
    EXPECT_FALSE(s.name.empty());
    EXPECT_FALSE(s.source.empty());
  }
  EXPECT_EQ(statuses, (std::vector<std::string>{"operating", "not_operating", "unreachable", "deregistered", "revoked",
                                                "bankrupt"}));
  EXPECT_NE(policies::FindRiskGrade(*p, "C"), nullptr);
  EXPECT_EQ(policies::FindRiskGrade(*p, "E"), nullptr);
  EXPECT_NE(policies::FindSubjectStatus(*p, "bankrupt"), nullptr);
  EXPECT_EQ(policies::FindSubjectStatus(*p, "revoked")->name, "被吊销营业执照");
  EXPECT_EQ(policies::FindSubjectStatus(*p, "closed"), nullptr);
}

// The sampling grades of the verification policy are the classification's.
TEST(SubjectPolicyTest, SamplingGradesAreClassificationGrades) {
  const auto& set = testing::ShippedRules().policies;
  const policies::Policy* classification = set.Select(kPolicyId, Date::FromYmd(2025, 3, 3));
  const policies::Policy* verification = set.Select("commitment-verification", Date::FromYmd(2025, 3, 3));
  ASSERT_NE(classification, nullptr);
  ASSERT_NE(verification, nullptr);
  ASSERT_TRUE(verification->Find<policies::VerificationSection>()->sampling.has_value());
  for (const auto& g : verification->Find<policies::VerificationSection>()->sampling->grades) {
    EXPECT_NE(policies::FindRiskGrade(*classification, g.grade), nullptr) << g.grade;
  }
}

TEST(SubjectPolicyTest, LoaderReadsGradesAndStatuses) {
  PolicyDir dir;
  dir.Write({R"(  <risk-grade value="A" name="低" source="6号"/>)",
             R"(  <subject-status value="operating" name="正常经营" source="s"/>)"});
  auto result = adapters::LoadPolicyDirectory(dir.path());
  ASSERT_TRUE(result.errors.empty()) << Dump(result.errors);
  const policies::Policy* p = result.set.Select("risk-classification", Date::FromYmd(2025, 1, 1));
  ASSERT_NE(p, nullptr);
  ASSERT_EQ(p->Find<policies::SubjectVocabularySection>()->risk_grades.size(), 1u);
  EXPECT_EQ(p->Find<policies::SubjectVocabularySection>()->risk_grades[0].line, 3);
  EXPECT_EQ(p->Find<policies::SubjectVocabularySection>()->risk_grades[0].source, "6号");
  ASSERT_EQ(p->Find<policies::SubjectVocabularySection>()->subject_statuses.size(), 1u);
  EXPECT_EQ(p->Find<policies::SubjectVocabularySection>()->subject_statuses[0].line, 4);
}

TEST(SubjectPolicyTest, LoaderRejectsUnknownAttributesChildrenAndMissingSources) {
  PolicyDir dir;
  const std::string file = dir.Write({
      R"(  <risk-grade value="A" name="低" source="s" ratio="0.05"/>)",
      R"(  <risk-grade value="B" name="一般"/>)",
      R"(  <subject-status value="operating" name="n" source="s"><note/></subject-status>)",
      R"(  <subject-status value="" name="n" source="s"/>)",
      R"(  <risk-class value="C" name="n" source="s"/>)",
  });
  auto result = adapters::LoadPolicyDirectory(dir.path());
  const std::string errors = Dump(result.errors);
  EXPECT_NE(errors.find(file + ":3: element <risk-grade> has unknown attribute 'ratio'"), std::string::npos) << errors;
  EXPECT_NE(errors.find(file + ":4: element <risk-grade> lacks attribute 'source'"), std::string::npos) << errors;
  EXPECT_NE(errors.find(file + ":5: unexpected element <note> in <subject-status>"), std::string::npos) << errors;
  EXPECT_NE(errors.find(file + ":6: element <subject-status> has an empty attribute 'value'"), std::string::npos)
      << errors;
  EXPECT_NE(errors.find(file + ":7: unexpected element <risk-class> in <policy>"), std::string::npos) << errors;
  EXPECT_EQ(result.errors.size(), 5u) << errors;
  const policies::Policy* p = result.set.Select("risk-classification", Date::FromYmd(2025, 1, 1));
  ASSERT_NE(p, nullptr);
  EXPECT_TRUE(p->Find<policies::SubjectVocabularySection>()->risk_grades.empty()) << "broken entries are left out";
  EXPECT_TRUE(p->Find<policies::SubjectVocabularySection>()->subject_statuses.empty());
}

TEST(SubjectPolicyTest, DuplicateGradesAndStatusesAreErrors) {
  PolicyDir dir;
  const std::string file = dir.Write({
      R"(  <risk-grade value="A" name="低" source="s"/>)",
      R"(  <risk-grade value="A" name="又低" source="s"/>)",
      R"(  <subject-status value="bankrupt" name="破产" source="s"/>)",
      R"(  <subject-status value="bankrupt" name="已破产" source="s"/>)",
  });
  auto result = adapters::LoadPolicyDirectory(dir.path());
  const std::string errors = Dump(result.errors);
  ASSERT_EQ(result.errors.size(), 2u) << errors;
  EXPECT_EQ(result.errors[0].ToString(), file + ":4: risk grade 'A' is also defined at line 3");
  EXPECT_EQ(result.errors[1].ToString(), file + ":6: subject status 'bankrupt' is also defined at line 5");
}

}  // namespace
}  // namespace credflow::workflows::subject
