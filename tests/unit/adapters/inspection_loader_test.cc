// The inspection-plan policy (双随机、一公开): the shipped file loads with
// every number sourced, and a broken one is reported with its file and line.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "adapters/xml/policy_loader.h"
#include "policies/inspection_rules.h"
#include "policies/verification_rules.h"
#include "tests/support/paths.h"

namespace credflow::adapters {
namespace {

namespace fs = std::filesystem;
using policies::Date;
using policies::PolicyError;

std::string Dump(const std::vector<PolicyError>& errors) {
  std::string out;
  for (const PolicyError& e : errors) out += e.ToString() + "\n";
  return out;
}

// The shipped inspection policy: the ratios, limits and joint inspections
// domain.md 4.1 and the brief ask for, each with its source.
TEST(ShippedInspectionPolicyTest, LoadsWithEveryNumberSourced) {
  const PolicyLoadResult r = LoadPolicyDirectory((credflow::testing::SourceDir() + "/policies/definitions"));
  ASSERT_TRUE(r.errors.empty()) << Dump(r.errors);
  const policies::Policy* p = r.set.Select(policies::kInspectionPolicyId, Date::FromYmd(2026, 1, 1));
  ASSERT_NE(p, nullptr);
  const policies::InspectionSection* s = p->Find<policies::InspectionSection>();
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->cycle, "year");
  EXPECT_EQ(s->default_grade, "B");
  EXPECT_EQ(s->department, "market-regulation");
  EXPECT_EQ(s->screened_statuses, (std::vector<std::string>{"deregistered", "revoked", "bankrupt"}));
  EXPECT_FALSE(s->screen_out_source.empty());
  const std::vector<std::pair<std::string, double>> ratios = {{"A", 0.05}, {"B", 0.20}, {"C", 0.60}, {"D", 0.80}};
  for (const auto& [grade, ratio] : ratios) {
    const policies::GradeSampling* g = s->Find(grade);
    ASSERT_NE(g, nullptr) << grade;
    EXPECT_DOUBLE_EQ(g->ratio, ratio) << grade;
    EXPECT_EQ(g->draw, "quota") << grade;
    EXPECT_FALSE(g->source.empty()) << grade;
  }
  // 无事不扰: grade A at most once a cycle; grade D unbounded.
  EXPECT_EQ(s->Find("A")->max_per_cycle, 1);
  EXPECT_EQ(s->Find("D")->max_per_cycle, std::nullopt);
  // A subject's ratio is one number across the office: the verification
  // sampling uses the same bands.
  const policies::Policy* v = r.set.Select("commitment-verification", Date::FromYmd(2026, 1, 1));
  ASSERT_NE(v, nullptr);
  for (const auto& [grade, ratio] : ratios) {
    EXPECT_DOUBLE_EQ(v->Find<policies::VerificationSection>()->sampling->Find(grade)->ratio, ratio) << grade;
  }
  const policies::JointInspection* joint = s->JointFor("D");
  ASSERT_NE(joint, nullptr);
  EXPECT_EQ(joint->id, "market-tax-hr");
  EXPECT_EQ(joint->departments, (std::vector<std::string>{"market-regulation", "tax", "human-resources"}));
  EXPECT_FALSE(joint->source.empty());
  EXPECT_EQ(s->JointFor("A"), nullptr);
  ASSERT_NE(s->FindJoint("market-fire"), nullptr);
  EXPECT_TRUE(s->FindJoint("market-fire")->grades.empty());
}

class InspectionLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("credflow-inspection-loader-" + std::string(info->name()) + "-" + std::to_string(std::random_device{}()));
    fs::create_directories(dir_);
    // The screened statuses are checked against the subject vocabulary.
    fs::copy_file((credflow::testing::SourceDir() + "/policies/definitions/risk-classification.xml"),
                  dir_ / "risk-classification.xml");
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // An inspection policy whose body is `body`, one element a line from line 3.
  std::string Write(const std::vector<std::string>& body) {
    std::ostringstream out;
    out << R"(<?xml version="1.0" encoding="UTF-8"?>)"
        << "\n"
        << R"(<policy id="inspection-plan" version="1" title="t" authority="a" effective-from="2019-01-01" source="s">)"
        << "\n";
    for (const std::string& line : body) out << line << "\n";
    out << "</policy>\n";
    file_ = (dir_ / "inspection-plan.xml").string();
    std::ofstream(file_, std::ios::binary) << out.str();
    return file_;
  }

  // A valid plan: <inspection-plan> on line 3, grades A-D on lines 4-7,
  // <screen-out> on line 8, the closing tag on line 9.
  static std::vector<std::string> Plan(
      const std::string& plan_attributes = R"(cycle="year")",
      const std::string& d_grade = R"(<grade value="D" ratio="0.8" source="s"/>)",
      const std::string& screen_out = R"(<screen-out statuses="deregistered revoked bankrupt" source="s"/>)") {
    return {
        R"(  <inspection-plan )" + plan_attributes + R"( default-grade="B" department="market-regulation" source="s">)",
        R"(    <grade value="A" ratio="0.05" draw="quota" max-per-cycle="1" source="s"/>)",
        R"(    <grade value="B" ratio="0.2" draw="quota" source="s"/>)",
        R"(    <grade value="C" ratio="0.6" draw="independent" source="s"/>)",
        "    " + d_grade,
        "    " + screen_out,
        R"(  </inspection-plan>)"};
  }

  std::vector<PolicyError> Load() { return LoadPolicyDirectory(dir_.string()).errors; }

  // Whether an error names the file, the line and `text`.
  bool Has(const std::vector<PolicyError>& errors, int line, const std::string& text) const {
    return std::any_of(errors.begin(), errors.end(), [&](const PolicyError& e) {
      return e.file == file_ && e.line == line && e.message.find(text) != std::string::npos;
    });
  }

  fs::path dir_;
  std::string file_;
};

// The valid base loads cleanly (so each test below fails for its own fault).
TEST_F(InspectionLoaderTest, AValidPlanLoads) {
  Write(Plan());
  const PolicyLoadResult r = LoadPolicyDirectory(dir_.string());
  ASSERT_TRUE(r.errors.empty()) << Dump(r.errors);
  const policies::InspectionSection* s =
      r.set.Select("inspection-plan", Date::FromYmd(2026, 1, 1))->Find<policies::InspectionSection>();
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->Find("C")->draw, "independent");
  EXPECT_EQ(s->Find("B")->draw, "quota");
  EXPECT_EQ(s->line, 3);
}

TEST_F(InspectionLoaderTest, AnUnknownCycleIsReportedOnThePlan) {
  Write(Plan(R"(cycle="month")"));
  const auto errors = Load();
  EXPECT_TRUE(Has(errors, 3, "inspection cycle 'month' (expected year or quarter)")) << Dump(errors);
}

TEST_F(InspectionLoaderTest, AMissingGradeIsReportedOnThePlan) {
  std::vector<std::string> body = Plan();
  body.erase(body.begin() + 4);  // grade D
  Write(body);
  const auto errors = Load();
  EXPECT_TRUE(Has(errors, 3, "sampling gives no ratio for grade D")) << Dump(errors);
}

TEST_F(InspectionLoaderTest, ABadRatioIsReportedOnItsGrade) {
  Write(Plan(R"(cycle="year")", R"(<grade value="D" ratio="most" source="s"/>)"));
  auto errors = Load();
  EXPECT_TRUE(Has(errors, 7, "attribute 'ratio' of <grade> is 'most'")) << Dump(errors);
  Write(Plan(R"(cycle="year")", R"(<grade value="D" ratio="1.5" source="s"/>)"));
  errors = Load();
  EXPECT_TRUE(Has(errors, 7, "sampling ratio of grade D must lie in [0, 1]")) << Dump(errors);
  Write(Plan(R"(cycle="year")", R"(<grade value="D" ratio="0.8" draw="sometimes" source="s"/>)"));
  errors = Load();
  EXPECT_TRUE(Has(errors, 7, "draw 'sometimes' of grade D")) << Dump(errors);
}

// Regulatory numbers carry the rule they come from.
TEST_F(InspectionLoaderTest, AGradeWithoutSourceIsRefused) {
  Write(Plan(R"(cycle="year")", R"(<grade value="D" ratio="0.8"/>)"));
  const auto errors = Load();
  EXPECT_TRUE(Has(errors, 7, "lacks attribute 'source'")) << Dump(errors);
}

TEST_F(InspectionLoaderTest, AScreenedStatusMustBeASubjectStatus) {
  Write(Plan(R"(cycle="year")", R"(<grade value="D" ratio="0.8" source="s"/>)",
             R"(<screen-out statuses="deregistered gone" source="s"/>)"));
  const auto errors = Load();
  EXPECT_TRUE(Has(errors, 3, "status 'gone' is not a subject status")) << Dump(errors);
}

TEST_F(InspectionLoaderTest, AnUnexpectedElementAndASecondPlanAreReported) {
  std::vector<std::string> body = Plan();
  body.insert(body.begin() + 1, R"(    <ratio value="A"/>)");  // line 4
  const std::vector<std::string> again = Plan();
  body.insert(body.end(), again.begin(), again.end());  // a second plan on line 11
  Write(body);
  const auto errors = Load();
  EXPECT_TRUE(Has(errors, 4, "unexpected element <ratio> in <inspection-plan>")) << Dump(errors);
  EXPECT_TRUE(Has(errors, 11, "a policy has at most one <inspection-plan>")) << Dump(errors);
}

TEST_F(InspectionLoaderTest, ADepartmentMustBeAnId) {
  std::vector<std::string> body = Plan();
  body[0] = R"(  <inspection-plan cycle="year" default-grade="B" department="Market Regulation" source="s">)";
  Write(body);
  const auto errors = Load();
  EXPECT_TRUE(Has(errors, 3, "department 'Market Regulation' is not a department id")) << Dump(errors);
}

// A joint inspection shares one visit between at least two departments, and
// a grade is visited jointly by at most one of them.
TEST_F(InspectionLoaderTest, JointInspectionsAreChecked) {
  std::vector<std::string> body = Plan();
  body.push_back(R"(  <joint-inspection id="solo" name="n" departments="tax" source="s"/>)");                 // 10
  body.push_back(R"(  <joint-inspection id="a" name="n" departments="tax tax" grades="D" source="s"/>)");     // 11
  body.push_back(R"(  <joint-inspection id="a" name="n" departments="tax fire" grades="D E" source="s"/>)");  // 12
  body.push_back(R"(  <joint-inspection id="b" name="n" departments="tax fire"/>)");                          // 13
  Write(body);
  const auto errors = Load();
  EXPECT_TRUE(Has(errors, 10, "joint inspection 'solo' names fewer than two departments")) << Dump(errors);
  EXPECT_TRUE(Has(errors, 11, "department 'tax' is named twice")) << Dump(errors);
  EXPECT_TRUE(Has(errors, 12, "joint inspection 'a' is given twice")) << Dump(errors);
  EXPECT_TRUE(Has(errors, 12, "grade D is visited jointly by more than one joint inspection")) << Dump(errors);
  EXPECT_TRUE(Has(errors, 12, "names grade 'E' with no ratio")) << Dump(errors);
  EXPECT_TRUE(Has(errors, 13, "lacks attribute 'source'")) << Dump(errors);
}

TEST_F(InspectionLoaderTest, AJointInspectionWithoutAPlanIsReported) {
  Write({R"(  <joint-inspection id="a" name="n" departments="tax fire" source="s"/>)"});
  const auto errors = Load();
  EXPECT_TRUE(Has(errors, 2, "has <joint-inspection> but no <inspection-plan>")) << Dump(errors);
}

}  // namespace
}  // namespace credflow::adapters
