// The reproducible verification draw (抽查): which commitments are verified.
//
// The draw is a pure function an auditor can recompute with any SHA-256 tool:
//   u = first 8 bytes of SHA-256(seed ":" case_id), big-endian, / 2^64
//   selected  <=>  u < ratio, unless the Weihai rule exempts the subject
// (a grade-A subject is verified at most `max_per_cycle` times per cycle,
// "无事不扰"). The seed and every input are recorded in the history event
// that applies the draw, so replaying the history reproduces the plan.
#pragma once

#include <optional>
#include <string>

#include "policies/policy.h"

namespace credflow::workflows::verification {

// Uniform in [0, 1) from the seed and the key.
double DrawUniform(const std::string& seed, const std::string& key);

struct DrawInputs {
  std::string seed;
  std::string case_id;
  std::string grade;                 // the subject's risk grade at the draw (or the default)
  double ratio = 0;                  // the policy's sampling ratio for that grade
  int verified_in_cycle = 0;         // the subject's selected verifications this cycle
  std::optional<int> max_per_cycle;  // the policy's limit for the grade, if any
};

struct DrawResult {
  double u = 0;
  bool selected = false;
  // Why: "sampled" (u < ratio), "not_sampled" (u >= ratio),
  // "cycle_limit_reached" (the grade's per-cycle limit is used up).
  std::string reason;
};

DrawResult Draw(const DrawInputs& in);

}  // namespace credflow::workflows::verification
