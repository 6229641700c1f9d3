// Importing subjects and their risk grades from a CSV file.
//
// The file starts with a header naming its columns, in any order:
//   code,name,status,grade,grade_reason[,grade_set_on]
// Fields are comma-separated; a field holding a comma, a quote or a line
// break is quoted ("苏州市某某有限公司, 分公司"); inside quotes a backslash
// escapes the next character (boost::escaped_list_separator). A UTF-8 byte
// order mark and CRLF line ends are accepted; blank lines are skipped. A
// file may be UTF-8 or GB 18030 (what Excel in China saves), see
// ImportSubjectsFile.
//
// Each row registers its subject, or brings a registered one up to the row
// (workflows::subject::RegisterSubjectInTransaction): an empty status or
// grade leaves the recorded one alone (a new subject is then operating and
// ungraded); grade_set_on defaults to the day of the import. Rows are
// checked before anything is written; a row that fails a check is reported
// with its line number and reason and the import goes on:
//   invalid_credit_code, duplicate_code (the code is on an earlier line),
//   missing_name, unknown_subject_status, unknown_risk_grade,
//   invalid_date (not YYYY-MM-DD, or after today), missing_grade (a reason
//   or date without a grade), wrong_column_count, malformed_row.
// The other rows are written in batches, one store transaction per batch, so
// a re-import of the same file writes nothing (every row is "unchanged").
// Should a batch fail as a whole, its rows are retried one transaction each,
// so only the failing rows are rejected.
//
// Thread safety: one import at a time per call; the store serialises.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "adapters/import/text_encoding.h"
#include "engine/case_service.h"

namespace credflow::adapters::importer {

struct SubjectImportOptions {
  int batch_size = 500;  // rows per store transaction
  engine::Actor actor{"import", "caseworker", ""};
  // Where the progress bar is drawn (redrawn in place with \r), or nullptr.
  std::ostream* progress = nullptr;
  // How ImportSubjectsFile reads the file's bytes (text_encoding.h).
  TextEncoding encoding = TextEncoding::kAuto;
};

struct RejectedRow {
  int line = 0;        // the file line the row starts on (the header is line 1)
  std::string code;    // as written
  std::string reason;  // a reason code listed above
  std::string message;
};

struct SubjectImportReport {
  int rows = 0;                                 // data rows read (blank lines not counted)
  int imported = 0;                             // subjects registered
  int updated = 0;                              // registered subjects that changed
  int unchanged = 0;                            // registered subjects already as the file says
  std::vector<RejectedRow> rejected;            // in line order
  int transactions = 0;                         // store transactions that committed
  double seconds = 0;                           // wall time of the whole import
  TextEncoding encoding = TextEncoding::kUtf8;  // what the file was read as
};

// Imports `csv`. Fails as a whole (nothing written) with
// InvalidArgument("invalid_header") for a missing, unknown or repeated
// column, and NotFound("no_policy_in_force") without a risk-classification
// policy for today. Stops with the store's Status when the store fails
// (Unavailable, Internal): the batches committed before stay, and running
// the import again finishes it.
engine::Result<SubjectImportReport> ImportSubjects(engine::CaseService& service, std::istream& csv,
                                                   const SubjectImportOptions& options);
// The same for a file, in UTF-8 or GB 18030 (options.encoding; auto by
// default): NotFound("file_not_found") when it cannot be read,
// InvalidArgument("file_too_large") over 64 MiB, and
// InvalidArgument("invalid_encoding") naming the first line whose bytes are
// not valid in the encoding, all before anything is written.
engine::Result<SubjectImportReport> ImportSubjectsFile(engine::CaseService& service, const std::string& path,
                                                       const SubjectImportOptions& options);

}  // namespace credflow::adapters::importer
