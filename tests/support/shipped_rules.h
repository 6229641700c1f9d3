// The policies, calendar and forms shipped in this repository, loaded once per
// test binary.
#pragma once

#include "adapters/app/rules.h"

namespace credflow::testing {

// REQUIRES: the shipped rules load without errors (asserted).
const adapters::LoadedRules& ShippedRules();
adapters::RulePaths ShippedRulePaths();

}  // namespace credflow::testing
