#include "workflows/verification/sampling.h"

#include <cmath>
#include <random>
#include <utility>

#include "engine/history.h"
#include "workflows/verification/names.h"

namespace credflow::workflows::verification {
namespace {

// The first 16 hex digits of a SHA-256 hex digest as a big-endian integer.
uint64_t First8Bytes(const std::string& hex) {
  uint64_t value = 0;
  for (int i = 0; i < 16; ++i) {
    const char c = hex[static_cast<size_t>(i)];
    value = (value << 4) | static_cast<uint64_t>(c <= '9' ? c - '0' : c - 'a' + 10);
  }
  return value;
}

// Uniform in [0, bound) from the generator, by rejection: outputs at or above
// the largest multiple of `bound` below 2^64 are drawn again.
uint64_t UniformBelow(std::mt19937_64& rng, uint64_t bound) {
  const uint64_t excess = (0 - bound) % bound;  // 2^64 mod bound
  for (;;) {
    const uint64_t x = rng();
    if (x <= UINT64_MAX - excess) return x % bound;
  }
}

}  // namespace

double DrawUniform(const std::string& seed, const std::string& key) {
  return static_cast<double>(First8Bytes(engine::Sha256Hex(seed + ":" + key))) / 18446744073709551616.0;  // 2^64
}

int QuotaOf(double ratio, int n) {
  // Policy ratios are whole millionths (checked when the policy loads), so
  // the product is exact in integers and the rounding is the rule's, not
  // the floating point's. Non-negative, so half up is half away from zero.
  const int64_t millionths = std::llround(ratio * 1e6);
  return static_cast<int>((millionths * n + 500000) / 1000000);
}

std::string QuotaStream(const std::string& seed, const std::string& grade) { return seed + ":quota:" + grade; }

std::string CandidatesHash(const std::vector<std::string>& sorted_ids) {
  std::string joined;
  for (const std::string& id : sorted_ids) joined += (joined.empty() ? "" : "\n") + id;
  return engine::Sha256Hex(joined);
}

std::vector<std::string> SeededShuffle(std::vector<std::string> ids, const std::string& stream) {
  std::mt19937_64 rng(First8Bytes(engine::Sha256Hex(stream)));
  for (size_t i = ids.size(); i > 1; --i) {
    const size_t last = i - 1;
    const size_t j = static_cast<size_t>(UniformBelow(rng, static_cast<uint64_t>(i)));  // 0 <= j <= last
    std::swap(ids[last], ids[j]);
  }
  return ids;
}

DrawResult Draw(const DrawInputs& in) {
  DrawResult r;
  if (!in.quota) r.u = DrawUniform(in.seed, in.case_id);
  if (in.max_per_cycle && in.verified_in_cycle >= *in.max_per_cycle) {
    r.selected = false;
    r.reason = kCycleLimitReached;
    return r;
  }
  r.selected = in.quota ? in.quota->selected_before < in.quota->quota : r.u < in.ratio;
  r.reason = r.selected ? kSampled : kNotSampled;
  return r;
}

}  // namespace credflow::workflows::verification
