#include "tests/fuzz/fuzz_support.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "policies/date.h"
#include "tests/support/shipped_rules.h"

namespace credflow::fuzz {

void Broken(const std::string& what) {
  std::fprintf(stderr, "fuzz property broken: %s\n", what.c_str());
  std::abort();
}

const adapters::LoadedRules& Rules() {
  static const adapters::LoadedRules& rules = [&]() -> const adapters::LoadedRules& {
    spdlog::set_level(spdlog::level::off);
    return testing::ShippedRules();
  }();
  return rules;
}

World::World() {
  clock.SetDate(*policies::Date::Parse("2025-03-03"));
  workflows::RegisterAll(registry);
  service = std::make_unique<engine::CaseService>(&store, &registry, Rules().book(), &clock);
}

const std::string& ScratchDir() {
  static const std::string dir = [] {
    const std::filesystem::path base =
        std::filesystem::temp_directory_path() / ("credflow-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(base);
    // Removed when the process ends normally (a crash leaves it for the
    // reproducer, in TMPDIR).
    static const std::string keep = base.string();
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(keep, ec);
    });
    return base.string();
  }();
  return dir;
}

std::string WriteScratchFile(const std::string& name, std::string_view bytes) {
  const std::string path = ScratchDir() + "/" + name;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) Broken("cannot write the scratch file " + path);
  return path;
}

}  // namespace credflow::fuzz
