// Importing dishonesty records (失信信息: penalties, abnormal-list and
// serious-list entries) from a CSV file, as a credit office receives them
// from the deciding departments, often saved by Excel in GB 18030.
//
// The file starts with a header naming its columns in any order, in
// English or in Chinese (either name of a column; see kRecordColumns):
//   code 统一社会信用代码, department 认定单位, platform 公示平台, kind 类型,
//   decided_on 决定日期 (required); department_name 认定单位名称, tier 失信等级,
//   penalties 处罚种类, amount 罚没金额, sector 行业, violation 违法类型,
//   published_on 公示日期, restriction_until 限制期限至, simple_procedure
//   简易程序, specific_serious 特定严重失信, decision_number 决定书文号.
// Values may be the codes of RecordDecided (credit_china, penalty, general,
// fine) or their Chinese names (信用中国, 行政处罚, 一般, 罚款); penalties are
// separated by 、 ; or |; yes/no as 是/否, true/false, 1/0; dates as
// 2026-03-01, 2026/3/1 or 2026年3月1日; amounts may carry thousands commas.
//
// Every row is checked before anything is written; a row that fails is
// reported with its line and reason and the import goes on:
//   RecordDishonesty's reasons (invalid_credit_code, invalid_event_data,
//   date_in_future, no_policy_in_force, no_window_rule) and the CSV's:
//   malformed_row, wrong_column_count, unknown_value (a name that is no
//   code), field_too_long, duplicate_row (the same record on an earlier
//   line), too_many_rows.
// Rows are written in batches, one store transaction per batch. Each row is
// kept under an idempotency key derived from its content (SHA-256 of the
// normalized record), so importing the same file again records nothing
// twice: its rows count as `already_recorded`. Should a batch fail as a
// whole, its rows are retried one transaction each.
//
// Thread safety: one import at a time per call; the store serialises.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "adapters/import/subject_import.h"
#include "adapters/import/text_encoding.h"
#include "engine/case_service.h"

namespace credflow::adapters::importer {

// Bounds: rows per file, bytes per field (a file is at most 64 MiB, see
// text_encoding.h).
inline constexpr int kMaxRecordRows = 100000;
inline constexpr size_t kMaxRecordFieldBytes = 2000;

struct RecordImportOptions {
  int batch_size = 200;  // rows per store transaction
  engine::Actor actor{"import", "caseworker", ""};
  std::ostream* progress = nullptr;  // where the progress bar is drawn, or nullptr
  TextEncoding encoding = TextEncoding::kAuto;
};

struct RecordImportReport {
  int rows = 0;                       // data rows read (blank lines not counted)
  int recorded = 0;                   // records opened by this import
  int already_recorded = 0;           // rows an earlier import recorded
  std::vector<RejectedRow> rejected;  // in line order
  std::vector<std::string> cases;     // the record case of each row written or found, in line order
  int transactions = 0;
  double seconds = 0;
  TextEncoding encoding = TextEncoding::kUtf8;  // what the file was read as
};

// The idempotency key a row is kept under: the record's content key
// (workflows/record/record_workflow.h), which the API and CLI keep too.
std::string RecordRowKey(const std::string& subject, const engine::Json& record);

// Imports `csv` (UTF-8 text). Fails as a whole, nothing written, with
// InvalidArgument("invalid_header") for a missing, unknown or repeated
// column. Stops with the store's Status when the store fails (Unavailable,
// Internal): the batches committed before stay, and importing again
// finishes it.
engine::Result<RecordImportReport> ImportRecords(engine::CaseService& service, std::istream& csv,
                                                 const RecordImportOptions& options);
// The same for a file in UTF-8 or GB 18030 (options.encoding):
// NotFound("file_not_found"), InvalidArgument("file_too_large"),
// InvalidArgument("invalid_encoding") naming the line, before anything is
// written.
engine::Result<RecordImportReport> ImportRecordsFile(engine::CaseService& service, const std::string& path,
                                                     const RecordImportOptions& options);

}  // namespace credflow::adapters::importer
