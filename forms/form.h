// The form model: XML-defined input forms (commitment letters, ...), the
// neutral FormData value that adapters produce from JSON, and validation whose
// errors name the field. Standard library only.
//
// Immutable after loading; safe to share between threads.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace credflow::forms {

using FieldValue = std::variant<std::monostate, bool, int64_t, double, std::string, std::vector<std::string>>;
using FormData = std::map<std::string, FieldValue>;

enum class FieldType {
  kString,  // one line
  kText,    // free text
  kDate,    // YYYY-MM-DD
  kBoolean,
  kInteger,
  kNumber,
  kEnum,        // one of `options`
  kStringList,  // list of strings
  kEnumList,    // list of `options`
  kCreditCode,  // 18-char unified social credit code, GB 32100-2015
};

struct FieldOption {
  std::string value;
  std::string label;
};

struct FieldDefinition {
  std::string name;
  std::string label;
  FieldType type = FieldType::kString;
  bool required = false;
  std::string pattern;               // ECMAScript regex over the whole value
  std::vector<FieldOption> options;  // kEnum, kEnumList
  std::optional<double> min;         // numbers; list length for lists
  std::optional<double> max;
  std::optional<int> max_length;  // strings, in code points
  // Booleans: the field is a statement the letter declares (债权债务已清偿
  // 完结), so only true is accepted; an applicant who cannot declare it
  // does not use the commitment route.
  bool affirmed = false;
};

struct FormDefinition {
  std::string id;
  std::string version;
  std::string title;
  std::string source;
  std::vector<FieldDefinition> fields;
  // The letter text with {placeholders} naming fields (and engine-supplied
  // values such as {subject}, {commitment_type_name}).
  std::string letter;
  std::string file;

  const FieldDefinition* FindField(const std::string& name) const;
};

struct FieldError {
  std::string field;
  std::string code;  // required, unknown_field, wrong_type, pattern, not_an_option,
                     // invalid_date, too_long, out_of_range, invalid_credit_code,
                     // not_affirmed
  std::string message;
};

// Checks `data` against `form`: every required field present, no unknown
// field, each value of the declared type and within its constraints.
// Returns one error per offending field (empty = valid).
std::vector<FieldError> Validate(const FormDefinition& form, const FormData& data);

// GB 32100-2015: 18 characters from the code alphabet with a correct check
// character (weights 3^i mod 31).
bool IsValidCreditCode(std::string_view code);
// The check character (the 18th) for the first 17 characters of a code, or
// nullopt when they are not 17 characters of the code alphabet.
std::optional<char> CreditCodeCheckCharacter(std::string_view first17);

// Replaces {name} placeholders with the values in `data` then `extra`; a list
// is joined with "、"; an unknown placeholder is left as it is.
std::string RenderLetter(const FormDefinition& form, const FormData& data,
                         const std::map<std::string, std::string>& extra = {});

class FormRegistry {
 public:
  void Add(FormDefinition form);
  const FormDefinition* Find(const std::string& id) const;
  std::vector<const FormDefinition*> All() const;

 private:
  std::map<std::string, std::unique_ptr<FormDefinition>> forms_;
};

}  // namespace credflow::forms
