#include "workflows/inspection/plan.h"

#include <algorithm>
#include <set>
#include <utility>

#include "engine/authorization.h"
#include "workflows/common/action_helpers.h"
#include "workflows/inspection/events.h"
#include "workflows/inspection/inspection_workflow.h"
#include "workflows/inspection/names.h"
#include "workflows/verification/names.h"

namespace credflow::workflows::inspection {
namespace {

using engine::Json;
using engine::Status;

// Subjects whose facts a plan reads at once.
constexpr size_t kFactsChunk = 256;
// How often a commit draws again when the subjects changed under it.
constexpr int kMaxDraws = 5;

bool Listed(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::optional<int> PlanInteger(const Json& data, const char* key) {
  auto it = data.find(key);
  return it != data.end() && it->is_number_integer() ? std::optional<int>(it->get<int>()) : std::nullopt;
}

Json OptionalInt(const std::optional<int>& v) { return v ? Json(*v) : Json(nullptr); }

// The inspections of the cycle of every subject that has any, among
// `population` (only those can have reached a limit).
engine::Result<std::map<std::string, int>> CountInspections(engine::CaseStore& store,
                                                            const std::set<std::string>& population,
                                                            const std::string& cycle_id) {
  engine::RecordCountQuery q;
  q.kinds = {kInspectionRecord};
  engine::Result<std::vector<std::string>> inspected = store.FindSubjectsByRecords(q);
  if (!inspected.ok()) return inspected.status();
  std::vector<std::string> codes;
  for (const std::string& code : *inspected) {
    if (population.count(code) != 0) codes.push_back(code);
  }
  std::map<std::string, int> counts;
  for (size_t from = 0; from < codes.size(); from += kFactsChunk) {
    const std::vector<std::string> chunk(
        codes.begin() + static_cast<std::ptrdiff_t>(from),
        codes.begin() + static_cast<std::ptrdiff_t>(std::min(codes.size(), from + kFactsChunk)));
    engine::Result<std::vector<engine::SubjectFacts>> facts = store.GetSubjectFactsOf(chunk);
    if (!facts.ok()) return facts.status();
    for (const engine::SubjectFacts& f : *facts) {
      if (const int n = InspectionsInCycle(f, cycle_id); n > 0) counts[f.subject] = n;
    }
  }
  return counts;
}

// One grade's draw over its sorted candidates, appending an entry per
// candidate in draw order.
GradeDraw DrawGrade(const std::string& seed, const policies::GradeSampling& rule, const std::string& joint,
                    std::vector<std::string> subjects, const std::map<std::string, int>& inspected,
                    std::vector<PlanEntry>* entries) {
  GradeDraw g;
  g.grade = rule.grade;
  g.ratio = rule.ratio;
  g.mode = rule.draw;
  g.max_per_cycle = rule.max_per_cycle;
  g.joint = joint;
  std::sort(subjects.begin(), subjects.end());
  g.subjects = std::move(subjects);
  g.candidates_sha256 = verification::CandidatesHash(g.subjects);
  const bool quota = rule.draw == policies::kDrawQuota;
  const std::vector<std::string> order =
      quota ? verification::SeededShuffle(g.subjects, verification::QuotaStream(seed, g.grade)) : g.subjects;
  const int n = static_cast<int>(order.size());
  g.quota = quota ? verification::QuotaOf(rule.ratio, n) : 0;
  int selected_before = 0;
  for (int position = 0; position < n; ++position) {
    PlanEntry e;
    e.subject = order[static_cast<size_t>(position)];
    e.grade = g.grade;
    e.ratio = rule.ratio;
    e.mode = rule.draw;
    e.max_per_cycle = rule.max_per_cycle;
    e.joint = joint;
    auto it = inspected.find(e.subject);
    e.inspected_in_cycle = it == inspected.end() ? 0 : it->second;
    if (quota) e.quota = verification::QuotaPlace{n, g.quota, position, selected_before, g.candidates_sha256};
    const verification::DrawResult r = verification::Draw(
        verification::DrawInputs{seed, e.subject, e.grade, e.ratio, e.inspected_in_cycle, e.max_per_cycle, e.quota});
    e.u = r.u;
    e.selected = r.selected;
    e.reason = r.reason;
    if (e.selected) {
      ++selected_before;
      g.drawn.push_back(e.subject);
    }
    if (e.reason == verification::kCycleLimitReached) ++g.exempted;
    entries->push_back(std::move(e));
  }
  return g;
}

// The data of the InspectionPlanned event that opens the visit of `e`.
Json PlannedData(const Plan& plan, const PlanEntry& e) {
  Json data = {{"cycle", plan.cycle.id},
               {"seed", plan.seed},
               {"grade", e.grade},
               {"mode", e.mode},
               {"inspected_in_cycle", e.inspected_in_cycle}};
  if (e.quota) {
    data["candidates"] = e.quota->candidates;
    data["quota"] = e.quota->quota;
    data["position"] = e.quota->position;
    data["selected_before"] = e.quota->selected_before;
    data["candidates_sha256"] = e.quota->candidates_sha256;
  }
  if (!e.joint.empty()) data["joint"] = e.joint;
  return data;
}

}  // namespace

std::string PlanKey(const std::string& cycle_id) { return "inspection-plan:" + cycle_id; }

engine::Result<PlanRules> RulesOfCycle(const engine::RuleBook& rules, const std::string& cycle_id) {
  const std::optional<policies::InspectionCycle> cycle = policies::ParseInspectionCycle(cycle_id);
  if (!cycle) {
    const std::string shown = cycle_id.size() > 16 ? cycle_id.substr(0, 16) + "..." : cycle_id;
    return Status::InvalidArgument(
        "invalid_cycle",
        "cycle '" + shown + "' is neither a year (YYYY) nor a quarter (YYYY-Qn, n 1-4), years " +
            std::to_string(policies::kFirstCycleYear) + "-" + std::to_string(policies::kLastCycleYear),
        {{"cycle", "invalid_cycle", "a cycle is YYYY or YYYY-Qn, e.g. 2026 or 2026-Q4"}});
  }
  PlanRules out;
  out.cycle = *cycle;
  out.policy = rules.policies->Select(policies::kInspectionPolicyId, cycle->first);
  out.section = out.policy != nullptr ? out.policy->Find<policies::InspectionSection>() : nullptr;
  if (out.section == nullptr) {
    return Status::NotFound("no_policy_in_force", std::string("no ") + policies::kInspectionPolicyId +
                                                      " policy is in force on " + cycle->first.ToString() +
                                                      ", the first day of cycle " + cycle_id);
  }
  if (out.section->cycle != cycle->unit) {
    return Status::InvalidArgument(
        "invalid_cycle",
        "the inspection policy " + out.policy->version + " plans by " + out.section->cycle + "; cycle '" + cycle_id +
            "' is a " + cycle->unit,
        {{"cycle", "invalid_cycle",
          out.section->cycle == policies::kCycleYear ? "a cycle is a year: YYYY" : "a cycle is a quarter: YYYY-Qn"}});
  }
  return out;
}

Json PlanEntry::ToJson() const {
  Json entry = {{"subject", subject},
                {"grade", grade},
                {"ratio", ratio},
                {"mode", mode},
                {"inspected_in_cycle", inspected_in_cycle},
                {"max_per_cycle", OptionalInt(max_per_cycle)},
                {"selected", selected},
                {"reason", reason},
                {"joint", joint}};
  if (quota) {
    entry["candidates"] = quota->candidates;
    entry["quota"] = quota->quota;
    entry["position"] = quota->position;
  } else {
    entry["u"] = u;
  }
  return entry;
}

Json Plan::Record() const {
  Json grades_json = Json::array();
  for (const GradeDraw& g : grades) {
    Json one = {{"grade", g.grade},
                {"ratio", g.ratio},
                {"mode", g.mode},
                {"max_per_cycle", OptionalInt(g.max_per_cycle)},
                {"joint", g.joint},
                {"candidates", g.subjects.size()},
                {"candidates_sha256", g.candidates_sha256},
                {"subjects", g.subjects},
                {"drawn", g.drawn},
                {"exempted", g.exempted}};
    if (g.mode == policies::kDrawQuota) one["quota"] = g.quota;
    grades_json.push_back(std::move(one));
  }
  return Json{{"cycle", cycle.id},
              {"first", cycle.first.ToString()},
              {"last", cycle.last.ToString()},
              {"seed", seed},
              {"policy", {{"id", policy_id}, {"version", policy_version}}},
              {"grades", grades_json},
              {"inspected_in_cycle", inspected_in_cycle},
              {"screened_out", screened_out}};
}

engine::Result<Plan> MakePlan(engine::CaseStore& store, const engine::RuleBook& rules, const std::string& cycle_id) {
  engine::Result<PlanRules> pr = RulesOfCycle(rules, cycle_id);
  if (!pr.ok()) return pr.status();
  const policies::InspectionSection& s = *pr->section;
  Plan plan;
  plan.cycle = pr->cycle;
  plan.seed = PlanSeed(cycle_id);
  plan.policy_id = pr->policy->id;
  plan.policy_version = pr->policy->version;

  // The population, by grade.
  std::map<std::string, std::vector<std::string>> by_grade;
  std::set<std::string> population;
  engine::SubjectQuery q;
  q.limit = 1000;
  for (;;) {
    engine::Result<std::vector<engine::SubjectProfile>> page = store.ListSubjects(q);
    if (!page.ok()) return page.status();
    for (const engine::SubjectProfile& p : *page) {
      if (Listed(s.screened_statuses, p.status)) {
        ++plan.screened_out[p.status];
        continue;
      }
      const std::string grade = p.grade.empty() ? s.default_grade : p.grade;
      if (s.Find(grade) == nullptr) {
        return Status::FailedPrecondition("no_ratio_for_grade", "subject " + p.code + " has grade '" + grade +
                                                                    "', which the inspection policy gives no ratio");
      }
      by_grade[grade].push_back(p.code);
      population.insert(p.code);
    }
    if (static_cast<int>(page->size()) < q.limit) break;
    q.after_code = page->back().code;
  }
  engine::Result<std::map<std::string, int>> inspected = CountInspections(store, population, cycle_id);
  if (!inspected.ok()) return inspected.status();
  plan.inspected_in_cycle = std::move(*inspected);

  std::vector<const policies::GradeSampling*> grades;
  for (const policies::GradeSampling& g : s.grades) grades.push_back(&g);
  std::sort(grades.begin(), grades.end(), [](auto* a, auto* b) { return a->grade < b->grade; });
  for (const policies::GradeSampling* rule : grades) {
    const policies::JointInspection* joint = s.JointFor(rule->grade);
    plan.grades.push_back(DrawGrade(plan.seed, *rule, joint != nullptr ? joint->id : "", by_grade[rule->grade],
                                    plan.inspected_in_cycle, &plan.entries));
  }
  return plan;
}

engine::Result<std::optional<Json>> FindCommittedPlan(engine::CaseStore& store, const std::string& cycle_id) {
  std::optional<Json> record;
  Status st = store.RunInTransaction([&](engine::StoreTransaction& tx) -> Status {
    engine::Result<std::optional<engine::StoredResponse>> found = tx.FindResponse(PlanKey(cycle_id));
    if (!found.ok()) return found.status();
    if (found->has_value()) record = (*found)->response;
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return record;
}

engine::Result<PlanCommit> CommitPlan(engine::CaseService& service, const std::string& cycle_id,
                                      const engine::Actor& actor) {
  engine::Result<PlanRules> pr = RulesOfCycle(service.rules(), cycle_id);
  if (!pr.ok()) return pr.status();
  const policies::Date today = service.clock().Today();
  if (today < pr->cycle.first || today > pr->cycle.last) {
    return Status::FailedPrecondition(
        "cycle_not_current", "the plan of cycle " + cycle_id + " can only be committed within it (" +
                                 pr->cycle.first.ToString() + " to " + pr->cycle.last.ToString() + "); today is " +
                                 today.ToString());
  }
  engine::CommandOptions options;
  options.idempotency_key = PlanKey(cycle_id);
  options.describe = Json{{"op", "commit_inspection_plan"}, {"cycle", cycle_id}};
  Status last = Status::Ok();
  for (int attempt = 0; attempt < kMaxDraws; ++attempt) {
    engine::Result<std::optional<Json>> committed = FindCommittedPlan(service.store(), cycle_id);
    if (!committed.ok()) return committed.status();
    if (committed->has_value()) return PlanCommit{true, std::move(**committed), {}};
    engine::Result<Plan> plan = MakePlan(service.store(), service.rules(), cycle_id);
    if (!plan.ok()) return plan.status();
    Json record = plan->Record();
    record["committed_on"] = today.ToString();
    record["committed_by"] = actor.user;
    std::vector<std::string> opened;
    engine::Result<engine::CommandAnswer> answer =
        service.RunCommand(options, [&](engine::UnitOfWork& tx, Json* body) -> Status {
          opened.clear();
          Json visits = Json::array();
          for (const PlanEntry& e : plan->entries) {
            if (!e.selected) continue;
            engine::OpenCaseRequest open;
            open.workflow = kWorkflowName;
            open.subject = e.subject;
            open.actor = actor;
            open.relevant_date = pr->cycle.first;  // the plan's policy
            // The draw is the engine's: raised with the plan's seed and inputs.
            open.events.push_back(
                engine::EventInput{InspectionPlanned::kName, PlannedData(*plan, e), engine::SystemActor()});
            engine::CommandResult one;
            CREDFLOW_RETURN_IF_ERROR(service.OpenInTransaction(tx, open, engine::Channel::kEngine, &one));
            opened.push_back(one.case_id);
            visits.push_back({{"case", one.case_id}, {"subject", e.subject}, {"grade", e.grade}, {"joint", e.joint}});
          }
          *body = record;
          (*body)["visits"] = std::move(visits);
          return Status::Ok();
        });
    if (answer.ok()) {
      if (answer->replayed) return PlanCommit{true, std::move(answer->body), {}};
      return PlanCommit{false, std::move(answer->body), std::move(opened)};
    }
    if (answer.status().reason() != kPlanInputsChanged) return answer.status();
    last = answer.status();
  }
  return Status::Conflict(kPlanInputsChanged, "the subjects kept changing while the plan of cycle " + cycle_id +
                                                  " was drawn (" + last.message() + "); run it again");
}

engine::Result<PlanReplay> ReplayPlan(engine::CaseStore& store, const engine::RuleBook& rules,
                                      const std::string& cycle_id) {
  engine::Result<PlanRules> pr = RulesOfCycle(rules, cycle_id);
  if (!pr.ok()) return pr.status();
  engine::Result<std::optional<Json>> found = FindCommittedPlan(store, cycle_id);
  if (!found.ok()) return found.status();
  if (!found->has_value()) {
    return Status::NotFound("plan_not_committed", "cycle " + cycle_id + " has no committed inspection plan");
  }
  const Json& record = **found;
  PlanReplay out;
  out.cycle = cycle_id;
  out.seed = Text(record, "seed");
  auto problem = [&](std::string p) { out.problems.push_back(std::move(p)); };
  if (out.seed != PlanSeed(cycle_id)) problem("the plan records seed \"" + out.seed + "\", not " + PlanSeed(cycle_id));
  const Json pin = record.value("policy", Json::object());
  const policies::Policy* policy = rules.policies->Find(Text(pin, "id"), Text(pin, "version"));
  const policies::InspectionSection* section =
      policy != nullptr ? policy->Find<policies::InspectionSection>() : nullptr;
  if (section == nullptr) {
    problem("policy " + Text(pin, "id") + " " + Text(pin, "version") + " of the plan is not loaded");
    return out;
  }
  std::map<std::string, int> inspected;
  const Json counts = record.value("inspected_in_cycle", Json::object());
  for (const auto& [code, n] : counts.items()) {
    if (n.is_number_integer()) inspected[code] = n.get<int>();
  }

  // The plan recomputed from its record.
  std::map<std::string, PlanEntry> selected;  // subject -> its recomputed draw
  for (const Json& g : record.value("grades", Json::array())) {
    const std::string grade = Text(g, "grade");
    const policies::GradeSampling* rule = section->Find(grade);
    if (rule == nullptr) {
      problem("grade " + grade + ": the plan's policy gives it no ratio");
      continue;
    }
    std::vector<std::string> subjects;
    for (const Json& s : g.value("subjects", Json::array())) {
      if (s.is_string()) subjects.push_back(s.get<std::string>());
    }
    if (!std::is_sorted(subjects.begin(), subjects.end()) ||
        std::adjacent_find(subjects.begin(), subjects.end()) != subjects.end()) {
      problem("grade " + grade + ": the recorded candidates are not sorted and distinct");
    }
    if (verification::CandidatesHash(subjects) != Text(g, "candidates_sha256")) {
      problem("grade " + grade + ": the " + std::to_string(subjects.size()) +
              " recorded candidates do not hash to the recorded candidates_sha256");
    }
    if (Text(g, "mode") != rule->draw) problem("grade " + grade + ": recorded as drawn " + Text(g, "mode"));
    const policies::JointInspection* joint = section->JointFor(grade);
    std::vector<PlanEntry> entries;
    const GradeDraw again =
        DrawGrade(out.seed, *rule, joint != nullptr ? joint->id : "", subjects, inspected, &entries);
    if (again.mode == policies::kDrawQuota && PlanInteger(g, "quota") != again.quota) {
      problem("grade " + grade + ": quota recorded as " + g.value("quota", Json()).dump() + ", recomputed as " +
              std::to_string(again.quota));
    }
    std::vector<std::string> recorded_drawn;
    for (const Json& s : g.value("drawn", Json::array())) {
      if (s.is_string()) recorded_drawn.push_back(s.get<std::string>());
    }
    if (recorded_drawn != again.drawn) {
      problem("grade " + grade + ": " + std::to_string(recorded_drawn.size()) + " subject(s) recorded as drawn, " +
              std::to_string(again.drawn.size()) + " recomputed, or in another order");
    }
    out.drawn[grade] = static_cast<int>(again.drawn.size());
    for (PlanEntry& e : entries) {
      if (e.selected) selected[e.subject] = std::move(e);
    }
  }

  // The visits' histories against the recomputed plan.
  std::map<std::string, int> visits_of;  // subject -> visits claiming the plan
  engine::CaseQuery q;
  q.workflow = kWorkflowName;
  q.limit = 1000;
  for (;;) {
    engine::Result<std::vector<engine::Case>> page = store.FindCases(q);
    if (!page.ok()) return page.status();
    for (const engine::Case& c : *page) {
      if (Text(c.data, "cycle") != cycle_id || Text(c.data, "grounds") != kGroundsPlan) continue;
      engine::Result<std::vector<engine::HistoryEvent>> history = store.GetHistory(c.id);
      if (!history.ok()) return history.status();
      const engine::HistoryEvent* planned = nullptr;
      for (const engine::HistoryEvent& h : *history) {
        if (h.event == InspectionPlanned::kName && h.payload.contains("data")) planned = &h;
      }
      if (planned == nullptr) {
        problem("visit " + c.id + ": its row names the plan, but its history holds no InspectionPlanned");
        continue;
      }
      ++out.visits;
      const Json& d = planned->payload["data"];
      ++visits_of[c.subject];
      auto it = selected.find(c.subject);
      if (it == selected.end()) {
        problem("visit " + c.id + ": subject " + c.subject + " is not drawn by the recomputed plan");
        continue;
      }
      const PlanEntry& e = it->second;
      auto differs = [&](const char* what, const Json& recorded, const Json& recomputed) {
        if (recorded == recomputed) return;
        problem("visit " + c.id + ": " + what + " is recorded as " + recorded.dump() + " but recomputes as " +
                recomputed.dump());
      };
      differs("the seed", d.value("seed", Json()), Json(out.seed));
      differs("the grade", d.value("grade", Json()), Json(e.grade));
      differs("inspected_in_cycle", d.value("inspected_in_cycle", Json()), Json(e.inspected_in_cycle));
      if (e.quota) {
        differs("candidates", d.value("candidates", Json()), Json(e.quota->candidates));
        differs("quota", d.value("quota", Json()), Json(e.quota->quota));
        differs("position", d.value("position", Json()), Json(e.quota->position));
        differs("selected_before", d.value("selected_before", Json()), Json(e.quota->selected_before));
        differs("candidates_sha256", d.value("candidates_sha256", Json()), Json(e.quota->candidates_sha256));
      }
    }
    if (static_cast<int>(page->size()) < q.limit) break;
    q.after_id = page->back().id;
  }
  for (const auto& [subject, e] : selected) {
    const int n = visits_of.count(subject) != 0 ? visits_of[subject] : 0;
    if (n != 1) {
      problem("subject " + subject + " (grade " + e.grade + ") is drawn but has " + std::to_string(n) +
              " visit(s) of the plan");
    }
  }
  return out;
}

}  // namespace credflow::workflows::inspection
