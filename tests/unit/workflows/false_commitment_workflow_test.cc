// The false-commitment workflow through the engine (in-memory store, manual
// clock, shipped rules): the case opened as the commitment case opens it,
// the deadline timer stored and fired, the records written with stable ids,
// the repair re-putting the same record, and the history replaying.
#include <gtest/gtest.h>

#include <set>

#include <memory>

#include "engine/audit.h"
#include "engine/case_service.h"
#include "engine/clock.h"
#include "tests/support/in_memory_case_store.h"
#include "tests/support/shipped_rules.h"
#include "tests/support/status_matchers.h"
#include "workflows/false_commitment/false_commitment_workflow.h"

namespace credflow::workflows::false_commitment {
namespace {

using engine::Json;
using policies::Date;

constexpr const char* kFalseSubject = "91320500L968FMY61Q";

class FalseCommitmentWorkflowTest : public ::testing::Test {
 protected:
  FalseCommitmentWorkflowTest() : service_(&store_, &registry_, testing::ShippedRules().book(), &clock_) {
    registry_.Add(NewFalseCommitmentWorkflow());
  }

  // Opens the case as the commitment case does (data + first event).
  std::string OpenOn(Date today, Json data) {
    clock_.SetDate(today);
    engine::OpenCaseRequest open;
    open.workflow = kWorkflowName;
    open.subject = kFalseSubject;
    open.data = std::move(data);
    open.actor = {"system", "system", ""};
    // A root case here: the engine would deliver each outcome to a parent.
    // NonconformityFound is the engine's (a system event), so the case is
    // opened through the engine's channel, as OpenChildCase does.
    open.events.push_back(engine::EventInput{"NonconformityFound", Json::object(), open.actor});
    engine::Result<engine::CommandResult> r = OpenThroughEngine(open);
    EXPECT_OK(r);
    return r.ok() ? r->case_id : "";
  }

  // Opens a case through the engine's channel, as OpenChildCase does.
  engine::Result<engine::CommandResult> OpenThroughEngine(const engine::OpenCaseRequest& open) {
    engine::CommandResult opened;
    engine::Result<engine::CommandAnswer> r =
        service_.RunCommand(engine::CommandOptions{}, [&](engine::UnitOfWork& tx, Json*) {
          return service_.OpenInTransaction(tx, open, engine::Channel::kEngine, &opened);
        });
    if (!r.ok()) return r.status();
    return opened;
  }

  static Json OpeningData() {
    return Json{{"commitment_case", "c-1"},
                {"commitment_type", "food_business_permit"},
                {"verification_case", "v-1"},
                {"findings", "no cold storage"},
                {"applicant_name", "苏州禾丰餐饮管理有限公司"}};
  }

  std::vector<engine::SubjectRecord> Records(const std::string& kind) {
    engine::Result<engine::SubjectFacts> facts = store_.GetSubjectFacts(kFalseSubject);
    EXPECT_TRUE(facts.ok());
    std::vector<engine::SubjectRecord> found;
    if (!facts.ok()) return found;
    for (const engine::SubjectRecord& r : facts->records) {
      if (r.kind == kind) found.push_back(r);
    }
    return found;
  }

  testing::InMemoryCaseStore store_;
  engine::WorkflowRegistry registry_;
  engine::ManualClock clock_;
  engine::CaseService service_;
};

// Scenario 19's story: ordered on 2025-04-10 (15 days: 2025-04-25), not
// rectified, revoked when the timer fires; later repaired.
TEST_F(FalseCommitmentWorkflowTest, DeadlineMissedThenRepaired) {
  const std::string id = OpenOn(Date::FromYmd(2025, 4, 10), OpeningData());
  engine::Result<engine::Case> c = store_.GetCase(id);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->state, "RectificationOrdered");
  EXPECT_EQ(c->outcome, "rectification_ordered");
  EXPECT_EQ(c->policy.id, "commitment-verification");
  EXPECT_EQ(c->data["deadline"], "2025-04-25");
  engine::Result<std::vector<engine::Timer>> timers = store_.GetTimers(id);
  ASSERT_TRUE(timers.ok());
  ASSERT_EQ(timers->size(), 1u);
  EXPECT_EQ((*timers)[0].name, "rectification_due");
  EXPECT_EQ((*timers)[0].due_on, Date::FromYmd(2025, 4, 25));

  // Nothing is due on the deadline itself.
  clock_.SetDate(Date::FromYmd(2025, 4, 25));
  engine::Result<int> fired = service_.FireDueTimers();
  ASSERT_OK(fired);
  EXPECT_EQ(*fired, 0);

  clock_.SetDate(Date::FromYmd(2025, 4, 26));
  fired = service_.FireDueTimers();
  ASSERT_OK(fired);
  EXPECT_EQ(*fired, 1);
  c = store_.GetCase(id);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->state, "Revoked");
  EXPECT_EQ(c->outcome, "revoked");
  EXPECT_EQ(c->reason, "rectification_overdue");
  EXPECT_EQ(c->data["revoked_on"], "2025-04-26");

  std::vector<engine::SubjectRecord> records = Records("false_commitment");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].id, id + ":false_commitment");
  EXPECT_EQ(records[0].status, "active");
  EXPECT_EQ(records[0].case_id, id);
  EXPECT_EQ(records[0].created_at, engine::StartOfDay(Date::FromYmd(2025, 4, 26)));
  ASSERT_EQ(Records("penalty_referral").size(), 1u);
  EXPECT_EQ(Records("penalty_referral")[0].id, id + ":penalty_referral");

  clock_.SetDate(Date::FromYmd(2025, 9, 1));
  engine::FireEventRequest repair;
  repair.case_id = id;
  repair.event = engine::EventInput{"CreditRecordRepaired", Json{{"repair_case", "r-1"}}, {"u", "caseworker", ""}};
  engine::Result<engine::CommandResult> repaired = service_.Raise(repair);
  ASSERT_OK(repaired);
  EXPECT_EQ(repaired->outcome, "repaired");
  records = Records("false_commitment");
  ASSERT_EQ(records.size(), 1u);  // the same record, not a second one
  EXPECT_EQ(records[0].id, id + ":false_commitment");
  EXPECT_EQ(records[0].status, "repaired");
  EXPECT_EQ(records[0].created_at, engine::StartOfDay(Date::FromYmd(2025, 4, 26)));
  EXPECT_EQ(Records("penalty_referral")[0].status, "active");  // a separate matter

  engine::Result<std::vector<engine::Notice>> notices = store_.GetNotices(id);
  ASSERT_TRUE(notices.ok());
  // Notices written in one transaction share a time; their order among
  // themselves is not part of the contract.
  std::multiset<std::string> templates;
  for (const engine::Notice& n : *notices) templates.insert(n.template_id);
  EXPECT_EQ(templates,
            (std::multiset<std::string>{"false_commitment.rectification_order", "false_commitment.decision_revoked",
                                        "false_commitment.penalty_referral", "false_commitment.record_repaired"}));

  engine::Result<engine::ReplayReport> replay =
      engine::ReplayCase(store_, registry_, testing::ShippedRules().book(), id);
  ASSERT_OK(replay);
  EXPECT_TRUE(replay->matches) << replay->problem;
  EXPECT_EQ(replay->replayed_state, "Repaired");
}

// Rectified in time: the deadline timer is gone, no record is written.
TEST_F(FalseCommitmentWorkflowTest, RectifiedInTimeDisarmsTheDeadline) {
  const std::string id = OpenOn(Date::FromYmd(2025, 4, 10), OpeningData());
  clock_.SetDate(Date::FromYmd(2025, 4, 22));
  engine::FireEventRequest confirm;
  confirm.case_id = id;
  confirm.event = engine::EventInput{"RectificationConfirmed", Json::object(), {"u", "caseworker", ""}};
  engine::Result<engine::CommandResult> r = service_.Fire(confirm);
  ASSERT_OK(r);
  EXPECT_EQ(r->outcome, "rectified");
  engine::Result<std::vector<engine::Timer>> timers = store_.GetTimers(id);
  ASSERT_TRUE(timers.ok());
  EXPECT_TRUE(timers->empty());
  clock_.SetDate(Date::FromYmd(2025, 4, 26));
  engine::Result<int> fired = service_.FireDueTimers();
  ASSERT_OK(fired);
  EXPECT_EQ(*fired, 0);
  EXPECT_TRUE(Records("false_commitment").empty());
}

// A case that cannot state its findings is not opened at all.
TEST_F(FalseCommitmentWorkflowTest, OpeningWithoutFindingsWritesNothing) {
  clock_.SetDate(Date::FromYmd(2025, 4, 10));
  Json data = OpeningData();
  data.erase("findings");
  engine::OpenCaseRequest open;
  open.workflow = kWorkflowName;
  open.subject = kFalseSubject;
  open.data = data;
  open.actor = {"system", "system", ""};
  open.events.push_back(engine::EventInput{"NonconformityFound", Json::object(), open.actor});
  engine::Result<engine::CommandResult> r = OpenThroughEngine(open);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "invalid_event_data");
  engine::Result<std::vector<std::string>> ids = store_.ListCaseIds();
  ASSERT_TRUE(ids.ok());
  EXPECT_TRUE(ids->empty());
}

}  // namespace
}  // namespace credflow::workflows::false_commitment
