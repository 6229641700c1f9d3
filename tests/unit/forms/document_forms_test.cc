// The two document forms beside the commitment letters: the verification
// report the inspector files, and the rectification order a false-commitment
// case prints. Both load cleanly, declare the fields the workflows rely on,
// and render without a placeholder left over.
#include <map>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "adapters/xml/form_loader.h"
#include "forms/form.h"
#include "tests/support/paths.h"

namespace credflow::forms {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

class DocumentFormsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    result_ = new adapters::FormLoadResult(
        adapters::LoadFormDirectory((credflow::testing::SourceDir() + "/forms/definitions")));
  }
  static void TearDownTestSuite() {
    delete result_;
    result_ = nullptr;
  }
  static const FormDefinition& Form(const std::string& id) {
    const FormDefinition* form = result_->registry.Find(id);
    if (form == nullptr) ADD_FAILURE() << "form " << id << " not loaded";
    static const FormDefinition kEmpty;
    return form ? *form : kEmpty;
  }
  static std::vector<std::string> OptionValues(const FieldDefinition& field) {
    std::vector<std::string> values;
    for (const FieldOption& o : field.options) values.push_back(o.value);
    return values;
  }

  static adapters::FormLoadResult* result_;
};
adapters::FormLoadResult* DocumentFormsTest::result_ = nullptr;

TEST_F(DocumentFormsTest, BothLoadWithoutErrors) {
  std::string messages;
  for (const auto& e : result_->errors) messages += e.ToString() + "\n";
  EXPECT_THAT(result_->errors, IsEmpty()) << messages;
  EXPECT_NE(result_->registry.Find("verification_report"), nullptr);
  EXPECT_NE(result_->registry.Find("rectification_order"), nullptr);
}

// The fields the verification workflow reads from a filed report.
TEST_F(DocumentFormsTest, VerificationReportFields) {
  const FormDefinition& form = Form("verification_report");
  EXPECT_EQ(form.title, "告知承诺核查报告");
  EXPECT_FALSE(form.source.empty());
  const FieldDefinition* result = form.FindField("result");
  ASSERT_NE(result, nullptr);
  EXPECT_EQ(result->type, FieldType::kEnum);
  EXPECT_TRUE(result->required);
  EXPECT_EQ(OptionValues(*result), (std::vector<std::string>{"conforming", "nonconforming"}));
  const FieldDefinition* method = form.FindField("method");
  ASSERT_NE(method, nullptr);
  EXPECT_EQ(method->type, FieldType::kEnum);
  EXPECT_EQ(OptionValues(*method), (std::vector<std::string>{"data_check", "document_check", "on_site"}));
  for (const auto& [name, type] : std::map<std::string, FieldType>{{"findings", FieldType::kText},
                                                                   {"inspector", FieldType::kString},
                                                                   {"verified_on", FieldType::kDate},
                                                                   {"rectification_days", FieldType::kInteger}}) {
    const FieldDefinition* field = form.FindField(name);
    ASSERT_NE(field, nullptr) << name;
    EXPECT_EQ(field->type, type) << name;
    EXPECT_FALSE(field->required) << name;
  }
  const FieldDefinition* days = form.FindField("rectification_days");
  ASSERT_NE(days, nullptr);
  EXPECT_EQ(days->min, 1.0);
  EXPECT_EQ(days->max, 365.0);
}

// Only the result is required and it must be an option; rectification_days is
// a whole number of days from 1 to 365.
TEST_F(DocumentFormsTest, VerificationReportValidation) {
  const FormDefinition& form = Form("verification_report");
  const FormData nonconforming = {
      {"result", std::string("nonconforming")},   {"findings", std::string("no cold storage")},
      {"method", std::string("on_site")},         {"inspector", std::string("王强")},
      {"verified_on", std::string("2025-04-10")}, {"rectification_days", int64_t{15}}};
  EXPECT_THAT(Validate(form, nonconforming), IsEmpty());
  EXPECT_THAT(Validate(form, {{"result", std::string("conforming")}}), IsEmpty());

  ASSERT_EQ(Validate(form, {}).size(), 1u);
  EXPECT_EQ(Validate(form, {})[0].code, "required");
  ASSERT_EQ(Validate(form, {{"result", std::string("maybe")}}).size(), 1u);
  EXPECT_EQ(Validate(form, {{"result", std::string("maybe")}})[0].code, "not_an_option");
  for (int64_t days : {int64_t{0}, int64_t{366}}) {
    FormData out_of_range = nonconforming;
    out_of_range["rectification_days"] = days;
    const std::vector<FieldError> errors = Validate(form, out_of_range);
    ASSERT_EQ(errors.size(), 1u) << days;
    EXPECT_EQ(errors[0].field, "rectification_days");
    EXPECT_EQ(errors[0].code, "out_of_range");
  }
  FormData fractional = nonconforming;
  fractional["rectification_days"] = 15.5;
  ASSERT_EQ(Validate(form, fractional).size(), 1u);
  EXPECT_EQ(Validate(form, fractional)[0].code, "wrong_type");
}

// A report renders with option labels rather than values, the engine-supplied
// names, and no placeholder left over.
TEST_F(DocumentFormsTest, VerificationReportRenders) {
  const std::string text = RenderLetter(Form("verification_report"),
                                        {{"result", std::string("nonconforming")},
                                         {"findings", std::string("no cold storage")},
                                         {"method", std::string("on_site")},
                                         {"rectification_days", int64_t{15}}},
                                        {{"subject", "91320500L968FMY61Q"},
                                         {"commitment_type_name", "食品经营许可"},
                                         {"authority", "市场监督管理部门"},
                                         {"case_id", "v-1"}});
  EXPECT_THAT(text, HasSubstr("核查报告"));
  EXPECT_THAT(text, HasSubstr("与承诺不符"));  // the option's label
  EXPECT_THAT(text, HasSubstr("现场核查"));
  EXPECT_THAT(text, HasSubstr("no cold storage"));
  EXPECT_THAT(text, HasSubstr("食品经营许可"));
  EXPECT_THAT(text, HasSubstr("15"));
  EXPECT_THAT(text, Not(HasSubstr("{")));
}

// The order's fields; the item name is engine-supplied, not a field.
TEST_F(DocumentFormsTest, RectificationOrderFields) {
  const FormDefinition& form = Form("rectification_order");
  EXPECT_EQ(form.title, "责令整改通知书");
  for (const auto& [name, type] : std::map<std::string, FieldType>{{"applicant_name", FieldType::kString},
                                                                   {"findings", FieldType::kText},
                                                                   {"deadline", FieldType::kDate},
                                                                   {"legal_basis", FieldType::kText}}) {
    const FieldDefinition* field = form.FindField(name);
    ASSERT_NE(field, nullptr) << name;
    EXPECT_EQ(field->type, type) << name;
    EXPECT_TRUE(field->required) << name;
  }
  EXPECT_EQ(form.FindField("commitment_type_name"), nullptr);
  for (const char* placeholder : {"{applicant_name}", "{subject}", "{commitment_type_name}", "{findings}",
                                  "{legal_basis}", "{deadline}", "{authority}", "{date}"}) {
    EXPECT_THAT(form.letter, HasSubstr(placeholder));
  }
}

// The letter: to the applicant, the unmet commitment, the findings, the legal
// basis, rectify by the deadline, the matter suspended, the consequences.
TEST_F(DocumentFormsTest, RectificationOrderRenders) {
  const FormData fields = {
      {"applicant_name", std::string("苏州禾丰餐饮管理有限公司")},
      {"findings", std::string("no cold storage")},
      {"deadline", std::string("2025-04-25")},
      {"legal_basis", std::string("消防法 art 15 (2021) (V); 深圳经济特区社会信用条例 art 64(2)")}};
  EXPECT_THAT(Validate(Form("rectification_order"), fields), IsEmpty());
  const std::string text = RenderLetter(Form("rectification_order"), fields,
                                        {{"subject", "91320500L968FMY61Q"},
                                         {"commitment_type_name", "食品经营许可"},
                                         {"authority", "苏州市姑苏区市场监督管理局"},
                                         {"date", "2025-04-10"},
                                         {"case_id", "fc-1"}});
  EXPECT_THAT(text, HasSubstr("苏州禾丰餐饮管理有限公司（统一社会信用代码：91320500L968FMY61Q）"));
  EXPECT_THAT(text, HasSubstr("“食品经营许可”"));
  EXPECT_THAT(text, HasSubstr("承诺不符"));
  EXPECT_THAT(text, HasSubstr("no cold storage"));
  EXPECT_THAT(text, HasSubstr("依据消防法 art 15 (2021) (V); 深圳经济特区社会信用条例 art 64(2)的规定"));
  EXPECT_THAT(text, HasSubstr("于2025-04-25前"));
  EXPECT_THAT(text, HasSubstr("中止办理"));
  EXPECT_THAT(text, HasSubstr("撤销"));
  EXPECT_THAT(text, HasSubstr("记入信用记录"));
  EXPECT_THAT(text, HasSubstr("行政处罚"));
  EXPECT_THAT(text, HasSubstr("苏州市姑苏区市场监督管理局\n2025-04-10"));
  EXPECT_THAT(text, Not(HasSubstr("{")));
}

}  // namespace
}  // namespace credflow::forms
