// JSON views of cases, histories, subjects, policies and workflows: one
// shape, shared by the HTTP API and the CLI's --json output, so the two never
// drift. Views read committed data only and change nothing.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "engine/case.h"
#include "engine/case_store.h"
#include "engine/status.h"
#include "engine/workflow.h"
#include "forms/form.h"
#include "policies/calendar.h"
#include "policies/date.h"
#include "policies/policy.h"

namespace credflow::adapters {

using Json = nlohmann::json;

// A case's own fields (no data): id, workflow, subject, state, outcome, open
// (its state is not final in its workflow), reason, version, parent,
// department, created_at, updated_at.
Json CaseSummaryJson(const engine::Case& c);

// The case's deadlines (its pending timers), earliest first: name, due_on,
// provisional (the day rests on a calendar year whose notice is not out
// yet), event, fires_at, overdue (due_on before `today`) and, for a deadline
// a workflow counted, how it was counted (from, period, calendar).
engine::Result<Json> DeadlinesJson(engine::CaseStore& store, const std::string& case_id, policies::Date today);

// Everything a caseworker needs to act on a case: the summary, the pinned
// policy, the open deadlines (pending timers), the events the state accepts,
// the cases below it, the subject's commitment route as of `today`, and data.
// Read again (up to 3 times) when the case's version moves meanwhile, so the
// deadlines and accepted events belong to the version shown; `version` may
// then be newer than `c`'s.
engine::Result<Json> CaseView(engine::CaseStore& store, const engine::WorkflowRegistry& workflows,
                              const policies::PolicySet& policies, policies::Date today, const engine::Case& c);

// Times in views are Beijing time ("2026-12-06T14:03:00+08:00"); a history
// event also carries `at_utc`, the stored form its hash covers.
Json HistoryEventJson(const engine::HistoryEvent& e);

// A subject: its profile (grade, status; null when never registered), every
// record, its open cases and its commitment route as of `today`.
// NotFound("subject_not_found") when the store knows nothing of the code.
engine::Result<Json> SubjectView(engine::CaseStore& store, const policies::PolicySet& policies, policies::Date today,
                                 const std::string& code);

// Every dishonesty record of a subject, oldest decision first: id, kind,
// platform, department, tier, penalties, decided_on, published_on, state,
// outcome, published (shown today), regime and regime_title,
// earliest_repair, publication_ends, repairable / refusal,
// obligations_fulfilled, repaired_on. At most 1,000.
engine::Result<Json> SubjectRecordsView(engine::CaseStore& store, const std::string& code);

// A repair application as the window follows it: the case summary, each
// record's intake result (and the final result once concluded), the missing
// documents, earliest_application, and every department task (department,
// state, outcome, due_on, provisional, overdue, decided_on, reason). With a
// calendar, each task due on a known day also has working_days_left as of
// `today` (negative once overdue).
// InvalidArgument("not_a_repair") for a case of another workflow.
engine::Result<Json> RepairView(engine::CaseStore& store, const engine::Case& c,
                                const policies::WorkingCalendar* calendar = nullptr,
                                std::optional<policies::Date> today = std::nullopt);

// A department's open tasks as its inbox shows them: overdue first, then by
// due date; each with working_days_left (negative when overdue, counted on
// `calendar`), provisional (a deadline rests on a year whose calendar
// notice is not out), the record summary and the application. At most
// `limit`.
engine::Result<Json> DepartmentInbox(engine::CaseStore& store, const policies::WorkingCalendar& calendar,
                                     policies::Date today, const std::string& department, int limit);

// A policy version: id, version, title, authority, dates, file hash; with
// `detail`, every rule it holds, each with its source.
Json PolicyJson(const policies::Policy& p, bool detail);

// The JSON Schema (OpenAPI 3.0 flavour) of an event's data, from its
// declaration: members, types, required, enumerations, bounds.
Json EventDataSchema(const engine::EventSpec& spec);
// An event's declaration: name, origin, roles, description, schema.
Json EventJson(const engine::EventSpec& spec);

// A workflow definition: states (with outcome, initial, final as the workflow
// declares it), events (with
// origin, roles and schema) and the
// transition table.
Json WorkflowJson(const engine::WorkflowDefinition& def);

// The same as a Graphviz DOT digraph.
std::string WorkflowDot(const engine::WorkflowDefinition& def);

// A form definition as the console renders it: id, version, title, and each
// field's name, Chinese label, type, required, constraints
// (pattern, min, max, max_length) and options (value, Chinese label).
Json FormJson(const forms::FormDefinition& form);

}  // namespace credflow::adapters
