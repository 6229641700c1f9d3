// The transition executor against the in-memory store: one event = one
// transaction with a version check, one chained history event and its
// effects; refusals change nothing; idempotent commands apply once; timers
// fire through the same path; children report to parents without contention.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "engine/audit.h"
#include "engine/history.h"
#include "tests/support/engine_harness.h"
#include "tests/support/forwarding_store.h"
#include "tests/support/in_memory_case_store.h"
#include "tests/support/shipped_rules.h"
#include "tests/support/status_matchers.h"

namespace credflow::testing {
namespace {

using engine::Json;

class CaseServiceTest : public ::testing::Test {
 protected:
  CaseServiceTest() : harness_(&store_) {}

  std::vector<engine::HistoryEvent> History(const std::string& id) {
    auto h = store_.GetHistory(id);
    EXPECT_TRUE(h.ok());
    return h.ok() ? *h : std::vector<engine::HistoryEvent>{};
  }

  InMemoryCaseStore store_;
  EngineHarness harness_;
};

// Each event holds the previous one's hash, from genesis to the case's head,
// so the history verifies; the decision also opens the verification child.
// Ids are UUIDs of version 7: the time they were made leads, so later ids
// sort after earlier ones (index locality), and the rest is random.
TEST(NewIdTest, IsAVersion7UuidThatSortsByItsTime) {
  const engine::Timestamp t = engine::StartOfDay(policies::Date::FromYmd(2026, 12, 7));
  const std::string a = engine::NewId(t);
  const std::string b = engine::NewId(t + std::chrono::milliseconds(1));
  const std::string c = engine::NewId(t + std::chrono::hours(24 * 365));
  ASSERT_EQ(a.size(), 36u);
  EXPECT_EQ(a[14], '7');                                          // the version
  EXPECT_NE(std::string("89ab").find(a[19]), std::string::npos);  // the variant
  // 2026-12-06T16:00:00Z is 1,796,572,800,000 ms: 0x01a24c156400.
  EXPECT_EQ(a.substr(0, 13), "01a24c15-6400");
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
  EXPECT_NE(engine::NewId(t), engine::NewId(t));
}

TEST_F(CaseServiceTest, FilingWritesOneChainedEventPerTransition) {
  auto r = harness_.FileFoodPermit(kSubjectA);
  ASSERT_OK(r);
  EXPECT_EQ(r->state, "UnderVerification");
  EXPECT_EQ(r->version, 3);  // opened, filed, signed

  auto c = store_.GetCase(r->case_id);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->policy.id, "commitment");
  EXPECT_EQ(c->policy.content_hash.size(), 64u);
  EXPECT_EQ(c->data["letter"]["legal_representative"], "周建华");

  auto history = History(r->case_id);
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].event, "CaseOpened");
  EXPECT_EQ(history[0].prev_hash, engine::kGenesisHash);
  EXPECT_EQ(history[1].event, "CommitmentFiled");
  EXPECT_EQ(history[1].from_state, "CatalogueCheck");
  EXPECT_EQ(history[1].to_state, "Notified");
  EXPECT_EQ(history[2].event, "LetterSigned");
  EXPECT_EQ(history[2].actor.user, "alice");
  EXPECT_EQ(history[2].actor.department, "window-1");
  for (size_t i = 1; i < history.size(); ++i) EXPECT_EQ(history[i].prev_hash, history[i - 1].hash);
  EXPECT_EQ(c->history_head, history.back().hash);
  EXPECT_FALSE(engine::VerifyChain(r->case_id, history, c->history_head).has_value());

  // The decision opened the verification case (a child), which holds the
  // window: 30 working days across Qingming 2025.
  EXPECT_TRUE(store_.GetTimers(r->case_id)->empty());
  const std::string verification = harness_.ChildOf(r->case_id, "verification");
  ASSERT_FALSE(verification.empty());
  auto v = store_.GetCase(verification);
  EXPECT_EQ(v->state, "Scheduled");
  EXPECT_EQ(v->parent_id, r->case_id);
  auto timers = store_.GetTimers(verification);
  ASSERT_TRUE(timers.ok());
  ASSERT_EQ(timers->size(), 1u);
  EXPECT_EQ((*timers)[0].due_on.ToString(), "2025-04-15");
  auto notices = store_.GetNotices(r->case_id);
  ASSERT_TRUE(notices.ok());
  EXPECT_EQ(notices->size(), 2u);  // written notice, decision
}

TEST_F(CaseServiceTest, RefusedEventChangesNothing) {
  auto r = harness_.FileFoodPermit(kSubjectA);
  ASSERT_TRUE(r.ok());
  const int64_t commits = store_.commit_count();
  auto refused = harness_.Fire(r->case_id, "CommitmentWithdrawn");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().reason(), "event_not_allowed");
  EXPECT_NE(refused.status().message().find("ChildReachedOutcome"), std::string::npos)
      << "the refusal names the events the state accepts: " << refused.status().message();
  EXPECT_EQ(store_.GetCase(r->case_id)->version, 3);
  EXPECT_EQ(History(r->case_id).size(), 3u);
  EXPECT_EQ(store_.commit_count(), commits);
}

TEST_F(CaseServiceTest, InvalidLetterIsRefusedWithFieldErrorsAndNoCase) {
  workflows::commitment::FileCommitmentRequest req;
  req.subject = kSubjectA;
  req.commitment_type = "food_business_permit";
  req.form = EngineHarness::FoodLetter("2025-03-03");
  req.form.erase("premises_address");
  req.form["business_items"] = {"fireworks"};
  req.actor = engine::Actor{"alice", "caseworker", ""};
  auto r = workflows::commitment::FileCommitment(harness_.service(), req);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "invalid_form");
  std::set<std::string> fields;
  for (const auto& f : r.status().fields()) fields.insert(f.field);
  EXPECT_EQ(fields, (std::set<std::string>{"premises_address", "business_items"}));
  EXPECT_TRUE(store_.ListCaseIds()->empty());
}

TEST_F(CaseServiceTest, ALetterDatedAfterTheFilingDayIsRefused) {
  workflows::commitment::FileCommitmentRequest r;
  r.subject = kSubjectA;
  r.commitment_type = "food_business_permit";
  r.form = EngineHarness::FoodLetter("2025-03-04");  // the harness's today is 2025-03-03
  r.actor = engine::Actor{"alice", "caseworker", ""};
  auto filed = workflows::commitment::FileCommitment(harness_.service(), r);
  ASSERT_FALSE(filed.ok());
  EXPECT_EQ(filed.status().reason(), "invalid_form");
  ASSERT_EQ(filed.status().fields().size(), 1u);
  EXPECT_EQ(filed.status().fields()[0].field, "signed_on");
  EXPECT_EQ(filed.status().fields()[0].code, "date_in_future");
  EXPECT_TRUE(store_.ListCaseIds()->empty());
  r.form = EngineHarness::FoodLetter("2025-03-03");
  EXPECT_TRUE(workflows::commitment::FileCommitment(harness_.service(), r).ok());
}

TEST_F(CaseServiceTest, InvalidCreditCodeIsRefused) {
  auto r = harness_.FileFoodPermit("91320500L968FMY61A");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "invalid_credit_code");
  ASSERT_EQ(r.status().fields().size(), 1u);
  EXPECT_EQ(r.status().fields()[0].field, "subject");
  EXPECT_TRUE(store_.ListCaseIds()->empty());
}

TEST_F(CaseServiceTest, ExpectedVersionMismatchIsAConflict) {
  auto r = harness_.FileDeregistration(kSubjectC);
  ASSERT_TRUE(r.ok());
  engine::FireEventRequest req;
  req.case_id = r->case_id;
  req.event = engine::EventInput{"CommitmentWithdrawn", Json::object(), {"u", "caseworker", ""}};
  req.expected_version = r->version - 1;
  auto stale = harness_.service().Fire(req);
  ASSERT_FALSE(stale.ok());
  EXPECT_TRUE(stale.status().IsConflict());
  EXPECT_EQ(stale.status().reason(), "version_mismatch");
  req.expected_version = r->version;
  auto fresh = harness_.service().Fire(req);
  ASSERT_OK(fresh);
  EXPECT_EQ(fresh->state, "Withdrawn");
}

TEST_F(CaseServiceTest, AuditorsChangeNothingAndDepartmentsActOnlyOnTheirOwnTasks) {
  auto r = harness_.FileDeregistration(kSubjectC);
  ASSERT_TRUE(r.ok());
  engine::FireEventRequest req;
  req.case_id = r->case_id;
  req.event = engine::EventInput{"CommitmentWithdrawn", Json::object(), {"audra", "auditor", ""}};
  auto audited = harness_.service().Fire(req);
  ASSERT_FALSE(audited.ok());
  EXPECT_TRUE(audited.status().IsPermissionDenied());
  EXPECT_EQ(audited.status().reason(), "read_only_role");
  // A department acts only on cases that are its tasks; this one is nobody's.
  req.event.actor = {"mkt", "department", "market"};
  auto foreign = harness_.service().Fire(req);
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.status().reason(), "other_department");
  EXPECT_EQ(store_.GetCase(r->case_id)->version, r->version);

  engine::OpenCaseRequest open;
  open.workflow = "commitment";
  open.subject = kSubjectA;
  open.department = "tax";
  open.actor = {"mkt", "department", "market"};
  auto opened = harness_.service().Open(open);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().reason(), "other_department");
  open.actor = {"tx", "department", "tax"};
  opened = harness_.service().Open(open);
  ASSERT_OK(opened);
  EXPECT_EQ(store_.GetCase(opened->case_id)->department, "tax");
  EXPECT_EQ(History(opened->case_id)[0].payload.value("department", ""), "tax");
}

// A repeat under the same key returns the first result, marked replayed, and
// writes nothing; the same key with other data is refused as reused.
TEST_F(CaseServiceTest, IdempotentRepeatAppliesOnce) {
  auto first = harness_.FileFoodPermit(kSubjectA, "file-1");
  ASSERT_TRUE(first.ok());
  auto again = harness_.FileFoodPermit(kSubjectA, "file-1");
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->case_id, first->case_id);
  EXPECT_EQ(again->version, first->version);
  EXPECT_EQ(store_.ListCaseIds()->size(),
            3u);  // the subject (registered by the filing), the commitment, its verification

  const std::string verification = harness_.ChildOf(first->case_id, "verification");
  auto verified = harness_.Fire(verification, "VerificationReported", EngineHarness::Report("conforming"), "verify-1");
  ASSERT_OK(verified);
  const size_t events = History(verification).size();
  auto repeat = harness_.Fire(verification, "VerificationReported", EngineHarness::Report("conforming"), "verify-1");
  ASSERT_TRUE(repeat.ok()) << "a repeat is answered, not refused: " << repeat.status().ToString();
  EXPECT_TRUE(repeat->replayed);
  EXPECT_EQ(repeat->state, "Conforming");
  EXPECT_EQ(History(verification).size(), events);

  auto other = harness_.Fire(verification, "VerificationReported", EngineHarness::Report("nonconforming"), "verify-1");
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.status().reason(), "idempotency_key_reused");
}

// A timer fires as an ordinary transition by the system actor, only once its
// due day has passed (not on the day itself), and is removed when fired.
TEST_F(CaseServiceTest, TimersFireThroughTheHotPathOnceDue) {
  harness_.SetDate("2025-07-01");
  auto r = harness_.FileDeregistration(kSubjectC);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->state, "InPublication");

  harness_.SetDate("2025-07-21");  // last day of the 20-day publication
  ASSERT_EQ(*harness_.service().FireDueTimers(), 0);
  EXPECT_EQ(store_.GetCase(r->case_id)->state, "InPublication");

  harness_.SetDate("2025-07-22");
  ASSERT_EQ(*harness_.service().FireDueTimers(), 1);
  auto c = store_.GetCase(r->case_id);
  EXPECT_EQ(c->state, "AwaitingApplication");
  auto history = History(r->case_id);
  EXPECT_EQ(history.back().event, "PublicationEnded");
  EXPECT_EQ(history.back().actor.user, "system");
  auto timers = store_.GetTimers(r->case_id);
  ASSERT_EQ(timers->size(), 1u) << "the fired timer is gone; the application window's is armed";
  EXPECT_EQ(timers->at(0).name, "application_window");
  EXPECT_EQ(timers->at(0).due_on.ToString(), "2025-08-11") << "20 d from 07-21 is Sunday 08-10: moved to Monday";
  EXPECT_EQ(*harness_.service().FireDueTimers(), 0);
}

TEST_F(CaseServiceTest, StaleTimerIsDiscardedWithoutHistory) {
  auto r = harness_.FileFoodPermit(kSubjectA);
  ASSERT_TRUE(r.ok());
  // A timer the case no longer takes: arm it by hand.
  ASSERT_TRUE(store_
                  .RunInTransaction([&](engine::StoreTransaction& tx) {
                    engine::Timer t;
                    t.id = engine::NewRandomId();
                    t.case_id = r->case_id;
                    t.name = "stale";
                    t.event = "PublicationEnded";
                    t.due_on = policies::Date::FromYmd(2025, 3, 3);
                    t.fire_at = engine::StartOfDay(t.due_on);
                    return tx.PutTimer(t);
                  })
                  .ok());
  EXPECT_EQ(*harness_.service().FireDueTimers(), 1);
  EXPECT_EQ(History(r->case_id).size(), 3u);
  EXPECT_TRUE(store_.GetTimers(r->case_id)->empty());
  // The discard leaves a trace for the auditor.
  auto notices = store_.GetNotices(r->case_id);
  ASSERT_TRUE(notices.ok());
  auto trace = std::find_if(notices->begin(), notices->end(),
                            [](const engine::Notice& n) { return n.template_id == "timer.discarded"; });
  ASSERT_NE(trace, notices->end());
  EXPECT_EQ(trace->data["timer"], "stale");
}

TEST_F(CaseServiceTest, ChildrenReportToTheirParentWithoutTouchingIt) {
  engine::OpenCaseRequest open;
  open.workflow = "fanout";
  open.subject = kSubjectA;
  open.events.push_back(engine::EventInput{"Dispatch", Json{{"count", 3}}, {"u", "caseworker", ""}});
  auto parent = harness_.service().Open(open);
  ASSERT_OK(parent);
  EXPECT_EQ(parent->state, "Waiting");

  engine::CaseQuery q;
  q.parent_id = parent->case_id;
  auto children = store_.FindCases(q);
  ASSERT_TRUE(children.ok());
  ASSERT_EQ(children->size(), 3u);

  // Children decided concurrently: none conflicts, the parent is untouched.
  std::vector<std::thread> threads;
  std::vector<engine::Status> results(children->size());
  for (size_t i = 0; i < children->size(); ++i) {
    threads.emplace_back([&, i] {
      auto r = harness_.Fire((*children)[i].id, "Decide", {{"decision", "approved"}});
      results[i] = r.ok() ? engine::Status::Ok() : r.status();
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& st : results) EXPECT_OK(st);
  EXPECT_EQ(store_.GetCase(parent->case_id)->version, parent->version);
  EXPECT_EQ(store_.GetChildOutcomes(parent->case_id)->size(), 3u);

  // The scheduler delivers one outcome per transaction.
  EXPECT_EQ(*harness_.service().FireDueTimers(), 3);
  auto joined = store_.GetCase(parent->case_id);
  EXPECT_EQ(joined->state, "Joined");
  EXPECT_EQ(joined->data["answers"].size(), 3u);
  EXPECT_EQ(joined->version, parent->version + 3);
}

// Counts the transactions the engine runs.
class CountingStore : public ForwardingCaseStore {
 public:
  using ForwardingCaseStore::ForwardingCaseStore;
  engine::Status RunInTransaction(const std::function<engine::Status(engine::StoreTransaction&)>& fn) override {
    ++transactions;
    return ForwardingCaseStore::RunInTransaction(fn);
  }
  int transactions = 0;
};

// Due timers of different cases share one transaction; every one fires,
// each with its own history event.
TEST(CaseServiceTimerTest, TimersOfDifferentCasesFireInOneTransaction) {
  InMemoryCaseStore store;
  CountingStore counting(&store);
  EngineHarness harness(&counting);
  harness.SetDate("2025-07-01");
  std::vector<std::string> cases;
  for (const char* subject : {kSubjectA, kSubjectB, kSubjectC}) {
    auto r = harness.FileDeregistration(subject);
    ASSERT_OK(r);
    cases.push_back(r->case_id);
  }
  harness.SetDate("2025-07-22");  // every publication has ended
  counting.transactions = 0;
  auto fired = harness.service().FireDueTimers();
  ASSERT_OK(fired);
  EXPECT_EQ(*fired, 3);
  EXPECT_EQ(counting.transactions, 2) << "one batch of three, then one that finds none due";
  for (const std::string& id : cases) {
    EXPECT_EQ(store.GetCase(id)->state, "AwaitingApplication");
    EXPECT_EQ(store.GetHistory(id)->back().event, "PublicationEnded");
  }
}

// Timers of one case go one per transaction, earliest first: a transition
// may cancel or re-arm its case's other timers, and the next claim sees it.
TEST(CaseServiceTimerTest, TimersOfOneCaseFireOnePerTransaction) {
  InMemoryCaseStore store;
  CountingStore counting(&store);
  EngineHarness harness(&counting);
  harness.SetDate("2025-07-01");
  auto r = harness.FileDeregistration(kSubjectC);
  ASSERT_OK(r);
  // A second timer of the same case with the same event, due a second
  // before the publication's: it fires first, and the publication's timer,
  // claimed by the next transaction, finds the case past it.
  auto timers = store.GetTimers(r->case_id);
  ASSERT_OK(timers);
  ASSERT_EQ(timers->size(), 1u);
  const engine::Timer publication = timers->front();
  engine::Timer early = publication;
  early.id = engine::NewRandomId();
  early.name = "publication_early";
  early.fire_at -= std::chrono::seconds(1);
  ASSERT_OK(store.RunInTransaction([&](engine::StoreTransaction& tx) { return tx.PutTimer(early); }));

  harness.SetDate("2025-07-22");
  counting.transactions = 0;
  auto fired = harness.service().FireDueTimers();
  ASSERT_OK(fired);
  EXPECT_EQ(*fired, 2);
  EXPECT_EQ(counting.transactions, 3) << "one per timer of the case, then one that finds none due";
  auto history = store.GetHistory(r->case_id);
  EXPECT_EQ(std::count_if(history->begin(), history->end(),
                          [](const engine::HistoryEvent& e) { return e.event == "PublicationEnded"; }),
            1);
  EXPECT_EQ(history->back().payload["data"]["timer"], "publication_early");
  auto notices = store.GetNotices(r->case_id);
  EXPECT_EQ(std::count_if(notices->begin(), notices->end(),
                          [&](const engine::Notice& n) {
                            return n.template_id == "timer.discarded" && n.data["timer"] == publication.name;
                          }),
            1);
}

TEST_F(CaseServiceTest, AuditFindsATamperedEventAndReplayReproducesState) {
  auto r = harness_.FileFoodPermit(kSubjectA);
  ASSERT_TRUE(r.ok());
  auto replay = engine::ReplayCase(store_, harness_.workflows(), ShippedRules().book(), r->case_id);
  ASSERT_TRUE(replay.ok());
  EXPECT_TRUE(replay->matches) << replay->problem;
  EXPECT_EQ(replay->replayed_state, "UnderVerification");

  auto history = History(r->case_id);
  history[1].payload["data"]["commitment_type"] = "fire_safety_venue_opening";
  auto broken = engine::VerifyChain(r->case_id, history, store_.GetCase(r->case_id)->history_head);
  ASSERT_TRUE(broken.has_value());
  EXPECT_EQ(broken->seq, 2);
  EXPECT_EQ(broken->event, "CommitmentFiled");
}

TEST_F(CaseServiceTest, ReplayUsesTheFactsRecordedAtTheTime) {
  // Filed while eligible; a false-commitment record added later must not
  // change what replay concludes about the past.
  auto r = harness_.FileFoodPermit(kSubjectA);
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(store_
                  .RunInTransaction([&](engine::StoreTransaction& tx) {
                    engine::SubjectRecord rec;
                    rec.id = "rec-1";
                    rec.subject = kSubjectA;
                    rec.kind = "false_commitment";
                    rec.status = "active";
                    return tx.PutSubjectRecord(rec);
                  })
                  .ok());
  auto replay = engine::ReplayCase(store_, harness_.workflows(), ShippedRules().book(), r->case_id);
  ASSERT_TRUE(replay.ok());
  EXPECT_TRUE(replay->matches) << replay->problem;

  auto second = harness_.FileFoodPermit(kSubjectA);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->state, "OrdinaryProcedure");
  EXPECT_EQ(second->reason, "unrepaired_false_commitment");
}

TEST_F(CaseServiceTest, UnknownCaseAndWorkflowAreReported) {
  auto r = harness_.Fire("no-such-case", "CommitmentWithdrawn");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsNotFound());
  engine::OpenCaseRequest open;
  open.workflow = "nope";
  open.subject = kSubjectA;
  EXPECT_EQ(harness_.service().Open(open).status().reason(), "unknown_workflow");
}

}  // namespace
}  // namespace credflow::testing

namespace credflow::testing {
namespace {

// A timer whose event cannot apply does not block the timers due after it:
// it is kept, retried an hour later, and the caseworker is told.
TEST(CaseServiceTimerTest, FailingTimerIsKeptAndDoesNotBlockOthers) {
  InMemoryCaseStore store;
  EngineHarness harness(&store);
  auto bad = harness.FileFoodPermit(kSubjectA);
  auto good = harness.FileDeregistration(kSubjectC);
  ASSERT_TRUE(bad.ok() && good.ok());
  const std::string verification = harness.ChildOf(bad->case_id, "verification");
  // A timer whose payload its event does not declare: the schema check
  // refuses it every time.
  ASSERT_TRUE(store
                  .RunInTransaction([&](engine::StoreTransaction& tx) {
                    engine::Timer t;
                    t.id = engine::NewRandomId();
                    t.case_id = verification;
                    t.name = "broken";
                    t.event = "VerificationOverdue";
                    t.payload = {{"inspector", 7}};
                    t.due_on = policies::Date::FromYmd(2025, 3, 3);
                    t.fire_at = engine::StartOfDay(t.due_on);
                    return tx.PutTimer(t);
                  })
                  .ok());

  // The deregistration's publication and then its application window have
  // ended too.
  harness.SetDate("2025-07-22");
  auto fired = harness.service().FireDueTimers();
  ASSERT_OK(fired);
  EXPECT_EQ(store.GetCase(good->case_id)->state, "Lapsed") << "the later timers still fired";
  EXPECT_EQ(store.GetCase(verification)->state, "Scheduled");

  auto timers = store.GetTimers(verification);
  auto broken = std::find_if(timers->begin(), timers->end(), [](const engine::Timer& t) { return t.name == "broken"; });
  ASSERT_NE(broken, timers->end()) << "the failing timer is kept";
  EXPECT_EQ(broken->fire_at, harness.clock().Now() + std::chrono::hours(1));
  auto notices = store.GetNotices(verification);
  auto trace = std::find_if(notices->begin(), notices->end(),
                            [](const engine::Notice& n) { return n.template_id == "timer.failed"; });
  ASSERT_NE(trace, notices->end());
  EXPECT_EQ(trace->data["why"], "invalid_event_data");
}

}  // namespace
}  // namespace credflow::testing
