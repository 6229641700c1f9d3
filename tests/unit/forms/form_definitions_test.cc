// Tests for the shipped commitment-letter forms in forms/definitions: all 15
// load without error, share the common fields and the liability clause, and
// accept exactly the forms the shared scenarios file.
#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "adapters/xml/form_loader.h"
#include "forms/form.h"
#include "tests/support/paths.h"

namespace credflow::forms {
namespace {

using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

const std::vector<std::string>& CommitmentTypeIds() {
  static const std::vector<std::string> kIds = {
      // permit
      "food_business_permit", "fire_safety_venue_opening", "industrial_product_production_permit",
      "inspection_body_accreditation", "outdoor_advertising_permit", "food_small_workshop_registration",
      // declaration
      "simplified_deregistration", "registered_address_declaration", "annual_report_truthfulness",
      "enterprise_name_self_declaration", "no_criminal_record_proof_substitute", "social_security_proof_substitute",
      "no_tax_arrears_proof_substitute", "voluntary_public_commitment", "industry_self_discipline_commitment"};
  return kIds;
}

class ShippedFormsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    result_ = new adapters::FormLoadResult(
        adapters::LoadFormDirectory((credflow::testing::SourceDir() + "/forms/definitions")));
  }
  static void TearDownTestSuite() {
    delete result_;
    result_ = nullptr;
  }
  static const FormRegistry& registry() { return result_->registry; }
  static const FormDefinition& Form(const std::string& id) {
    const FormDefinition* form = registry().Find(id);
    if (form == nullptr) ADD_FAILURE() << "form " << id << " not loaded";
    static const FormDefinition kEmpty;
    return form ? *form : kEmpty;
  }

  static adapters::FormLoadResult* result_;
};
adapters::FormLoadResult* ShippedFormsTest::result_ = nullptr;

std::string Messages(const std::vector<adapters::FormLoadError>& errors) {
  std::string out;
  for (const auto& e : errors) out += e.ToString() + "\n";
  return out;
}

// Every definition loads cleanly, and there is one per commitment type.
// The fifteen commitment letters load, beside the other forms (verification
// report, rectification order, ...).
TEST_F(ShippedFormsTest, AllFifteenLoadWithoutErrors) {
  EXPECT_THAT(result_->errors, IsEmpty()) << Messages(result_->errors);
  for (const std::string& id : CommitmentTypeIds()) {
    EXPECT_NE(registry().Find(id), nullptr) << id;
  }
}

// Each letter has the common fields, names the subject and the authority,
// and carries the liability clause.
TEST_F(ShippedFormsTest, EveryFormHasCommonFieldsAndLiabilityClause) {
  for (const std::string& id : CommitmentTypeIds()) {
    SCOPED_TRACE(id);
    const FormDefinition& form = Form(id);
    for (const auto& [name, type] :
         {std::pair{"applicant_name", FieldType::kString}, std::pair{"legal_representative", FieldType::kString},
          std::pair{"signed_on", FieldType::kDate}}) {
      const FieldDefinition* field = form.FindField(name);
      ASSERT_NE(field, nullptr) << name;
      EXPECT_EQ(field->type, type) << name;
      EXPECT_TRUE(field->required) << name;
    }
    EXPECT_GT(form.fields.size(), 3u) << "no form-specific fields";
    EXPECT_FALSE(form.title.empty());
    EXPECT_FALSE(form.source.empty());
    EXPECT_THAT(form.letter, HasSubstr("{subject}"));
    EXPECT_THAT(form.letter, HasSubstr("{authority}"));
    EXPECT_THAT(form.letter, HasSubstr("{applicant_name}"));
    EXPECT_THAT(form.letter, HasSubstr("{legal_representative}"));
    EXPECT_THAT(form.letter, HasSubstr("{signed_on}"));
    EXPECT_THAT(form.letter, HasSubstr("如有不实"));
    EXPECT_THAT(form.letter, HasSubstr("承担相应法律责任"));
    EXPECT_THAT(form.letter, HasSubstr("记入信用记录"));
  }
}

// Scenario 19/20, C1: the food-business permit form.
FormData FoodPermitScenarioForm() {
  return {{"applicant_name", std::string("苏州禾丰餐饮管理有限公司")},
          {"legal_representative", std::string("周建华")},
          {"premises_address", std::string("苏州市姑苏区人民路1288号")},
          {"business_items", std::vector<std::string>{"prepackaged_food_sales", "bulk_food_sales"}},
          {"signed_on", std::string("2025-03-03")}};
}

// Scenario 20, C2: the fire-safety venue form (floor area as a JSON integer).
FormData FireSafetyScenarioForm() {
  return {{"applicant_name", std::string("苏州禾丰餐饮管理有限公司")},
          {"legal_representative", std::string("周建华")},
          {"venue_name", std::string("禾丰食府")},
          {"venue_address", std::string("苏州市姑苏区人民路1288号2楼")},
          {"floor_area_m2", int64_t{860}},
          {"signed_on", std::string("2025-06-01")}};
}

// Scenario 21: the simplified-deregistration all-investor undertaking.
FormData DeregistrationScenarioForm() {
  return {{"applicant_name", std::string("苏州恒越贸易有限公司")},
          {"legal_representative", std::string("陈立")},
          {"investors", std::vector<std::string>{"陈立", "王敏"}},
          {"no_outstanding_debts", true},
          {"signed_on", std::string("2025-07-01")}};
}

// The letters the shared scenarios file pass validation unchanged, so a
// tightened form definition cannot silently break the scenarios.
TEST_F(ShippedFormsTest, ScenarioFormsValidate) {
  EXPECT_THAT(Validate(Form("food_business_permit"), FoodPermitScenarioForm()), IsEmpty());
  EXPECT_THAT(Validate(Form("fire_safety_venue_opening"), FireSafetyScenarioForm()), IsEmpty());
  EXPECT_THAT(Validate(Form("simplified_deregistration"), DeregistrationScenarioForm()), IsEmpty());
}

// The constraints the scenarios rely on are declared as specified.
TEST_F(ShippedFormsTest, ScenarioFieldConstraints) {
  const FieldDefinition* items = Form("food_business_permit").FindField("business_items");
  ASSERT_NE(items, nullptr);
  EXPECT_EQ(items->type, FieldType::kEnumList);
  EXPECT_TRUE(items->required);
  std::vector<std::string> values;
  for (const FieldOption& option : items->options) {
    values.push_back(option.value);
    EXPECT_FALSE(option.label.empty());
  }
  for (const char* value : {"prepackaged_food_sales", "bulk_food_sales", "special_food_sales", "catering_services"}) {
    EXPECT_THAT(values, ::testing::Contains(value));
  }

  const FormDefinition& fire = Form("fire_safety_venue_opening");
  FormData negative = FireSafetyScenarioForm();
  negative["floor_area_m2"] = -1.0;
  const std::vector<FieldError> errors = Validate(fire, negative);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "floor_area_m2");
  EXPECT_EQ(errors[0].code, "out_of_range");
  FormData no_venue = FireSafetyScenarioForm();
  no_venue.erase("venue_name");
  no_venue.erase("venue_address");
  EXPECT_EQ(Validate(fire, no_venue).size(), 2u);

  const FormDefinition& dereg = Form("simplified_deregistration");
  FormData no_investors = DeregistrationScenarioForm();
  no_investors["investors"] = std::vector<std::string>{};
  ASSERT_EQ(Validate(dereg, no_investors).size(), 1u);
  EXPECT_EQ(Validate(dereg, no_investors)[0].code, "required");
  FormData debts_as_text = DeregistrationScenarioForm();
  debts_as_text["no_outstanding_debts"] = std::string("true");
  ASSERT_EQ(Validate(dereg, debts_as_text).size(), 1u);
  EXPECT_EQ(Validate(dereg, debts_as_text)[0].code, "wrong_type");
  // The undertaking declares the debts settled: a letter saying otherwise
  // contradicts itself, and is refused.
  FormData debts_open = DeregistrationScenarioForm();
  debts_open["no_outstanding_debts"] = false;
  ASSERT_EQ(Validate(dereg, debts_open).size(), 1u);
  EXPECT_EQ(Validate(dereg, debts_open)[0].code, "not_affirmed");
  EXPECT_EQ(Validate(dereg, debts_open)[0].field, "no_outstanding_debts");

  FormData unknown = FoodPermitScenarioForm();
  unknown["business_items"] = std::vector<std::string>{"fireworks"};
  ASSERT_EQ(Validate(Form("food_business_permit"), unknown).size(), 1u);
  EXPECT_EQ(Validate(Form("food_business_permit"), unknown)[0].code, "not_an_option");
}

// The rendered letter contains the applicant's values, option labels and the
// engine-supplied subject and authority, with no placeholder left over.
TEST_F(ShippedFormsTest, RenderedLettersContainTheValues) {
  const std::map<std::string, std::string> extra = {{"subject", "91320500L968FMY61Q"},
                                                    {"authority", "苏州市姑苏区市场监督管理局"}};
  const std::string food = RenderLetter(Form("food_business_permit"), FoodPermitScenarioForm(), extra);
  EXPECT_THAT(food, HasSubstr("苏州禾丰餐饮管理有限公司"));
  EXPECT_THAT(food, HasSubstr("周建华"));
  EXPECT_THAT(food, HasSubstr("苏州市姑苏区人民路1288号"));
  EXPECT_THAT(food, HasSubstr("预包装食品销售、散装食品销售"));
  EXPECT_THAT(food, HasSubstr("2025-03-03"));
  EXPECT_THAT(food, HasSubstr("91320500L968FMY61Q"));
  EXPECT_THAT(food, HasSubstr("苏州市姑苏区市场监督管理局"));
  EXPECT_THAT(food, Not(HasSubstr("{")));

  const std::string fire = RenderLetter(Form("fire_safety_venue_opening"), FireSafetyScenarioForm(), extra);
  EXPECT_THAT(fire, HasSubstr("禾丰食府"));
  EXPECT_THAT(fire, HasSubstr("860平方米"));
  EXPECT_THAT(fire, Not(HasSubstr("{")));

  const std::string dereg = RenderLetter(Form("simplified_deregistration"), DeregistrationScenarioForm(), extra);
  EXPECT_THAT(dereg, HasSubstr("陈立、王敏"));
  EXPECT_THAT(dereg, Not(HasSubstr("{")));
}

}  // namespace
}  // namespace credflow::forms
