#include "tests/support/paths.h"

namespace credflow::testing {

const std::string& SourceDir() {
  static const std::string dir = CREDFLOW_SOURCE_DIR;
  return dir;
}

const std::string& CredflowBinary() {
  static const std::string binary = CREDFLOW_BINARY;
  return binary;
}

}  // namespace credflow::testing
