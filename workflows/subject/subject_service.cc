#include "workflows/subject/subject_service.h"

#include <functional>
#include <utility>

#include "engine/form_data.h"
#include "engine/history.h"
#include "policies/subject_vocabulary.h"
#include "workflows/common/action_helpers.h"
#include "workflows/subject/events.h"

namespace credflow::workflows::subject {
namespace {

using engine::Json;
using engine::Result;
using engine::Status;

Status Invalid(const std::string& reason, const std::string& field, const std::string& message) {
  return Status::InvalidArgument(reason, message, {{field, reason, message}});
}

template <class Definitions>
std::string ValuesOf(const Definitions& definitions) {
  std::string values;
  for (const auto& d : definitions) values += (values.empty() ? "" : ", ") + d.value;
  return values;
}

// The policy's vocabulary (empty when it has none).
const policies::SubjectVocabularySection& Vocabulary(const policies::Policy& policy) {
  static const policies::SubjectVocabularySection kNone;
  const policies::SubjectVocabularySection* section = policy.Find<policies::SubjectVocabularySection>();
  return section != nullptr ? *section : kNone;
}

Status CheckStatus(const policies::Policy& policy, const std::string& status) {
  if (policies::FindSubjectStatus(policy, status) != nullptr) return Status::Ok();
  return Invalid("unknown_subject_status", "status",
                 "'" + status + "' is not a subject status of policy " + policy.id + " " + policy.version +
                     " (expected one of " + ValuesOf(Vocabulary(policy).subject_statuses) + ")");
}

Status CheckGrade(const policies::Policy& policy, const std::string& grade, const std::string& reason,
                  const std::optional<policies::Date>& set_on, const std::string& source, policies::Date today) {
  if (grade.empty()) {
    if (!reason.empty() || set_on) {
      return Invalid("missing_grade", "grade", "a grade reason or date was given without a grade");
    }
    return Status::Ok();
  }
  if (policies::FindRiskGrade(policy, grade) == nullptr) {
    return Invalid("unknown_risk_grade", "grade",
                   "'" + grade + "' is not a risk grade of policy " + policy.id + " " + policy.version +
                       " (expected one of " + ValuesOf(Vocabulary(policy).risk_grades) + ")");
  }
  if (!IsGradeSource(source)) {
    return Invalid("unknown_grade_source", "grade_source",
                   "'" + source + "' is not a grade source (expected import, cli, scenario or recompute)");
  }
  if (set_on && *set_on > today) {
    return Invalid("invalid_date", "grade_set_on",
                   "the grade date " + set_on->ToString() + " is after today (" + today.ToString() + ")");
  }
  return Status::Ok();
}

// The subject's case, read inside the transaction, or nullopt.
Result<std::optional<engine::Case>> FindSubjectCase(engine::StoreTransaction& tx, const std::string& code) {
  Result<std::optional<engine::StoredResponse>> entry = tx.FindResponse(SubjectCaseKey(code));
  if (!entry.ok()) return entry.status();
  if (!entry->has_value()) return std::optional<engine::Case>();
  Result<engine::Case> c = tx.LoadCase((*entry)->case_id);
  if (!c.ok()) return c.status();
  return std::optional<engine::Case>(std::move(*c));
}

Result<std::optional<engine::Case>> FindRegisteredCase(engine::StoreTransaction& tx, const std::string& code) {
  Result<std::optional<engine::Case>> found = FindSubjectCase(tx, code);
  if (found.ok() && !found->has_value()) {
    return Status::NotFound("subject_not_registered", "subject " + code + " is not registered");
  }
  return found;
}

// The policy version the subject's case is pinned to.
Result<const policies::Policy*> PinnedPolicy(const engine::CaseService& service, const engine::Case& c) {
  const policies::Policy* policy = service.rules().policies->Find(c.policy.id, c.policy.version);
  if (policy == nullptr) {
    return Status::FailedPrecondition("pinned_policy_missing", "subject case " + c.id + " is pinned to policy " +
                                                                   c.policy.id + " " + c.policy.version +
                                                                   ", which is not loaded");
  }
  return policy;
}

// A grade recomputed from records is the engine's doing (the recomputation
// is in-process code; no adapter sets that source, and a person who sends it
// is refused by the GradeInPolicy guard); every other change is a person's,
// whose role the event's declaration checks.
engine::Channel ChannelFor(const Json& data) {
  return Text(data, "source") == kGradeSourceRecompute ? engine::Channel::kEngine : engine::Channel::kPerson;
}

Status Fire(engine::CaseService& service, engine::StoreTransaction& tx, const std::string& case_id, const char* event,
            Json data, const engine::Actor& actor, SubjectAnswer* answer) {
  engine::FireEventRequest request;
  request.case_id = case_id;
  const engine::Channel channel = ChannelFor(data);
  request.event = engine::EventInput{event, std::move(data), actor};
  CREDFLOW_RETURN_IF_ERROR(service.FireInTransaction(tx, request, channel, &answer->command));
  answer->events.push_back(event);
  answer->change = SubjectChange::kUpdated;
  return Status::Ok();
}

// True when setting (grade, reason, set_on) would change what is recorded.
// Who sets it does not matter: the same grade for the same reason on the same
// date is the same fact.
bool GradeDiffers(const engine::SubjectProfile& current, const std::string& grade, const std::string& reason,
                  const std::optional<policies::Date>& set_on) {
  return grade != current.grade || reason != current.grade_reason || (set_on && set_on != current.grade_set_on);
}

Json GradeSetData(const std::string& grade, const std::string& reason, const std::optional<policies::Date>& set_on,
                  const std::string& source) {
  Json data = {{"grade", grade}, {"reason", reason}, {"source", source}};
  if (set_on) data["set_on"] = set_on->ToString();
  return data;
}

Status OpenSubject(engine::CaseService& service, engine::StoreTransaction& tx, const RegisterSubjectRequest& r,
                   policies::Date today, SubjectAnswer* answer) {
  Json data = {{"name", r.name}, {"status", r.status.empty() ? kDefaultStatus : r.status}};
  if (!r.grade.empty()) {
    data["grade"] = r.grade;
    data["grade_reason"] = r.grade_reason;
    data["grade_source"] = r.grade_source;
    if (r.grade_set_on) data["grade_set_on"] = r.grade_set_on->ToString();
  }
  engine::OpenCaseRequest open;
  open.workflow = kWorkflowName;
  open.subject = r.code;
  open.relevant_date = today;
  open.actor = r.actor;
  open.events.push_back(engine::EventInput{SubjectRegistered::kName, std::move(data), r.actor});
  CREDFLOW_RETURN_IF_ERROR(service.OpenInTransaction(tx, open, engine::Channel::kPerson, &answer->command));
  // The initial state always takes SubjectRegistered; a refusal is an error
  // OpenInTransaction returns, so anything else is a broken table.
  if (answer->command.outcome != kRegistered) {
    return Status::Internal("subject case " + answer->command.case_id + " was not registered");
  }
  CREDFLOW_RETURN_IF_ERROR(tx.PutResponse(
      engine::StoredResponse{SubjectCaseKey(r.code), "", answer->command.case_id, answer->command.ToJson()}));
  answer->change = SubjectChange::kCreated;
  answer->events = {SubjectRegistered::kName};
  return Status::Ok();
}

// Runs `apply` as one command through the engine's command path (a unit of
// work, the idempotency store, the retry of a race lost to a concurrent
// command on the same subject, the commit observer).
Result<SubjectAnswer> RunSubjectCommand(engine::CaseService& service, const std::string& key, const Json& command,
                                        const std::function<Status(engine::StoreTransaction&, SubjectAnswer*)>& apply) {
  engine::CommandOptions options;
  options.idempotency_key = key;
  options.describe = command;
  options.retry_lost_races = true;
  Result<engine::CommandAnswer> answer = service.RunCommand(options, [&](engine::UnitOfWork& tx, Json* body) {
    SubjectAnswer fresh;
    CREDFLOW_RETURN_IF_ERROR(apply(tx, &fresh));
    *body = fresh.ToJson();
    return Status::Ok();
  });
  if (!answer.ok()) return answer.status();
  SubjectAnswer out = SubjectAnswer::FromJson(answer->body);
  out.command.replayed = answer->replayed;
  return out;
}

}  // namespace

const char* ChangeName(SubjectChange change) {
  switch (change) {
    case SubjectChange::kCreated: return "created";
    case SubjectChange::kUpdated: return "updated";
    case SubjectChange::kUnchanged: return "unchanged";
  }
  return "unchanged";
}

SubjectAnswer SubjectAnswer::FromJson(const Json& j) {
  SubjectAnswer answer;
  answer.command = engine::CommandResult::FromJson(j);
  const std::string change = Text(j, "change");
  answer.change = change == "created"   ? SubjectChange::kCreated
                  : change == "updated" ? SubjectChange::kUpdated
                                        : SubjectChange::kUnchanged;
  if (auto events = j.find("events"); events != j.end() && events->is_array()) {
    for (const Json& e : *events) {
      if (e.is_string()) answer.events.push_back(e.get<std::string>());
    }
  }
  return answer;
}

Json SubjectAnswer::ToJson() const {
  Json j = command.ToJson();
  j["change"] = ChangeName(change);
  j["events"] = events;
  return j;
}

std::string SubjectCaseKey(const std::string& code) { return "subject-case:" + code; }

Status CheckRegistration(const policies::Policy& policy, const RegisterSubjectRequest& request, policies::Date today) {
  CREDFLOW_RETURN_IF_ERROR(engine::CheckCreditCode(request.code, "code"));
  if (request.name.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Invalid("missing_name", "name", "a subject needs a name");
  }
  if (!request.status.empty()) CREDFLOW_RETURN_IF_ERROR(CheckStatus(policy, request.status));
  return CheckGrade(policy, request.grade, request.grade_reason, request.grade_set_on, request.grade_source, today);
}

Status RegisterSubjectInTransaction(engine::CaseService& service, engine::StoreTransaction& tx,
                                    const RegisterSubjectRequest& request, SubjectAnswer* answer) {
  *answer = SubjectAnswer{};
  CREDFLOW_RETURN_IF_ERROR(engine::CheckCreditCode(request.code, "code"));
  const policies::Date today = service.clock().Today();
  Result<std::optional<engine::Case>> found = FindSubjectCase(tx, request.code);
  if (!found.ok()) return found.status();
  if (!found->has_value()) {
    const policies::Policy* policy = service.rules().policies->Select(kPolicyId, today);
    if (policy == nullptr) {
      return Status::NotFound("no_policy_in_force",
                              std::string("no ") + kPolicyId + " policy is in force on " + today.ToString());
    }
    CREDFLOW_RETURN_IF_ERROR(CheckRegistration(*policy, request, today));
    return OpenSubject(service, tx, request, today, answer);
  }
  const engine::Case& c = **found;
  Result<const policies::Policy*> pinned = PinnedPolicy(service, c);
  if (!pinned.ok()) return pinned.status();
  CREDFLOW_RETURN_IF_ERROR(CheckRegistration(**pinned, request, today));
  const engine::SubjectProfile current = ProfileFromCaseData(c.subject, c.id, c.data);
  answer->command = engine::CommandResult::Of(c);
  if (request.name != current.name) {
    CREDFLOW_RETURN_IF_ERROR(
        Fire(service, tx, c.id, NameChanged::kName, Json{{"name", request.name}}, request.actor, answer));
  }
  if (!request.status.empty() && request.status != current.status) {
    CREDFLOW_RETURN_IF_ERROR(Fire(service, tx, c.id, StatusChanged::kName,
                                  Json{{"status", request.status}, {"reason", ""}}, request.actor, answer));
  }
  if (!request.grade.empty() && GradeDiffers(current, request.grade, request.grade_reason, request.grade_set_on)) {
    CREDFLOW_RETURN_IF_ERROR(
        Fire(service, tx, c.id, GradeSet::kName,
             GradeSetData(request.grade, request.grade_reason, request.grade_set_on, request.grade_source),
             request.actor, answer));
  }
  return Status::Ok();
}

Result<SubjectAnswer> RegisterSubject(engine::CaseService& service, const RegisterSubjectRequest& request) {
  Json command = {{"op", "register_subject"},
                  {"code", request.code},
                  {"name", request.name},
                  {"status", request.status},
                  {"grade", request.grade},
                  {"grade_reason", request.grade_reason},
                  {"grade_set_on", request.grade_set_on ? request.grade_set_on->ToString() : ""},
                  {"grade_source", request.grade_source}};
  return RunSubjectCommand(service, request.idempotency_key, command,
                           [&](engine::StoreTransaction& tx, SubjectAnswer* answer) {
                             return RegisterSubjectInTransaction(service, tx, request, answer);
                           });
}

Result<SubjectAnswer> SetGrade(engine::CaseService& service, const SetGradeRequest& request) {
  CREDFLOW_RETURN_IF_ERROR(engine::CheckCreditCode(request.code, "code"));
  Json command = {{"op", "set_grade"},
                  {"code", request.code},
                  {"grade", request.grade},
                  {"reason", request.reason},
                  {"set_on", request.set_on ? request.set_on->ToString() : ""},
                  {"source", request.source}};
  return RunSubjectCommand(
      service, request.idempotency_key, command, [&](engine::StoreTransaction& tx, SubjectAnswer* answer) {
        Result<std::optional<engine::Case>> found = FindRegisteredCase(tx, request.code);
        if (!found.ok()) return found.status();
        const engine::Case& c = **found;
        Result<const policies::Policy*> pinned = PinnedPolicy(service, c);
        if (!pinned.ok()) return pinned.status();
        const policies::Date today = service.clock().Today();
        if (request.grade.empty()) return Invalid("missing_grade", "grade", "no grade was given");
        CREDFLOW_RETURN_IF_ERROR(
            CheckGrade(**pinned, request.grade, request.reason, request.set_on, request.source, today));
        answer->command = engine::CommandResult::Of(c);
        if (!GradeDiffers(ProfileFromCaseData(c.subject, c.id, c.data), request.grade, request.reason,
                          request.set_on)) {
          return Status::Ok();
        }
        return Fire(service, tx, c.id, GradeSet::kName,
                    GradeSetData(request.grade, request.reason, request.set_on, request.source), request.actor, answer);
      });
}

Result<SubjectAnswer> ChangeStatus(engine::CaseService& service, const ChangeStatusRequest& request) {
  CREDFLOW_RETURN_IF_ERROR(engine::CheckCreditCode(request.code, "code"));
  Json command = {
      {"op", "change_status"}, {"code", request.code}, {"status", request.status}, {"reason", request.reason}};
  return RunSubjectCommand(
      service, request.idempotency_key, command, [&](engine::StoreTransaction& tx, SubjectAnswer* answer) {
        Result<std::optional<engine::Case>> found = FindRegisteredCase(tx, request.code);
        if (!found.ok()) return found.status();
        const engine::Case& c = **found;
        Result<const policies::Policy*> pinned = PinnedPolicy(service, c);
        if (!pinned.ok()) return pinned.status();
        CREDFLOW_RETURN_IF_ERROR(CheckStatus(**pinned, request.status));
        answer->command = engine::CommandResult::Of(c);
        if (TextField(c.data, "status").value_or("") == request.status) return Status::Ok();
        return Fire(service, tx, c.id, StatusChanged::kName,
                    Json{{"status", request.status}, {"reason", request.reason}}, request.actor, answer);
      });
}

}  // namespace credflow::workflows::subject
