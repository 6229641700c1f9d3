// The credflow command line. Every subcommand has --help. Commands that run
// the engine load and check the rule book first and refuse to start on a
// broken policy, calendar or form (exit code 2, errors with file:line).
#include "adapters/cli/app.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>
#include <optional>
#include <thread>

#include "adapters/app/rules.h"
#include "adapters/app/views.h"
#include "adapters/cli/cli_support.h"
#include "adapters/cli/commands.h"
#include "adapters/http/api.h"
#include "adapters/scenario/scenario_runner.h"
#include "adapters/store/soci_case_store.h"
#include "adapters/xml/policy_loader.h"
#include "engine/audit.h"
#include "engine/case_service.h"
#include "engine/chain_scan.h"
#include "engine/clock.h"
#include "engine/projections.h"
#include "policies/catalogue.h"
#include "workflows/commitment/commitment_workflow.h"
#include "workflows/commitment/eligibility.h"
#include "workflows/registry.h"

namespace credflow::adapters::cli {
namespace {

using engine::Json;

// ---- migrate --------------------------------------------------------------

int Migrate(const GlobalOptions& g) {
  std::unique_ptr<SociCaseStore> store = OpenStoreOrExplain(g, /*migrate=*/false);
  if (!store) return kExitUnusable;
  engine::Result<int> before = store->CurrentSchemaVersion();
  if (!before.ok()) return PrintStatus(before.status()), kExitUnusable;
  engine::Status st = store->Migrate();
  if (!st.ok()) return PrintStatus(st), kExitFailed;
  std::cout << "schema of " << store->redacted_url() << ": version " << *before << " -> "
            << SociCaseStore::TargetSchemaVersion() << "\n";
  return kExitOk;
}

// ---- policy check ---------------------------------------------------------

int PolicyCheck(const GlobalOptions& g, const std::string& dir, const std::string& calendar, const std::string& forms) {
  RulePaths paths = Paths(g);
  if (!dir.empty()) paths.policies_dir = dir;
  if (!calendar.empty()) paths.calendar_path = calendar;
  if (!forms.empty()) paths.forms_dir = forms;
  std::unique_ptr<LoadedRules> rules = LoadRules(paths);
  for (const std::string& e : rules->errors) std::cerr << e << "\n";
  if (!rules->ok()) {
    std::cerr << rules->errors.size() << " error(s)\n";
    return kExitFailed;
  }
  for (const policies::Policy* p : rules->policies.All()) {
    std::cout << p->id << " " << p->version << "  " << p->effective_from.ToString() << " .. "
              << (p->effective_to ? p->effective_to->ToString() : "open") << "  " << p->authority << "  (" << p->file
              << ", sha256 " << p->content_hash.substr(0, 12) << ")\n";
  }
  const std::vector<int> provisional = rules->calendar.provisional_years();
  std::cout << "calendar " << rules->calendar.version() << " (sha256 " << rules->calendar.content_hash().substr(0, 12)
            << "): official " << rules->calendar.first_year() << "-" << rules->calendar.last_year();
  if (!provisional.empty()) std::cout << ", provisional " << provisional.front() << "-" << provisional.back();
  std::cout << "; forms: " << rules->forms.All().size() << "\nok\n";
  return kExitOk;
}

// ---- workflow describe ----------------------------------------------------

int WorkflowDescribe(const std::string& name, bool dot) {
  engine::WorkflowRegistry registry;
  workflows::RegisterAll(registry);
  const engine::WorkflowDefinition* def = registry.Find(name);
  if (def == nullptr) {
    std::cerr << "credflow: no workflow named '" << name << "'; known:";
    for (const std::string& n : registry.Names()) std::cerr << " " << n;
    std::cerr << "\n";
    return kExitUnusable;
  }
  if (dot) {
    std::cout << WorkflowDot(*def);
    return kExitOk;
  }
  std::cout << "workflow " << def->name() << " (definition v" << def->version() << ", policy " << def->policy_id()
            << ")\n\nstates (outcome):\n";
  for (const std::string& s : def->states()) {
    std::cout << "  " << s << (s == def->initial_state() ? "  [initial]" : "") << (def->IsFinal(s) ? "  [final]" : "")
              << "  (" << def->OutcomeOf(s) << ")\n";
  }
  std::cout << "\nevents (origin; who may send it; data):\n";
  for (const engine::EventSpec& spec : def->events()) {
    std::string who;
    for (const std::string& r : spec.roles) who += (who.empty() ? "" : ", ") + r;
    std::string fields;
    for (const forms::FieldDefinition& f : spec.schema.fields) {
      fields += (fields.empty() ? "" : ", ") + f.name + (f.required ? "" : "?");
    }
    for (const engine::NestedMember& n : spec.nested) {
      fields += (fields.empty() ? "" : ", ") + n.name + (n.required ? "" : "?") +
                (n.kind == engine::NestedMember::Kind::kForm ? " (form)" : " (object)");
    }
    std::printf("  %-28s %-7s %-24s {%s}\n", spec.name.c_str(), engine::OriginName(spec.origin),
                spec.origin == engine::EventOrigin::kPerson ? who.c_str() : "-", fields.c_str());
  }
  std::cout << "\ntransitions:\n";
  std::printf("  %-18s %-20s %-18s %-24s %s\n", "from", "event", "to", "action", "guard");
  for (const engine::TransitionInfo& t : def->transitions()) {
    std::printf("  %-18s %-20s %-18s %-24s %s\n", t.from.c_str(), t.event.c_str(), t.to.c_str(), t.action.c_str(),
                t.guard.c_str());
  }
  return kExitOk;
}

// The OpenAPI document as GET /v1/openapi.json serves it, for client
// generators and linters (tests/contract/openapi-lint) without a server.
int PrintOpenApi() {
  engine::WorkflowRegistry registry;
  workflows::RegisterAll(registry);
  std::cout << http::ServedOpenApiDocument(registry) << "\n";
  return kExitOk;
}

// ---- case show / history / list / fire ------------------------------------

int CaseShow(const GlobalOptions& g, const std::string& id, bool json) {
  std::unique_ptr<Engine> e = StartEngine(g);
  if (!e) return kExitUnusable;
  engine::Result<engine::Case> c = e->store->GetCase(id);
  if (!c.ok()) return PrintStatus(c.status()), kExitFailed;
  engine::Result<Json> viewed = CaseView(*e->store, e->workflows, e->rules->policies, e->clock->Today(), *c);
  if (!viewed.ok()) return PrintStatus(viewed.status()), kExitFailed;
  const Json& view = *viewed;
  const Json& deadlines = view["deadlines"];
  if (json) {
    std::cout << view.dump(2) << "\n";
    return kExitOk;
  }
  std::cout << "case      " << c->id << "\nworkflow  " << c->workflow << "\nsubject   " << c->subject << "\nstate     "
            << c->state << "  (outcome " << c->outcome << (c->reason.empty() ? "" : ", reason " + c->reason)
            << ")\nversion   " << c->version << "\npolicy    " << c->policy.id << " " << c->policy.version
            << "  sha256 " << c->policy.content_hash.substr(0, 12) << "\n";
  if (!c->parent_id.empty()) std::cout << "parent    " << c->parent_id << "\n";
  std::cout << "opened    " << view["created_at"].get<std::string>() << "\nupdated   "
            << view["updated_at"].get<std::string>() << "\n";
  if (view["commitment_route"].is_object()) {
    const Json& r = view["commitment_route"];
    std::cout << "route     " << r["route"].get<std::string>();
    if (!r["reason"].get<std::string>().empty()) {
      std::cout << "  (" << r["reason"].get<std::string>() << "; " << r["source"].get<std::string>() << ")";
    }
    std::cout << "\n";
  }
  for (const Json& d : deadlines) {
    std::cout << "deadline  " << d["name"].get<std::string>() << " due " << d["due_on"].get<std::string>()
              << (d["provisional"].get<bool>() ? " (provisional: counted before the year's holiday notice)" : "")
              << " -> " << d["event"].get<std::string>() << "\n";
  }
  for (const Json& child : view["children"]) {
    std::cout << "child     " << child["workflow"].get<std::string>() << " " << child["id"].get<std::string>() << "  "
              << child["state"].get<std::string>() << " (" << child["outcome"].get<std::string>() << ")\n";
  }
  std::cout << "accepts  ";
  for (const Json& ev : view["events_allowed"]) std::cout << " " << ev.get<std::string>();
  std::cout << "\ndata      " << c->data.dump(2) << "\n";
  return kExitOk;
}

int CaseHistory(const GlobalOptions& g, const std::string& id, bool json) {
  std::unique_ptr<SociCaseStore> store = OpenStoreOrExplain(g);
  if (!store) return kExitUnusable;
  engine::Result<engine::Case> c = store->GetCase(id);
  if (!c.ok()) return PrintStatus(c.status()), kExitFailed;
  engine::Result<std::vector<engine::HistoryEvent>> history = store->GetHistory(id);
  if (!history.ok()) return PrintStatus(history.status()), kExitFailed;
  Json all = Json::array();
  for (const engine::HistoryEvent& h : *history) {
    Json j = HistoryEventJson(h);
    if (json) {
      all.push_back(j);
      continue;
    }
    std::cout << h.seq << "  " << engine::FormatOfficeTimestamp(h.at) << "  " << h.event << "  "
              << (h.from_state.empty() ? "-" : h.from_state) << " -> " << h.to_state << "  by " << h.actor.user << " ("
              << h.actor.role << (h.actor.department.empty() ? "" : ", " + h.actor.department) << ")  "
              << h.hash.substr(0, 12) << "\n    " << h.payload.value("data", Json::object()).dump() << "\n";
  }
  if (json) std::cout << all.dump(2) << "\n";
  return kExitOk;
}

int CaseList(const GlobalOptions& g, engine::CaseQuery query) {
  if (!query.workflow.empty()) {
    engine::WorkflowRegistry registry;
    workflows::RegisterAll(registry);
    if (registry.Find(query.workflow) == nullptr) {
      std::cerr << "credflow: no workflow named '" << query.workflow << "'; known:";
      for (const std::string& n : registry.Names()) std::cerr << " " << n;
      std::cerr << "\n";
      return kExitUnusable;
    }
  }
  // --state open: every case not in a final state, as the API's state=open.
  if (query.state == "open") {
    query.state.clear();
    query.open_only = true;
  }
  std::unique_ptr<SociCaseStore> store = OpenStoreOrExplain(g);
  if (!store) return kExitUnusable;
  engine::Result<std::vector<engine::Case>> cases = store->FindCases(query);
  if (!cases.ok()) return PrintStatus(cases.status()), kExitFailed;
  std::unique_ptr<engine::Clock> clock = MakeClock(g);
  if (!clock) return kExitUnusable;
  const policies::Date today = clock->Today();
  for (const engine::Case& c : *cases) {
    std::cout << c.id << "  " << c.workflow << "  " << c.subject << "  " << c.state << "  (" << c.outcome << ")  v"
              << c.version;
    engine::Result<Json> deadlines = DeadlinesJson(*store, c.id, today);
    if (!deadlines.ok()) return PrintStatus(deadlines.status()), kExitFailed;
    for (const Json& d : *deadlines) {
      std::cout << "  " << d["name"].get<std::string>() << " due " << d["due_on"].get<std::string>()
                << (d["provisional"].get<bool>() ? " (provisional)" : "");
    }
    std::cout << "\n";
  }
  return kExitOk;
}

int CaseFire(const GlobalOptions& g, const std::string& id, const std::string& event, const std::string& data,
             const std::string& user, const std::string& key, int64_t if_version) {
  std::optional<Json> payload = ParseJsonArgument(data, "--data");
  if (!payload) return kExitUnusable;
  std::unique_ptr<Engine> e = StartEngine(g);
  if (!e) return kExitUnusable;
  engine::FireEventRequest request;
  request.case_id = id;
  request.event = engine::EventInput{event, *payload, engine::Actor{user, "caseworker", ""}};
  request.idempotency_key = CliKey(user, key);
  if (if_version > 0) request.expected_version = if_version;
  return PrintResult(e->service->Fire(request));
}

int CommitmentFile(const GlobalOptions& g, const std::string& subject, const std::string& type, const std::string& form,
                   const std::string& user, const std::string& key) {
  std::optional<Json> letter = ParseJsonArgument(form, "--form");
  if (!letter) return kExitUnusable;
  std::unique_ptr<Engine> e = StartEngine(g);
  if (!e) return kExitUnusable;
  workflows::commitment::FileCommitmentRequest request{
      subject, "", type, *letter, engine::Actor{user, "caseworker", ""}, CliKey(user, key)};
  return PrintResult(workflows::commitment::FileCommitment(*e->service, request));
}

// Fires a person's event of the commitment lifecycle on a case, as `user`
// at the window.
int CommitmentEvent(const GlobalOptions& g, const std::string& id, const char* event, Json data,
                    const std::string& user, const std::string& key) {
  std::unique_ptr<Engine> e = StartEngine(g);
  if (!e) return kExitUnusable;
  engine::FireEventRequest request;
  request.case_id = id;
  request.event = engine::EventInput{event, std::move(data), engine::Actor{user, "caseworker", ""}};
  request.idempotency_key = CliKey(user, key);
  return PrintResult(e->service->Fire(request));
}

// The commitment catalogue in force today: what may be filed, and how.
int CommitmentTypes(const GlobalOptions& g, bool json) {
  std::unique_ptr<engine::Clock> clock = MakeClock(g);
  if (!clock) return kExitUnusable;
  std::unique_ptr<LoadedRules> rules = LoadRulesOrExplain(g);
  if (!rules) return kExitUnusable;
  const policies::Date today = clock->Today();
  const policies::Policy* policy = rules->policies.Select(workflows::commitment::kPolicyId, today);
  const policies::CatalogueSection* catalogue =
      policy != nullptr ? policy->Find<policies::CatalogueSection>() : nullptr;
  if (catalogue == nullptr) {
    std::cerr << "credflow: no commitment catalogue is in force on " << today.ToString() << "\n";
    return kExitFailed;
  }
  Json items = Json::array();
  for (const policies::CommitmentType& t : catalogue->types) {
    items.push_back({{"id", t.id},
                     {"name", t.name},
                     {"kind", t.kind},
                     {"form", t.form_id},
                     {"authority", t.authority},
                     {"decision", t.decision}});
  }
  if (json) {
    std::cout << Json{{"policy", policy->id}, {"version", policy->version}, {"types", items}}.dump(2) << "\n";
    return kExitOk;
  }
  std::cout << "commitment catalogue " << policy->version << " (" << policy->authority << "), in force on "
            << today.ToString() << "\n";
  for (const policies::CommitmentType& t : catalogue->types) {
    std::cout << "  " << t.id << "  " << t.name << "  " << t.kind << "  form " << t.form_id << "\n";
  }
  return kExitOk;
}

int TimersRun(const GlobalOptions& g) {
  std::unique_ptr<Engine> e = StartEngine(g);
  if (!e) return kExitUnusable;
  RecountDeadlinesAtStartUp(*e);
  engine::Result<int> fired = e->service->FireDueTimers();
  if (!fired.ok()) return PrintStatus(fired.status()), kExitFailed;
  std::cout << "fired " << *fired << " timer(s)\n";
  return kExitOk;
}

// The scheduler loop: claims due timers (FOR UPDATE SKIP LOCKED on
// PostgreSQL, so several processes may run it) until SIGINT or SIGTERM.
std::atomic<bool> g_stop{false};
extern "C" void RequestStop(int) { g_stop.store(true); }

int SchedulerRun(const GlobalOptions& g, int interval_seconds) {
  std::unique_ptr<Engine> e = StartEngine(g);
  if (!e) return kExitUnusable;
  RecountDeadlinesAtStartUp(*e);
  std::signal(SIGINT, RequestStop);
  std::signal(SIGTERM, RequestStop);
  spdlog::set_level(spdlog::level::info);
  spdlog::info("scheduler: polling {} every {} s", e->store->redacted_url(), interval_seconds);
  while (!g_stop.load()) {
    engine::Result<int> fired = e->service->FireDueTimers();
    if (!fired.ok()) {
      spdlog::error("scheduler: {}", fired.status().ToString());
    } else if (*fired > 0) {
      spdlog::info("scheduler: fired {} timer(s)", *fired);
    }
    // Sleep in short steps so a stop request is honoured promptly.
    for (int i = 0; i < interval_seconds * 10 && !g_stop.load(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  spdlog::info("scheduler: stopped");
  return kExitOk;
}

// ---- audit ----------------------------------------------------------------

std::optional<std::vector<std::string>> CaseIds(SociCaseStore& store, const std::string& id) {
  if (!id.empty()) return std::vector<std::string>{id};
  engine::Result<std::vector<std::string>> ids = store.ListCaseIds();
  if (!ids.ok()) {
    PrintStatus(ids.status());
    return std::nullopt;
  }
  return *ids;
}

// Prints what a projection check found: the unreplayable cases, then every
// disagreement (the first one first). Returns how many problems there were.
size_t PrintProjections(const engine::ProjectionReport& report, const char* verb) {
  for (const std::string& u : report.unreplayable) std::cout << "UNREPLAYABLE " << u << "\n";
  for (const engine::ProjectionDifference& d : report.differences) {
    std::cout << verb << " " << d.ToString() << "\n";
  }
  return report.unreplayable.size() + report.differences.size();
}

int AuditVerify(const GlobalOptions& g, const std::string& id, int threads, bool chains_only) {
  // One case: its chain. Every case: every chain in one streaming pass, then
  // what is derived from them (needs the rules to replay).
  if (!id.empty()) {
    std::unique_ptr<SociCaseStore> store = OpenStoreOrExplain(g);
    if (!store) return kExitUnusable;
    engine::Result<std::optional<engine::ChainBreak>> r = engine::VerifyCaseHistory(*store, id);
    if (!r.ok()) return PrintStatus(r.status()), kExitFailed;
    if (r->has_value()) PrintBreak(**r);
    std::cout << "audit verify: 1 case(s) checked, " << (r->has_value() ? 1 : 0) << " broken\n";
    return r->has_value() ? kExitFailed : kExitOk;
  }
  engine::ChainScanOptions options;
  options.threads = threads;  // 0: one per core, at most engine::kMaxChainScanThreads
  // A connection for each thread.
  const unsigned workers = threads > 0 ? static_cast<unsigned>(threads)
                                       : std::min(std::max(1u, std::thread::hardware_concurrency()),
                                                  static_cast<unsigned>(engine::kMaxChainScanThreads));
  std::unique_ptr<Engine> e = StartEngine(g, std::max<std::size_t>(4, workers));
  if (!e) return kExitUnusable;
  const auto started = std::chrono::steady_clock::now();
  engine::Result<engine::ChainScan> chains = engine::CheckAllChains(*e->store, options);
  if (!chains.ok()) return PrintStatus(chains.status()), kExitFailed;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  for (const engine::ChainBreak& b : chains->breaks) PrintBreak(b);
  const size_t broken = chains->breaks.size();
  std::cout << "audit verify: " << chains->cases << " case(s) checked, " << broken << " broken (" << chains->events
            << " event(s) read in " << std::fixed << std::setprecision(2) << seconds << " s, " << std::setprecision(0)
            << (seconds > 0 ? static_cast<double>(chains->events) / seconds : 0.0) << " events/s)\n"
            << std::defaultfloat << std::setprecision(6);
  if (chains_only) return broken == 0 ? kExitOk : kExitFailed;
  engine::Result<engine::ProjectionReport> projections =
      engine::CheckProjections(*e->store, e->workflows, e->rules->book());
  if (!projections.ok()) return PrintStatus(projections.status()), kExitFailed;
  const size_t problems = PrintProjections(*projections, "DIFFERS");
  std::cout << "audit verify: projections of " << projections->cases << " case(s), " << projections->records
            << " subject record(s), " << projections->subjects << " subject(s) derived from the histories; " << problems
            << " disagreement(s)"
            << (projections->moved > 0 ? " (" + std::to_string(projections->moved) +
                                             " more left aside: their cases moved during the check)"
                                       : std::string())
            << "\n";
  return broken == 0 && problems == 0 ? kExitOk : kExitFailed;
}

int AuditRebuild(const GlobalOptions& g, bool dry_run) {
  std::unique_ptr<Engine> e = StartEngine(g);
  if (!e) return kExitUnusable;
  engine::Result<engine::ProjectionReport> report =
      engine::RebuildProjections(*e->store, e->workflows, e->rules->book(), dry_run);
  if (!report.ok()) return PrintStatus(report.status()), kExitFailed;
  PrintProjections(*report, dry_run ? "WOULD REWRITE" : "REWROTE");
  if (dry_run) {
    std::cout << "audit rebuild --dry-run: " << report->differences.size() << " row(s) would change; nothing written\n";
  } else {
    std::cout << "audit rebuild: " << report->rewritten << " row(s) rewritten from the histories, in one transaction\n";
  }
  return report->unreplayable.empty() ? kExitOk : kExitFailed;
}

int AuditReplay(const GlobalOptions& g, const std::string& id) {
  std::unique_ptr<Engine> e = StartEngine(g);
  if (!e) return kExitUnusable;
  std::optional<std::vector<std::string>> ids = CaseIds(*e->store, id);
  if (!ids) return kExitUnusable;
  int mismatched = 0;
  for (const std::string& case_id : *ids) {
    engine::Result<engine::ReplayReport> r = engine::ReplayCase(*e->store, e->workflows, e->rules->book(), case_id);
    if (!r.ok()) return PrintStatus(r.status()), kExitFailed;
    if (r->matches) {
      std::cout << "ok        " << case_id << "  " << r->events << " events -> " << r->replayed_state << "\n";
    } else {
      std::cout << "MISMATCH  " << case_id << ": " << r->problem << "\n";
      ++mismatched;
    }
  }
  std::cout << "audit replay: " << ids->size() << " case(s) replayed, " << mismatched << " mismatched\n";
  return mismatched == 0 ? kExitOk : kExitFailed;
}

// ---- scenario run ---------------------------------------------------------

int ScenarioRun(const GlobalOptions& g, const std::vector<std::string>& files, const std::vector<std::string>& tags,
                bool keep, bool verbose) {
  std::unique_ptr<LoadedRules> rules = LoadRulesOrExplain(g);
  if (!rules) return kExitUnusable;
  ScenarioOptions options;
  options.tags = tags;
  options.verbose = verbose;
  if (keep) options.database_url = DatabaseUrl(g);
  return RunScenarios(files, *rules, options, std::cout);
}

}  // namespace
}  // namespace credflow::adapters::cli

namespace credflow::adapters {

int RunCli(int argc, char** argv) {
  using namespace cli;  // NOLINT: the composition root names every command
  // Logs go to stderr; stdout carries the commands' answers.
  spdlog::set_default_logger(spdlog::stderr_color_mt("credflow"));
  spdlog::set_level(spdlog::level::warn);
  if (std::optional<std::string> bad = NonUtf8Argument(argc, argv)) {
    std::cerr << "credflow: invalid_utf8: " << *bad << "\n";
    return kExitUnusable;
  }
  CLI::App app{"credflow: workflow and policy-compliance engine for enterprise-credit administration"};
  app.require_subcommand(1);
  // Set before any subcommand is added, which inherits it: an option a
  // subcommand does not know goes up to its parent, so the global options
  // work after the subcommand too (`credflow serve --database ...`).
  app.fallthrough();
  GlobalOptions g;
  app.add_option("--database", g.database,
                 "store URL: sqlite:FILE or postgresql://user@host:port/db (default: $CREDFLOW_DATABASE, "
                 "else sqlite:credflow.db)");
  app.add_option("--clock-date", g.clock_date,
                 "run on a manual clock set to this date (YYYY-MM-DD) instead of the system clock")
      ->check(ClockDate());
  app.add_flag("--no-group-commit", g.no_group_commit,
               "commit every command in a transaction of its own, begun before its first read, instead of "
               "committing concurrent commands together (for comparison; see tests/bench/README.md)");
  app.add_option("--home", g.home,
                 "folder holding policies/ and forms/ (default: $CREDFLOW_HOME, else the "
                 "source tree)");
  int exit_code = kExitOk;

  CLI::App* migrate = app.add_subcommand("migrate", "apply missing schema migrations to the store");
  migrate->callback([&] { exit_code = Migrate(g); });

  CLI::App* policy = app.add_subcommand("policy", "policy sets");
  policy->require_subcommand(1);
  std::string policy_dir, calendar_file, forms_dir;
  CLI::App* check = policy->add_subcommand("check", "validate a policy folder (and the calendar and forms)");
  check->add_option("DIR", policy_dir, "policy folder (default: the shipped policies/definitions)");
  check->add_option("--calendar", calendar_file, "working-day calendar: a folder of calendar XML files, or one file");
  check->add_option("--forms", forms_dir, "form definitions folder");
  check->callback([&] { exit_code = PolicyCheck(g, policy_dir, calendar_file, forms_dir); });

  CLI::App* openapi = app.add_subcommand("openapi", "print the OpenAPI document that GET /v1/openapi.json serves");
  openapi->callback([&] { exit_code = PrintOpenApi(); });

  CLI::App* workflow = app.add_subcommand("workflow", "workflow definitions");
  workflow->require_subcommand(1);
  std::string workflow_name;
  bool dot = false;
  CLI::App* describe = workflow->add_subcommand("describe", "states, events, guards and actions of a workflow");
  describe->add_option("NAME", workflow_name, "workflow name, e.g. commitment")->required();
  describe->add_flag("--dot", dot, "print Graphviz DOT instead of a table");
  describe->callback([&] { exit_code = WorkflowDescribe(workflow_name, dot); });

  CLI::App* case_cmd = app.add_subcommand("case", "cases");
  case_cmd->require_subcommand(1);
  std::string case_id, event_name, event_data, user = "cli", idem_key;
  bool json = false;
  int64_t if_version = 0;
  CLI::App* show = case_cmd->add_subcommand("show", "a case: state, deadlines, route, allowed events, data");
  show->add_option("ID", case_id, "case id")->required();
  show->add_flag("--json", json, "print JSON");
  show->callback([&] { exit_code = CaseShow(g, case_id, json); });
  CLI::App* history = case_cmd->add_subcommand("history", "a case's hash-chained history");
  history->add_option("ID", case_id, "case id")->required();
  history->add_flag("--json", json, "print JSON");
  history->callback([&] { exit_code = CaseHistory(g, case_id, json); });
  engine::CaseQuery query;
  CLI::App* list = case_cmd->add_subcommand("list", "cases matching filters");
  list->add_option("--workflow", query.workflow, "workflow name");
  list->add_option("--state", query.state, "state name, or open (every case not in a final state)");
  list->add_option("--subject", query.subject, "unified social credit code");
  list->add_option("--limit", query.limit, "at most this many")->check(CLI::Range(1, 10000));
  list->callback([&] { exit_code = CaseList(g, query); });
  CLI::App* fire = case_cmd->add_subcommand("fire", "fire one event on a case");
  fire->add_option("ID", case_id, "case id")->required();
  fire->add_option("EVENT", event_name, "event name (see case show)")->required();
  fire->add_option("--data", event_data, "event data: a JSON object or @file");
  fire->add_option("--user", user, "acting user recorded in the history");
  fire->add_option("--idempotency-key", idem_key, "apply at most once under this key");
  fire->add_option("--if-version", if_version, "refuse unless the case is at this version")->check(CaseVersion());
  fire->callback([&] { exit_code = CaseFire(g, case_id, event_name, event_data, user, idem_key, if_version); });
  AddDocumentCommands(*case_cmd, g, exit_code);

  CLI::App* commitment = app.add_subcommand("commitment", "commitment filing at the window");
  commitment->require_subcommand(1);
  std::string subject, type, form;
  CLI::App* file = commitment->add_subcommand("file", "file a commitment (catalogue check, eligibility, letter)");
  file->add_option("--subject", subject, "unified social credit code")->required();
  file->add_option("--type", type, "commitment type id from the catalogue")->required();
  file->add_option("--form", form, "the letter's fields: a JSON object or @file")->required();
  file->add_option("--user", user, "acting user recorded in the history");
  file->add_option("--idempotency-key", idem_key, "apply at most once under this key");
  file->callback([&] { exit_code = CommitmentFile(g, subject, type, form, user, idem_key); });
  std::string objector, grounds;
  CLI::App* object = commitment->add_subcommand(
      "object", "record an objection to a published undertaking (closes the simplified route: ordinary procedure)");
  object->add_option("ID", case_id, "the commitment case")->required();
  object->add_option("--by", objector, "who objected (a creditor or another interested party)")->required();
  object->add_option("--grounds", grounds, "why");
  object->add_option("--user", user, "acting user recorded in the history");
  object->add_option("--idempotency-key", idem_key, "apply at most once under this key");
  object->callback([&] {
    Json data = {{"by", objector}};
    if (!grounds.empty()) data["grounds"] = grounds;
    exit_code = CommitmentEvent(g, case_id, "ObjectionRaised", std::move(data), user, idem_key);
  });
  CLI::App* apply = commitment->add_subcommand(
      "apply", "file the application a published undertaking was for (simplified deregistration), within its window");
  apply->add_option("ID", case_id, "the commitment case")->required();
  apply->add_option("--user", user, "acting user recorded in the history");
  apply->add_option("--idempotency-key", idem_key, "apply at most once under this key");
  apply->callback([&] { exit_code = CommitmentEvent(g, case_id, "ApplicationFiled", Json::object(), user, idem_key); });
  CLI::App* types =
      commitment->add_subcommand("types", "the commitment catalogue in force: id, Chinese name, kind and form");
  types->add_flag("--json", json, "print JSON");
  types->callback([&] { exit_code = CommitmentTypes(g, json); });
  AddSubjectCommands(app, g, exit_code);
  AddRecordCommands(app, g, exit_code);
  AddRepairCommands(app, g, exit_code);
  AddEnforcementCommands(app, g, exit_code);
  AddLedgerCommands(app, g, exit_code);
  AddVerificationCommands(app, g, exit_code);
  AddInspectionCommands(app, g, exit_code);
  AddServeCommands(app, g, exit_code);
  AddBackupCommands(app, g, exit_code);
  AddCalendarCommands(app, g, exit_code);

  CLI::App* timers = app.add_subcommand("timers", "stored timers");
  timers->require_subcommand(1);
  CLI::App* timers_run = timers->add_subcommand("run", "fire every timer that is due now, then exit");
  timers_run->callback([&] { exit_code = TimersRun(g); });

  CLI::App* scheduler = app.add_subcommand("scheduler", "the timer scheduler");
  scheduler->require_subcommand(1);
  int interval = 5;
  CLI::App* scheduler_run = scheduler->add_subcommand(
      "run", "fire due timers every --interval seconds until SIGINT/SIGTERM (several processes may run it)");
  scheduler_run->add_option("--interval", interval, "seconds between polls")->check(CLI::Range(1, 3600));
  scheduler_run->callback([&] { exit_code = SchedulerRun(g, interval); });

  CLI::App* audit = app.add_subcommand("audit", "auditors' checks of the history");
  audit->require_subcommand(1);
  std::string audit_case;
  CLI::App* verify =
      audit->add_subcommand("verify",
                            "check the hash chain of one case or all; for all, also every projection derived from "
                            "the histories (case rows, subject records, subjects); names the first disagreement");
  verify->add_option("CASE", audit_case, "case id (default: every case)");
  std::vector<std::string> anchors;
  std::string anchor_public_key;
  verify
      ->add_option("--anchor", anchors,
                   "instead: check this signed anchor file (repeatable): its signature, then that every case it "
                   "sealed still reaches its sealed head; names the first case that does not")
      ->check(CLI::ExistingFile);
  verify
      ->add_option("--public-key", anchor_public_key,
                   "the anchors' Ed25519 public key (PEM); without it the key embedded in each file is used")
      ->check(CLI::ExistingFile);
  int verify_threads = 0;
  verify
      ->add_option("--threads", verify_threads,
                   "threads that check the chains of every case (default: one per core); each reads a range of "
                   "cases over its own connection")
      ->check(CLI::Range(1, 64));
  bool verify_chains_only = false;
  verify->add_flag("--chains-only", verify_chains_only,
                   "for every case: check the hash chains only, not the projections replayed from them (faster on "
                   "a large store)");
  verify->callback([&] {
    if (!anchor_public_key.empty() && anchors.empty()) {
      std::cerr << "credflow: --public-key needs --anchor\n";
      exit_code = kExitUnusable;
    } else if (!anchors.empty() && !audit_case.empty()) {
      std::cerr << "credflow: --anchor checks every case the anchor sealed; give no CASE\n";
      exit_code = kExitUnusable;
    } else if ((verify_threads > 0 || verify_chains_only) && (!audit_case.empty() || !anchors.empty())) {
      std::cerr << "credflow: --threads and --chains-only apply to the check of every case; give no CASE or --anchor\n";
      exit_code = kExitUnusable;
    } else {
      exit_code = anchors.empty() ? AuditVerify(g, audit_case, verify_threads, verify_chains_only)
                                  : AuditVerifyAnchors(g, anchors, anchor_public_key);
    }
  });
  AddAuditAnchorCommands(*audit, g, exit_code);
  CLI::App* replay =
      audit->add_subcommand("replay", "replay history through the workflow and compare with the stored state");
  replay->add_option("CASE", audit_case, "case id (default: every case)");
  replay->callback([&] { exit_code = AuditReplay(g, audit_case); });
  bool rebuild_dry_run = false;
  CLI::App* rebuild = audit->add_subcommand(
      "rebuild", "re-derive case rows, subject records and subjects from the histories, in one transaction");
  rebuild->add_flag("--dry-run", rebuild_dry_run, "print what would change; write nothing");
  rebuild->callback([&] { exit_code = AuditRebuild(g, rebuild_dry_run); });

  CLI::App* scenario =
      app.add_subcommand("scenario", "scenario files: dated stories with the outcomes the rules demand");
  scenario->require_subcommand(1);
  std::vector<std::string> files, tags;
  bool keep = false, verbose = false;
  CLI::App* run = scenario->add_subcommand("run", "play scenario files against a fresh store with a manual clock");
  run->add_option("FILE", files, "scenario files")->required()->check(CLI::ExistingFile);
  run->add_option("--tag", tags, "play only files with this tag (repeatable)");
  run->add_flag("--keep", keep,
                "play every file, in the order given, into --database instead of a fresh temporary store per "
                "file, and keep the cases (later files see earlier files' subjects and records)");
  run->add_flag("-v,--verbose", verbose, "print every step");
  run->callback([&] { exit_code = ScenarioRun(g, files, tags, keep, verbose); });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUnusable;
  }
  return exit_code;
}

}  // namespace credflow::adapters
