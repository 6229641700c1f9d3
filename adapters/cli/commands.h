// Command groups that live in their own files, wired by RunCli (app.cc).
#pragma once

#include <CLI/CLI.hpp>

#include "adapters/cli/cli_support.h"

namespace credflow::adapters::cli {

// `credflow subject ...`: register, grade, status, show, import (subject_commands.cc).
void AddSubjectCommands(CLI::App& app, const GlobalOptions& g, int& exit_code);
// `credflow case print ...`: rendered documents such as the rectification order
// (document_commands.cc).
void AddDocumentCommands(CLI::App& case_cmd, const GlobalOptions& g, int& exit_code);
// `credflow verification plan ...` (verification_commands.cc).
void AddVerificationCommands(CLI::App& app, const GlobalOptions& g, int& exit_code);
// `credflow serve` (the HTTP API) and `credflow user ...` (its users and
// their tokens) (serve_commands.cc).
void AddServeCommands(CLI::App& app, const GlobalOptions& g, int& exit_code);

}  // namespace credflow::adapters::cli
