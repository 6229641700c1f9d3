// The engine's model: a case, its history, its timers and the facts about a
// subject that guards read. Plain values; no behaviour beyond accessors.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/clock.h"
#include "policies/date.h"

namespace credflow::engine {

using Json = nlohmann::json;

// Who did it. Every history event records one.
struct Actor {
  std::string user;        // "system" for timers and the engine itself
  std::string role;        // caseworker, department, auditor, admin, system
  std::string department;  // may be empty
};

// The policy version a case was opened under, pinned for its whole life.
struct PolicyPin {
  std::string id;
  std::string version;
  std::string content_hash;  // SHA-256 hex of the policy file's bytes
};

struct Case {
  std::string id;              // UUID
  std::string workflow;        // "commitment", ...
  int definition_version = 1;  // of the workflow definition
  std::string subject;         // unified social credit code
  std::string state;           // state *name*, never MSM's integer id
  std::string outcome;         // outcome code of the workflow, "pending" until it has one
  // The state is final in its workflow (WorkflowDefinition::IsFinal): the
  // matter is concluded and the case is not open. Set by the engine with
  // every transition; stores keep it queryable (CaseQuery::open_only). A
  // case can have an outcome and still be open (a commitment whose
  // rectification was ordered).
  bool closed = false;
  std::string reason;   // last reason code, may be empty
  int64_t version = 0;  // optimistic version, 1 after creation
  PolicyPin policy;
  Json data = Json::object();  // workflow-specific facts
  std::string parent_id;       // empty for a root case
  // The department whose task this case is (its inbox; only that department
  // may act on it); empty for cases that are nobody's task.
  std::string department;
  std::string history_head;  // hash of the last history event
  Timestamp created_at{};
  Timestamp updated_at{};
};

// One entry of a case's append-only, hash-chained history.
struct HistoryEvent {
  std::string case_id;
  int64_t seq = 0;  // 1 for the opening event
  std::string event;
  std::string from_state;  // empty for the opening event
  std::string to_state;
  Actor actor;
  Timestamp at{};
  Json payload = Json::object();
  PolicyPin policy;
  std::string prev_hash;  // 64 zeros for seq 1
  std::string hash;       // SHA-256 hex (see engine/history.h)
};

// A timer stored with its case. It fires `event` through the normal
// transition path once the clock reaches fire_at.
struct Timer {
  std::string id;
  std::string case_id;
  std::string name;  // unique among a case's pending timers
  std::string event;
  Json payload = Json::object();
  policies::Date due_on;  // the last day of the deadline it guards
  Timestamp fire_at{};    // start of the day after due_on, usually
  // due_on rests on a provisional calendar year (engine/deadlines.h).
  bool provisional = false;
};

// A fact recorded against a subject (a false-commitment record, a serious
// dishonesty record, ...). Guards read them through SubjectFacts.
struct SubjectRecord {
  std::string id;
  std::string subject;
  std::string kind;     // false_commitment, serious_dishonesty, ...
  std::string status;   // active, repaired, ...
  std::string case_id;  // the case that made it
  Json data = Json::object();
  Timestamp created_at{};
  Timestamp updated_at{};
};

// A market entity as the office knows it: the projection of its `subject`
// case (whose history records every change), kept in its own table so that
// guards and queries read it in one lookup.
struct SubjectProfile {
  std::string code;  // unified social credit code
  std::string name;
  std::string status;  // operating, not_operating, unreachable, deregistered, bankrupt
  std::string grade;   // risk grade A-D; empty when never graded
  std::optional<policies::Date> grade_set_on;
  std::string grade_reason;
  std::string grade_source;  // import, cli, scenario, recompute
  std::string case_id;       // the subject case
  Timestamp updated_at{};
};

// What the guards may know about a subject, loaded in the same transaction.
struct SubjectFacts {
  std::string subject;
  std::optional<SubjectProfile> profile;  // absent for a subject never registered
  std::vector<SubjectRecord> records;     // every record, any status

  // True when a record of `kind` is still active (not repaired or expired).
  bool HasActive(const std::string& kind) const;
};

// Drops the records whose kind is not one of `kinds`; keeps all when `kinds`
// is empty (a workflow that reads every kind).
void KeepKinds(const std::vector<std::string>& kinds, std::vector<SubjectRecord>* records);

// A notice waiting in the outbox for delivery (to an applicant, a department).
struct Notice {
  std::string id;
  std::string case_id;
  std::string recipient;
  std::string template_id;
  Json data = Json::object();
  Timestamp created_at{};
};

// A case's child reporting an outcome to its parent. Each child writes its
// own row, so concurrent children never contend for the parent (see
// engine/effects.h).
struct ChildOutcome {
  std::string parent_id;
  std::string child_id;
  std::string child_workflow;
  std::string outcome;
  Timestamp at{};
};

}  // namespace credflow::engine
