// The CaseStore contract, once, run against every store: the in-memory fake
// (`memory`), SOCI on a SQLite file (`sqlite`) and SOCI on PostgreSQL
// (`postgresql`). Each test gets a fresh, empty store: a new fake, a new
// SQLite file, a new PostgreSQL database on the fixture server.
//
// ctest selects one store with --gtest_filter=*/<store>*:*<store>*, so test
// names must not contain a store's name.

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "adapters/store/migrations.h"
#include "adapters/store/soci_case_store.h"
#include "engine/case_store.h"
#include "tests/support/in_memory_case_store.h"
#include "tests/support/scratch_store.h"
#include "tests/support/status_matchers.h"
#include "tests/support/test_databases.h"

namespace credflow {
namespace {

using engine::Case;
using engine::CaseQuery;
using engine::ChildOutcome;
using engine::HistoryEvent;
using engine::Json;
using engine::Notice;
using engine::Status;
using engine::StoredResponse;
using engine::StoreTransaction;
using engine::SubjectProfile;
using engine::SubjectQuery;
using engine::SubjectRecord;
using engine::Timer;
using engine::Timestamp;
using engine::User;

Timestamp At(const std::string& text) {
  Timestamp t{};
  EXPECT_TRUE(engine::ParseTimestamp(text, &t)) << text;
  return t;
}

policies::Date Day(const std::string& text) {
  std::optional<policies::Date> d = policies::Date::Parse(text);
  EXPECT_TRUE(d.has_value()) << text;
  return d.value_or(policies::Date());
}

// A case with every field set to something other than its default.
Case MakeCase(const std::string& id, const std::string& workflow = "commitment", const std::string& state = "Filed",
              const std::string& subject = "91110000MA00000001") {
  Case c;
  c.id = id;
  c.workflow = workflow;
  c.definition_version = 3;
  c.subject = subject;
  c.state = state;
  c.outcome = "pending";
  c.reason = "awaiting_documents";
  c.version = 1;
  c.policy = {"credit-repair", "2024.2", std::string(64, 'a')};
  c.data = Json{{"applicant", "某某科技有限公司"},
                {"amount", 12345.5},
                {"flags", Json::array({true, false, nullptr})},
                {"nested", {{"quote", "it's \"quoted\"; DROP TABLE cases; --"}, {"n", -7}}}};
  c.parent_id = "";
  c.department = "market-regulation";
  c.history_head = std::string(64, 'f');
  c.created_at = At("2025-03-03T01:02:03Z");
  c.updated_at = At("2025-03-04T05:06:07Z");
  return c;
}

HistoryEvent MakeEvent(const std::string& case_id, int64_t seq) {
  HistoryEvent e;
  e.case_id = case_id;
  e.seq = seq;
  e.event = seq == 1 ? "CaseOpened" : "DocumentsReceived";
  e.from_state = seq == 1 ? "" : "Filed";
  e.to_state = "Filed";
  e.actor = {"user-" + std::to_string(seq), "caseworker", "market-regulation"};
  e.at = At("2025-03-0" + std::to_string(seq % 9 + 1) + "T08:00:00Z");
  e.payload = Json{{"seq", seq}, {"note", "第" + std::to_string(seq) + "次"}};
  e.policy = {"credit-repair", "2024.2", std::string(64, 'b')};
  e.prev_hash = std::string(64, '0');
  e.hash = std::string(63, 'c') + std::to_string(seq % 10);
  return e;
}

Timer MakeTimer(const std::string& id, const std::string& case_id, const std::string& name,
                const std::string& fire_at) {
  Timer t;
  t.id = id;
  t.case_id = case_id;
  t.name = name;
  t.event = "DeadlineExpired";
  t.payload = Json{{"timer", name}};
  t.due_on = Day(fire_at.substr(0, 10));
  t.fire_at = At(fire_at);
  return t;
}

SubjectRecord MakeRecord(const std::string& id, const std::string& subject, const std::string& kind,
                         const std::string& status, const std::string& created_at) {
  SubjectRecord r;
  r.id = id;
  r.subject = subject;
  r.kind = kind;
  r.status = status;
  r.case_id = "case-" + id;
  r.data = Json{{"severity", "serious"}};
  r.created_at = At(created_at);
  r.updated_at = At(created_at);
  return r;
}

// A profile with every field set to something other than its default.
SubjectProfile MakeProfile(const std::string& code, const std::string& grade = "B",
                           const std::string& status = "operating") {
  SubjectProfile p;
  p.code = code;
  p.name = "苏州某某食品有限公司 (" + code + ")";
  p.status = status;
  p.grade = grade;
  p.grade_set_on = Day("2025-02-14");
  p.grade_reason = "annual_risk_review; it's \"quoted\"";
  p.grade_source = "import";
  p.case_id = "subject-case-" + code;
  p.updated_at = At("2025-02-14T03:04:05Z");
  return p;
}

void ExpectSameProfile(const SubjectProfile& want, const SubjectProfile& got) {
  EXPECT_EQ(want.code, got.code);
  EXPECT_EQ(want.name, got.name);
  EXPECT_EQ(want.status, got.status);
  EXPECT_EQ(want.grade, got.grade);
  EXPECT_EQ(want.grade_set_on, got.grade_set_on);
  EXPECT_EQ(want.grade_reason, got.grade_reason);
  EXPECT_EQ(want.grade_source, got.grade_source);
  EXPECT_EQ(want.case_id, got.case_id);
  EXPECT_EQ(want.updated_at, got.updated_at);
}

std::vector<std::string> Codes(const std::vector<SubjectProfile>& profiles) {
  std::vector<std::string> codes;
  for (const SubjectProfile& p : profiles) codes.push_back(p.code);
  return codes;
}

void ExpectSameCase(const Case& want, const Case& got) {
  EXPECT_EQ(want.id, got.id);
  EXPECT_EQ(want.workflow, got.workflow);
  EXPECT_EQ(want.definition_version, got.definition_version);
  EXPECT_EQ(want.subject, got.subject);
  EXPECT_EQ(want.state, got.state);
  EXPECT_EQ(want.outcome, got.outcome);
  EXPECT_EQ(want.reason, got.reason);
  EXPECT_EQ(want.version, got.version);
  EXPECT_EQ(want.policy.id, got.policy.id);
  EXPECT_EQ(want.policy.version, got.policy.version);
  EXPECT_EQ(want.policy.content_hash, got.policy.content_hash);
  EXPECT_EQ(want.data, got.data);
  EXPECT_EQ(want.parent_id, got.parent_id);
  EXPECT_EQ(want.department, got.department);
  EXPECT_EQ(want.history_head, got.history_head);
  EXPECT_EQ(want.created_at, got.created_at);
  EXPECT_EQ(want.updated_at, got.updated_at);
}

void ExpectSameEvent(const HistoryEvent& want, const HistoryEvent& got) {
  EXPECT_EQ(want.case_id, got.case_id);
  EXPECT_EQ(want.seq, got.seq);
  EXPECT_EQ(want.event, got.event);
  EXPECT_EQ(want.from_state, got.from_state);
  EXPECT_EQ(want.to_state, got.to_state);
  EXPECT_EQ(want.actor.user, got.actor.user);
  EXPECT_EQ(want.actor.role, got.actor.role);
  EXPECT_EQ(want.actor.department, got.actor.department);
  EXPECT_EQ(want.at, got.at);
  EXPECT_EQ(want.payload, got.payload);
  EXPECT_EQ(want.policy.id, got.policy.id);
  EXPECT_EQ(want.policy.version, got.policy.version);
  EXPECT_EQ(want.policy.content_hash, got.policy.content_hash);
  EXPECT_EQ(want.prev_hash, got.prev_hash);
  EXPECT_EQ(want.hash, got.hash);
}

void ExpectSameTimer(const Timer& want, const Timer& got) {
  EXPECT_EQ(want.id, got.id);
  EXPECT_EQ(want.case_id, got.case_id);
  EXPECT_EQ(want.name, got.name);
  EXPECT_EQ(want.event, got.event);
  EXPECT_EQ(want.payload, got.payload);
  EXPECT_EQ(want.due_on, got.due_on);
  EXPECT_EQ(want.fire_at, got.fire_at);
}

std::vector<std::string> TimerIds(const std::vector<Timer>& timers) {
  std::vector<std::string> ids;
  for (const Timer& t : timers) ids.push_back(t.id);
  return ids;
}

std::vector<std::string> CaseIds(const std::vector<Case>& cases) {
  std::vector<std::string> ids;
  for (const Case& c : cases) ids.push_back(c.id);
  return ids;
}

// A valid user; its token is "token-<name>".
User MakeUser(const std::string& name, engine::Role role = engine::Role::kCaseworker,
              const std::string& department = "") {
  User u;
  u.name = name;
  u.role = role;
  u.department = department;
  u.token_hash = engine::TokenHash("token-" + name);
  u.created_at = At("2025-05-06T07:08:09Z");
  return u;
}

void ExpectSameUser(const User& want, const User& got) {
  EXPECT_EQ(want.name, got.name);
  EXPECT_EQ(want.role, got.role);
  EXPECT_EQ(want.department, got.department);
  EXPECT_EQ(want.token_hash, got.token_hash);
  EXPECT_EQ(want.disabled, got.disabled);
  EXPECT_EQ(want.created_at, got.created_at);
}

std::vector<std::string> UserNames(const std::vector<User>& users) {
  std::vector<std::string> names;
  for (const User& u : users) names.push_back(u.name);
  return names;
}

class CaseStoreContractTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(holder_.Open(GetParam())); }
  void TearDown() override { holder_.Close(); }

  engine::CaseStore& store() { return *holder_.store(); }

  Status Tx(const std::function<Status(StoreTransaction&)>& fn) { return store().RunInTransaction(fn); }
  // Due by 2025-03-03: t-b, then t-a and t-c (the same time, so by id); and
  // t-future, due on 2025-03-05T16:00:00Z.
  void PutThreeDueTimersAndOneLater() {
    ASSERT_OK(Tx([&](StoreTransaction& tx) {
      CREDFLOW_RETURN_IF_ERROR(tx.PutTimer(MakeTimer("t-c", "case-1", "c", "2025-03-02T16:00:00Z")));
      CREDFLOW_RETURN_IF_ERROR(tx.PutTimer(MakeTimer("t-b", "case-2", "b", "2025-03-01T16:00:00Z")));
      CREDFLOW_RETURN_IF_ERROR(tx.PutTimer(MakeTimer("t-a", "case-3", "a", "2025-03-02T16:00:00Z")));
      return tx.PutTimer(MakeTimer("t-future", "case-4", "f", "2025-03-05T16:00:00Z"));
    }));
  }
  void Insert(const Case& c) {
    ASSERT_OK(Tx([&](StoreTransaction& tx) { return tx.InsertCase(c); }));
  }
  std::vector<Timer> Timers(const std::string& case_id) {
    auto timers = store().GetTimers(case_id);
    EXPECT_TRUE(timers.ok()) << timers.status().ToString();
    return timers.ok() ? timers.value() : std::vector<Timer>{};
  }
  std::vector<std::string> ListIds() {
    auto ids = store().ListCaseIds();
    EXPECT_TRUE(ids.ok()) << ids.status().ToString();
    return ids.ok() ? ids.value() : std::vector<std::string>{};
  }
  std::vector<std::string> FindIds(const CaseQuery& q) {
    auto found = store().FindCases(q);
    EXPECT_TRUE(found.ok()) << found.status().ToString();
    return found.ok() ? CaseIds(found.value()) : std::vector<std::string>{};
  }
  // Rewrites the stored case `id` with `change` applied, one version up.
  void Change(const std::string& id, const std::function<void(Case&)>& change) {
    auto c = store().GetCase(id);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    Case next = c.value();
    change(next);
    next.version = c->version + 1;
    ASSERT_OK(Tx([&](StoreTransaction& tx) { return tx.UpdateCase(next, c->version); }));
  }
  std::vector<std::string> Users() {
    auto users = store().ListUsers();
    EXPECT_TRUE(users.ok()) << users.status().ToString();
    return users.ok() ? UserNames(users.value()) : std::vector<std::string>{};
  }
  std::optional<User> UserByToken(const std::string& token) {
    auto found = store().FindUserByTokenHash(engine::TokenHash(token));
    EXPECT_TRUE(found.ok()) << found.status().ToString();
    return found.ok() ? found.value() : std::nullopt;
  }

  testing::ScratchStore holder_;
};

std::string StoreName(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

// ---- cases ------------------------------------------------------------------

// Every field of a case survives a round trip, through a transaction and a read.
TEST_P(CaseStoreContractTest, InsertedCaseLoadsBackWithEveryField) {
  Case c = MakeCase("case-1");
  c.parent_id = "case-0";
  Insert(c);

  Case loaded;
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    auto got = tx.LoadCase("case-1");
    if (!got.ok()) return got.status();
    loaded = got.value();
    return Status::Ok();
  }));
  ExpectSameCase(c, loaded);

  auto read = store().GetCase("case-1");
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ExpectSameCase(c, read.value());
}

// Loading an id nobody inserted is NotFound, in a transaction and outside.
TEST_P(CaseStoreContractTest, UnknownCaseIsNotFound) {
  Status in_tx;
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    in_tx = tx.LoadCase("nope").status();
    return Status::Ok();
  }));
  EXPECT_TRUE(in_tx.IsNotFound()) << in_tx.ToString();
  EXPECT_EQ(in_tx.reason(), "case_not_found");

  auto read = store().GetCase("nope");
  ASSERT_FALSE(read.ok());
  EXPECT_TRUE(read.status().IsNotFound());
  EXPECT_EQ(read.status().reason(), "case_not_found");
}

// A second insert with the same id is AlreadyExists and changes nothing.
TEST_P(CaseStoreContractTest, DuplicateIdIsAlreadyExists) {
  Insert(MakeCase("case-1"));
  Case other = MakeCase("case-1", "repair", "Submitted");
  Status s = Tx([&](StoreTransaction& tx) { return tx.InsertCase(other); });
  EXPECT_EQ(s.code(), Status::Code::kAlreadyExists) << s.ToString();
  EXPECT_EQ(s.reason(), "case_exists");
  auto read = store().GetCase("case-1");
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->workflow, "commitment");
}

// An update at the current version writes every field and the new version.
TEST_P(CaseStoreContractTest, UpdateAtCurrentVersionWritesEveryField) {
  Insert(MakeCase("case-1"));
  Case next = MakeCase("case-1", "commitment", "Verified", "91110000MA00000002");
  next.version = 2;
  next.definition_version = 4;
  next.outcome = "kept";
  next.reason = "";
  next.policy = {"credit-repair", "2025.1", std::string(64, 'd')};
  next.data = Json{{"changed", true}};
  next.parent_id = "case-parent";
  next.department = "fire-safety";
  next.history_head = std::string(64, 'e');
  next.created_at = At("2025-03-03T01:02:04Z");
  next.updated_at = At("2025-04-01T00:00:00Z");
  ASSERT_OK(Tx([&](StoreTransaction& tx) { return tx.UpdateCase(next, 1); }));
  auto read = store().GetCase("case-1");
  ASSERT_TRUE(read.ok());
  ExpectSameCase(next, read.value());
}

// A stale expected version is Conflict("version_mismatch") and writes nothing.
TEST_P(CaseStoreContractTest, UpdateAtStaleVersionConflictsAndWritesNothing) {
  Case c = MakeCase("case-1");
  Insert(c);
  Case first = c;
  first.version = 2;
  first.state = "Verified";
  ASSERT_OK(Tx([&](StoreTransaction& tx) { return tx.UpdateCase(first, 1); }));

  Case stale = c;  // still thinks it is at version 1
  stale.version = 2;
  stale.state = "Rejected";
  Status s = Tx([&](StoreTransaction& tx) { return tx.UpdateCase(stale, 1); });
  EXPECT_TRUE(s.IsConflict()) << s.ToString();
  EXPECT_EQ(s.reason(), "version_mismatch");

  auto read = store().GetCase("case-1");
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->state, "Verified");
  EXPECT_EQ(read->version, 2);
}

// A command that took a case through several transitions writes it once,
// several versions on (engine/unit_of_work.h); the check is against the
// version it was loaded at.
TEST_P(CaseStoreContractTest, UpdateMayAdvanceSeveralVersionsAtOnce) {
  Case c = MakeCase("case-1");
  Insert(c);
  Case later = c;
  later.version = 4;
  later.state = "Decided";
  Status stale = Tx([&](StoreTransaction& tx) { return tx.UpdateCase(later, 2); });
  EXPECT_EQ(stale.reason(), "version_mismatch");
  ASSERT_OK(Tx([&](StoreTransaction& tx) { return tx.UpdateCase(later, 1); }));
  EXPECT_EQ(store().GetCase("case-1")->version, 4);
  Case backwards = later;
  backwards.version = 4;
  EXPECT_EQ(Tx([&](StoreTransaction& tx) { return tx.UpdateCase(backwards, 4); }).code(), Status::Code::kInternal);
}

// A batch appends in order, like one append after another; a taken seq in
// it is the same conflict.
TEST_P(CaseStoreContractTest, HistoryBatchAppendsInOrderAndRefusesATakenSeq) {
  Insert(MakeCase("case-1"));
  std::vector<engine::HistoryEvent> batch;
  for (int64_t seq = 1; seq <= 10; ++seq) {  // more than one multi-row INSERT
    engine::HistoryEvent e;
    e.case_id = "case-1";
    e.seq = seq;
    e.event = "Step" + std::to_string(seq);
    e.to_state = "Open";
    e.at = At("2025-03-03T01:02:03Z");
    e.prev_hash = std::string(64, '0');
    e.hash = std::string(64, static_cast<char>('a' + seq % 6));
    batch.push_back(e);
  }
  ASSERT_OK(Tx([&](StoreTransaction& tx) { return tx.AppendHistoryBatch(batch); }));
  auto history = store().GetHistory("case-1");
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 10u);
  for (size_t i = 0; i < history->size(); ++i) EXPECT_EQ((*history)[i].event, batch[i].event);

  std::vector<engine::HistoryEvent> clash = {batch[9], batch[3]};
  clash[0].seq = 11;
  Status s = Tx([&](StoreTransaction& tx) { return tx.AppendHistoryBatch(clash); });
  EXPECT_TRUE(s.IsConflict()) << s.ToString();
  EXPECT_EQ(s.reason(), "history_seq_taken");
  EXPECT_EQ(store().GetHistory("case-1")->size(), 10u) << "the transaction rolled back";
}

// Updating a case that does not exist is a version conflict too.
TEST_P(CaseStoreContractTest, UpdateOfUnknownCaseConflicts) {
  Case ghost = MakeCase("ghost");
  ghost.version = 2;
  Status s = Tx([&](StoreTransaction& tx) { return tx.UpdateCase(ghost, 1); });
  EXPECT_TRUE(s.IsConflict()) << s.ToString();
  EXPECT_EQ(s.reason(), "version_mismatch");
  EXPECT_TRUE(store().GetCase("ghost").status().IsNotFound());
}

// Two writers that loaded the same version: the second one's update conflicts,
// and its other writes in that transaction are rolled back with it.
TEST_P(CaseStoreContractTest, SecondWriterOfSameVersionConflictsAndRollsBack) {
  Insert(MakeCase("case-1"));
  auto a = store().GetCase("case-1");
  auto b = store().GetCase("case-1");
  ASSERT_TRUE(a.ok() && b.ok());

  Case next_a = a.value();
  next_a.version = 2;
  next_a.state = "A";
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    CREDFLOW_RETURN_IF_ERROR(tx.UpdateCase(next_a, 1));
    return tx.AppendHistory(MakeEvent("case-1", 1));
  }));

  Case next_b = b.value();
  next_b.version = 2;
  next_b.state = "B";
  Status s = Tx([&](StoreTransaction& tx) {
    CREDFLOW_RETURN_IF_ERROR(tx.PutNotice(Notice{"n-b", "case-1", "applicant", "t", {}, {}}));
    return tx.UpdateCase(next_b, 1);
  });
  EXPECT_TRUE(s.IsConflict()) << s.ToString();

  auto read = store().GetCase("case-1");
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->state, "A");
  EXPECT_EQ(read->version, 2);
  auto notices = store().GetNotices("case-1");
  ASSERT_TRUE(notices.ok());
  EXPECT_TRUE(notices->empty());
}

// A transaction sees its own writes; reads outside it see committed data only.
TEST_P(CaseStoreContractTest, TransactionSeesOwnWritesOthersSeeOnlyCommitted) {
  Status outside;
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    CREDFLOW_RETURN_IF_ERROR(tx.InsertCase(MakeCase("case-1")));
    auto inside = tx.LoadCase("case-1");
    if (!inside.ok()) return inside.status();
    outside = store().GetCase("case-1").status();
    return Status::Ok();
  }));
  EXPECT_TRUE(outside.IsNotFound()) << outside.ToString();
  EXPECT_TRUE(store().GetCase("case-1").ok());
}

// When fn fails, nothing it wrote persists, and its Status comes back as is.
TEST_P(CaseStoreContractTest, FailingCallbackRollsBackEveryWrite) {
  Insert(MakeCase("case-0"));
  Status s = Tx([&](StoreTransaction& tx) {
    Case c = MakeCase("case-1");
    CREDFLOW_RETURN_IF_ERROR(tx.InsertCase(c));
    CREDFLOW_RETURN_IF_ERROR(tx.AppendHistory(MakeEvent("case-1", 1)));
    Case c0 = MakeCase("case-0");
    c0.version = 2;
    c0.state = "Changed";
    CREDFLOW_RETURN_IF_ERROR(tx.UpdateCase(c0, 1));
    CREDFLOW_RETURN_IF_ERROR(tx.PutTimer(MakeTimer("t-1", "case-1", "deadline", "2025-03-10T16:00:00Z")));
    CREDFLOW_RETURN_IF_ERROR(
        tx.PutSubjectRecord(MakeRecord("r-1", "S1", "false_commitment", "active", "2025-03-01T00:00:00Z")));
    CREDFLOW_RETURN_IF_ERROR(tx.PutNotice(Notice{"n-1", "case-1", "applicant", "t", {}, {}}));
    CREDFLOW_RETURN_IF_ERROR(tx.PutChildOutcome(ChildOutcome{"case-0", "case-1", "repair", "ok", {}}));
    CREDFLOW_RETURN_IF_ERROR(tx.PutResponse(StoredResponse{"key-1", "h", "case-1", Json{{"a", 1}}}));
    return Status::FailedPrecondition("event_not_allowed", "refused on purpose");
  });
  EXPECT_TRUE(s.IsFailedPrecondition()) << s.ToString();
  EXPECT_EQ(s.reason(), "event_not_allowed");
  EXPECT_EQ(s.message(), "refused on purpose");

  EXPECT_TRUE(store().GetCase("case-1").status().IsNotFound());
  auto c0 = store().GetCase("case-0");
  ASSERT_TRUE(c0.ok());
  EXPECT_EQ(c0->version, 1);
  EXPECT_EQ(c0->state, "Filed");
  EXPECT_TRUE(store().GetHistory("case-1")->empty());
  EXPECT_TRUE(Timers("case-1").empty());
  EXPECT_TRUE(store().GetSubjectFacts("S1")->records.empty());
  EXPECT_TRUE(store().GetNotices("case-1")->empty());
  EXPECT_TRUE(store().GetChildOutcomes("case-0")->empty());
  std::optional<StoredResponse> response;
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    auto found = tx.FindResponse("key-1");
    if (!found.ok()) return found.status();
    response = found.value();
    return Status::Ok();
  }));
  EXPECT_FALSE(response.has_value());
  EXPECT_EQ(ListIds(), std::vector<std::string>{"case-0"});
}

// ---- history ------------------------------------------------------------------

// Events come back in seq order with every field intact.
TEST_P(CaseStoreContractTest, HistoryComesBackInSeqOrderWithEveryField) {
  Insert(MakeCase("case-1"));
  std::vector<HistoryEvent> events = {MakeEvent("case-1", 1), MakeEvent("case-1", 2), MakeEvent("case-1", 3)};
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    CREDFLOW_RETURN_IF_ERROR(tx.AppendHistory(events[0]));
    return tx.AppendHistory(events[1]);
  }));
  ASSERT_OK(Tx([&](StoreTransaction& tx) { return tx.AppendHistory(events[2]); }));
  auto history = store().GetHistory("case-1");
  ASSERT_TRUE(history.ok()) << history.status().ToString();
  ASSERT_EQ(history->size(), 3u);
  for (size_t i = 0; i < events.size(); ++i) ExpectSameEvent(events[i], (*history)[i]);
}

// Seq order is numeric, whatever order the events were appended in.
TEST_P(CaseStoreContractTest, HistoryOrderIsNumericSeqOrder) {
  Insert(MakeCase("case-1"));
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    for (int64_t seq : {10, 2, 1, 9}) CREDFLOW_RETURN_IF_ERROR(tx.AppendHistory(MakeEvent("case-1", seq)));
    return Status::Ok();
  }));
  auto history = store().GetHistory("case-1");
  ASSERT_TRUE(history.ok());
  std::vector<int64_t> seqs;
  for (const HistoryEvent& e : *history) seqs.push_back(e.seq);
  EXPECT_EQ(seqs, (std::vector<int64_t>{1, 2, 9, 10}));
}

// A taken seq is Conflict("history_seq_taken"); the transaction stays usable.
TEST_P(CaseStoreContractTest, TakenHistorySeqConflicts) {
  Insert(MakeCase("case-1"));
  HistoryEvent original = MakeEvent("case-1", 1);
  ASSERT_OK(Tx([&](StoreTransaction& tx) { return tx.AppendHistory(original); }));

  Status clash;
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    HistoryEvent again = MakeEvent("case-1", 1);
    again.event = "Forged";
    clash = tx.AppendHistory(again);
    return tx.AppendHistory(MakeEvent("case-1", 2));
  }));
  EXPECT_TRUE(clash.IsConflict()) << clash.ToString();
  EXPECT_EQ(clash.reason(), "history_seq_taken");

  auto history = store().GetHistory("case-1");
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  ExpectSameEvent(original, (*history)[0]);
}

// History for a case that does not exist fails and dooms the transaction:
// even a callback that ignores the error commits nothing.
TEST_P(CaseStoreContractTest, HistoryOfUnknownCaseDoomsTransaction) {
  Status append;
  Status s = Tx([&](StoreTransaction& tx) {
    CREDFLOW_RETURN_IF_ERROR(tx.InsertCase(MakeCase("case-1")));
    append = tx.AppendHistory(MakeEvent("ghost", 1));
    return Status::Ok();  // ignores the error on purpose
  });
  EXPECT_TRUE(append.IsNotFound()) << append.ToString();
  EXPECT_EQ(append.reason(), "case_not_found");
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(s.IsNotFound()) << s.ToString();
  EXPECT_TRUE(store().GetCase("case-1").status().IsNotFound());
  EXPECT_TRUE(store().GetHistory("ghost")->empty());
}

// The history of an unknown case is empty, not an error.
TEST_P(CaseStoreContractTest, HistoryOfUnknownCaseIsEmpty) {
  auto history = store().GetHistory("nope");
  ASSERT_TRUE(history.ok()) << history.status().ToString();
  EXPECT_TRUE(history->empty());
}

// ---- timers -------------------------------------------------------------------

// A timer round-trips every field; GetTimers lists a case's timers earliest first.
TEST_P(CaseStoreContractTest, TimersRoundTripEarliestFirst) {
  Insert(MakeCase("case-1"));
  Timer late = MakeTimer("t-late", "case-1", "publication_end", "2025-06-30T16:00:00Z");
  Timer early = MakeTimer("t-early", "case-1", "verification_deadline", "2025-03-10T16:00:00Z");
  Timer other = MakeTimer("t-other", "case-2", "deadline", "2025-01-01T00:00:00Z");
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    CREDFLOW_RETURN_IF_ERROR(tx.PutTimer(late));
    CREDFLOW_RETURN_IF_ERROR(tx.PutTimer(early));
    return tx.PutTimer(other);
  }));
  std::vector<Timer> timers = Timers("case-1");
  ASSERT_EQ(timers.size(), 2u);
  ExpectSameTimer(early, timers[0]);
  ExpectSameTimer(late, timers[1]);
  EXPECT_TRUE(Timers("case-9").empty());
}

// Putting a timer with a case's existing name replaces the pending one.
TEST_P(CaseStoreContractTest, PutTimerReplacesSameCaseAndName) {
  Timer first = MakeTimer("t-1", "case-1", "deadline", "2025-03-10T16:00:00Z");
  Timer second = MakeTimer("t-2", "case-1", "deadline", "2025-03-20T16:00:00Z");
  second.event = "ReminderDue";
  ASSERT_OK(Tx([&](StoreTransaction& tx) { return tx.PutTimer(first); }));
  ASSERT_OK(Tx([&](StoreTransaction& tx) { return tx.PutTimer(second); }));
  std::vector<Timer> timers = Timers("case-1");
  ASSERT_EQ(timers.size(), 1u);
  ExpectSameTimer(second, timers[0]);

  // Re-putting the same id with a new time moves it.
  Timer moved = second;
  moved.fire_at = At("2025-04-01T16:00:00Z");
  moved.due_on = Day("2025-04-01");
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    CREDFLOW_RETURN_IF_ERROR(tx.PutTimer(second));  // twice in one transaction
    return tx.PutTimer(moved);
  }));
  timers = Timers("case-1");
  ASSERT_EQ(timers.size(), 1u);
  ExpectSameTimer(moved, timers[0]);
}

// The timers of a case inserted in the same transaction replace each other
// too (the store need not look for older ones there, but must for its own).
TEST_P(CaseStoreContractTest, PutTimerOnANewCaseReplacesItsOwnEarlierTimers) {
  Timer first = MakeTimer("t-1", "case-1", "deadline", "2025-03-10T16:00:00Z");
  Timer renamed = MakeTimer("t-1", "case-1", "reminder", "2025-03-11T16:00:00Z");
  Timer second = MakeTimer("t-2", "case-1", "reminder", "2025-03-12T16:00:00Z");
  Timer other = MakeTimer("t-3", "case-1", "deadline", "2025-03-13T16:00:00Z");
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    CREDFLOW_RETURN_IF_ERROR(tx.InsertCase(MakeCase("case-1")));
    CREDFLOW_RETURN_IF_ERROR(tx.PutTimer(first));
    CREDFLOW_RETURN_IF_ERROR(tx.PutTimer(renamed));  // the same id
    CREDFLOW_RETURN_IF_ERROR(tx.PutTimer(second));   // the same name
    return tx.PutTimer(other);
  }));
  std::vector<Timer> timers = Timers("case-1");
  ASSERT_EQ(timers.size(), 2u);
  ExpectSameTimer(second, timers[0]);
  ExpectSameTimer(other, timers[1]);
}

// CancelTimer removes the named timer only, and is OK when there is none.
TEST_P(CaseStoreContractTest, CancelTimerRemovesOnlyThatTimer) {
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    CREDFLOW_RETURN_IF_ERROR(tx.PutTimer(MakeTimer("t-1", "case-1", "a", "2025-03-10T16:00:00Z")));
    CREDFLOW_RETURN_IF_ERROR(tx.PutTimer(MakeTimer("t-2", "case-1", "b", "2025-03-11T16:00:00Z")));
    return tx.PutTimer(MakeTimer("t-3", "case-2", "a", "2025-03-12T16:00:00Z"));
  }));
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    CREDFLOW_RETURN_IF_ERROR(tx.CancelTimer("case-1", "a"));
    return tx.CancelTimer("case-1", "no-such-timer");
  }));
  EXPECT_EQ(TimerIds(Timers("case-1")), std::vector<std::string>{"t-2"});
  EXPECT_EQ(TimerIds(Timers("case-2")), std::vector<std::string>{"t-3"});
}

// ClaimDueTimer hands out due timers earliest first (ties by id), never one
// that is not yet due; DeleteTimer removes a claimed one.
TEST_P(CaseStoreContractTest, ClaimDueTimerTakesEarliestDueFirst) {
  PutThreeDueTimersAndOneLater();
  const Timestamp now = At("2025-03-03T00:00:00Z");
  std::vector<std::string> claimed;
  for (int i = 0; i < 5; ++i) {
    std::optional<Timer> got;
    ASSERT_OK(Tx([&](StoreTransaction& tx) {
      auto due = tx.ClaimDueTimer(now);
      if (!due.ok()) return due.status();
      got = due.value();
      if (!got) return Status::Ok();
      return tx.DeleteTimer(got->id);
    }));
    if (!got) break;
    claimed.push_back(got->id);
  }
  EXPECT_EQ(claimed, (std::vector<std::string>{"t-b", "t-a", "t-c"}));
  EXPECT_EQ(TimerIds(Timers("case-4")), std::vector<std::string>{"t-future"});

  // A timer is due at exactly its fire_at.
  std::optional<Timer> exact;
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    auto due = tx.ClaimDueTimer(At("2025-03-05T16:00:00Z"));
    if (!due.ok()) return due.status();
    exact = due.value();
    return Status::Ok();
  }));
  ASSERT_TRUE(exact.has_value());
  EXPECT_EQ(exact->id, "t-future");
}

// ClaimDueTimers hands out at most `limit` due timers, earliest first (ties
// by id), the transaction's own among the committed ones, none not yet due.
TEST_P(CaseStoreContractTest, ClaimDueTimersTakesTheEarliestUpToTheLimit) {
  PutThreeDueTimersAndOneLater();
  auto claim = [&](int limit, const std::optional<Timer>& own) {
    std::vector<std::string> ids;
    const Status looked = Tx([&](StoreTransaction& tx) {
      if (own) CREDFLOW_RETURN_IF_ERROR(tx.PutTimer(*own));
      auto due = tx.ClaimDueTimers(At("2025-03-03T00:00:00Z"), limit);
      if (!due.ok()) return due.status();
      for (const Timer& t : *due) ids.push_back(t.id);
      // Rolled back: each claim starts from the same committed timers.
      return Status::FailedPrecondition("looked_only", "the claims are only looked at");
    });
    EXPECT_EQ(looked.reason(), "looked_only") << looked.message();
    return ids;
  };
  EXPECT_EQ(claim(2, std::nullopt), (std::vector<std::string>{"t-b", "t-a"}));
  EXPECT_EQ(claim(10, std::nullopt), (std::vector<std::string>{"t-b", "t-a", "t-c"}));
  // A timer it put itself takes its place in the order.
  const Timer own = MakeTimer("t-own", "case-5", "d", "2025-03-02T00:00:00Z");
  EXPECT_EQ(claim(3, own), (std::vector<std::string>{"t-b", "t-own", "t-a"}));
  // A limit below 1 is 1.
  EXPECT_EQ(claim(0, std::nullopt), (std::vector<std::string>{"t-b"}));
}

// A claim that is not followed by a delete leaves the timer in place, and a
// transaction claims timers it wrote itself.
TEST_P(CaseStoreContractTest, ClaimWithoutDeleteKeepsTimer) {
  Timer t = MakeTimer("t-1", "case-1", "a", "2025-03-01T16:00:00Z");
  std::optional<Timer> own;
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    CREDFLOW_RETURN_IF_ERROR(tx.PutTimer(t));
    auto due = tx.ClaimDueTimer(At("2025-03-02T00:00:00Z"));
    if (!due.ok()) return due.status();
    own = due.value();
    return Status::Ok();
  }));
  ASSERT_TRUE(own.has_value());
  ExpectSameTimer(t, *own);
  EXPECT_EQ(TimerIds(Timers("case-1")), std::vector<std::string>{"t-1"});

  // Nothing due before the earliest fire_at.
  std::optional<Timer> none;
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    auto due = tx.ClaimDueTimer(At("2025-03-01T15:59:59Z"));
    if (!due.ok()) return due.status();
    none = due.value();
    return Status::Ok();
  }));
  EXPECT_FALSE(none.has_value());
}

// Deleting an unknown timer is OK; a deleted timer is no longer claimable.
TEST_P(CaseStoreContractTest, DeleteTimerIsIdempotent) {
  ASSERT_OK(
      Tx([&](StoreTransaction& tx) { return tx.PutTimer(MakeTimer("t-1", "case-1", "a", "2025-03-01T16:00:00Z")); }));
  std::optional<Timer> after_delete;
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    CREDFLOW_RETURN_IF_ERROR(tx.DeleteTimer("no-such-timer"));
    CREDFLOW_RETURN_IF_ERROR(tx.DeleteTimer("t-1"));
    auto due = tx.ClaimDueTimer(At("2025-12-31T00:00:00Z"));
    if (!due.ok()) return due.status();
    after_delete = due.value();
    return Status::Ok();
  }));
  EXPECT_FALSE(after_delete.has_value());
  EXPECT_TRUE(Timers("case-1").empty());
}

// ---- subject records ------------------------------------------------------------

// Records are inserted, replaced by id (even across subjects) and read as facts.
TEST_P(CaseStoreContractTest, SubjectRecordsPutReplaceAndFacts) {
  SubjectRecord older = MakeRecord("r-1", "S1", "false_commitment", "active", "2025-01-01T00:00:00Z");
  SubjectRecord newer = MakeRecord("r-2", "S1", "serious_dishonesty", "repaired", "2025-02-01T00:00:00Z");
  SubjectRecord elsewhere = MakeRecord("r-3", "S2", "false_commitment", "active", "2025-01-15T00:00:00Z");
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    CREDFLOW_RETURN_IF_ERROR(tx.PutSubjectRecord(newer));
    CREDFLOW_RETURN_IF_ERROR(tx.PutSubjectRecord(older));
    return tx.PutSubjectRecord(elsewhere);
  }));
  auto facts = store().GetSubjectFacts("S1");
  ASSERT_TRUE(facts.ok()) << facts.status().ToString();
  EXPECT_EQ(facts->subject, "S1");
  ASSERT_EQ(facts->records.size(), 2u);
  EXPECT_EQ(facts->records[0].id, "r-1");
  EXPECT_EQ(facts->records[1].id, "r-2");
  const SubjectRecord& r = facts->records[0];
  EXPECT_EQ(r.subject, older.subject);
  EXPECT_EQ(r.kind, older.kind);
  EXPECT_EQ(r.status, older.status);
  EXPECT_EQ(r.case_id, older.case_id);
  EXPECT_EQ(r.data, older.data);
  EXPECT_EQ(r.created_at, older.created_at);
  EXPECT_EQ(r.updated_at, older.updated_at);
  EXPECT_TRUE(facts->HasActive("false_commitment"));
  EXPECT_FALSE(facts->HasActive("serious_dishonesty"));

  // Replace: r-1 is repaired; r-3 moves to S1. Seen inside the transaction too.
  SubjectRecord repaired = older;
  repaired.status = "repaired";
  repaired.updated_at = At("2025-03-01T00:00:00Z");
  repaired.data = Json{{"repaired_by", "case-9"}};
  SubjectRecord moved = elsewhere;
  moved.subject = "S1";
  size_t seen_inside = 0;
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    CREDFLOW_RETURN_IF_ERROR(tx.PutSubjectRecord(repaired));
    CREDFLOW_RETURN_IF_ERROR(tx.PutSubjectRecord(moved));
    auto inside = tx.LoadSubjectFacts("S1");
    if (!inside.ok()) return inside.status();
    seen_inside = inside->records.size();
    EXPECT_FALSE(inside->HasActive("serious_dishonesty"));
    return Status::Ok();
  }));
  EXPECT_EQ(seen_inside, 3u);
  facts = store().GetSubjectFacts("S1");
  ASSERT_TRUE(facts.ok());
  ASSERT_EQ(facts->records.size(), 3u);
  EXPECT_EQ(facts->records[0].id, "r-1");
  EXPECT_EQ(facts->records[0].status, "repaired");
  EXPECT_EQ(facts->records[0].data, repaired.data);
  EXPECT_EQ(facts->records[0].updated_at, repaired.updated_at);
  EXPECT_EQ(facts->records[1].id, "r-3");
  EXPECT_TRUE(facts->HasActive("false_commitment"));  // r-3
  EXPECT_TRUE(store().GetSubjectFacts("S2")->records.empty());
  EXPECT_TRUE(store().GetSubjectFacts("S9")->records.empty());
}

// ---- subject profiles -------------------------------------------------------------

// A profile round-trips every field; a second Put with the same code replaces
// all of it (a cleared grade date too); an unknown code is nullopt, not an error.
TEST_P(CaseStoreContractTest, SubjectProfileUpsertReplacesEveryField) {
  SubjectProfile first = MakeProfile("91320500L968FMY61Q");
  ASSERT_OK(Tx([&](StoreTransaction& tx) { return tx.PutSubjectProfile(first); }));
  auto got = store().GetSubjectProfile(first.code);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_TRUE(got->has_value());
  ExpectSameProfile(first, **got);

  SubjectProfile second = first;
  second.name = "苏州某某食品有限公司（更名）";
  second.status = "not_operating";
  second.grade = "";
  second.grade_set_on.reset();
  second.grade_reason = "";
  second.grade_source = "cli";
  second.case_id = "subject-case-2";
  second.updated_at = At("2025-05-01T00:00:00Z");
  ASSERT_OK(Tx([&](StoreTransaction& tx) { return tx.PutSubjectProfile(second); }));
  got = store().GetSubjectProfile(first.code);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_TRUE(got->has_value());
  ExpectSameProfile(second, **got);

  // And back to graded, twice in one transaction: the last Put wins.
  SubjectProfile third = first;
  third.grade = "D";
  third.grade_set_on = Day("2025-06-30");
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    CREDFLOW_RETURN_IF_ERROR(tx.PutSubjectProfile(second));
    return tx.PutSubjectProfile(third);
  }));
  got = store().GetSubjectProfile(first.code);
  ASSERT_TRUE(got.ok() && got->has_value());
  ExpectSameProfile(third, **got);

  auto unknown = store().GetSubjectProfile("91110000MA0000000X");
  ASSERT_TRUE(unknown.ok()) << unknown.status().ToString();
  EXPECT_FALSE(unknown->has_value());
}

// A scoped read returns only the kinds asked for, in (created_at, id) order,
// with the profile; an empty list returns every kind; a case loaded first
// (whose facts come with it) gives the same answer.
TEST_P(CaseStoreContractTest, SubjectFactsOfKindsKeepOnlyThoseKinds) {
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    CREDFLOW_RETURN_IF_ERROR(tx.PutSubjectProfile(MakeProfile("S1", "C")));
    CREDFLOW_RETURN_IF_ERROR(tx.PutSubjectRecord(MakeRecord("r-3", "S1", "ledger", "active", "2025-01-03T00:00:00Z")));
    CREDFLOW_RETURN_IF_ERROR(tx.PutSubjectRecord(MakeRecord("r-1", "S1", "penalty", "active", "2025-01-01T00:00:00Z")));
    CREDFLOW_RETURN_IF_ERROR(
        tx.PutSubjectRecord(MakeRecord("r-2", "S1", "abnormal", "active", "2025-01-02T00:00:00Z")));
    CREDFLOW_RETURN_IF_ERROR(tx.PutSubjectRecord(MakeRecord("r-4", "S2", "ledger", "active", "2025-01-01T00:00:00Z")));
    return tx.InsertCase(MakeCase("case-1", "commitment", "Filed", "S1"));
  }));
  auto ids = [](const engine::SubjectFacts& f) {
    std::vector<std::string> out;
    for (const SubjectRecord& r : f.records) out.push_back(r.id);
    return out;
  };
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    auto scoped = tx.LoadSubjectFactsOfKinds("S1", {"ledger", "abnormal"});
    if (!scoped.ok()) return scoped.status();
    EXPECT_EQ(ids(*scoped), (std::vector<std::string>{"r-2", "r-3"}));
    EXPECT_TRUE(scoped->profile.has_value());
    auto all = tx.LoadSubjectFactsOfKinds("S1", {});
    if (!all.ok()) return all.status();
    EXPECT_EQ(ids(*all), (std::vector<std::string>{"r-1", "r-2", "r-3"}));
    auto none = tx.LoadSubjectFactsOfKinds("S1", {"serious_list"});
    if (!none.ok()) return none.status();
    EXPECT_TRUE(none->records.empty());
    CREDFLOW_RETURN_IF_ERROR(tx.LoadCase("case-1").status());
    auto after_case = tx.LoadSubjectFactsOfKinds("S1", {"penalty"});
    if (!after_case.ok()) return after_case.status();
    EXPECT_EQ(ids(*after_case), (std::vector<std::string>{"r-1"}));
    return Status::Ok();
  }));
}

// The facts about a registered subject carry its profile, inside a
// transaction (own writes included) and outside; an unregistered subject's
// facts have none.
TEST_P(CaseStoreContractTest, SubjectFactsCarryTheProfile) {
  SubjectProfile p = MakeProfile("S1", "C");
  SubjectRecord r = MakeRecord("r-1", "S1", "false_commitment", "active", "2025-01-01T00:00:00Z");
  std::optional<SubjectProfile> inside, inside_before;
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    auto before = tx.LoadSubjectFacts("S1");
    if (!before.ok()) return before.status();
    inside_before = before->profile;
    CREDFLOW_RETURN_IF_ERROR(tx.PutSubjectProfile(p));
    CREDFLOW_RETURN_IF_ERROR(tx.PutSubjectRecord(r));
    auto facts = tx.LoadSubjectFacts("S1");
    if (!facts.ok()) return facts.status();
    inside = facts->profile;
    EXPECT_EQ(facts->records.size(), 1u);
    return Status::Ok();
  }));
  EXPECT_FALSE(inside_before.has_value());
  ASSERT_TRUE(inside.has_value());
  ExpectSameProfile(p, *inside);

  auto facts = store().GetSubjectFacts("S1");
  ASSERT_TRUE(facts.ok()) << facts.status().ToString();
  ASSERT_TRUE(facts->profile.has_value());
  ExpectSameProfile(p, *facts->profile);
  ASSERT_EQ(facts->records.size(), 1u);
  EXPECT_EQ(facts->records[0].id, "r-1");

  std::optional<SubjectProfile> committed;
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    auto f = tx.LoadSubjectFacts("S1");
    if (!f.ok()) return f.status();
    committed = f->profile;
    return Status::Ok();
  }));
  ASSERT_TRUE(committed.has_value());
  ExpectSameProfile(p, *committed);

  auto other = store().GetSubjectFacts("S2");
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->profile.has_value());
}

// A profile written in a transaction that fails is not stored, and an
// existing profile keeps its old fields; until commit, others do not see it.
TEST_P(CaseStoreContractTest, SubjectProfileWritesRollBackWithTheTransaction) {
  SubjectProfile kept = MakeProfile("S1", "A");
  ASSERT_OK(Tx([&](StoreTransaction& tx) { return tx.PutSubjectProfile(kept); }));

  std::optional<SubjectProfile> seen_outside;
  Status s = Tx([&](StoreTransaction& tx) {
    SubjectProfile changed = kept;
    changed.grade = "D";
    changed.status = "deregistered";
    CREDFLOW_RETURN_IF_ERROR(tx.PutSubjectProfile(changed));
    CREDFLOW_RETURN_IF_ERROR(tx.PutSubjectProfile(MakeProfile("S2")));
    auto outside = store().GetSubjectProfile("S2");
    if (!outside.ok()) return outside.status();
    seen_outside = outside.value();
    return Status::FailedPrecondition("event_not_allowed", "refused on purpose");
  });
  EXPECT_TRUE(s.IsFailedPrecondition()) << s.ToString();
  EXPECT_FALSE(seen_outside.has_value());

  auto got = store().GetSubjectProfile("S1");
  ASSERT_TRUE(got.ok() && got->has_value());
  ExpectSameProfile(kept, **got);
  auto none = store().GetSubjectProfile("S2");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  EXPECT_FALSE(store().GetSubjectFacts("S2")->profile.has_value());
  auto all = store().ListSubjects(SubjectQuery{});
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(Codes(all.value()), std::vector<std::string>{"S1"});
}

// The facts read in a transaction after LoadCase are the current ones: the
// SQL stores read them with the case, and must not hand out that copy once a
// record or profile was written, nor for another subject.
TEST_P(CaseStoreContractTest, FactsAfterLoadCaseIncludeWritesMadeInBetween) {
  Insert(MakeCase("case-1", "commitment", "Filed", "S1"));
  SubjectRecord later = MakeRecord("r-2", "S1", "serious_dishonesty", "active", "2025-02-01T00:00:00Z");
  SubjectRecord earlier = MakeRecord("r-1", "S1", "false_commitment", "active", "2025-01-01T00:00:00Z");
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    CREDFLOW_RETURN_IF_ERROR(tx.PutSubjectRecord(later));
    CREDFLOW_RETURN_IF_ERROR(tx.PutSubjectRecord(earlier));
    return tx.PutSubjectRecord(MakeRecord("r-9", "S2", "false_commitment", "active", "2025-01-05T00:00:00Z"));
  }));
  SubjectProfile profile = MakeProfile("S1", "C");

  std::vector<engine::SubjectFacts> seen;
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    auto remember = [&](const std::string& subject) {
      auto facts = tx.LoadSubjectFacts(subject);
      if (!facts.ok()) return facts.status();
      seen.push_back(facts.value());
      return Status::Ok();
    };
    CREDFLOW_RETURN_IF_ERROR(tx.LoadCase("case-1").status());
    CREDFLOW_RETURN_IF_ERROR(remember("S1"));  // 0: two records, in order, no profile
    CREDFLOW_RETURN_IF_ERROR(remember("S1"));  // 1: the same, asked again
    CREDFLOW_RETURN_IF_ERROR(tx.LoadCase("case-1").status());
    CREDFLOW_RETURN_IF_ERROR(remember("S2"));  // 2: another subject
    CREDFLOW_RETURN_IF_ERROR(tx.LoadCase("case-1").status());
    CREDFLOW_RETURN_IF_ERROR(tx.PutSubjectProfile(profile));
    CREDFLOW_RETURN_IF_ERROR(remember("S1"));  // 3: with the profile just written
    CREDFLOW_RETURN_IF_ERROR(tx.LoadCase("case-1").status());
    SubjectRecord repaired = earlier;
    repaired.status = "repaired";
    CREDFLOW_RETURN_IF_ERROR(tx.PutSubjectRecord(repaired));
    return remember("S1");  // 4: with the record just changed
  }));
  ASSERT_EQ(seen.size(), 5u);
  for (size_t i : {0u, 1u}) {
    EXPECT_EQ(seen[i].subject, "S1");
    ASSERT_EQ(seen[i].records.size(), 2u) << i;
    EXPECT_EQ(seen[i].records[0].id, "r-1");
    EXPECT_EQ(seen[i].records[0].data, earlier.data);
    EXPECT_EQ(seen[i].records[0].created_at, earlier.created_at);
    EXPECT_EQ(seen[i].records[1].id, "r-2");
    EXPECT_FALSE(seen[i].profile.has_value());
  }
  EXPECT_EQ(seen[2].subject, "S2");
  ASSERT_EQ(seen[2].records.size(), 1u);
  EXPECT_EQ(seen[2].records[0].id, "r-9");
  ASSERT_TRUE(seen[3].profile.has_value());
  ExpectSameProfile(profile, *seen[3].profile);
  ASSERT_EQ(seen[4].records.size(), 2u);
  EXPECT_EQ(seen[4].records[0].status, "repaired");
  EXPECT_FALSE(seen[4].HasActive("false_commitment"));
  ASSERT_TRUE(seen[4].profile.has_value());
}

// ListSubjects filters by grade and status, returns code order and pages by
// keyset; a page size of zero or less is refused.
TEST_P(CaseStoreContractTest, ListSubjectsFiltersAndPagesInCodeOrder) {
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    // Inserted out of code order on purpose.
    CREDFLOW_RETURN_IF_ERROR(tx.PutSubjectProfile(MakeProfile("s-05", "B", "operating")));
    CREDFLOW_RETURN_IF_ERROR(tx.PutSubjectProfile(MakeProfile("s-01", "A", "operating")));
    CREDFLOW_RETURN_IF_ERROR(tx.PutSubjectProfile(MakeProfile("s-03", "B", "unreachable")));
    CREDFLOW_RETURN_IF_ERROR(tx.PutSubjectProfile(MakeProfile("s-07", "", "operating")));
    CREDFLOW_RETURN_IF_ERROR(tx.PutSubjectProfile(MakeProfile("S-02", "B", "operating")));
    CREDFLOW_RETURN_IF_ERROR(tx.PutSubjectProfile(MakeProfile("s-06", "D", "deregistered")));
    return tx.PutSubjectProfile(MakeProfile("s-04", "B", "operating"));
  }));
  auto list = [&](SubjectQuery q) {
    auto found = store().ListSubjects(q);
    EXPECT_TRUE(found.ok()) << found.status().ToString();
    return found.ok() ? Codes(found.value()) : std::vector<std::string>{};
  };
  using V = std::vector<std::string>;
  // Bytewise: "S-02" sorts before every "s-".
  EXPECT_EQ(list({}), (V{"S-02", "s-01", "s-03", "s-04", "s-05", "s-06", "s-07"}));
  SubjectQuery q;
  q.grade = "B";
  EXPECT_EQ(list(q), (V{"S-02", "s-03", "s-04", "s-05"}));
  q.status = "operating";
  EXPECT_EQ(list(q), (V{"S-02", "s-04", "s-05"}));
  q = SubjectQuery{};
  q.status = "operating";
  EXPECT_EQ(list(q), (V{"S-02", "s-01", "s-04", "s-05", "s-07"}));
  q = SubjectQuery{};
  q.grade = "C";
  EXPECT_TRUE(list(q).empty());

  // Pages of 3, then filters and keyset together.
  q = SubjectQuery{};
  q.limit = 3;
  std::vector<V> pages;
  for (int i = 0; i < 10; ++i) {
    V page = list(q);
    if (page.empty()) break;
    pages.push_back(page);
    q.after_code = page.back();
  }
  EXPECT_EQ(pages, (std::vector<V>{{"S-02", "s-01", "s-03"}, {"s-04", "s-05", "s-06"}, {"s-07"}}));
  q = SubjectQuery{};
  q.grade = "B";
  q.after_code = "s-035";  // need not be an existing code
  q.limit = 1;
  EXPECT_EQ(list(q), (V{"s-04"}));

  // Every field comes back.
  q = SubjectQuery{};
  q.after_code = "s-05";
  q.limit = 1;
  auto one = store().ListSubjects(q);
  ASSERT_TRUE(one.ok() && one->size() == 1u);
  ExpectSameProfile(MakeProfile("s-06", "D", "deregistered"), (*one)[0]);

  q.limit = 0;
  auto refused = store().ListSubjects(q);
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(refused.status().IsInvalidArgument()) << refused.status().ToString();
  EXPECT_EQ(refused.status().reason(), "invalid_limit");
}

// ---- notices and child outcomes ----------------------------------------------------

// Notices are listed per case, by created_at then id; a taken id is AlreadyExists.
TEST_P(CaseStoreContractTest, NoticesListedInOrderDuplicateIdRefused) {
  Notice second{
      "n-2", "case-1", "department:tax", "task_dispatched", Json{{"due", "2025-03-10"}}, At("2025-03-02T00:00:00Z")};
  Notice first{"n-1", "case-1", "applicant", "application_received", Json::object(), At("2025-03-01T00:00:00Z")};
  Notice tie{"n-0", "case-1", "applicant", "x", Json::object(), At("2025-03-02T00:00:00Z")};
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    CREDFLOW_RETURN_IF_ERROR(tx.PutNotice(second));
    CREDFLOW_RETURN_IF_ERROR(tx.PutNotice(first));
    CREDFLOW_RETURN_IF_ERROR(tx.PutNotice(tie));
    return tx.PutNotice(Notice{"n-9", "case-2", "applicant", "x", {}, {}});
  }));
  Status dup = Tx([&](StoreTransaction& tx) { return tx.PutNotice(first); });
  EXPECT_EQ(dup.code(), Status::Code::kAlreadyExists) << dup.ToString();
  EXPECT_EQ(dup.reason(), "notice_exists");

  auto notices = store().GetNotices("case-1");
  ASSERT_TRUE(notices.ok()) << notices.status().ToString();
  ASSERT_EQ(notices->size(), 3u);
  EXPECT_EQ((*notices)[0].id, "n-1");
  EXPECT_EQ((*notices)[1].id, "n-0");
  EXPECT_EQ((*notices)[2].id, "n-2");
  const Notice& n = (*notices)[2];
  EXPECT_EQ(n.case_id, second.case_id);
  EXPECT_EQ(n.recipient, second.recipient);
  EXPECT_EQ(n.template_id, second.template_id);
  EXPECT_EQ(n.data, second.data);
  EXPECT_EQ(n.created_at, second.created_at);
  EXPECT_TRUE(store().GetNotices("case-3")->empty());
}

// Child outcomes are stored per parent; the same (child, outcome) twice is refused.
TEST_P(CaseStoreContractTest, ChildOutcomesStoredOncePerChildAndOutcome) {
  ChildOutcome tax{"parent", "child-b", "department_task", "approved", At("2025-03-02T00:00:00Z")};
  ChildOutcome court{"parent", "child-a", "department_task", "refused", At("2025-03-03T00:00:00Z")};
  ChildOutcome same_time{"parent", "child-c", "department_task", "approved", At("2025-03-02T00:00:00Z")};
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    CREDFLOW_RETURN_IF_ERROR(tx.PutChildOutcome(court));
    CREDFLOW_RETURN_IF_ERROR(tx.PutChildOutcome(same_time));
    CREDFLOW_RETURN_IF_ERROR(tx.PutChildOutcome(tax));
    return tx.PutChildOutcome(ChildOutcome{"other", "child-a", "x", "approved", {}});
  }));
  Status dup = Tx([&](StoreTransaction& tx) { return tx.PutChildOutcome(tax); });
  EXPECT_EQ(dup.code(), Status::Code::kAlreadyExists) << dup.ToString();
  EXPECT_EQ(dup.reason(), "child_outcome_exists");
  // Another outcome of the same child is a new row.
  ChildOutcome later = tax;
  later.outcome = "withdrawn";
  later.at = At("2025-03-04T00:00:00Z");
  ASSERT_OK(Tx([&](StoreTransaction& tx) { return tx.PutChildOutcome(later); }));

  auto outcomes = store().GetChildOutcomes("parent");
  ASSERT_TRUE(outcomes.ok()) << outcomes.status().ToString();
  ASSERT_EQ(outcomes->size(), 4u);
  EXPECT_EQ((*outcomes)[0].child_id, "child-b");
  EXPECT_EQ((*outcomes)[1].child_id, "child-c");
  EXPECT_EQ((*outcomes)[2].child_id, "child-a");
  EXPECT_EQ((*outcomes)[3].outcome, "withdrawn");
  const ChildOutcome& o = (*outcomes)[2];
  EXPECT_EQ(o.parent_id, "parent");
  EXPECT_EQ(o.child_workflow, "department_task");
  EXPECT_EQ(o.outcome, "refused");
  EXPECT_EQ(o.at, court.at);
  EXPECT_TRUE(store().GetChildOutcomes("nobody")->empty());
}

// ---- idempotency -----------------------------------------------------------------

// The first answer under a key is kept; a second Put is AlreadyExists.
TEST_P(CaseStoreContractTest, IdempotencyKeyStoresFirstAnswerOnly) {
  StoredResponse first{"key-1", std::string(64, '1'), "case-1", Json{{"status", 201}, {"body", {{"id", "case-1"}}}}};
  std::optional<StoredResponse> before;
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    auto found = tx.FindResponse("key-1");
    if (!found.ok()) return found.status();
    before = found.value();
    return tx.PutResponse(first);
  }));
  EXPECT_FALSE(before.has_value());

  StoredResponse second = first;
  second.request_hash = std::string(64, '2');
  Status dup = Tx([&](StoreTransaction& tx) { return tx.PutResponse(second); });
  EXPECT_EQ(dup.code(), Status::Code::kAlreadyExists) << dup.ToString();
  EXPECT_EQ(dup.reason(), "idempotency_key_exists");

  std::optional<StoredResponse> found;
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    auto got = tx.FindResponse("key-1");
    if (!got.ok()) return got.status();
    found = got.value();
    return Status::Ok();
  }));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->key, "key-1");
  EXPECT_EQ(found->request_hash, first.request_hash);
  EXPECT_EQ(found->case_id, "case-1");
  EXPECT_EQ(found->response, first.response);
}

// ---- departments' tasks and overdue cases ------------------------------------------

// The department round-trips through insert and update, empty included, and
// any text is only a value (bound, never SQL).
TEST_P(CaseStoreContractTest, DepartmentRoundTrips) {
  Case none = MakeCase("case-1");
  none.department = "";
  Case odd = MakeCase("case-2");
  odd.department = "fire'; DROP TABLE cases; --";
  Insert(none);
  Insert(odd);
  auto read = store().GetCase("case-1");
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ExpectSameCase(none, read.value());
  read = store().GetCase("case-2");
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ExpectSameCase(odd, read.value());

  ASSERT_NO_FATAL_FAILURE(Change("case-1", [](Case& c) { c.department = "消防救援"; }));
  ASSERT_NO_FATAL_FAILURE(Change("case-2", [](Case& c) { c.department = ""; }));
  Case loaded;
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    auto got = tx.LoadCase("case-1");
    if (!got.ok()) return got.status();
    loaded = got.value();
    return Status::Ok();
  }));
  EXPECT_EQ(loaded.department, "消防救援");
  EXPECT_EQ(store().GetCase("case-2")->department, "");
}

// department matches exactly (empty = any department, or none); open_only
// keeps the cases that are not closed (not in a final state). Both combine
// with the other filters and with keyset pagination.
TEST_P(CaseStoreContractTest, FindCasesByDepartmentAndOpenOnly) {
  using V = std::vector<std::string>;
  auto add = [&](const std::string& id, const std::string& department, const std::string& outcome,
                 const std::string& workflow = "department_task") {
    Case c = MakeCase(id, workflow);
    c.department = department;
    c.outcome = outcome;
    c.closed = outcome != "pending";
    Insert(c);
  };
  add("d-1", "fire", "pending");
  add("d-2", "health", "pending");
  add("d-3", "fire", "approved");
  add("d-4", "", "pending", "commitment");
  add("d-5", "fire", "pending", "commitment");
  add("d-6", "Fire", "pending");
  add("d-7", "fire'; --", "pending");

  CaseQuery q;
  q.department = "fire";
  EXPECT_EQ(FindIds(q), (V{"d-1", "d-3", "d-5"}));
  q.open_only = true;
  EXPECT_EQ(FindIds(q), (V{"d-1", "d-5"}));
  q.workflow = "department_task";
  EXPECT_EQ(FindIds(q), (V{"d-1"}));
  q = CaseQuery{};
  q.department = "fire";
  q.after_id = "d-1";
  q.limit = 1;
  EXPECT_EQ(FindIds(q), (V{"d-3"}));

  q = CaseQuery{};
  q.open_only = true;
  EXPECT_EQ(FindIds(q), (V{"d-1", "d-2", "d-4", "d-5", "d-6", "d-7"}));
  q.open_only = false;
  EXPECT_EQ(FindIds(q), (V{"d-1", "d-2", "d-3", "d-4", "d-5", "d-6", "d-7"}));
  q.department = "fire'; --";
  EXPECT_EQ(FindIds(q), (V{"d-7"}));
  q.department = "nobody";
  EXPECT_TRUE(FindIds(q).empty());

  // A case closes: it leaves the open list.
  ASSERT_NO_FATAL_FAILURE(Change("d-1", [](Case& c) {
    c.outcome = "approved";
    c.closed = true;
  }));
  q = CaseQuery{};
  q.department = "fire";
  q.open_only = true;
  EXPECT_EQ(FindIds(q), (V{"d-5"}));
}

// closed is stored with the case and is what "open" means: a case with an
// outcome whose matter is not concluded (a commitment whose rectification
// was ordered) is open; a closed case is not, whatever its outcome. Insert,
// update and the auditor's replace all write it.
TEST_P(CaseStoreContractTest, OpenMeansNotClosedWhateverTheOutcome) {
  using V = std::vector<std::string>;
  Case ordered = MakeCase("k-1", "commitment");
  ordered.outcome = "rectification_ordered";
  Insert(ordered);
  Case done = MakeCase("k-2", "commitment");
  done.outcome = "fulfilled";
  done.closed = true;
  Insert(done);
  EXPECT_FALSE(store().GetCase("k-1")->closed);
  EXPECT_TRUE(store().GetCase("k-2")->closed);
  CaseQuery q;
  q.open_only = true;
  EXPECT_EQ(FindIds(q), (V{"k-1"}));

  ASSERT_NO_FATAL_FAILURE(Change("k-1", [](Case& c) {
    c.outcome = "revoked";
    c.closed = true;
  }));
  EXPECT_TRUE(store().GetCase("k-1")->closed);
  EXPECT_TRUE(FindIds(q).empty());

  Case reopened = *store().GetCase("k-2");
  reopened.closed = false;
  ASSERT_OK(Tx([&](StoreTransaction& tx) { return tx.ReplaceCase(reopened); }));
  EXPECT_FALSE(store().GetCase("k-2")->closed);
  EXPECT_EQ(FindIds(q), (V{"k-2"}));
}

// overdue_on: a pending case holding a deadline whose due_on is before the
// date is overdue; a deadline due on the date itself or later is not; a
// closed case never is, whatever its timers; cancelling the deadline ends it.
TEST_P(CaseStoreContractTest, FindCasesOverdueByDeadline) {
  using V = std::vector<std::string>;
  auto add = [&](const std::string& id, const std::string& outcome) {
    Case c = MakeCase(id);
    c.outcome = outcome;
    c.closed = outcome != "pending";
    Insert(c);
  };
  add("o-1", "pending");
  add("o-2", "refused");
  add("o-3", "pending");
  add("o-4", "pending");
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    Timer due = MakeTimer("t-1", "o-1", "verification_deadline", "2025-03-11T16:00:00Z");
    due.due_on = Day("2025-03-10");
    CREDFLOW_RETURN_IF_ERROR(tx.PutTimer(due));
    // A later deadline of the same case changes nothing.
    CREDFLOW_RETURN_IF_ERROR(tx.PutTimer(MakeTimer("t-2", "o-1", "publication_end", "2025-09-30T16:00:00Z")));
    CREDFLOW_RETURN_IF_ERROR(tx.PutTimer(MakeTimer("t-3", "o-2", "deadline", "2025-01-01T16:00:00Z")));
    // Deadlines of cases that do not exist list nothing.
    CREDFLOW_RETURN_IF_ERROR(tx.PutTimer(MakeTimer("t-4", "ghost", "deadline", "2025-01-01T16:00:00Z")));
    return tx.PutTimer(MakeTimer("t-5", "o-4", "deadline", "2025-12-31T16:00:00Z"));
  }));

  CaseQuery q;
  q.overdue_on = Day("2025-03-11");
  EXPECT_EQ(FindIds(q), (V{"o-1"}));
  q.overdue_on = Day("2025-03-10");  // due today: not overdue yet
  EXPECT_TRUE(FindIds(q).empty());
  q.overdue_on = Day("2025-03-09");
  EXPECT_TRUE(FindIds(q).empty());
  q.overdue_on = Day("2026-01-01");
  EXPECT_EQ(FindIds(q), (V{"o-1", "o-4"}));
  // With the other filters and keyset pagination.
  q.after_id = "o-1";
  EXPECT_EQ(FindIds(q), (V{"o-4"}));
  q.after_id.clear();
  q.department = "market-regulation";
  q.limit = 1;
  EXPECT_EQ(FindIds(q), (V{"o-1"}));
  q.department = "fire";
  EXPECT_TRUE(FindIds(q).empty());

  ASSERT_OK(Tx([&](StoreTransaction& tx) { return tx.CancelTimer("o-1", "verification_deadline"); }));
  q = CaseQuery{};
  q.overdue_on = Day("2025-03-11");
  EXPECT_TRUE(FindIds(q).empty());
  q.overdue_on = Day("2025-10-01");  // past its other deadline
  EXPECT_EQ(FindIds(q), (V{"o-1"}));
}

// overdue_on: a pending case its workflow flagged (data.overdue is JSON true)
// is overdue at any date; a closed one is not; neither are false, a string or
// a number. The flag follows the data through updates.
TEST_P(CaseStoreContractTest, FindCasesOverdueByWorkflowFlag) {
  using V = std::vector<std::string>;
  auto add = [&](const std::string& id, const std::string& outcome, const Json& overdue) {
    Case c = MakeCase(id);
    c.outcome = outcome;
    c.closed = outcome != "pending";
    c.data["overdue"] = overdue;
    Insert(c);
  };
  add("f-1", "pending", true);
  add("f-2", "rectified", true);
  add("f-3", "pending", false);
  add("f-4", "pending", "true");
  add("f-5", "pending", 1);
  Case plain = MakeCase("f-6");
  Insert(plain);

  CaseQuery q;
  q.overdue_on = Day("2025-01-01");
  EXPECT_EQ(FindIds(q), (V{"f-1"}));
  q.open_only = true;
  EXPECT_EQ(FindIds(q), (V{"f-1"}));
  // The flag is data: it comes back as written.
  EXPECT_EQ(store().GetCase("f-2")->data["overdue"], true);
  EXPECT_EQ(store().GetCase("f-4")->data["overdue"], "true");

  // Flagged by an update; unflagged by another; closed while flagged.
  ASSERT_NO_FATAL_FAILURE(Change("f-6", [](Case& c) { c.data["overdue"] = true; }));
  EXPECT_EQ(FindIds(q), (V{"f-1", "f-6"}));
  ASSERT_NO_FATAL_FAILURE(Change("f-1", [](Case& c) { c.data.erase("overdue"); }));
  EXPECT_EQ(FindIds(q), (V{"f-6"}));
  ASSERT_NO_FATAL_FAILURE(Change("f-6", [](Case& c) {
    c.outcome = "lapsed";
    c.closed = true;
  }));
  EXPECT_TRUE(FindIds(q).empty());
  ASSERT_NO_FATAL_FAILURE(Change("f-3", [](Case& c) { c.data["overdue"] = true; }));
  EXPECT_EQ(FindIds(q), (V{"f-3"}));
  // A case flagged and past a deadline is listed once.
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    CREDFLOW_RETURN_IF_ERROR(tx.PutTimer(MakeTimer("t-1", "f-3", "a", "2024-06-01T16:00:00Z")));
    return tx.PutTimer(MakeTimer("t-2", "f-3", "b", "2024-07-01T16:00:00Z"));
  }));
  EXPECT_EQ(FindIds(q), (V{"f-3"}));
}

// GetSubjectFactsOf: the same facts as one GetSubjectFacts per subject, in
// the order asked (unknown and repeated subjects included); too many at once
// is refused.
TEST_P(CaseStoreContractTest, GetSubjectFactsOfReadsManySubjectsAsOneByOne) {
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    CREDFLOW_RETURN_IF_ERROR(tx.PutSubjectRecord(MakeRecord("r-1", "S1", "penalty", "active", "2025-03-01T00:00:00Z")));
    CREDFLOW_RETURN_IF_ERROR(
        tx.PutSubjectRecord(MakeRecord("r-2", "S2", "penalty", "expired", "2025-03-02T00:00:00Z")));
    CREDFLOW_RETURN_IF_ERROR(
        tx.PutSubjectRecord(MakeRecord("r-3", "S1", "serious_list", "active", "2025-02-01T00:00:00Z")));
    SubjectProfile p;
    p.code = "S1";
    p.name = "某某有限公司";
    p.status = "operating";
    p.grade = "C";
    p.case_id = "subject-case-1";
    return tx.PutSubjectProfile(p);
  }));
  const std::vector<std::string> asked = {"S2", "S9", "S1", "S2"};
  auto batch = store().GetSubjectFactsOf(asked);
  ASSERT_OK(batch);
  ASSERT_EQ(batch->size(), asked.size());
  for (size_t i = 0; i < asked.size(); ++i) {
    SCOPED_TRACE(asked[i]);
    auto one = store().GetSubjectFacts(asked[i]);
    ASSERT_OK(one);
    const engine::SubjectFacts& got = (*batch)[i];
    EXPECT_EQ(got.subject, asked[i]);
    ASSERT_EQ(got.profile.has_value(), one->profile.has_value());
    if (got.profile) {
      EXPECT_EQ(got.profile->grade, one->profile->grade);
    }
    ASSERT_EQ(got.records.size(), one->records.size());
    for (size_t k = 0; k < got.records.size(); ++k) {
      EXPECT_EQ(got.records[k].id, one->records[k].id);
      EXPECT_EQ(got.records[k].status, one->records[k].status);
      EXPECT_EQ(got.records[k].data, one->records[k].data);
    }
  }
  EXPECT_EQ((*batch)[2].records.size(), 2u);
  EXPECT_EQ((*batch)[2].records[0].id, "r-3") << "oldest first";
  EXPECT_TRUE(store().GetSubjectFactsOf({})->empty());
  const std::vector<std::string> too_many(engine::CaseStore::kMaxFactsBatch + 1, "S1");
  EXPECT_EQ(store().GetSubjectFactsOf(too_many).status().reason(), "batch_too_large");
}

// FindSubjectsByRecords: subjects with at least N records of the kinds, the
// statuses filtered in and out, in code order; a bad query is refused.
TEST_P(CaseStoreContractTest, FindSubjectsByRecordsCountsKindsAndStatuses) {
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    int n = 0;
    auto put = [&](const std::string& subject, const std::string& kind, const std::string& status) {
      return tx.PutSubjectRecord(MakeRecord("r-" + std::to_string(++n), subject, kind, status, "2025-03-01T00:00:00Z"));
    };
    for (int i = 0; i < 3; ++i) CREDFLOW_RETURN_IF_ERROR(put("S2", "penalty", "active"));
    CREDFLOW_RETURN_IF_ERROR(put("S1", "penalty", "active"));
    CREDFLOW_RETURN_IF_ERROR(put("S1", "serious_list", "expired"));
    CREDFLOW_RETURN_IF_ERROR(put("S1", "penalty", "repaired"));
    CREDFLOW_RETURN_IF_ERROR(put("S3", "false_commitment", "active"));
    CREDFLOW_RETURN_IF_ERROR(put("S3", "penalty", "repaired"));
    return put("S4", "remediation_ledger", "in_ledger");
  }));
  using V = std::vector<std::string>;
  engine::RecordCountQuery q;
  q.kinds = {"penalty", "serious_list"};
  q.excluded_statuses = {"repaired"};
  q.min_count = 2;
  auto found = store().FindSubjectsByRecords(q);
  ASSERT_OK(found);
  EXPECT_EQ(*found, (V{"S1", "S2"}));
  q.min_count = 3;
  EXPECT_EQ(*store().FindSubjectsByRecords(q), (V{"S2"}));
  q.excluded_statuses.clear();
  EXPECT_EQ(*store().FindSubjectsByRecords(q), (V{"S1", "S2"}));
  q = engine::RecordCountQuery{};
  q.kinds = {"remediation_ledger"};
  q.statuses = {"in_ledger", "key_supervision"};
  EXPECT_EQ(*store().FindSubjectsByRecords(q), (V{"S4"}));
  q.statuses = {"closed"};
  EXPECT_TRUE(store().FindSubjectsByRecords(q)->empty());
  q.min_count = 0;
  EXPECT_EQ(store().FindSubjectsByRecords(q).status().reason(), "invalid_query");
  q = engine::RecordCountQuery{};
  EXPECT_EQ(store().FindSubjectsByRecords(q).status().reason(), "invalid_query") << "no kind";
}

// CountOverdueCases counts, by department, the open cases of one workflow
// that FindCases' overdue_on lists: flagged or past a deadline, each once.
TEST_P(CaseStoreContractTest, CountOverdueCasesByDepartment) {
  auto add = [&](const std::string& id, const std::string& workflow, const std::string& department, bool closed,
                 bool flagged) {
    Case c = MakeCase(id, workflow);
    c.department = department;
    c.closed = closed;
    if (closed) c.outcome = "approved";
    if (flagged) c.data["overdue"] = true;
    Insert(c);
  };
  add("c-1", "repair_task", "tax", false, true);
  add("c-2", "repair_task", "tax", false, false);  // past a deadline only
  add("c-3", "repair_task", "fire", false, true);
  add("c-4", "repair_task", "fire", true, true);      // closed
  add("c-5", "verification", "tax", false, true);     // another workflow
  add("c-6", "repair_task", "market", false, false);  // a deadline not yet passed
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    Timer passed = MakeTimer("t-1", "c-2", "decision_due", "2025-03-11T16:00:00Z");
    passed.due_on = Day("2025-03-10");
    CREDFLOW_RETURN_IF_ERROR(tx.PutTimer(passed));
    Timer also = MakeTimer("t-2", "c-1", "decision_due", "2025-03-11T16:00:00Z");  // flagged and past: once
    also.due_on = Day("2025-03-10");
    CREDFLOW_RETURN_IF_ERROR(tx.PutTimer(also));
    Timer later = MakeTimer("t-3", "c-6", "decision_due", "2025-04-01T16:00:00Z");
    later.due_on = Day("2025-03-31");
    return tx.PutTimer(later);
  }));
  auto counted = store().CountOverdueCases("repair_task", Day("2025-03-11"));
  ASSERT_OK(counted);
  EXPECT_EQ(*counted, (std::map<std::string, int64_t>{{"fire", 1}, {"tax", 2}}));
  counted = store().CountOverdueCases("repair_task", Day("2025-04-01"));
  ASSERT_OK(counted);
  EXPECT_EQ(*counted, (std::map<std::string, int64_t>{{"fire", 1}, {"market", 1}, {"tax", 2}}));
  counted = store().CountOverdueCases("repair", Day("2025-04-01"));
  ASSERT_OK(counted);
  EXPECT_TRUE(counted->empty());
}

// CountDueTimers counts the timers with fire_at <= now.
TEST_P(CaseStoreContractTest, CountDueTimersCountsFireAtUpToNow) {
  auto count = [&](const std::string& now) {
    auto n = store().CountDueTimers(At(now));
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    return n.ok() ? n.value() : int64_t{-1};
  };
  EXPECT_EQ(count("2025-03-03T00:00:00Z"), 0);
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    CREDFLOW_RETURN_IF_ERROR(tx.PutTimer(MakeTimer("t-1", "case-1", "a", "2025-03-01T16:00:00Z")));
    CREDFLOW_RETURN_IF_ERROR(tx.PutTimer(MakeTimer("t-2", "case-2", "a", "2025-03-02T16:00:00Z")));
    return tx.PutTimer(MakeTimer("t-3", "case-3", "a", "2025-03-05T16:00:00Z"));
  }));
  EXPECT_EQ(count("2025-03-01T15:59:59Z"), 0);
  EXPECT_EQ(count("2025-03-01T16:00:00Z"), 1);
  EXPECT_EQ(count("2025-03-03T00:00:00Z"), 2);
  EXPECT_EQ(count("2026-01-01T00:00:00Z"), 3);
  ASSERT_OK(Tx([&](StoreTransaction& tx) { return tx.DeleteTimer("t-1"); }));
  EXPECT_EQ(count("2026-01-01T00:00:00Z"), 2);
}

// A reachable store answers Ping.
TEST_P(CaseStoreContractTest, PingAnswers) { EXPECT_OK(store().Ping()); }

// ---- users --------------------------------------------------------------------------

// A stored user is found by its token hash with every field; ListUsers is in
// name order (bytewise); an unknown hash finds nobody.
TEST_P(CaseStoreContractTest, UsersFoundByTokenHashAndListedByName) {
  User zoe = MakeUser("zoe", engine::Role::kAdmin);
  User alice = MakeUser("alice", engine::Role::kDepartment, "fire");
  User bob = MakeUser("Bob", engine::Role::kAuditor);
  User carol = MakeUser("carol.w-2_x");
  carol.disabled = true;
  carol.created_at = At("2024-12-31T23:59:59Z");
  for (const User& u : {zoe, alice, bob, carol}) ASSERT_OK(store().PutUser(u));

  std::optional<User> found = UserByToken("token-alice");
  ASSERT_TRUE(found.has_value());
  ExpectSameUser(alice, *found);
  found = UserByToken("token-carol.w-2_x");
  ASSERT_TRUE(found.has_value());
  ExpectSameUser(carol, *found);
  EXPECT_FALSE(UserByToken("token-nobody").has_value());
  EXPECT_FALSE(UserByToken("").has_value());

  EXPECT_EQ(Users(), (std::vector<std::string>{"Bob", "alice", "carol.w-2_x", "zoe"}));
  auto all = store().ListUsers();
  ASSERT_TRUE(all.ok());
  ExpectSameUser(bob, (*all)[0]);
  ExpectSameUser(zoe, (*all)[3]);
}

// SetUserDisabled flips the flag both ways; a disabled user is still found
// by its token (the caller decides what that means).
TEST_P(CaseStoreContractTest, DisabledUserIsStillFoundByTokenHash) {
  ASSERT_OK(store().PutUser(MakeUser("alice")));
  ASSERT_OK(store().PutUser(MakeUser("bob")));
  ASSERT_OK(store().SetUserDisabled("alice", true));
  std::optional<User> found = UserByToken("token-alice");
  ASSERT_TRUE(found.has_value());
  EXPECT_TRUE(found->disabled);
  EXPECT_FALSE(UserByToken("token-bob")->disabled);
  ASSERT_OK(store().SetUserDisabled("alice", true));  // again: still OK
  EXPECT_TRUE(UserByToken("token-alice")->disabled);
  ASSERT_OK(store().SetUserDisabled("alice", false));
  EXPECT_FALSE(UserByToken("token-alice")->disabled);
}

// A taken name is user_exists, a taken token hash token_exists; neither
// stores anything.
TEST_P(CaseStoreContractTest, DuplicateUserNameOrTokenIsAlreadyExists) {
  User alice = MakeUser("alice");
  ASSERT_OK(store().PutUser(alice));

  User same_name = MakeUser("alice", engine::Role::kAdmin);
  same_name.token_hash = engine::TokenHash("another token");
  Status s = store().PutUser(same_name);
  EXPECT_EQ(s.code(), Status::Code::kAlreadyExists) << s.ToString();
  EXPECT_EQ(s.reason(), "user_exists");

  User same_token = MakeUser("mallory");
  same_token.token_hash = alice.token_hash;
  s = store().PutUser(same_token);
  EXPECT_EQ(s.code(), Status::Code::kAlreadyExists) << s.ToString();
  EXPECT_EQ(s.reason(), "token_exists");

  // Both taken: the name is reported.
  s = store().PutUser(alice);
  EXPECT_EQ(s.reason(), "user_exists") << s.ToString();

  EXPECT_EQ(Users(), std::vector<std::string>{"alice"});
  std::optional<User> found = UserByToken("token-alice");
  ASSERT_TRUE(found.has_value());
  ExpectSameUser(alice, *found);
  EXPECT_FALSE(UserByToken("another token").has_value());
}

// PutUser refuses what ValidateUser refuses, and stores nothing.
TEST_P(CaseStoreContractTest, InvalidUserIsRefused) {
  User bad_name = MakeUser("alice");
  bad_name.name = "alice smith";
  User no_department = MakeUser("dept", engine::Role::kDepartment);
  User stray_department = MakeUser("admin", engine::Role::kAdmin, "fire");
  User no_hash = MakeUser("nohash");
  no_hash.token_hash.clear();
  for (const User& u : {bad_name, no_department, stray_department, no_hash}) {
    Status s = store().PutUser(u);
    EXPECT_TRUE(s.IsInvalidArgument()) << u.name << ": " << s.ToString();
    EXPECT_EQ(s.reason(), "invalid_user") << u.name;
  }
  EXPECT_TRUE(Users().empty());
}

// Disabling a user nobody created is NotFound.
TEST_P(CaseStoreContractTest, SetUserDisabledOfUnknownUserIsNotFound) {
  ASSERT_OK(store().PutUser(MakeUser("alice")));
  Status s = store().SetUserDisabled("bob", true);
  EXPECT_TRUE(s.IsNotFound()) << s.ToString();
  EXPECT_EQ(s.reason(), "user_not_found");
  EXPECT_FALSE(UserByToken("token-alice")->disabled);
}

// ---- console passwords and sessions -------------------------------------------------

// A password hash is stored with the user and found by name; an unknown
// name is nullopt, setting an unknown user's password is NotFound.
TEST_P(CaseStoreContractTest, UserPasswordIsFoundByName) {
  ASSERT_OK(store().PutUser(MakeUser("alice")));
  auto before = store().FindUserByName("alice");
  ASSERT_OK(before);
  ASSERT_TRUE(before->has_value());
  EXPECT_EQ((*before)->password_hash, "");
  ASSERT_OK(store().SetUserPassword("alice", "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA"));
  auto after = store().FindUserByName("alice");
  ASSERT_OK(after);
  ASSERT_TRUE(after->has_value());
  EXPECT_EQ((*after)->password_hash, "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA");
  EXPECT_EQ((*after)->token_hash, engine::TokenHash("token-alice"));
  EXPECT_FALSE(store().FindUserByName("bob")->has_value());
  Status s = store().SetUserPassword("bob", "x");
  EXPECT_EQ(s.reason(), "user_not_found") << s.ToString();
}

// A session round-trips; touching moves last_seen and expires_at; a second
// session with the same id hash is refused; delete removes it (twice is
// fine); a new session purges those that expired before it began.
TEST_P(CaseStoreContractTest, SessionsRoundTripTouchDeleteAndPurge) {
  ASSERT_OK(store().PutUser(MakeUser("alice")));
  engine::Session s;
  s.id_hash = engine::TokenHash("session-1");
  s.user = "alice";
  s.created_at = At("2025-05-06T08:00:00Z");
  s.last_seen = s.created_at;
  s.expires_at = At("2025-05-06T08:30:00Z");
  ASSERT_OK(store().PutSession(s));
  EXPECT_EQ(store().PutSession(s).reason(), "session_exists");
  auto got = store().FindSession(s.id_hash);
  ASSERT_OK(got);
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ((*got)->user, "alice");
  EXPECT_EQ((*got)->created_at, s.created_at);
  EXPECT_EQ((*got)->expires_at, s.expires_at);

  ASSERT_OK(store().TouchSession(s.id_hash, At("2025-05-06T08:20:00Z"), At("2025-05-06T08:50:00Z")));
  got = store().FindSession(s.id_hash);
  EXPECT_EQ((*got)->last_seen, At("2025-05-06T08:20:00Z"));
  EXPECT_EQ((*got)->expires_at, At("2025-05-06T08:50:00Z"));
  EXPECT_OK(store().TouchSession(engine::TokenHash("gone"), At("2025-05-06T08:20:00Z"), At("2025-05-06T08:50:00Z")));

  // A sign-in after the first session expired purges it.
  engine::Session later = s;
  later.id_hash = engine::TokenHash("session-2");
  later.created_at = At("2025-05-06T09:00:00Z");
  later.last_seen = later.created_at;
  later.expires_at = At("2025-05-06T09:30:00Z");
  ASSERT_OK(store().PutSession(later));
  EXPECT_FALSE(store().FindSession(s.id_hash)->has_value());
  EXPECT_TRUE(store().FindSession(later.id_hash)->has_value());

  ASSERT_OK(store().DeleteSession(later.id_hash));
  EXPECT_FALSE(store().FindSession(later.id_hash)->has_value());
  EXPECT_OK(store().DeleteSession(later.id_hash));
}

// The subject search: a code prefix (lower-case typed too) or a part of the
// name; LIKE's wildcards in the text are literal; other filters still apply.
TEST_P(CaseStoreContractTest, SubjectSearchByCodePrefixOrNamePart) {
  SubjectProfile a = MakeProfile("91320500L968FMY61Q", "C");
  a.name = "苏州禾丰餐饮管理有限公司";
  SubjectProfile b = MakeProfile("91320500MA1MFKTE3J", "A");
  b.name = "苏州清和商贸有限公司";
  SubjectProfile c = MakeProfile("91110000MA01ABCD2X", "B");
  c.name = "北京100%_纯净水有限公司";
  for (const SubjectProfile* p : {&a, &b, &c}) {
    ASSERT_OK(Tx([&](StoreTransaction& tx) { return tx.PutSubjectProfile(*p); }));
  }
  auto codes = [&](const std::string& text, const std::string& grade = "") {
    engine::SubjectQuery q;
    q.text = text;
    q.grade = grade;
    auto found = store().ListSubjects(q);
    EXPECT_OK(found);
    std::vector<std::string> out;
    if (found.ok()) {
      for (const SubjectProfile& p : *found) out.push_back(p.code);
    }
    return out;
  };
  EXPECT_EQ(codes("禾丰"), std::vector<std::string>{a.code});
  EXPECT_EQ(codes("苏州"), (std::vector<std::string>{a.code, b.code}));
  EXPECT_EQ(codes("913205"), (std::vector<std::string>{a.code, b.code}));
  EXPECT_EQ(codes("91320500l968"), std::vector<std::string>{a.code});
  EXPECT_EQ(codes("苏州", "A"), std::vector<std::string>{b.code});
  EXPECT_EQ(codes("%"), std::vector<std::string>{c.code});
  EXPECT_EQ(codes("100%_"), std::vector<std::string>{c.code});
  EXPECT_TRUE(codes("_").size() == 1);
  EXPECT_TRUE(codes("上海").empty());
  EXPECT_TRUE(codes("L968").empty());  // a code matches from its start only
  // Letters alone also match the name's pinyin or its initials, in any case.
  EXPECT_EQ(codes("hefeng"), std::vector<std::string>{a.code});
  EXPECT_EQ(codes("SZHF"), std::vector<std::string>{a.code});
  EXPECT_EQ(codes("He Feng"), std::vector<std::string>{a.code});
  EXPECT_EQ(codes("suzhou"), (std::vector<std::string>{a.code, b.code}));
  EXPECT_EQ(codes("qinghe"), std::vector<std::string>{b.code});
  EXPECT_EQ(codes("chunjingshui"), std::vector<std::string>{c.code});
  EXPECT_EQ(codes("suzhou", "C"), std::vector<std::string>{a.code});
  EXPECT_TRUE(codes("shanghai").empty());
  // A renamed subject is found by its new name's pinyin, not the old one's.
  b.name = "苏州清风商贸有限公司";
  ASSERT_OK(Tx([&](StoreTransaction& tx) { return tx.PutSubjectProfile(b); }));
  EXPECT_TRUE(codes("qinghe").empty());
  EXPECT_EQ(codes("qingfeng"), std::vector<std::string>{b.code});
}

// ---- children of a case, and the auditor's rebuild ------------------------------------

std::vector<std::string> ChildIds(const std::vector<engine::ChildCase>& children) {
  std::vector<std::string> ids;
  for (const engine::ChildCase& c : children) ids.push_back(c.id);
  return ids;
}

std::vector<std::string> RecordIds(const std::vector<SubjectRecord>& records) {
  std::vector<std::string> ids;
  for (const SubjectRecord& r : records) ids.push_back(r.id);
  return ids;
}

// A child case of `parent`, created at `created_at`.
Case MakeChild(const std::string& id, const std::string& parent, const std::string& created_at) {
  Case c = MakeCase(id, "department_task", "Open");
  c.parent_id = parent;
  c.created_at = At(created_at);
  return c;
}

// ReplaceCase writes every field of `c` whatever version is stored, a lower
// one too. The transaction reads the new row at once; others read the old one
// until it commits.
TEST_P(CaseStoreContractTest, ReplaceCaseWritesEveryFieldWhateverTheVersion) {
  Case stored = MakeCase("case-1");
  stored.version = 5;
  Insert(stored);
  Case rebuilt = MakeCase("case-1", "repair", "Accepted", "91110000MA00000009");
  rebuilt.version = 2;
  rebuilt.definition_version = 7;
  rebuilt.outcome = "repaired";
  rebuilt.reason = "";
  rebuilt.policy = {"credit-repair", "2025.1", std::string(64, 'd')};
  rebuilt.data = Json{{"rebuilt", true}, {"quote", "it's"}};
  rebuilt.parent_id = "case-0";
  rebuilt.department = "fire-safety";
  rebuilt.history_head = std::string(64, 'e');
  rebuilt.created_at = At("2025-01-01T00:00:00Z");
  rebuilt.updated_at = At("2025-06-01T00:00:00Z");

  Case inside;
  int64_t outside_version = -1;
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    CREDFLOW_RETURN_IF_ERROR(tx.ReplaceCase(rebuilt));
    auto got = tx.LoadCase("case-1");
    if (!got.ok()) return got.status();
    inside = got.value();
    auto outside = store().GetCase("case-1");
    if (!outside.ok()) return outside.status();
    outside_version = outside->version;
    return Status::Ok();
  }));
  ExpectSameCase(rebuilt, inside);
  EXPECT_EQ(outside_version, 5);
  auto read = store().GetCase("case-1");
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ExpectSameCase(rebuilt, read.value());

  // The same row again, unchanged, is a success too.
  EXPECT_OK(Tx([&](StoreTransaction& tx) { return tx.ReplaceCase(rebuilt); }));
}

// ReplaceCase of an id nobody inserted is NotFound("case_not_found") and
// creates no case.
TEST_P(CaseStoreContractTest, ReplaceCaseOfUnknownCaseIsNotFound) {
  Insert(MakeCase("case-1"));
  Status s = Tx([&](StoreTransaction& tx) { return tx.ReplaceCase(MakeCase("ghost")); });
  EXPECT_TRUE(s.IsNotFound()) << s.ToString();
  EXPECT_EQ(s.reason(), "case_not_found");
  EXPECT_TRUE(store().GetCase("ghost").status().IsNotFound());
  EXPECT_EQ(ListIds(), std::vector<std::string>{"case-1"});
}

// A replaced row is rolled back with a transaction that fails.
TEST_P(CaseStoreContractTest, ReplaceCaseRollsBackWithTheTransaction) {
  Case stored = MakeCase("case-1");
  Insert(stored);
  Case rebuilt = stored;
  rebuilt.state = "Rebuilt";
  rebuilt.version = 9;
  Status s = Tx([&](StoreTransaction& tx) {
    CREDFLOW_RETURN_IF_ERROR(tx.ReplaceCase(rebuilt));
    return Status::FailedPrecondition("event_not_allowed", "refused on purpose");
  });
  EXPECT_TRUE(s.IsFailedPrecondition()) << s.ToString();
  auto read = store().GetCase("case-1");
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ExpectSameCase(stored, read.value());
}

// ReplaceCase keeps the overdue query in step with the data it writes, as
// UpdateCase does: flagged, unflagged, flagged but closed.
TEST_P(CaseStoreContractTest, ReplaceCaseUpdatesTheOverdueQuery) {
  using V = std::vector<std::string>;
  Case c = MakeCase("case-1");
  Insert(c);
  CaseQuery q;
  q.overdue_on = Day("2025-01-01");
  EXPECT_TRUE(FindIds(q).empty());

  c.data["overdue"] = true;
  ASSERT_OK(Tx([&](StoreTransaction& tx) { return tx.ReplaceCase(c); }));
  EXPECT_EQ(FindIds(q), (V{"case-1"}));
  c.data["overdue"] = false;
  ASSERT_OK(Tx([&](StoreTransaction& tx) { return tx.ReplaceCase(c); }));
  EXPECT_TRUE(FindIds(q).empty());
  c.data["overdue"] = true;
  c.outcome = "lapsed";
  c.closed = true;
  ASSERT_OK(Tx([&](StoreTransaction& tx) { return tx.ReplaceCase(c); }));
  EXPECT_TRUE(FindIds(q).empty());
  c.outcome = "pending";
  c.closed = false;
  ASSERT_OK(Tx([&](StoreTransaction& tx) { return tx.ReplaceCase(c); }));
  EXPECT_EQ(FindIds(q), (V{"case-1"}));
}

// LoadChildren lists the cases whose parent_id is the parent, in
// (created_at, id) order with ids compared bytewise, each with the fields a
// join reads; a parent without children, or an unknown one, has none.
TEST_P(CaseStoreContractTest, LoadChildrenInCreatedAtThenIdOrder) {
  Case tax = MakeChild("c-b", "p-1", "2025-03-02T00:00:00Z");
  tax.state = "Decided";
  tax.outcome = "approved";
  tax.reason = "documents_complete";
  tax.department = "tax";
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    // Inserted out of order on purpose.
    CREDFLOW_RETURN_IF_ERROR(tx.InsertCase(MakeCase("p-1", "repair", "Accepted")));
    CREDFLOW_RETURN_IF_ERROR(tx.InsertCase(tax));
    CREDFLOW_RETURN_IF_ERROR(tx.InsertCase(MakeChild("c-a", "p-1", "2025-03-02T00:00:00Z")));
    CREDFLOW_RETURN_IF_ERROR(tx.InsertCase(MakeChild("c-c", "p-1", "2025-03-01T00:00:00Z")));
    CREDFLOW_RETURN_IF_ERROR(tx.InsertCase(MakeChild("C-d", "p-1", "2025-03-02T00:00:00Z")));
    CREDFLOW_RETURN_IF_ERROR(tx.InsertCase(MakeChild("c-0", "p-1", "2025-03-03T00:00:00Z")));
    CREDFLOW_RETURN_IF_ERROR(tx.InsertCase(MakeCase("p-2", "repair", "Accepted")));
    return tx.InsertCase(MakeChild("c-x", "p-2", "2025-02-01T00:00:00Z"));
  }));

  std::vector<engine::ChildCase> of_p1, of_p2, of_none, of_unknown;
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    auto load = [&](const std::string& parent, std::vector<engine::ChildCase>* out) {
      auto children = tx.LoadChildren(parent);
      if (!children.ok()) return children.status();
      *out = children.value();
      return Status::Ok();
    };
    CREDFLOW_RETURN_IF_ERROR(load("p-1", &of_p1));
    CREDFLOW_RETURN_IF_ERROR(load("p-2", &of_p2));
    CREDFLOW_RETURN_IF_ERROR(load("c-a", &of_none));
    return load("nobody", &of_unknown);
  }));
  // 'C' sorts before 'c' bytewise.
  EXPECT_EQ(ChildIds(of_p1), (std::vector<std::string>{"c-c", "C-d", "c-a", "c-b", "c-0"}));
  EXPECT_EQ(ChildIds(of_p2), std::vector<std::string>{"c-x"});
  EXPECT_TRUE(of_none.empty());
  EXPECT_TRUE(of_unknown.empty());
  ASSERT_EQ(of_p1.size(), 5u);
  const engine::ChildCase& got = of_p1[3];
  EXPECT_EQ(got.id, tax.id);
  EXPECT_EQ(got.workflow, tax.workflow);
  EXPECT_EQ(got.state, tax.state);
  EXPECT_EQ(got.outcome, tax.outcome);
  EXPECT_EQ(got.reason, tax.reason);
  EXPECT_EQ(got.department, tax.department);
}

// LoadChildren reads the transaction's own writes: a child inserted in it
// takes its place in the order, a child updated in it shows the update, and
// a child moved to another parent in it is gone.
TEST_P(CaseStoreContractTest, LoadChildrenSeesTheTransactionsOwnWrites) {
  Insert(MakeChild("c-1", "p-1", "2025-03-01T00:00:00Z"));
  Insert(MakeChild("c-3", "p-1", "2025-03-03T00:00:00Z"));
  Insert(MakeChild("c-4", "p-1", "2025-03-04T00:00:00Z"));

  std::vector<engine::ChildCase> inside, before;
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    auto committed = tx.LoadChildren("p-1");
    if (!committed.ok()) return committed.status();
    before = committed.value();
    CREDFLOW_RETURN_IF_ERROR(tx.InsertCase(MakeChild("c-2", "p-1", "2025-03-02T00:00:00Z")));
    Case decided = MakeChild("c-3", "p-1", "2025-03-03T00:00:00Z");
    decided.version = 2;
    decided.state = "Decided";
    decided.outcome = "refused";
    CREDFLOW_RETURN_IF_ERROR(tx.UpdateCase(decided, 1));
    Case moved = MakeChild("c-4", "p-9", "2025-03-04T00:00:00Z");
    CREDFLOW_RETURN_IF_ERROR(tx.ReplaceCase(moved));
    auto children = tx.LoadChildren("p-1");
    if (!children.ok()) return children.status();
    inside = children.value();
    return Status::Ok();
  }));
  EXPECT_EQ(ChildIds(before), (std::vector<std::string>{"c-1", "c-3", "c-4"}));
  EXPECT_EQ(ChildIds(inside), (std::vector<std::string>{"c-1", "c-2", "c-3"}));
  ASSERT_EQ(inside.size(), 3u);
  EXPECT_EQ(inside[2].state, "Decided");
  EXPECT_EQ(inside[2].outcome, "refused");

  std::vector<engine::ChildCase> after, of_p9;
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    auto children = tx.LoadChildren("p-1");
    if (!children.ok()) return children.status();
    after = children.value();
    auto moved = tx.LoadChildren("p-9");
    if (!moved.ok()) return moved.status();
    of_p9 = moved.value();
    return Status::Ok();
  }));
  EXPECT_EQ(ChildIds(after), (std::vector<std::string>{"c-1", "c-2", "c-3"}));
  EXPECT_EQ(ChildIds(of_p9), std::vector<std::string>{"c-4"});
}

// Deleting a profile or a record that is not there is OK, twice too, and
// touches nothing else.
TEST_P(CaseStoreContractTest, DeletingAbsentSubjectFactsIsOk) {
  SubjectProfile profile = MakeProfile("S1");
  SubjectRecord record = MakeRecord("r-1", "S1", "false_commitment", "active", "2025-01-01T00:00:00Z");
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    CREDFLOW_RETURN_IF_ERROR(tx.PutSubjectProfile(profile));
    return tx.PutSubjectRecord(record);
  }));
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    CREDFLOW_RETURN_IF_ERROR(tx.DeleteSubjectRecord("r-9"));
    CREDFLOW_RETURN_IF_ERROR(tx.DeleteSubjectProfile("S9"));
    CREDFLOW_RETURN_IF_ERROR(tx.DeleteSubjectRecord("r-9"));
    CREDFLOW_RETURN_IF_ERROR(tx.DeleteSubjectProfile("S9"));
    // A profile's code is not a record's id, nor the other way round.
    CREDFLOW_RETURN_IF_ERROR(tx.DeleteSubjectRecord("S1"));
    return tx.DeleteSubjectProfile("r-1");
  }));
  auto facts = store().GetSubjectFacts("S1");
  ASSERT_TRUE(facts.ok()) << facts.status().ToString();
  ASSERT_TRUE(facts->profile.has_value());
  ExpectSameProfile(profile, *facts->profile);
  EXPECT_EQ(RecordIds(facts->records), std::vector<std::string>{"r-1"});
}

// Deletes are rolled back with a transaction that fails: the record and the
// profile are still there, for every read.
TEST_P(CaseStoreContractTest, SubjectFactDeletesRollBackWithTheTransaction) {
  SubjectProfile profile = MakeProfile("S1");
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    CREDFLOW_RETURN_IF_ERROR(tx.PutSubjectProfile(profile));
    CREDFLOW_RETURN_IF_ERROR(
        tx.PutSubjectRecord(MakeRecord("r-1", "S1", "false_commitment", "active", "2025-01-01T00:00:00Z")));
    return tx.PutSubjectRecord(MakeRecord("r-2", "S1", "serious_dishonesty", "active", "2025-02-01T00:00:00Z"));
  }));
  Status s = Tx([&](StoreTransaction& tx) {
    CREDFLOW_RETURN_IF_ERROR(tx.DeleteSubjectRecord("r-1"));
    CREDFLOW_RETURN_IF_ERROR(tx.DeleteSubjectProfile("S1"));
    return Status::FailedPrecondition("event_not_allowed", "refused on purpose");
  });
  EXPECT_TRUE(s.IsFailedPrecondition()) << s.ToString();

  auto facts = store().GetSubjectFacts("S1");
  ASSERT_TRUE(facts.ok()) << facts.status().ToString();
  EXPECT_TRUE(facts->profile.has_value());
  EXPECT_EQ(RecordIds(facts->records), (std::vector<std::string>{"r-1", "r-2"}));
  auto got = store().GetSubjectProfile("S1");
  ASSERT_TRUE(got.ok() && got->has_value());
  ExpectSameProfile(profile, **got);
  auto listed = store().ListSubjectRecords("", 10);
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  EXPECT_EQ(RecordIds(listed.value()), (std::vector<std::string>{"r-1", "r-2"}));
  std::optional<SubjectProfile> in_tx;
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    auto f = tx.LoadSubjectFacts("S1");
    if (!f.ok()) return f.status();
    in_tx = f->profile;
    EXPECT_EQ(RecordIds(f->records), (std::vector<std::string>{"r-1", "r-2"}));
    return Status::Ok();
  }));
  EXPECT_TRUE(in_tx.has_value());
}

// In the transaction that deleted them, facts no longer show the record or
// the profile, also when LoadCase read the facts with the case before the
// delete; a record put again after its delete is back. After commit no read
// shows what was deleted.
TEST_P(CaseStoreContractTest, FactsLoadedAfterADeleteNoLongerShowIt) {
  Insert(MakeCase("case-1", "commitment", "Filed", "S1"));
  SubjectRecord r2 = MakeRecord("r-2", "S1", "serious_dishonesty", "active", "2025-02-01T00:00:00Z");
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    CREDFLOW_RETURN_IF_ERROR(tx.PutSubjectProfile(MakeProfile("S1")));
    CREDFLOW_RETURN_IF_ERROR(tx.PutSubjectProfile(MakeProfile("S2")));
    CREDFLOW_RETURN_IF_ERROR(
        tx.PutSubjectRecord(MakeRecord("r-1", "S1", "false_commitment", "active", "2025-01-01T00:00:00Z")));
    CREDFLOW_RETURN_IF_ERROR(tx.PutSubjectRecord(r2));
    return tx.PutSubjectRecord(MakeRecord("r-3", "S2", "false_commitment", "active", "2025-01-15T00:00:00Z"));
  }));

  std::vector<engine::SubjectFacts> seen;
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    auto remember = [&]() {
      auto facts = tx.LoadSubjectFacts("S1");
      if (!facts.ok()) return facts.status();
      seen.push_back(facts.value());
      return Status::Ok();
    };
    CREDFLOW_RETURN_IF_ERROR(tx.LoadCase("case-1").status());
    CREDFLOW_RETURN_IF_ERROR(tx.DeleteSubjectRecord("r-1"));
    CREDFLOW_RETURN_IF_ERROR(remember());  // 0: r-2 and the profile
    CREDFLOW_RETURN_IF_ERROR(tx.LoadCase("case-1").status());
    CREDFLOW_RETURN_IF_ERROR(tx.DeleteSubjectProfile("S1"));
    CREDFLOW_RETURN_IF_ERROR(remember());  // 1: r-2, no profile
    CREDFLOW_RETURN_IF_ERROR(tx.DeleteSubjectRecord("r-2"));
    CREDFLOW_RETURN_IF_ERROR(remember());  // 2: nothing
    SubjectRecord again = r2;
    again.status = "repaired";
    CREDFLOW_RETURN_IF_ERROR(tx.PutSubjectRecord(again));
    return remember();  // 3: r-2 again, repaired
  }));
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(RecordIds(seen[0].records), std::vector<std::string>{"r-2"});
  EXPECT_TRUE(seen[0].profile.has_value());
  EXPECT_EQ(RecordIds(seen[1].records), std::vector<std::string>{"r-2"});
  EXPECT_FALSE(seen[1].profile.has_value());
  EXPECT_TRUE(seen[2].records.empty());
  EXPECT_FALSE(seen[2].profile.has_value());
  ASSERT_EQ(RecordIds(seen[3].records), std::vector<std::string>{"r-2"});
  EXPECT_EQ(seen[3].records[0].status, "repaired");

  auto facts = store().GetSubjectFacts("S1");
  ASSERT_TRUE(facts.ok()) << facts.status().ToString();
  EXPECT_FALSE(facts->profile.has_value());
  ASSERT_EQ(RecordIds(facts->records), std::vector<std::string>{"r-2"});
  EXPECT_EQ(facts->records[0].status, "repaired");
  auto profile = store().GetSubjectProfile("S1");
  ASSERT_TRUE(profile.ok()) << profile.status().ToString();
  EXPECT_FALSE(profile->has_value());
  auto subjects = store().ListSubjects(SubjectQuery{});
  ASSERT_TRUE(subjects.ok()) << subjects.status().ToString();
  EXPECT_EQ(Codes(subjects.value()), std::vector<std::string>{"S2"});
  auto listed = store().ListSubjectRecords("", 10);
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  EXPECT_EQ(RecordIds(listed.value()), (std::vector<std::string>{"r-2", "r-3"}));
  std::optional<SubjectProfile> committed;
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    CREDFLOW_RETURN_IF_ERROR(tx.LoadCase("case-1").status());
    auto f = tx.LoadSubjectFacts("S1");
    if (!f.ok()) return f.status();
    committed = f->profile;
    EXPECT_EQ(RecordIds(f->records), std::vector<std::string>{"r-2"});
    return Status::Ok();
  }));
  EXPECT_FALSE(committed.has_value());
}

// ListSubjectRecords lists the records of every subject with id > after_id,
// in bytewise id order, at most `limit` a page; it reads committed records
// only; a page size of zero or less is refused.
TEST_P(CaseStoreContractTest, ListSubjectRecordsPagesInBytewiseIdOrder) {
  auto list = [&](const std::string& after_id, int limit) {
    auto found = store().ListSubjectRecords(after_id, limit);
    EXPECT_TRUE(found.ok()) << found.status().ToString();
    return found.ok() ? RecordIds(found.value()) : std::vector<std::string>{};
  };
  using V = std::vector<std::string>;
  EXPECT_TRUE(list("", 5).empty());

  SubjectRecord accented = MakeRecord("r-\xC3\xA9", "S2", "false_commitment", "repaired", "2025-01-03T00:00:00Z");
  accented.data = Json{{"note", "第二次"}};
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    // Inserted out of id order on purpose, over three subjects.
    CREDFLOW_RETURN_IF_ERROR(tx.PutSubjectRecord(MakeRecord("r-9", "S2", "k", "active", "2025-01-01T00:00:00Z")));
    CREDFLOW_RETURN_IF_ERROR(tx.PutSubjectRecord(MakeRecord("r_2", "S1", "k", "active", "2025-01-01T00:00:00Z")));
    CREDFLOW_RETURN_IF_ERROR(tx.PutSubjectRecord(accented));
    CREDFLOW_RETURN_IF_ERROR(tx.PutSubjectRecord(MakeRecord("r-10", "S1", "k", "active", "2025-01-02T00:00:00Z")));
    CREDFLOW_RETURN_IF_ERROR(tx.PutSubjectRecord(MakeRecord("R-1", "S3", "k", "active", "2025-01-05T00:00:00Z")));
    return tx.PutSubjectRecord(MakeRecord("r-1", "S1", "k", "active", "2025-01-04T00:00:00Z"));
  }));

  // Bytewise: 'R' < 'r', '-' < '_', "r-1" < "r-10" < "r-9" < "r-\xC3\xA9".
  const V all = {"R-1", "r-1", "r-10", "r-9", "r-\xC3\xA9", "r_2"};
  EXPECT_EQ(list("", 100), all);
  std::vector<V> pages;
  std::string after;
  for (int i = 0; i < 10; ++i) {
    V page = list(after, 2);
    if (page.empty()) break;
    pages.push_back(page);
    after = page.back();
  }
  EXPECT_EQ(pages, (std::vector<V>{{"R-1", "r-1"}, {"r-10", "r-9"}, {"r-\xC3\xA9", "r_2"}}));
  EXPECT_EQ(list("r-5", 100), (V{"r-9", "r-\xC3\xA9", "r_2"}));  // need not be a stored id
  EXPECT_TRUE(list("r_2", 100).empty());

  // Every field comes back.
  auto one = store().ListSubjectRecords("r-9", 1);
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  ASSERT_EQ(one->size(), 1u);
  const SubjectRecord& r = (*one)[0];
  EXPECT_EQ(r.id, accented.id);
  EXPECT_EQ(r.subject, accented.subject);
  EXPECT_EQ(r.kind, accented.kind);
  EXPECT_EQ(r.status, accented.status);
  EXPECT_EQ(r.case_id, accented.case_id);
  EXPECT_EQ(r.data, accented.data);
  EXPECT_EQ(r.created_at, accented.created_at);
  EXPECT_EQ(r.updated_at, accented.updated_at);

  // An uncommitted record is not listed.
  V during;
  ASSERT_OK(Tx([&](StoreTransaction& tx) {
    CREDFLOW_RETURN_IF_ERROR(tx.PutSubjectRecord(MakeRecord("a-0", "S1", "k", "active", "2025-01-01T00:00:00Z")));
    CREDFLOW_RETURN_IF_ERROR(tx.DeleteSubjectRecord("r-1"));
    during = list("", 100);
    return Status::Ok();
  }));
  EXPECT_EQ(during, all);
  EXPECT_EQ(list("", 3), (V{"R-1", "a-0", "r-10"}));

  for (int limit : {0, -1}) {
    auto refused = store().ListSubjectRecords("", limit);
    ASSERT_FALSE(refused.ok()) << limit;
    EXPECT_TRUE(refused.status().IsInvalidArgument()) << refused.status().ToString();
    EXPECT_EQ(refused.status().reason(), "invalid_limit");
  }
}

// ---- queries ---------------------------------------------------------------------

class CaseQueryContractTest : public CaseStoreContractTest {
 protected:
  void SetUp() override {
    CaseStoreContractTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_OK(Tx([&](StoreTransaction& tx) {
      auto add = [&](const std::string& id, const std::string& workflow, const std::string& state,
                     const std::string& subject, const std::string& parent) {
        Case c = MakeCase(id, workflow, state, subject);
        c.parent_id = parent;
        return tx.InsertCase(c);
      };
      // Inserted out of id order on purpose.
      CREDFLOW_RETURN_IF_ERROR(add("c-05", "commitment", "Filed", "S1", ""));
      CREDFLOW_RETURN_IF_ERROR(add("c-01", "commitment", "Verified", "S1", ""));
      CREDFLOW_RETURN_IF_ERROR(add("c-03", "repair", "Accepted", "S2", ""));
      CREDFLOW_RETURN_IF_ERROR(add("c-07", "department_task", "Open", "S2", "c-03"));
      CREDFLOW_RETURN_IF_ERROR(add("c-02", "department_task", "Decided", "S2", "c-03"));
      CREDFLOW_RETURN_IF_ERROR(add("c-06", "commitment", "Filed", "S3", ""));
      return add("c-04", "repair", "Accepted", "S1", "");
    }));
  }

  std::vector<std::string> Find(CaseQuery q) {
    auto found = store().FindCases(q);
    EXPECT_TRUE(found.ok()) << found.status().ToString();
    return found.ok() ? CaseIds(found.value()) : std::vector<std::string>{};
  }
};

// Every filter narrows the result; results come in id order.
TEST_P(CaseQueryContractTest, FindCasesFiltersCombine) {
  using V = std::vector<std::string>;
  EXPECT_EQ(Find({}), (V{"c-01", "c-02", "c-03", "c-04", "c-05", "c-06", "c-07"}));
  CaseQuery q;
  q.workflow = "commitment";
  EXPECT_EQ(Find(q), (V{"c-01", "c-05", "c-06"}));
  q.state = "Filed";
  EXPECT_EQ(Find(q), (V{"c-05", "c-06"}));
  q.subject = "S3";
  EXPECT_EQ(Find(q), (V{"c-06"}));
  q = CaseQuery{};
  q.subject = "S2";
  EXPECT_EQ(Find(q), (V{"c-02", "c-03", "c-07"}));
  q = CaseQuery{};
  q.parent_id = "c-03";
  EXPECT_EQ(Find(q), (V{"c-02", "c-07"}));
  q.state = "Open";
  EXPECT_EQ(Find(q), (V{"c-07"}));
  q = CaseQuery{};
  q.workflow = "no-such-workflow";
  EXPECT_TRUE(Find(q).empty());
}

// Keyset pagination: pages of `limit` ids after `after_id`, until empty.
TEST_P(CaseQueryContractTest, FindCasesPagesByKeyset) {
  using V = std::vector<std::string>;
  CaseQuery q;
  q.limit = 3;
  std::vector<V> pages;
  for (int i = 0; i < 10; ++i) {
    V page = Find(q);
    if (page.empty()) break;
    pages.push_back(page);
    q.after_id = page.back();
  }
  EXPECT_EQ(pages, (std::vector<V>{{"c-01", "c-02", "c-03"}, {"c-04", "c-05", "c-06"}, {"c-07"}}));

  // Filters and keyset together.
  CaseQuery filtered;
  filtered.workflow = "commitment";
  filtered.after_id = "c-01";
  filtered.limit = 1;
  EXPECT_EQ(Find(filtered), (V{"c-05"}));
  // after_id need not be an existing id.
  CaseQuery between;
  between.after_id = "c-035";
  EXPECT_EQ(Find(between), (V{"c-04", "c-05", "c-06", "c-07"}));
}

// A page size of zero or less is refused.
TEST_P(CaseQueryContractTest, FindCasesRefusesNonPositiveLimit) {
  CaseQuery q;
  q.limit = 0;
  auto found = store().FindCases(q);
  ASSERT_FALSE(found.ok());
  EXPECT_TRUE(found.status().IsInvalidArgument()) << found.status().ToString();
  EXPECT_EQ(found.status().reason(), "invalid_limit");
}

// ListCaseIds returns every id in id order; CountAllCases counts them.
TEST_P(CaseQueryContractTest, ListCaseIdsInIdOrder) {
  EXPECT_EQ(ListIds(), (std::vector<std::string>{"c-01", "c-02", "c-03", "c-04", "c-05", "c-06", "c-07"}));
  auto count = store().CountAllCases();
  ASSERT_OK(count);
  EXPECT_EQ(*count, 7);
}

// The whole-store chain check's reads: a case by its position, and ranges
// (after, through] of case heads and of events in (case_id, seq) order, a
// page at a time, with each event's payload as its stored JSON text.
TEST_P(CaseStoreContractTest, ChainScanReadsRangesInKeyOrder) {
  for (const std::string id : {"c-1", "c-2", "c-3"}) {
    Case c = MakeCase(id);
    c.history_head = "head-of-" + id;
    ASSERT_OK(Tx([&](StoreTransaction& tx) {
      CREDFLOW_RETURN_IF_ERROR(tx.InsertCase(c));
      std::vector<HistoryEvent> events;
      for (int64_t seq = 1; seq <= (id == "c-2" ? 3 : 2); ++seq) events.push_back(MakeEvent(id, seq));
      return tx.AppendHistoryBatch(events);
    }));
  }
  auto first = store().CaseIdAt(0);
  auto last = store().CaseIdAt(2);
  auto past = store().CaseIdAt(3);
  ASSERT_OK(first);
  ASSERT_OK(last);
  ASSERT_OK(past);
  EXPECT_EQ(*first, std::optional<std::string>("c-1"));
  EXPECT_EQ(*last, std::optional<std::string>("c-3"));
  EXPECT_EQ(*past, std::nullopt);

  auto heads = store().ScanCaseHeads("c-1", "c-2", 10);
  ASSERT_OK(heads);
  ASSERT_EQ(heads->size(), 1u);
  EXPECT_EQ((*heads)[0].id, "c-2");
  EXPECT_EQ((*heads)[0].history_head, "head-of-c-2");
  heads = store().ScanCaseHeads("", "", 2);
  ASSERT_OK(heads);
  ASSERT_EQ(heads->size(), 2u);
  EXPECT_EQ((*heads)[1].id, "c-2");

  // After event 1 of c-1, through c-2: c-1's second event and all of c-2's.
  auto events = store().ScanHistory("c-1", 1, "c-2", 10);
  ASSERT_OK(events);
  std::vector<std::pair<std::string, int64_t>> keys;
  for (const engine::StoredEvent& e : *events) keys.emplace_back(e.event.case_id, e.event.seq);
  EXPECT_EQ(keys, (std::vector<std::pair<std::string, int64_t>>{{"c-1", 2}, {"c-2", 1}, {"c-2", 2}, {"c-2", 3}}));
  const HistoryEvent expected = MakeEvent("c-2", 3);
  const engine::StoredEvent& stored = events->back();
  EXPECT_EQ(Json::parse(stored.payload_text), expected.payload);
  EXPECT_EQ(stored.payload_text, expected.payload.dump());
  EXPECT_EQ(stored.event.hash, expected.hash);
  EXPECT_EQ(stored.event.at, expected.at);
  EXPECT_EQ(stored.event.actor.user, expected.actor.user);
  // No upper bound, a page of two: from after c-2's last event to the end.
  events = store().ScanHistory("c-2", std::numeric_limits<int64_t>::max(), "", 2);
  ASSERT_OK(events);
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].event.case_id, "c-3");
  EXPECT_EQ((*events)[1].event.seq, 2);

  EXPECT_EQ(store().ScanHistory("", 0, "", 0).status().reason(), "invalid_limit");
  EXPECT_EQ(store().ScanCaseHeads("", "", 0).status().reason(), "invalid_limit");
}

// ---- document numbers (文号) ---------------------------------------------------

engine::DocumentNumber NumberRequest(const std::string& case_id, const std::string& kind,
                                     const std::string& issued_on = "2026-12-21",
                                     const std::string& prefix = "苏市监承改") {
  engine::DocumentNumber r;
  r.case_id = case_id;
  r.kind = kind;
  r.office = "js-amr";
  r.prefix = prefix;
  r.issued_on = Day(issued_on);
  r.issued_at = At(issued_on + "T02:00:00Z");
  return r;
}

// The first issue of a document takes number 1 of its sequence, dated as
// asked, with the year of that date; issuing it again returns it unchanged,
// whatever the new request says.
TEST_P(CaseStoreContractTest, ADocumentKeepsTheNumberItWasFirstIssued) {
  Insert(MakeCase("c-1"));
  auto first = store().IssueDocumentNumber(NumberRequest("c-1", "rectification_order"));
  ASSERT_OK(first);
  EXPECT_EQ(first->case_id, "c-1");
  EXPECT_EQ(first->kind, "rectification_order");
  EXPECT_EQ(first->office, "js-amr");
  EXPECT_EQ(first->prefix, "苏市监承改");
  EXPECT_EQ(first->year, 2026);
  EXPECT_EQ(first->number, 1);
  EXPECT_EQ(first->issued_on, Day("2026-12-21"));
  EXPECT_EQ(first->issued_at, At("2026-12-21T02:00:00Z"));
  EXPECT_EQ(first->Text(), "苏市监承改〔2026〕1号");

  auto again = store().IssueDocumentNumber(NumberRequest("c-1", "rectification_order", "2027-01-05", "其他"));
  ASSERT_OK(again);
  EXPECT_EQ(again->Text(), "苏市监承改〔2026〕1号");
  EXPECT_EQ(again->issued_on, Day("2026-12-21"));
  auto listed = store().GetDocumentNumbers("c-1");
  ASSERT_OK(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().number, 1);
  EXPECT_EQ(listed->front().issued_on, Day("2026-12-21"));
}

// Two documents of one sequence take consecutive numbers; another prefix or
// another office is another sequence; a new year starts again at 1.
TEST_P(CaseStoreContractTest, DocumentNumbersRunPerOfficePrefixAndYear) {
  Insert(MakeCase("c-1"));
  Insert(MakeCase("c-2"));
  auto number = [&](const engine::DocumentNumber& r) {
    auto issued = store().IssueDocumentNumber(r);
    EXPECT_TRUE(issued.ok()) << issued.status().ToString();
    return issued.ok() ? issued->Text() : std::string();
  };
  EXPECT_EQ(number(NumberRequest("c-1", "rectification_order")), "苏市监承改〔2026〕1号");
  EXPECT_EQ(number(NumberRequest("c-2", "rectification_order")), "苏市监承改〔2026〕2号");
  EXPECT_EQ(number(NumberRequest("c-1", "revocation_decision", "2026-12-22", "苏市监承撤")), "苏市监承撤〔2026〕1号");
  engine::DocumentNumber elsewhere = NumberRequest("c-2", "other_office_order");
  elsewhere.office = "sz-amr";
  EXPECT_EQ(number(elsewhere), "苏市监承改〔2026〕1号");
  EXPECT_EQ(number(NumberRequest("c-2", "revocation_decision", "2027-01-01", "苏市监承撤")), "苏市监承撤〔2027〕1号");
  EXPECT_EQ(number(NumberRequest("c-1", "penalty_referral", "2027-01-02", "苏市监承改")), "苏市监承改〔2027〕1号");
  EXPECT_EQ(number(NumberRequest("c-1", "notice", "2026-12-31", "苏市监承改")), "苏市监承改〔2026〕3号");

  auto listed = store().GetDocumentNumbers("c-1");
  ASSERT_OK(listed);
  std::vector<std::string> kinds;
  for (const engine::DocumentNumber& d : *listed) kinds.push_back(d.kind);
  EXPECT_EQ(kinds,
            (std::vector<std::string>{"rectification_order", "revocation_decision", "notice", "penalty_referral"}));
  EXPECT_TRUE(store().GetDocumentNumbers("no-such-case")->empty());
}

// A number for an unknown case, or a request without its office or prefix,
// is refused and takes no number.
TEST_P(CaseStoreContractTest, DocumentNumberRefusalsTakeNoNumber) {
  auto unknown = store().IssueDocumentNumber(NumberRequest("no-such-case", "rectification_order"));
  ASSERT_FALSE(unknown.ok());
  EXPECT_TRUE(unknown.status().IsNotFound()) << unknown.status().ToString();
  EXPECT_EQ(unknown.status().reason(), "case_not_found");
  Insert(MakeCase("c-1"));
  engine::DocumentNumber no_prefix = NumberRequest("c-1", "rectification_order");
  no_prefix.prefix.clear();
  auto refused = store().IssueDocumentNumber(no_prefix);
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(refused.status().IsInvalidArgument()) << refused.status().ToString();
  EXPECT_EQ(refused.status().reason(), "invalid_document_number");
  auto first = store().IssueDocumentNumber(NumberRequest("c-1", "rectification_order"));
  ASSERT_OK(first);
  EXPECT_EQ(first->number, 1);
}

// Documents issued at once from several threads take every number of the
// sequence exactly once, and a document asked for twice at once still gets
// one number.
TEST_P(CaseStoreContractTest, ConcurrentIssuesLeaveNoGapsInTheSequence) {
  constexpr int kCases = 8;
  for (int i = 0; i < kCases; ++i) Insert(MakeCase("c-" + std::to_string(i)));
  std::vector<std::thread> threads;
  std::vector<engine::Result<engine::DocumentNumber>> results(2 * kCases, Status::Internal("not run"));
  for (int i = 0; i < 2 * kCases; ++i) {
    threads.emplace_back([&, i] {
      // Each case twice: threads i and i + kCases race for the same document.
      results[i] = store().IssueDocumentNumber(NumberRequest("c-" + std::to_string(i % kCases), "rectification_order"));
    });
  }
  for (std::thread& t : threads) t.join();
  std::map<std::string, int64_t> by_case;
  std::vector<int64_t> numbers;
  for (int i = 0; i < 2 * kCases; ++i) {
    ASSERT_TRUE(results[i].ok()) << results[i].status().ToString();
    auto [it, fresh] = by_case.emplace(results[i]->case_id, results[i]->number);
    if (fresh) {
      numbers.push_back(results[i]->number);
    } else {
      EXPECT_EQ(it->second, results[i]->number) << "case " << results[i]->case_id << " got two numbers";
    }
  }
  std::sort(numbers.begin(), numbers.end());
  std::vector<int64_t> expected;
  for (int n = 1; n <= kCases; ++n) expected.push_back(n);
  EXPECT_EQ(numbers, expected);
  engine::DocumentNumber next = NumberRequest("c-0", "revocation_decision");
  auto after = store().IssueDocumentNumber(next);
  ASSERT_OK(after);
  EXPECT_EQ(after->number, kCases + 1) << "the sequence has no gap after the race";
}

INSTANTIATE_TEST_SUITE_P(Stores, CaseStoreContractTest, ::testing::Values("memory", "sqlite", "postgresql"), StoreName);
INSTANTIATE_TEST_SUITE_P(Stores, CaseQueryContractTest, ::testing::Values("memory", "sqlite", "postgresql"), StoreName);

// ---- what only the SQL stores have ------------------------------------------------

class SqlStoreContractTest : public CaseStoreContractTest {
 protected:
  adapters::SociCaseStore& soci() { return *holder_.soci(); }
};

// The database itself refuses to change or delete history, whoever asks.
TEST_P(SqlStoreContractTest, HistoryIsAppendOnlyInTheDatabase) {
  Insert(MakeCase("case-1"));
  HistoryEvent e = MakeEvent("case-1", 1);
  ASSERT_OK(Tx([&](StoreTransaction& tx) { return tx.AppendHistory(e); }));

  Status update = soci().ExecuteForTesting("UPDATE history SET event = 'Forged' WHERE seq = 1");
  EXPECT_FALSE(update.ok());
  EXPECT_TRUE(update.IsConflict()) << update.ToString();
  Status del = soci().ExecuteForTesting("DELETE FROM history");
  EXPECT_FALSE(del.ok());
  EXPECT_TRUE(del.IsConflict()) << del.ToString();

  auto history = store().GetHistory("case-1");
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 1u);
  ExpectSameEvent(e, (*history)[0]);
}

// Store errors name the operation; no SQL and no driver text reach the caller.
TEST_P(SqlStoreContractTest, ErrorsDoNotLeakSql) {
  Status s = soci().ExecuteForTesting("SELECT secret_column FROM no_such_table");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::kInternal) << s.ToString();
  EXPECT_EQ(s.message(), "store error in execute");
  EXPECT_EQ(s.ToString().find("no_such_table"), std::string::npos);
}

// Open() migrated to the target version once; migrating again is a no-op.
TEST_P(SqlStoreContractTest, MigrationsAppliedOnceAndIdempotent) {
  auto version = soci().CurrentSchemaVersion();
  ASSERT_TRUE(version.ok()) << version.status().ToString();
  EXPECT_EQ(version.value(), adapters::SociCaseStore::TargetSchemaVersion());
  EXPECT_OK(soci().Migrate());
  auto applied = soci().AppliedSchemaVersions();
  ASSERT_TRUE(applied.ok());
  std::vector<int> expected;
  for (const adapters::Migration& m : adapters::SchemaMigrations(soci().backend())) expected.push_back(m.version);
  EXPECT_EQ(applied.value(), expected);
}

// A database at version 2 (before departments, overdue flags and users)
// migrates to the target: its cases get no department, and those whose data
// says "overdue": true get the flag the overdue query reads.
TEST_P(SqlStoreContractTest, MigrationFromVersion2BackfillsOverdueFlag) {
  testing::ScratchSqliteFile file;
  std::unique_ptr<testing::ScratchPgDatabase> pg;
  std::string url = file.url();
  if (GetParam() == "postgresql") {
    pg = std::make_unique<testing::ScratchPgDatabase>();
    ASSERT_TRUE(pg->ok()) << pg->status().ToString();
    url = pg->url();
  }
  const adapters::StoreBackend backend = soci().backend();
  ASSERT_OK(adapters::ExecuteOnce(
      url, "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"));
  for (const adapters::Migration& m : adapters::SchemaMigrations(backend)) {
    if (m.version > 2) break;
    for (const std::string& statement : m.statements) ASSERT_OK(adapters::ExecuteOnce(url, statement));
    ASSERT_OK(adapters::ExecuteOnce(url, "INSERT INTO schema_migrations (version, applied_at) VALUES (" +
                                             std::to_string(m.version) + ", '2025-01-01T00:00:00Z')"));
  }
  auto insert_v2_case = [&](const std::string& id, const std::string& outcome, const std::string& data) {
    return adapters::ExecuteOnce(
        url,
        "INSERT INTO cases (id, workflow, definition_version, subject, state, outcome, reason, "
        "version, policy_id, policy_version, policy_hash, data, parent_id, history_head, "
        "created_at, updated_at) VALUES ('" +
            id + "', 'verification', 1, 'S1', 'Open', '" + outcome + "', '', 1, 'p', '1', 'h', '" + data +
            "', '', 'h', "
            "'2025-01-01T00:00:00Z', '2025-01-02T00:00:00Z')");
  };
  ASSERT_OK(insert_v2_case("v-1", "pending", R"({"overdue":true,"n":1})"));
  ASSERT_OK(insert_v2_case("v-2", "pending", R"({"overdue":false})"));
  ASSERT_OK(insert_v2_case("v-3", "verified", R"({"overdue":true})"));
  ASSERT_OK(insert_v2_case("v-4", "pending", R"({"overdue":"true"})"));
  ASSERT_OK(insert_v2_case("v-5", "pending", R"({"nested":{"overdue":true}})"));
  ASSERT_OK(insert_v2_case("v-6", "pending", R"({})"));

  adapters::StoreOptions options;
  options.migrate = false;
  auto old = adapters::SociCaseStore::Open(url, options);
  ASSERT_TRUE(old.ok()) << old.status().ToString();
  EXPECT_EQ(old.value()->CurrentSchemaVersion().value(), 2);
  old.value().reset();

  auto migrated = adapters::SociCaseStore::Open(url);
  ASSERT_TRUE(migrated.ok()) << migrated.status().ToString();
  adapters::SociCaseStore& store = *migrated.value();
  EXPECT_EQ(store.CurrentSchemaVersion().value(), adapters::SociCaseStore::TargetSchemaVersion());
  auto c = store.GetCase("v-1");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->department, "");
  EXPECT_EQ(c->data, (Json{{"overdue", true}, {"n", 1}}));
  CaseQuery q;
  q.overdue_on = Day("2025-01-01");
  auto overdue = store.FindCases(q);
  ASSERT_TRUE(overdue.ok()) << overdue.status().ToString();
  EXPECT_EQ(CaseIds(overdue.value()), std::vector<std::string>{"v-1"});
  // The new table is there too.
  EXPECT_OK(store.PutUser(MakeUser("alice")));
  EXPECT_TRUE(store.FindUserByTokenHash(engine::TokenHash("token-alice")).ok());
}

// A database at version 3 migrates to cases.closed: a case with an outcome
// is closed, except a commitment or false-commitment case whose rectification
// is ordered (not concluded), which stays open; pending cases stay open.
TEST_P(SqlStoreContractTest, MigrationToClosedKeepsRectificationOrderedOpen) {
  testing::ScratchSqliteFile file;
  std::unique_ptr<testing::ScratchPgDatabase> pg;
  std::string url = file.url();
  if (GetParam() == "postgresql") {
    pg = std::make_unique<testing::ScratchPgDatabase>();
    ASSERT_TRUE(pg->ok()) << pg->status().ToString();
    url = pg->url();
  }
  const adapters::StoreBackend backend = soci().backend();
  ASSERT_OK(adapters::ExecuteOnce(
      url, "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"));
  for (const adapters::Migration& m : adapters::SchemaMigrations(backend)) {
    if (m.version > 3) break;
    for (const std::string& statement : m.statements) ASSERT_OK(adapters::ExecuteOnce(url, statement));
    ASSERT_OK(adapters::ExecuteOnce(url, "INSERT INTO schema_migrations (version, applied_at) VALUES (" +
                                             std::to_string(m.version) + ", '2025-01-01T00:00:00Z')"));
  }
  auto insert_v3_case = [&](const std::string& id, const std::string& workflow, const std::string& state,
                            const std::string& outcome) {
    return adapters::ExecuteOnce(url,
                                 "INSERT INTO cases (id, workflow, definition_version, subject, state, outcome, "
                                 "reason, version, policy_id, policy_version, policy_hash, data, parent_id, "
                                 "history_head, created_at, updated_at) VALUES ('" +
                                     id + "', '" + workflow + "', 1, 'S1', '" + state + "', '" + outcome +
                                     "', '', 1, 'p', '1', 'h', '{}', '', 'h', "
                                     "'2025-01-01T00:00:00Z', '2025-01-02T00:00:00Z')");
  };
  ASSERT_OK(insert_v3_case("m-1", "commitment", "RectificationOrdered", "rectification_ordered"));
  ASSERT_OK(insert_v3_case("m-2", "commitment", "Fulfilled", "fulfilled"));
  ASSERT_OK(insert_v3_case("m-3", "commitment", "UnderVerification", "pending"));
  ASSERT_OK(insert_v3_case("m-4", "false_commitment", "RectificationOrdered", "rectification_ordered"));
  ASSERT_OK(insert_v3_case("m-5", "false_commitment", "Revoked", "revoked"));
  ASSERT_OK(insert_v3_case("m-6", "subject", "Registered", "registered"));

  auto migrated = adapters::SociCaseStore::Open(url);
  ASSERT_TRUE(migrated.ok()) << migrated.status().ToString();
  adapters::SociCaseStore& store = *migrated.value();
  CaseQuery q;
  q.open_only = true;
  auto open = store.FindCases(q);
  ASSERT_TRUE(open.ok()) << open.status().ToString();
  EXPECT_EQ(CaseIds(open.value()), (std::vector<std::string>{"m-1", "m-3", "m-4"}));
  EXPECT_TRUE(store.GetCase("m-2")->closed);
  EXPECT_FALSE(store.GetCase("m-1")->closed);
}

// The token lookup (every HTTP request) runs one statement, prepared once
// per connection.
TEST_P(SqlStoreContractTest, TokenLookupIsPreparedOnce) {
  adapters::StoreOptions options;
  options.pool_size = 1;
  auto opened = adapters::SociCaseStore::Open(holder_.url(), options);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  adapters::SociCaseStore& one = *opened.value();
  ASSERT_OK(one.PutUser(MakeUser("alice")));
  ASSERT_TRUE(one.FindUserByTokenHash(engine::TokenHash("token-alice")).ok());
  const uint64_t warm = one.StatementsPreparedForTesting();
  for (int i = 0; i < 5; ++i) {
    auto found = one.FindUserByTokenHash(engine::TokenHash(i % 2 ? "token-alice" : "other"));
    ASSERT_TRUE(found.ok()) << found.status().ToString();
    EXPECT_EQ(found->has_value(), i % 2 == 1);
  }
  EXPECT_EQ(one.StatementsPreparedForTesting(), warm) << "the lookup was prepared again";
}

// Each pooled connection prepares a statement once and reuses it; a
// statement error makes that connection start again with fresh statements,
// and they work.
TEST_P(SqlStoreContractTest, StatementsArePreparedOncePerConnection) {
  adapters::StoreOptions options;
  options.pool_size = 1;
  auto opened = adapters::SociCaseStore::Open(holder_.url(), options);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  adapters::SociCaseStore& one = *opened.value();

  auto transition = [&](int64_t from) {
    return one.RunInTransaction([&](StoreTransaction& tx) {
      auto c = tx.LoadCase("case-1");
      if (!c.ok()) return c.status();
      CREDFLOW_RETURN_IF_ERROR(tx.LoadSubjectFacts(c->subject).status());
      Case next = c.value();
      next.version = from + 1;
      CREDFLOW_RETURN_IF_ERROR(tx.UpdateCase(next, from));
      return tx.AppendHistory(MakeEvent("case-1", from));
    });
  };
  ASSERT_OK(one.RunInTransaction([&](StoreTransaction& tx) { return tx.InsertCase(MakeCase("case-1")); }));
  ASSERT_OK(transition(1));
  ASSERT_TRUE(one.GetCase("case-1").ok());
  const uint64_t warm = one.StatementsPreparedForTesting();
  EXPECT_GE(warm, 4u);  // insert, load with facts, update, append, get

  for (int64_t v = 2; v < 6; ++v) ASSERT_OK(transition(v));
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(one.GetCase("case-1").ok());
  EXPECT_EQ(one.StatementsPreparedForTesting(), warm) << "a statement was prepared again";

  // A statement fails (history of an unknown case): the next use of the
  // connection prepares afresh, and every statement still works.
  Status doomed = one.RunInTransaction([&](StoreTransaction& tx) { return tx.AppendHistory(MakeEvent("ghost", 1)); });
  EXPECT_TRUE(doomed.IsNotFound()) << doomed.ToString();
  ASSERT_OK(transition(6));
  auto read = one.GetCase("case-1");
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->version, 7);
  EXPECT_GT(one.StatementsPreparedForTesting(), warm);
  auto history = one.GetHistory("case-1");
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history->size(), 6u);
}

// A read on a pooled connection sees what another connection committed
// after that connection's previous read (a prepared SQLite statement left
// mid-result would hold the old snapshot).
TEST_P(SqlStoreContractTest, ReadsSeeLaterCommitsOfOtherConnections) {
  adapters::StoreOptions options;
  options.pool_size = 1;
  auto reader = adapters::SociCaseStore::Open(holder_.url(), options);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  Insert(MakeCase("case-1"));
  for (int64_t seq = 1; seq <= 3; ++seq) {
    auto c = reader.value()->GetCase("case-1");  // one row of a one-row result
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    EXPECT_EQ(c->version, seq);
    ASSERT_OK(Tx([&](StoreTransaction& tx) {
      Case next = c.value();
      next.version = seq + 1;
      CREDFLOW_RETURN_IF_ERROR(tx.UpdateCase(next, seq));
      return tx.AppendHistory(MakeEvent("case-1", seq));
    }));
    auto history = reader.value()->GetHistory("case-1");
    ASSERT_TRUE(history.ok()) << history.status().ToString();
    EXPECT_EQ(history->size(), static_cast<size_t>(seq));
  }
  EXPECT_EQ(reader.value()->GetCase("case-1")->version, 4);
}

// Committed data survives closing the store and opening it again.
TEST_P(SqlStoreContractTest, CommittedDataSurvivesReopen) {
  Case c = MakeCase("case-1");
  Insert(c);
  auto reopened = adapters::SociCaseStore::Open(holder_.url());
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  auto read = reopened.value()->GetCase("case-1");
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ExpectSameCase(c, read.value());
}

INSTANTIATE_TEST_SUITE_P(Stores, SqlStoreContractTest, ::testing::Values("sqlite", "postgresql"), StoreName);

// ---- URLs ------------------------------------------------------------------------

class StoreUrlContractTest : public ::testing::TestWithParam<std::string> {};

// Each backend's URL forms parse, and the parsed form never shows a password.
TEST_P(StoreUrlContractTest, UrlFormsParse) {
  if (GetParam() == "sqlite") {
    auto url = adapters::ParseStoreUrl("sqlite:/var/lib/credflow/store db=1.sqlite");
    ASSERT_TRUE(url.ok()) << url.status().ToString();
    EXPECT_EQ(url->backend, adapters::StoreBackend::kSqlite);
    EXPECT_EQ(url->connect_string, "db=\"/var/lib/credflow/store db=1.sqlite\"");
    EXPECT_FALSE(adapters::ParseStoreUrl("sqlite:").ok());
    return;
  }
  auto uri = adapters::ParseStoreUrl(
      "postgresql://cf%20user:p%40ss'w%5Cd@db.example.org:6543/credflow?sslmode=require&connect_timeout=5");
  EXPECT_FALSE(uri.ok());  // a space in the user cannot pass SOCI 4.0.3
  EXPECT_EQ(uri.status().ToString().find("p@ss"), std::string::npos);

  uri = adapters::ParseStoreUrl(
      "postgresql://cf:p%40ss'w%5Cd@db.example.org:6543/credflow?sslmode=require&connect_timeout=5");
  ASSERT_TRUE(uri.ok()) << uri.status().ToString();
  EXPECT_EQ(uri->backend, adapters::StoreBackend::kPostgresql);
  EXPECT_EQ(uri->connect_string,
            "user=cf password=p@ss\\'w\\\\d host=db.example.org port=6543 dbname=credflow "
            "sslmode=require connect_timeout=5");
  EXPECT_EQ(uri->redacted.find("p%40ss"), std::string::npos) << uri->redacted;
  EXPECT_NE(uri->redacted.find("***"), std::string::npos) << uri->redacted;

  auto ipv6 = adapters::ParseStoreUrl("postgres://[::1]:5432,other:5433/db");
  ASSERT_TRUE(ipv6.ok()) << ipv6.status().ToString();
  EXPECT_EQ(ipv6->connect_string, "host=::1,other port=5432,5433 dbname=db");

  auto keywords = adapters::ParseStoreUrl("postgresql:host=h port=1 password=sekrit dbname=d");
  ASSERT_TRUE(keywords.ok());
  EXPECT_EQ(keywords->connect_string, "host=h port=1 password=sekrit dbname=d");
  EXPECT_EQ(keywords->redacted.find("sekrit"), std::string::npos) << keywords->redacted;

  EXPECT_EQ(adapters::ParseStoreUrl("mysql://x").status().reason(), "invalid_store_url");
  EXPECT_FALSE(adapters::ParseStoreUrl("postgresql://h:port/db").ok());
}

// A libpq URI opens the same database as the keyword form it came from.
TEST_P(StoreUrlContractTest, UriOpensTheDatabase) {
  if (GetParam() == "sqlite") {
    testing::ScratchSqliteFile file;
    auto store = adapters::SociCaseStore::Open(file.url());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    EXPECT_EQ(store.value()->backend(), adapters::StoreBackend::kSqlite);
    return;
  }
  testing::ScratchPgDatabase db;
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  // Rebuild the keyword conninfo as a URI.
  std::string host = "127.0.0.1", port = "5432", user = "postgres";
  std::istringstream in(testing::TestPgConninfo());
  std::string token;
  while (in >> token) {
    size_t eq = token.find('=');
    if (eq == std::string::npos) continue;
    std::string key = token.substr(0, eq), value = token.substr(eq + 1);
    if (key == "host") host = value;
    if (key == "port") port = value;
    if (key == "user") user = value;
  }
  std::string uri =
      "postgresql://" + user + "@" + host + ":" + port + "/" + db.name() + "?application_name=credflow_test";
  auto store = adapters::SociCaseStore::Open(uri);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  Case c = MakeCase("case-uri");
  ASSERT_OK(store.value()->RunInTransaction([&](StoreTransaction& tx) { return tx.InsertCase(c); }));
  store.value().reset();

  auto keyword_store = adapters::SociCaseStore::Open(db.url());
  ASSERT_TRUE(keyword_store.ok()) << keyword_store.status().ToString();
  EXPECT_TRUE(keyword_store.value()->GetCase("case-uri").ok());
}

// An unreachable server is Unavailable, and the message hides the password.
TEST_P(StoreUrlContractTest, UnreachableStoreIsUnavailable) {
  std::string url = GetParam() == "sqlite" ? "sqlite:/nonexistent-dir-credflow/x/store.db"
                                           : "postgresql:host=127.0.0.1 port=1 user=u password=hunter2 dbname=d "
                                             "connect_timeout=2";
  auto store = adapters::SociCaseStore::Open(url);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Status::Code::kUnavailable) << store.status().ToString();
  EXPECT_EQ(store.status().ToString().find("hunter2"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Stores, StoreUrlContractTest, ::testing::Values("sqlite", "postgresql"), StoreName);

// ---- counts for statistics --------------------------------------------------------

// CountCases counts one workflow's cases opened in the period, by UTC hour,
// outcome and a string member of their data (absent or not a string: ""),
// in that order; the period's end is excluded; a bad query is refused.
TEST_P(CaseStoreContractTest, CountCasesByHourOutcomeAndDataMember) {
  auto add = [&](const std::string& id, const std::string& workflow, const std::string& created_at,
                 const std::string& outcome, const engine::Json& type) {
    Case c = MakeCase(id, workflow);
    c.created_at = At(created_at);
    c.outcome = outcome;
    c.data = engine::Json::object();
    if (!type.is_null()) c.data["commitment_type"] = type;
    Insert(c);
  };
  add("c-1", "commitment", "2025-12-31T15:59:59Z", "pending", "food");    // before the period
  add("c-2", "commitment", "2025-12-31T16:00:00Z", "pending", "food");    // its first second
  add("c-3", "commitment", "2025-12-31T16:30:00Z", "pending", "food");    // same hour
  add("c-4", "commitment", "2025-12-31T16:45:00Z", "fulfilled", "fire");  // same hour, another value
  add("c-5", "commitment", "2026-01-31T17:00:00Z", "pending", 7);         // not a string
  add("c-6", "commitment", "2026-02-01T00:00:00Z", "pending", nullptr);   // absent
  add("c-7", "commitment", "2026-12-31T16:00:00Z", "pending", "food");    // the period's end
  add("c-8", "repair", "2026-01-05T02:00:00Z", "approved", "food");       // another workflow
  engine::CaseCountQuery q;
  q.workflow = "commitment";
  q.created_from = At("2025-12-31T16:00:00Z");
  q.created_to = At("2026-12-31T16:00:00Z");
  q.data_member = "commitment_type";
  auto counted = store().CountCases(q);
  ASSERT_OK(counted);
  auto text = [](const std::vector<engine::CaseCount>& counts) {
    std::vector<std::string> out;
    for (const engine::CaseCount& c : counts) {
      out.push_back(c.created_hour + "|" + c.outcome + "|" + c.data_value + "|" + std::to_string(c.count));
    }
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(text(*counted), (V{"2025-12-31T16|fulfilled|fire|1", "2025-12-31T16|pending|food|2",
                               "2026-01-31T17|pending||1", "2026-02-01T00|pending||1"}));
  q.data_member.clear();  // by hour and outcome only
  counted = store().CountCases(q);
  ASSERT_OK(counted);
  EXPECT_EQ(text(*counted), (V{"2025-12-31T16|fulfilled||1", "2025-12-31T16|pending||2", "2026-01-31T17|pending||1",
                               "2026-02-01T00|pending||1"}));
  q.workflow = "repair";
  counted = store().CountCases(q);
  ASSERT_OK(counted);
  EXPECT_EQ(text(*counted), (V{"2026-01-05T02|approved||1"}));
  q.data_member = "type'); DROP TABLE cases; --";
  EXPECT_EQ(store().CountCases(q).status().reason(), "invalid_query");
  for (const char* bad : {".draw", "draw.", "draw..grade", "a.b.c.d.e", "draw.Grade"}) {
    q.data_member = bad;
    EXPECT_EQ(store().CountCases(q).status().reason(), "invalid_query") << bad;
  }
  q.data_member.clear();
  q.created_to = q.created_from;
  EXPECT_EQ(store().CountCases(q).status().reason(), "invalid_query") << "an empty period";
  q.created_to = At("2026-12-31T16:00:00Z");
  q.workflow.clear();
  EXPECT_EQ(store().CountCases(q).status().reason(), "invalid_query") << "no workflow";
}

// A member nested in objects is named by its path (draw.grade): a string
// there counts, anything else on the way (absent, not an object, not a
// string) is "".
TEST_P(CaseStoreContractTest, CountCasesByANestedDataMember) {
  auto add = [&](const std::string& id, const std::string& outcome, const engine::Json& data) {
    Case c = MakeCase(id, "verification");
    c.created_at = At("2026-03-02T01:00:00Z");
    c.outcome = outcome;
    c.data = data;
    Insert(c);
  };
  add("v-1", "exempted", {{"draw", {{"grade", "A"}}}});
  add("v-2", "pending", {{"draw", {{"grade", "A"}}}});
  add("v-3", "exempted", {{"draw", {{"grade", "A"}}}});
  add("v-4", "pending", {{"draw", {{"grade", "C"}, {"selected", true}}}});
  add("v-5", "pending", {{"draw", "A"}});                     // not an object on the way
  add("v-6", "pending", {{"draw", {{"grade", 3}}}});          // not a string
  add("v-7", "pending", {{"grade", "B"}});                    // another path
  add("v-8", "pending", {{"draw", {{"grade", "O'Brien"}}}});  // quoted as data, not SQL
  engine::CaseCountQuery q;
  q.workflow = "verification";
  q.created_from = At("2026-01-01T00:00:00Z");
  q.created_to = At("2027-01-01T00:00:00Z");
  q.data_member = "draw.grade";
  auto counted = store().CountCases(q);
  ASSERT_OK(counted);
  std::vector<std::string> text;
  for (const engine::CaseCount& c : *counted)
    text.push_back(c.outcome + "|" + c.data_value + "|" + std::to_string(c.count));
  EXPECT_EQ(text, (std::vector<std::string>{"exempted|A|2", "pending||3", "pending|A|1", "pending|C|1",
                                            "pending|O'Brien|1"}));
}

}  // namespace
}  // namespace credflow
