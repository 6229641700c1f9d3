#include "adapters/http/statistics.h"

#include <cstdio>
#include <map>
#include <tuple>
#include <utility>

#include "engine/clock.h"
#include "policies/catalogue.h"
#include "policies/verification_rules.h"
#include "workflows/commitment/names.h"
#include "workflows/remediation_ledger/ledger_workflow.h"
#include "workflows/repair/names.h"
#include "workflows/verification/names.h"

namespace credflow::adapters::http {
namespace {

using engine::Json;
using engine::Result;
using engine::Status;

policies::Date FirstOfJanuary(int year) {
  return *policies::Date::Parse(std::to_string(year) + "-01-01");  // 2000..2101 always parse
}

// "2026-01-31T17" (a UTC hour of created_at) -> "2026-02" (its month in
// Beijing time), or "" when the key is not an hour.
std::string OfficeMonth(const std::string& utc_hour) {
  engine::Timestamp t{};
  if (!engine::ParseTimestamp(utc_hour + ":00:00Z", &t)) return "";
  return engine::OfficeDate(t).ToString().substr(0, 7);
}

Result<std::vector<engine::CaseCount>> CountYear(engine::CaseStore& store, const char* workflow,
                                                 const std::string& member, int year) {
  engine::CaseCountQuery q;
  q.workflow = workflow;
  q.created_from = engine::StartOfDay(FirstOfJanuary(year));
  q.created_to = engine::StartOfDay(FirstOfJanuary(year + 1));
  q.data_member = member;
  return store.CountCases(q);
}

Result<Json> FilingsByMonth(engine::CaseService& service, engine::CaseStore& reads, int year) {
  Result<std::vector<engine::CaseCount>> counts =
      CountYear(reads, workflows::commitment::kWorkflowName, "commitment_type", year);
  if (!counts.ok()) return counts.status();
  std::map<std::pair<std::string, std::string>, int64_t> by_month_item;
  for (const engine::CaseCount& c : *counts) by_month_item[{OfficeMonth(c.created_hour), c.data_value}] += c.count;
  // Item names from the catalogue in force on the year's last day (or its
  // first, for a catalogue that came later); the id when it has none.
  const policies::PolicySet* set = service.rules().policies;
  const policies::Policy* catalogue = nullptr;
  if (set != nullptr) {
    catalogue = set->Select(workflows::commitment::kPolicyId, FirstOfJanuary(year + 1).AddDays(-1));
  }
  Json out = Json::array();
  for (const auto& [key, n] : by_month_item) {
    const policies::CommitmentType* type =
        catalogue != nullptr ? policies::FindCommitmentType(*catalogue, key.second) : nullptr;
    out.push_back(
        {{"month", key.first}, {"item", key.second}, {"item_name", type ? type->name : key.second}, {"count", n}});
  }
  return out;
}

Result<Json> RepairsByOutcome(engine::CaseStore& store, int year) {
  Result<std::vector<engine::CaseCount>> counts = CountYear(store, workflows::repair::kWorkflowName, "", year);
  if (!counts.ok()) return counts.status();
  std::map<std::string, int64_t> by_outcome;
  for (const engine::CaseCount& c : *counts) by_outcome[c.outcome] += c.count;
  Json out = Json::array();
  for (const auto& [outcome, n] : by_outcome) out.push_back({{"outcome", outcome}, {"count", n}});
  return out;
}

// Verification coverage by risk grade (分级分类核查): of the year's
// verification cases, per grade their draw was made at, how many were drawn
// from, how many the draw selected (not exempted) and how many were
// reported, beside the grade's ratio in the policy in force on the year's
// last day. Items verified in full (no draw) and cases still awaiting their
// draw are counted apart.
Result<Json> VerificationCoverage(engine::CaseService& service, engine::CaseStore& reads, int year) {
  namespace v = workflows::verification;
  Result<std::vector<engine::CaseCount>> by_grade = CountYear(reads, v::kWorkflowName, "draw.grade", year);
  if (!by_grade.ok()) return by_grade.status();
  Result<std::vector<engine::CaseCount>> by_mode = CountYear(reads, v::kWorkflowName, "draw.mode", year);
  if (!by_mode.ok()) return by_mode.status();
  struct Row {
    int64_t drawn = 0, selected = 0, reported = 0;
  };
  auto reported = [&](const std::string& outcome) { return outcome == v::kConforming || outcome == v::kNonconforming; };
  std::map<std::string, Row> grades;
  Row ungraded;  // in full, or awaiting the draw
  for (const engine::CaseCount& c : *by_grade) {
    Row& r = c.data_value.empty() ? ungraded : grades[c.data_value];
    r.drawn += c.count;
    if (c.outcome != v::kExempted) r.selected += c.count;
    if (reported(c.outcome)) r.reported += c.count;
  }
  Row in_full;
  for (const engine::CaseCount& c : *by_mode) {
    if (c.data_value != "all") continue;
    in_full.drawn += c.count;
    if (reported(c.outcome)) in_full.reported += c.count;
  }
  // The policy's grades come first, in its order, with or without cases.
  const policies::PolicySet* set = service.rules().policies;
  const policies::Policy* policy =
      set != nullptr ? set->Select(v::kPolicyId, FirstOfJanuary(year + 1).AddDays(-1)) : nullptr;
  const policies::VerificationSection* section =
      policy != nullptr ? policy->Find<policies::VerificationSection>() : nullptr;
  Json rows = Json::array();
  auto row = [&](const std::string& grade, const Row& r, const policies::GradeSampling* rule) {
    rows.push_back({{"grade", grade},
                    {"drawn", r.drawn},
                    {"selected", r.selected},
                    {"reported", r.reported},
                    {"coverage", r.drawn > 0 ? Json(static_cast<double>(r.selected) / r.drawn) : Json(nullptr)},
                    {"ratio", rule != nullptr ? Json(rule->ratio) : Json(nullptr)},
                    {"draw", rule != nullptr ? Json(rule->draw) : Json(nullptr)},
                    {"source", rule != nullptr ? Json(rule->source) : Json(nullptr)}});
  };
  if (section != nullptr && section->sampling) {
    for (const policies::GradeSampling& g : section->sampling->grades) {
      auto it = grades.find(g.grade);
      row(g.grade, it == grades.end() ? Row{} : it->second, &g);
      if (it != grades.end()) grades.erase(it);
    }
  }
  for (const auto& [grade, r] : grades) row(grade, r, nullptr);  // a grade the policy no longer has
  return Json{{"policy_version", policy != nullptr ? Json(policy->version) : Json(nullptr)},
              {"grades", std::move(rows)},
              {"verified_in_full", {{"cases", in_full.drawn}, {"reported", in_full.reported}}},
              {"awaiting_draw", ungraded.drawn - in_full.drawn}};
}

// Open department tasks now, and those of them overdue (as /metrics counts
// them), per department.
Result<Json> TasksByDepartment(engine::CaseService& service, engine::CaseStore& reads) {
  std::map<std::string, std::pair<int64_t, int64_t>> by_department;
  engine::CaseQuery q;
  q.workflow = workflows::repair::kTaskWorkflowName;
  q.open_only = true;
  q.limit = 500;
  for (;;) {
    Result<std::vector<engine::Case>> page = reads.FindCases(q);
    if (!page.ok()) return page.status();
    for (const engine::Case& c : *page) ++by_department[c.department].first;
    if (static_cast<int>(page->size()) < q.limit) break;
    q.after_id = page->back().id;
  }
  Result<std::map<std::string, int64_t>> overdue =
      reads.CountOverdueCases(workflows::repair::kTaskWorkflowName, engine::OfficeDate(service.clock().Now()));
  if (!overdue.ok()) return overdue.status();
  for (const auto& [department, n] : *overdue) by_department[department].second = n;
  Json out = Json::array();
  for (const auto& [department, n] : by_department) {
    out.push_back({{"department", department}, {"open", n.first}, {"overdue", n.second}});
  }
  return out;
}

// The outcome codes of a repair application, as the window names them.
std::string OutcomeName(const std::string& outcome) {
  static const std::map<std::string, std::string> kNames = {{"pending", "办理中"},
                                                            {workflows::repair::kApproved, "已修复"},
                                                            {workflows::repair::kPartiallyRepaired, "部分修复"},
                                                            {workflows::repair::kRejected, "不予修复"},
                                                            {workflows::repair::kNotAccepted, "不予受理"},
                                                            {workflows::repair::kRevoked, "已撤销修复"}};
  auto it = kNames.find(outcome);
  return it == kNames.end() ? outcome : it->second;
}

// One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line
// break, quotes doubled. Text that a spreadsheet would take for a formula
// (= + - @ first) is prefixed with an apostrophe.
std::string CsvField(const Json& value) {
  if (value.is_number_integer()) return std::to_string(value.get<int64_t>());
  if (value.is_number()) {
    char text[32];
    std::snprintf(text, sizeof text, "%.4f", value.get<double>());
    return text;
  }
  std::string text = value.is_string() ? value.get<std::string>() : "";
  if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@')) text = "'" + text;
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string CsvRow(const std::vector<Json>& fields) {
  std::string row;
  for (const Json& f : fields) row += (row.empty() ? "" : ",") + CsvField(f);
  return row + "\r\n";
}

}  // namespace

Result<Json> ComputeStatistics(engine::CaseService& service, engine::CaseStore& reads, int year) {
  Result<Json> filings = FilingsByMonth(service, reads, year);
  if (!filings.ok()) return filings.status();
  Result<Json> repairs = RepairsByOutcome(reads, year);
  if (!repairs.ok()) return repairs.status();
  Result<Json> tasks = TasksByDepartment(service, reads);
  if (!tasks.ok()) return tasks.status();
  Result<Json> coverage = VerificationCoverage(service, reads, year);
  if (!coverage.ok()) return coverage.status();
  // The ledger on the year's last day, or today while the year runs.
  const policies::Date today = engine::OfficeDate(service.clock().Now());
  policies::Date as_of = FirstOfJanuary(year + 1).AddDays(-1);
  if (today.year() == year) as_of = today;
  Json ledger = nullptr;
  Result<workflows::remediation_ledger::ExitRateReport> report =
      workflows::remediation_ledger::ReportExitRate(service, as_of);
  if (report.ok()) {
    ledger = report->ToJson();
  } else if (!report.status().IsNotFound()) {
    return report.status();
  }
  return Json{{"year", year},
              {"filings_by_month", std::move(*filings)},
              {"repairs_by_outcome", std::move(*repairs)},
              {"overdue_tasks_by_department", std::move(*tasks)},
              {"verification_coverage", std::move(*coverage)},
              {"ledger", std::move(ledger)}};
}

std::optional<std::string> StatisticsCsv(const Json& statistics, const std::string& chart) {
  std::string csv = "\xEF\xBB\xBF";  // the BOM, so that Excel reads UTF-8
  if (chart == "filings_by_month") {
    csv += CsvRow({"月份", "承诺事项代码", "承诺事项", "承诺件数"});
    for (const Json& r : statistics.at("filings_by_month")) {
      csv += CsvRow({r.at("month"), r.at("item"), r.at("item_name"), r.at("count")});
    }
  } else if (chart == "repairs_by_outcome") {
    csv += CsvRow({"办理结果代码", "办理结果", "修复申请件数"});
    for (const Json& r : statistics.at("repairs_by_outcome")) {
      csv += CsvRow({r.at("outcome"), OutcomeName(r.at("outcome").get<std::string>()), r.at("count")});
    }
  } else if (chart == "overdue_tasks_by_department") {
    csv += CsvRow({"部门", "在办任务数", "超期任务数"});
    for (const Json& r : statistics.at("overdue_tasks_by_department")) {
      csv += CsvRow({r.at("department"), r.at("open"), r.at("overdue")});
    }
  } else if (chart == "verification_coverage") {
    csv += CsvRow(
        {"风险等级", "参与抽取数", "抽中核查数", "已出核查结果数", "实际核查比例", "政策抽查比例", "抽取方式", "依据"});
    const Json& coverage = statistics.at("verification_coverage");
    for (const Json& r : coverage.at("grades")) {
      csv += CsvRow(
          {r.at("grade"), r.at("drawn"), r.at("selected"), r.at("reported"),
           r.at("coverage").is_null() ? Json("") : r.at("coverage"), r.at("ratio").is_null() ? Json("") : r.at("ratio"),
           r.at("draw").is_null() ? Json("") : r.at("draw"), r.at("source").is_null() ? Json("") : r.at("source")});
    }
    const Json& full = coverage.at("verified_in_full");
    csv += CsvRow({"全数核查事项", "", full.at("cases"), full.at("reported"), "", 1, "all", ""});
    csv += CsvRow({"待抽取", coverage.at("awaiting_draw"), "", "", "", "", "", ""});
  } else if (chart == "ledger") {
    csv += CsvRow({"范围", "纳入台账数", "退出数", "退出率", "目标日期", "目标退出率", "目标状态"});
    const Json& ledger = statistics.at("ledger");
    if (!ledger.is_null()) {
      // A rate of nothing entered is left empty (the report says 1).
      auto line = [](const std::string& scope, const Json& l) {
        const Json rate = l.at("entered").get<int64_t>() > 0 ? l.at("rate") : Json("");
        return CsvRow({scope, l.at("entered"), l.at("exited"), rate, "", "", ""});
      };
      csv += line("合计", ledger.at("total"));
      for (const auto& [department, l] : ledger.at("by_department").items()) csv += line(department, l);
      for (const Json& target : ledger.at("targets")) {
        csv += CsvRow({"目标", "", "", "", target.at("by"), target.at("ratio"), target.at("status")});
      }
    }
  } else {
    return std::nullopt;
  }
  return csv;
}

}  // namespace credflow::adapters::http
