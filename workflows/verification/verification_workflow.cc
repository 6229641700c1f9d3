#include "workflows/verification/verification_workflow.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "engine/history_payload.h"
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

  // First every entry and its grade's rule; the draws follow.
  std::vector<const policies::Policy*> policy_of;
  std::vector<std::optional<int>> limit_of;
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
      PlanEntry entry;
      entry.case_id = c.id;
      entry.subject = c.subject;
      entry.commitment_type = Text(c.data, "commitment_type");
      entry.grade = SubjectGrade(*policy, *facts);
      entry.policy_version = policy->version;
      entry.mode = policies::kDrawIndependent;
      std::optional<int> limit;
      if (const policies::GradeSampling* g = GradeRule(*policy, entry.grade)) {
        entry.ratio = g->ratio;
        entry.mode = g->draw;
        limit = g->max_per_cycle;
      }
      plan.entries.push_back(std::move(entry));
      policy_of.push_back(policy);
      limit_of.push_back(limit);
    }
    if (static_cast<int>(page->size()) < q.limit) break;
    q.after_id = page->back().id;
  }

  // Draws one entry given its place in a quota (if any), counting it
  // against the subject's cycle.
  auto draw = [&](size_t i, std::optional<QuotaPlace> place) -> engine::Status {
    PlanEntry& entry = plan.entries[i];
    engine::Result<std::map<std::string, int>*> counts = count_selected(entry.subject);
    if (!counts.ok()) return counts.status();
    const std::string cycle = CycleOf(*policy_of[i], plan.date);
    entry.verified_in_cycle = (**counts)[cycle];
    entry.quota = std::move(place);
    const DrawResult r = Draw(DrawInputs{plan.seed, entry.case_id, entry.grade, entry.ratio, entry.verified_in_cycle,
                                         limit_of[i], entry.quota});
    entry.u = r.u;
    entry.selected = r.selected;
    entry.reason = r.reason;
    if (r.selected) ++(**counts)[cycle];
    return Status::Ok();
  };

  // Independent draws, in case-id order.
  std::map<std::pair<std::string, std::string>, std::vector<size_t>> quota_groups;  // (grade, version) -> entries
  for (size_t i = 0; i < plan.entries.size(); ++i) {
    if (plan.entries[i].mode == policies::kDrawQuota) {
      quota_groups[{plan.entries[i].grade, plan.entries[i].policy_version}].push_back(i);
    } else if (engine::Status st = draw(i, std::nullopt); !st.ok()) {
      return st;
    }
  }
  // Quota draws: each group walked in its shuffled order.
  for (const auto& [key, members] : quota_groups) {
    std::map<std::string, size_t> index_of;
    std::vector<std::string> ids;
    for (size_t i : members) {
      index_of[plan.entries[i].case_id] = i;
      ids.push_back(plan.entries[i].case_id);
    }
    std::sort(ids.begin(), ids.end());
    QuotaGroup group;
    group.grade = key.first;
    group.policy_version = key.second;
    group.ratio = plan.entries[members.front()].ratio;
    group.candidates = static_cast<int>(ids.size());
    group.quota = QuotaOf(group.ratio, group.candidates);
    group.candidates_sha256 = CandidatesHash(ids);
    const std::vector<std::string> order = SeededShuffle(ids, QuotaStream(plan.seed, group.grade));
    int selected_before = 0;
    for (size_t position = 0; position < order.size(); ++position) {
      const size_t i = index_of[order[position]];
      const QuotaPlace place{group.candidates, group.quota, static_cast<int>(position), selected_before,
                             group.candidates_sha256};
      if (engine::Status st = draw(i, place); !st.ok()) return st;
      if (plan.entries[i].selected) {
        ++selected_before;
        group.drawn.push_back(order[position]);
      }
    }
    plan.quotas.push_back(std::move(group));
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
    Json data = {{"seed", plan->seed},
                 {"plan_date", plan->date},
                 {"verified_in_cycle", entry.verified_in_cycle},
                 {"mode", entry.mode}};
    if (entry.quota) {
      data["grade"] = entry.grade;
      data["candidates"] = entry.quota->candidates;
      data["quota"] = entry.quota->quota;
      data["position"] = entry.quota->position;
      data["selected_before"] = entry.quota->selected_before;
      data["candidates_sha256"] = entry.quota->candidates_sha256;
    }
    request.event = engine::EventInput{DrawMade::kName, std::move(data), actor};
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

namespace credflow::workflows::verification {
namespace {

// One committed draw as its case's history records it.
struct RecordedDraw {
  std::string case_id;
  Json data;  // the DrawMade event's data
  bool selected = false;
  std::string grade;
  const policies::Policy* policy = nullptr;
};

std::optional<int> IntegerOf(const Json& data, const char* key) {
  auto it = data.find(key);
  return it != data.end() && it->is_number_integer() ? std::optional<int>(it->get<int>()) : std::nullopt;
}

// Recomputes one grade's quota walk from the recorded draws of its group.
void ReplayQuotaGroup(std::vector<const RecordedDraw*> group, PlanReplay* out) {
  const RecordedDraw& first = *group.front();
  const policies::GradeSampling* rule = GradeRule(*first.policy, first.grade);
  std::vector<std::string> ids;
  std::map<std::string, const RecordedDraw*> by_id;
  for (const RecordedDraw* d : group) {
    ids.push_back(d->case_id);
    by_id[d->case_id] = d;
  }
  std::sort(ids.begin(), ids.end());
  QuotaGroup q;
  q.grade = first.grade;
  q.policy_version = first.policy->version;
  q.ratio = rule != nullptr ? rule->ratio : 0;
  q.candidates = static_cast<int>(ids.size());
  q.quota = QuotaOf(q.ratio, q.candidates);
  q.candidates_sha256 = CandidatesHash(ids);
  const std::string recorded_hash = Text(first.data, "candidates_sha256");
  if (q.candidates_sha256 != recorded_hash) {
    out->problems.push_back("grade " + q.grade + ": the " + std::to_string(q.candidates) +
                            " draws found do not hash to the recorded candidates " + recorded_hash.substr(0, 12) +
                            " (a candidate is missing or was added)");
  }
  const std::vector<std::string> order = SeededShuffle(ids, QuotaStream(Text(first.data, "seed"), q.grade));
  int selected_before = 0;
  for (size_t position = 0; position < order.size(); ++position) {
    const RecordedDraw& d = *by_id[order[position]];
    auto differs = [&](const char* what, int recorded, int recomputed) {
      if (recorded == recomputed) return;
      out->problems.push_back("case " + d.case_id + ": " + what + " is recorded as " + std::to_string(recorded) +
                              " but recomputes as " + std::to_string(recomputed));
    };
    differs("candidates", IntegerOf(d.data, "candidates").value_or(-1), q.candidates);
    differs("quota", IntegerOf(d.data, "quota").value_or(-1), q.quota);
    differs("position", IntegerOf(d.data, "position").value_or(-1), static_cast<int>(position));
    differs("selected_before", IntegerOf(d.data, "selected_before").value_or(-1), selected_before);
    const QuotaPlace place{q.candidates, q.quota, static_cast<int>(position), selected_before, q.candidates_sha256};
    const DrawResult r = Draw(DrawInputs{Text(d.data, "seed"), d.case_id, q.grade, q.ratio,
                                         IntegerOf(d.data, "verified_in_cycle").value_or(0),
                                         rule != nullptr ? rule->max_per_cycle : std::nullopt, place});
    differs("selected", d.selected, r.selected);
    if (r.selected) {
      ++selected_before;
      q.drawn.push_back(d.case_id);
      ++out->drawn[q.grade];
    }
  }
  out->quotas.push_back(std::move(q));
}

}  // namespace

engine::Result<PlanReplay> ReplayPlan(engine::CaseStore& store, const engine::RuleBook& rules,
                                      const std::string& seed) {
  PlanReplay out;
  out.seed = seed;
  std::vector<RecordedDraw> draws;
  engine::CaseQuery q;
  q.workflow = kWorkflowName;
  q.limit = 1000;
  for (;;) {
    engine::Result<std::vector<engine::Case>> page = store.FindCases(q);
    if (!page.ok()) return page.status();
    for (const engine::Case& c : *page) {
      // The case rows point to the draws; the histories are what is
      // replayed. A row that hid its draw leaves its quota group one short,
      // which the candidates' hash reveals.
      if (!Given(c.data, "draw") || Text(c.data["draw"], "seed") != seed) continue;
      engine::Result<std::vector<engine::HistoryEvent>> history = store.GetHistory(c.id);
      if (!history.ok()) return history.status();
      const engine::HistoryEvent* made = nullptr;
      for (const engine::HistoryEvent& e : *history) {
        if (e.event == DrawMade::kName && e.payload.contains("data") && Text(e.payload["data"], "seed") == seed) {
          made = &e;
        }
      }
      if (made == nullptr) {
        out.problems.push_back("case " + c.id + ": its row names the draw, but its history holds no DrawMade");
        continue;
      }
      RecordedDraw d;
      d.case_id = c.id;
      d.data = made->payload["data"];
      d.selected = made->to_state == "Scheduled";
      d.policy = rules.policies->Find(made->policy.id, made->policy.version);
      if (d.policy == nullptr) {
        out.problems.push_back("case " + c.id + ": policy " + made->policy.id + " " + made->policy.version +
                               " is not loaded");
        continue;
      }
      const engine::SubjectFacts facts = engine::FactsFromJson(c.subject, made->payload.value("facts", Json::object()));
      d.grade = Text(d.data, "mode") == policies::kDrawQuota ? Text(d.data, "grade") : SubjectGrade(*d.policy, facts);
      draws.push_back(std::move(d));
    }
    if (static_cast<int>(page->size()) < q.limit) break;
    q.after_id = page->back().id;
  }
  out.cases = static_cast<int>(draws.size());

  std::map<std::tuple<std::string, std::string, std::string>, std::vector<const RecordedDraw*>> groups;
  for (const RecordedDraw& d : draws) {
    if (Text(d.data, "mode") == policies::kDrawQuota) {
      groups[{d.policy->version, d.grade, Text(d.data, "candidates_sha256")}].push_back(&d);
      continue;
    }
    const policies::GradeSampling* rule = GradeRule(*d.policy, d.grade);
    const DrawResult r = Draw(DrawInputs{seed, d.case_id, d.grade, rule != nullptr ? rule->ratio : 0,
                                         IntegerOf(d.data, "verified_in_cycle").value_or(0),
                                         rule != nullptr ? rule->max_per_cycle : std::nullopt, std::nullopt});
    if (r.selected != d.selected) {
      out.problems.push_back("case " + d.case_id + ": recorded as " + (d.selected ? "selected" : "exempted") +
                             " but the independent draw recomputes as " + (r.selected ? "selected" : "exempted"));
    }
    if (r.selected) ++out.drawn[d.grade];
  }
  for (const auto& [key, group] : groups) ReplayQuotaGroup(group, &out);
  return out;
}

}  // namespace credflow::workflows::verification
