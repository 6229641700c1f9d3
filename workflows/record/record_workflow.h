// The dishonesty-record lifecycle: its definition for the registry, the
// command that records one, and what other workflows read of a record.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "engine/case_service.h"
#include "engine/unit_of_work.h"
#include "engine/workflow.h"
#include "policies/repair_rules.h"

namespace credflow::workflows::record {

std::unique_ptr<engine::WorkflowDefinition> NewRecordWorkflow();

// The facts of a record as RecordDecided's data (or the case data) state
// them. Dates that do not parse are left at their defaults; the event's
// schema has refused them before.
policies::RecordFacts RecordFactsOf(const engine::Json& data);

// The id of the subject record a record case keeps: "<case>:record".
std::string SubjectRecordId(const std::string& case_id);

// The repair regime of a record's platform in force on `date`, or nullptr.
const policies::RepairRegimeSection* RegimeOn(const policies::PolicySet& policies, const std::string& platform,
                                              policies::Date date);

struct RecordDishonestyRequest {
  std::string subject;
  // RecordDecided's data: department, platform, kind, tier, penalties,
  // amount, sector, violation, simple_procedure, specific_serious,
  // decided_on, published_on, restriction_until, ...
  engine::Json record = engine::Json::object();
  engine::Actor actor;
  std::string idempotency_key;
  // Whether a record alike in every member to one made before is refused
  // (record_exists). A person entering records: yes, it is the same
  // decision entered twice. A scenario: no, each step is a decision of its
  // own, and stories played into one store may share a subject.
  bool refuse_same = true;
};

// Opens a record case pinned to the regime of its platform in force on its
// decision date, and decides it. InvalidArgument("invalid_event_data") for
// bad data (one error per field), ("invalid_credit_code"), NotFound
// ("no_policy_in_force") when no regime covers the decision date,
// FailedPrecondition("no_window_rule") when the regime has no rule for the
// record, InvalidArgument("date_in_future") for a decision after today,
// AlreadyExists("record_exists") when the same record (subject and every
// member alike, RecordContentKey) was made before by the API, the CLI or an
// import (unless !refuse_same): one decision counted twice would move
// grades and the ledger's counts.
engine::Result<engine::CommandResult> RecordDishonesty(engine::CaseService& service,
                                                       const RecordDishonestyRequest& request);

// The key a record's content is kept under, so that the same record is made
// once whichever way it comes (the API, the CLI, a CSV import): "import:
// record:" + SHA-256 hex of the subject and the record's members (the
// prefix is the import's, which kept these keys first).
std::string RecordContentKey(const std::string& subject, const engine::Json& record);

// RecordDishonesty's checks of the request alone (credit code, the event's
// schema, the dates), with its failures; the policy is looked up when the
// case opens. Lets an import refuse a bad row before it writes any.
engine::Status CheckRecordDishonesty(engine::CaseService& service, const RecordDishonestyRequest& request);

// RecordDishonesty inside a transaction the caller owns (an import's
// batch): the same checks and failures; `request.idempotency_key` is not
// looked at (the caller keeps answers under its keys, with
// DescribeRecordDishonesty as the command's description).
engine::Status RecordDishonestyInTransaction(engine::CaseService& service, engine::UnitOfWork& tx,
                                             const RecordDishonestyRequest& request, engine::CommandResult* result);

// What RecordDishonesty is, as its idempotency key's request hash covers it.
engine::Json DescribeRecordDishonesty(const RecordDishonestyRequest& request);

}  // namespace credflow::workflows::record
