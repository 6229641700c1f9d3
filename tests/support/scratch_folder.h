// ScratchFolder: a fresh folder in the temporary directory for a test's
// files, removed with everything in it when the test ends.
#pragma once

#include <filesystem>
#include <string>

namespace credflow::testing {

class ScratchFolder {
 public:
  // <temporary directory>/<prefix>-<random id>, created.
  explicit ScratchFolder(const std::string& prefix = "credflow");
  ~ScratchFolder();
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // The path of `name` in the folder.
  std::string Path(const std::string& name) const { return (path_ / name).string(); }
  // Writes `bytes` to `name` in the folder; returns its path.
  std::string Write(const std::string& name, const std::string& bytes) const;
  // The bytes of `name` in the folder ("" when it cannot be read).
  std::string Read(const std::string& name) const;

 private:
  std::filesystem::path path_;
};

}  // namespace credflow::testing
