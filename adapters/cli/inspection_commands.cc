// `credflow inspection ...`: random inspections by credit risk grade
// (双随机、一公开). `plan` shows the cycle's seeded draw (who, grade, ratio,
// why) and, with --commit, applies it once; `replay` recomputes a committed
// plan from its record and the visits' histories; `open` starts a visit on a
// complaint, a lead or a referral; `inbox` lists a department's inspection
// tasks; `record` records a department's result on its task, as that
// department (the engine refuses another department's task).
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "adapters/app/views.h"
#include "adapters/cli/commands.h"
#include "workflows/inspection/inspection_workflow.h"
#include "workflows/inspection/names.h"
#include "workflows/inspection/plan.h"

namespace credflow::adapters::cli {
namespace {

namespace inspection = workflows::inspection;
using engine::Json;

struct InspectionOptions {
  std::string cycle, code, grounds, joint, note, id, department, result, findings, inspected_on, inspectors,
      user = "cli", key;
  bool commit = false, json = false;
  int limit = 100;
};

// The cycle id is checked before anything starts: a usage error (exit 2).
bool CycleUsable(const std::string& cycle) {
  if (policies::ParseInspectionCycle(cycle)) return true;
  std::cerr << "credflow: --cycle must be a year YYYY or a quarter YYYY-Qn (n 1-4), years " << policies::kFirstCycleYear
            << "-" << policies::kLastCycleYear << ", e.g. 2026 or 2026-Q4\n";
  return false;
}

// Prints why; a cycle the policy does not plan by is a usage error (exit 2).
int Failed(const engine::Status& st) {
  PrintStatus(st);
  return st.reason() == "invalid_cycle" ? kExitUnusable : kExitFailed;
}

// Counts per grade of a plan record: candidates, drawn, exempted.
void PrintCounts(const Json& record) {
  std::printf("  %-5s %6s %-11s %10s %6s %6s %9s  %s\n", "grade", "ratio", "draw", "candidates", "quota", "drawn",
              "exempted", "visit");
  for (const Json& g : record.value("grades", Json::array())) {
    const std::string joint = g.value("joint", "");
    std::printf("  %-5s %6.2f %-11s %10d %6s %6d %9d  %s\n", g.value("grade", "").c_str(), g.value("ratio", 0.0),
                g.value("mode", "").c_str(), g.value("candidates", 0),
                g.contains("quota") ? std::to_string(g.value("quota", 0)).c_str() : "-",
                static_cast<int>(g.value("drawn", Json::array()).size()), g.value("exempted", 0),
                joint.empty() ? "one department" : ("joint: " + joint).c_str());
  }
  int screened = 0;
  const Json screened_out = record.value("screened_out", Json::object());
  for (const auto& [status, n] : screened_out.items()) {
    (void)status;
    screened += n.get<int>();
  }
  if (screened > 0) {
    std::printf("  screened out (not in the population): %d (%s)\n", screened, screened_out.dump().c_str());
  }
}

// A committed plan's record, as it was recorded.
int PrintCommitted(const Json& record, bool json, const char* note) {
  if (json) {
    Json out = record;
    out["committed"] = true;
    std::cout << out.dump(2) << "\n";
    return kExitOk;
  }
  std::cout << "inspection plan of cycle " << record.value("cycle", "") << " (" << record.value("first", "") << " to "
            << record.value("last", "") << "), seed \"" << record.value("seed", "") << "\": " << note << " on "
            << record.value("committed_on", "") << " by " << record.value("committed_by", "") << "\n";
  PrintCounts(record);
  for (const Json& v : record.value("visits", Json::array())) {
    std::cout << "  visit " << v.value("case", "") << "  " << v.value("subject", "") << "  grade "
              << v.value("grade", "")
              << (v.value("joint", "").empty() ? std::string() : "  joint " + v.value("joint", "")) << "\n";
  }
  return kExitOk;
}

int Plan(const GlobalOptions& g, const InspectionOptions& o) {
  if (!CycleUsable(o.cycle)) return kExitUnusable;
  std::unique_ptr<Engine> e = StartEngine(g);
  if (!e) return kExitUnusable;
  if (o.commit) {
    engine::Result<inspection::PlanCommit> c =
        inspection::CommitPlan(*e->service, o.cycle, engine::Actor{o.user, "caseworker", ""});
    if (!c.ok()) return Failed(c.status());
    if (c->already_committed) {
      if (!o.json) std::cout << "already committed: nothing opened\n";
      return PrintCommitted(c->record, o.json, "committed before");
    }
    return PrintCommitted(c->record, o.json, "committed");
  }
  // A committed cycle shows its plan as recorded, not a new draw.
  engine::Result<std::optional<Json>> committed = inspection::FindCommittedPlan(*e->store, o.cycle);
  if (!committed.ok()) return PrintStatus(committed.status()), kExitFailed;
  if (committed->has_value()) return PrintCommitted(**committed, o.json, "committed");
  engine::Result<inspection::Plan> plan = inspection::MakePlan(*e->store, e->rules->book(), o.cycle);
  if (!plan.ok()) return Failed(plan.status());
  Json record = plan->Record();
  if (o.json) {
    Json entries = Json::array();
    for (const auto& p : plan->entries) entries.push_back(p.ToJson());
    record["entries"] = std::move(entries);
    record["committed"] = false;
    std::cout << record.dump(2) << "\n";
    return kExitOk;
  }
  std::cout
      << "inspection plan of cycle " << plan->cycle.id << " (" << plan->cycle.first.ToString() << " to "
      << plan->cycle.last.ToString() << "), seed \"" << plan->seed << "\", policy " << plan->policy_id << " "
      << plan->policy_version << "\n"
      << "quota: round(ratio x N), halves away from zero, of the grade's N subjects, the first in a Fisher-Yates\n"
      << "shuffle by mt19937_64 seeded from SHA-256(seed \":quota:\" grade); independent: u = SHA-256(seed \":\"\n"
      << "code)[0..8] / 2^64 < ratio; either way a grade's per-cycle limit exempts first (无事不扰)\n\n";
  PrintCounts(record);
  std::printf("\n  %-18s %5s %6s %-11s %8s %9s  %s\n", "subject", "grade", "ratio", "draw", "in cycle", "u | pos",
              "decision");
  for (const auto& p : plan->entries) {
    const std::string place = p.quota
                                  ? std::to_string(p.quota->position + 1) + "/" + std::to_string(p.quota->candidates)
                                  : std::to_string(p.u).substr(0, 8);
    const std::string limit = std::to_string(p.inspected_in_cycle) +
                              (p.max_per_cycle ? "/" + std::to_string(*p.max_per_cycle) : std::string());
    std::printf("  %-18s %5s %6.2f %-11s %8s %9s  %s (%s)\n", p.subject.c_str(), p.grade.c_str(), p.ratio,
                p.mode.c_str(), limit.c_str(), place.c_str(), p.selected ? "inspect" : "no visit", p.reason.c_str());
  }
  std::cout << "(not committed: run again with --commit, within the cycle, to open the visits)\n";
  return kExitOk;
}

int Replay(const GlobalOptions& g, const InspectionOptions& o) {
  if (!CycleUsable(o.cycle)) return kExitUnusable;
  std::unique_ptr<Engine> e = StartEngine(g);
  if (!e) return kExitUnusable;
  engine::Result<inspection::PlanReplay> r = inspection::ReplayPlan(*e->store, e->rules->book(), o.cycle);
  if (!r.ok()) return Failed(r.status());
  if (o.json) {
    std::cout << Json{{"cycle", r->cycle},
                      {"seed", r->seed},
                      {"visits", r->visits},
                      {"drawn", r->drawn},
                      {"reproduced", r->reproduced()},
                      {"problems", r->problems}}
                     .dump(2)
              << "\n";
  } else {
    for (const auto& [grade, n] : r->drawn) std::cout << "grade " << grade << ": " << n << " drawn\n";
    for (const std::string& p : r->problems) std::cout << "DIFFERS " << p << "\n";
    std::cout << "inspection replay of cycle " << r->cycle << ": " << r->visits << " visit(s) under seed \"" << r->seed
              << "\", "
              << (r->reproduced() ? "reproduced from the record and the histories"
                                  : std::to_string(r->problems.size()) + " disagreement(s)")
              << "\n";
  }
  return r->reproduced() ? kExitOk : kExitFailed;
}

int Open(const GlobalOptions& g, const InspectionOptions& o) {
  std::unique_ptr<Engine> e = StartEngine(g);
  if (!e) return kExitUnusable;
  inspection::OpenInspectionRequest request;
  request.subject = o.code;
  request.grounds = o.grounds;
  request.joint = o.joint;
  request.note = o.note;
  request.actor = engine::Actor{o.user, "caseworker", ""};
  request.idempotency_key = CliKey(o.user, o.key);
  return PrintResult(inspection::OpenInspection(*e->service, request));
}

int Inbox(const GlobalOptions& g, const InspectionOptions& o) {
  std::unique_ptr<Engine> e = StartEngine(g);
  if (!e) return kExitUnusable;
  // The department's inbox (as `repair inbox` and the API show it), its
  // inspection tasks only.
  engine::Result<Json> inbox =
      DepartmentInbox(*e->store, *e->service->rules().calendar, e->clock->Today(), o.department, 5000);
  if (!inbox.ok()) return PrintStatus(inbox.status()), kExitFailed;
  Json items = Json::array();
  for (const Json& t : (*inbox)["items"]) {
    if (t.value("workflow", "") == inspection::kTaskWorkflowName && static_cast<int>(items.size()) < o.limit) {
      items.push_back(t);
    }
  }
  if (o.json) {
    std::cout << Json{{"department", o.department}, {"today", inbox->value("today", "")}, {"items", items}}.dump(2)
              << "\n";
    return kExitOk;
  }
  std::cout << "inspections in the inbox of " << o.department << " on " << inbox->value("today", "") << ": "
            << items.size() << " open, overdue first\n";
  for (const Json& t : items) {
    std::string departments;
    for (const Json& d : t.value("departments", Json::array())) {
      departments += (departments.empty() ? "" : ", ") + d.get<std::string>();
    }
    std::cout << (t.value("overdue", false) ? "OVERDUE  " : "         ") << t.value("id", "") << "  subject "
              << t.value("subject", "") << "  cycle " << t.value("cycle", "") << "  due " << t.value("due_on", "-")
              << "\n         visit " << t.value("visit", "") << "  " << t.value("grounds", "")
              << (t.value("joint", "").empty() ? "" : "  joint " + t.value("joint", "") + " (" + departments + ")")
              << "\n";
  }
  return kExitOk;
}

int Record(const GlobalOptions& g, const InspectionOptions& o) {
  std::unique_ptr<Engine> e = StartEngine(g);
  if (!e) return kExitUnusable;
  // ID is the task, or the visit (then the department's task of it).
  engine::Result<engine::Case> c = e->store->GetCase(o.id);
  if (!c.ok()) return PrintStatus(c.status()), kExitFailed;
  std::string task = c->id;
  if (c->workflow == inspection::kWorkflowName) {
    engine::Result<std::string> found = inspection::FindInspectionTask(*e->service, c->id, o.department);
    if (!found.ok()) return PrintStatus(found.status()), kExitFailed;
    task = *found;
  } else if (c->workflow != inspection::kTaskWorkflowName) {
    PrintStatus(engine::Status::InvalidArgument(
        "not_an_inspection", "case " + o.id + " is a " + c->workflow + " case, not an inspection or its task"));
    return kExitFailed;
  }
  Json data = {{"result", o.result}};
  if (!o.findings.empty()) data["findings"] = o.findings;
  if (!o.inspected_on.empty()) data["inspected_on"] = o.inspected_on;
  if (!o.inspectors.empty()) data["inspectors"] = o.inspectors;
  engine::FireEventRequest request;
  request.case_id = task;
  request.event = engine::EventInput{"InspectionResultRecorded", std::move(data),
                                     engine::Actor{o.user, "department", o.department}};
  request.idempotency_key = CliKey(o.user, o.key);
  return PrintResult(e->service->Fire(request));
}

}  // namespace

void AddInspectionCommands(CLI::App& app, const GlobalOptions& g, int& exit_code) {
  auto o = std::make_shared<InspectionOptions>();
  CLI::App* group = app.add_subcommand(
      "inspection", "random inspections by credit risk grade (双随机、一公开): plan, replay, open, inbox, record");
  group->require_subcommand(1);
  const auto keyed = [&](CLI::App* cmd) {
    cmd->add_option("--user", o->user, "acting user recorded in the history");
    cmd->add_option("--idempotency-key", o->key, "apply at most once under this key");
  };

  CLI::App* plan = group->add_subcommand(
      "plan",
      "the cycle's seeded draw by risk grade (who, grade, ratio, why, counts per grade); --commit opens the visits");
  plan->add_option("--cycle", o->cycle, "the cycle: a year YYYY or a quarter YYYY-Qn, as the policy plans")->required();
  plan->add_flag("--commit", o->commit,
                 "apply the plan (seed \"inspection:<cycle>\", within the cycle); a committed cycle opens nothing "
                 "again");
  plan->add_flag("--json", o->json, "print JSON");
  plan->add_option("--user", o->user, "acting user recorded in the history");
  plan->callback([&g, &exit_code, o] { exit_code = Plan(g, *o); });

  CLI::App* replay = group->add_subcommand(
      "replay", "recompute a committed plan from its record and the visits' histories (an auditor's check)");
  replay->add_option("--cycle", o->cycle, "the cycle of the committed plan")->required();
  replay->add_flag("--json", o->json, "print JSON");
  replay->callback([&g, &exit_code, o] { exit_code = Replay(g, *o); });

  CLI::App* open = group->add_subcommand(
      "open", "open an inspection on a complaint, a lead or a referral (counts against the cycle's limit)");
  open->add_option("CODE", o->code, "unified social credit code of the subject")->required();
  open->add_option("--grounds", o->grounds, "complaint, lead or referral")
      ->required()
      ->check(CLI::IsMember({"complaint", "lead", "referral"}));
  open->add_option("--joint", o->joint, "a joint inspection of the policy (its departments share the visit)");
  open->add_option("--note", o->note, "what the complaint or lead says");
  keyed(open);
  open->callback([&g, &exit_code, o] { exit_code = Open(g, *o); });

  CLI::App* inbox = group->add_subcommand("inbox", "a department's open inspection tasks, overdue first");
  inbox->add_option("--department", o->department, "the department, e.g. tax")->required()->check(NotEmpty());
  inbox->add_option("--limit", o->limit, "at most this many")->check(CLI::Range(1, 5000));
  inbox->add_flag("--json", o->json, "print JSON");
  inbox->callback([&g, &exit_code, o] { exit_code = Inbox(g, *o); });

  CLI::App* record = group->add_subcommand(
      "record", "record a department's inspection result on its task, as that department (its tasks only)");
  record->add_option("ID", o->id, "the task's case id (or the visit's: the department's task of it)")->required();
  record->add_option("--result", o->result, "passed or problems_found")
      ->required()
      ->check(CLI::IsMember({"passed", "problems_found"}));
  record->add_option("--findings", o->findings, "what was found (required with problems_found)");
  record->add_option("--inspected-on", o->inspected_on, "the day of the inspection (YYYY-MM-DD, default today)")
      ->check(ExistingDate());
  record->add_option("--inspectors", o->inspectors, "who inspected (双随机: the drawn inspectors)");
  record->add_option("--as-department", o->department, "the inspecting department acting (its tasks only)")->required();
  keyed(record);
  record->callback([&g, &exit_code, o] { exit_code = Record(g, *o); });
}

}  // namespace credflow::adapters::cli
