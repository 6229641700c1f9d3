// The form model's behaviour: field validation against a FormDefinition, the
// unified-social-credit-code check (GB 32100-2015), commitment-letter
// rendering and the registry of loaded forms. Standard library only; the XML
// side lives in adapters/xml/form_loader.
//
// Every function here is pure (no shared mutable state), so they are safe to
// call from any number of threads on a shared, immutable FormDefinition.
// FormRegistry is filled once while loading and only read afterwards.
#include "forms/form.h"

#include <cmath>
#include <cstdint>
#include <iomanip>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>

namespace credflow::forms {
namespace {

constexpr std::string_view kCreditCodeAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
constexpr int kCreditCodeWeights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
constexpr std::string_view kListSeparator = "、";

// The number of Unicode code points in `s`, or nullopt if `s` is not
// well-formed UTF-8 (overlong forms, surrogates and values above U+10FFFF
// are rejected).
std::optional<size_t> CountCodePoints(std::string_view s) {
  size_t count = 0;
  size_t i = 0;
  while (i < s.size()) {
    const auto lead = static_cast<unsigned char>(s[i]);
    size_t length = 0;
    uint32_t cp = 0;
    if (lead < 0x80) {
      length = 1;
      cp = lead;
    } else if ((lead & 0xE0) == 0xC0) {
      length = 2;
      cp = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3;
      cp = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4;
      cp = lead & 0x07;
    } else {
      return std::nullopt;
    }
    if (i + length > s.size()) return std::nullopt;
    for (size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(s[i + k]);
      if ((next & 0xC0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (next & 0x3F);
    }
    const bool overlong = (length == 2 && cp < 0x80) || (length == 3 && cp < 0x800) || (length == 4 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
    i += length;
    ++count;
  }
  return count;
}

// Whole numbers print without a fraction ("0", "860"), others with up to 15
// significant digits ("12.5").
std::string FormatNumber(double value) {
  if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 1e15) {
    return std::to_string(static_cast<int64_t>(value));
  }
  std::ostringstream out;
  out << std::setprecision(15) << value;
  return out.str();
}

std::string Quote(const std::string& name) { return "\"" + name + "\""; }

// A real calendar date written exactly as YYYY-MM-DD (years 0001..9999,
// proleptic Gregorian leap years).
bool IsValidDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  auto number = [&](size_t pos, size_t len) {
    int n = 0;
    for (size_t i = pos; i < pos + len; ++i) n = n * 10 + (s[i] - '0');
    return n;
  };
  const int year = number(0, 4);
  const int month = number(5, 2);
  const int day = number(8, 2);
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDaysInMonth[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int last = (month == 2 && leap) ? 29 : kDaysInMonth[month - 1];
  return day <= last;
}

bool IsStringType(FieldType type) {
  return type == FieldType::kString || type == FieldType::kText || type == FieldType::kDate ||
         type == FieldType::kEnum || type == FieldType::kCreditCode;
}

bool IsListType(FieldType type) { return type == FieldType::kStringList || type == FieldType::kEnumList; }

const char* TypeName(FieldType type) {
  switch (type) {
    case FieldType::kString: return "a string";
    case FieldType::kText: return "a text";
    case FieldType::kDate: return "a date string (YYYY-MM-DD)";
    case FieldType::kBoolean: return "a boolean";
    case FieldType::kInteger: return "an integer";
    case FieldType::kNumber: return "a number";
    case FieldType::kEnum: return "a string naming one of its options";
    case FieldType::kStringList: return "a list of strings";
    case FieldType::kEnumList: return "a list of option values";
    case FieldType::kCreditCode: return "an 18-character unified social credit code string";
  }
  return "a value";
}

bool IsOption(const FieldDefinition& field, const std::string& value) {
  for (const FieldOption& option : field.options) {
    if (option.value == value) return true;
  }
  return false;
}

std::string OptionList(const FieldDefinition& field) {
  std::string out;
  for (const FieldOption& option : field.options) {
    if (!out.empty()) out += ", ";
    out += option.value;
  }
  return out;
}

// Checks one string (a scalar value or one list item) against the string
// constraints of `field`: well-formed UTF-8, max-length, pattern and, for the
// typed strings, the date / credit-code / option rule. `what` names the value
// in messages ("field \"x\"" or "item 2 of field \"x\"").
std::optional<FieldError> CheckString(const FieldDefinition& field, const std::string& value, const std::string& what) {
  const std::optional<size_t> length = CountCodePoints(value);
  if (!length) {
    return FieldError{field.name, "wrong_type", what + " is not valid UTF-8 text"};
  }
  switch (field.type) {
    case FieldType::kDate:
      if (!IsValidDate(value)) {
        return FieldError{field.name, "invalid_date",
                          what + " must be a real calendar date written YYYY-MM-DD, got \"" + value + "\""};
      }
      break;
    case FieldType::kCreditCode:
      if (!IsValidCreditCode(value)) {
        return FieldError{field.name, "invalid_credit_code",
                          what +
                              " must be an 18-character unified social credit code with a "
                              "valid check character (GB 32100-2015), got \"" +
                              value + "\""};
      }
      break;
    case FieldType::kEnum:
    case FieldType::kEnumList:
      if (!IsOption(field, value)) {
        return FieldError{field.name, "not_an_option",
                          what + " must be one of [" + OptionList(field) + "], got \"" + value + "\""};
      }
      break;
    default: break;
  }
  if (field.max_length && *length > static_cast<size_t>(*field.max_length)) {
    return FieldError{field.name, "too_long",
                      what + " must be at most " + std::to_string(*field.max_length) + " characters long, got " +
                          std::to_string(*length)};
  }
  if (!field.pattern.empty()) {
    bool matches = false;
    try {
      matches = std::regex_match(value, std::regex(field.pattern, std::regex::ECMAScript));
    } catch (const std::regex_error&) {
      // The loader rejects bad patterns; a hand-built definition may not.
      // Refuse the value rather than accept it unchecked.
      return FieldError{
          field.name, "pattern",
          what + " cannot be checked: the form's pattern /" + field.pattern + "/ is not a valid regular expression"};
    }
    if (!matches) {
      return FieldError{field.name, "pattern",
                        what + " must match the pattern /" + field.pattern + "/, got \"" + value + "\""};
    }
  }
  return std::nullopt;
}

std::optional<FieldError> CheckRange(const FieldDefinition& field, double value, const std::string& what,
                                     const std::string& shown) {
  if (field.min && value < *field.min) {
    return FieldError{field.name, "out_of_range",
                      what + " must be at least " + FormatNumber(*field.min) + ", got " + shown};
  }
  if (field.max && value > *field.max) {
    return FieldError{field.name, "out_of_range",
                      what + " must be at most " + FormatNumber(*field.max) + ", got " + shown};
  }
  return std::nullopt;
}

bool IsMissing(const FieldValue& value) {
  if (std::holds_alternative<std::monostate>(value)) return true;
  if (const auto* s = std::get_if<std::string>(&value)) return s->empty();
  if (const auto* list = std::get_if<std::vector<std::string>>(&value)) return list->empty();
  return false;
}

// The first error of a present value, or nullopt when it is acceptable.
std::optional<FieldError> CheckValue(const FieldDefinition& field, const FieldValue& value) {
  const std::string what = "field " + Quote(field.name);
  auto wrong_type = [&] { return FieldError{field.name, "wrong_type", what + " must be " + TypeName(field.type)}; };

  if (IsStringType(field.type)) {
    const auto* s = std::get_if<std::string>(&value);
    if (!s) return wrong_type();
    return CheckString(field, *s, what);
  }
  if (IsListType(field.type)) {
    const auto* list = std::get_if<std::vector<std::string>>(&value);
    if (!list) return wrong_type();
    for (size_t i = 0; i < list->size(); ++i) {
      const std::string item_what = "item " + std::to_string(i + 1) + " of " + what;
      if (auto error = CheckString(field, (*list)[i], item_what)) return error;
    }
    const std::string count = std::to_string(list->size());
    if (field.min && static_cast<double>(list->size()) < *field.min) {
      return FieldError{field.name, "out_of_range",
                        what + " must have at least " + FormatNumber(*field.min) + " item(s), got " + count};
    }
    if (field.max && static_cast<double>(list->size()) > *field.max) {
      return FieldError{field.name, "out_of_range",
                        what + " must have at most " + FormatNumber(*field.max) + " item(s), got " + count};
    }
    return std::nullopt;
  }
  switch (field.type) {
    case FieldType::kBoolean:
      if (!std::holds_alternative<bool>(value)) return wrong_type();
      if (field.affirmed && !std::get<bool>(value)) {
        return FieldError{field.name, "not_affirmed",
                          what + " is a statement the letter declares: only true is accepted (an applicant who " +
                              "cannot declare it uses the ordinary procedure)"};
      }
      return std::nullopt;
    case FieldType::kInteger: {
      const auto* n = std::get_if<int64_t>(&value);
      if (!n) return wrong_type();
      return CheckRange(field, static_cast<double>(*n), what, std::to_string(*n));
    }
    case FieldType::kNumber: {
      double n = 0;
      if (const auto* i = std::get_if<int64_t>(&value)) {
        n = static_cast<double>(*i);
      } else if (const auto* d = std::get_if<double>(&value)) {
        n = *d;
      } else {
        return wrong_type();
      }
      if (!std::isfinite(n)) {
        return FieldError{field.name, "wrong_type", what + " must be a finite number"};
      }
      return CheckRange(field, n, what, FormatNumber(n));
    }
    default: return wrong_type();
  }
}

std::string OptionLabel(const FormDefinition& form, const std::string& field_name, const std::string& value) {
  const FieldDefinition* field = form.FindField(field_name);
  if (field && (field->type == FieldType::kEnum || field->type == FieldType::kEnumList)) {
    for (const FieldOption& option : field->options) {
      if (option.value == value && !option.label.empty()) return option.label;
    }
  }
  return value;
}

// How a value reads inside a letter: option values as their labels, lists
// joined with "、", booleans as 是/否.
std::string RenderValue(const FormDefinition& form, const std::string& field_name, const FieldValue& value) {
  return std::visit(
      [&](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return "";
        } else if constexpr (std::is_same_v<T, bool>) {
          return v ? "是" : "否";
        } else if constexpr (std::is_same_v<T, int64_t>) {
          return std::to_string(v);
        } else if constexpr (std::is_same_v<T, double>) {
          return FormatNumber(v);
        } else if constexpr (std::is_same_v<T, std::string>) {
          return OptionLabel(form, field_name, v);
        } else {
          std::string out;
          for (const std::string& item : v) {
            if (!out.empty()) out += kListSeparator;
            out += OptionLabel(form, field_name, item);
          }
          return out;
        }
      },
      value);
}

bool IsIdentifierStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsIdentifierChar(char c) { return IsIdentifierStart(c) || (c >= '0' && c <= '9'); }

}  // namespace

const FieldDefinition* FormDefinition::FindField(const std::string& name) const {
  for (const FieldDefinition& field : fields) {
    if (field.name == name) return &field;
  }
  return nullptr;
}

// Errors come in the form's field order, then unknown fields in key order.
// A null, an empty string and an empty list count as absent: an error if the
// field is required, nothing to check otherwise.
std::vector<FieldError> Validate(const FormDefinition& form, const FormData& data) {
  std::vector<FieldError> errors;
  for (const FieldDefinition& field : form.fields) {
    const auto it = data.find(field.name);
    if (it == data.end() || IsMissing(it->second)) {
      if (field.required) {
        const std::string label = field.label.empty() ? "" : " (" + field.label + ")";
        errors.push_back({field.name, "required", "field " + Quote(field.name) + label + " is required"});
      }
      continue;
    }
    if (auto error = CheckValue(field, it->second)) errors.push_back(std::move(*error));
  }
  for (const auto& [name, value] : data) {
    if (!form.FindField(name)) {
      errors.push_back({name, "unknown_field", "field " + Quote(name) + " is not part of form " + Quote(form.id)});
    }
  }
  return errors;
}

std::optional<char> CreditCodeCheckCharacter(std::string_view first17) {
  if (first17.size() != 17) return std::nullopt;
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) {
    const size_t index = kCreditCodeAlphabet.find(first17[i]);
    if (index == std::string_view::npos) return std::nullopt;
    sum += static_cast<int>(index) * kCreditCodeWeights[i];
  }
  return kCreditCodeAlphabet[static_cast<size_t>((31 - sum % 31) % 31)];
}

bool IsValidCreditCode(std::string_view code) {
  if (code.size() != 18) return false;
  const std::optional<char> check = CreditCodeCheckCharacter(code.substr(0, 17));
  return check && code[17] == *check;
}

// A placeholder is "{identifier}". It is filled from `data` first, then from
// `extra`; a field of the form that has no value renders empty, and any other
// name is left as written, braces included.
std::string RenderLetter(const FormDefinition& form, const FormData& data,
                         const std::map<std::string, std::string>& extra) {
  const std::string& text = form.letter;
  std::string out;
  out.reserve(text.size() + 64);
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] != '{') {
      out += text[i++];
      continue;
    }
    size_t end = i + 1;
    if (end < text.size() && IsIdentifierStart(text[end])) {
      while (end < text.size() && IsIdentifierChar(text[end])) ++end;
    }
    if (end == i + 1 || end >= text.size() || text[end] != '}') {
      out += text[i++];
      continue;
    }
    const std::string name = text.substr(i + 1, end - i - 1);
    const auto in_data = data.find(name);
    const auto in_extra = extra.find(name);
    if (in_data != data.end() && !std::holds_alternative<std::monostate>(in_data->second)) {
      out += RenderValue(form, name, in_data->second);
    } else if (in_extra != extra.end()) {
      out += in_extra->second;
    } else if (!form.FindField(name)) {
      out.append(text, i, end - i + 1);
    }
    i = end + 1;
  }
  return out;
}

// A later form with the same id replaces the earlier one; the loader reports
// duplicate ids before it gets here.
void FormRegistry::Add(FormDefinition form) {
  std::string id = form.id;
  forms_[std::move(id)] = std::make_unique<FormDefinition>(std::move(form));
}

const FormDefinition* FormRegistry::Find(const std::string& id) const {
  const auto it = forms_.find(id);
  return it == forms_.end() ? nullptr : it->second.get();
}

std::vector<const FormDefinition*> FormRegistry::All() const {
  std::vector<const FormDefinition*> all;
  all.reserve(forms_.size());
  for (const auto& entry : forms_) all.push_back(entry.second.get());
  return all;
}

}  // namespace credflow::forms
