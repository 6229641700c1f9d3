// The HTTP API over real sockets: Poco's server on port 0 in this process,
// a SQLite store, a manual clock, and a Poco client. Every route, every role,
// the bad inputs with their exact status and problem body, idempotent
// retries, If-Match, metrics, and the OpenAPI document against the routes.
#include <gtest/gtest.h>

#include <boost/algorithm/string/case_conv.hpp>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "adapters/crypto/password.h"
#include "adapters/http/api.h"
#include "adapters/http/server.h"
#include "adapters/store/soci_case_store.h"
#include "engine/case_service.h"
#include "engine/clock.h"
#include "engine/user.h"
#include "tests/support/api_server_fixture.h"
#include "tests/support/http_client.h"
#include "tests/support/join_workflows.h"
#include "tests/support/shipped_rules.h"
#include "tests/support/status_matchers.h"
#include "tests/support/test_databases.h"
#include "workflows/commitment/commitment_workflow.h"
#include "workflows/record/record_workflow.h"
#include "workflows/registry.h"
#include "workflows/repair/repair_workflow.h"
#include "workflows/subject/subject_service.h"

namespace credflow {
namespace {

using engine::Json;
using engine::Role;
using testing::HttpClient;
using testing::HttpReply;

constexpr const char* kSubject = "91320500L968FMY61Q";
constexpr const char* kOtherSubject = "91320500UNC8626R9D";

using testing::FoodLetter;

// One anchor that seals nothing, so that the anchor routes have a file to
// list and check (AnchorFolder, the real shelf, is tested below).
class OneAnchorShelf : public adapters::http::AnchorShelf {
 public:
  engine::Result<std::vector<std::string>> Names() const override {
    return std::vector<std::string>{"credflow-anchor-20250303T000000Z.json"};
  }
  engine::Result<adapters::http::ShelvedAnchor> Open(const std::string& name) const override {
    if (name != "credflow-anchor-20250303T000000Z.json") return engine::Status::NotFound("anchor_not_found", name);
    adapters::http::ShelvedAnchor a;
    a.name = name;
    a.signature_ok = true;
    a.statement = engine::MakeAnchorStatement({}, engine::Timestamp{}, "test");
    return a;
  }
};

Json Filing(const std::string& subject = kSubject) { return testing::FoodFiling(subject); }

// The problem body without the fields a test does not pin (detail wording).
Json ProblemCore(const HttpReply& r) {
  Json j = r.Json();
  if (j.is_object()) j.erase("detail");
  return j;
}

class HttpApiTest : public testing::ApiServerTest {
 protected:
  void AddWorkflows(engine::WorkflowRegistry& registry) override { registry.Add(testing::NewTaskWorkflow()); }

  void SetUp() override {
    ApiServerTest::SetUp();
    if (HasFatalFailure()) return;
    AddUser("carol", Role::kCaseworker, "", kCaseworker);
    AddUser("audra", Role::kAuditor, "", kAuditor);
    AddUser("root", Role::kAdmin, "", kAdmin);
    AddUser("mkt", Role::kDepartment, "market", kMarket);
    AddUser("tax", Role::kDepartment, "tax", kTax);
    StartServer();
  }

  void StartServer() {
    adapters::http::ApiOptions options;
    options.auth_cache_ttl = std::chrono::milliseconds(0);  // see disabled users at once
    // The matrix sends a missing and a wrong token to every route from one
    // address; the back-off has its own tests (http_hardening_test.cc).
    options.auth_backoff.failure_limit = 0;
    options.anchors = &anchors_;
    adapters::http::ServerOptions server;
    server.threads = 8;
    server.queue = 64;
    server.keep_alive_seconds = 5;
    ApiServerTest::StartServer(options, server);
  }

  OneAnchorShelf anchors_;

  // A task of `dept` (the test-only "task" workflow: Pending --Decide--> Decided).
  std::string OpenTask(const std::string& dept) {
    engine::OpenCaseRequest open;
    open.workflow = "task";
    open.subject = kOtherSubject;
    open.department = dept;
    open.actor = engine::Actor{"system", "system", ""};
    auto r = service_->Open(open);
    EXPECT_OK(r);
    return r.ok() ? r->case_id : "";
  }

  // A dishonesty record of `dept` on 信用中国 (Order 58, decided 2024-06-03:
  // repairable from 2024-09-04), its fine paid; returns the record's id.
  // A dishonesty record of `dept`, its obligations performed unless `fulfilled` is false.
  std::string Record(const std::string& dept, bool fulfilled = true) {
    workflows::record::RecordDishonestyRequest r;
    r.subject = kSubject;
    r.record = RecordBody(dept);
    r.record.erase("subject");
    r.actor = engine::Actor{"clerk", "caseworker", ""};
    auto recorded = workflows::record::RecordDishonesty(*service_, r);
    EXPECT_OK(recorded);
    if (!recorded.ok() || !fulfilled) return recorded.ok() ? recorded->case_id : "";
    engine::FireEventRequest paid;
    paid.case_id = recorded->case_id;
    paid.event = engine::EventInput{"ObligationsFulfilled", Json::object(), r.actor};
    EXPECT_OK(service_->Fire(paid));
    return recorded->case_id;
  }
  // A record body of its own: each call fines another amount (the same
  // record twice is refused as record_exists).
  static Json RecordBody(const std::string& dept) {
    static int next = 0;
    return {{"subject", kSubject}, {"department", dept},    {"platform", "credit_china"}, {"kind", "penalty"},
            {"tier", "general"},   {"penalties", {"fine"}}, {"amount", 20000 + ++next},   {"decided_on", "2024-06-03"}};
  }
  static Json AllDocuments() { return {"repair_commitment", "proof_of_performance", "business_licence", "agent_id"}; }

  // A repair application for one fresh record of `dept` with `documents`.
  std::string Repair(const std::string& dept, Json documents = AllDocuments()) {
    workflows::repair::RepairApplicationRequest r;
    r.subject = kSubject;
    r.records = {Record(dept)};
    for (const Json& d : documents) r.documents.push_back(d.get<std::string>());
    r.actor = engine::Actor{"clerk", "caseworker", ""};
    auto applied = workflows::repair::ApplyForRepair(*service_, r);
    EXPECT_OK(applied);
    return applied.ok() ? applied->case_id : "";
  }
  // The department task of a fresh application.
  std::string RepairTask(const std::string& dept) {
    auto task = workflows::repair::FindTask(*service_, Repair(dept), dept);
    EXPECT_OK(task);
    return task.ok() ? *task : "";
  }
  // An application its department approved (delivered and joined).
  std::string ApprovedRepair(const std::string& dept) {
    const std::string application = Repair(dept);
    auto task = workflows::repair::FindTask(*service_, application, dept);
    EXPECT_OK(task);
    engine::FireEventRequest approve;
    approve.case_id = task.ok() ? *task : "";
    approve.event = engine::EventInput{"TaskDecided", Json{{"decision", "approve"}}, {"d", "department", dept}};
    EXPECT_OK(service_->Fire(approve));
    EXPECT_OK(service_->FireDueTimers());
    return application;
  }

  // Files a simplified-deregistration undertaking (in publication for 20 d)
  // through the engine; returns its id.
  std::string OpenDeregistration() {
    workflows::commitment::FileCommitmentRequest r;
    r.subject = kOtherSubject;
    r.commitment_type = "simplified_deregistration";
    r.form = {{"applicant_name", "苏州恒越贸易有限公司"},
              {"legal_representative", "陈立"},
              {"investors", {"陈立"}},
              {"no_outstanding_debts", true},
              {"signed_on", service_->clock().Today().ToString()}};
    r.actor = engine::Actor{"clerk", "caseworker", ""};
    auto filed = workflows::commitment::FileCommitment(*service_, r);
    EXPECT_OK(filed);
    return filed.ok() ? filed->case_id : "";
  }

  // Files a food-permit commitment over HTTP; returns its id.
  std::string File(const std::string& token = kCaseworker, const std::string& subject = kSubject) {
    HttpReply r = client_->Post("/v1/commitments", token, Filing(subject));
    EXPECT_EQ(r.status, 201) << r.body;
    return r.Json().value("id", "");
  }

  std::string VerificationOf(const std::string& commitment) {
    HttpReply r = client_->Get("/v1/cases/" + commitment, kCaseworker);
    const Json children = r.Json().value("children", Json::array());
    return children.empty() ? "" : children[0].value("id", "");
  }

  static constexpr const char* kCaseworker = "cf_test_caseworker_token_0123456789";
  static constexpr const char* kAuditor = "cf_test_auditor_token_0123456789abc";
  static constexpr const char* kAdmin = "cf_test_admin_token_0123456789abcdef";
  static constexpr const char* kMarket = "cf_test_market_token_0123456789abcd";
  static constexpr const char* kTax = "cf_test_tax_token_0123456789abcdefgh";
};

// ---- the lifecycle ----------------------------------------------------------

TEST_F(HttpApiTest, FilingACommitmentAnswers201WithLocationAndETag) {
  HttpReply r = client_->Post("/v1/commitments", kCaseworker, Filing());
  ASSERT_EQ(r.status, 201) << r.body;
  const Json body = r.Json();
  const std::string id = body.value("id", "");
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(r.Header("Location"), "/v1/cases/" + id);
  EXPECT_EQ(r.Header("ETag"), "\"" + std::to_string(body.value("version", 0)) + "\"");
  EXPECT_EQ(r.Header("Content-Type"), "application/json");
  EXPECT_EQ(body.value("state", ""), "UnderVerification");
  EXPECT_EQ(body.value("workflow", ""), "commitment");
  EXPECT_EQ(body.value("outcome", ""), "pending");

  HttpReply view = client_->Get("/v1/cases/" + id, kCaseworker);
  ASSERT_EQ(view.status, 200) << view.body;
  const Json v = view.Json();
  EXPECT_EQ(view.Header("ETag"), r.Header("ETag"));
  EXPECT_EQ(v.value("subject", ""), kSubject);
  EXPECT_EQ(v["policy"].value("id", ""), "commitment");
  EXPECT_EQ(v["data"].value("subject_name", ""), "苏州禾丰餐饮管理有限公司");
  ASSERT_EQ(v["children"].size(), 1u);
  EXPECT_EQ(v["children"][0].value("workflow", ""), "verification");
  EXPECT_EQ(v["children"][0].value("state", ""), "Scheduled");
  EXPECT_EQ(v["commitment_route"].value("route", ""), "allowed");
  EXPECT_TRUE(v["events_allowed"].is_array());

  // The verification child carries the window as an open deadline: food
  // permits are verified on site within 30 working days (policy).
  HttpReply child = client_->Get("/v1/cases/" + v["children"][0].value("id", ""), kCaseworker);
  ASSERT_EQ(child.status, 200);
  const Json deadlines = child.Json()["deadlines"];
  ASSERT_EQ(deadlines.size(), 1u) << child.body;
  EXPECT_EQ(deadlines[0].value("due_on", ""), "2025-04-15");
  EXPECT_EQ(deadlines[0].value("overdue", true), false);
  EXPECT_EQ(child.Json()["events_allowed"],
            Json({"VerificationStarted", "VerificationReported", "VerificationOverdue"}));
}

// Each event is sent with the current ETag as If-Match; once timers run the
// commitment is fulfilled, and the history chains every event and verifies.
TEST_F(HttpApiTest, AVerificationRunsToFulfilmentAndTheHistoryNamesTheActor) {
  const std::string commitment = File();
  const std::string verification = VerificationOf(commitment);
  ASSERT_FALSE(verification.empty());
  const std::string etag = client_->Get("/v1/cases/" + verification, kCaseworker).Header("ETag");

  HttpReply started = client_->Post("/v1/cases/" + verification + "/events", kCaseworker,
                                    {{"event", "VerificationStarted"}, {"data", Json::object()}}, {{"If-Match", etag}});
  ASSERT_EQ(started.status, 200) << started.body;
  EXPECT_EQ(started.Json().value("state", ""), "InProgress");
  EXPECT_NE(started.Header("ETag"), etag);

  HttpReply reported =
      client_->Post("/v1/cases/" + verification + "/events", kCaseworker,
                    {{"event", "VerificationReported"}, {"data", {{"form", {{"result", "conforming"}}}}}},
                    {{"If-Match", started.Header("ETag")}});
  ASSERT_EQ(reported.status, 200) << reported.body;
  EXPECT_EQ(reported.Json().value("state", ""), "Conforming");

  // The child's outcome reaches the commitment through the timer path.
  ASSERT_TRUE(service_->FireDueTimers().ok());
  EXPECT_EQ(client_->Get("/v1/cases/" + commitment, kCaseworker).Json().value("state", ""), "Fulfilled");

  HttpReply history = client_->Get("/v1/cases/" + verification + "/history", kAuditor);
  ASSERT_EQ(history.status, 200) << history.body;
  const Json events = history.Json()["events"];
  ASSERT_GE(events.size(), 3u);
  const Json& last = events.back();
  EXPECT_EQ(last.value("event", ""), "VerificationReported");
  EXPECT_EQ(last["actor"], Json({{"user", "carol"}, {"role", "caseworker"}, {"department", ""}}));
  EXPECT_EQ(last.value("prev_hash", ""), events[events.size() - 2].value("hash", ""));

  HttpReply verify = client_->Get("/v1/cases/" + verification + "/history/verify", kAuditor);
  ASSERT_EQ(verify.status, 200) << verify.body;
  EXPECT_EQ(verify.Json(),
            Json({{"case", verification}, {"intact", true}, {"events", events.size()}, {"broken", nullptr}}));
}

// Even an edit made after dropping the no-update trigger is caught: the hash
// chain breaks at the edited event, and verify names its sequence number.
TEST_F(HttpApiTest, HistoryVerifyNamesATamperedEvent) {
  const std::string commitment = File();
  ASSERT_TRUE(store_->ExecuteForTesting("DROP TRIGGER history_no_update").ok());
  ASSERT_TRUE(store_
                  ->ExecuteForTesting("UPDATE history SET actor_user = 'mallory' WHERE case_id = '" + commitment +
                                      "' AND seq = 2")
                  .ok());
  HttpReply verify = client_->Get("/v1/cases/" + commitment + "/history/verify", kAuditor);
  ASSERT_EQ(verify.status, 200) << verify.body;
  EXPECT_EQ(verify.Json().value("intact", true), false);
  EXPECT_EQ(verify.Json()["broken"].value("seq", 0), 2);
}

// ---- bad inputs: exact status and problem body --------------------------------

TEST_F(HttpApiTest, MalformedJsonIs400) {
  HttpReply r = client_->Send("POST", "/v1/commitments", kCaseworker, "{\"subject\": ");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.Header("Content-Type"), "application/problem+json");
  EXPECT_EQ(ProblemCore(r), Json({{"type", "urn:credflow:problem:malformed_json"},
                                  {"title", "Bad Request"},
                                  {"status", 400},
                                  {"code", "malformed_json"},
                                  {"instance", "/v1/commitments"}}));
  // The detail says where the text stops being JSON.
  EXPECT_EQ(r.Json().value("detail", "").rfind("the request body is not valid JSON (near byte ", 0), 0u) << r.body;
}

TEST_F(HttpApiTest, UnknownFieldsAre422WithOneErrorEach) {
  Json body = Filing();
  body["priority"] = "high";
  body["subject"]["nickname"] = "x";
  HttpReply r = client_->Post("/v1/commitments", kCaseworker, body);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(ProblemCore(r), Json({{"type", "urn:credflow:problem:unknown_field"},
                                  {"title", "Unprocessable Content"},
                                  {"status", 422},
                                  {"code", "unknown_field"},
                                  {"instance", "/v1/commitments"},
                                  {"errors",
                                   {{{"field", "priority"},
                                     {"code", "unknown_field"},
                                     {"message", "priority is not a field of this request"}}}}}));
  // The subject's own fields are checked once the top level is right.
  body.erase("priority");
  r = client_->Post("/v1/commitments", kCaseworker, body);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.Json()["errors"], Json({{{"field", "subject.nickname"},
                                       {"code", "unknown_field"},
                                       {"message", "subject.nickname is not a field of this request"}}}));
  // An unknown field of the letter is the form's business: invalid_form.
  body = Filing();
  body["form"]["favourite_colour"] = "red";
  r = client_->Post("/v1/commitments", kCaseworker, body);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.Json().value("code", ""), "invalid_form");
  EXPECT_EQ(r.Json()["errors"][0].value("field", ""), "favourite_colour");
  EXPECT_EQ(r.Json()["errors"][0].value("code", ""), "unknown_field");
}

TEST_F(HttpApiTest, MissingFieldsAre422) {
  HttpReply r = client_->Post("/v1/commitments", kCaseworker, {{"type", "food_business_permit"}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.Json().value("code", ""), "missing_field");
  EXPECT_EQ(r.Json()["errors"],
            Json({{{"field", "subject"}, {"code", "missing_field"}, {"message", "subject is required"}},
                  {{"field", "form"}, {"code", "missing_field"}, {"message", "form is required"}}}));
}

TEST_F(HttpApiTest, AnInvalidCreditCodeIs422) {
  HttpReply r = client_->Post("/v1/commitments", kCaseworker, Filing("91320500MA1NCRD54Y"));
  EXPECT_EQ(r.status, 422);
  const Json j = r.Json();
  EXPECT_EQ(j.value("type", ""), "urn:credflow:problem:invalid_credit_code");
  EXPECT_EQ(j.value("code", ""), "invalid_credit_code");
  EXPECT_EQ(j.value("detail", ""), "'91320500MA1NCRD54Y' is not a valid unified social credit code");
  ASSERT_EQ(j["errors"].size(), 1u);
  EXPECT_EQ(j["errors"][0].value("field", ""), "subject.code");
  EXPECT_EQ(j["errors"][0].value("code", ""), "invalid_credit_code");
  // Nothing was written.
  EXPECT_EQ(client_->Get("/v1/cases?workflow=commitment", kCaseworker).Json()["items"].size(), 0u);
}

TEST_F(HttpApiTest, AnInvalidLetterIs422WithFieldErrors) {
  Json body = Filing();
  body["form"].erase("premises_address");
  HttpReply r = client_->Post("/v1/commitments", kCaseworker, body);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.Json().value("code", ""), "invalid_form");
  EXPECT_EQ(r.Json()["errors"][0].value("field", ""), "premises_address");
  EXPECT_EQ(r.Json()["errors"][0].value("code", ""), "required");
}

TEST_F(HttpApiTest, AnEventTheStateDoesNotAcceptIs409WithTheEventsItDoes) {
  const std::string commitment = File();
  HttpReply r = client_->Post("/v1/cases/" + commitment + "/events", kCaseworker, {{"event", "CommitmentWithdrawn"}});
  EXPECT_EQ(r.status, 409);
  const Json j = ProblemCore(r);
  EXPECT_EQ(j.value("code", ""), "event_not_allowed");
  EXPECT_EQ(j.value("type", ""), "urn:credflow:problem:event_not_allowed");
  EXPECT_EQ(j.value("title", ""), "Conflict");
  EXPECT_EQ(j.value("state", ""), "UnderVerification");
  EXPECT_EQ(j.value("version", 0), 3);
  EXPECT_EQ(j["events_allowed"], Json({"ChildReachedOutcome"}));
  // An event name no workflow knows is bad input, not a state question.
  r = client_->Post("/v1/cases/" + commitment + "/events", kCaseworker, {{"event", "Teleported"}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.Json().value("code", ""), "unknown_event");
}

// RFC 9110 13.1.1: an If-Match that does not match is 412 Precondition Failed.
TEST_F(HttpApiTest, AStaleIfMatchIs412AndChangesNothing) {
  const std::string v = VerificationOf(File());
  HttpReply r = client_->Post("/v1/cases/" + v + "/events", kCaseworker, {{"event", "VerificationStarted"}},
                              {{"If-Match", "\"1\""}});
  EXPECT_EQ(r.status, 412);
  EXPECT_EQ(r.Header("Content-Type"), "application/problem+json");
  const Json j = ProblemCore(r);
  EXPECT_EQ(j.value("code", ""), "version_mismatch");
  EXPECT_EQ(j.value("state", ""), "Scheduled");
  EXPECT_EQ(r.Header("ETag"), "\"" + std::to_string(j.value("version", 0)) + "\"");
  EXPECT_EQ(client_->Get("/v1/cases/" + v, kCaseworker).Json().value("state", ""), "Scheduled");
  // A tag that is no version at all is a bad header.
  r = client_->Post("/v1/cases/" + v + "/events", kCaseworker, {{"event", "VerificationStarted"}},
                    {{"If-Match", "W/\"2\""}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.Json().value("code", ""), "invalid_header");
}

TEST_F(HttpApiTest, ABodyOverOneMebibyteIs413) {
  std::string big = "{\"subject\":\"" + std::string(adapters::http::kMaxBodyBytes, 'x') + "\"}";
  HttpReply r = client_->Send("POST", "/v1/commitments", kCaseworker, big);
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.Json().value("code", ""), "body_too_large");
  EXPECT_EQ(r.Header("Content-Type"), "application/problem+json");
}

TEST_F(HttpApiTest, WrongMethodIs405WithAllow) {
  HttpReply r = client_->Send("DELETE", "/v1/cases/abc", kCaseworker);
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.Header("Allow"), "GET");
  EXPECT_EQ(r.Json().value("code", ""), "method_not_allowed");
  r = client_->Send("GET", "/v1/commitments", kCaseworker);
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.Header("Allow"), "POST");
}

// Each kind of missing thing (case, route, policy version, workflow, subject)
// has its own 404 code, so a client can tell which lookup failed.
TEST_F(HttpApiTest, UnknownThingsAre404) {
  HttpReply r = client_->Get("/v1/cases/no-such-case", kCaseworker);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.Json().value("code", ""), "case_not_found");
  EXPECT_EQ(client_->Get("/v1/nothing-here", kCaseworker).Json().value("code", ""), "not_found");
  EXPECT_EQ(client_->Get("/v1/policies/commitment/1999.1", kCaseworker).Json().value("code", ""), "policy_not_found");
  EXPECT_EQ(client_->Get("/v1/workflows/teleport", kCaseworker).Json().value("code", ""), "workflow_not_found");
  r = client_->Get(std::string("/v1/subjects/") + kOtherSubject, kCaseworker);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.Json().value("code", ""), "subject_not_found");
  r = client_->Post("/v1/cases/no-such-case/events", kCaseworker, {{"event", "VerificationStarted"}});
  EXPECT_EQ(r.status, 404);
}

// A body that is not JSON is 415; an unknown query parameter or a value out
// of range is 400, never silently ignored.
TEST_F(HttpApiTest, AnotherMediaTypeIs415AndBadQueriesAre400) {
  HttpReply r =
      client_->Send("POST", "/v1/commitments", kCaseworker, Filing().dump(), {{"Content-Type", "text/plain"}});
  EXPECT_EQ(r.status, 415);
  EXPECT_EQ(r.Json().value("code", ""), "unsupported_media_type");
  EXPECT_EQ(client_->Get("/v1/cases?colour=red", kCaseworker).status, 400);
  EXPECT_EQ(client_->Get("/v1/cases?limit=0", kCaseworker).Json().value("code", ""), "invalid_parameter");
  EXPECT_EQ(client_->Get("/v1/cases?overdue=maybe", kCaseworker).status, 400);
  // A workflow or state that does not exist is a typo, named, not an empty list.
  HttpReply typo = client_->Get("/v1/cases?workflow=comitment", kCaseworker);
  EXPECT_EQ(typo.status, 400);
  EXPECT_EQ(typo.Json().value("code", ""), "unknown_workflow");
  EXPECT_NE(typo.Json().value("detail", "").find("commitment"), std::string::npos) << typo.body;
  EXPECT_EQ(client_->Get("/v1/cases?workflow=commitment&state=Scheduled", kCaseworker).Json().value("code", ""),
            "unknown_state");
  EXPECT_EQ(client_->Get("/v1/cases?state=Nowhere", kCaseworker).Json().value("code", ""), "unknown_state");
  EXPECT_EQ(client_->Get("/v1/cases?state=Scheduled", kCaseworker).status, 200);
  EXPECT_EQ(client_->Get("/v1/cases?workflow=verification&state=open", kCaseworker).status, 200);
  EXPECT_EQ(client_->Get("/v1/workflows/commitment?format=png", kCaseworker).status, 400);
  EXPECT_EQ(client_->Get(std::string("/v1/subjects/not-a-code"), kCaseworker).Json().value("code", ""),
            "invalid_credit_code");
}

// ---- idempotency --------------------------------------------------------------

TEST_F(HttpApiTest, ARetryWithTheSameKeyReturnsTheFirstAnswerAndAppliesNothing) {
  const std::map<std::string, std::string> key = {{"Idempotency-Key", "window-1-2025-03-03-0001"}};
  HttpReply first = client_->Post("/v1/commitments", kCaseworker, Filing(), key);
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.Header("Idempotent-Replayed"), "");
  HttpReply again = client_->Post("/v1/commitments", kCaseworker, Filing(), key);
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(again.Header("Location"), first.Header("Location"));
  EXPECT_EQ(again.Header("Idempotent-Replayed"), "true");
  EXPECT_EQ(client_->Get("/v1/cases?workflow=commitment", kCaseworker).Json()["items"].size(), 1u);

  // The key is kept in the store: a new server process (here: a new server
  // on the same store) answers the same.
  server_->Stop(5);
  StartServer();
  HttpReply after_restart = client_->Post("/v1/commitments", kCaseworker, Filing(), key);
  EXPECT_EQ(after_restart.status, 201);
  EXPECT_EQ(after_restart.body, first.body);

  // The same key with another body is refused.
  HttpReply other = client_->Post("/v1/commitments", kCaseworker, Filing(kOtherSubject), key);
  EXPECT_EQ(other.status, 422);
  EXPECT_EQ(other.Json().value("code", ""), "idempotency_key_reused");
  // Keys belong to their user: the admin's same key is a new command.
  EXPECT_EQ(client_->Post("/v1/commitments", kAdmin, Filing(), key).Header("Idempotent-Replayed"), "");
}

// The retry returns the first answer, marked replayed, and adds no history
// event; an Idempotency-Key over 200 characters is 400.
TEST_F(HttpApiTest, AnEventRetriedUnderItsKeyIsAppliedOnce) {
  const std::string v = VerificationOf(File());
  const std::map<std::string, std::string> key = {{"Idempotency-Key", "start-" + v}};
  HttpReply first = client_->Post("/v1/cases/" + v + "/events", kCaseworker, {{"event", "VerificationStarted"}}, key);
  ASSERT_EQ(first.status, 200) << first.body;
  HttpReply again = client_->Post("/v1/cases/" + v + "/events", kCaseworker, {{"event", "VerificationStarted"}}, key);
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(again.Header("Idempotent-Replayed"), "true");
  EXPECT_EQ(client_->Get("/v1/cases/" + v + "/history", kCaseworker).Json()["events"].size(),
            static_cast<size_t>(first.Json().value("version", 0)));
  EXPECT_EQ(client_
                ->Post("/v1/cases/" + v + "/events", kCaseworker, {{"event", "VerificationStarted"}},
                       {{"Idempotency-Key", std::string(201, 'k')}})
                .status,
            400);
}

// ---- authentication and roles ---------------------------------------------------

TEST_F(HttpApiTest, MissingBadAndDisabledTokensAre401) {
  HttpReply r = client_->Get("/v1/cases");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.Header("WWW-Authenticate"), "Bearer realm=\"credflow\"");
  EXPECT_EQ(r.Json().value("code", ""), "missing_token");
  EXPECT_EQ(client_->Get("/v1/cases", "cf_not_a_token").Json().value("code", ""), "invalid_token");
  EXPECT_EQ(client_->Send("GET", "/v1/cases", "", "", {{"Authorization", "Basic YWxpY2U6c2VjcmV0"}}).status, 401);
  ASSERT_TRUE(store_->SetUserDisabled("carol", true).ok());
  EXPECT_EQ(client_->Get("/v1/cases", kCaseworker).status, 401);
}

// One row per route: a target, a body for POSTs, the success status and who
// may call it. Each call gets fresh cases, so an allowed POST always applies.
struct RouteCase {
  std::string method;
  std::string pattern;
  std::function<std::string()> target;
  std::function<Json()> body;
  int success;
  std::set<std::string> allowed;  // token names; the rest get 403
};

// Each route gives 401 without a valid token, 403 to roles it does not admit,
// success to the rest; the rows cover every route, so none goes unchecked.
TEST_F(HttpApiTest, RoleByRouteMatrix) {
  const std::string commitment = File();
  const std::string market_task = OpenTask("market");
  const std::map<std::string, std::string> tokens = {
      {"caseworker", kCaseworker}, {"auditor", kAuditor}, {"admin", kAdmin}, {"market", kMarket}, {"tax", kTax}};
  const std::set<std::string> everyone = {"caseworker", "auditor", "admin", "market", "tax"};
  const std::set<std::string> case_readers = {"caseworker", "auditor", "admin"};
  auto fixed = [](std::string t) { return [t] { return t; }; };
  auto none = [] { return Json(); };
  // A revoked repair bars the subject's next application, so the approved
  // applications the revocation row needs are made before any is revoked.
  // (Each row is sent 12 times: without and with a wrong token, with each
  // user's token, and with each user's session.)
  std::vector<std::string> approved;
  for (int i = 0; i < 13; ++i) approved.push_back(ApprovedRepair("market"));
  // Every user also signs in to the console: the rows are sent with each
  // session's cookie and CSRF token too, and must meet the same checks.
  const std::string password = "matrix-password-2025";
  auto hash = adapters::crypto::HashPassword(password);
  ASSERT_OK(hash);
  const std::map<std::string, std::string> user_of = {
      {"caseworker", "carol"}, {"auditor", "audra"}, {"admin", "root"}, {"market", "mkt"}, {"tax", "tax"}};
  std::map<std::string, std::map<std::string, std::string>> sessions;  // name -> headers
  for (const auto& [name, user] : user_of) {
    ASSERT_OK(store_->SetUserPassword(user, *hash));
    HttpReply in = client_->Post("/v1/session", "", {{"name", user}, {"password", password}});
    ASSERT_EQ(in.status, 200) << in.body;
    const std::string cookie = in.Header("Set-Cookie");
    sessions[name] = {{"Cookie", cookie.substr(0, cookie.find(';'))},
                      {"X-CSRF-Token", in.Json().value("csrf_token", "")}};
  }
  const std::string answered = ApprovedRepair("market");  // its notice is read, never revoked
  const std::vector<RouteCase> rows = {
      {"POST", "/v1/commitments", fixed("/v1/commitments"), [] { return Filing(); }, 201, {"caseworker", "admin"}},
      {"GET", "/v1/cases", fixed("/v1/cases"), none, 200, case_readers},
      {"GET",
       "/v1/cases/{id}",
       fixed("/v1/cases/" + market_task),
       none,
       200,
       {"caseworker", "auditor", "admin", "market"}},
      {"POST",
       "/v1/cases/{id}/events",
       [this] { return "/v1/cases/" + OpenTask("market") + "/events"; },
       [] {
         return Json{{"event", "Decide"}, {"data", {{"decision", "approved"}}}};
       },
       200,
       {"caseworker", "admin", "market"}},
      {"POST",
       "/v1/cases/{id}/objections",
       [this] { return "/v1/cases/" + OpenDeregistration() + "/objections"; },
       [] {
         return Json{{"by", "苏州银行股份有限公司"}, {"grounds", "贷款未清偿"}};
       },
       200,
       {"caseworker", "admin"}},
      {"GET",
       "/v1/cases/{id}/history",
       fixed("/v1/cases/" + market_task + "/history"),
       none,
       200,
       {"caseworker", "auditor", "admin", "market"}},
      {"GET",
       "/v1/cases/{id}/documents/{kind}",
       fixed("/v1/cases/" + commitment + "/documents/notice"),
       none,
       200,
       {"caseworker", "auditor", "admin"}},
      {"GET",
       "/v1/cases/{id}/history/verify",
       fixed("/v1/cases/" + commitment + "/history/verify"),
       none,
       200,
       {"auditor", "admin"}},
      {"GET", "/v1/audit/projections", fixed("/v1/audit/projections"), none, 200, {"auditor", "admin"}},
      {"GET", "/v1/audit/verify", fixed("/v1/audit/verify?limit=5"), none, 200, {"auditor", "admin"}},
      {"GET", "/v1/cases/{id}/replay", fixed("/v1/cases/" + commitment + "/replay"), none, 200, {"auditor", "admin"}},
      {"GET", "/v1/audit/anchors", fixed("/v1/audit/anchors"), none, 200, {"auditor", "admin"}},
      {"GET",
       "/v1/audit/anchors/{name}",
       fixed("/v1/audit/anchors/credflow-anchor-20250303T000000Z.json"),
       none,
       200,
       {"auditor", "admin"}},
      {"GET", "/v1/subjects", fixed("/v1/subjects?q=9132"), none, 200, case_readers},
      {"GET", "/v1/subjects/{code}", fixed(std::string("/v1/subjects/") + kSubject), none, 200, case_readers},
      {"GET", "/v1/policies", fixed("/v1/policies"), none, 200, everyone},
      {"GET", "/v1/policies/{id}/{version}", fixed("/v1/policies/commitment/2024.1"), none, 200, everyone},
      {"GET", "/v1/workflows/{name}", fixed("/v1/workflows/commitment"), none, 200, everyone},
      {"GET",
       "/v1/departments/{dept}/tasks",
       fixed("/v1/departments/market/tasks"),
       none,
       200,
       {"caseworker", "auditor", "admin", "market"}},
      {"POST", "/v1/records", fixed("/v1/records"), [] { return RecordBody("market"); }, 201, {"caseworker", "admin"}},
      {"POST",
       "/v1/enforcement",
       fixed("/v1/enforcement"),
       [] {
         return Json{{"subject", kSubject}, {"violation", "expired_food_on_sale"}, {"harm", "none"}};
       },
       201,
       {"caseworker", "admin"}},
      {"POST",
       "/v1/records/{id}/fulfilment",
       [this] { return "/v1/records/" + Record("market", /*fulfilled=*/false) + "/fulfilment"; },
       [] { return Json::object(); },
       200,
       {"caseworker", "admin"}},
      {"GET", "/v1/subjects/{code}/records", fixed(std::string("/v1/subjects/") + kSubject + "/records"), none, 200,
       case_readers},
      {"GET", "/v1/ledger/report", fixed("/v1/ledger/report?as_of=2025-06-30"), none, 200, case_readers},
      {"GET", "/v1/statistics", fixed("/v1/statistics?year=2025"), none, 200, case_readers},
      {"POST",
       "/v1/repairs",
       fixed("/v1/repairs"),
       [this] {
         return Json{{"subject", kSubject}, {"records", {Record("market")}}, {"documents", AllDocuments()}};
       },
       201,
       {"caseworker", "admin"}},
      {"GET", "/v1/repairs/{id}", fixed("/v1/repairs/" + Repair("market")), none, 200, case_readers},
      {"GET", "/v1/repairs/{id}/notice", fixed("/v1/repairs/" + answered + "/notice"), none, 200, case_readers},
      {"POST",
       "/v1/repairs/{id}/documents",
       [this] { return "/v1/repairs/" + Repair("market", {"repair_commitment"}) + "/documents"; },
       [] {
         return Json{{"documents", AllDocuments()}};
       },
       200,
       {"caseworker", "admin"}},
      {"POST",
       "/v1/tasks/{id}/decision",
       [this] { return "/v1/tasks/" + RepairTask("market") + "/decision"; },
       [] {
         return Json{{"decision", "approve"}};
       },
       200,
       {"market"}},
      {"POST",
       "/v1/tasks/{id}/extension",
       [this] { return "/v1/tasks/" + RepairTask("market") + "/extension"; },
       [] {
         return Json{{"reason", "需调取执行记录"}};
       },
       200,
       {"market"}},
      {"POST",
       "/v1/repairs/{id}/revocation",
       [&approved] {
         const std::string id = approved.empty() ? "none" : approved.back();
         if (!approved.empty()) approved.pop_back();
         return "/v1/repairs/" + id + "/revocation";
       },
       [] {
         return Json{{"reason", "false_materials"}};
       },
       200,
       {"caseworker", "admin"}},
      {"GET",
       "/v1/cases/{id}/documents",
       fixed("/v1/cases/" + commitment + "/documents"),
       none,
       200,
       {"caseworker", "auditor", "admin"}},
      {"GET", "/v1/forms/{id}", fixed("/v1/forms/food_business_permit"), none, 200, everyone},
      {"GET", "/healthz", fixed("/healthz"), none, 200, {}},
      {"GET", "/readyz", fixed("/readyz"), none, 200, {}},
      {"GET", "/metrics", fixed("/metrics"), none, 200, {}},
      {"GET", "/v1/openapi.json", fixed("/v1/openapi.json"), none, 200, {}},
      {"POST",
       "/v1/session",
       fixed("/v1/session"),
       [password] {
         return Json{{"name", "carol"}, {"password", password}};
       },
       200,
       {}},
      {"GET", "/v1/session", fixed("/v1/session"), none, 200, everyone},
      // Last: with a session, it signs that session out.
      {"DELETE", "/v1/session", fixed("/v1/session"), none, 204, everyone},
  };

  // The matrix covers every route the server has and the OpenAPI document
  // describes, and no other: a new route without a row fails here.
  std::set<std::string> served, covered, documented;
  for (const auto& route : api_->router().routes()) served.insert(route.method + " " + route.pattern);
  for (const RouteCase& row : rows) covered.insert(row.method + " " + row.pattern);
  EXPECT_EQ(covered, served);
  const Json openapi = client_->Get("/v1/openapi.json").Json();
  const Json paths = openapi.value("paths", Json::object());
  for (const auto& [path, operations] : paths.items()) {
    for (const auto& [method, operation] : operations.items()) {
      documented.insert(boost::algorithm::to_upper_copy(method) + " " + path);
    }
  }
  EXPECT_EQ(covered, documented);

  for (const RouteCase& row : rows) {
    SCOPED_TRACE(row.method + " " + row.pattern);
    auto call = [&](const std::string& token) {
      const Json body = row.body();
      return client_->Send(row.method, row.target(), token, body.is_null() ? "" : body.dump());
    };
    const bool is_public = row.allowed.empty();
    if (is_public) {
      for (const auto& [name, token] : tokens) EXPECT_EQ(call(token).status, row.success) << name;
      EXPECT_EQ(call("").status, row.success) << "without a token";
      continue;
    }
    EXPECT_EQ(call("").status, 401) << "without a token";
    EXPECT_EQ(call("cf_wrong_token_wrong_token_wrong_token").status, 401) << "with a wrong token";
    for (const auto& [name, token] : tokens) {
      HttpReply r = call(token);
      if (row.allowed.count(name)) {
        EXPECT_EQ(r.status, row.success) << name << ": " << r.body;
      } else {
        EXPECT_EQ(r.status, 403) << name << ": " << r.body;
        EXPECT_TRUE(r.Json().value("code", "") == "forbidden_role" || r.Json().value("code", "") == "other_department")
            << r.body;
      }
    }
    for (const auto& [name, headers] : sessions) {
      const Json body = row.body();
      HttpReply r = client_->Send(row.method, row.target(), "", body.is_null() ? "" : body.dump(), headers);
      if (row.allowed.count(name)) {
        EXPECT_EQ(r.status, row.success) << name << "'s session: " << r.body;
      } else {
        EXPECT_EQ(r.status, 403) << name << "'s session: " << r.body;
        EXPECT_TRUE(r.Json().value("code", "") == "forbidden_role" || r.Json().value("code", "") == "other_department")
            << r.body;
      }
    }
  }
}

TEST_F(HttpApiTest, ADepartmentSeesAndActsOnlyOnItsOwnTasks) {
  const std::string market_task = OpenTask("market");
  const std::string tax_task = OpenTask("tax");
  HttpReply inbox = client_->Get("/v1/departments/market/tasks?state=open", kMarket);
  ASSERT_EQ(inbox.status, 200) << inbox.body;
  ASSERT_EQ(inbox.Json()["items"].size(), 1u);
  EXPECT_EQ(inbox.Json()["items"][0].value("id", ""), market_task);
  EXPECT_EQ(inbox.Json()["items"][0].value("department", ""), "market");

  HttpReply foreign = client_->Post("/v1/cases/" + tax_task + "/events", kMarket, {{"event", "Decide"}});
  EXPECT_EQ(foreign.status, 403);
  EXPECT_EQ(foreign.Json().value("code", ""), "other_department");
  EXPECT_EQ(client_->Get("/v1/cases/" + tax_task, kMarket).status, 403);
  EXPECT_EQ(client_->Get("/v1/departments/tax/tasks", kMarket).Json().value("code", ""), "other_department");

  HttpReply decided = client_->Post("/v1/cases/" + market_task + "/events", kMarket,
                                    {{"event", "Decide"}, {"data", {{"decision", "approved"}}}});
  ASSERT_EQ(decided.status, 200) << decided.body;
  const Json last = client_->Get("/v1/cases/" + market_task + "/history", kMarket).Json()["events"].back();
  EXPECT_EQ(last["actor"], Json({{"user", "mkt"}, {"role", "department"}, {"department", "market"}}));
  // A decided task leaves the open inbox and stays in the full one.
  EXPECT_EQ(client_->Get("/v1/departments/market/tasks", kMarket).Json()["items"].size(), 0u);
  EXPECT_EQ(client_->Get("/v1/departments/market/tasks?state=all", kMarket).Json()["items"].size(), 1u);
}

// The ledger's exit-rate report: as of a day (default today), the policy's
// targets with their status; a malformed day is a 400 problem.
TEST_F(HttpApiTest, TheLedgerReportShowsTheTargetsOfTheDay) {
  HttpReply report = client_->Get("/v1/ledger/report?as_of=2025-07-01", kAuditor);
  ASSERT_EQ(report.status, 200) << report.body;
  const Json body = report.Json();
  EXPECT_EQ(body.value("as_of", ""), "2025-07-01");
  EXPECT_EQ(body["total"].value("entered", -1), 0);
  ASSERT_EQ(body["targets"].size(), 2u) << report.body;
  EXPECT_EQ(body["targets"][0].value("by", ""), "2025-06-30");
  EXPECT_EQ(body["targets"][0].value("status", ""), "no_entries");
  HttpReply today = client_->Get("/v1/ledger/report", kCaseworker);
  ASSERT_EQ(today.status, 200) << today.body;
  EXPECT_EQ(today.Json().value("as_of", ""), "2025-03-03");
  HttpReply bad = client_->Get("/v1/ledger/report?as_of=2025-13-01", kCaseworker);
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_NE(bad.body.find("invalid_parameter"), std::string::npos) << bad.body;
}

// The statistics count a filing in its Beijing-time month (17:00 UTC on 31
// March is 1 April in Beijing), name the catalogue item, answer one chart as
// CSV with a BOM and Chinese headers, and refuse a year out of range or a
// chart without format=csv.
TEST_F(HttpApiTest, StatisticsCountFilingsByBeijingMonthAndAnswerCsv) {
  File();  // 2025-03-03, Beijing
  clock_.SetDate(*policies::Date::Parse("2025-03-31"));
  clock_.Advance(std::chrono::hours(25));  // 2025-03-31T17:00:00Z
  File();
  HttpReply stats = client_->Get("/v1/statistics", kAuditor);
  ASSERT_EQ(stats.status, 200) << stats.body;
  const Json body = stats.Json();
  EXPECT_EQ(body.value("year", 0), 2025);
  std::map<std::string, int64_t> by_month;
  for (const Json& row : body["filings_by_month"]) {
    by_month[row.value("month", "")] += row.value("count", int64_t{0});
    EXPECT_NE(row.value("item_name", ""), row.value("item", "")) << "a catalogue item is named: " << row.dump();
  }
  EXPECT_EQ(by_month, (std::map<std::string, int64_t>{{"2025-03", 1}, {"2025-04", 1}})) << stats.body;
  EXPECT_TRUE(body["repairs_by_outcome"].is_array());
  EXPECT_TRUE(body["ledger"].is_object()) << stats.body;
  EXPECT_TRUE(client_->Get("/v1/statistics?year=2024", kCaseworker).Json()["filings_by_month"].empty());

  HttpReply csv = client_->Get("/v1/statistics?year=2025&format=csv&chart=filings_by_month", kAuditor);
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.Header("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_NE(csv.Header("Content-Disposition").find("statistics-2025-filings_by_month.csv"), std::string::npos);
  EXPECT_EQ(csv.body.rfind("\xEF\xBB\xBF月份,承诺事项代码,承诺事项,承诺件数\r\n", 0), 0u) << csv.body;
  EXPECT_NE(csv.body.find("2025-04,"), std::string::npos) << csv.body;
  HttpReply ledger = client_->Get("/v1/statistics?format=csv&chart=ledger", kAuditor);
  ASSERT_EQ(ledger.status, 200) << ledger.body;
  EXPECT_NE(ledger.body.find("\r\n合计,0,0,,,,\r\n"), std::string::npos) << "no rate of nothing: " << ledger.body;
  EXPECT_NE(ledger.body.find("\r\n目标,,,,2025-06-30,0.8000,"), std::string::npos) << ledger.body;

  for (const char* bad : {"?year=1999", "?year=2101", "?year=20x5", "?format=csv", "?chart=ledger", "?format=xml",
                          "?format=csv&chart=nothing", "?month=3"}) {
    HttpReply refused = client_->Get(std::string("/v1/statistics") + bad, kAuditor);
    EXPECT_EQ(refused.status, 400) << bad << " " << refused.body;
  }
}

// A violation reported over HTTP is triaged at once: a first 首违不罚 item
// waits for rectification (the case names the row), an unknown code is
// refused with its reason, and a bad harm is a field error.
TEST_F(HttpApiTest, AReportedViolationIsTriagedByTheDiscretionTable) {
  HttpReply reported =
      client_->Post("/v1/enforcement", kCaseworker,
                    {{"subject", kSubject}, {"violation", "food_permit_expired_not_renewed"}, {"harm", "slight"}});
  ASSERT_EQ(reported.status, 201) << reported.body;
  EXPECT_EQ(reported.Json().value("state", ""), "RectificationOrdered");
  const std::string id = reported.Json().value("id", "");
  HttpReply shown = client_->Get("/v1/cases/" + id, kCaseworker);
  ASSERT_EQ(shown.status, 200) << shown.body;
  EXPECT_EQ(shown.Json()["data"]["triage"]["rule"].value("id", ""), "first_violation_list_first") << shown.body;

  HttpReply unknown =
      client_->Post("/v1/enforcement", kCaseworker, {{"subject", kSubject}, {"violation", "nope"}, {"harm", "none"}});
  EXPECT_EQ(unknown.status, 409) << unknown.body;
  EXPECT_NE(unknown.body.find("unknown_violation"), std::string::npos) << unknown.body;
  HttpReply bad = client_->Post("/v1/enforcement", kCaseworker,
                                {{"subject", kSubject}, {"violation", "expired_food_on_sale"}, {"harm", "grave"}});
  EXPECT_EQ(bad.status, 422) << bad.body;
}

// A repair at the window over HTTP: intake answers at once with the refusal
// and the earliest date, or sends the task to its department, whose inbox
// shows it overdue first with the working days left; only that department
// decides, and the application joins to one answer.
TEST_F(HttpApiTest, ARepairRunsFromTheWindowToTheDepartmentAndBack) {
  Json early = RecordBody("tax");
  early["decided_on"] = "2025-01-06";  // 3 months not served on 2025-03-03
  HttpReply recorded = client_->Post("/v1/records", kCaseworker, early);
  ASSERT_EQ(recorded.status, 201) << recorded.body;
  const std::string early_record = recorded.Json().value("id", "");
  const std::string ready_record = Record("tax");
  HttpReply applied =
      client_->Post("/v1/repairs", kCaseworker,
                    {{"subject", kSubject}, {"records", {early_record, ready_record}}, {"documents", AllDocuments()}});
  ASSERT_EQ(applied.status, 201) << applied.body;
  const Json application = applied.Json();
  EXPECT_EQ(application.value("state", ""), "UnderReview");
  EXPECT_EQ(application.value("reason", ""), "minimum_period_not_served");
  EXPECT_EQ(application.value("earliest_application", ""), "2025-04-07");
  ASSERT_EQ(application["tasks"].size(), 1u);
  const std::string task = application["tasks"][0].value("id", "");
  EXPECT_EQ(application["tasks"][0].value("due_on", ""), "2025-03-17");  // 10 WD

  HttpReply records = client_->Get(std::string("/v1/subjects/") + kSubject + "/records", kAuditor);
  ASSERT_EQ(records.status, 200) << records.body;
  bool found = false;
  const Json listed = records.Json();
  for (const Json& r : listed["records"]) {
    if (r.value("id", "") != early_record) continue;
    found = true;
    EXPECT_EQ(r.value("earliest_repair", ""), "2025-04-07");
    EXPECT_EQ(r.value("regime", ""), "order58");
    EXPECT_TRUE(r.value("published", false));
  }
  EXPECT_TRUE(found) << records.body;

  // Overdue tasks come first in the inbox, each with its working days left.
  const std::string older = RepairTask("tax");
  clock_.SetDate(*policies::Date::Parse("2025-03-18"));
  ASSERT_OK(service_->FireDueTimers());
  const std::string newer = RepairTask("tax");
  HttpReply inbox = client_->Get("/v1/departments/tax/tasks", kTax);
  ASSERT_EQ(inbox.status, 200) << inbox.body;
  const Json items = inbox.Json()["items"];
  ASSERT_EQ(items.size(), 3u) << inbox.body;
  EXPECT_TRUE(items[0].value("overdue", false));
  EXPECT_EQ(items[0].value("working_days_left", 0), -1);
  EXPECT_FALSE(items[2].value("overdue", true));
  EXPECT_EQ(items[2].value("id", ""), newer);
  EXPECT_EQ(items[2].value("working_days_left", 0), 10);
  (void)older;
  // The two overdue tasks show in the metrics, by department.
  EXPECT_NE(client_->Get("/metrics").body.find("credflow_overdue_tasks{department=\"tax\"} 2\n"), std::string::npos)
      << client_->Get("/metrics").body;

  EXPECT_EQ(client_->Post("/v1/tasks/" + task + "/decision", kMarket, {{"decision", "approve"}}).status, 403);
  EXPECT_EQ(client_->Post("/v1/tasks/" + task + "/decision", kCaseworker, {{"decision", "approve"}}).status, 403);
  EXPECT_EQ(client_->Post("/v1/tasks/" + task + "/decision", kTax, {{"decision", "deny"}}).status, 422)
      << "a denial states its reason";
  HttpReply worded =
      client_->Post("/v1/tasks/" + task + "/decision", kTax, {{"decision", "deny"}, {"reason", "未履行 义务"}});
  EXPECT_EQ(worded.status, 422) << "a reason is a code; words go in the note";
  EXPECT_NE(worded.body.find("invalid_code"), std::string::npos) << worded.body;
  HttpReply decided = client_->Post("/v1/tasks/" + task + "/decision", kTax, {{"decision", "approve"}});
  ASSERT_EQ(decided.status, 200) << decided.body;
  ASSERT_OK(service_->FireDueTimers());
  const std::string id = application.value("id", "");
  const Json answer = client_->Get("/v1/repairs/" + id, kCaseworker).Json();
  EXPECT_EQ(answer.value("outcome", ""), "partially_repaired");
  ASSERT_EQ(answer["results"].size(), 2u);
  EXPECT_EQ(answer["results"][0].value("reason", ""), "minimum_period_not_served");
  EXPECT_EQ(answer["results"][1].value("result", ""), "approved");

  // The one answer, printed: every record with its result and reason in
  // Chinese, and the day the refused one may be applied for.
  HttpReply notice = client_->Get("/v1/repairs/" + id + "/notice", kCaseworker);
  ASSERT_EQ(notice.status, 200) << notice.body;
  EXPECT_NE(notice.body.find("信用修复结果告知书"), std::string::npos) << notice.body;
  EXPECT_NE(notice.body.find("tax认定的行政处罚信息（决定日期：2025年1月6日）：不予受理。理由：最短公示期未满。"
                             "你单位可自2025年4月7日起就该信息重新申请信用修复。"),
            std::string::npos)
      << notice.body;
  EXPECT_NE(notice.body.find("tax认定的行政处罚信息（决定日期：2024年6月3日）：准予修复。"), std::string::npos)
      << notice.body;
  EXPECT_NE(notice.body.find("部分准予修复"), std::string::npos) << notice.body;
  // The same document, with the same number, as a document of the case.
  HttpReply again = client_->Get("/v1/cases/" + id + "/documents/repair_notice", kCaseworker);
  ASSERT_EQ(again.status, 200) << again.body;
  const std::string number = "苏信修告〔2025〕1号";
  EXPECT_NE(notice.body.find(number), std::string::npos) << notice.body;
  EXPECT_NE(again.body.find(number), std::string::npos) << again.body;
  EXPECT_EQ(client_->Get("/v1/repairs/" + id + "/notice", kTax).status, 403);
  HttpReply not_a_repair = client_->Get("/v1/repairs/" + early_record + "/notice", kCaseworker);
  EXPECT_EQ(not_a_repair.status, 422);
  EXPECT_EQ(not_a_repair.Json().value("code", ""), "not_a_repair");
}

// The same record twice is one record: refused as record_exists, whatever
// the Idempotency-Key, and an import of it counts it as already recorded.
TEST_F(HttpApiTest, TheSameRecordTwiceIsRefused) {
  Json body = RecordBody("tax");
  HttpReply first = client_->Post("/v1/records", kCaseworker, body);
  ASSERT_EQ(first.status, 201) << first.body;
  const std::string id = first.Json().value("id", "");
  for (const char* key : {"", "another-key"}) {
    HttpReply again = client_->Send(
        "POST", "/v1/records", kCaseworker, body.dump(),
        *key ? std::map<std::string, std::string>{{"Idempotency-Key", key}} : std::map<std::string, std::string>{});
    EXPECT_EQ(again.status, 409) << again.body;
    EXPECT_EQ(again.Json().value("code", ""), "record_exists");
    EXPECT_NE(again.Json().value("detail", "").find(id), std::string::npos) << again.body;
  }
  body["decision_number"] = "苏税罚〔2024〕77号";  // another decision
  EXPECT_EQ(client_->Post("/v1/records", kCaseworker, body).status, 201);
  engine::CaseQuery q;
  q.workflow = "dishonesty_record";
  q.subject = kSubject;
  EXPECT_EQ(store_->FindCases(q)->size(), 2u);
}

// An application no record of which can be repaired by application is
// answered at once, and its notice says 不予受理 with the reason.
TEST_F(HttpApiTest, ARepairRefusedAtIntakeHasItsNoticeAtOnce) {
  Json early = RecordBody("tax");
  early["decided_on"] = "2025-01-06";
  HttpReply recorded = client_->Post("/v1/records", kCaseworker, early);
  ASSERT_EQ(recorded.status, 201) << recorded.body;
  const std::string record = recorded.Json().value("id", "");
  early["decided_on"] = "2025-02-03";
  HttpReply later = client_->Post("/v1/records", kCaseworker, early);
  ASSERT_EQ(later.status, 201) << later.body;
  HttpReply applied = client_->Post(
      "/v1/repairs", kCaseworker,
      {{"subject", kSubject}, {"records", {record, later.Json().value("id", "")}}, {"documents", AllDocuments()}});
  ASSERT_EQ(applied.status, 201) << applied.body;
  const std::string id = applied.Json().value("id", "");
  EXPECT_EQ(applied.Json().value("outcome", ""), "rejected");
  HttpReply notice = client_->Get("/v1/repairs/" + id + "/notice", kCaseworker);
  ASSERT_EQ(notice.status, 200) << notice.body;
  EXPECT_NE(notice.body.find("：不予受理。理由：最短公示期未满。"), std::string::npos) << notice.body;
  EXPECT_NE(notice.body.find("你单位可自2025年4月7日起就该信息重新申请信用修复。"), std::string::npos) << notice.body;
  // Both refused on time grounds: the day both may be applied for together.
  const std::string all = applied.Json().value("earliest_application", "");
  ASSERT_EQ(all.size(), 10u) << applied.body;
  const std::string chinese = all.substr(0, 4) + "年" + std::to_string(std::stoi(all.substr(5, 2))) + "月" +
                              std::to_string(std::stoi(all.substr(8, 2))) + "日";
  EXPECT_GT(all, "2025-04-07");
  EXPECT_NE(notice.body.find("你单位可自" + chinese + "起一并重新提出申请。"), std::string::npos) << notice.body;
  // Still under review: no notice yet.
  const std::string pending = Repair("tax");
  HttpReply none = client_->Get("/v1/repairs/" + pending + "/notice", kCaseworker);
  EXPECT_EQ(none.status, 404) << none.body;
  EXPECT_NE(none.body.find("document_not_available"), std::string::npos) << none.body;
}

TEST_F(HttpApiTest, AnAuditorChangesNothing) {
  const std::string v = VerificationOf(File());
  HttpReply r = client_->Post("/v1/cases/" + v + "/events", kAuditor, {{"event", "VerificationStarted"}});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.Json().value("code", ""), "forbidden_role");
  EXPECT_EQ(client_->Post("/v1/commitments", kAuditor, Filing()).status, 403);
  EXPECT_EQ(client_->Get("/v1/cases/" + v, kAuditor).Json().value("version", 0), 2);
}

// ---- reads ------------------------------------------------------------------------

TEST_F(HttpApiTest, CaseListsArePagedAndFiltered) {
  for (int i = 0; i < 3; ++i) File();
  HttpReply page1 = client_->Get("/v1/cases?workflow=commitment&limit=2", kCaseworker);
  ASSERT_EQ(page1.status, 200) << page1.body;
  ASSERT_EQ(page1.Json()["items"].size(), 2u);
  const std::string next = page1.Json().value("next", "");
  ASSERT_FALSE(next.empty());
  HttpReply page2 = client_->Get("/v1/cases?workflow=commitment&limit=2&after=" + next, kCaseworker);
  ASSERT_EQ(page2.Json()["items"].size(), 1u);
  EXPECT_TRUE(page2.Json()["next"].is_null());
  EXPECT_LT(page1.Json()["items"][1].value("id", ""), page2.Json()["items"][0].value("id", ""));
  EXPECT_EQ(client_->Get("/v1/cases?workflow=verification&state=Scheduled", kCaseworker).Json()["items"].size(), 3u);
  EXPECT_EQ(client_->Get(std::string("/v1/cases?subject=") + kOtherSubject, kCaseworker).Json()["items"].size(), 0u);
}

// state=open lists every case not in a final state: a commitment whose
// rectification was ordered has an outcome (rectification_ordered) and is
// still open, in the list, in the subject's open cases and marked open; a
// fulfilled one and the subject case (final) are not.
TEST_F(HttpApiTest, OpenListsEveryCaseNotInAFinalState) {
  const std::string ordered = File();
  const std::string fulfilled = File();
  auto report = [&](const std::string& commitment, const char* result) {
    Json form = {{"result", result}};
    if (std::string(result) == "nonconforming") form["findings"] = "no cold storage";
    HttpReply r = client_->Post("/v1/cases/" + VerificationOf(commitment) + "/events", kCaseworker,
                                {{"event", "VerificationReported"}, {"data", {{"form", form}}}});
    ASSERT_EQ(r.status, 200) << r.body;
  };
  ASSERT_NO_FATAL_FAILURE(report(ordered, "nonconforming"));
  ASSERT_NO_FATAL_FAILURE(report(fulfilled, "conforming"));
  ASSERT_TRUE(service_->FireDueTimers().ok());
  const Json shown = client_->Get("/v1/cases/" + ordered, kCaseworker).Json();
  ASSERT_EQ(shown.value("state", ""), "RectificationOrdered");
  EXPECT_EQ(shown.value("outcome", ""), "rectification_ordered");
  EXPECT_EQ(shown.value("open", false), true);

  HttpReply open = client_->Get("/v1/cases?state=open&workflow=commitment", kCaseworker);
  ASSERT_EQ(open.status, 200) << open.body;
  ASSERT_EQ(open.Json()["items"].size(), 1u) << open.body;
  EXPECT_EQ(open.Json()["items"][0].value("id", ""), ordered);
  EXPECT_EQ(open.Json()["items"][0].value("open", false), true);
  std::set<std::string> all_open;
  const Json every_open = client_->Get("/v1/cases?state=open", kCaseworker).Json();
  for (const Json& c : every_open["items"]) {
    all_open.insert(c.value("workflow", "") + ":" + c.value("state", ""));
  }
  EXPECT_EQ(all_open,
            (std::set<std::string>{"commitment:RectificationOrdered", "false_commitment:RectificationOrdered"}));

  std::set<std::string> subject_open;
  const Json subject = client_->Get(std::string("/v1/subjects/") + kSubject, kCaseworker).Json();
  for (const Json& c : subject["open_cases"]) {
    subject_open.insert(c.value("id", ""));
  }
  EXPECT_EQ(subject_open.count(ordered), 1u);
  EXPECT_EQ(subject_open.count(fulfilled), 0u);
  EXPECT_EQ(subject_open.size(), 2u) << "the commitment and its false-commitment case";
}

// An objection to a published undertaking, at its own route: the simplified
// route closes with who objected and why; a second one is not allowed; an
// objection without `by` is 422 and changes nothing.
TEST_F(HttpApiTest, AnObjectionClosesTheSimplifiedRoute) {
  const std::string id = OpenDeregistration();
  HttpReply missing = client_->Post("/v1/cases/" + id + "/objections", kCaseworker, {{"grounds", "无"}});
  EXPECT_EQ(missing.status, 422) << missing.body;
  EXPECT_EQ(client_->Get("/v1/cases/" + id, kCaseworker).Json().value("state", ""), "InPublication");

  HttpReply objected = client_->Post("/v1/cases/" + id + "/objections", kCaseworker,
                                     {{"by", "苏州银行股份有限公司"}, {"grounds", "贷款未清偿"}});
  ASSERT_EQ(objected.status, 200) << objected.body;
  EXPECT_EQ(objected.Json().value("state", ""), "OrdinaryProcedure");
  EXPECT_EQ(objected.Json().value("reason", ""), "objection_raised");
  const Json c = client_->Get("/v1/cases/" + id, kCaseworker).Json();
  EXPECT_EQ(c["data"]["objection"].value("by", ""), "苏州银行股份有限公司");
  EXPECT_TRUE(c["deadlines"].empty()) << "the publication timer is cancelled";
  EXPECT_EQ(c.value("open", true), false);
  EXPECT_TRUE(client_->Get(std::string("/v1/subjects/") + kOtherSubject, kCaseworker).Json()["records"].empty())
      << "no false-commitment record";

  HttpReply again = client_->Post("/v1/cases/" + id + "/objections", kCaseworker, {{"by", "王某"}});
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_EQ(again.Json().value("code", ""), "event_not_allowed");
}

// Who may file: a deregistered subject is refused (409), a letter naming
// another applicant or signed too long before is 422; nothing is written.
TEST_F(HttpApiTest, FilingsTheRulesRefuseAreClear4xxWithNothingWritten) {
  File();  // registers kSubject under the letter's applicant
  Json other_name = Filing();
  other_name["form"]["applicant_name"] = "苏州禾丰餐饮有限公司";
  HttpReply mismatch = client_->Post("/v1/commitments", kCaseworker, other_name);
  EXPECT_EQ(mismatch.status, 422) << mismatch.body;
  EXPECT_EQ(mismatch.Json().value("code", ""), "applicant_name_mismatch");
  Json full_width = Filing();
  full_width["form"]["applicant_name"] = " 苏州禾丰餐饮管理有限公司 ";
  EXPECT_EQ(client_->Post("/v1/commitments", kCaseworker, full_width).status, 201) << "spaces are not told apart";

  Json old_letter = Filing();
  old_letter["form"]["signed_on"] = "2025-01-31";  // 31 days before 2025-03-03
  HttpReply old = client_->Post("/v1/commitments", kCaseworker, old_letter);
  EXPECT_EQ(old.status, 422) << old.body;
  EXPECT_EQ(old.Json().value("code", ""), "letter_too_old");

  const size_t cases = client_->Get("/v1/cases?limit=500", kCaseworker).Json()["items"].size();
  workflows::subject::ChangeStatusRequest gone{kSubject, "deregistered", "", engine::Actor{"clerk", "caseworker", ""},
                                               ""};
  ASSERT_OK(workflows::subject::ChangeStatus(*service_, gone));
  HttpReply refused = client_->Post("/v1/commitments", kCaseworker, Filing());
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(refused.Json().value("code", ""), "subject_deregistered");
  EXPECT_EQ(client_->Get("/v1/cases?limit=500", kCaseworker).Json()["items"].size(), cases);
}

// A document is an A4 HTML page, the same number on every read; an unknown
// kind and one the matter does not have yet are 404 problems; a department
// may not read another's case's documents.
// The console renders a letter from its form's definition, with the Chinese
// labels of the XML.
TEST_F(HttpApiTest, AFormIsServedAsItsDefinition) {
  HttpReply form = client_->Get("/v1/forms/food_business_permit", kMarket);
  ASSERT_EQ(form.status, 200) << form.body;
  const Json body = form.Json();
  EXPECT_EQ(body.value("title", ""), "食品经营许可告知承诺书");
  std::map<std::string, Json> fields;
  for (const Json& f : body["fields"]) fields[f.value("name", "")] = f;
  ASSERT_EQ(fields.count("business_items"), 1u) << form.body;
  EXPECT_EQ(fields["business_items"].value("type", ""), "enum_list");
  EXPECT_TRUE(fields["business_items"].value("required", false));
  EXPECT_EQ(fields["business_items"]["min"], 1);
  EXPECT_EQ(fields["business_items"]["options"][3], (Json{{"value", "catering_services"}, {"label", "餐饮服务"}}));
  EXPECT_EQ(fields["signed_on"].value("type", ""), "date");
  EXPECT_FALSE(fields["food_safety_manager"].value("required", true));
  EXPECT_EQ(fields["premises_address"]["max_length"], 200);

  HttpReply unknown = client_->Get("/v1/forms/no_such_form", kCaseworker);
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.Json().value("code", ""), "form_not_found");
}

// The print view lists a case's documents without issuing their numbers.
TEST_F(HttpApiTest, ACasesDocumentsAreListedWithoutIssuingNumbers) {
  const std::string commitment = File();
  HttpReply listed = client_->Get("/v1/cases/" + commitment + "/documents", kCaseworker);
  ASSERT_EQ(listed.status, 200) << listed.body;
  const Json docs = listed.Json()["documents"];
  ASSERT_EQ(docs.size(), 2u) << listed.body;
  EXPECT_EQ(docs[0].value("kind", ""), "notice");
  EXPECT_EQ(docs[0].value("href", ""), "/v1/cases/" + commitment + "/documents/notice");
  EXPECT_EQ(docs[1].value("kind", ""), "commitment_letter");
  HttpReply notice = client_->Get(docs[0].value("href", ""), kCaseworker);
  EXPECT_NE(notice.body.find("苏市监承告〔2025〕1号"), std::string::npos) << notice.body;
  EXPECT_EQ(client_->Get("/v1/cases/" + commitment + "/documents", kMarket).status, 403);
  EXPECT_EQ(client_->Get("/v1/cases/no-such-case/documents", kCaseworker).status, 404);
}

// An auditor reads documents and issues none: before the window prints it,
// a preview without a number (nothing written); after, the number issued.
TEST_F(HttpApiTest, AnAuditorsReadIssuesNoDocumentNumber) {
  const std::string commitment = File();
  const std::string path = "/v1/cases/" + commitment + "/documents/notice";
  HttpReply preview = client_->Get(path, kAuditor);
  ASSERT_EQ(preview.status, 200) << preview.body;
  EXPECT_NE(preview.body.find("（未编号）"), std::string::npos) << preview.body;
  EXPECT_NE(preview.body.find("预览"), std::string::npos) << preview.body;
  EXPECT_TRUE(store_->GetDocumentNumbers(commitment)->empty());
  HttpReply printed = client_->Get(path, kCaseworker);
  EXPECT_NE(printed.body.find("苏市监承告〔2025〕1号"), std::string::npos) << printed.body;
  HttpReply read = client_->Get(path, kAuditor);
  EXPECT_NE(read.body.find("苏市监承告〔2025〕1号"), std::string::npos) << read.body;
  EXPECT_EQ(read.body.find("预览"), std::string::npos) << read.body;
  EXPECT_EQ(store_->GetDocumentNumbers(commitment)->size(), 1u);
}

// A department prints no document: its task's would be the application's
// repair notice, with every department's records, its number issued.
TEST_F(HttpApiTest, ADepartmentPrintsNoDocumentOfItsTask) {
  const std::string repair = Repair("market");
  HttpReply view = client_->Get("/v1/repairs/" + repair, kCaseworker);
  ASSERT_EQ(view.status, 200) << view.body;
  const Json tasks = view.Json()["tasks"];
  ASSERT_FALSE(tasks.empty()) << view.body;
  const std::string task = tasks[0].value("id", "");
  EXPECT_EQ(client_->Get("/v1/cases/" + task, kMarket).status, 200) << "its own task it reads";
  for (const char* path : {"/documents", "/documents/repair_notice"}) {
    HttpReply r = client_->Get("/v1/cases/" + task + path, kMarket);
    EXPECT_EQ(r.status, 403) << path << " " << r.body;
    EXPECT_EQ(r.Json().value("code", ""), "forbidden_role") << path;
  }
}

// The window follows a repair's tasks with the working days each has left.
TEST_F(HttpApiTest, ARepairsTasksShowTheirWorkingDaysLeft) {
  const std::string repair = Repair("tax");
  HttpReply view = client_->Get("/v1/repairs/" + repair, kCaseworker);
  ASSERT_EQ(view.status, 200) << view.body;
  const Json tasks = view.Json()["tasks"];
  ASSERT_EQ(tasks.size(), 1u) << view.body;
  EXPECT_EQ(tasks[0].value("due_on", ""), "2025-03-17");
  EXPECT_EQ(tasks[0].value("working_days_left", 0), 10);
  clock_.SetDate(*policies::Date::Parse("2025-03-18"));
  EXPECT_EQ(client_->Get("/v1/repairs/" + repair, kCaseworker).Json()["tasks"][0].value("working_days_left", 0), -1);
}

// The department reads the reasons it may deny with from its task's
// policy (the regime's <denial-reasons>), labelled in Chinese with sources.
TEST_F(HttpApiTest, ATasksPolicyListsItsDenialReasons) {
  const std::string repair = Repair("tax");
  const std::string task = client_->Get("/v1/repairs/" + repair, kCaseworker).Json()["tasks"][0].value("id", "");
  HttpReply c = client_->Get("/v1/cases/" + task, kTax);
  ASSERT_EQ(c.status, 200) << c.body;
  const Json policy = c.Json()["policy"];
  HttpReply p = client_->Get("/v1/policies/" + policy.value("id", "") + "/" + policy.value("version", ""), kTax);
  ASSERT_EQ(p.status, 200) << p.body;
  const Json regime = p.Json()["repair_regime"];
  ASSERT_TRUE(regime.is_object()) << p.body;
  std::map<std::string, std::string> labels;
  for (const Json& r : regime["denial_reasons"]) {
    EXPECT_FALSE(r.value("source", "").empty()) << r.dump();
    labels[r.value("code", "")] = r.value("label", "");
  }
  EXPECT_EQ(labels["obligations_not_performed"], "未履行行政处罚决定规定的义务") << p.body;
  EXPECT_EQ(labels["minimum_period_not_served"], "未满最短公示期") << p.body;
  // A policy of another kind has no repair regime.
  EXPECT_FALSE(client_->Get("/v1/policies/commitment/2024.1", kTax).Json().contains("repair_regime"));
}

TEST_F(HttpApiTest, DocumentsAreHtmlPagesWithOneNumberEach) {
  const std::string commitment = File();
  HttpReply notice = client_->Get("/v1/cases/" + commitment + "/documents/notice", kCaseworker);
  ASSERT_EQ(notice.status, 200) << notice.body;
  EXPECT_EQ(notice.Header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(notice.body.find("苏市监承告〔2025〕1号"), std::string::npos) << notice.body;
  EXPECT_NE(notice.body.find("2025年3月3日"), std::string::npos) << notice.body;
  EXPECT_NE(notice.body.find("江苏省市场监督管理局"), std::string::npos) << notice.body;
  EXPECT_NE(notice.body.find("国办发〔2020〕42号"), std::string::npos) << notice.body;
  EXPECT_NE(notice.body.find("@page { size: A4;"), std::string::npos) << notice.body;
  EXPECT_EQ(notice.body.find("<script"), std::string::npos);

  clock_.SetDate(*policies::Date::Parse("2025-03-04"));
  HttpReply again = client_->Get("/v1/cases/" + commitment + "/documents/notice", kAuditor);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.body, notice.body) << "the same number and date on every read";
  HttpReply other = client_->Get("/v1/cases/" + File(kCaseworker, kOtherSubject) + "/documents/notice", kAdmin);
  ASSERT_EQ(other.status, 200) << other.body;
  EXPECT_NE(other.body.find("苏市监承告〔2025〕2号"), std::string::npos) << other.body;

  HttpReply unknown = client_->Get("/v1/cases/" + commitment + "/documents/permit", kCaseworker);
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  EXPECT_EQ(unknown.Header("Content-Type"), "application/problem+json");
  EXPECT_EQ(unknown.Json().value("code", ""), "unknown_document");
  HttpReply early = client_->Get("/v1/cases/" + commitment + "/documents/revocation_decision", kCaseworker);
  EXPECT_EQ(early.status, 404) << early.body;
  EXPECT_EQ(early.Json().value("code", ""), "document_not_available");
  EXPECT_NE(early.Json().value("detail", "").find("notice, commitment_letter"), std::string::npos) << early.body;
  EXPECT_EQ(client_->Get("/v1/cases/no-such-case/documents/notice", kCaseworker).status, 404);
  EXPECT_EQ(client_->Get("/v1/cases/" + commitment + "/documents/notice", kMarket).status, 403);
}

TEST_F(HttpApiTest, OverdueListsCasesPastTheirDeadline) {
  const std::string v = VerificationOf(File());
  EXPECT_EQ(client_->Get("/v1/cases?overdue=true", kCaseworker).Json()["items"].size(), 0u);
  // The window ends 2025-04-15; on the 16th the deadline has passed, before
  // and after the scheduler has flagged the case.
  clock_.SetDate(*policies::Date::Parse("2025-04-16"));
  HttpReply due = client_->Get("/v1/cases?overdue=true", kCaseworker);
  ASSERT_EQ(due.Json()["items"].size(), 1u) << due.body;
  EXPECT_EQ(due.Json()["items"][0].value("id", ""), v);
  ASSERT_TRUE(service_->FireDueTimers().ok());
  due = client_->Get("/v1/cases?overdue=true", kCaseworker);
  ASSERT_EQ(due.Json()["items"].size(), 1u) << due.body;
  EXPECT_EQ(due.Json()["items"][0].value("id", ""), v);
}

// The read-only views: a subject (route and open cases; its own subject case
// is final, so not among them),
// the policies with their sources, and a workflow as JSON and as dot.
TEST_F(HttpApiTest, SubjectPoliciesAndWorkflows) {
  const std::string commitment = File();
  HttpReply subject = client_->Get(std::string("/v1/subjects/") + kSubject, kCaseworker);
  ASSERT_EQ(subject.status, 200) << subject.body;
  const Json s = subject.Json();
  EXPECT_EQ(s.value("code", ""), kSubject);
  // Registered by its first filing, under the letter's applicant.
  EXPECT_EQ(s["profile"].value("name", ""), "苏州禾丰餐饮管理有限公司");
  EXPECT_EQ(s["commitment_route"].value("route", ""), "allowed");
  std::set<std::string> open;
  for (const Json& c : s["open_cases"]) open.insert(c.value("workflow", ""));
  EXPECT_EQ(open, (std::set<std::string>{"commitment", "verification"}));
  EXPECT_TRUE(s["grade_history"].empty()) << "registered by a filing, never graded";

  // Two grades, the second recomputed from records: both in the history, in order.
  workflows::subject::SetGradeRequest graded{kSubject,
                                             "B",
                                             "annual review",
                                             std::nullopt,
                                             workflows::subject::kGradeSourceCli,
                                             engine::Actor{"carol", "caseworker", ""},
                                             ""};
  ASSERT_OK(workflows::subject::SetGrade(*service_, graded));
  graded.grade = "C";
  graded.reason = "recomputed";
  graded.source = workflows::subject::kGradeSourceRecompute;
  ASSERT_OK(workflows::subject::SetGrade(*service_, graded));
  const Json history = client_->Get(std::string("/v1/subjects/") + kSubject, kAuditor).Json()["grade_history"];
  ASSERT_EQ(history.size(), 2u) << history.dump();
  EXPECT_EQ(history[0].value("grade", ""), "B");
  EXPECT_EQ(history[0].value("source", ""), "cli");
  EXPECT_EQ(history[0]["actor"].value("user", ""), "carol");
  EXPECT_EQ(history[1].value("grade", ""), "C");
  EXPECT_EQ(history[1].value("source", ""), "recompute");
  EXPECT_EQ(history[1].value("reason", ""), "recomputed");

  HttpReply policies = client_->Get("/v1/policies", kMarket);
  ASSERT_EQ(policies.status, 200);
  bool found = false;
  const Json listed = policies.Json();
  for (const Json& p : listed["items"]) found |= p.value("id", "") == "commitment";
  EXPECT_TRUE(found) << policies.body;
  HttpReply policy = client_->Get("/v1/policies/commitment/2024.1", kMarket);
  ASSERT_EQ(policy.status, 200) << policy.body;
  EXPECT_EQ(policy.Json()["commitment_types"].size(), 15u);
  EXPECT_FALSE(policy.Json()["commitment_types"][0].value("source", "").empty());

  HttpReply workflow = client_->Get("/v1/workflows/verification", kAuditor);
  ASSERT_EQ(workflow.status, 200);
  EXPECT_EQ(workflow.Json().value("name", ""), "verification");
  EXPECT_FALSE(workflow.Json()["transitions"].empty());
  HttpReply dot = client_->Get("/v1/workflows/verification?format=dot", kAuditor);
  EXPECT_EQ(dot.status, 200);
  EXPECT_EQ(dot.Header("Content-Type"), "text/vnd.graphviz; charset=utf-8");
  EXPECT_EQ(dot.body.rfind("digraph \"verification\"", 0), 0u) << dot.body;
}

// ---- operations -------------------------------------------------------------------

// /healthz, /readyz and /metrics answer without a token, and the metrics
// count what the server did.
TEST_F(HttpApiTest, HealthReadinessAndMetrics) {
  EXPECT_EQ(client_->Get("/healthz").Json(), Json({{"status", "ok"}}));
  EXPECT_EQ(client_->Get("/readyz").Json(), Json({{"status", "ready"}}));
  File();
  client_->Get("/v1/cases/nope", kCaseworker);
  HttpReply metrics = client_->Get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.Header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  const std::string& m = metrics.body;
  EXPECT_NE(m.find("credflow_http_requests_total{route=\"/v1/commitments\",method=\"POST\",status=\"201\"} 1\n"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("credflow_http_requests_total{route=\"/v1/cases/{id}\",method=\"GET\",status=\"404\"} 1\n"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("credflow_http_request_duration_seconds_count{route=\"/v1/commitments\"} 1\n"), std::string::npos);
  EXPECT_NE(m.find("credflow_http_request_duration_seconds_bucket{route=\"/v1/commitments\",le=\"+Inf\"} 1\n"),
            std::string::npos);
  // One filing: the commitment's opening, filing and signing, and the
  // verification's opening and first event.
  EXPECT_NE(m.find("credflow_transitions_total{workflow=\"commitment\"} 3\n"), std::string::npos) << m;
  EXPECT_NE(m.find("credflow_transitions_total{workflow=\"verification\"} 2\n"), std::string::npos) << m;
  EXPECT_NE(m.find("credflow_timers_due 0\n"), std::string::npos) << m;
  EXPECT_NE(m.find("credflow_store_errors_total 0\n"), std::string::npos) << m;
  // The verification's deadline is due once its day has passed.
  clock_.SetDate(*policies::Date::Parse("2025-04-16"));
  EXPECT_NE(client_->Get("/metrics").body.find("credflow_timers_due 1\n"), std::string::npos);
}

// The document also lists the roles each route admits, as the router enforces
// them, so the published contract cannot drift from the server.
TEST_F(HttpApiTest, TheOpenApiDocumentDescribesExactlyTheRoutesServed) {
  HttpReply r = client_->Get("/v1/openapi.json");
  ASSERT_EQ(r.status, 200);
  const Json doc = r.Json();
  ASSERT_TRUE(doc.is_object()) << "not JSON";
  EXPECT_EQ(doc.value("openapi", "").substr(0, 2), "3.");
  std::set<std::string> documented, served;
  std::map<std::string, std::set<std::string>> documented_roles;
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const auto& [method, op] : item.items()) {
      if (method == "parameters") continue;
      std::string m = method;
      for (char& c : m) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      documented.insert(m + " " + path);
      for (const Json& role : op.value("x-credflow-roles", Json::array())) {
        documented_roles[m + " " + path].insert(role.get<std::string>());
      }
    }
  }
  for (const auto& route : api_->router().routes()) {
    const std::string key = route.method + " " + route.pattern;
    served.insert(key);
    std::set<std::string> roles;
    for (engine::Role role : route.roles) roles.insert(engine::RoleName(role));
    EXPECT_EQ(documented_roles[key], roles) << key;
  }
  EXPECT_EQ(documented, served);
}

// ---- who may send an event, and what its data hold -----------------------------

// The engine's own events and the timers' are refused to people, whatever
// their role, and the refusal writes nothing: the case keeps its version and
// its history.
TEST_F(HttpApiTest, TimerAndSystemEventsAreRefusedToPeopleWithNothingWritten) {
  const std::string commitment = File();
  const std::string verification = VerificationOf(commitment);
  ASSERT_FALSE(verification.empty());
  auto send = [&](const std::string& id, const std::string& token, const Json& body) {
    return client_->Post("/v1/cases/" + id + "/events", token, body);
  };
  auto history_size = [&](const std::string& id) {
    return client_->Get("/v1/cases/" + id + "/history", kAuditor).Json()["events"].size();
  };
  const std::string etag = client_->Get("/v1/cases/" + verification, kCaseworker).Header("ETag");
  const size_t events = history_size(verification);

  for (const char* token : {kCaseworker, kAdmin}) {
    HttpReply overdue = send(verification, token, {{"event", "VerificationOverdue"}});
    EXPECT_EQ(overdue.status, 403) << overdue.body;
    EXPECT_EQ(overdue.Json().value("code", ""), "timer_event");
    HttpReply draw =
        send(verification, token,
             {{"event", "DrawMade"},
              {"data", {{"seed", "chosen-by-hand"}, {"plan_date", "2025-03-03"}, {"verified_in_cycle", 0}}}});
    EXPECT_EQ(draw.status, 403) << draw.body;
    EXPECT_EQ(draw.Json().value("code", ""), "system_event");
  }
  EXPECT_EQ(client_->Get("/v1/cases/" + verification, kCaseworker).Header("ETag"), etag);
  EXPECT_EQ(history_size(verification), events);

  // Found untrue: the false-commitment case's deadline and repair are not
  // a caseworker's to declare either.
  HttpReply reported = send(verification, kCaseworker,
                            {{"event", "VerificationReported"},
                             {"data", {{"form", {{"result", "nonconforming"}, {"findings", "no cold storage"}}}}}});
  ASSERT_EQ(reported.status, 200) << reported.body;
  ASSERT_TRUE(service_->FireDueTimers().ok());
  HttpReply children = client_->Get("/v1/cases?parent=" + commitment + "&workflow=false_commitment", kCaseworker);
  ASSERT_EQ(children.status, 200) << children.body;
  ASSERT_EQ(children.Json()["items"].size(), 1u) << children.body;
  const std::string false_commitment = children.Json()["items"][0].value("id", "");
  const std::string before = client_->Get("/v1/cases/" + false_commitment, kCaseworker).Header("ETag");
  HttpReply deadline = send(false_commitment, kCaseworker, {{"event", "RectificationDeadlinePassed"}});
  EXPECT_EQ(deadline.status, 403) << deadline.body;
  EXPECT_EQ(deadline.Json().value("code", ""), "timer_event");
  HttpReply repaired = send(false_commitment, kCaseworker, {{"event", "CreditRecordRepaired"}});
  EXPECT_EQ(repaired.status, 403) << repaired.body;
  EXPECT_EQ(repaired.Json().value("code", ""), "system_event");
  EXPECT_EQ(client_->Get("/v1/cases/" + false_commitment, kCaseworker).Header("ETag"), before);
  EXPECT_EQ(client_->Get("/v1/cases/" + false_commitment, kCaseworker).Json().value("state", ""),
            "RectificationOrdered");
}

// Data that do not fit the event's declaration are 422 with one error per
// member, before anything else is looked at; nothing is written.
TEST_F(HttpApiTest, EventDataThatDoNotFitTheDeclarationAre422WithNothingWritten) {
  const std::string verification = VerificationOf(File());
  const std::string etag = client_->Get("/v1/cases/" + verification, kCaseworker).Header("ETag");

  HttpReply seed = client_->Post("/v1/cases/" + verification + "/events", kCaseworker,
                                 {{"event", "DrawMade"}, {"data", {{"seed", 5}}}});
  EXPECT_EQ(seed.status, 422) << seed.body;
  EXPECT_EQ(seed.Json().value("code", ""), "invalid_event_data");
  ASSERT_EQ(seed.Json()["errors"].size(), 1u) << seed.body;
  EXPECT_EQ(seed.Json()["errors"][0].value("field", ""), "seed");
  EXPECT_EQ(seed.Json()["errors"][0].value("code", ""), "wrong_type");

  HttpReply unknown = client_->Post("/v1/cases/" + verification + "/events", kCaseworker,
                                    {{"event", "VerificationStarted"}, {"data", {{"x", 1}}}});
  EXPECT_EQ(unknown.status, 422) << unknown.body;
  EXPECT_EQ(unknown.Json().value("code", ""), "invalid_event_data");
  ASSERT_EQ(unknown.Json()["errors"].size(), 1u) << unknown.body;
  EXPECT_EQ(unknown.Json()["errors"][0].value("field", ""), "x");
  EXPECT_EQ(unknown.Json()["errors"][0].value("code", ""), "unknown_field");

  HttpReply nested = client_->Post("/v1/cases/" + verification + "/events", kCaseworker,
                                   {{"event", "VerificationStarted"}, {"data", {{"x", {{"y", 1}}}}}});
  EXPECT_EQ(nested.status, 422) << nested.body;
  EXPECT_EQ(nested.Json()["errors"][0].value("field", ""), "x");

  EXPECT_EQ(client_->Get("/v1/cases/" + verification, kCaseworker).Header("ETag"), etag);
}

// GET /v1/workflows/{name} and the OpenAPI document describe every event:
// its origin, who may send it and the schema of its data.
TEST_F(HttpApiTest, WorkflowsAndTheOpenApiDocumentDescribeEachEvent) {
  HttpReply workflow = client_->Get("/v1/workflows/verification", kCaseworker);
  ASSERT_EQ(workflow.status, 200) << workflow.body;
  const Json described = workflow.Json();
  std::map<std::string, Json> events;
  for (const Json& e : described["events"]) events[e.value("name", "")] = e;
  ASSERT_EQ(events.count("DrawMade"), 1u);
  EXPECT_EQ(events["DrawMade"].value("origin", ""), "system");
  EXPECT_EQ(events["VerificationOverdue"].value("origin", ""), "timer");
  EXPECT_EQ(events["VerificationStarted"].value("origin", ""), "person");
  EXPECT_EQ(events["VerificationStarted"]["roles"], Json({"caseworker", "admin"}));
  EXPECT_EQ(events["DrawMade"]["data"]["properties"]["seed"].value("type", ""), "string");
  EXPECT_EQ(events["DrawMade"]["data"]["required"], Json({"seed", "plan_date", "verified_in_cycle"}));

  HttpReply openapi = client_->Get("/v1/openapi.json");
  ASSERT_EQ(openapi.status, 200);
  const Json doc = openapi.Json();
  const Json& schemas = doc["components"]["schemas"];
  ASSERT_TRUE(schemas.contains("Event.verification.VerificationStarted"));
  EXPECT_EQ(schemas["Event.verification.VerificationStarted"].value("x-credflow-origin", ""), "person");
  EXPECT_FALSE(schemas.contains("Event.verification.DrawMade")) << "no operation accepts it: not a component";
  const Json& operation = doc["paths"]["/v1/cases/{id}/events"]["post"];
  std::map<std::string, Json> recorded;
  for (const Json& e : operation["x-credflow-recorded-events"]) recorded[e.value("title", "")] = e;
  ASSERT_EQ(recorded.count("Event.verification.DrawMade"), 1u) << "recorded by the engine, listed beside";
  EXPECT_EQ(recorded["Event.verification.DrawMade"].value("x-credflow-origin", ""), "system");
  EXPECT_EQ(recorded["Event.verification.VerificationOverdue"].value("x-credflow-origin", ""), "timer");
  EXPECT_EQ(recorded.count("Event.verification.VerificationStarted"), 0u) << "a person's event is a component";
  std::set<std::string> sendable;
  for (const Json& ref : operation["requestBody"]["content"]["application/json"]["schema"]["oneOf"]) {
    sendable.insert(ref.value("$ref", ""));
  }
  EXPECT_EQ(sendable.count("#/components/schemas/Event.verification.VerificationStarted"), 1u);
  EXPECT_EQ(sendable.count("#/components/schemas/Event.verification.DrawMade"), 0u) << "a system event";
  EXPECT_EQ(sendable.count("#/components/schemas/Event.verification.VerificationOverdue"), 0u) << "a timer event";
}

// An auditor's check of projections: a clean store is clean, and a case
// column edited by hand (here the department, which decides who may act) is
// named as the first disagreement. Caseworkers may not run it.
TEST_F(HttpApiTest, AuditorsCheckProjectionsAgainstTheHistories) {
  HttpReply clean = client_->Get("/v1/audit/projections", kAuditor);
  ASSERT_EQ(clean.status, 200) << clean.body;
  EXPECT_TRUE(clean.Json().value("clean", false)) << clean.body;

  const std::string commitment = File();
  ASSERT_TRUE(store_->ExecuteForTesting("UPDATE cases SET department = 'tax' WHERE id = '" + commitment + "'").ok());
  HttpReply tampered = client_->Get("/v1/audit/projections", kAuditor);
  ASSERT_EQ(tampered.status, 200) << tampered.body;
  EXPECT_FALSE(tampered.Json().value("clean", true));
  EXPECT_EQ(tampered.Json()["first"].value("key", ""), commitment);
  EXPECT_EQ(tampered.Json()["first"].value("field", ""), "department");
  EXPECT_EQ(client_->Get("/v1/audit/projections", kCaseworker).status, 403);
}

}  // namespace
}  // namespace credflow

namespace credflow {
namespace {

// The API shows Beijing time: a case filed at 14:03 in Suzhou (06:03 UTC)
// says 14:03+08:00, its deadline fires at 00:00+08:00 of the day after its
// last day, and its history gives the hashed UTC form beside it.
TEST_F(HttpApiTest, TimesAreShownInBeijingTime) {
  clock_.Set(clock_.Now() + std::chrono::hours(14) + std::chrono::minutes(3));  // 2025-03-03 14:03 Beijing
  const std::string commitment = File();
  HttpReply got = client_->Get("/v1/cases/" + commitment, kCaseworker);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.Json().value("created_at", ""), "2025-03-03T14:03:00+08:00") << got.body;
  EXPECT_EQ(got.Json().value("updated_at", ""), "2025-03-03T14:03:00+08:00") << got.body;
  HttpReply verification = client_->Get("/v1/cases/" + VerificationOf(commitment), kCaseworker);
  ASSERT_EQ(verification.status, 200) << verification.body;
  const Json deadlines = verification.Json()["deadlines"];
  ASSERT_EQ(deadlines.size(), 1u) << verification.body;
  EXPECT_EQ(deadlines[0].value("due_on", ""), "2025-04-15");
  EXPECT_EQ(deadlines[0].value("fires_at", ""), "2025-04-16T00:00:00+08:00") << verification.body;
  HttpReply history = client_->Get("/v1/cases/" + commitment + "/history", kAuditor);
  ASSERT_EQ(history.status, 200) << history.body;
  const Json first = history.Json()["events"][0];
  EXPECT_EQ(first.value("at", ""), "2025-03-03T14:03:00+08:00");
  EXPECT_EQ(first.value("at_utc", ""), "2025-03-03T06:03:00Z");
}

}  // namespace
}  // namespace credflow
