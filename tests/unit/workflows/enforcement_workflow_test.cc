// The enforcement workflow through the engine (in-memory store, manual
// clock): the decision and what it rested on, in the case and its history
// ("why no penalty?"); the finding the next report reads; an unknown
// violation refused; and a local 首违不罚 item added as a policy file, with
// no code change, deciding a case.
#include "workflows/enforcement/enforcement_workflow.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>

#include "adapters/app/rules.h"
#include "engine/audit.h"
#include "tests/support/engine_harness.h"
#include "tests/support/in_memory_case_store.h"
#include "tests/support/shipped_rules.h"
#include "tests/support/status_matchers.h"

namespace credflow::workflows::enforcement {
namespace {

using engine::Json;
using testing::EngineHarness;

constexpr const char* kSubject = "91320500MA1ENF0011";

engine::Result<engine::CommandResult> Report(EngineHarness& h, Json report) {
  ReportViolationRequest request;
  request.subject = kSubject;
  request.report = std::move(report);
  request.actor = {"officer", "caseworker", ""};
  return ReportViolation(h.service(), request);
}

// A first 首违不罚 violation rectified in time: no penalty, and the case and
// the deciding history event say which row decided it, on which inputs and
// under which source; the finding about the subject carries the outcome.
TEST(EnforcementWorkflowTest, TheDecisionRecordsItsRowInputsAndSource) {
  testing::InMemoryCaseStore store;
  EngineHarness h(&store);
  h.SetDate("2025-03-10");
  engine::Result<engine::CommandResult> opened =
      Report(h, {{"violation", "food_permit_expired_not_renewed"}, {"harm", "slight"}});
  ASSERT_OK(opened.status());
  EXPECT_EQ(opened->state, "RectificationOrdered");
  h.SetDate("2025-03-12");
  engine::Result<engine::CommandResult> rectified = h.Fire(opened->case_id, "RectificationConfirmed");
  ASSERT_OK(rectified.status());

  engine::Result<engine::Case> c = store.GetCase(opened->case_id);
  ASSERT_OK(c.status());
  EXPECT_EQ(c->outcome, "no_penalty");
  const Json& triage = c->data["triage"];
  EXPECT_EQ(triage["rule"]["id"], "first_violation_list_first");
  EXPECT_GT(triage["rule"]["line"].get<int>(), 0);
  EXPECT_NE(triage["rule"]["source"].get<std::string>().find("art 33(1)"), std::string::npos);
  EXPECT_EQ(triage["inputs"]["list"], "first_violation_exempt");
  EXPECT_EQ(triage["inputs"]["first_violation"], true);
  EXPECT_EQ(triage["inputs"]["harm"], "slight");
  EXPECT_EQ(triage["first_violation"]["since"], "2023-03-10");
  EXPECT_EQ(c->data["decision"]["outcome"], "no_penalty");
  EXPECT_EQ(c->data["decision"]["by"], "rectified_in_time");
  EXPECT_EQ(c->data["decision"]["education"]["required"], true);
  EXPECT_EQ(c->data["rectification"]["rectified_on"], "2025-03-12");

  engine::Result<std::vector<engine::HistoryEvent>> history = store.GetHistory(opened->case_id);
  ASSERT_OK(history.status());
  const engine::HistoryEvent& last = history->back();
  EXPECT_EQ(last.event, "RectificationConfirmed");
  EXPECT_EQ(last.payload["decision"]["decision"]["outcome"], "no_penalty");
  EXPECT_EQ(last.payload["decision"]["triage"]["rule"]["id"], "first_violation_list_first");

  engine::Result<engine::SubjectFacts> facts = store.GetSubjectFacts(kSubject);
  ASSERT_OK(facts.status());
  ASSERT_EQ(facts->records.size(), 1u);
  EXPECT_EQ(facts->records[0].kind, kViolationFindingRecord);
  EXPECT_EQ(facts->records[0].status, "no_penalty");
  EXPECT_EQ(facts->records[0].data["decided_on"], "2025-03-10");

  engine::Result<engine::ReplayReport> replay =
      engine::ReplayCase(store, h.workflows(), h.service().rules(), opened->case_id);
  ASSERT_OK(replay.status());
  EXPECT_TRUE(replay->matches) << replay->problem;
}

// The finding of the first report makes the second one not the first, and
// the refusal names the earlier finding.
TEST(EnforcementWorkflowTest, TheNextReportReadsTheFinding) {
  testing::InMemoryCaseStore store;
  EngineHarness h(&store);
  h.SetDate("2025-03-10");
  engine::Result<engine::CommandResult> first =
      Report(h, {{"violation", "food_permit_expired_not_renewed"}, {"harm", "slight"}});
  ASSERT_OK(first.status());
  h.SetDate("2025-04-10");
  engine::Result<engine::CommandResult> second =
      Report(h, {{"violation", "food_permit_expired_not_renewed"}, {"harm", "slight"}});
  ASSERT_OK(second.status());
  EXPECT_EQ(second->state, "OrdinaryPenalty");
  engine::Result<engine::Case> c = store.GetCase(second->case_id);
  ASSERT_OK(c.status());
  EXPECT_EQ(c->reason, "not_first_violation");
  const Json& same_type = c->data["triage"]["first_violation"]["same_type"];
  ASSERT_EQ(same_type.size(), 1u);
  EXPECT_EQ(same_type[0]["record"], FindingRecordId(first->case_id));
}

// The children of `case_id` that are dishonesty records.
std::vector<engine::Case> PenaltyRecords(testing::InMemoryCaseStore& store, const std::string& case_id) {
  engine::CaseQuery q;
  q.parent_id = case_id;
  q.workflow = "dishonesty_record";
  engine::Result<std::vector<engine::Case>> children = store.FindCases(q);
  EXPECT_TRUE(children.ok());
  return children.ok() ? *children : std::vector<engine::Case>{};
}

// A penalty decided by the table becomes a dishonesty record of the repair
// lifecycle on the policy's platform, in the reporting officer's department,
// shown by the regime in force, with its repair notice (两书同达); the
// report's penalty kinds and amount decide its window.
TEST(EnforcementWorkflowTest, APenaltyBecomesAPublishedRecordWithItsRepairNotice) {
  testing::InMemoryCaseStore store;
  EngineHarness h(&store);
  h.SetDate("2026-03-02");
  ReportViolationRequest request;
  request.subject = kSubject;
  request.report = {
      {"violation", "false_advertising"}, {"harm", "serious"}, {"penalties", {"fine"}}, {"amount", 200000}};
  request.actor = {"officer", "caseworker", "tax"};
  engine::Result<engine::CommandResult> opened = ReportViolation(h.service(), request);
  ASSERT_OK(opened.status());
  EXPECT_EQ(opened->state, "OrdinaryPenalty");
  const std::vector<engine::Case> records = PenaltyRecords(store, opened->case_id);
  ASSERT_EQ(records.size(), 1u);
  const engine::Case& record = records[0];
  EXPECT_EQ(record.subject, kSubject);
  EXPECT_EQ(record.outcome, "published");
  EXPECT_EQ(record.data["department"], "tax");
  EXPECT_EQ(record.data["platform"], "gsxt");
  EXPECT_EQ(record.data["kind"], "penalty");
  EXPECT_EQ(record.data["amount"], 200000);
  EXPECT_EQ(record.data["decided_on"], "2026-03-02");
  EXPECT_EQ(record.data["earliest_repair"], "2026-06-03");
  engine::Result<std::vector<engine::Notice>> notices = store.GetNotices(record.id);
  ASSERT_OK(notices.status());
  bool repair_notice = false;
  for (const engine::Notice& n : *notices) repair_notice = repair_notice || n.template_id == "record.repair_notice";
  EXPECT_TRUE(repair_notice);

  // A warning alone, on the same table row, is recorded but not shown
  // (公示规定 art 2).
  request.report = {{"violation", "false_advertising"}, {"harm", "serious"}, {"penalties", {"warning"}}};
  engine::Result<engine::CommandResult> warned = ReportViolation(h.service(), request);
  ASSERT_OK(warned.status());
  const std::vector<engine::Case> warning = PenaltyRecords(store, warned->case_id);
  ASSERT_EQ(warning.size(), 1u);
  EXPECT_EQ(warning[0].outcome, "not_published");
}

// No penalty, no record: only the finding the next report reads.
TEST(EnforcementWorkflowTest, NoPenaltyMakesNoRecord) {
  testing::InMemoryCaseStore store;
  EngineHarness h(&store);
  h.SetDate("2026-03-02");
  engine::Result<engine::CommandResult> r =
      Report(h, {{"violation", "false_advertising"}, {"harm", "slight"}, {"fault", false}});
  ASSERT_OK(r.status());
  EXPECT_EQ(r->state, "NoPenalty");
  EXPECT_TRUE(PenaltyRecords(store, r->case_id).empty());
}

// An officer reports for their own department only; nothing is written.
TEST(EnforcementWorkflowTest, AnOfficerCannotReportForAnotherDepartment) {
  testing::InMemoryCaseStore store;
  EngineHarness h(&store);
  h.SetDate("2026-03-02");
  ReportViolationRequest request;
  request.subject = kSubject;
  request.report = {{"violation", "false_advertising"}, {"harm", "serious"}, {"department", "market-regulation"}};
  request.actor = {"officer", "caseworker", "tax"};
  engine::Result<engine::CommandResult> r = ReportViolation(h.service(), request);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "wrong_department");
  engine::Result<std::vector<std::string>> ids = store.ListCaseIds();
  ASSERT_OK(ids.status());
  EXPECT_TRUE(ids->empty());
}

// A code on no catalogue in force is refused with its reason; nothing is written.
TEST(EnforcementWorkflowTest, AnUnknownViolationIsRefused) {
  testing::InMemoryCaseStore store;
  EngineHarness h(&store);
  h.SetDate("2025-03-10");
  engine::Result<engine::CommandResult> r = Report(h, {{"violation", "no_such_violation"}, {"harm", "none"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), kUnknownViolation);
  engine::Result<std::vector<std::string>> ids = store.ListCaseIds();
  ASSERT_OK(ids.status());
  EXPECT_TRUE(ids->empty());
}

// A scratch copy of the shipped policies with one more file in it.
class ScratchPolicies {
 public:
  ScratchPolicies() {
    dir_ = std::filesystem::temp_directory_path() / ("credflow-enforcement-" + engine::NewRandomId());
    std::filesystem::create_directories(dir_);
    for (const auto& entry : std::filesystem::directory_iterator(testing::ShippedRulePaths().policies_dir)) {
      if (entry.is_regular_file() && entry.path().extension() == ".xml") {
        std::filesystem::copy_file(entry.path(), dir_ / entry.path().filename());
      }
    }
  }
  ~ScratchPolicies() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  void Add(const std::string& name, const std::string& text) { std::ofstream(dir_ / name) << text; }
  std::string dir() const { return dir_.string(); }

 private:
  std::filesystem::path dir_;
};

// The file a policy author adds for a local 首违不罚 item (as a province
// adds its own list): a policy of its own id with only a violation catalogue.
constexpr const char* kLocalList = R"xml(<?xml version="1.0" encoding="UTF-8"?>
<policy id="enforcement-list-local" version="2025.1" title="本地首违不罚清单 (test)"
        authority="某省市场监督管理局" effective-from="2025-01-27" source="a local list (test)">
  <violation-catalogue source="a local list (test)">
    <violation code="price_tag_missing" name="未按规定明码标价" list="first_violation_exempt"
               list-source="a local 首违不罚 list (test)" source="价格法 art 13 (R)">
      <rectification count="5" unit="days" source="the local list (test)"/>
    </violation>
  </violation-catalogue>
</policy>
)xml";

// With the file added, a first price-tag violation goes to rectification by
// the shipped 首违不罚 row and, rectified, is not penalised; without it, the
// code is unknown.
TEST(EnforcementWorkflowTest, ALocalListFileDecidesACaseWithoutCodeChange) {
  ScratchPolicies scratch;
  scratch.Add("enforcement-list-local.xml", kLocalList);
  adapters::RulePaths paths = testing::ShippedRulePaths();
  paths.policies_dir = scratch.dir();
  std::unique_ptr<adapters::LoadedRules> rules = adapters::LoadRules(paths);
  ASSERT_TRUE(rules->ok()) << rules->errors.front();
  const engine::RuleBook book = rules->book();

  testing::InMemoryCaseStore store;
  EngineHarness h(&store, &book);
  h.SetDate("2025-05-06");
  engine::Result<engine::CommandResult> opened = Report(h, {{"violation", "price_tag_missing"}, {"harm", "slight"}});
  ASSERT_OK(opened.status());
  EXPECT_EQ(opened->state, "RectificationOrdered");
  engine::Result<engine::Case> c = store.GetCase(opened->case_id);
  ASSERT_OK(c.status());
  EXPECT_EQ(c->data["triage"]["violation"]["catalogue"]["id"], "enforcement-list-local");
  EXPECT_EQ(c->data["triage"]["rule"]["id"], "first_violation_list_first");
  EXPECT_EQ(c->data["rectification"]["due_on"], "2025-05-11");
  h.SetDate("2025-05-09");
  engine::Result<engine::CommandResult> rectified = h.Fire(opened->case_id, "RectificationConfirmed");
  ASSERT_OK(rectified.status());
  c = store.GetCase(opened->case_id);
  ASSERT_OK(c.status());
  EXPECT_EQ(c->outcome, "no_penalty");

  testing::InMemoryCaseStore shipped_store;
  EngineHarness shipped(&shipped_store);
  shipped.SetDate("2025-05-06");
  engine::Result<engine::CommandResult> refused =
      Report(shipped, {{"violation", "price_tag_missing"}, {"harm", "slight"}});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().reason(), kUnknownViolation);
}

// A local list may add items, not redefine one a catalogue in force already lists.
TEST(EnforcementWorkflowTest, ALocalListMayNotRedefineAnItem) {
  ScratchPolicies scratch;
  std::string text = kLocalList;
  text.replace(text.find("price_tag_missing"), std::string("price_tag_missing").size(), "expired_food_on_sale");
  scratch.Add("enforcement-list-local.xml", text);
  adapters::RulePaths paths = testing::ShippedRulePaths();
  paths.policies_dir = scratch.dir();
  std::unique_ptr<adapters::LoadedRules> rules = adapters::LoadRules(paths);
  ASSERT_FALSE(rules->ok());
  std::string all;
  for (const std::string& e : rules->errors) all += e + "\n";
  EXPECT_NE(all.find("'expired_food_on_sale' is also listed"), std::string::npos) << all;
}

}  // namespace
}  // namespace credflow::workflows::enforcement
