#include "adapters/scenario/scenario_runner.h"

#include <cmath>
#include <filesystem>
#include <map>
#include <ostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "adapters/input/bounded_file.h"
#include "adapters/input/bounded_json.h"
#include "adapters/store/soci_case_store.h"
#include "engine/audit.h"
#include "engine/authorization.h"
#include "engine/case_service.h"
#include "engine/clock.h"
#include "engine/form_data.h"
#include "policies/inspection_rules.h"
#include "policies/verification_rules.h"
#include "workflows/commitment/commitment_workflow.h"
#include "workflows/commitment/eligibility.h"
#include "workflows/enforcement/enforcement_workflow.h"
#include "workflows/inspection/inspection_workflow.h"
#include "workflows/record/names.h"
#include "workflows/record/record_workflow.h"
#include "workflows/registry.h"
#include "workflows/remediation_ledger/ledger_workflow.h"
#include "workflows/remediation_ledger/names.h"
#include "workflows/repair/names.h"
#include "workflows/repair/repair_workflow.h"
#include "workflows/subject/grading.h"
#include "workflows/subject/subject_service.h"
#include "workflows/verification/verification_workflow.h"

namespace credflow::adapters {
namespace {

using engine::Json;
using engine::Status;
using Outcome = StepReport::Result;

// The largest scenario file read (the largest in tests/scenarios is 22 KB).
constexpr size_t kMaxScenarioBytes = 4u << 20;  // 4 MiB

// Thrown inside one step to fail it with a message; caught per step.
struct StepFailure {
  Outcome result;
  std::string detail;
};

[[noreturn]] void Fail(std::string detail) { throw StepFailure{Outcome::kFailed, std::move(detail)}; }
[[noreturn]] void Unsupported(std::string detail) {
  throw StepFailure{Outcome::kUnsupported, std::move(detail) + ": not supported yet"};
}

const Json& Require(const Json& obj, const char* key) {
  if (!obj.is_object() || !obj.contains(key)) Fail(std::string("the step lacks '") + key + "'");
  return obj[key];
}

std::string RequireString(const Json& obj, const char* key) {
  const Json& v = Require(obj, key);
  if (!v.is_string()) Fail(std::string("'") + key + "' must be a string");
  return v.get<std::string>();
}

// Removes a temporary SQLite database and its WAL files.
class TempDatabase {
 public:
  TempDatabase() {
    path_ = (std::filesystem::temp_directory_path() / ("credflow-scenario-" + engine::NewRandomId() + ".db")).string();
  }
  ~TempDatabase() {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      std::filesystem::remove(path_ + suffix, ec);
    }
  }
  std::string url() const { return "sqlite:" + path_; }

 private:
  std::string path_;
};

class Player {
 public:
  Player(const LoadedRules& rules, engine::CaseStore* store)
      : rules_(rules), store_(store), service_(store, &registry_, rules.book(), &clock_) {
    workflows::RegisterAll(registry_);
  }

  void Advance(const std::string& on) {
    std::optional<policies::Date> date = policies::Date::Parse(on);
    if (!date) Fail("'on' is not a date: " + on);
    if (!engine::IsClockDate(*date)) {
      Fail("'on' " + on + " is outside the years a clock may be set to (" + std::to_string(engine::kFirstClockYear) +
           "-" + std::to_string(engine::kLastClockYear) + ")");
    }
    if (today_ && *date < *today_) Fail("step dated " + on + " is earlier than the step before");
    today_ = *date;
    clock_.SetDate(*date);
    engine::Result<int> fired = service_.FireDueTimers();
    if (!fired.ok()) Fail("firing due timers failed: " + fired.status().ToString());
  }

  // Runs one `do` step; returns a one-line description.
  std::string Do(const Json& step) {
    const std::string op = RequireString(step, "do");
    const Json with = step.value("with", Json::object());
    for (const char* key : {"subject", "code"}) {
      if (with.contains(key) && with[key].is_string()) subjects_.insert(with[key].get<std::string>());
    }
    const std::string as = step.value("as", "");
    std::optional<std::string> refused;
    if (step.contains("refused")) refused = step["refused"].get<std::string>();

    engine::Result<engine::CommandResult> result = Status::Internal("unset");
    std::string case_ref;
    if (op == "register_subject") {
      workflows::subject::RegisterSubjectRequest request;
      request.code = RequireString(with, "code");
      request.name = RequireString(with, "name");
      request.status = with.value("status", "");
      request.grade = with.value("grade", "");
      if (!request.grade.empty()) request.grade_reason = with.value("reason", "set by the scenario");
      request.grade_source = workflows::subject::kGradeSourceScenario;
      request.actor = actor_;
      result = Command(workflows::subject::RegisterSubject(service_, request));
    } else if (op == "update_subject") {
      const std::string code = RequireString(with, "code");
      result = Status::InvalidArgument("invalid_step", "update_subject needs a status or a grade");
      if (with.contains("status")) {
        workflows::subject::ChangeStatusRequest request;
        request.code = code;
        request.status = RequireString(with, "status");
        request.actor = actor_;
        result = Command(workflows::subject::ChangeStatus(service_, request));
      }
      if (with.contains("grade") && (result.ok() || !with.contains("status"))) {
        workflows::subject::SetGradeRequest request;
        request.code = code;
        request.grade = RequireString(with, "grade");
        request.reason = with.value("reason", "set by the scenario");
        request.source = workflows::subject::kGradeSourceScenario;
        request.actor = actor_;
        result = Command(workflows::subject::SetGrade(service_, request));
      }
    } else if (op == "file_commitment") {
      workflows::commitment::FileCommitmentRequest request;
      request.subject = RequireString(with, "subject");
      request.commitment_type = RequireString(with, "type");
      request.form = with.value("form", Json::object());
      request.actor = actor_;
      result = workflows::commitment::FileCommitment(service_, request);
    } else if (op == "withdraw") {
      case_ref = RequireString(with, "case");
      result = Fire(case_ref, "CommitmentWithdrawn", Json::object());
    } else if (op == "verify_commitment") {
      // The report goes to the commitment's verification case.
      case_ref = RequireString(with, "case");
      Json form = {{"result", RequireString(with, "result")}, {"verified_on", clock_.Today().ToString()}};
      if (with.contains("findings")) form["findings"] = with["findings"];
      if (with.contains("rectification_days")) form["rectification_days"] = with["rectification_days"];
      result = FireOn(Descendant(case_ref, "verification"), "VerificationReported", Json{{"form", form}});
    } else if (op == "rectify") {
      case_ref = RequireString(with, "case");
      result = FireOn(RectificationCase(case_ref), "RectificationConfirmed", Json::object());
    } else if (op == "report_violation") {
      workflows::enforcement::ReportViolationRequest request;
      request.subject = RequireString(with, "subject");
      request.report = with;
      request.report.erase("subject");
      request.actor = actor_;
      result = workflows::enforcement::ReportViolation(service_, request);
    } else if (op == "object") {
      // A creditor or another interested party objects to a published
      // undertaking; the window records it.
      case_ref = RequireString(with, "case");
      Json data = {{"by", RequireString(with, "by")}};
      if (with.contains("grounds")) data["grounds"] = RequireString(with, "grounds");
      result = Fire(case_ref, "ObjectionRaised", data);
    } else if (op == "record_dishonesty") {
      workflows::record::RecordDishonestyRequest request;
      request.subject = RequireString(with, "subject");
      request.record = with;
      request.record.erase("subject");
      request.actor = actor_;
      request.refuse_same = false;  // each step is a decision of its own
      result = workflows::record::RecordDishonesty(service_, request);
    } else if (op == "fulfil_obligations") {
      case_ref = RecordCaseId(RequireString(with, "record"));
      result = Fire(case_ref, "ObligationsFulfilled", Json::object());
    } else if (op == "apply_for_repair") {
      workflows::repair::RepairApplicationRequest request;
      request.subject = RequireString(with, "subject");
      for (const Json& r : Require(with, "records")) {
        if (!r.is_string()) Fail("'records' must list record names");
        request.records.push_back(RecordCaseId(r.get<std::string>()));
      }
      for (const Json& d : with.value("documents", Json::array())) {
        if (!d.is_string()) Fail("'documents' must list document codes");
        request.documents.push_back(d.get<std::string>());
      }
      request.grounds = with.value("grounds", "");  // ours, beside FORMAT.md's fields
      request.actor = actor_;
      result = workflows::repair::ApplyForRepair(service_, request);
    } else if (op == "decide") {
      // The deciding department decides its task under the application.
      case_ref = RequireString(with, "case");
      const std::string department = RequireString(with, "department");
      engine::Result<std::string> task = workflows::repair::FindTask(service_, CaseId(case_ref), department);
      if (!task.ok()) {
        result = task.status();
      } else {
        // "extend" (ours, beside FORMAT.md's approve and deny): the
        // department extends its decision time where the rule allows.
        const std::string decision = RequireString(with, "decision");
        const bool extend = decision == "extend";
        Json data = extend ? Json{{"reason", with.value("reason", "complex case")}} : Json{{"decision", decision}};
        if (!extend && with.contains("reason")) data["reason"] = RequireString(with, "reason");
        engine::FireEventRequest request;
        request.case_id = *task;
        request.event = engine::EventInput{extend ? "DecisionExtended" : "TaskDecided", data,
                                           engine::Actor{"scenario:" + department, "department", department}};
        result = service_.Fire(request);
      }
    } else if (op == "revoke_repair") {
      case_ref = RequireString(with, "case");
      result = Fire(case_ref, "RepairRevoked", Json{{"reason", RequireString(with, "reason")}});
    } else if (op == "plan_verification") {
      // Commits today's verification plan (seed "plan:<today>"): every
      // sampled commitment waiting for a draw is drawn or exempted.
      engine::Result<int> drawn = workflows::verification::CommitPlan(service_, clock_.Today(), actor_);
      if (refused) {
        if (drawn.ok()) Fail(op + ": expected refusal '" + *refused + "' but it was accepted");
        if (drawn.status().reason() != *refused) {
          Fail(op + ": expected refusal '" + *refused + "' but got " + drawn.status().ToString());
        }
        return op + " refused (" + *refused + ")";
      }
      if (!drawn.ok()) Fail(op + " was refused: " + drawn.status().ToString());
      engine::Result<int> fired = service_.FireDueTimers();
      if (!fired.ok()) Fail("delivering after " + op + " failed: " + fired.status().ToString());
      return op + " -> " + std::to_string(*drawn) + " drawn";
    } else if (op == "recompute_grades") {
      // Every registered subject's grade, from its records today, by the
      // risk-grading policy (a changed grade is a GradeSet, source recompute).
      // Only this scenario's subjects: scenarios may share a store (--keep),
      // and a draw over another file's subjects would act on its timeline.
      int changed = 0, regraded = 0;
      for (const std::string& code : subjects_) {
        engine::Result<engine::SubjectFacts> facts = store_->GetSubjectFacts(code);
        if (!facts.ok()) Fail(op + " failed: " + facts.status().ToString());
        if (!facts->profile) continue;  // named but never registered
        engine::Result<workflows::subject::RegradeResult> r =
            workflows::subject::RecomputeGrade(service_, code, engine::SystemActor());
        if (!r.ok()) Fail(op + " failed for " + code + ": " + r.status().ToString());
        ++regraded;
        changed += r->changed ? 1 : 0;
      }
      // The monthly recomputation draws the 屡禁不止 ledger on the same day
      // (FORMAT.md has no draw step of its own: public scenario 25 expects
      // in_ledger after recompute_grades).
      workflows::remediation_ledger::DrawRequest draw;
      draw.actor = actor_;
      draw.only.assign(subjects_.begin(), subjects_.end());
      engine::Result<workflows::remediation_ledger::DrawResult> drawn =
          subjects_.empty()
              ? engine::Result<workflows::remediation_ledger::DrawResult>(workflows::remediation_ledger::DrawResult{})
              : workflows::remediation_ledger::DrawLedger(service_, draw);
      if (!drawn.ok()) Fail("drawing the ledger failed: " + drawn.status().ToString());
      engine::Result<int> fired = service_.FireDueTimers();
      if (!fired.ok()) Fail("delivering after " + op + " failed: " + fired.status().ToString());
      return op + " -> " + std::to_string(changed) + " of " + std::to_string(regraded) +
             " changed; ledger: " + std::to_string(drawn->entered) + " entered, " +
             std::to_string(drawn->screened_out) + " screened out, " + std::to_string(drawn->exited) + " exited";
    } else if (op == "event") {
      // Any event of any workflow; "workflow" names a case below the one
      // given (e.g. the false-commitment case of a commitment). The
      // scenario stands in for everyone: a person's event is sent as the
      // scenario's caseworker, a system event (a repair decided elsewhere)
      // is raised as the engine raises it. A timer's event is refused: the
      // clock fires it.
      case_ref = RequireString(with, "case");
      const std::string target =
          with.contains("workflow") ? Descendant(case_ref, RequireString(with, "workflow")) : CaseId(case_ref);
      result = EscapeHatch(target, RequireString(with, "event"), with.value("data", Json::object()));
    } else {
      Unsupported("operation '" + op + "'");
    }

    const std::string label = op + (as.empty() ? "" : " " + as) + (case_ref.empty() ? "" : " " + case_ref);
    if (!case_ref.empty()) last_refusal_.erase(CaseId(case_ref));
    if (refused) {
      if (result.ok()) Fail(label + ": expected refusal '" + *refused + "' but it was accepted");
      if (result.status().reason() != *refused) {
        Fail(label + ": expected refusal '" + *refused + "' but got " + result.status().ToString());
      }
      if (!case_ref.empty()) last_refusal_[CaseId(case_ref)] = result.status().reason();
      return label + " refused (" + *refused + ")";
    }
    if (!result.ok()) Fail(label + " was refused: " + result.status().ToString());
    if (!as.empty()) names_[as] = result->case_id.empty() ? as : result->case_id;
    // What the step set in motion today (a child's outcome reaching its
    // parent) is delivered before the next step, as the scheduler would.
    engine::Result<int> fired = service_.FireDueTimers();
    if (!fired.ok()) Fail("delivering after " + label + " failed: " + fired.status().ToString());
    return label + " -> " + result->state;
  }

  std::string Expect(const Json& expect) {
    std::vector<std::string> checked;
    if (expect.contains("case")) {
      const std::string ref = expect["case"].get<std::string>();
      const std::string id = CaseId(ref);
      engine::Result<engine::Case> c = store_->GetCase(id);
      if (!c.ok()) Fail("case " + ref + ": " + c.status().ToString());
      for (auto it = expect.begin(); it != expect.end(); ++it) {
        const std::string& key = it.key();
        if (key == "case") continue;
        const std::string want = it.value().is_string() ? it.value().get<std::string>() : it.value().dump();
        std::string got;
        if (key == "state") {
          got = c->state;
        } else if (key == "outcome") {
          got = c->outcome;
        } else if (key == "reason") {
          auto refusal = last_refusal_.find(id);
          got = refusal != last_refusal_.end() ? refusal->second : c->reason;
        } else if (key == "due") {
          got = OpenDeadline(id);
        } else if (key == "earliest_application") {
          got = Text(c->data, "earliest_application");
        } else if (key == "tasks") {
          if (!it.value().is_object()) Fail("'tasks' must map departments to outcomes");
          const Json tasks = Tasks(id);
          for (auto t = it.value().begin(); t != it.value().end(); ++t) {
            const std::string got_task = tasks.value(t.key(), "");
            if (!t.value().is_string() || got_task != t.value().get<std::string>()) {
              Fail("case " + ref + " task of " + t.key() + ": expected " + t.value().dump() + ", got " +
                   (got_task.empty() ? "(none)" : got_task));
            }
          }
          checked.push_back("tasks=" + it.value().dump());
          continue;
        } else if (key == "drawn") {
          // Whether the plan drew the matter's verification.
          engine::Result<engine::Case> v = store_->GetCase(Descendant(ref, "verification"));
          if (!v.ok()) Fail("verification of " + ref + ": " + v.status().ToString());
          const Json draw = v->data.value("draw", Json::object());
          got = draw.is_object() && draw.contains("selected") ? draw["selected"].dump() : "";
        } else {
          Unsupported("expectation '" + key + "' on a case");
        }
        if (got != want)
          Fail("case " + ref + " " + key + ": expected " + want + ", got " + (got.empty() ? "(none)" : got));
        checked.push_back(key + "=" + want);
      }
      return "expect case " + ref + " " + Join(checked);
    }
    if (expect.contains("subject")) {
      const std::string subject = expect["subject"].get<std::string>();
      for (auto it = expect.begin(); it != expect.end(); ++it) {
        const std::string& key = it.key();
        if (key == "subject") continue;
        const std::string want = it.value().is_string() ? it.value().get<std::string>() : it.value().dump();
        std::string got;
        if (key == "commitment_route") {
          got = Route(subject);
        } else if (key == "grade") {
          got = Profile(subject).grade;
        } else if (key == "in_ledger" || key == "ledger") {
          engine::Result<engine::SubjectFacts> facts = store_->GetSubjectFacts(subject);
          if (!facts.ok()) Fail("facts of " + subject + ": " + facts.status().ToString());
          const std::string status = workflows::remediation_ledger::LedgerStatusOf(*facts);
          if (key == "ledger") {
            got = status;
          } else {
            // In the ledger: an open entry, in the ledger's work or in key supervision.
            const bool in = status == workflows::remediation_ledger::kInLedger ||
                            status == workflows::remediation_ledger::kKeySupervision;
            got = in ? "true" : "false";
          }
        } else if (key == "inspection_ratio") {
          const double ratio = InspectionRatio(subject);
          if (!it.value().is_number()) Fail("inspection_ratio must be a number");
          if (std::abs(ratio - it.value().get<double>()) > 1e-9) {
            Fail("subject " + subject + " inspection_ratio: expected " + it.value().dump() + ", got " +
                 std::to_string(ratio));
          }
          checked.push_back(key + "=" + it.value().dump());
          continue;
        } else {
          Unsupported("expectation '" + key + "' on a subject");
        }
        if (got != want) Fail("subject " + subject + " " + key + ": expected " + want + ", got " + got);
        checked.push_back(key + "=" + want);
      }
      return "expect subject " + subject + " " + Join(checked);
    }
    if (expect.contains("plan")) return ExpectPlan(expect);
    if (expect.contains("record")) return ExpectRecord(expect);
    Fail("an expectation names no case, subject or record");
  }

 private:
  // The committed plan of a date, recomputed from the histories alone
  // (workflows/verification ReplayPlan): `drawn` {grade: count} and
  // `replayed` (true: every draw and quota comes out as recorded).
  std::string ExpectPlan(const Json& expect) {
    const std::string date_text = RequireString(expect, "plan");
    const std::optional<policies::Date> date = policies::Date::Parse(date_text);
    if (!date) Fail("'plan' is not a date: " + date_text);
    engine::Result<workflows::verification::PlanReplay> replay =
        workflows::verification::ReplayPlan(*store_, service_.rules(), workflows::verification::PlanSeed(*date));
    if (!replay.ok()) Fail("replaying the plan of " + date_text + ": " + replay.status().ToString());
    std::vector<std::string> checked;
    for (auto it = expect.begin(); it != expect.end(); ++it) {
      const std::string& key = it.key();
      if (key == "plan") continue;
      if (key == "drawn") {
        if (!it.value().is_object()) Fail("'drawn' must map grades to counts");
        for (auto g = it.value().begin(); g != it.value().end(); ++g) {
          auto found = replay->drawn.find(g.key());
          const int got = found == replay->drawn.end() ? 0 : found->second;
          if (!g.value().is_number_integer() || got != g.value().get<int>()) {
            Fail("plan " + date_text + " drawn of grade " + g.key() + ": expected " + g.value().dump() + ", got " +
                 std::to_string(got));
          }
        }
        checked.push_back("drawn=" + it.value().dump());
      } else if (key == "replayed") {
        const bool want = it.value().is_boolean() && it.value().get<bool>();
        if (replay->reproduced() != want) {
          Fail("plan " + date_text + " replayed: expected " + it.value().dump() + ", got " +
               (replay->reproduced() ? "true" : "false: " + replay->problems.front()));
        }
        if (want && replay->cases == 0) Fail("plan " + date_text + " drew nothing to replay");
        if (want) ReplayEveryCase();
        checked.push_back("replayed=" + it.value().dump());
      } else {
        Unsupported("expectation '" + key + "' on a plan");
      }
    }
    return "expect plan " + date_text + " " + Join(checked);
  }

  // A dishonesty record: `published` (shown today) and `publication_ends`
  // (its last day shown, as things stand).
  std::string ExpectRecord(const Json& expect) {
    const std::string ref = expect["record"].get<std::string>();
    engine::Result<engine::Case> c = store_->GetCase(RecordCaseId(ref));
    if (!c.ok()) Fail("record " + ref + ": " + c.status().ToString());
    std::vector<std::string> checked;
    for (auto it = expect.begin(); it != expect.end(); ++it) {
      const std::string& key = it.key();
      if (key == "record") continue;
      const std::string want = it.value().is_string() ? it.value().get<std::string>() : it.value().dump();
      std::string got;
      if (key == "published") {
        got = c->outcome == workflows::record::kPublished ? "true" : "false";
      } else if (key == "publication_ends") {
        got = Text(c->data, "publication_ends");
      } else if (key == "state" || key == "outcome") {
        got = key == "state" ? c->state : c->outcome;
      } else {
        Unsupported("expectation '" + key + "' on a record");
      }
      if (got != want)
        Fail("record " + ref + " " + key + ": expected " + want + ", got " + (got.empty() ? "(none)" : got));
      checked.push_back(key + "=" + want);
    }
    return "expect record " + ref + " " + Join(checked);
  }

  // {department: outcome} of the application's tasks, and "denied" for
  // records refused at intake.
  Json Tasks(const std::string& id) {
    Json tasks = Json::object();
    engine::Result<engine::Case> application = store_->GetCase(id);
    if (!application.ok()) Fail("case " + id + ": " + application.status().ToString());
    for (const Json& r : application->data.value("intake", Json::array())) {
      if (r.value("result", "") != "task") tasks[r.value("department", "")] = workflows::repair::kTaskDenied;
    }
    engine::CaseQuery q;
    q.parent_id = id;
    q.workflow = workflows::repair::kTaskWorkflowName;
    q.limit = 1000;
    engine::Result<std::vector<engine::Case>> children = store_->FindCases(q);
    if (!children.ok()) Fail("tasks of " + id + ": " + children.status().ToString());
    for (const engine::Case& t : *children) tasks[t.department] = t.outcome;
    return tasks;
  }

  static std::string Text(const Json& data, const char* key) {
    auto it = data.find(key);
    return it != data.end() && it->is_string() ? it->get<std::string>() : "";
  }

  // Every case's history replayed through its machine (an auditor's
  // `credflow audit replay`) reproduces its state and data.
  void ReplayEveryCase() {
    engine::Result<std::vector<std::string>> ids = store_->ListCaseIds();
    if (!ids.ok()) Fail("listing cases: " + ids.status().ToString());
    for (const std::string& id : *ids) {
      engine::Result<engine::ReplayReport> r = engine::ReplayCase(*store_, registry_, service_.rules(), id);
      if (!r.ok()) Fail("replaying case " + id + ": " + r.status().ToString());
      if (!r->matches) Fail("case " + id + " does not replay: " + r->problem);
    }
  }

  engine::Result<engine::CommandResult> Fire(const std::string& ref, const std::string& event, const Json& data) {
    return FireOn(CaseId(ref), event, data);
  }

  engine::Result<engine::CommandResult> FireOn(const std::string& case_id, const std::string& event, const Json& data) {
    engine::FireEventRequest request;
    request.case_id = case_id;
    request.event = engine::EventInput{event, data, actor_};
    return service_.Fire(request);
  }

  engine::Result<engine::CommandResult> EscapeHatch(const std::string& case_id, const std::string& event,
                                                    const Json& data) {
    engine::Result<engine::Case> c = store_->GetCase(case_id);
    if (!c.ok()) return c.status();
    const engine::WorkflowDefinition* def = service_.workflows().Find(c->workflow);
    const engine::EventSpec* spec = def != nullptr ? def->FindEvent(event) : nullptr;
    if (spec == nullptr || spec->origin != engine::EventOrigin::kSystem) return FireOn(case_id, event, data);
    engine::FireEventRequest request;
    request.case_id = case_id;
    request.event = engine::EventInput{event, data, actor_};
    return service_.Raise(request);
  }

  // The case itself and every case below it, parents first.
  std::vector<engine::Case> Family(const std::string& id) {
    std::vector<engine::Case> family;
    engine::Result<engine::Case> root = store_->GetCase(id);
    if (!root.ok()) Fail("case " + id + ": " + root.status().ToString());
    family.push_back(*root);
    for (size_t i = 0; i < family.size(); ++i) {
      engine::CaseQuery q;
      q.parent_id = family[i].id;
      q.limit = 1000;
      engine::Result<std::vector<engine::Case>> children = store_->FindCases(q);
      if (!children.ok()) Fail("children of " + family[i].id + ": " + children.status().ToString());
      family.insert(family.end(), children->begin(), children->end());
    }
    return family;
  }

  // The most recent case of `workflow` in the family of `ref`.
  std::string Descendant(const std::string& ref, const std::string& workflow) {
    std::optional<engine::Case> found;
    for (const engine::Case& c : Family(CaseId(ref))) {
      if (c.workflow == workflow && (!found || found->created_at <= c.created_at)) found = c;
    }
    if (!found) Fail("case " + ref + " has no " + workflow + " case");
    return found->id;
  }

  // The case a `rectify` step confirms: an enforcement case itself, else
  // the false-commitment case below a commitment.
  std::string RectificationCase(const std::string& ref) {
    engine::Result<engine::Case> c = store_->GetCase(CaseId(ref));
    if (c.ok() && c->workflow == workflows::enforcement::kWorkflowName) return c->id;
    return Descendant(ref, "false_commitment");
  }

  // The dishonesty record a `record` names: a record case itself, or the
  // penalty record an enforcement case's decision made.
  std::string RecordCaseId(const std::string& ref) {
    engine::Result<engine::Case> c = store_->GetCase(CaseId(ref));
    if (c.ok() && c->workflow == workflows::enforcement::kWorkflowName) {
      return Descendant(ref, workflows::record::kWorkflowName);
    }
    return CaseId(ref);
  }

  std::string CaseId(const std::string& ref) const {
    auto it = names_.find(ref);
    return it == names_.end() ? ref : it->second;
  }

  // The matter's earliest open deadline: of the case or of any case below
  // it (a commitment's verification window, its rectification deadline).
  // Engine-internal deliveries are not deadlines.
  std::string OpenDeadline(const std::string& id) {
    std::optional<policies::Date> earliest;
    for (const engine::Case& c : Family(id)) {
      engine::Result<std::vector<engine::Timer>> timers = store_->GetTimers(c.id);
      if (!timers.ok()) Fail("timers of " + c.id + ": " + timers.status().ToString());
      for (const engine::Timer& t : *timers) {
        if (engine::IsDeliveryTimer(t.name)) continue;
        if (!earliest || t.due_on < *earliest) earliest = t.due_on;
      }
    }
    return earliest ? earliest->ToString() : "";
  }

  static engine::Result<engine::CommandResult> Command(
      const engine::Result<workflows::subject::SubjectAnswer>& answer) {
    if (!answer.ok()) return answer.status();
    return answer->command;
  }

  engine::SubjectProfile Profile(const std::string& subject) {
    engine::Result<std::optional<engine::SubjectProfile>> p = store_->GetSubjectProfile(subject);
    if (!p.ok()) Fail("profile of " + subject + ": " + p.status().ToString());
    if (!p->has_value()) Fail("subject " + subject + " is not registered");
    return **p;
  }

  // The sampling ratio that applies to the subject today (its grade, else the
  // policy's default grade).
  // The random-inspection ratio of the subject's grade (an ungraded subject's
  // is the default grade's), by the inspection plan policy in force today.
  double InspectionRatio(const std::string& subject) {
    const policies::Policy* policy = rules_.policies.Select(policies::kInspectionPolicyId, clock_.Today());
    const policies::InspectionSection* section =
        policy != nullptr ? policy->Find<policies::InspectionSection>() : nullptr;
    if (section == nullptr) Fail("no inspection-plan policy in force on " + clock_.Today().ToString());
    engine::Result<engine::SubjectFacts> facts = store_->GetSubjectFacts(subject);
    if (!facts.ok()) Fail("facts of " + subject + ": " + facts.status().ToString());
    const policies::GradeSampling* g = section->Find(workflows::inspection::GradeOf(*section, *facts));
    if (g == nullptr) Fail("the inspection-plan policy has no ratio for " + subject);
    return g->ratio;
  }

  std::string Route(const std::string& subject) {
    const policies::Policy* policy = rules_.policies.Select(workflows::commitment::kPolicyId, clock_.Today());
    if (policy == nullptr) Fail("no commitment policy in force on " + clock_.Today().ToString());
    engine::Result<engine::SubjectFacts> facts = store_->GetSubjectFacts(subject);
    if (!facts.ok()) Fail("facts of " + subject + ": " + facts.status().ToString());
    return workflows::commitment::CommitmentRoute(*policy, *facts).code();
  }

  static std::string Join(const std::vector<std::string>& parts) {
    std::string s;
    for (const std::string& p : parts) s += (s.empty() ? "" : " ") + p;
    return s;
  }

  const LoadedRules& rules_;
  engine::CaseStore* store_;
  engine::WorkflowRegistry registry_;
  engine::ManualClock clock_;
  engine::CaseService service_;
  engine::Actor actor_{"scenario", "caseworker", ""};
  std::optional<policies::Date> today_;
  std::set<std::string> subjects_;                   // every subject the scenario's steps name
  std::map<std::string, std::string> names_;         // `as` -> case id
  std::map<std::string, std::string> last_refusal_;  // case id -> reason
};

bool HasTag(const Json& scenario, const std::vector<std::string>& tags) {
  if (tags.empty()) return true;
  for (const Json& t : scenario.value("tags", Json::array())) {
    for (const std::string& want : tags) {
      if (t.is_string() && t.get<std::string>() == want) return true;
    }
  }
  return false;
}

}  // namespace

bool ScenarioReport::failed() const {
  for (const StepReport& s : steps) {
    if (s.result == StepReport::Result::kFailed) return true;
  }
  return false;
}

bool ScenarioReport::unsupported() const {
  if (failed()) return false;
  for (const StepReport& s : steps) {
    if (s.result == StepReport::Result::kUnsupported) return true;
  }
  return false;
}

ScenarioReport RunScenarioFile(const std::string& file, const LoadedRules& rules, const ScenarioOptions& options) {
  ScenarioReport report;
  report.file = file;
  report.name = std::filesystem::path(file).stem().string();
  auto fail_file = [&](std::string detail) {
    report.steps.push_back(StepReport{0, "", "file", Outcome::kFailed, std::move(detail)});
    return report;
  };

  // Scenario files are read within the input limits like any external JSON,
  // with room for long stories (one more byte tells "too large").
  input::JsonLimits limits;
  limits.max_bytes = kMaxScenarioBytes;
  const std::optional<std::string> text = input::ReadFileAtMost(file, limits.max_bytes);
  if (!text) return fail_file("cannot open " + file);
  engine::Result<Json> decoded = input::DecodeJson(*text, file, limits);
  if (!decoded.ok()) return fail_file(decoded.status().reason() + ": " + decoded.status().message());
  Json scenario = std::move(*decoded);
  if (!scenario.is_object()) return fail_file("not a JSON object: " + file);
  // value() throws on a member of another type: check the types first.
  for (const char* key : {"scenario", "title"}) {
    if (scenario.contains(key) && !scenario[key].is_string()) {
      return fail_file(std::string("'") + key + "' must be a string");
    }
  }
  report.name = scenario.value("scenario", report.name);
  report.title = scenario.value("title", "");
  if (!HasTag(scenario, options.tags)) {
    report.skipped_by_tag = true;
    return report;
  }
  if (!scenario.contains("steps") || !scenario["steps"].is_array()) return fail_file("no steps");

  std::optional<TempDatabase> temp;
  std::string url = options.database_url;
  if (url.empty()) {
    temp.emplace();
    url = temp->url();
  }
  engine::Result<std::unique_ptr<SociCaseStore>> store = SociCaseStore::Open(url);
  if (!store.ok()) return fail_file("cannot open the store: " + store.status().ToString());

  Player player(rules, store->get());
  int index = 0;
  bool stop = false;
  for (const Json& step : scenario["steps"]) {
    StepReport r;
    r.index = ++index;
    // A step that is no object, or whose "on" or "do" is no string, fails
    // as itself (value() would throw out of the loop).
    const bool is_object = step.is_object();
    if (is_object && step.contains("on") && step["on"].is_string()) r.on = step["on"].get<std::string>();
    const bool has_do = is_object && step.contains("do");
    const std::string op = has_do && step["do"].is_string() ? step["do"].get<std::string>() : "";
    if (stop) {
      r.result = Outcome::kUnsupported;
      r.what = "(not played: an earlier step is not supported yet)";
      report.steps.push_back(r);
      continue;
    }
    try {
      if (!is_object) Fail("the step is not a JSON object");
      if (r.on.empty()) Fail("the step has no 'on' date (a string)");
      player.Advance(r.on);
      if (has_do) {
        r.what = player.Do(step);
      } else if (step.contains("expect")) {
        r.what = player.Expect(step["expect"]);
      } else {
        Fail("the step has neither 'do' nor 'expect'");
      }
    } catch (const StepFailure& f) {
      r.result = f.result;
      r.detail = f.detail;
      if (r.what.empty()) r.what = has_do ? op : "expect";
      // Later steps build on this one: stop playing them.
      stop = true;
    } catch (const nlohmann::json::exception& e) {
      r.result = Outcome::kFailed;
      r.detail = std::string("malformed step: ") + e.what();
      stop = true;
    }
    report.steps.push_back(r);
  }
  return report;
}

int RunScenarios(const std::vector<std::string>& files, const LoadedRules& rules, const ScenarioOptions& options,
                 std::ostream& out) {
  int passed = 0, failed = 0, unsupported = 0;
  for (const std::string& file : files) {
    ScenarioReport report = RunScenarioFile(file, rules, options);
    if (report.skipped_by_tag) continue;
    const char* verdict = report.failed() ? "FAIL" : report.unsupported() ? "SKIP" : "PASS";
    out << verdict << "  " << report.name;
    if (!report.title.empty()) out << "  (" << report.title << ")";
    out << "\n";
    int not_played = 0;
    for (const StepReport& s : report.steps) {
      if (s.index > 0 && s.what.rfind("(not played", 0) == 0) {
        ++not_played;
        continue;
      }
      const bool show = options.verbose || s.result != Outcome::kPassed;
      if (!show) continue;
      const char* mark = s.result == Outcome::kPassed ? "ok  " : s.result == Outcome::kFailed ? "FAIL" : "skip";
      out << "  " << mark << " step " << s.index << " [" << s.on << "] " << s.what;
      if (!s.detail.empty()) out << ": " << s.detail;
      out << "\n";
    }
    if (not_played > 0) out << "  (" << not_played << " later step(s) not played)\n";
    if (report.failed()) {
      ++failed;
    } else if (report.unsupported()) {
      ++unsupported;
    } else {
      ++passed;
    }
  }
  out << "scenarios: " << passed << " passed, " << failed << " failed, " << unsupported << " skipped\n";
  if (failed > 0) return 1;
  if (unsupported > 0) return 3;
  return 0;
}

}  // namespace credflow::adapters
