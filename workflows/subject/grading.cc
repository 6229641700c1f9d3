#include "workflows/subject/grading.h"

#include <sstream>

#include "engine/authorization.h"
#include "engine/form_data.h"
#include "policies/calendar.h"
#include "policies/ledger_rules.h"
#include "policies/repair_rules.h"

#include "workflows/false_commitment/names.h"
#include "workflows/record/names.h"
#include "workflows/repair/names.h"
#include "workflows/subject/names.h"
#include "workflows/subject/subject_service.h"

namespace credflow::workflows::subject {

using engine::Json;
using engine::Status;
using policies::Date;

namespace {

std::optional<Date> DecidedOn(const engine::SubjectRecord& r) {
  auto it = r.data.find("decided_on");
  if (it == r.data.end() || !it->is_string()) return std::nullopt;
  return Date::Parse(it->get<std::string>());
}

// "penalties=11, uncorrected_penalties=4, ..." (the non-zero ones).
std::string Describe(const policies::GradingInputs& inputs) {
  std::ostringstream out;
  bool first = true;
  for (const std::string& name : policies::GradingInputNames()) {
    const int n = inputs.Count(name);
    if (n == 0) continue;
    out << (first ? "" : ", ") << name << "=" << n;
    first = false;
  }
  return first ? std::string("no records") : out.str();
}

}  // namespace

policies::GradingInputs GradingInputsOf(const engine::SubjectFacts& facts, const policies::GradingSection& section,
                                        Date today) {
  return InputsOf(facts, section.lookback_years, today);
}

policies::GradingInputs InputsOf(const engine::SubjectFacts& facts, int lookback_years, Date today) {
  policies::GradingInputs in;
  if (facts.profile) in.current_grade = facts.profile->grade;
  for (const std::string& name : policies::LedgerInputNames()) in.counts[name] = 0;
  const Date since = policies::AddMonthsClamped(today, -12 * lookback_years);
  for (const engine::SubjectRecord& r : facts.records) {
    const bool shown = r.status == record::kStatusActive;
    const std::optional<Date> decided = DecidedOn(r);
    const bool recent = decided && since <= *decided && *decided <= today;
    if (r.kind == policies::kRecordPenalty) {
      // A penalty decided in the look-back counts whether or not it is
      // shown (a simple-procedure fine, one whose publication ended: the
      // conduct happened); a repaired one does not (Order 36 art 3: the
      // department re-assesses on repair).
      const bool uncorrected = !r.data.value("obligations_fulfilled", false);
      if (r.status != record::kRepaired && recent) {
        ++in.counts["penalties"];
        if (uncorrected) ++in.counts["uncorrected_penalties"];
        if (uncorrected && shown) ++in.counts["uncorrected_published"];
      }
      if (shown && r.data.value("tier", "") == "serious") ++in.counts["serious_penalties"];
    } else if (r.kind == policies::kRecordAbnormalList && shown) {
      ++in.counts["abnormal_list"];
    } else if (r.kind == policies::kRecordSeriousList) {
      if (shown) ++in.counts["serious_list"];
      if (r.status != record::kRepaired && recent) ++in.counts["serious_list_entries"];
    } else if (r.kind == false_commitment::kFalseCommitmentRecord && shown) {
      ++in.counts["false_commitments"];
    } else if (r.kind == repair::kRepairRevokedRecord && shown) {
      ++in.counts["repair_revoked"];
    }
    if (r.status == record::kRepaired && recent) ++in.counts["repaired"];
    if (shown) ++in.counts["active_records"];
  }
  return in;
}

engine::Result<RegradeResult> RecomputeGrade(engine::CaseService& service, const std::string& code,
                                             const engine::Actor& actor) {
  CREDFLOW_RETURN_IF_ERROR(engine::CheckCreditCode(code, "code"));
  const Date today = service.clock().Today();
  const policies::Policy* policy = service.rules().policies->Select(policies::kGradingPolicyId, today);
  const policies::GradingSection* section = policy != nullptr ? policy->Find<policies::GradingSection>() : nullptr;
  if (section == nullptr) {
    return Status::NotFound("no_policy_in_force", std::string("no ") + policies::kGradingPolicyId +
                                                      " policy is in force on " + today.ToString());
  }
  engine::Result<engine::SubjectFacts> facts = service.store().GetSubjectFacts(code);
  if (!facts.ok()) return facts.status();
  if (!facts->profile) return Status::NotFound("subject_not_registered", "subject " + code + " is not registered");
  RegradeResult result;
  result.code = code;
  result.inputs = GradingInputsOf(*facts, *section, today);
  result.before = result.inputs.current_grade;
  const policies::GradingRule* rule = section->Match(result.inputs);
  if (rule == nullptr) {
    return Status::FailedPrecondition("no_grading_rule", "no rule of " + policy->id + " " + policy->version +
                                                             " matches subject " + code + " (" +
                                                             Describe(result.inputs) + ")");
  }
  result.rule_line = rule->line;
  result.rule_source = rule->source;
  result.after = rule->grade == policies::kKeepGrade ? result.before : rule->grade;
  if (result.after == result.before || result.after.empty()) return result;
  SetGradeRequest set;
  set.code = code;
  set.grade = result.after;
  set.source = kGradeSourceRecompute;
  set.reason = "recomputed by " + policy->id + " " + policy->version + " rule at line " + std::to_string(rule->line) +
               " (" + rule->source + "): " + Describe(result.inputs);
  set.actor = actor;
  engine::Result<SubjectAnswer> answer = SetGrade(service, set);
  if (!answer.ok()) return answer.status();
  result.changed = answer->change != SubjectChange::kUnchanged;
  return result;
}

engine::Result<std::vector<RegradeResult>> RecomputeAllGrades(engine::CaseService& service, const engine::Actor& actor,
                                                              const std::function<void(const RegradeResult&)>& each) {
  std::vector<RegradeResult> out;
  engine::SubjectQuery q;
  q.limit = 500;
  for (;;) {
    engine::Result<std::vector<engine::SubjectProfile>> page = service.store().ListSubjects(q);
    if (!page.ok()) return page.status();
    for (const engine::SubjectProfile& p : *page) {
      engine::Result<RegradeResult> r = RecomputeGrade(service, p.code, actor);
      if (!r.ok()) return r.status();
      if (each) each(*r);
      out.push_back(std::move(*r));
    }
    if (static_cast<int>(page->size()) < q.limit) return out;
    q.after_code = page->back().code;
  }
}

engine::Json MonthlyRegrade::ToJson() const {
  return engine::Json{{"month", month}, {"state", state}, {"subjects", subjects}, {"changed", changed}};
}

engine::Result<MonthlyRegrade> RunMonthlyRegrade(engine::CaseService& service) {
  const Date today = service.clock().Today();
  MonthlyRegrade run;
  run.month = today.ToString().substr(0, 7);  // YYYY-MM
  const policies::Policy* policy = service.rules().policies->Select(policies::kGradingPolicyId, today);
  const policies::GradingSection* section = policy != nullptr ? policy->Find<policies::GradingSection>() : nullptr;
  if (section == nullptr || section->recompute_day == 0) {
    run.state = "no_schedule";
    return run;
  }
  if (today.day() < section->recompute_day) {
    run.state = "not_due";
    return run;
  }
  const std::string key = std::string("regrade:") + run.month;
  bool done = false;
  Status looked = service
                      .RunCommand(engine::CommandOptions{},
                                  [&](engine::UnitOfWork& tx, Json* body) {
                                    engine::Result<std::optional<engine::StoredResponse>> found = tx.FindResponse(key);
                                    if (!found.ok()) return found.status();
                                    done = found->has_value();
                                    *body = Json::object();
                                    return Status::Ok();
                                  })
                      .status();
  if (!looked.ok()) return looked;
  if (done) {
    run.state = "done";
    return run;
  }
  engine::Result<std::vector<RegradeResult>> all =
      RecomputeAllGrades(service, engine::SystemActor(), [&](const RegradeResult& r) {
        ++run.subjects;
        run.changed += r.changed ? 1 : 0;
      });
  if (!all.ok()) return all.status();
  run.state = "ran";
  engine::CommandOptions record;
  record.idempotency_key = key;
  record.describe = Json{{"command", "monthly_regrade"}, {"month", run.month}};
  Status recorded = service
                        .RunCommand(record,
                                    [&](engine::UnitOfWork&, Json* body) {
                                      *body = run.ToJson();
                                      return Status::Ok();
                                    })
                        .status();
  if (!recorded.ok()) return recorded;
  return run;
}

}  // namespace credflow::workflows::subject
