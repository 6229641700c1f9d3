// Form validation, and the form definitions it validates against.
//  - Input starting with '<': one form definition (XML), parsed as the
//    forms/definitions loader parses a file; a form that loads is then used
//    to validate a few fixed documents and render its letter.
//  - Otherwise: the first byte picks one of the shipped forms and the rest
//    is the event data (JSON, decoded within the API's bounds) validated
//    against it, as POST /v1/commitments and the events do; valid data is
//    rendered into the form's letter.
// Properties: nothing crashes or throws; a refusal names the fields at fault.
#include <string>
#include <vector>

#include "adapters/input/bounded_json.h"
#include "adapters/xml/form_loader.h"
#include "engine/form_data.h"
#include "tests/fuzz/fuzz_support.h"

namespace credflow::fuzz {
namespace {

using engine::Json;

void ValidateAndRender(const forms::FormDefinition& form, const Json& data) {
  const engine::Status st = engine::ValidateForm(form, data);
  if (st.ok()) {
    engine::Result<forms::FormData> fields = engine::ToFormData(data);
    CREDFLOW_FUZZ_CHECK(fields.ok(), "valid data that ToFormData refuses");
    (void)forms::RenderLetter(form, *fields, {{"subject", "91320500L968FMY61Q"}});
  } else {
    CREDFLOW_FUZZ_CHECK(st.IsInvalidArgument(), "a refusal that is not InvalidArgument: " + st.ToString());
  }
}

}  // namespace
}  // namespace credflow::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace credflow::fuzz;
  using credflow::engine::Json;
  if (size == 0) return 0;
  const std::vector<const credflow::forms::FormDefinition*> shipped = Rules().forms.All();
  if (data[0] == '<') {
    std::vector<credflow::adapters::FormLoadError> errors;
    const std::optional<credflow::forms::FormDefinition> form =
        credflow::adapters::ParseFormDefinition(std::string(AsText(data, size)), "fuzz.xml", errors);
    CREDFLOW_FUZZ_CHECK(form.has_value() == errors.empty(), "a form both loaded and refused (or neither)");
    if (form) {
      ValidateAndRender(*form, Json::object());
      ValidateAndRender(*form, Json{{"applicant_name", "苏州禾丰餐饮管理有限公司"},
                                    {"signed_on", "2025-03-03"},
                                    {"business_items", {"prepackaged_food_sales"}},
                                    {"amount", 12.5},
                                    {"count", 3},
                                    {"agreed", true},
                                    {"code", "91320500L968FMY61Q"}});
    }
    return 0;
  }
  const credflow::forms::FormDefinition& form = *shipped[data[0] % shipped.size()];
  credflow::engine::Result<Json> decoded = credflow::adapters::input::DecodeJson(AsText(data + 1, size - 1), "fuzz");
  if (!decoded.ok()) return 0;
  ValidateAndRender(form, *decoded);
  return 0;
}
