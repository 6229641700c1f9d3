// The scenario parser and player: the input is a scenario file (README,
// "Scenarios"), played as `credflow scenario run` plays it against a fresh
// SQLite store in TMPDIR with the shipped rules. Properties: nothing crashes
// or throws; every step is reported, numbered from 1.
#include <string>

#include "adapters/scenario/scenario_runner.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace credflow::fuzz;
  const std::string file = WriteScratchFile("scenario.json", AsText(data, size));
  const credflow::adapters::ScenarioReport report =
      credflow::adapters::RunScenarioFile(file, Rules(), credflow::adapters::ScenarioOptions{});
  for (size_t i = 0; i < report.steps.size(); ++i) {
    const int index = report.steps[i].index;
    CREDFLOW_FUZZ_CHECK(index == static_cast<int>(i) + 1 || index == 0,
                        "step " + std::to_string(i + 1) + " reported as " + std::to_string(index));
  }
  return 0;
}
