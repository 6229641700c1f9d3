#include "workflows/verification/verification_workflow.h"

#include <map>

#include "policies/verification_rules.h"
#include "workflows/common/action_helpers.h"
#include "workflows/common/msm_workflow.h"
#include "workflows/verification/sampling.h"
#include "workflows/verification/verification_machine.h"

namespace credflow::workflows::verification {
namespace {

using engine::Json;
using engine::Status;

// Bump when a state is renamed or removed.
constexpr int kDefinitionVersion = 1;

class VerificationWorkflow final : public MsmWorkflow<VerificationMachine> {
 public:
  VerificationWorkflow() : MsmWorkflow(kWorkflowName, kDefinitionVersion, kPolicyId) {}

  std::optional<std::string> FormFor(const std::string& event, const engine::TransitionContext&) const override {
    if (event == VerificationReported::kName) return std::string(kReportForm);
    return std::nullopt;
  }
};

// The cycle a date falls in, per the policy ("2025" or "2025-04").
std::string CycleOf(const policies::Policy& policy, const std::string& date) {
  const policies::VerificationSection* section = policy.Find<policies::VerificationSection>();
  const bool monthly = section != nullptr && section->sampling && section->sampling->cycle == "month";
  return date.substr(0, monthly ? 7 : 4);
}

}  // namespace

std::unique_ptr<engine::WorkflowDefinition> NewVerificationWorkflow() {
  return std::make_unique<VerificationWorkflow>();
}

engine::Result<Plan> MakePlan(engine::CaseStore& store, const engine::RuleBook& rules, policies::Date date,
                              std::string seed) {
  Plan plan;
  plan.date = date.ToString();
  plan.seed = seed.empty() ? PlanSeed(date) : std::move(seed);
  // Selected sampled verifications per (subject, cycle), loaded once per subject.
  std::map<std::string, std::map<std::string, int>> selected;
  auto count_selected = [&](const std::string& subject) -> engine::Result<std::map<std::string, int>*> {
    auto it = selected.find(subject);
    if (it != selected.end()) return &it->second;
    std::map<std::string, int>& counts = selected[subject];
    engine::CaseQuery q;
    q.workflow = kWorkflowName;
    q.subject = subject;
    q.limit = 1000;
    for (;;) {
      engine::Result<std::vector<engine::Case>> page = store.FindCases(q);
      if (!page.ok()) return page.status();
      for (const engine::Case& c : *page) {
        const Json draw = Given(c.data, "draw") ? c.data["draw"] : Json::object();
        const bool drawn =
            draw.is_object() && draw.value("selected", Json()).is_boolean() && draw["selected"].get<bool>();
        if (!drawn || Text(draw, "plan_date").empty()) continue;
        const policies::Policy* p = rules.policies->Find(c.policy.id, c.policy.version);
        if (p != nullptr) ++counts[CycleOf(*p, Text(draw, "plan_date"))];
      }
      if (static_cast<int>(page->size()) < q.limit) break;
      q.after_id = page->back().id;
    }
    return &counts;
  };

  engine::CaseQuery q;
  q.workflow = kWorkflowName;
  q.state = "AwaitingDraw";
  q.limit = 1000;
  for (;;) {
    engine::Result<std::vector<engine::Case>> page = store.FindCases(q);
    if (!page.ok()) return page.status();
    for (const engine::Case& c : *page) {
      if (engine::OfficeDate(c.created_at) > date) continue;
      const policies::Policy* policy = rules.policies->Find(c.policy.id, c.policy.version);
      if (policy == nullptr) {
        return Status::FailedPrecondition("pinned_policy_missing",
                                          "case " + c.id + " is pinned to a policy that is not loaded");
      }
      engine::Result<engine::SubjectFacts> facts = store.GetSubjectFacts(c.subject);
      if (!facts.ok()) return facts.status();
      engine::Result<std::map<std::string, int>*> counts = count_selected(c.subject);
      if (!counts.ok()) return counts.status();
      const std::string cycle = CycleOf(*policy, plan.date);

      PlanEntry entry;
      entry.case_id = c.id;
      entry.subject = c.subject;
      entry.commitment_type = Text(c.data, "commitment_type");
      entry.grade = SubjectGrade(*policy, *facts);
      entry.verified_in_cycle = (**counts)[cycle];
      DrawInputs in{plan.seed, c.id, entry.grade, 0, entry.verified_in_cycle, std::nullopt};
      if (const policies::GradeSampling* g = GradeRule(*policy, entry.grade)) {
        in.ratio = g->ratio;
        in.max_per_cycle = g->max_per_cycle;
      }
      entry.ratio = in.ratio;
      const DrawResult r = Draw(in);
      entry.u = r.u;
      entry.selected = r.selected;
      entry.reason = r.reason;
      if (r.selected) ++(**counts)[cycle];
      plan.entries.push_back(std::move(entry));
    }
    if (static_cast<int>(page->size()) < q.limit) break;
    q.after_id = page->back().id;
  }
  return plan;
}

std::string PlanSeed(policies::Date date) { return "plan:" + date.ToString(); }

engine::Result<int> CommitPlan(engine::CaseService& service, policies::Date date, const engine::Actor& actor) {
  const policies::Date today = service.clock().Today();
  if (date != today) {
    return Status::FailedPrecondition(
        "plan_not_today",
        "the plan of " + date.ToString() + " can only be committed on that day (today is " + today.ToString() + ")");
  }
  engine::Result<Plan> plan = MakePlan(service.store(), service.rules(), date, "");
  if (!plan.ok()) return plan.status();
  int drawn = 0;
  for (const PlanEntry& entry : plan->entries) {
    engine::FireEventRequest request;
    request.case_id = entry.case_id;
    request.event = engine::EventInput{
        DrawMade::kName,
        Json{{"seed", plan->seed}, {"plan_date", plan->date}, {"verified_in_cycle", entry.verified_in_cycle}}, actor};
    request.idempotency_key = "draw:" + plan->seed + ":" + entry.case_id;
    // The draw is the engine's: DrawMade is a system event, raised here with
    // the plan's seed and inputs, never sent by a person.
    engine::Result<engine::CommandResult> r = service.Raise(request);
    if (!r.ok()) {
      // Drawn meanwhile by another plan: leave it as that plan decided.
      if (r.status().reason() == "event_not_allowed") continue;
      return r.status();
    }
    ++drawn;
  }
  return drawn;
}

}  // namespace credflow::workflows::verification
