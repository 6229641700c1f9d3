// The HTTP/JSON API under /v1: the route table and its handlers. Handlers
// are thin: decode the request, call the engine (CaseService, the store's
// reads, the views), encode the answer. Api::Handle is the whole request
// path minus sockets: route (404/405), body limit (413), the client's
// failed-authentication back-off (429), authentication (401), role (403),
// handler, problem mapping, metrics. It names no Poco
// type; server.h puts it behind Poco's HTTP server.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "adapters/http/anchor_shelf.h"
#include "adapters/http/auth.h"
#include "adapters/http/auth_backoff.h"
#include "adapters/http/console_files.h"
#include "adapters/http/http_message.h"
#include "adapters/http/metrics.h"
#include "adapters/http/router.h"
#include "adapters/http/session.h"
#include "engine/case_service.h"

namespace credflow::adapters::http {

// A store to read from, and what the answer says about it: "primary", or
// "replica; staleness-ms=N" (the replica held every commit of the primary
// older than N ms).
struct ReadSource {
  engine::CaseStore* store = nullptr;  // null: the service's store
  std::string served_by = "primary";
};

struct ApiOptions {
  // How long an authenticated token is trusted without asking the store.
  std::chrono::milliseconds auth_cache_ttl{5000};
  // Console sign-in (session.h): idle expiry, the Secure cookie.
  SessionOptions sessions;
  // The console's built files served at "/" (console_files.h); null: none.
  // Must outlive the Api.
  const ConsoleFiles* console = nullptr;
  // Failed authentication per client address (auth_backoff.h): unknown,
  // missing or disabled tokens, ended sessions and failed sign-ins alike. A
  // backed-off address is answered 429 on every route that needs a token
  // and on sign-in, a valid token or password included, until its
  // Retry-After has passed.
  AuthBackoffOptions auth_backoff;
  // The back-off's steady time; empty = std::chrono::steady_clock::now.
  AuthBackoff::Now steady_now;
  // The anchor files auditors list and check (anchor_shelf.h); null: none
  // (the list is empty). Must outlive the Api.
  const AnchorShelf* anchors = nullptr;
  // Where the reads that may be a little stale go (case lists, histories,
  // statistics, the whole-store check): a read replica when it is within
  // its bound, with how stale it may be. Empty: the service's store. Each
  // such answer says where it was read (Credflow-Read-From).
  std::function<ReadSource()> read_source;
};

class Api {
 public:
  // The service, its store, workflows and rules must outlive the Api. The
  // Api installs the service's commit observer (transition metrics).
  Api(engine::CaseService* service, ApiOptions options);

  // Answers one request. Never throws.
  HttpResponse Handle(const HttpRequest& request);

  const Router& router() const { return router_; }
  Metrics& metrics() { return metrics_; }

 private:
  // The store for a read that may be stale (ApiOptions::read_source), and
  // the header that says so.
  ReadSource Reads();
  static HttpResponse ReadFrom(const ReadSource& source, HttpResponse resp);

  HttpResponse FileCommitment(const HttpRequest& req, const PathParams& p, const Caller& caller);
  HttpResponse FireEvent(const HttpRequest& req, const PathParams& p, const Caller& caller);
  HttpResponse RaiseObjection(const HttpRequest& req, const PathParams& p, const Caller& caller);
  HttpResponse GetCase(const HttpRequest& req, const PathParams& p, const Caller& caller);
  HttpResponse ListCases(const HttpRequest& req, const PathParams& p, const Caller& caller);
  HttpResponse GetHistory(const HttpRequest& req, const PathParams& p, const Caller& caller);
  HttpResponse GetDocument(const HttpRequest& req, const PathParams& p, const Caller& caller);
  HttpResponse ListDocuments(const HttpRequest& req, const PathParams& p, const Caller& caller);
  HttpResponse GetForm(const HttpRequest& req, const PathParams& p, const Caller& caller);
  HttpResponse VerifyHistory(const HttpRequest& req, const PathParams& p, const Caller& caller);
  HttpResponse CheckProjections(const HttpRequest& req, const PathParams& p, const Caller& caller);
  HttpResponse GetSubject(const HttpRequest& req, const PathParams& p, const Caller& caller);
  HttpResponse ListPolicies(const HttpRequest& req, const PathParams& p, const Caller& caller);
  HttpResponse GetPolicy(const HttpRequest& req, const PathParams& p, const Caller& caller);
  HttpResponse GetWorkflow(const HttpRequest& req, const PathParams& p, const Caller& caller);
  HttpResponse DepartmentTasks(const HttpRequest& req, const PathParams& p, const Caller& caller);
  HttpResponse RecordDishonesty(const HttpRequest& req, const PathParams& p, const Caller& caller);
  HttpResponse ReportViolation(const HttpRequest& req, const PathParams& p, const Caller& caller);
  HttpResponse LedgerReport(const HttpRequest& req, const PathParams& p, const Caller& caller);
  HttpResponse GetStatistics(const HttpRequest& req, const PathParams& p, const Caller& caller);
  HttpResponse FulfilObligations(const HttpRequest& req, const PathParams& p, const Caller& caller);
  HttpResponse SubjectRecords(const HttpRequest& req, const PathParams& p, const Caller& caller);
  HttpResponse ApplyForRepair(const HttpRequest& req, const PathParams& p, const Caller& caller);
  HttpResponse GetRepair(const HttpRequest& req, const PathParams& p, const Caller& caller);
  HttpResponse GetRepairNotice(const HttpRequest& req, const PathParams& p, const Caller& caller);
  HttpResponse SupplyDocuments(const HttpRequest& req, const PathParams& p, const Caller& caller);
  HttpResponse RevokeRepair(const HttpRequest& req, const PathParams& p, const Caller& caller);
  HttpResponse DecideTask(const HttpRequest& req, const PathParams& p, const Caller& caller);
  HttpResponse ExtendTask(const HttpRequest& req, const PathParams& p, const Caller& caller);
  HttpResponse Health(const HttpRequest& req, const PathParams& p, const Caller& caller);
  HttpResponse Ready(const HttpRequest& req, const PathParams& p, const Caller& caller);
  HttpResponse RenderMetrics(const HttpRequest& req, const PathParams& p, const Caller& caller);
  HttpResponse OpenApi(const HttpRequest& req, const PathParams& p, const Caller& caller);
  HttpResponse SearchSubjects(const HttpRequest& req, const PathParams& p, const Caller& caller);
  // The auditor's desk (api_audit.cc).
  HttpResponse VerifyStore(const HttpRequest& req, const PathParams& p, const Caller& caller);
  HttpResponse ReplayOneCase(const HttpRequest& req, const PathParams& p, const Caller& caller);
  HttpResponse ListAnchors(const HttpRequest& req, const PathParams& p, const Caller& caller);
  HttpResponse CheckAnchorFile(const HttpRequest& req, const PathParams& p, const Caller& caller);

  // Checks the body size, the token and the role, then runs the handler.
  HttpResponse Admit(const HttpRequest& request, const Route& route, const PathParams& params);
  // Document `kind` of case `c` as an A4 HTML page (issuing its number on
  // first read), or the problem.
  // The document as an A4 page; printing it issues its number, except for
  // an auditor, who reads: the number issued, or a preview, nothing written.
  HttpResponse DocumentPage(const engine::Case& c, const std::string& kind, const Caller& caller);
  // The problem for an engine failure; counts store failures.
  HttpResponse Fail(const engine::Status& st);
  // A command that opens a case for the body's "subject" (a record, a
  // reported violation): the body parsed, the subject required, the rest of
  // the body handed to `open` with the caller and the idempotency key; 201
  // with Location on success.
  using SubjectCommand = std::function<engine::Result<engine::CommandResult>(
      const std::string& subject, engine::Json rest, const engine::Actor& actor, const std::string& key)>;
  HttpResponse OpenForSubject(const HttpRequest& req, const Caller& caller, const SubjectCommand& open);
  // Sends a person's event (FireEvent and the routes named after one event):
  // 200 with the case, or the problem, with the case's state, version and
  // accepted events when the event was not allowed or the version moved.
  HttpResponse SendEvent(const engine::FireEventRequest& request);
  HttpResponse EventFromBody(const HttpRequest& req, const PathParams& p, const Caller& caller, const char* event,
                             const std::set<std::string>& allowed);
  // Loads a case the caller may see: 404 when unknown, 403 when it is
  // another department's.
  engine::Result<engine::Case> LoadVisibleCase(const std::string& id, const Caller& caller);
  // The 429 for a backed-off client address, or nothing.
  std::optional<HttpResponse> BackedOff(const std::string& client);
  // Counts a failed authentication or sign-in of `client` in the metrics
  // by `code`; a `guess` (a wrong token or password) also in the back-off,
  // logged as a warning with `why`, never the credential. A request with no
  // credential at all, or an ended session (whose 256-bit id no one
  // guesses), is no guess: a console opened by a whole office behind one
  // address must not back that address off.
  void CountFailure(const std::string& client, const std::string& code, const std::string& why,
                    const HttpRequest& request, const std::string& pattern, bool guess);
  // POST /v1/session behind the back-off.
  HttpResponse SignIn(const HttpRequest& request);

  engine::CaseService* service_;
  ApiOptions options_;
  Authenticator auth_;
  SessionManager sessions_;
  AuthBackoff backoff_;
  Metrics metrics_;
  Router router_;
  // The OpenAPI document with every workflow's event schemas, built once.
  std::string openapi_;
};

// The OpenAPI 3 document (openapi.json, embedded at build time).
const std::string& OpenApiDocument();

// The document GET /v1/openapi.json serves: OpenApiDocument() plus one schema
// per event of `workflows` and the events a person may send as the body of
// POST /v1/cases/{id}/events (`credflow openapi` prints it).
std::string ServedOpenApiDocument(const engine::WorkflowRegistry& workflows);

}  // namespace credflow::adapters::http
