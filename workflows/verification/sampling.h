// The reproducible verification draw (抽查): which commitments are verified.
//
// Every draw is a pure function an auditor can recompute from what the
// history records, with any SHA-256 tool and any std::mt19937_64. The policy
// says per risk grade how its ratio applies (<grade draw="...">):
//
// independent (each commitment on its own):
//   u = first 8 bytes of SHA-256(seed ":" case_id), big-endian, / 2^64
//   selected  <=>  u < ratio
//
// quota (exactly round(ratio x N) of the grade's N commitments in the plan):
//   candidates = the plan's case ids of the grade, sorted bytewise; N = their
//                count; candidates_sha256 = SHA-256 of the ids joined by "\n"
//   quota      = ratio x N rounded half away from zero, computed exactly in
//                integers from the ratio in millionths:
//                (ratio_millionths x N + 500000) / 1000000
//   order      = Fisher-Yates shuffle of the candidates by std::mt19937_64
//                seeded with the first 8 bytes, big-endian, of
//                SHA-256(seed ":quota:" grade): for i = N-1 down to 1, swap
//                [i] with [j], j = x mod (i+1) for the first output x below
//                2^64 - (2^64 mod (i+1)) (rejection, so j is unbiased).
//                std::shuffle and std::uniform_int_distribution are not used:
//                their algorithms are left to each standard library.
//   walking the order, a candidate is selected while fewer than `quota`
//   before it were selected (selected_before < quota).
//
// In both, the Weihai rule comes first: a subject whose grade limits it to
// `max_per_cycle` verifications a cycle ("无事不扰") and has had them is
// exempted (cycle_limit_reached), and in a quota walk the next candidate
// takes its place. The seed and every input are recorded in the history
// event that applies the draw, so replaying the history reproduces the plan
// (workflows/verification/verification_workflow.h, ReplayPlan).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "policies/policy.h"

namespace credflow::workflows::verification {

// Uniform in [0, 1) from the seed and the key.
double DrawUniform(const std::string& seed, const std::string& key);

// round(ratio x n), halves away from zero, exact for ratios in millionths.
int QuotaOf(double ratio, int n);
// The random stream a quota draw of `grade` shuffles with.
std::string QuotaStream(const std::string& seed, const std::string& grade);
// SHA-256 hex of the sorted candidate ids joined by "\n".
std::string CandidatesHash(const std::vector<std::string>& sorted_ids);
// The candidates in the order the seeded Fisher-Yates shuffle of `stream`
// puts them (see above). The same inputs give the same order everywhere.
std::vector<std::string> SeededShuffle(std::vector<std::string> sorted_ids, const std::string& stream);

// Where a commitment stands in its grade's quota draw.
struct QuotaPlace {
  int candidates = 0;       // N
  int quota = 0;            // round(ratio x N)
  int position = 0;         // 0-based, in the shuffled order
  int selected_before = 0;  // candidates selected at earlier positions
  std::string candidates_sha256;
};

struct DrawInputs {
  std::string seed;
  std::string case_id;
  std::string grade;                 // the subject's risk grade at the draw (or the default)
  double ratio = 0;                  // the policy's sampling ratio for that grade
  int verified_in_cycle = 0;         // the subject's selected verifications this cycle
  std::optional<int> max_per_cycle;  // the policy's limit for the grade, if any
  std::optional<QuotaPlace> quota;   // set for a quota draw, absent for an independent one
};

struct DrawResult {
  double u = 0;  // independent draws only
  bool selected = false;
  // Why: "sampled" (u < ratio, or within the quota), "not_sampled" (u >=
  // ratio, or the quota is filled), "cycle_limit_reached" (the grade's
  // per-cycle limit is used up).
  std::string reason;
};

DrawResult Draw(const DrawInputs& in);

}  // namespace credflow::workflows::verification
