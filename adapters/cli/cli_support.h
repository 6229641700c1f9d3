// What every credflow subcommand shares: global options, starting the engine
// (rule book + store + workflows + clock), and printing results and errors.
// Command groups live in their own files (app.cc, ...) and use this.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "adapters/app/rules.h"
#include "adapters/store/soci_case_store.h"
#include "engine/case_service.h"
#include "engine/clock.h"
#include "engine/history.h"
#include "engine/workflow.h"

namespace credflow::adapters::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;    // the command ran and found a problem
inline constexpr int kExitUnusable = 2;  // bad rules, unreachable store, bad input

struct GlobalOptions {
  std::string database;  // --database; empty = $CREDFLOW_DATABASE or sqlite:credflow.db
  std::string home;      // --home; empty = $CREDFLOW_HOME or the source tree
  // --clock-date: run on a manual clock standing at 00:00 office time of this
  // date (demonstrations, tests, replaying a day); empty = the system clock.
  std::string clock_date;
  // --no-group-commit: StoreOptions::group_commit off.
  bool no_group_commit = false;
};

// Why `text` is not a date credflow accepts, or "" when it is: the shape
// (YYYY-MM-DD) or, for a well-formed text, that the day does not exist
// ("2026-02-30: February 2026 has 28 days").
std::string DateProblem(const std::string& text);
// A CLI11 check with DateProblem's answer: a bad date is a usage error
// (exit 2) before any command runs.
CLI::Validator ExistingDate();
// An existing date within the years a clock may be set to (--clock-date).
CLI::Validator ClockDate();
// A case version: a decimal integer from 1 to 2^63-1, nothing clamped.
CLI::Validator CaseVersion();
// Not the empty string (a file name that must name something).
CLI::Validator NotEmpty();

std::string DatabaseUrl(const GlobalOptions& g);
RulePaths Paths(const GlobalOptions& g);

// Loads the rule book, or prints why credflow will not start and returns null.
std::unique_ptr<LoadedRules> LoadRulesOrExplain(const GlobalOptions& g);
// Opens the store (migrating unless told not to), or prints why not.
// `pool_size` 0 = the store's default.
std::unique_ptr<SociCaseStore> OpenStoreOrExplain(const GlobalOptions& g, bool migrate = true,
                                                  std::size_t pool_size = 0);
// The system clock, or a manual one at --clock-date; null (after saying why)
// for a bad date.
std::unique_ptr<engine::Clock> MakeClock(const GlobalOptions& g);

// Everything a command that runs the engine needs.
struct Engine {
  std::unique_ptr<LoadedRules> rules;
  std::unique_ptr<SociCaseStore> store;
  engine::WorkflowRegistry workflows;
  std::unique_ptr<engine::Clock> clock;  // the system clock, or --clock-date
  std::unique_ptr<engine::CaseService> service;
};
std::unique_ptr<Engine> StartEngine(const GlobalOptions& g, std::size_t pool_size = 0);

void PrintStatus(const engine::Status& st);
// Prints "BROKEN case <id> at event <seq> (<event>): <problem>".
void PrintBreak(const engine::ChainBreak& b);

// The idempotency key a CLI user's --idempotency-key is kept under: scoped
// to the user and apart from the API's ("http:...") and the engine's own
// keys ("subject-case:...", "draw:..."). Empty stays empty.
std::string CliKey(const std::string& user, const std::string& key);
// Prints a command's answer as JSON; returns the exit code.
int PrintResult(const engine::Result<engine::CommandResult>& r);
// `text` is a JSON object, or @FILE holding one; prints why not and returns
// nullopt otherwise. Empty text is an empty object.
std::optional<nlohmann::json> ParseJsonArgument(const std::string& text, const char* what);

// Every argument must be UTF-8 text: names, reasons and ids end up in JSON,
// in the history and in the store. Returns a message naming the first
// argument that is not (e.g. "the value of --name is not valid UTF-8 (byte 0
// of it) ..."), or nullopt when all are.
std::optional<std::string> NonUtf8Argument(int argc, const char* const* argv);

}  // namespace credflow::adapters::cli
