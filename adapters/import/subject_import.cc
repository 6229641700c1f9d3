// CSV import of subjects (see subject_import.h).
#include "adapters/import/subject_import.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <istream>
#include <iterator>
#include <map>
#include <optional>
#include <ostream>
#include <sstream>
#include <utility>

#include "adapters/import/csv_reader.h"
#include "adapters/import/office_dates.h"
#include "adapters/import/text_encoding.h"
#include "engine/form_data.h"
#include "policies/subject_vocabulary.h"
#include "workflows/subject/subject_service.h"

namespace credflow::adapters::importer {
namespace {

using engine::Json;
using engine::Result;
using engine::Status;
using workflows::subject::RegisterSubjectRequest;
using workflows::subject::SubjectAnswer;
using workflows::subject::SubjectChange;
using SteadyClock = std::chrono::steady_clock;

enum Column { kCode, kName, kStatus, kGrade, kGradeReason, kGradeSetOn, kColumnCount };
constexpr const char* kColumnNames[kColumnCount] = {"code", "name", "status", "grade", "grade_reason", "grade_set_on"};

// Each column by its name, or by the Chinese headers offices write for it
// (a sheet exported from a registration or grading system).
const std::map<std::string, Column> kHeaders = {
    {"code", kCode},
    {"name", kName},
    {"status", kStatus},
    {"grade", kGrade},
    {"grade_reason", kGradeReason},
    {"grade_set_on", kGradeSetOn},
    {"统一社会信用代码", kCode},
    {"信用代码", kCode},
    {"企业名称", kName},
    {"市场主体名称", kName},
    {"名称", kName},
    {"经营状态", kStatus},
    {"登记状态", kStatus},
    {"状态", kStatus},
    {"风险等级", kGrade},
    {"信用风险等级", kGrade},
    {"信用风险分类", kGrade},
    {"等级", kGrade},
    {"分级理由", kGradeReason},
    {"等级理由", kGradeReason},
    {"定级理由", kGradeReason},
    {"定级日期", kGradeSetOn},
    {"分级日期", kGradeSetOn},
    {"等级日期", kGradeSetOn},
};

// The policy's code for a status or grade written as the policy's code or
// as its Chinese name (正常经营 -> operating, 信用风险高 -> D); the text
// itself otherwise (the registration check names what is known).
std::string StatusCode(const policies::Policy& policy, const std::string& text) {
  if (const auto* vocabulary = policy.Find<policies::SubjectVocabularySection>()) {
    for (const policies::SubjectStatusDefinition& s : vocabulary->subject_statuses) {
      if (s.name == text) return s.value;
    }
  }
  return text;
}
std::string GradeCode(const policies::Policy& policy, const std::string& text) {
  if (const auto* vocabulary = policy.Find<policies::SubjectVocabularySection>()) {
    for (const policies::RiskGradeDefinition& g : vocabulary->risk_grades) {
      if (g.name == text || g.value + "类" == text || g.value + "级" == text) return g.value;
    }
  }
  return text;
}

// Maps each known column to its position in the header, -1 when absent.
Status ReadHeader(const CsvRecord& header, std::vector<int>* positions) {
  positions->assign(kColumnCount, -1);
  const auto bad = [&](const std::string& message) {
    return Status::InvalidArgument("invalid_header", "line " + std::to_string(header.line) + ": " + message +
                                                         " (expected code,name,status,grade,grade_reason"
                                                         "[,grade_set_on], or 统一社会信用代码,企业名称,经营状态,"
                                                         "风险等级,分级理由[,定级日期])");
  };
  std::optional<std::vector<std::string>> names = CsvFields(header.text);
  if (!names) return bad("the header is not valid CSV");
  for (size_t i = 0; i < names->size(); ++i) {
    const std::string& name = (*names)[i];
    const auto known = kHeaders.find(name);
    if (known == kHeaders.end()) return bad("unknown column '" + name + "'");
    int& position = (*positions)[known->second];
    if (position >= 0) return bad("column '" + name + "' is given twice");
    position = static_cast<int>(i);
  }
  for (int c = 0; c < kGradeSetOn; ++c) {
    if ((*positions)[c] < 0) return bad(std::string("column '") + kColumnNames[c] + "' is missing");
  }
  return Status::Ok();
}

// A row that passed every check, ready to be written.
struct PendingRow {
  int line = 0;
  RegisterSubjectRequest request;
};

void Tally(SubjectChange change, SubjectImportReport* report) {
  switch (change) {
    case SubjectChange::kCreated: ++report->imported; break;
    case SubjectChange::kUpdated: ++report->updated; break;
    case SubjectChange::kUnchanged: ++report->unchanged; break;
  }
}

// A failure that says the store itself is in trouble, not the row.
bool IsStoreFailure(const Status& st) {
  return st.code() == Status::Code::kUnavailable || st.code() == Status::Code::kInternal;
}

// Writes `rows` in one transaction; on failure writes them one per
// transaction, rejecting the rows that fail.
Status WriteBatch(engine::CaseService& service, const std::vector<PendingRow>& rows, size_t begin, size_t end,
                  SubjectImportReport* report) {
  // One batch is one command on the engine's command path (a unit of work,
  // the retry of a race lost to a concurrent command, the commit observer).
  std::vector<SubjectChange> changes;
  engine::CommandOptions options;
  options.retry_lost_races = true;
  engine::Result<engine::CommandAnswer> batch = service.RunCommand(options, [&](engine::UnitOfWork& tx, Json*) {
    changes.clear();
    for (size_t i = begin; i < end; ++i) {
      SubjectAnswer answer;
      CREDFLOW_RETURN_IF_ERROR(workflows::subject::RegisterSubjectInTransaction(service, tx, rows[i].request, &answer));
      changes.push_back(answer.change);
    }
    return Status::Ok();
  });
  if (batch.ok()) {
    ++report->transactions;
    for (SubjectChange change : changes) Tally(change, report);
    return Status::Ok();
  }
  const Status& st = batch.status();
  if (st.code() == Status::Code::kUnavailable) return st;
  // One row (or a race) failed the batch: isolate it.
  for (size_t i = begin; i < end; ++i) {
    Result<SubjectAnswer> answer = workflows::subject::RegisterSubject(service, rows[i].request);
    if (answer.ok()) {
      ++report->transactions;
      Tally(answer->change, report);
    } else if (IsStoreFailure(answer.status())) {
      return answer.status();
    } else {
      report->rejected.push_back(
          RejectedRow{rows[i].line, rows[i].request.code, answer.status().reason(), answer.status().message()});
    }
  }
  return Status::Ok();
}

}  // namespace

Result<SubjectImportReport> ImportSubjects(engine::CaseService& service, std::istream& csv,
                                           const SubjectImportOptions& options) {
  const SteadyClock::time_point start = SteadyClock::now();
  SubjectImportReport report;
  const std::vector<CsvRecord> records = ReadCsvRecords(csv);
  if (records.empty()) {
    return Status::InvalidArgument("invalid_header", "the file is empty (expected a header line)");
  }
  std::vector<int> columns;
  CREDFLOW_RETURN_IF_ERROR(ReadHeader(records[0], &columns));
  const policies::Date today = service.clock().Today();
  const policies::Policy* policy = service.rules().policies->Select(workflows::subject::kPolicyId, today);
  if (policy == nullptr) {
    return Status::NotFound("no_policy_in_force", std::string("no ") + workflows::subject::kPolicyId +
                                                      " policy is in force on " + today.ToString());
  }
  const size_t width = static_cast<size_t>(*std::max_element(columns.begin(), columns.end()) + 1);

  // Check every row before writing any.
  std::vector<PendingRow> pending;
  std::map<std::string, int> first_line;  // code -> line
  for (size_t r = 1; r < records.size(); ++r) {
    const CsvRecord& record = records[r];
    if (IsBlankCsvRecord(record.text)) continue;
    ++report.rows;
    const auto reject = [&](const std::string& code, const std::string& reason, const std::string& message) {
      report.rejected.push_back(RejectedRow{record.line, code, reason, message});
    };
    std::optional<std::vector<std::string>> fields = CsvFields(record.text);
    if (!fields) {
      reject("", "malformed_row", MalformedCsvRecordMessage(record));
      continue;
    }
    const size_t code_at = static_cast<size_t>(columns[kCode]);
    const std::string code = code_at < fields->size() ? (*fields)[code_at] : std::string();
    if (fields->size() != width) {
      reject(code, "wrong_column_count",
             "the row has " + std::to_string(fields->size()) + " fields, the header " + std::to_string(width));
      continue;
    }
    const auto field = [&](Column c) { return columns[c] < 0 ? std::string() : (*fields)[columns[c]]; };
    if (Status st = engine::CheckCreditCode(code, "code"); !st.ok()) {
      reject(code, st.reason(), st.message());
      continue;
    }
    if (auto it = first_line.find(code); it != first_line.end()) {
      reject(code, "duplicate_code", "code " + code + " is also on line " + std::to_string(it->second));
      continue;
    }
    RegisterSubjectRequest request;
    request.code = code;
    request.name = field(kName);
    request.status = StatusCode(*policy, field(kStatus));
    request.grade = GradeCode(*policy, field(kGrade));
    request.grade_reason = field(kGradeReason);
    request.grade_source = workflows::subject::kGradeSourceImport;
    request.actor = options.actor;
    if (const std::string set_on = field(kGradeSetOn); !set_on.empty()) {
      const std::optional<std::string> normalized = NormalizedOfficeDate(set_on);
      if (normalized) request.grade_set_on = policies::Date::Parse(*normalized);
      if (!request.grade_set_on) {
        reject(code, "invalid_date",
               "grade_set_on '" + set_on + "' is not a date (" + std::string(kOfficeDateForms) + ")");
        continue;
      }
    }
    if (Status st = workflows::subject::CheckRegistration(*policy, request, today); !st.ok()) {
      reject(code, st.reason(), st.message());
      continue;
    }
    // Counted as the code's first line only once it passed: a later row of
    // the same code is not blamed on a line that was itself rejected.
    first_line.emplace(code, record.line);
    pending.push_back(PendingRow{record.line, std::move(request)});
  }

  const int batch = std::max(1, options.batch_size);
  const int rejected_before = static_cast<int>(report.rejected.size());
  ProgressBar bar(options.progress, report.rows);
  bar.Update(rejected_before);
  for (size_t begin = 0; begin < pending.size(); begin += static_cast<size_t>(batch)) {
    const size_t end = std::min(pending.size(), begin + static_cast<size_t>(batch));
    Status st = WriteBatch(service, pending, begin, end, &report);
    if (!st.ok()) {
      bar.Update(rejected_before + static_cast<int>(begin), /*final=*/true);
      return st;
    }
    bar.Update(rejected_before + static_cast<int>(end), /*final=*/end == pending.size());
  }
  if (pending.empty()) bar.Update(rejected_before, /*final=*/true);
  std::sort(report.rejected.begin(), report.rejected.end(),
            [](const RejectedRow& a, const RejectedRow& b) { return a.line < b.line; });
  report.seconds = std::chrono::duration<double>(SteadyClock::now() - start).count();
  return report;
}

Result<SubjectImportReport> ImportSubjectsFile(engine::CaseService& service, const std::string& path,
                                               const SubjectImportOptions& options) {
  Result<DecodedText> text = ReadTextFile(path, options.encoding);
  if (!text.ok()) return text.status();
  std::istringstream in(text->utf8);
  Result<SubjectImportReport> report = ImportSubjects(service, in, options);
  if (report.ok()) report->encoding = text->encoding;  // what auto detected
  return report;
}

}  // namespace credflow::adapters::importer
