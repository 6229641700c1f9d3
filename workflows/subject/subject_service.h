// Use cases of the subject workflow: register a subject, set its risk grade,
// change its status. Each finds the subject's case (there is one per unified
// social credit code) and either opens it or fires on it the events for what
// changed, all in one store transaction; a request that changes nothing
// fires nothing and says so. Every change is therefore an event in the
// subject case's hash-chained history, and the profile (engine::SubjectProfile)
// is its projection.
//
// One case per code: the case is opened together with an idempotency entry
// keyed "subject-case:<code>" (SubjectCaseKey), whose uniqueness the store
// enforces, so two concurrent registrations of one code cannot both open a
// case (the loser retries and finds the winner's). The same entry finds the
// case by primary key inside the transaction.
//
// Thread safety: the functions hold no state; the store serialises.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/case_service.h"
#include "workflows/subject/subject_workflow.h"

namespace credflow::workflows::subject {

enum class SubjectChange { kCreated, kUpdated, kUnchanged };
// "created", "updated", "unchanged".
const char* ChangeName(SubjectChange change);

// The answer to a subject command.
struct SubjectAnswer {
  engine::CommandResult command;  // the subject case after the request
  SubjectChange change = SubjectChange::kUnchanged;
  std::vector<std::string> events;  // fired, in order; empty when unchanged

  // CommandResult::ToJson() plus "change" and "events".
  engine::Json ToJson() const;
  static SubjectAnswer FromJson(const engine::Json& j);
};

struct RegisterSubjectRequest {
  std::string code;  // unified social credit code
  std::string name;
  // Empty: kDefaultStatus for a new subject, unchanged for a registered one.
  std::string status;
  // Empty: ungraded for a new subject, unchanged for a registered one. With
  // a grade, a registered subject's grade changes when grade, reason or (if
  // given) date differ from the recorded ones.
  std::string grade;
  std::string grade_reason;
  std::optional<policies::Date> grade_set_on;  // default: today
  std::string grade_source = kGradeSourceCli;  // import | cli | scenario | recompute
  engine::Actor actor;
  std::string idempotency_key;
};

struct SetGradeRequest {
  std::string code;
  std::string grade;
  std::string reason;
  std::optional<policies::Date> set_on;  // default: today
  std::string source = kGradeSourceCli;  // import | cli | scenario | recompute
  engine::Actor actor;
  std::string idempotency_key;
};

struct ChangeStatusRequest {
  std::string code;
  std::string status;
  std::string reason;  // may be empty
  engine::Actor actor;
  std::string idempotency_key;
};

// Registers the subject, or brings a registered one up to the request
// (NameChanged, StatusChanged, GradeSet as needed); the same data again is
// answered "unchanged" and writes nothing.
// InvalidArgument: invalid_credit_code, missing_name, unknown_subject_status,
// unknown_risk_grade, unknown_grade_source, invalid_date (a grade date after
// today), missing_grade (a grade reason or date without a grade).
// NotFound("no_policy_in_force") when no risk-classification policy covers
// today. A keyed request is applied once; a repeat returns the first answer.
engine::Result<SubjectAnswer> RegisterSubject(engine::CaseService& service, const RegisterSubjectRequest& request);

// Fires GradeSet unless grade, reason and (if given) date are already the
// recorded ones. NotFound("subject_not_registered") for an unknown code;
// otherwise the failures of RegisterSubject.
engine::Result<SubjectAnswer> SetGrade(engine::CaseService& service, const SetGradeRequest& request);

// Fires StatusChanged unless the status is already the recorded one.
// NotFound("subject_not_registered"), InvalidArgument("unknown_subject_status").
engine::Result<SubjectAnswer> ChangeStatus(engine::CaseService& service, const ChangeStatusRequest& request);

// RegisterSubject inside a command the caller runs (CaseService::RunCommand),
// for callers that batch many subjects per command (the CSV importer). The
// idempotency key is ignored. A failure may follow writes: the caller must
// then fail the command.
engine::Status RegisterSubjectInTransaction(engine::CaseService& service, engine::StoreTransaction& tx,
                                            const RegisterSubjectRequest& request, SubjectAnswer* answer);

// The checks RegisterSubject makes before it touches the store, against
// `policy` on `today` (see RegisterSubject for the reasons). Field errors
// name the request field.
engine::Status CheckRegistration(const policies::Policy& policy, const RegisterSubjectRequest& request,
                                 policies::Date today);

// The idempotency key under which a subject's case is opened.
std::string SubjectCaseKey(const std::string& code);

}  // namespace credflow::workflows::subject
