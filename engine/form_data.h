// Conversion of JSON input into the forms module's neutral FormData, and
// validation of event data against an XML-defined form.
#pragma once

#include <string>

#include "engine/case.h"
#include "engine/status.h"
#include "forms/form.h"

namespace credflow::engine {

// Converts a JSON object of scalar fields and string lists. A value of
// another shape (an object, a list of non-strings) is reported as a
// wrong_type field error; a non-object is InvalidArgument("invalid_form").
Result<forms::FormData> ToFormData(const Json& j);

// Validates `data` against `form`. InvalidArgument("invalid_form") with one
// FieldError per offending field; a bad credit-code field is reported with
// reason "invalid_credit_code".
Status ValidateForm(const forms::FormDefinition& form, const Json& data);

// OK when `code` is a valid unified social credit code, else
// InvalidArgument("invalid_credit_code") naming `field`.
Status CheckCreditCode(const std::string& code, const std::string& field = "subject");

}  // namespace credflow::engine
