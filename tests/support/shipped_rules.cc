#include "tests/support/shipped_rules.h"
#include "tests/support/paths.h"

#include <cstdio>
#include <cstdlib>

namespace credflow::testing {

adapters::RulePaths ShippedRulePaths() {
  const std::string& root = SourceDir();
  return adapters::RulePaths{root + "/policies/definitions", root + "/policies/calendars", root + "/forms/definitions"};
}

const adapters::LoadedRules& ShippedRules() {
  static const std::unique_ptr<adapters::LoadedRules> rules = [] {
    auto loaded = adapters::LoadRules(ShippedRulePaths());
    if (!loaded->ok()) {
      for (const std::string& e : loaded->errors) std::fprintf(stderr, "%s\n", e.c_str());
      std::abort();
    }
    return loaded;
  }();
  return *rules;
}

}  // namespace credflow::testing
