// `credflow subject ...`: register a subject, set its risk grade, change its
// status, show it, list subjects, import them from CSV. Every change goes
// through the subject workflow (workflows/subject), so it is an event in the
// subject case's history.
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "adapters/app/views.h"
#include "adapters/cli/commands.h"
#include "adapters/import/subject_import.h"
#include "engine/form_data.h"
#include "policies/subject_vocabulary.h"
#include "workflows/commitment/commitment_workflow.h"
#include "workflows/commitment/eligibility.h"
#include "workflows/subject/grading.h"
#include "workflows/subject/subject_service.h"

namespace credflow::adapters::cli {
namespace {

using engine::Json;
namespace subject = workflows::subject;

// What the subject commands parse into; shared by their callbacks, so it
// lives as long as the App.
struct SubjectOptions {
  std::string code, name, status, grade, reason, on, user = "cli", key;
  bool json = false;
  engine::SubjectQuery query;
  std::string file, encoding = "auto";
  int batch = 500;
  bool progress = false;
  bool all = false;
};

engine::Actor ActorOf(const SubjectOptions& o) { return engine::Actor{o.user, "caseworker", ""}; }

// --on: empty is "not given"; a bad date is reported (nullopt, *ok false).
std::optional<policies::Date> DateOption(const std::string& text, bool* ok) {
  *ok = true;
  if (text.empty()) return std::nullopt;
  std::optional<policies::Date> date = policies::Date::Parse(text);
  if (!date) {
    std::cerr << "credflow: --on '" << text << "' is not a date (YYYY-MM-DD)\n";
    *ok = false;
  }
  return date;
}

int PrintAnswer(const engine::Result<subject::SubjectAnswer>& r) {
  if (!r.ok()) return PrintStatus(r.status()), kExitFailed;
  std::cout << r->ToJson().dump() << (r->command.replayed ? "  (idempotent replay)" : "") << "\n";
  return kExitOk;
}

int Register(const GlobalOptions& g, const SubjectOptions& o) {
  bool date_ok = true;
  subject::RegisterSubjectRequest request;
  request.code = o.code;
  request.name = o.name;
  request.status = o.status;
  request.grade = o.grade;
  request.grade_reason = o.reason;
  request.grade_set_on = DateOption(o.on, &date_ok);
  if (!date_ok) return kExitUnusable;
  request.grade_source = subject::kGradeSourceCli;
  request.actor = ActorOf(o);
  request.idempotency_key = CliKey(o.user, o.key);
  std::unique_ptr<Engine> e = StartEngine(g);
  if (!e) return kExitUnusable;
  return PrintAnswer(subject::RegisterSubject(*e->service, request));
}

int Grade(const GlobalOptions& g, const SubjectOptions& o) {
  bool date_ok = true;
  subject::SetGradeRequest request;
  request.code = o.code;
  request.grade = o.grade;
  request.reason = o.reason;
  request.set_on = DateOption(o.on, &date_ok);
  if (!date_ok) return kExitUnusable;
  request.source = subject::kGradeSourceCli;
  request.actor = ActorOf(o);
  request.idempotency_key = CliKey(o.user, o.key);
  std::unique_ptr<Engine> e = StartEngine(g);
  if (!e) return kExitUnusable;
  return PrintAnswer(subject::SetGrade(*e->service, request));
}

// One line per subject: code, before -> after (or "unchanged"), the rule.
void PrintRegrade(const subject::RegradeResult& r) {
  std::cout << r.code << ": " << (r.before.empty() ? "-" : r.before) << " -> " << (r.after.empty() ? "-" : r.after)
            << (r.changed ? "" : " (unchanged)") << "  rule at line " << r.rule_line << ": " << r.rule_source << "\n";
}

int Regrade(const GlobalOptions& g, const SubjectOptions& o) {
  if (o.all == !o.code.empty()) {
    std::cerr << "credflow: subject regrade takes a CODE or --all\n";
    return kExitUnusable;
  }
  std::unique_ptr<Engine> e = StartEngine(g);
  if (!e) return kExitUnusable;
  const engine::Actor actor = ActorOf(o);
  if (!o.all) {
    engine::Result<subject::RegradeResult> r = subject::RecomputeGrade(*e->service, o.code, actor);
    if (!r.ok()) {
      PrintStatus(r.status());
      return kExitFailed;
    }
    PrintRegrade(*r);
    return kExitOk;
  }
  int subjects = 0, changed = 0;
  engine::Result<std::vector<subject::RegradeResult>> all =
      subject::RecomputeAllGrades(*e->service, actor, [&](const subject::RegradeResult& r) {
        ++subjects;
        if (!r.changed) return;
        ++changed;
        PrintRegrade(r);
      });
  if (!all.ok()) {
    PrintStatus(all.status());
    return kExitFailed;
  }
  std::cout << subjects << " subject(s) regraded, " << changed << " changed\n";
  return kExitOk;
}

int ChangeStatusCommand(const GlobalOptions& g, const SubjectOptions& o) {
  subject::ChangeStatusRequest request{o.code, o.status, o.reason, ActorOf(o), CliKey(o.user, o.key)};
  std::unique_ptr<Engine> e = StartEngine(g);
  if (!e) return kExitUnusable;
  return PrintAnswer(subject::ChangeStatus(*e->service, request));
}

// The name the policy in force gives a grade or status ("" when unknown).
std::string GradeName(const policies::Policy* p, const std::string& grade) {
  const policies::RiskGradeDefinition* d = p ? policies::FindRiskGrade(*p, grade) : nullptr;
  return d ? d->name : "";
}
std::string StatusName(const policies::Policy* p, const std::string& status) {
  const policies::SubjectStatusDefinition* d = p ? policies::FindSubjectStatus(*p, status) : nullptr;
  return d ? d->name : "";
}

Json ProfileJson(const engine::SubjectProfile& p, const policies::Policy* vocabulary) {
  return Json{{"code", p.code},
              {"name", p.name},
              {"status", p.status},
              {"status_name", StatusName(vocabulary, p.status)},
              {"grade", p.grade},
              {"grade_name", GradeName(vocabulary, p.grade)},
              {"grade_set_on", p.grade_set_on ? p.grade_set_on->ToString() : ""},
              {"grade_reason", p.grade_reason},
              {"grade_source", p.grade_source},
              {"case", p.case_id},
              {"updated_at", engine::FormatOfficeTimestamp(p.updated_at)}};
}

int Show(const GlobalOptions& g, const SubjectOptions& o) {
  if (engine::Status st = engine::CheckCreditCode(o.code, "code"); !st.ok()) return PrintStatus(st), kExitFailed;
  std::unique_ptr<Engine> e = StartEngine(g);
  if (!e) return kExitUnusable;
  const policies::Date today = e->clock->Today();
  const policies::Policy* vocabulary = e->rules->policies.Select(subject::kPolicyId, today);
  engine::Result<std::optional<engine::SubjectProfile>> profile = e->store->GetSubjectProfile(o.code);
  if (!profile.ok()) return PrintStatus(profile.status()), kExitFailed;
  engine::Result<engine::SubjectFacts> facts = e->store->GetSubjectFacts(o.code);
  if (!facts.ok()) return PrintStatus(facts.status()), kExitFailed;
  Json open_cases = Json::array();
  engine::CaseQuery query;
  query.subject = o.code;
  query.open_only = true;  // not in a final state, whatever the outcome
  query.limit = 500;
  for (;;) {
    engine::Result<std::vector<engine::Case>> cases = e->store->FindCases(query);
    if (!cases.ok()) return PrintStatus(cases.status()), kExitFailed;
    for (const engine::Case& c : *cases) {
      open_cases.push_back(
          {{"id", c.id}, {"workflow", c.workflow}, {"state", c.state}, {"outcome", c.outcome}, {"version", c.version}});
    }
    if (static_cast<int>(cases->size()) < query.limit) break;
    query.after_id = cases->back().id;
  }
  if (!profile->has_value() && facts->records.empty() && open_cases.empty()) {
    PrintStatus(engine::Status::NotFound("subject_not_registered", "subject " + o.code + " is not registered"));
    return kExitFailed;
  }
  Json records = Json::array();
  for (const engine::SubjectRecord& r : facts->records) {
    records.push_back({{"id", r.id}, {"kind", r.kind}, {"status", r.status}, {"case", r.case_id}});
  }
  Json view = {{"code", o.code},
               {"registered", profile->has_value()},
               {"profile", profile->has_value() ? ProfileJson(**profile, vocabulary) : Json()},
               {"records", records},
               {"open_cases", open_cases}};
  if (profile->has_value()) {
    // The grade history as the API shows it (every grade, who set it, why).
    engine::Result<Json> full = SubjectView(*e->store, e->rules->policies, today, o.code);
    if (!full.ok()) return PrintStatus(full.status()), kExitFailed;
    view["grade_history"] = (*full)["grade_history"];
  }
  if (const policies::Policy* catalogue = e->rules->policies.Select(workflows::commitment::kPolicyId, today)) {
    const workflows::commitment::Route route = workflows::commitment::CommitmentRoute(*catalogue, *facts);
    view["commitment_route"] = {{"route", route.code()}, {"reason", route.reason}, {"source", route.source}};
  }
  if (o.json) {
    std::cout << view.dump(2) << "\n";
    return kExitOk;
  }
  std::cout << "subject   " << o.code << "\n";
  if (profile->has_value()) {
    const engine::SubjectProfile& p = **profile;
    std::cout << "name      " << p.name << "\nstatus    " << p.status << "  " << StatusName(vocabulary, p.status)
              << "\ngrade     ";
    if (p.grade.empty()) {
      std::cout << "(not graded)\n";
    } else {
      std::cout << p.grade << "  " << GradeName(vocabulary, p.grade) << "  set on "
                << (p.grade_set_on ? p.grade_set_on->ToString() : "?") << " by " << p.grade_source
                << (p.grade_reason.empty() ? "" : ": " + p.grade_reason) << "\n";
    }
    std::cout << "case      " << p.case_id << "\n";
    for (const Json& h : view.value("grade_history", Json::array())) {
      std::cout << "graded    " << h.value("grade", "") << "  on " << h.value("set_on", "") << "  by "
                << h.value("source", "") << " (" << h.value("at", "") << ")"
                << (h.value("reason", "").empty() ? "" : ": " + h.value("reason", "")) << "\n";
    }
  } else {
    std::cout << "(not registered)\n";
  }
  if (view.contains("commitment_route")) {
    const Json& r = view["commitment_route"];
    std::cout << "route     " << r["route"].get<std::string>();
    if (!r["reason"].get<std::string>().empty()) {
      std::cout << "  (" << r["reason"].get<std::string>() << "; " << r["source"].get<std::string>() << ")";
    }
    std::cout << "\n";
  }
  for (const engine::SubjectRecord& r : facts->records) {
    std::cout << "record    " << r.kind << "  " << r.status << "  " << r.id << "\n";
  }
  for (const Json& c : open_cases) {
    std::cout << "open      " << c["workflow"].get<std::string>() << "  " << c["state"].get<std::string>() << "  "
              << c["id"].get<std::string>() << "\n";
  }
  return kExitOk;
}

int List(const GlobalOptions& g, const SubjectOptions& o) {
  std::unique_ptr<SociCaseStore> store = OpenStoreOrExplain(g);
  if (!store) return kExitUnusable;
  engine::Result<std::vector<engine::SubjectProfile>> subjects = store->ListSubjects(o.query);
  if (!subjects.ok()) return PrintStatus(subjects.status()), kExitFailed;
  if (o.json) {
    Json all = Json::array();
    for (const engine::SubjectProfile& p : *subjects) all.push_back(ProfileJson(p, nullptr));
    std::cout << all.dump(2) << "\n";
    return kExitOk;
  }
  for (const engine::SubjectProfile& p : *subjects) {
    std::cout << p.code << "  " << (p.grade.empty() ? "-" : p.grade) << "  " << p.status << "  " << p.name;
    if (!p.grade.empty() && p.grade_set_on)
      std::cout << "  (" << p.grade_set_on->ToString() << ", " << p.grade_source << ")";
    std::cout << "\n";
  }
  return kExitOk;
}

int Import(const GlobalOptions& g, const SubjectOptions& o) {
  std::optional<importer::TextEncoding> encoding = importer::ParseTextEncoding(o.encoding);
  if (!encoding) {
    std::cerr << "credflow: --encoding '" << o.encoding << "': expected auto, utf-8 or gb18030\n";
    return kExitUnusable;
  }
  std::unique_ptr<Engine> e = StartEngine(g);
  if (!e) return kExitUnusable;
  importer::SubjectImportOptions options;
  options.encoding = *encoding;
  options.batch_size = o.batch;
  options.actor = ActorOf(o);
  options.progress = (o.progress || isatty(STDERR_FILENO) == 1) ? &std::cerr : nullptr;
  engine::Result<importer::SubjectImportReport> report = importer::ImportSubjectsFile(*e->service, o.file, options);
  if (!report.ok()) return PrintStatus(report.status()), kExitFailed;
  for (const importer::RejectedRow& r : report->rejected) {
    std::cout << o.file << ":" << r.line << ": " << (r.code.empty() ? "" : r.code + ": ") << r.reason << ": "
              << r.message << "\n";
  }
  const double rate = report->seconds > 0 ? report->rows / report->seconds : 0;
  std::printf(
      "%d row(s) read as %s: %d imported, %d updated, %d unchanged, %zu rejected (%.2f s, %.0f rows/s, %d "
      "transactions)\n",
      report->rows, importer::TextEncodingName(report->encoding), report->imported, report->updated, report->unchanged,
      report->rejected.size(), report->seconds, rate, report->transactions);
  return report->rejected.empty() ? kExitOk : kExitFailed;
}

}  // namespace

void AddSubjectCommands(CLI::App& app, const GlobalOptions& g, int& exit_code) {
  auto o = std::make_shared<SubjectOptions>();
  CLI::App* group = app.add_subcommand("subject", "subjects (market entities): risk grade, status, import");
  group->require_subcommand(1);
  const auto common = [&](CLI::App* cmd) {
    cmd->add_option("--user", o->user, "acting user recorded in the history");
    cmd->add_option("--idempotency-key", o->key, "apply at most once under this key");
  };

  CLI::App* reg = group->add_subcommand("register", "register a subject, or bring a registered one up to date");
  reg->add_option("CODE", o->code, "unified social credit code")->required();
  reg->add_option("--name", o->name, "registered name")->required();
  reg->add_option("--status", o->status,
                  "operating, not_operating, unreachable, deregistered, revoked or bankrupt "
                  "(default: operating for a new subject, unchanged otherwise)");
  CLI::Option* grade = reg->add_option("--grade", o->grade, "risk grade A-D");
  CLI::Option* reason = reg->add_option("--reason", o->reason, "why the grade is set")->check(NotEmpty());
  reg->add_option("--on", o->on, "the date the grade was set (YYYY-MM-DD, default today)")->needs(grade);
  grade->needs(reason);
  reason->needs(grade);
  common(reg);
  reg->callback([&g, &exit_code, o] { exit_code = Register(g, *o); });

  CLI::App* grade_cmd = group->add_subcommand("grade", "set a subject's risk grade");
  grade_cmd->add_option("CODE", o->code, "unified social credit code")->required();
  grade_cmd->add_option("GRADE", o->grade, "risk grade A-D")->required();
  grade_cmd->add_option("--reason", o->reason, "why the grade is set")->required()->check(NotEmpty());
  grade_cmd->add_option("--on", o->on, "the date the grade was set (YYYY-MM-DD, default today)");
  common(grade_cmd);
  grade_cmd->callback([&g, &exit_code, o] { exit_code = Grade(g, *o); });

  CLI::App* regrade = group->add_subcommand(
      "regrade",
      "recompute risk grades from records by the risk-grading policy (a change is a GradeSet, source recompute)");
  regrade->add_option("CODE", o->code, "unified social credit code");
  regrade->add_flag("--all", o->all, "every registered subject");
  regrade->add_option("--user", o->user, "acting user recorded in the history");
  regrade->callback([&g, &exit_code, o] { exit_code = Regrade(g, *o); });

  CLI::App* status = group->add_subcommand("status", "change a subject's status");
  status->add_option("CODE", o->code, "unified social credit code")->required();
  status->add_option("STATUS", o->status, "operating, not_operating, unreachable, deregistered, revoked or bankrupt")
      ->required();
  status->add_option("--reason", o->reason, "why the status changed");
  common(status);
  status->callback([&g, &exit_code, o] { exit_code = ChangeStatusCommand(g, *o); });

  CLI::App* show = group->add_subcommand("show", "a subject: profile, records, open cases, commitment route");
  show->add_option("CODE", o->code, "unified social credit code")->required();
  show->add_flag("--json", o->json, "print JSON");
  show->callback([&g, &exit_code, o] { exit_code = Show(g, *o); });

  CLI::App* list = group->add_subcommand("list", "registered subjects in code order");
  list->add_option("--grade", o->query.grade, "only this risk grade");
  list->add_option("--status", o->query.status, "only this status");
  list->add_option("--search", o->query.text,
                   "only subjects whose code starts with it, whose name contains it, or (letters only) whose "
                   "name's pinyin or initials contain it")
      ->check([](const std::string& text) {
        return text.empty() || text.size() > engine::kMaxSubjectSearchBytes
                   ? "--search must be 1-" + std::to_string(engine::kMaxSubjectSearchBytes) + " bytes"
                   : std::string();
      });
  list->add_option("--after", o->query.after_code, "only codes after this one (paging)");
  list->add_option("--limit", o->query.limit, "at most this many")->check(CLI::Range(1, 100000));
  list->add_flag("--json", o->json, "print JSON");
  list->callback([&g, &exit_code, o] { exit_code = List(g, *o); });

  CLI::App* import_cmd =
      group->add_subcommand("import", "import subjects from CSV: code,name,status,grade,grade_reason[,grade_set_on]");
  import_cmd->add_option("FILE", o->file, "CSV file")->required()->check(CLI::ExistingFile);
  import_cmd->add_option("--encoding", o->encoding,
                         "the file's encoding: auto (valid UTF-8 is UTF-8, else GB 18030), utf-8 or gb18030");
  import_cmd->add_option("--batch", o->batch, "rows per store transaction")->check(CLI::Range(1, 100000));
  import_cmd->add_flag("--progress", o->progress, "draw the progress bar even when stderr is not a terminal");
  import_cmd->add_option("--user", o->user, "acting user recorded in the history");
  import_cmd->callback([&g, &exit_code, o] { exit_code = Import(g, *o); });
}

}  // namespace credflow::adapters::cli
