#include "tests/support/scratch_folder.h"

#include <fstream>
#include <iterator>
#include <system_error>

#include "engine/case_service.h"

namespace credflow::testing {

ScratchFolder::ScratchFolder(const std::string& prefix)
    : path_(std::filesystem::temp_directory_path() / (prefix + "-" + engine::NewRandomId())) {
  std::filesystem::create_directories(path_);
}

ScratchFolder::~ScratchFolder() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string ScratchFolder::Write(const std::string& name, const std::string& bytes) const {
  const std::string path = Path(name);
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

std::string ScratchFolder::Read(const std::string& name) const {
  std::ifstream in(Path(name), std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace credflow::testing
