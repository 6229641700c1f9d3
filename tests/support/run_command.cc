#include "tests/support/run_command.h"
#include "tests/support/paths.h"

#include <sys/wait.h>

#include <array>
#include <cstdio>

namespace credflow::testing {

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

CommandOutput RunShell(const std::string& command) {
  CommandOutput result;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) result.output.append(buf.data(), n);
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

CommandOutput RunCredflow(const std::string& args) { return RunShell(ShellQuote(CredflowBinary()) + " " + args); }

}  // namespace credflow::testing
