// Valid unified social credit codes for benchmark data, the check character
// computed by forms/ (the same code that validates them).
#pragma once

#include <optional>
#include <string>

#include "forms/form.h"

namespace credflow::bench {

// "91" (an enterprise registered by market regulation) + the 6-digit
// `region` + a 9-character organisation code counted from `n` in the code
// alphabet + the GB 32100-2015 check character.
inline std::string SyntheticCreditCode(const std::string& region, long n) {
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  std::string organisation(9, '0');
  for (int i = 8; i >= 0; --i) {
    organisation[static_cast<size_t>(i)] = kAlphabet[n % 31];
    n /= 31;
  }
  std::string code = "91" + region + organisation;
  code += forms::CreditCodeCheckCharacter(code).value_or('?');
  return code;
}

}  // namespace credflow::bench
