// The policy XML loader: the input is one policy file, loaded from a folder
// of its own as `credflow` loads policies/definitions (pugixml, the section
// loaders, PolicySet::Validate). Property: it never crashes and never
// throws, and a load without errors yields at least one policy.
#include <string>

#include "adapters/xml/policy_loader.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace credflow::fuzz;
  const std::string file = WriteScratchFile("policies/policy.xml", AsText(data, size));
  const std::string dir = file.substr(0, file.rfind('/'));
  const credflow::adapters::PolicyLoadResult result = credflow::adapters::LoadPolicyDirectory(dir);
  for (const auto& e : result.errors) {
    CREDFLOW_FUZZ_CHECK(!e.message.empty(), "an error without a message");
  }
  return 0;
}
