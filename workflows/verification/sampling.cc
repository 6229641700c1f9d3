#include "workflows/verification/sampling.h"

#include "workflows/verification/names.h"

#include "engine/history.h"

namespace credflow::workflows::verification {

double DrawUniform(const std::string& seed, const std::string& key) {
  const std::string hex = engine::Sha256Hex(seed + ":" + key);
  uint64_t value = 0;
  for (int i = 0; i < 16; ++i) {
    const char c = hex[static_cast<size_t>(i)];
    value = (value << 4) | static_cast<uint64_t>(c <= '9' ? c - '0' : c - 'a' + 10);
  }
  return static_cast<double>(value) / 18446744073709551616.0;  // 2^64
}

DrawResult Draw(const DrawInputs& in) {
  DrawResult r;
  r.u = DrawUniform(in.seed, in.case_id);
  if (in.max_per_cycle && in.verified_in_cycle >= *in.max_per_cycle) {
    r.selected = false;
    r.reason = kCycleLimitReached;
    return r;
  }
  r.selected = r.u < in.ratio;
  r.reason = r.selected ? kSampled : kNotSampled;
  return r;
}

}  // namespace credflow::workflows::verification
