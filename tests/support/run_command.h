// Runs the credflow binary (or any shell command) and captures its output.
#pragma once

#include <string>

namespace credflow::testing {

struct CommandOutput {
  int exit_code = -1;
  std::string output;  // stdout and stderr, interleaved
};

// Runs `args` (already shell-quoted where needed) after the credflow binary.
CommandOutput RunCredflow(const std::string& args);
CommandOutput RunShell(const std::string& command);
// Single-quotes `s` for /bin/sh.
std::string ShellQuote(const std::string& s);

}  // namespace credflow::testing
