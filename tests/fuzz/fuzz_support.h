// Shared by the libFuzzer targets of tests/fuzz: the shipped rules, a
// world (manual clock, in-memory store, the shipped workflows, the case
// service) that targets rebuild every few thousand inputs so that state
// stays bounded, a scratch folder for loaders that read files, and the
// check that turns a broken property into a crash the fuzzer reports.
//
// Each target defines LLVMFuzzerTestOneInput; under CREDFLOW_FUZZ it links
// libFuzzer's main, in the normal build replay_main.cc's (which runs the
// corpus and the regressions as a ctest). Single-threaded, as libFuzzer
// calls a target.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "adapters/app/rules.h"
#include "engine/case_service.h"
#include "engine/clock.h"
#include "tests/support/in_memory_case_store.h"
#include "workflows/registry.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace credflow::fuzz {

// Aborts with `what` on stderr: a broken property is a crash to the fuzzer
// and a failed replay test.
[[noreturn]] void Broken(const std::string& what);
#define CREDFLOW_FUZZ_CHECK(cond, what)          \
  do {                                           \
    if (!(cond)) ::credflow::fuzz::Broken(what); \
  } while (0)

// The policies, calendar and forms of this repository, loaded once (aborts
// when they do not load). Also silences the product's log.
const adapters::LoadedRules& Rules();

// The input as text.
inline std::string_view AsText(const uint8_t* data, size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

// Everything a command needs, in memory, on 2025-03-03.
struct World {
  World();
  engine::ManualClock clock;
  testing::InMemoryCaseStore store;
  engine::WorkflowRegistry registry;
  std::unique_ptr<engine::CaseService> service;
};

// The path of `name` in a folder of this process's own (made on first use,
// under TMPDIR) holding `bytes` (folders in `name` are made); rewritten on every call.
std::string WriteScratchFile(const std::string& name, std::string_view bytes);
// The scratch folder itself.
const std::string& ScratchDir();

}  // namespace credflow::fuzz
