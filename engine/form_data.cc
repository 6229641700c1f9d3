#include "engine/form_data.h"

namespace credflow::engine {

Result<forms::FormData> ToFormData(const Json& j) {
  if (!j.is_object()) return Status::InvalidArgument("invalid_form", "the form must be a JSON object");
  forms::FormData data;
  std::vector<FieldError> errors;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const Json& v = it.value();
    if (v.is_null()) {
      data[it.key()] = std::monostate{};
    } else if (v.is_boolean()) {
      data[it.key()] = v.get<bool>();
    } else if (v.is_number_integer()) {
      data[it.key()] = v.get<int64_t>();
    } else if (v.is_number()) {
      data[it.key()] = v.get<double>();
    } else if (v.is_string()) {
      data[it.key()] = v.get<std::string>();
    } else if (v.is_array()) {
      std::vector<std::string> items;
      bool all_strings = true;
      for (const Json& item : v) {
        if (!item.is_string()) {
          all_strings = false;
          break;
        }
        items.push_back(item.get<std::string>());
      }
      if (!all_strings) {
        errors.push_back({it.key(), "wrong_type", it.key() + " must be a list of strings"});
        continue;
      }
      data[it.key()] = std::move(items);
    } else {
      errors.push_back({it.key(), "wrong_type", it.key() + " must be a value or a list, not an object"});
    }
  }
  if (!errors.empty()) {
    return Status::InvalidArgument("invalid_form", "the form has invalid fields", std::move(errors));
  }
  return data;
}

Status ValidateForm(const forms::FormDefinition& form, const Json& data) {
  Result<forms::FormData> fd = ToFormData(data);
  if (!fd.ok()) return fd.status();
  std::vector<forms::FieldError> errors = forms::Validate(form, *fd);
  if (errors.empty()) return Status::Ok();
  std::string reason = "invalid_form";
  std::vector<FieldError> fields;
  for (forms::FieldError& e : errors) {
    if (e.code == "invalid_credit_code") reason = "invalid_credit_code";
    fields.push_back({std::move(e.field), std::move(e.code), std::move(e.message)});
  }
  return Status::InvalidArgument(reason, "form " + form.id + " has invalid fields", std::move(fields));
}

Status CheckCreditCode(const std::string& code, const std::string& field) {
  if (forms::IsValidCreditCode(code)) return Status::Ok();
  return Status::InvalidArgument(
      "invalid_credit_code", "'" + code + "' is not a valid unified social credit code",
      {{field, "invalid_credit_code",
        field + " must be 18 characters of the GB 32100-2015 alphabet with a correct check character"}});
}

}  // namespace credflow::engine
