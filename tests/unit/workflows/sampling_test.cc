// The quota draw's pieces, as an auditor recomputes them: the rounding, the
// generator, the shuffle and the candidates' hash (workflows/verification/sampling.h).
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

#include "workflows/verification/sampling.h"

namespace credflow::testing {
namespace {

using workflows::verification::CandidatesHash;
using workflows::verification::Draw;
using workflows::verification::DrawInputs;
using workflows::verification::QuotaOf;
using workflows::verification::QuotaPlace;
using workflows::verification::QuotaStream;
using workflows::verification::SeededShuffle;

std::vector<std::string> Ids(int n) {
  std::vector<std::string> ids;
  for (int k = 0; k < n; ++k) ids.push_back((k < 10 ? "case-0" : "case-") + std::to_string(k));
  return ids;
}

// Halves go away from zero, also where ratio x N is not exact in binary
// floating point (0.35 x 10 is 3.4999999999999996 as a double).
TEST(QuotaSamplingTest, QuotaRoundsHalvesAwayFromZeroExactly) {
  EXPECT_EQ(QuotaOf(0.80, 2), 2);   // 1.6
  EXPECT_EQ(QuotaOf(0.05, 9), 0);   // 0.45
  EXPECT_EQ(QuotaOf(0.05, 10), 1);  // 0.5
  EXPECT_EQ(QuotaOf(0.25, 2), 1);   // 0.5
  EXPECT_EQ(QuotaOf(0.15, 10), 2);  // 1.5
  EXPECT_EQ(QuotaOf(0.35, 10), 4);  // 3.5
  EXPECT_EQ(QuotaOf(0.20, 9), 2);   // 1.8
  EXPECT_EQ(QuotaOf(0.60, 5), 3);
  EXPECT_EQ(QuotaOf(0.0, 100), 0);
  EXPECT_EQ(QuotaOf(1.0, 7), 7);
  EXPECT_EQ(QuotaOf(0.8, 0), 0);
}

// The generator is the standard's: its 10000th output from the default seed
// is fixed by [rand.predef], so every conforming library replays the same draw.
TEST(QuotaSamplingTest, GeneratorIsTheStandardMersenneTwister) {
  std::mt19937_64 rng;
  rng.discard(9999);
  EXPECT_EQ(rng(), 9981545732273789042ULL);
}

// A known answer computed outside C++ (a Python mt19937_64 and hashlib,
// following the recipe in sampling.h): the shuffle does not depend on the
// standard library's choices.
TEST(QuotaSamplingTest, ShuffleMatchesAnIndependentComputation) {
  const std::vector<std::string> order = SeededShuffle(Ids(10), "plan:2027-03-01:quota:D");
  const std::vector<std::string> expected = {"case-04", "case-06", "case-08", "case-03", "case-02",
                                             "case-00", "case-01", "case-05", "case-09", "case-07"};
  EXPECT_EQ(order, expected);
  EXPECT_EQ(CandidatesHash(Ids(10)), "44c3ff8ae0e6d71b048c48d5089fa504a1554ee328b73a7f2fe93fc27622d269");
  EXPECT_EQ(QuotaStream("plan:2027-03-01", "D"), "plan:2027-03-01:quota:D");
}

// Same seed, same order; another seed, another order; always a permutation.
TEST(QuotaSamplingTest, ShuffleIsAPermutationFixedByTheSeed) {
  const std::vector<std::string> ids = Ids(60);
  const std::vector<std::string> a = SeededShuffle(ids, QuotaStream("plan:2027-03-01", "C"));
  EXPECT_EQ(SeededShuffle(ids, QuotaStream("plan:2027-03-01", "C")), a);
  EXPECT_NE(SeededShuffle(ids, QuotaStream("plan:2027-03-02", "C")), a);
  EXPECT_NE(SeededShuffle(ids, QuotaStream("plan:2027-03-01", "D")), a);
  std::vector<std::string> sorted = a;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, ids);
  EXPECT_EQ(SeededShuffle({}, "x"), std::vector<std::string>{});
  EXPECT_EQ(SeededShuffle({"only"}, "x"), std::vector<std::string>{"only"});
}

// Within a quota, a place is selected while the quota is not yet filled;
// the per-cycle limit exempts first.
TEST(QuotaSamplingTest, QuotaPlaceDecides) {
  DrawInputs in;
  in.seed = "plan:2027-03-01";
  in.case_id = "case-00";
  in.ratio = 0.8;
  in.quota = QuotaPlace{5, 4, 4, 3, "h"};
  EXPECT_TRUE(Draw(in).selected);
  in.quota->selected_before = 4;
  EXPECT_FALSE(Draw(in).selected);
  EXPECT_EQ(Draw(in).reason, "not_sampled");
  in.quota->selected_before = 0;
  in.max_per_cycle = 1;
  in.verified_in_cycle = 1;
  EXPECT_EQ(Draw(in).reason, "cycle_limit_reached");
}

}  // namespace
}  // namespace credflow::testing
