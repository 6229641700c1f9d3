// `credflow repair ...`: coordinated credit repair (信用修复) from the command
// line, as the window and the departments use it over HTTP: apply naming
// records (intake answers at once), show an application, bring missing
// documents, decide or extend a department task as that department, revoke
// a repair, and a department's inbox (overdue first). The views are the
// API's (adapters/app/views.h).
//
// The window acts as a caseworker (--user); a decision or an extension is
// the deciding department's alone (谁认定、谁修复), so those commands act as
// --as-department, and the engine refuses a task of another department.
// A decision reaches its application when the timers run (`credflow timers
// run`, the scheduler, or `credflow serve`).
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "adapters/app/views.h"
#include "adapters/cli/commands.h"
#include "engine/form_data.h"
#include "workflows/repair/repair_workflow.h"

namespace credflow::adapters::cli {
namespace {

using engine::Json;

struct RepairOptions {
  std::string code, id, user = "cli", key, applicant, department, reason, note, grounds;
  std::vector<std::string> records, documents;
  bool approve = false, deny = false, json = false;
  int limit = 100;
};

engine::Actor WindowActor(const RepairOptions& o) { return engine::Actor{o.user, "caseworker", ""}; }
engine::Actor DepartmentActor(const RepairOptions& o) { return engine::Actor{o.user, "department", o.department}; }

std::string Joined(const Json& list) {
  std::string out;
  for (const Json& v : list) out += (out.empty() ? "" : ", ") + (v.is_string() ? v.get<std::string>() : v.dump());
  return out;
}

// The application as the window reads it out to the applicant.
void PrintRepair(const Json& v) {
  std::cout << "repair    " << v.value("id", "") << "\nsubject   " << v.value("subject", "") << "\nstate     "
            << v.value("state", "") << "  (outcome " << v.value("outcome", "")
            << (v.value("reason", "").empty() ? "" : ", reason " + v.value("reason", "")) << ")\n";
  if (v.contains("applied_on")) std::cout << "applied   " << v.value("applied_on", "") << "\n";
  if (!v.value("applicant_name", "").empty()) std::cout << "applicant " << v.value("applicant_name", "") << "\n";
  if (v.value("grounds", "") == "bankruptcy_reorganisation") {
    std::cout << "grounds   bankruptcy_reorganisation (破产重整临时信用修复: shielded while the plan runs)\n";
  }
  if (v.contains("documents")) std::cout << "documents " << Joined(v["documents"]) << "\n";
  // Each record: its final result once concluded, else what intake found.
  const Json& records = v.contains("results") ? v["results"] : v.value("intake", Json::array());
  for (const Json& r : records) {
    const std::string result = r.value("result", "");
    std::cout << "record    " << r.value("record", "") << "  " << r.value("department", "") << "  "
              << (result == "task" ? "accepted (a task of its department)" : result);
    if (r.contains("reason")) std::cout << ": " << r.value("reason", "");
    if (r.contains("earliest_application")) {
      std::cout << "  (may be applied for from " << r.value("earliest_application", "") << ")";
    }
    std::cout << "\n";
  }
  if (v.contains("missing_documents") && !v["missing_documents"].empty()) {
    std::cout << "missing   " << Joined(v["missing_documents"])
              << "  (一次性告知: bring them with `repair documents`)\n";
  }
  if (v.contains("earliest_application")) {
    std::cout << "earliest  " << v.value("earliest_application", "")
              << "  (from this day every record refused on time grounds may be applied for)\n";
  }
  for (const Json& t : v.value("tasks", Json::array())) {
    std::cout << "task      " << t.value("id", "") << "  " << t.value("department", "") << "  " << t.value("state", "")
              << "  (" << t.value("outcome", "") << ")";
    if (t.contains("due_on")) std::cout << "  due " << t.value("due_on", "");
    if (t.value("provisional", false)) std::cout << " (provisional)";
    if (t.value("overdue", false)) std::cout << "  OVERDUE";
    if (t.contains("decision")) std::cout << "  " << t.value("decision", "") << " on " << t.value("decided_on", "");
    std::cout << "\n";
  }
  if (v.contains("revoked_on")) {
    std::cout << "revoked   " << v.value("revoked_on", "") << "  (" << v.value("revocation_reason", "")
              << "); may apply again: " << (v.value("may_apply_again", false) ? "yes" : "no") << "\n";
  }
}

// Prints the application `id` (text or --json).
int ShowRepair(Engine& e, const std::string& id, bool json) {
  engine::Result<engine::Case> c = e.store->GetCase(id);
  if (!c.ok()) return PrintStatus(c.status()), kExitFailed;
  engine::Result<Json> view = RepairView(*e.store, *c);
  if (!view.ok()) return PrintStatus(view.status()), kExitFailed;
  if (json) {
    std::cout << view->dump(2) << "\n";
  } else {
    PrintRepair(*view);
  }
  return kExitOk;
}

int Apply(const GlobalOptions& g, const RepairOptions& o) {
  workflows::repair::RepairApplicationRequest request;
  request.subject = o.code;
  request.records = o.records;
  request.documents = o.documents;
  request.applicant_name = o.applicant;
  request.grounds = o.grounds;
  request.actor = WindowActor(o);
  request.idempotency_key = CliKey(o.user, o.key);
  std::unique_ptr<Engine> e = StartEngine(g);
  if (!e) return kExitUnusable;
  engine::Result<engine::CommandResult> r = workflows::repair::ApplyForRepair(*e->service, request);
  if (!r.ok()) return PrintStatus(r.status()), kExitFailed;
  if (r->replayed && !o.json) std::cout << "(idempotent replay)\n";
  return ShowRepair(*e, r->case_id, o.json);
}

int Show(const GlobalOptions& g, const RepairOptions& o) {
  std::unique_ptr<Engine> e = StartEngine(g);
  if (!e) return kExitUnusable;
  return ShowRepair(*e, o.id, o.json);
}

// Fires a window event on application `o.id`, then shows it.
int WindowEvent(const GlobalOptions& g, const RepairOptions& o, const char* event, Json data) {
  std::unique_ptr<Engine> e = StartEngine(g);
  if (!e) return kExitUnusable;
  engine::FireEventRequest request;
  request.case_id = o.id;
  request.event = engine::EventInput{event, std::move(data), WindowActor(o)};
  request.idempotency_key = CliKey(o.user, o.key);
  engine::Result<engine::CommandResult> r = e->service->Fire(request);
  if (!r.ok()) return PrintStatus(r.status()), kExitFailed;
  if (r->replayed && !o.json) std::cout << "(idempotent replay)\n";
  return ShowRepair(*e, r->case_id, o.json);
}

// The task `id` names: a task itself, or the --as-department task of an
// application.
engine::Result<std::string> TaskOf(Engine& e, const RepairOptions& o) {
  engine::Result<engine::Case> c = e.store->GetCase(o.id);
  if (!c.ok()) return c.status();
  if (c->workflow == "repair") return workflows::repair::FindTask(*e.service, c->id, o.department);
  if (c->workflow != "repair_task") {
    return engine::Status::InvalidArgument(
        "not_a_repair_task", "case " + o.id + " is a " + c->workflow + " case, not a repair task or application");
  }
  return c->id;
}

// Fires a department's event on a task, as that department.
int DepartmentEvent(const GlobalOptions& g, const RepairOptions& o, const char* event, Json data) {
  std::unique_ptr<Engine> e = StartEngine(g);
  if (!e) return kExitUnusable;
  engine::Result<std::string> task = TaskOf(*e, o);
  if (!task.ok()) return PrintStatus(task.status()), kExitFailed;
  engine::FireEventRequest request;
  request.case_id = *task;
  request.event = engine::EventInput{event, std::move(data), DepartmentActor(o)};
  request.idempotency_key = CliKey(o.user, o.key);
  return PrintResult(e->service->Fire(request));
}

int Decide(const GlobalOptions& g, const RepairOptions& o) {
  if (o.approve == o.deny) {
    std::cerr << "credflow: repair decide: give exactly one of --approve and --deny\n";
    return kExitUnusable;
  }
  if (o.deny && o.reason.empty()) {
    std::cerr
        << "credflow: repair decide --deny: give the reason code with --reason (e.g. obligations_not_performed)\n";
    return kExitUnusable;
  }
  Json data = {{"decision", o.approve ? "approve" : "deny"}};
  if (!o.reason.empty()) data["reason"] = o.reason;
  if (!o.note.empty()) data["note"] = o.note;
  return DepartmentEvent(g, o, "TaskDecided", std::move(data));
}

int Inbox(const GlobalOptions& g, const RepairOptions& o) {
  std::unique_ptr<Engine> e = StartEngine(g);
  if (!e) return kExitUnusable;
  engine::Result<Json> inbox =
      DepartmentInbox(*e->store, *e->service->rules().calendar, e->clock->Today(), o.department, o.limit);
  if (!inbox.ok()) return PrintStatus(inbox.status()), kExitFailed;
  if (o.json) {
    std::cout << inbox->dump(2) << "\n";
    return kExitOk;
  }
  const Json& items = (*inbox)["items"];
  std::cout << "inbox of " << o.department << " on " << inbox->value("today", "") << ": " << items.size()
            << " open task(s), overdue first\n";
  for (const Json& t : items) {
    std::cout << (t.value("overdue", false) ? "OVERDUE  " : "         ") << t.value("id", "") << "  due "
              << t.value("due_on", "-");
    if (t.contains("working_days_left")) {
      std::cout << "  " << t["working_days_left"].get<int>() << " working day(s) left";
    }
    if (t.value("workflow", "") != "repair_task") {
      // Another lifecycle's task in the same inbox (an inspection: `credflow inspection inbox`).
      std::cout << "\n         " << t.value("workflow", "") << "  subject " << t.value("subject", "") << "\n";
      continue;
    }
    std::cout << "\n         application " << t.value("application", "") << "  record " << t.value("record", "") << "  "
              << t.value("kind", "") << (t.contains("tier") ? " " + t.value("tier", "") : "") << "  record decided "
              << t.value("decided_on", "") << (t.value("extended", false) ? "  (extended)" : "") << "\n";
  }
  return kExitOk;
}

}  // namespace

void AddRepairCommands(CLI::App& app, const GlobalOptions& g, int& exit_code) {
  auto o = std::make_shared<RepairOptions>();
  CLI::App* group = app.add_subcommand(
      "repair", "credit repair (信用修复): one application, department tasks, one answer (修复结果告知书)");
  group->require_subcommand(1);
  const auto keyed = [&](CLI::App* cmd) {
    cmd->add_option("--user", o->user, "acting user recorded in the history");
    cmd->add_option("--idempotency-key", o->key, "apply at most once under this key");
  };
  const std::string documents =
      "repair_commitment, proof_of_performance, business_licence, agent_id, interview_record, court_ruling, "
      "credit_report, training_certificate";

  CLI::App* apply = group->add_subcommand(
      "apply",
      "apply for repair of records at the window; intake answers at once: refusals with the earliest "
      "date, missing documents (一次性告知), or the tasks sent to the departments");
  apply->add_option("CODE", o->code, "unified social credit code of the subject")->required();
  apply->add_option("--record", o->records, "a dishonesty record's case id (repeatable; see `record list`)")
      ->required();
  apply->add_option("--document", o->documents, "a document brought (repeatable): " + documents);
  apply->add_option("--applicant", o->applicant, "the applicant's name as printed on the answer");
  apply
      ->add_option("--grounds", o->grounds,
                   "ordinary, or bankruptcy_reorganisation: a temporary repair on the court's ruling approving the "
                   "reorganisation plan (the default when --document court_ruling is given)")
      ->check(CLI::IsMember({"ordinary", "bankruptcy_reorganisation"}));
  apply->add_flag("--json", o->json, "print JSON (the view of GET /v1/repairs/{id})");
  keyed(apply);
  apply->callback([&g, &exit_code, o] { exit_code = Apply(g, *o); });

  CLI::App* show = group->add_subcommand("show", "an application: each record's result, missing documents, tasks");
  show->add_option("ID", o->id, "the application's case id")->required();
  show->add_flag("--json", o->json, "print JSON (the view of GET /v1/repairs/{id})");
  show->callback([&g, &exit_code, o] { exit_code = Show(g, *o); });

  CLI::App* docs = group->add_subcommand("documents", "the applicant brought the documents the window asked for");
  docs->add_option("ID", o->id, "the application's case id")->required();
  docs->add_option("--document", o->documents, "a document brought (repeatable): " + documents)->required();
  docs->add_flag("--json", o->json, "print JSON");
  keyed(docs);
  docs->callback([&g, &exit_code, o] {
    exit_code = WindowEvent(g, *o, "DocumentsSupplied", Json{{"documents", o->documents}});
  });

  CLI::App* decide = group->add_subcommand(
      "decide", "decide a department task, as that department (谁认定、谁修复): --approve, or --deny --reason CODE");
  decide->add_option("ID", o->id, "the task's case id (or the application's: the department's task of it)")->required();
  decide->add_flag("--approve", o->approve, "approve the repair of the record");
  decide->add_flag("--deny", o->deny, "deny it (give --reason)");
  decide->add_option("--reason", o->reason, "the reason code of a denial, e.g. obligations_not_performed");
  decide->add_option("--note", o->note, "a note kept with the decision");
  decide->add_option("--as-department", o->department, "the deciding department acting (its tasks only)")->required();
  keyed(decide);
  decide->callback([&g, &exit_code, o] { exit_code = Decide(g, *o); });

  CLI::App* extend = group->add_subcommand(
      "extend", "extend a task's decision time once, as its department, where the rule allows (complex case)");
  extend->add_option("ID", o->id, "the task's case id (or the application's)")->required();
  extend->add_option("--reason", o->reason, "why the case is complex")->required()->check(NotEmpty());
  extend->add_option("--as-department", o->department, "the deciding department acting (its tasks only)")->required();
  keyed(extend);
  extend->callback([&g, &exit_code, o] {
    exit_code = DepartmentEvent(g, *o, "DecisionExtended", Json{{"reason", o->reason}});
  });

  CLI::App* revoke =
      group->add_subcommand("revoke", "revoke a repair obtained by false materials: the records are shown again");
  revoke->add_option("ID", o->id, "the application's case id")->required();
  revoke->add_option("--reason", o->reason, "false_materials or other")
      ->required()
      ->check(CLI::IsMember({"false_materials", "other"}));
  revoke->add_option("--note", o->note, "what was false");
  revoke->add_flag("--json", o->json, "print JSON");
  keyed(revoke);
  revoke->callback([&g, &exit_code, o] {
    Json data = {{"reason", o->reason}};
    if (!o->note.empty()) data["note"] = o->note;
    exit_code = WindowEvent(g, *o, "RepairRevoked", std::move(data));
  });

  CLI::App* inbox = group->add_subcommand(
      "inbox", "a department's open tasks: overdue first, then by due date, with the working days left");
  inbox->add_option("DEPARTMENT", o->department, "the department, e.g. tax")->required()->check(NotEmpty());
  inbox->add_option("--limit", o->limit, "at most this many")->check(CLI::Range(1, 5000));
  inbox->add_flag("--json", o->json, "print JSON (the view of GET /v1/departments/{dept}/tasks)");
  inbox->callback([&g, &exit_code, o] { exit_code = Inbox(g, *o); });
}

}  // namespace credflow::adapters::cli
