// Command groups that live in their own files, wired by RunCli (app.cc).
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <string>
#include <vector>

#include "adapters/cli/cli_support.h"

namespace credflow::adapters::cli {

// `credflow subject ...`: register, grade, status, show, import (subject_commands.cc).
void AddSubjectCommands(CLI::App& app, const GlobalOptions& g, int& exit_code);
// `credflow record add|list|fulfil|import` (record_commands.cc).
void AddRecordCommands(CLI::App& app, const GlobalOptions& g, int& exit_code);
// `credflow repair apply|show|documents|decide|extend|revoke|inbox`
// (repair_commands.cc).
void AddRepairCommands(CLI::App& app, const GlobalOptions& g, int& exit_code);
// `credflow ledger draw|report`: the 屡禁不止 remediation ledger.
void AddLedgerCommands(CLI::App& app, const GlobalOptions& g, int& exit_code);
// `credflow case print ...`: rendered documents such as the rectification order
// (document_commands.cc).
void AddDocumentCommands(CLI::App& case_cmd, const GlobalOptions& g, int& exit_code);
// `credflow verification plan ...` (verification_commands.cc).
void AddVerificationCommands(CLI::App& app, const GlobalOptions& g, int& exit_code);
// `credflow inspection plan|replay|open|inbox|record`: random inspections by
// credit risk grade (inspection_commands.cc).
void AddInspectionCommands(CLI::App& app, const GlobalOptions& g, int& exit_code);
// `credflow serve` (the HTTP API) and `credflow user ...` (its users and
// their tokens) (serve_commands.cc).
void AddServeCommands(CLI::App& app, const GlobalOptions& g, int& exit_code);
// enforcement report.
void AddEnforcementCommands(CLI::App& app, const GlobalOptions& g, int& exit_code);
// backup, restore (SQLite).
void AddBackupCommands(CLI::App& app, const GlobalOptions& g, int& exit_code);
// `credflow calendar show|import` (calendar_commands.cc).
void AddCalendarCommands(CLI::App& app, const GlobalOptions& g, int& exit_code);
// `credflow audit keygen|anchor`: Ed25519 keys and signed anchors of every
// case's chain head (audit_commands.cc).
void AddAuditAnchorCommands(CLI::App& audit, const GlobalOptions& g, int& exit_code);
// `credflow audit verify --anchor FILE...`: each anchor's signature (with the
// key in `public_key_path`, else the one in the file), then every anchored
// case's chain up to its anchored head. 0 when all match, 1 on a bad
// signature or a mismatch, 2 when a file or the store cannot be read.
int AuditVerifyAnchors(const GlobalOptions& g, const std::vector<std::string>& anchors,
                       const std::string& public_key_path);
// `credflow serve --anchor-every PERIOD --anchor-key FILE --anchor-dir DIR`:
// a signed anchor into DIR once a period (adapters/audit/anchor_schedule.h).
struct AnchorScheduleFlags {
  std::string every, key, dir;
};
void AddAnchorScheduleOptions(CLI::App& serve, AnchorScheduleFlags& flags);
// Starts the scheduled anchor when the flags ask for one. Returns false
// (after saying why) when they are incomplete or the key or folder is
// unusable; `*running` stays null when no anchor was asked for.
bool StartAnchorSchedule(Engine& e, const AnchorScheduleFlags& flags, std::shared_ptr<void>* running);
// Counts every provisional deadline again on the calendar as loaded (a
// notice added to the calendar folder since the last start), and says what
// moved. Run by the processes that fire timers: serve, timers run/loop.
void RecountDeadlinesAtStartUp(Engine& e);

}  // namespace credflow::adapters::cli
