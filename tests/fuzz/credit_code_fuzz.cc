// The credit-code validator (GB 32100-2015). Properties: a code is valid
// exactly when it is 18 characters whose last is the check character of the
// first 17; the check character of 17 valid characters makes a valid code;
// engine::CheckCreditCode agrees with forms::IsValidCreditCode.
#include <optional>
#include <string>

#include "engine/form_data.h"
#include "forms/form.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace credflow::fuzz;
  const std::string code(AsText(data, size));
  const bool valid = credflow::forms::IsValidCreditCode(code);
  CREDFLOW_FUZZ_CHECK(valid == credflow::engine::CheckCreditCode(code).ok(), "CheckCreditCode disagrees");
  CREDFLOW_FUZZ_CHECK(code.size() == 18 || !valid, "a code of " + std::to_string(code.size()) + " bytes is valid");
  if (code.size() >= 17) {
    const std::optional<char> check = credflow::forms::CreditCodeCheckCharacter(code.substr(0, 17));
    if (code.size() == 18) {
      CREDFLOW_FUZZ_CHECK(valid == (check.has_value() && *check == code[17]), "validity and check character differ");
    }
    if (check) {
      CREDFLOW_FUZZ_CHECK(credflow::forms::IsValidCreditCode(code.substr(0, 17) + *check),
                          "a code completed with its check character is refused");
    }
  }
  return 0;
}
