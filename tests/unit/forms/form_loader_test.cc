// Tests for adapters/xml/form_loader: a well-formed form loads with all its
// attributes, and every kind of broken definition is reported with its file
// and line while the rest of the folder still loads.
#include "adapters/xml/form_loader.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace credflow::adapters {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

// A fresh folder under the system temp directory, removed at the end.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
    path_ = fs::temp_directory_path() / ("credflow_forms_" + std::to_string(stamp) + "_" + std::to_string(counter++));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string Write(const std::string& name, const std::string& text) const {
    const fs::path file = path_ / name;
    std::ofstream(file, std::ios::binary) << text;
    return file.string();
  }
  std::string path() const { return path_.string(); }

 private:
  fs::path path_;
};

constexpr const char* kGoodForm = R"(<?xml version="1.0" encoding="UTF-8"?>
<form id="good" version="2" title="测试承诺书" source="测试来源">
  <field name="applicant_name" label="申请人" type="string" required="true" max-length="100"/>
  <field name="count" label="数量" type="integer" min="1" max="9"/>
  <field name="kinds" label="种类" type="enum_list" required="true" min="1">
    <option value="a" label="甲"/>
    <option value="b" label="乙"/>
  </field>
  <field name="zip" label="邮编" type="string" pattern="[0-9]{6}"/>
  <letter>
    {authority}：
    　　本单位{applicant_name}（{subject}）郑重承诺：{kinds}。
  </letter>
</form>
)";

std::string Messages(const std::vector<FormLoadError>& errors) {
  std::string out;
  for (const FormLoadError& e : errors) out += e.ToString() + "\n";
  return out;
}

// A well-formed form is read completely, and the letter is dedented.
TEST(FormLoaderTest, LoadsWellFormedForm) {
  TempDir dir;
  const std::string file = dir.Write("good.xml", kGoodForm);
  dir.Write("notes.txt", "not a form");
  const FormLoadResult result = LoadFormDirectory(dir.path());
  ASSERT_THAT(result.errors, IsEmpty()) << Messages(result.errors);
  EXPECT_TRUE(result.ok());
  const forms::FormDefinition* form = result.registry.Find("good");
  ASSERT_NE(form, nullptr);
  EXPECT_EQ(form->version, "2");
  EXPECT_EQ(form->title, "测试承诺书");
  EXPECT_EQ(form->source, "测试来源");
  EXPECT_EQ(form->file, file);
  ASSERT_THAT(form->fields, SizeIs(4));
  EXPECT_EQ(form->fields[0].name, "applicant_name");
  EXPECT_TRUE(form->fields[0].required);
  EXPECT_EQ(form->fields[0].max_length, 100);
  EXPECT_EQ(form->fields[1].type, forms::FieldType::kInteger);
  EXPECT_EQ(form->fields[1].min, 1.0);
  EXPECT_EQ(form->fields[1].max, 9.0);
  EXPECT_FALSE(form->fields[1].required);
  ASSERT_THAT(form->fields[2].options, SizeIs(2));
  EXPECT_EQ(form->fields[2].options[1].value, "b");
  EXPECT_EQ(form->fields[2].options[1].label, "乙");
  EXPECT_EQ(form->fields[3].pattern, "[0-9]{6}");
  EXPECT_EQ(form->letter, "{authority}：\n　　本单位{applicant_name}（{subject}）郑重承诺：{kinds}。");
}

// One broken file is reported with file and line; good files still load.
TEST(FormLoaderTest, ReportsMalformedXmlWithFileAndLine) {
  TempDir dir;
  dir.Write("good.xml", kGoodForm);
  const std::string bad = dir.Write("broken.xml",
                                    "<form id=\"broken\" version=\"1\" title=\"t\">\n"
                                    "  <field name=\"a\" label=\"甲\" type=\"string\">\n"
                                    "  <letter>x</letter>\n"
                                    "</form>\n");
  const FormLoadResult result = LoadFormDirectory(dir.path());
  ASSERT_THAT(result.errors, SizeIs(1)) << Messages(result.errors);
  EXPECT_EQ(result.errors[0].file, bad);
  EXPECT_EQ(result.errors[0].line, 4);  // </form> closes the unclosed <field>
  EXPECT_THAT(result.errors[0].message, HasSubstr("XML parse error"));
  EXPECT_THAT(result.errors[0].ToString(), HasSubstr(bad + ":4: "));
  EXPECT_NE(result.registry.Find("good"), nullptr);
  EXPECT_EQ(result.registry.Find("broken"), nullptr);
}

// Parses `xml` as the file x.xml and returns its errors.
std::vector<FormLoadError> ErrorsOf(const std::string& xml) {
  std::vector<FormLoadError> errors;
  const std::optional<forms::FormDefinition> form = ParseFormDefinition(xml, "x.xml", errors);
  EXPECT_EQ(form.has_value(), errors.empty());
  return errors;
}

// A form whose fields are `fields` and letter `letter`, one element a line
// starting on line 2.
std::string FormXml(const std::string& fields, const std::string& letter = "{subject}") {
  return "<form id=\"x\" version=\"1\" title=\"测试\">\n" + fields + "<letter>" + letter + "</letter>\n</form>\n";
}

void ExpectOneError(const std::vector<FormLoadError>& errors, int line, const std::string& fragment) {
  ASSERT_THAT(errors, SizeIs(1)) << Messages(errors);
  EXPECT_EQ(errors[0].file, "x.xml");
  EXPECT_EQ(errors[0].line, line) << errors[0].ToString();
  EXPECT_THAT(errors[0].message, HasSubstr(fragment));
}

TEST(FormLoaderTest, ReportsUnknownFieldType) {
  ExpectOneError(ErrorsOf(FormXml("<field name=\"a\" label=\"甲\" type=\"string\"/>\n"
                                  "<field name=\"b\" label=\"乙\" type=\"strng\"/>\n")),
                 3, "unknown field type \"strng\"");
}

TEST(FormLoaderTest, ReportsEnumWithoutOptions) {
  ExpectOneError(ErrorsOf(FormXml("<field name=\"a\" label=\"甲\" type=\"enum\"/>\n")), 2, "at least one <option>");
  ExpectOneError(ErrorsOf(FormXml("<field name=\"a\" label=\"甲\" type=\"enum_list\"></field>\n")), 2,
                 "at least one <option>");
}

TEST(FormLoaderTest, ReportsDuplicateFieldName) {
  ExpectOneError(ErrorsOf(FormXml("<field name=\"a\" label=\"甲\" type=\"string\"/>\n"
                                  "<field name=\"b\" label=\"乙\" type=\"string\"/>\n"
                                  "<field name=\"a\" label=\"丙\" type=\"date\"/>\n")),
                 4, "duplicate field name");
}

TEST(FormLoaderTest, ReportsBadRegex) {
  ExpectOneError(ErrorsOf(FormXml("<field name=\"a\" label=\"甲\" type=\"string\" pattern=\"([0-9]\"/>\n")), 2,
                 "not a valid regular expression");
}

// libstdc++'s regex compiler overflows on a 19-digit back-reference or
// count (the form fuzzer's find): a pattern is short, its numbers short.
TEST(FormLoaderTest, ReportsAPatternTooLongOrWithAHugeNumber) {
  ExpectOneError(ErrorsOf(FormXml("<field name=\"a\" label=\"甲\" type=\"string\" "
                                  "pattern=\"a\\9223372036854775808\"/>\n")),
                 2, "numbers of at most 4 digits");
  ExpectOneError(ErrorsOf(FormXml("<field name=\"a\" label=\"甲\" type=\"string\" pattern=\"[0-9]{99999}\"/>\n")), 2,
                 "numbers of at most 4 digits");
  ExpectOneError(
      ErrorsOf(FormXml("<field name=\"a\" label=\"甲\" type=\"string\" pattern=\"" + std::string(201, 'a') + "\"/>\n")),
      2, "at most 200 bytes");
  EXPECT_TRUE(
      ErrorsOf(FormXml("<field name=\"a\" label=\"甲\" type=\"string\" pattern=\"[0-9]{1,9999}\"/>\n")).empty());
}

// A placeholder must name a field or an engine-supplied value; the error
// points at the letter line that holds it.
TEST(FormLoaderTest, ReportsUnknownPlaceholder) {
  ExpectOneError(ErrorsOf(FormXml("<field name=\"a\" label=\"甲\" type=\"string\"/>\n",
                                  "\n{a}{subject}{commitment_type_name}{authority}{date}{case_id}"
                                  "\n{applicant}\n")),
                 5, "placeholder {applicant}");
}

// Braces are reserved for placeholders.
TEST(FormLoaderTest, ReportsMalformedPlaceholder) {
  const std::string field = "<field name=\"a\" label=\"甲\" type=\"string\"/>\n";
  ExpectOneError(ErrorsOf(FormXml(field, "{a b}")), 3, "malformed placeholder");
  ExpectOneError(ErrorsOf(FormXml(field, "{a")), 3, "unclosed");
  ExpectOneError(ErrorsOf(FormXml(field, "a}")), 3, "without a matching");
}

// Typos in attribute and element names are errors, not silently ignored.
TEST(FormLoaderTest, ReportsUnknownAttributesAndElements) {
  ExpectOneError(ErrorsOf(FormXml("<field name=\"a\" label=\"甲\" type=\"string\" maxlength=\"5\"/>\n")), 2,
                 "unknown attribute \"maxlength\"");
  ExpectOneError(ErrorsOf(FormXml("<field name=\"a\" label=\"甲\" type=\"string\"/>\n"
                                  "<feild name=\"b\"/>\n")),
                 3, "unknown element <feild>");
}

// Constraints must parse and fit the field's type.
TEST(FormLoaderTest, ReportsConstraintProblems) {
  ExpectOneError(ErrorsOf(FormXml("<field name=\"a\" label=\"甲\" type=\"integer\" min=\"5\" max=\"1\"/>\n")), 2,
                 "min is greater than max");
  ExpectOneError(ErrorsOf(FormXml("<field name=\"a\" label=\"甲\" type=\"number\" min=\"x\"/>\n")), 2,
                 "min must be a number");
  ExpectOneError(ErrorsOf(FormXml("<field name=\"a\" label=\"甲\" type=\"date\" max-length=\"5\"/>\n")), 2,
                 "max-length does not apply");
  ExpectOneError(ErrorsOf(FormXml("<field name=\"a\" label=\"甲\" type=\"string\" max-length=\"0\"/>\n")), 2,
                 "positive integer");
  ExpectOneError(ErrorsOf(FormXml("<field name=\"a\" label=\"甲\" type=\"string\" required=\"yes\"/>\n")), 2,
                 "\"true\" or \"false\"");
  ExpectOneError(ErrorsOf(FormXml("<field name=\"a\" label=\"甲\" type=\"string\" affirmed=\"true\"/>\n")), 2,
                 "affirmed applies to boolean fields only");
  ExpectOneError(ErrorsOf(FormXml("<field name=\"a\" label=\"甲\" type=\"boolean\" affirmed=\"1\"/>\n")), 2,
                 "affirmed must be");
  ExpectOneError(ErrorsOf(FormXml("<field name=\"a\" label=\"甲\" type=\"string\">\n"
                                  "<option value=\"x\" label=\"某\"/></field>\n")),
                 2, "only to enum");
  ExpectOneError(ErrorsOf(FormXml("<field name=\"a\" label=\"甲\" type=\"enum\">\n"
                                  "<option value=\"x\" label=\"某\"/>\n"
                                  "<option value=\"x\" label=\"另\"/></field>\n")),
                 4, "duplicate option value");
}

// Engine-supplied names cannot be field names.
TEST(FormLoaderTest, ReportsReservedFieldName) {
  ExpectOneError(ErrorsOf(FormXml("<field name=\"subject\" label=\"甲\" type=\"credit_code\"/>\n")), 2, "reserved");
}

// Missing required attributes and a missing letter are reported on the
// element's line.
TEST(FormLoaderTest, ReportsMissingPieces) {
  ExpectOneError(ErrorsOf("<form id=\"x\" title=\"t\">\n"
                          "<field name=\"a\" label=\"甲\" type=\"string\"/>\n"
                          "<letter>x</letter></form>"),
                 1, "attribute \"version\" is required");
  ExpectOneError(ErrorsOf("\n<form id=\"x\" version=\"1\" title=\"t\">\n"
                          "<field name=\"a\" label=\"甲\" type=\"string\"/>\n</form>"),
                 2, "has no <letter>");
  ExpectOneError(ErrorsOf("<policy/>"), 1, "root element must be <form>");
}

// All problems of a file are reported, not just the first.
TEST(FormLoaderTest, ReportsEveryProblemInAFile) {
  const std::vector<FormLoadError> errors =
      ErrorsOf(FormXml("<field name=\"a\" label=\"甲\" type=\"blob\"/>\n"
                       "<field name=\"a\" label=\"乙\" type=\"enum\"/>\n",
                       "{nothing}"));
  ASSERT_THAT(errors, SizeIs(4)) << Messages(errors);
  EXPECT_EQ(errors[0].line, 2);  // unknown type
  EXPECT_EQ(errors[1].line, 3);  // duplicate name
  EXPECT_EQ(errors[2].line, 3);  // enum without options
  EXPECT_EQ(errors[3].line, 4);  // placeholder
}

// In a folder, a form's id must match its file name, so ids are unique.
TEST(FormLoaderTest, ReportsIdNotMatchingFileName) {
  TempDir dir;
  const std::string file = dir.Write("other.xml", kGoodForm);
  const FormLoadResult result = LoadFormDirectory(dir.path());
  ASSERT_THAT(result.errors, SizeIs(1)) << Messages(result.errors);
  EXPECT_EQ(result.errors[0].file, file);
  EXPECT_EQ(result.errors[0].line, 2);
  EXPECT_THAT(result.errors[0].message, HasSubstr("does not match the file name"));
  EXPECT_THAT(result.registry.All(), IsEmpty());
}

// A folder that does not exist is one error with line 0.
TEST(FormLoaderTest, ReportsMissingFolder) {
  const std::string missing = (fs::temp_directory_path() / "credflow_forms_no_such_folder_9f3a").string();
  const FormLoadResult result = LoadFormDirectory(missing);
  ASSERT_THAT(result.errors, SizeIs(1));
  EXPECT_EQ(result.errors[0].file, missing);
  EXPECT_EQ(result.errors[0].line, 0);
  EXPECT_EQ(result.errors[0].ToString(), missing + ": " + result.errors[0].message);
}

}  // namespace
}  // namespace credflow::adapters
