// The scenario runner: plays scenario files (the format is in the README, "Scenarios")
// against a fresh store with a manual clock, and reports step by step what
// passed, what failed and what this build does not support yet.
//
// Each file gets its own store (a new SQLite file in the temp folder, removed
// afterwards) unless a database URL is given, in which case the cases stay
// there for `credflow audit verify|replay` and `case show`.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "adapters/app/rules.h"

namespace credflow::adapters {

struct ScenarioOptions {
  std::string database_url;       // empty = a fresh temporary SQLite file per file
  std::vector<std::string> tags;  // play only files with one of these tags
  bool verbose = false;           // print every step, not only failures
};

struct StepReport {
  enum class Result { kPassed, kFailed, kUnsupported };
  int index = 0;  // 1-based
  std::string on;
  std::string what;  // "file_commitment C1", "expect C1"
  Result result = Result::kPassed;
  std::string detail;
};

struct ScenarioReport {
  std::string file;
  std::string name;
  std::string title;
  bool skipped_by_tag = false;
  std::vector<StepReport> steps;

  bool failed() const;
  bool unsupported() const;  // not failed, but a step needs a later workflow
};

ScenarioReport RunScenarioFile(const std::string& file, const LoadedRules& rules, const ScenarioOptions& options);

// Plays every file and prints a report to `out`. Returns the process exit
// code: 0 when every played scenario passed, 1 when one failed, 3 when none
// failed but one used an operation this build does not support yet.
int RunScenarios(const std::vector<std::string>& files, const LoadedRules& rules, const ScenarioOptions& options,
                 std::ostream& out);

}  // namespace credflow::adapters
