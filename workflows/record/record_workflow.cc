#include "workflows/record/record_workflow.h"

#include "engine/form_data.h"
#include "engine/history.h"
#include "engine/idempotency.h"
#include "workflows/common/action_helpers.h"
#include "workflows/common/msm_workflow.h"
#include "workflows/record/record_machine.h"

namespace credflow::workflows::record {
namespace {

using engine::Json;
using engine::Status;

// Bump when a state is renamed or removed (stored cases name their states).
constexpr int kDefinitionVersion = 1;

// The default policy id, for `workflow describe`: a record pins its own
// platform's track (PolicyIdFor).
const std::string kDefaultPolicy = policies::kCreditChinaRepairPolicyId;

class RecordWorkflow final : public MsmWorkflow<RecordMachine> {
 public:
  RecordWorkflow() : MsmWorkflow(kWorkflowName, kDefinitionVersion, kDefaultPolicy) {}

  std::string PolicyIdFor(const Json& opening_data) const override {
    const char* id = policies::RepairPolicyIdFor(Text(opening_data, "platform"));
    return id != nullptr ? id : kDefaultPolicy;
  }
};

std::optional<policies::Date> DateOf(const Json& data, const char* key) {
  return policies::Date::Parse(Text(data, key));
}

}  // namespace

std::unique_ptr<engine::WorkflowDefinition> NewRecordWorkflow() { return std::make_unique<RecordWorkflow>(); }

policies::RecordFacts RecordFactsOf(const Json& data) {
  policies::RecordFacts f;
  f.platform = Text(data, "platform");
  f.kind = Text(data, "kind");
  f.tier = Text(data, "tier");
  if (auto it = data.find("penalties"); it != data.end() && it->is_array()) {
    for (const Json& p : *it) {
      if (p.is_string()) f.penalties.push_back(p.get<std::string>());
    }
  }
  if (auto it = data.find("amount"); it != data.end() && it->is_number()) f.amount = it->get<double>();
  f.sector = Text(data, "sector");
  f.violation = Text(data, "violation");
  f.simple_procedure = data.value("simple_procedure", false);
  f.specific_serious = data.value("specific_serious", false);
  f.decided_on = DateOf(data, "decided_on").value_or(policies::Date());
  f.published_on = DateOf(data, "published_on");
  f.restriction_until = DateOf(data, "restriction_until");
  return f;
}

std::string SubjectRecordId(const std::string& case_id) { return case_id + ":record"; }

const policies::RepairRegimeSection* RegimeOn(const policies::PolicySet& policies, const std::string& platform,
                                              policies::Date date) {
  const char* id = policies::RepairPolicyIdFor(platform);
  const policies::Policy* policy = id != nullptr ? policies.Select(id, date) : nullptr;
  return policy != nullptr ? policies::FindRepairRegime(*policy) : nullptr;
}

Status CheckRecordDishonesty(engine::CaseService& service, const RecordDishonestyRequest& request) {
  CREDFLOW_RETURN_IF_ERROR(engine::CheckCreditCode(request.subject, "subject"));
  const engine::WorkflowDefinition* def = service.workflows().Find(kWorkflowName);
  if (def == nullptr) return Status::Internal("the registry has no " + std::string(kWorkflowName) + " workflow");
  // The event's schema is checked before anything else, so that a bad date
  // or platform is a 422 naming the field, not a missing policy.
  CREDFLOW_RETURN_IF_ERROR(engine::ValidateEventData(*def->FindEvent(RecordDecided::kName), request.record));
  const policies::Date today = service.clock().Today();
  const policies::RecordFacts facts = RecordFactsOf(request.record);
  if (today < facts.decided_on || (facts.published_on && today < *facts.published_on)) {
    return Status::InvalidArgument(
        "date_in_future", "a record cannot be decided or published after today (" + today.ToString() + ")",
        {{"decided_on", "date_in_future", "decided_on and published_on must not be after today"}});
  }
  if (facts.published_on && *facts.published_on < facts.decided_on) {
    return Status::InvalidArgument("invalid_event_data", "the record is published before it was decided",
                                   {{"published_on", "before_decision", "published_on must not be before decided_on"}});
  }
  // A restriction ends after the decision that imposed it; an earlier last
  // day would end the record's window before it began.
  if (facts.restriction_until && *facts.restriction_until < facts.decided_on) {
    return Status::InvalidArgument(
        "invalid_event_data", "the restriction ends before the decision that imposed it",
        {{"restriction_until", "before_decision", "restriction_until must not be before decided_on"}});
  }
  // A decision older than every publication rule this office keeps is a
  // typo (1970 for 2017) or a record outside credflow's regimes: say so,
  // naming the field and the first day a rule covers, not a policy id.
  const std::string platform = Text(request.record, "platform");
  const char* policy_id = policies::RepairPolicyIdFor(platform);
  if (policy_id != nullptr && service.rules().policies != nullptr &&
      service.rules().policies->Select(policy_id, facts.decided_on) == nullptr) {
    std::optional<policies::Date> earliest;
    for (const policies::Policy* p : service.rules().policies->All()) {
      if (p->id == policy_id && (!earliest || p->effective_from < *earliest)) earliest = p->effective_from;
    }
    const std::string problem =
        "decided_on " + facts.decided_on.ToString() + " is before every publication rule of " + platform +
        " this office keeps" +
        (earliest ? " (the earliest is in force from " + earliest->ToString() + ")" : std::string()) +
        "; check the date";
    return Status::InvalidArgument("no_rule_for_decision_date", problem, {{"decided_on", "out_of_range", problem}});
  }
  return Status::Ok();
}

std::string RecordContentKey(const std::string& subject, const Json& record) {
  // nlohmann's objects keep their members sorted: the dump is canonical.
  return "import:record:" + engine::Sha256Hex(Json{{"subject", subject}, {"record", record}}.dump());
}

Json DescribeRecordDishonesty(const RecordDishonestyRequest& request) {
  return Json{{"op", "record_dishonesty"}, {"subject", request.subject}, {"record", request.record}};
}

Status RecordDishonestyInTransaction(engine::CaseService& service, engine::UnitOfWork& tx,
                                     const RecordDishonestyRequest& request, engine::CommandResult* result) {
  CREDFLOW_RETURN_IF_ERROR(CheckRecordDishonesty(service, request));
  engine::OpenCaseRequest open;
  open.workflow = kWorkflowName;
  open.subject = request.subject;
  open.data = Json{{"platform", Text(request.record, "platform")}};
  // The regime in force on the decision date sets the window (domain.md 0).
  open.relevant_date = RecordFactsOf(request.record).decided_on;
  open.actor = request.actor;
  open.events.push_back(engine::EventInput{RecordDecided::kName, request.record, request.actor});
  *result = engine::CommandResult{};
  return service.OpenInTransaction(tx, open, engine::Channel::kPerson, result);
}

engine::Result<engine::CommandResult> RecordDishonesty(engine::CaseService& service,
                                                       const RecordDishonestyRequest& request) {
  // Checked before the command runs: a bad request touches no store.
  CREDFLOW_RETURN_IF_ERROR(CheckRecordDishonesty(service, request));
  engine::CommandOptions options;
  options.idempotency_key = request.idempotency_key;
  options.describe = DescribeRecordDishonesty(request);
  engine::CommandResult result;
  const std::string content_key = RecordContentKey(request.subject, request.record);
  const std::string content_hash = engine::RequestHash(content_key, DescribeRecordDishonesty(request));
  engine::Result<engine::CommandAnswer> answer = service.RunCommand(options, [&](engine::UnitOfWork& tx, Json* body) {
    // Not when the content key is the command's own idempotency key (a CSV
    // import's row retried alone): the key's answer is then kept, and a
    // repeat replayed, by the command itself.
    if (!request.refuse_same || request.idempotency_key == content_key) {
      CREDFLOW_RETURN_IF_ERROR(RecordDishonestyInTransaction(service, tx, request, &result));
      *body = result.ToJson();
      return Status::Ok();
    }
    engine::Result<std::optional<Json>> same = engine::FindAnswer(tx, content_key, content_hash);
    if (!same.ok()) return same.status();
    if (same->has_value()) {
      return Status::AlreadyExists("record_exists", "the same record was already made: case " +
                                                        (**same).value("id", std::string()) +
                                                        " (a decision_number 决定书文号 tells two records apart)");
    }
    CREDFLOW_RETURN_IF_ERROR(RecordDishonestyInTransaction(service, tx, request, &result));
    *body = result.ToJson();
    return engine::KeepAnswer(tx, content_key, content_hash, result.case_id, *body);
  });
  if (!answer.ok()) return answer.status();
  if (!answer->replayed) return result;
  engine::CommandResult replayed = engine::CommandResult::FromJson(answer->body);
  replayed.replayed = true;
  return replayed;
}

}  // namespace credflow::workflows::record
