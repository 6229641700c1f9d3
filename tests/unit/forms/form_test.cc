// Tests for the form model: the unified social credit code check, field
// validation (one error per offending field, with its code and name),
// letter rendering and the registry.
#include "forms/form.h"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace credflow::forms {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

// ---------------------------------------------------------------------------
// IsValidCreditCode

// The codes used in the shared scenarios carry correct check characters.
TEST(CreditCodeTest, AcceptsScenarioCodes) {
  EXPECT_TRUE(IsValidCreditCode("91350100M000100Y43"));
  EXPECT_TRUE(IsValidCreditCode("91320500L968FMY61Q"));
  EXPECT_TRUE(IsValidCreditCode("91320500UNC8626R9D"));
}

// Changing only the check character makes the code invalid.
TEST(CreditCodeTest, RejectsWrongCheckCharacter) {
  EXPECT_FALSE(IsValidCreditCode("91350100M000100Y44"));
  EXPECT_FALSE(IsValidCreditCode("91320500L968FMY61P"));
  EXPECT_FALSE(IsValidCreditCode("91320500UNC8626R90"));
}

// A changed body character is caught by the check character.
TEST(CreditCodeTest, RejectsChangedBodyCharacter) {
  EXPECT_FALSE(IsValidCreditCode("91350100M000101Y43"));
  EXPECT_FALSE(IsValidCreditCode("81320500L968FMY61Q"));
}

// Only exactly 18 characters are accepted.
TEST(CreditCodeTest, RejectsWrongLength) {
  EXPECT_FALSE(IsValidCreditCode(""));
  EXPECT_FALSE(IsValidCreditCode("91350100M000100Y4"));
  EXPECT_FALSE(IsValidCreditCode("91350100M000100Y433"));
  EXPECT_FALSE(IsValidCreditCode(" 91350100M000100Y43"));
}

// The alphabet is upper case; a lower-case spelling of a valid code is refused.
TEST(CreditCodeTest, RejectsLowerCase) {
  EXPECT_FALSE(IsValidCreditCode("91320500l968fmy61q"));
  EXPECT_FALSE(IsValidCreditCode("91320500L968FMY61q"));
  EXPECT_FALSE(IsValidCreditCode("91350100m000100y43"));
}

// I, O, Z, S and V are not in the GB 32100-2015 alphabet, in any position.
TEST(CreditCodeTest, RejectsForbiddenLetters) {
  for (char forbidden : {'I', 'O', 'Z', 'S', 'V'}) {
    std::string body = "91350100M000100Y4";
    body[8] = forbidden;  // replaces the M
    // Try every possible check character: none can make the code valid.
    for (char check : std::string("0123456789ABCDEFGHJKLMNPQRTUWXY")) {
      EXPECT_FALSE(IsValidCreditCode(body + check)) << body + check;
    }
    std::string with_forbidden_check = "91350100M000100Y4";
    EXPECT_FALSE(IsValidCreditCode(with_forbidden_check + forbidden));
  }
}

// The check is 31 - (sum mod 31) with 31 mapped to 0: a body whose weighted
// sum is a multiple of 31 takes check character '0'.
TEST(CreditCodeTest, CheckValueThirtyOneMapsToZero) {
  // All-zero body: sum 0 -> 31 - 0 = 31 -> 0.
  EXPECT_TRUE(IsValidCreditCode("000000000000000000"));
  EXPECT_FALSE(IsValidCreditCode("00000000000000000Y"));
}

// ---------------------------------------------------------------------------
// Validate

FieldDefinition Field(std::string name, FieldType type, bool required = false) {
  FieldDefinition field;
  field.name = std::move(name);
  field.label = "标签";
  field.type = type;
  field.required = required;
  return field;
}

// A form with one field of every type and every kind of constraint.
FormDefinition TestForm() {
  FormDefinition form;
  form.id = "test_form";
  form.version = "1";
  form.title = "测试";
  form.fields.push_back(Field("name", FieldType::kString, true));
  form.fields.back().max_length = 5;
  form.fields.push_back(Field("note", FieldType::kText));
  form.fields.push_back(Field("postal_code", FieldType::kString));
  form.fields.back().pattern = "[0-9]{6}";
  form.fields.push_back(Field("signed_on", FieldType::kDate));
  form.fields.push_back(Field("agreed", FieldType::kBoolean));
  form.fields.push_back(Field("staff", FieldType::kInteger));
  form.fields.back().min = 1;
  form.fields.back().max = 50;
  form.fields.push_back(Field("area", FieldType::kNumber));
  form.fields.back().min = 0;
  form.fields.push_back(Field("kind", FieldType::kEnum));
  form.fields.back().options = {{"a", "甲"}, {"b", "乙"}};
  form.fields.push_back(Field("people", FieldType::kStringList));
  form.fields.back().min = 1;
  form.fields.back().max = 3;
  form.fields.back().max_length = 4;
  form.fields.push_back(Field("items", FieldType::kEnumList));
  form.fields.back().options = {{"x", "某项"}, {"y", "另一项"}};
  form.fields.push_back(Field("code", FieldType::kCreditCode));
  return form;
}

FormData ValidData() {
  return FormData{
      {"name", std::string("周建华")},
      {"note", std::string("任意长度的说明文字，没有长度限制。")},
      {"postal_code", std::string("215000")},
      {"signed_on", std::string("2024-02-29")},
      {"agreed", true},
      {"staff", int64_t{50}},
      {"area", 860.5},
      {"kind", std::string("b")},
      {"people", std::vector<std::string>{"陈立", "王敏"}},
      {"items", std::vector<std::string>{"x", "y"}},
      {"code", std::string("91320500UNC8626R9D")},
  };
}

// Asserts that `errors` holds exactly one error, for `field` with `code`,
// whose message names the field.
void ExpectSingleError(const std::vector<FieldError>& errors, const std::string& field, const std::string& code) {
  ASSERT_THAT(errors, SizeIs(1));
  EXPECT_EQ(errors[0].field, field);
  EXPECT_EQ(errors[0].code, code);
  EXPECT_THAT(errors[0].message, HasSubstr("\"" + field + "\""));
}

FormData With(const std::string& field, FieldValue value) {
  FormData data = ValidData();
  data[field] = std::move(value);
  return data;
}

// The baseline: valid data for every type produces no error.
TEST(ValidateTest, AcceptsValidData) { EXPECT_THAT(Validate(TestForm(), ValidData()), IsEmpty()); }

// Only the required field is needed; absent optional fields are fine.
TEST(ValidateTest, AcceptsMinimalData) {
  EXPECT_THAT(Validate(TestForm(), {{"name", std::string("王敏")}}), IsEmpty());
}

// A missing, null or empty required field is reported as `required`.
TEST(ValidateTest, ReportsMissingRequiredField) {
  FormData data = ValidData();
  data.erase("name");
  ExpectSingleError(Validate(TestForm(), data), "name", "required");
  ExpectSingleError(Validate(TestForm(), With("name", std::monostate{})), "name", "required");
  ExpectSingleError(Validate(TestForm(), With("name", std::string())), "name", "required");
}

// A key the form does not declare is reported as `unknown_field`.
TEST(ValidateTest, ReportsUnknownField) {
  ExpectSingleError(Validate(TestForm(), With("nickname", std::string("x"))), "nickname", "unknown_field");
}

// A value of the wrong JSON type is `wrong_type`, for every field type.
TEST(ValidateTest, ReportsWrongType) {
  ExpectSingleError(Validate(TestForm(), With("name", int64_t{5})), "name", "wrong_type");
  ExpectSingleError(Validate(TestForm(), With("signed_on", true)), "signed_on", "wrong_type");
  ExpectSingleError(Validate(TestForm(), With("agreed", std::string("true"))), "agreed", "wrong_type");
  ExpectSingleError(Validate(TestForm(), With("area", std::string("860"))), "area", "wrong_type");
  ExpectSingleError(Validate(TestForm(), With("people", std::string("陈立"))), "people", "wrong_type");
  ExpectSingleError(Validate(TestForm(), With("items", std::string("x"))), "items", "wrong_type");
  ExpectSingleError(Validate(TestForm(), With("code", int64_t{91})), "code", "wrong_type");
}

// kInteger takes only int64; kNumber takes int64 or double.
TEST(ValidateTest, IntegerRefusesDoubleNumberTakesBoth) {
  ExpectSingleError(Validate(TestForm(), With("staff", 3.0)), "staff", "wrong_type");
  EXPECT_THAT(Validate(TestForm(), With("area", int64_t{860})), IsEmpty());
  EXPECT_THAT(Validate(TestForm(), With("area", 860.25)), IsEmpty());
}

// A non-finite number is not a number.
TEST(ValidateTest, NumberRefusesNonFinite) {
  ExpectSingleError(Validate(TestForm(), With("area", std::numeric_limits<double>::infinity())), "area", "wrong_type");
}

// A string that does not match the whole pattern is `pattern`.
TEST(ValidateTest, ReportsPatternMismatch) {
  ExpectSingleError(Validate(TestForm(), With("postal_code", std::string("21500"))), "postal_code", "pattern");
  // The match is anchored at both ends.
  ExpectSingleError(Validate(TestForm(), With("postal_code", std::string("2150001"))), "postal_code", "pattern");
}

// A value outside the options is `not_an_option`, for enum and enum_list.
TEST(ValidateTest, ReportsValueNotAnOption) {
  ExpectSingleError(Validate(TestForm(), With("kind", std::string("c"))), "kind", "not_an_option");
  ExpectSingleError(Validate(TestForm(), With("items", std::vector<std::string>{"x", "z"})), "items", "not_an_option");
}

// Dates must be real calendar dates written YYYY-MM-DD.
TEST(ValidateTest, ReportsInvalidDate) {
  for (const char* bad : {"2025-02-29", "2023-13-01", "2025-04-31", "2025-4-1", "2025/04/01", "20250401",
                          "2025-04-01T00:00", "0000-01-01", "1900-02-29"}) {
    ExpectSingleError(Validate(TestForm(), With("signed_on", std::string(bad))), "signed_on", "invalid_date");
  }
  EXPECT_THAT(Validate(TestForm(), With("signed_on", std::string("2000-02-29"))), IsEmpty());
  EXPECT_THAT(Validate(TestForm(), With("signed_on", std::string("2025-12-31"))), IsEmpty());
}

// max-length counts code points, not bytes: five Chinese characters fit in 5.
TEST(ValidateTest, ReportsTooLongInCodePoints) {
  EXPECT_THAT(Validate(TestForm(), With("name", std::string("苏州禾丰餐"))), IsEmpty());
  ExpectSingleError(Validate(TestForm(), With("name", std::string("苏州禾丰餐饮"))), "name", "too_long");
  ExpectSingleError(Validate(TestForm(), With("name", std::string("abcdef"))), "name", "too_long");
  // Each list item is measured on its own.
  ExpectSingleError(Validate(TestForm(), With("people", std::vector<std::string>{"陈立", "欧阳小明同学"})), "people",
                    "too_long");
}

// Malformed UTF-8 is refused rather than measured.
TEST(ValidateTest, ReportsInvalidUtf8AsWrongType) {
  ExpectSingleError(Validate(TestForm(), With("note", std::string("\xE8\x8B"))), "note", "wrong_type");
  ExpectSingleError(Validate(TestForm(), With("note", std::string("\xC0\xAF"))), "note", "wrong_type");
}

// min/max bound numbers and, for lists, the number of items.
TEST(ValidateTest, ReportsOutOfRange) {
  ExpectSingleError(Validate(TestForm(), With("staff", int64_t{0})), "staff", "out_of_range");
  ExpectSingleError(Validate(TestForm(), With("staff", int64_t{51})), "staff", "out_of_range");
  ExpectSingleError(Validate(TestForm(), With("area", -0.5)), "area", "out_of_range");
  EXPECT_THAT(Validate(TestForm(), With("area", 0.0)), IsEmpty());
  ExpectSingleError(Validate(TestForm(), With("people", std::vector<std::string>{"甲", "乙", "丙", "丁"})), "people",
                    "out_of_range");
  const std::vector<FieldError> errors = Validate(TestForm(), With("staff", int64_t{51}));
  ASSERT_THAT(errors, SizeIs(1));
  EXPECT_THAT(errors[0].message, HasSubstr("at most 50"));
}

// A credit-code field checks the GB 32100-2015 check character.
TEST(ValidateTest, ReportsInvalidCreditCode) {
  ExpectSingleError(Validate(TestForm(), With("code", std::string("91320500UNC8626R9E"))), "code",
                    "invalid_credit_code");
  ExpectSingleError(Validate(TestForm(), With("code", std::string("91320500unc8626r9d"))), "code",
                    "invalid_credit_code");
}

// Several bad fields give one error each, in form order, then unknown keys.
TEST(ValidateTest, ReportsOneErrorPerOffendingField) {
  FormData data = ValidData();
  data.erase("name");
  data["staff"] = int64_t{100};
  data["items"] = std::vector<std::string>{"z", "w"};  // two bad items, one error
  data["extra"] = true;
  const std::vector<FieldError> errors = Validate(TestForm(), data);
  ASSERT_THAT(errors, SizeIs(4));
  EXPECT_EQ(errors[0].field, "name");
  EXPECT_EQ(errors[0].code, "required");
  EXPECT_EQ(errors[1].field, "staff");
  EXPECT_EQ(errors[1].code, "out_of_range");
  EXPECT_EQ(errors[2].field, "items");
  EXPECT_EQ(errors[2].code, "not_an_option");
  EXPECT_EQ(errors[3].field, "extra");
  EXPECT_EQ(errors[3].code, "unknown_field");
}

// A hand-built form with a broken pattern refuses values instead of crashing.
TEST(ValidateTest, BrokenPatternRefusesValue) {
  FormDefinition form = TestForm();
  form.fields[2].pattern = "([0-9]";
  const std::vector<FieldError> errors =
      Validate(form, {{"name", std::string("x")}, {"postal_code", std::string("215000")}});
  ExpectSingleError(errors, "postal_code", "pattern");
}

// ---------------------------------------------------------------------------
// FindField, RenderLetter, FormRegistry

TEST(FormDefinitionTest, FindFieldByName) {
  const FormDefinition form = TestForm();
  ASSERT_NE(form.FindField("staff"), nullptr);
  EXPECT_EQ(form.FindField("staff")->type, FieldType::kInteger);
  EXPECT_EQ(form.FindField("missing"), nullptr);
}

// Field values, list items (joined with 、, options as labels), numbers,
// booleans and engine-supplied values all end up in the letter.
TEST(RenderLetterTest, FillsPlaceholders) {
  FormDefinition form = TestForm();
  form.letter =
      "{authority}：本人{name}（{code}/{subject}）承诺：人员{people}，项目{items}，"
      "面积{area}，人数{staff}，同意{agreed}，日期{signed_on}。";
  const std::string letter =
      RenderLetter(form, ValidData(), {{"authority", "苏州市市场监督管理局"}, {"subject", "91320500UNC8626R9D"}});
  EXPECT_EQ(letter,
            "苏州市市场监督管理局：本人周建华（91320500UNC8626R9D/91320500UNC8626R9D）承诺："
            "人员陈立、王敏，项目某项、另一项，面积860.5，人数50，同意是，日期2024-02-29。");
}

// Data wins over extra; unknown names stay as written; an absent field of the
// form renders empty; stray braces are left alone.
TEST(RenderLetterTest, LookupOrderAndUnknownPlaceholders) {
  FormDefinition form = TestForm();
  form.letter = "{name}|{mystery}|{note}|{ not }|{|}";
  const std::string letter = RenderLetter(form, {{"name", std::string("王敏")}}, {{"name", "ignored"}});
  EXPECT_EQ(letter, "王敏|{mystery}||{ not }|{|}");
}

// Whole-valued doubles print without a fraction.
TEST(RenderLetterTest, FormatsNumbers) {
  FormDefinition form = TestForm();
  form.letter = "{area}平方米";
  EXPECT_EQ(RenderLetter(form, {{"area", 860.0}}), "860平方米");
  EXPECT_EQ(RenderLetter(form, {{"area", int64_t{-3}}}), "-3平方米");
}

// Forms are found by id (an unknown id finds nothing) and listed in id order
// whatever order they were added in, so listings are stable.
TEST(FormRegistryTest, AddFindAll) {
  FormRegistry registry;
  EXPECT_THAT(registry.All(), IsEmpty());
  FormDefinition b = TestForm();
  b.id = "b_form";
  FormDefinition a = TestForm();
  a.id = "a_form";
  registry.Add(std::move(b));
  registry.Add(std::move(a));
  ASSERT_NE(registry.Find("a_form"), nullptr);
  EXPECT_EQ(registry.Find("a_form")->id, "a_form");
  EXPECT_EQ(registry.Find("c_form"), nullptr);
  const std::vector<const FormDefinition*> all = registry.All();
  ASSERT_THAT(all, SizeIs(2));
  EXPECT_EQ(all[0]->id, "a_form");  // ordered by id
  EXPECT_EQ(all[1]->id, "b_form");
  EXPECT_THAT(all, Not(::testing::Contains(nullptr)));
}

}  // namespace
}  // namespace credflow::forms
