// CSV import of dishonesty records (see record_import.h).
#include "adapters/import/record_import.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <sstream>
#include <utility>

#include "adapters/import/csv_reader.h"
#include "adapters/import/office_dates.h"
#include "engine/history.h"
#include "engine/idempotency.h"
#include "workflows/record/record_workflow.h"

namespace credflow::adapters::importer {
namespace {

using engine::Json;
using engine::Result;
using engine::Status;
using SteadyClock = std::chrono::steady_clock;
namespace record = workflows::record;

// How a column's text becomes a member of RecordDecided's data.
enum class ValueKind { kText, kCode, kCodeList, kNumber, kBoolean, kDate };

// The names offices write for a code (the code itself is always accepted).
using Names = std::vector<std::pair<const char*, const char*>>;  // name -> code

const Names kPlatforms = {{"信用中国", "credit_china"},
                          {"信用中国网站", "credit_china"},
                          {"国家企业信用信息公示系统", "gsxt"},
                          {"企业信用信息公示系统", "gsxt"}};
const Names kKinds = {{"行政处罚", "penalty"},
                      {"行政处罚信息", "penalty"},
                      {"经营异常名录", "abnormal_list"},
                      {"列入经营异常名录", "abnormal_list"},
                      {"严重违法失信名单", "serious_list"},
                      {"严重失信主体名单", "serious_list"}};
const Names kTiers = {{"轻微", "light"},       {"轻微失信", "light"}, {"一般", "general"},
                      {"一般失信", "general"}, {"严重", "serious"},   {"严重失信", "serious"}};
const Names kPenalties = {{"警告", "warning"},
                          {"通报批评", "criticism"},
                          {"罚款", "fine"},
                          {"没收违法所得", "confiscation"},
                          {"没收非法财物", "confiscation"},
                          {"没收违法所得、没收非法财物", "confiscation"},
                          {"没收", "confiscation"},
                          {"责令停产停业", "suspension"},
                          {"吊销许可证件", "licence_revocation"},
                          {"吊销营业执照", "licence_revocation"},
                          {"吊销", "licence_revocation"},
                          {"限制从业", "practice_restriction"},
                          {"限制开展生产经营活动", "business_restriction"},
                          {"限制经营", "business_restriction"}};

struct ColumnSpec {
  const char* key;      // RecordDecided's member, or "code" for the subject
  const char* chinese;  // the header a Chinese file uses
  bool required;
  ValueKind kind;
  const Names* names;  // kCode / kCodeList: the names accepted besides the codes
};

const ColumnSpec kColumns[] = {
    {"code", "统一社会信用代码", true, ValueKind::kText, nullptr},
    {"department", "认定单位", true, ValueKind::kText, nullptr},
    {"department_name", "认定单位名称", false, ValueKind::kText, nullptr},
    {"platform", "公示平台", true, ValueKind::kCode, &kPlatforms},
    {"kind", "类型", true, ValueKind::kCode, &kKinds},
    {"tier", "失信等级", false, ValueKind::kCode, &kTiers},
    {"penalties", "处罚种类", false, ValueKind::kCodeList, &kPenalties},
    {"amount", "罚没金额", false, ValueKind::kNumber, nullptr},
    {"sector", "行业", false, ValueKind::kText, nullptr},
    {"violation", "违法类型", false, ValueKind::kText, nullptr},
    {"decided_on", "决定日期", true, ValueKind::kDate, nullptr},
    {"published_on", "公示日期", false, ValueKind::kDate, nullptr},
    {"restriction_until", "限制期限至", false, ValueKind::kDate, nullptr},
    {"simple_procedure", "简易程序", false, ValueKind::kBoolean, nullptr},
    {"specific_serious", "特定严重失信", false, ValueKind::kBoolean, nullptr},
    {"decision_number", "决定书文号", false, ValueKind::kText, nullptr},
};
constexpr size_t kColumnCount = sizeof kColumns / sizeof kColumns[0];

// Other headers offices use for the same columns.
const std::map<std::string, std::string> kAliases = {
    {"信用代码", "code"},
    {"认定部门", "department"},
    {"公示系统", "platform"},
    {"信息类型", "kind"},
    {"失信类型", "kind"},
    {"处罚类别", "penalties"},
    {"罚款金额", "amount"},
    {"处罚决定日期", "decided_on"},
    {"作出决定日期", "decided_on"},
    {"限制期限", "restriction_until"},
    {"决定文书号", "decision_number"},
    {"处罚决定书文号", "decision_number"},
};

std::string Header() {
  std::string text;
  for (const ColumnSpec& c : kColumns) {
    if (!c.required) continue;
    text += (text.empty() ? "" : ",") + std::string(c.key) + "/" + c.chinese;
  }
  return text;
}

Status ReadHeader(const CsvRecord& header, std::vector<int>* positions) {
  positions->assign(kColumnCount, -1);
  const auto bad = [&](const std::string& message) {
    return Status::InvalidArgument("invalid_header", "line " + std::to_string(header.line) + ": " + message +
                                                         " (required columns: " + Header() + ")");
  };
  std::optional<std::vector<std::string>> names = CsvFields(header.text);
  if (!names) return bad("the header is not valid CSV");
  for (size_t i = 0; i < names->size(); ++i) {
    const std::string& name = (*names)[i];
    std::string key = name;
    if (auto alias = kAliases.find(name); alias != kAliases.end()) key = alias->second;
    size_t c = 0;
    while (c < kColumnCount && key != kColumns[c].key && key != kColumns[c].chinese) ++c;
    if (c == kColumnCount) return bad("unknown column '" + name + "'");
    if ((*positions)[c] >= 0) return bad("column '" + name + "' is given twice");
    (*positions)[c] = static_cast<int>(i);
  }
  for (size_t c = 0; c < kColumnCount; ++c) {
    if (kColumns[c].required && (*positions)[c] < 0) {
      return bad(std::string("column '") + kColumns[c].key + "' (" + kColumns[c].chinese + ") is missing");
    }
  }
  return Status::Ok();
}

// The code `text` names, or nullopt.
std::optional<std::string> CodeOf(const std::string& text, const Names& names) {
  for (const auto& [name, code] : names) {
    if (text == code || text == name) return std::string(code);
  }
  return std::nullopt;
}

std::string Accepted(const Names& names) {
  std::vector<std::string> codes;
  std::string out;
  for (const auto& [name, code] : names) {
    if (std::find(codes.begin(), codes.end(), code) == codes.end()) codes.push_back(code);
    out += (out.empty() ? "" : ", ") + std::string(name);
  }
  for (const std::string& c : codes) out += ", " + c;
  return out;
}

// Splits on 、 ； ; | and, inside a quoted field, commas.
std::vector<std::string> SplitList(const std::string& text) {
  std::string unified = text;
  for (const char* sep : {"、", "；", "，"}) {
    for (size_t at = unified.find(sep); at != std::string::npos; at = unified.find(sep, at)) {
      unified.replace(at, std::char_traits<char>::length(sep), ";");
    }
  }
  std::replace(unified.begin(), unified.end(), '|', ';');
  std::replace(unified.begin(), unified.end(), ',', ';');
  std::vector<std::string> parts;
  std::stringstream in(unified);
  std::string part;
  while (std::getline(in, part, ';')) {
    const size_t first = part.find_first_not_of(" \t");
    if (first == std::string::npos) continue;
    parts.push_back(part.substr(first, part.find_last_not_of(" \t") - first + 1));
  }
  return parts;
}

std::optional<bool> BooleanOf(const std::string& text) {
  static const std::vector<std::string> kYes = {"是", "true", "TRUE", "True", "1", "yes", "Y", "y"};
  static const std::vector<std::string> kNo = {"否", "false", "FALSE", "False", "0", "no", "N", "n"};
  if (std::find(kYes.begin(), kYes.end(), text) != kYes.end()) return true;
  if (std::find(kNo.begin(), kNo.end(), text) != kNo.end()) return false;
  return std::nullopt;
}

// 20000, 20,000, 20000.50 (yuan; thousands commas dropped).
std::optional<Json> NumberOf(const std::string& text) {
  std::string t;
  for (char c : text) {
    if (c != ',') t += c;
  }
  if (t.empty() || t.size() > 20) return std::nullopt;
  size_t used = 0;
  double value = 0;
  try {
    value = std::stod(t, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (used != t.size() || !std::isfinite(value)) return std::nullopt;
  if (value == std::floor(value) && std::fabs(value) < 9e15) return Json(static_cast<int64_t>(value));
  return Json(value);
}

// A row checked and ready to write.
struct PendingRow {
  int line = 0;
  std::string key;
  record::RecordDishonestyRequest request;
};

// Why a row is refused, or nullopt with *out filled.
struct RowProblem {
  std::string reason;
  std::string message;
};

std::optional<RowProblem> ReadRow(const std::vector<std::string>& fields, const std::vector<int>& columns,
                                  std::string* code, Json* out) {
  *out = Json::object();
  for (size_t c = 0; c < kColumnCount; ++c) {
    if (columns[c] < 0) continue;
    const ColumnSpec& spec = kColumns[c];
    const std::string& text = fields[static_cast<size_t>(columns[c])];
    const std::string label = std::string(spec.key) + " (" + spec.chinese + ")";
    if (text.size() > kMaxRecordFieldBytes) {
      return RowProblem{"field_too_long", label + " has " + std::to_string(text.size()) + " bytes; at most " +
                                              std::to_string(kMaxRecordFieldBytes)};
    }
    if (text.empty()) continue;  // not given; RecordDecided says whether it must be
    if (std::string(spec.key) == "code") {
      *code = text;
      continue;
    }
    switch (spec.kind) {
      case ValueKind::kText: (*out)[spec.key] = text; break;
      case ValueKind::kCode: {
        std::optional<std::string> value = CodeOf(text, *spec.names);
        if (!value)
          return RowProblem{"unknown_value", label + " '" + text + "' is not one of " + Accepted(*spec.names)};
        (*out)[spec.key] = *value;
        break;
      }
      case ValueKind::kCodeList: {
        Json list = Json::array();
        for (const std::string& item : SplitList(text)) {
          std::optional<std::string> value = CodeOf(item, *spec.names);
          if (!value) {
            return RowProblem{"unknown_value", label + " '" + item + "' is not one of " + Accepted(*spec.names)};
          }
          if (std::find(list.begin(), list.end(), Json(*value)) == list.end()) list.push_back(*value);
        }
        (*out)[spec.key] = std::move(list);
        break;
      }
      case ValueKind::kNumber: {
        std::optional<Json> value = NumberOf(text);
        if (!value) return RowProblem{"invalid_event_data", label + " '" + text + "' is not an amount in yuan"};
        (*out)[spec.key] = *value;
        break;
      }
      case ValueKind::kBoolean: {
        std::optional<bool> value = BooleanOf(text);
        if (!value) return RowProblem{"invalid_event_data", label + " '" + text + "' is not 是/否 (yes/no)"};
        (*out)[spec.key] = *value;
        break;
      }
      case ValueKind::kDate: {
        std::optional<std::string> value = NormalizedOfficeDate(text);
        if (!value) {
          return RowProblem{"invalid_event_data",
                            label + " '" + text + "' is not a date (2026-03-01, 2026/3/1 or 2026年3月1日)"};
        }
        (*out)[spec.key] = *value;
        break;
      }
    }
  }
  return std::nullopt;
}

bool IsStoreFailure(const Status& st) {
  return st.code() == Status::Code::kUnavailable || st.code() == Status::Code::kInternal;
}

// Writes rows [begin, end) in one transaction, each under its key; on
// failure writes them one per transaction, rejecting the rows that fail.
Status WriteBatch(engine::CaseService& service, const std::vector<PendingRow>& rows, size_t begin, size_t end,
                  RecordImportReport* report, std::map<int, std::string>* cases) {
  std::vector<std::pair<std::string, bool>> written;  // case id, found under its key
  engine::CommandOptions options;
  options.retry_lost_races = true;
  engine::Result<engine::CommandAnswer> batch = service.RunCommand(options, [&](engine::UnitOfWork& tx, Json*) {
    written.clear();
    for (size_t i = begin; i < end; ++i) {
      const PendingRow& row = rows[i];
      const std::string hash = engine::RequestHash(row.key, record::DescribeRecordDishonesty(row.request));
      Result<std::optional<Json>> found = engine::FindAnswer(tx, row.key, hash);
      if (!found.ok()) return found.status();
      if (found->has_value()) {
        written.emplace_back((**found).value("id", ""), true);
        continue;
      }
      engine::CommandResult result;
      CREDFLOW_RETURN_IF_ERROR(record::RecordDishonestyInTransaction(service, tx, row.request, &result));
      CREDFLOW_RETURN_IF_ERROR(engine::KeepAnswer(tx, row.key, hash, result.case_id, result.ToJson()));
      written.emplace_back(result.case_id, false);
    }
    return Status::Ok();
  });
  if (batch.ok()) {
    ++report->transactions;
    for (size_t i = begin; i < end; ++i) {
      const auto& [id, found] = written[i - begin];
      (found ? report->already_recorded : report->recorded) += 1;
      (*cases)[rows[i].line] = id;
    }
    return Status::Ok();
  }
  if (batch.status().code() == Status::Code::kUnavailable) return batch.status();
  // One row (or a race) failed the batch: isolate it.
  for (size_t i = begin; i < end; ++i) {
    record::RecordDishonestyRequest request = rows[i].request;
    request.idempotency_key = rows[i].key;
    Result<engine::CommandResult> r = record::RecordDishonesty(service, request);
    if (r.ok()) {
      ++report->transactions;
      (r->replayed ? report->already_recorded : report->recorded) += 1;
      (*cases)[rows[i].line] = r->case_id;
    } else if (IsStoreFailure(r.status())) {
      return r.status();
    } else {
      report->rejected.push_back(
          RejectedRow{rows[i].line, rows[i].request.subject, r.status().reason(), r.status().message()});
    }
  }
  return Status::Ok();
}

}  // namespace

std::string RecordRowKey(const std::string& subject, const Json& record) {
  return record::RecordContentKey(subject, record);
}

Result<RecordImportReport> ImportRecords(engine::CaseService& service, std::istream& csv,
                                         const RecordImportOptions& options) {
  const SteadyClock::time_point start = SteadyClock::now();
  RecordImportReport report;
  report.encoding = options.encoding == TextEncoding::kAuto ? TextEncoding::kUtf8 : options.encoding;
  const std::vector<CsvRecord> records = ReadCsvRecords(csv);
  if (records.empty()) {
    return Status::InvalidArgument("invalid_header", "the file is empty (expected a header line)");
  }
  std::vector<int> columns;
  CREDFLOW_RETURN_IF_ERROR(ReadHeader(records[0], &columns));
  const size_t width = static_cast<size_t>(*std::max_element(columns.begin(), columns.end()) + 1);
  const size_t code_at = static_cast<size_t>(columns[0]);

  // Check every row before writing any.
  std::vector<PendingRow> pending;
  std::map<std::string, int> first_line;  // row key -> line
  for (size_t r = 1; r < records.size(); ++r) {
    const CsvRecord& row = records[r];
    if (IsBlankCsvRecord(row.text)) continue;
    ++report.rows;
    std::string code;
    const auto reject = [&](const std::string& reason, const std::string& message) {
      report.rejected.push_back(RejectedRow{row.line, code, reason, message});
    };
    if (report.rows > kMaxRecordRows) {
      reject("too_many_rows", "a file holds at most " + std::to_string(kMaxRecordRows) +
                                  " rows; this row and those after it were not read");
      report.rows = kMaxRecordRows + 1;
      break;
    }
    std::optional<std::vector<std::string>> fields = CsvFields(row.text);
    if (!fields) {
      reject("malformed_row", MalformedCsvRecordMessage(row));
      continue;
    }
    if (code_at < fields->size()) code = (*fields)[code_at].substr(0, 64);
    if (fields->size() != width) {
      reject("wrong_column_count",
             "the row has " + std::to_string(fields->size()) + " fields, the header " + std::to_string(width));
      continue;
    }
    PendingRow p;
    p.line = row.line;
    if (std::optional<RowProblem> problem = ReadRow(*fields, columns, &code, &p.request.record)) {
      reject(problem->reason, problem->message);
      continue;
    }
    p.request.subject = code;
    p.request.actor = options.actor;
    if (Status st = record::CheckRecordDishonesty(service, p.request); !st.ok()) {
      std::string message = st.message();
      for (const engine::FieldError& f : st.fields()) message += "; " + f.field + ": " + f.message;
      reject(st.reason(), message);
      continue;
    }
    p.key = RecordRowKey(p.request.subject, p.request.record);
    if (auto [it, fresh] = first_line.emplace(p.key, row.line); !fresh) {
      reject("duplicate_row", "the same record is on line " + std::to_string(it->second) +
                                  " (a decision_number 决定书文号 tells two records apart)");
      continue;
    }
    pending.push_back(std::move(p));
  }

  const int batch = std::max(1, options.batch_size);
  const int rejected_before = static_cast<int>(report.rejected.size());
  std::map<int, std::string> cases;  // line -> case
  ProgressBar bar(options.progress, report.rows);
  bar.Update(rejected_before);
  for (size_t begin = 0; begin < pending.size(); begin += static_cast<size_t>(batch)) {
    const size_t end = std::min(pending.size(), begin + static_cast<size_t>(batch));
    Status st = WriteBatch(service, pending, begin, end, &report, &cases);
    if (!st.ok()) {
      bar.Update(rejected_before + static_cast<int>(begin), /*final=*/true);
      return st;
    }
    bar.Update(rejected_before + static_cast<int>(end), /*final=*/end == pending.size());
  }
  if (pending.empty()) bar.Update(rejected_before, /*final=*/true);
  for (const auto& [line, id] : cases) report.cases.push_back(id);
  std::sort(report.rejected.begin(), report.rejected.end(),
            [](const RejectedRow& a, const RejectedRow& b) { return a.line < b.line; });
  report.seconds = std::chrono::duration<double>(SteadyClock::now() - start).count();
  return report;
}

Result<RecordImportReport> ImportRecordsFile(engine::CaseService& service, const std::string& path,
                                             const RecordImportOptions& options) {
  Result<DecodedText> text = ReadTextFile(path, options.encoding);
  if (!text.ok()) return text.status();
  std::istringstream in(text->utf8);
  RecordImportOptions decoded = options;
  decoded.encoding = text->encoding;
  return ImportRecords(service, in, decoded);
}

}  // namespace credflow::adapters::importer
