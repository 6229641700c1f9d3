// One worked example per row of every registered workflow's transition
// table: the case data, subject facts and event data under which the row's
// guard holds, and the effects its action must produce. The generic table
// suite (tests/contract/workflow_table_test.cc) fires each of them, on the
// machine alone and through the engine on every store, and uses their event
// data wherever it needs data that fit an event's declaration.
//
// A new workflow adds its examples here; the suite fails for a row without one.
#pragma once

#include <string>
#include <vector>

#include "engine/case.h"
#include "policies/date.h"

namespace credflow::testing {

struct RowExample {
  std::string from;
  std::string event;
  std::string guard;  // "none" for a row without one
  std::string to;
  engine::Json case_data = engine::Json::object();
  engine::Json event_data = engine::Json::object();
  std::string grade;                        // the subject's risk grade; empty: not registered
  std::vector<std::string> active_records;  // kinds of active records about the subject
  // The effects in order, each "<kind> <key>": OpenChildCase <workflow>,
  // SetTimer <name>, CancelTimer <name>, PutSubjectRecord <kind>,
  // SendNotice <template>, PutSubjectProfile, RaiseOnCase <event>.
  std::vector<std::string> effects;
  // The case must have id kExampleCaseId (its data depend on the id, like
  // the seed of a draw that selects it); other examples take a fresh id.
  bool at_example_id = false;
  // Further records about the subject, as they are (a dishonesty record's
  // window, read by repair intake).
  std::vector<engine::SubjectRecord> records = {};
  // Cases the row raises an event on (RaiseOnCase): the suite creates them
  // before firing, as the store must hold a raise's target.
  std::vector<std::string> cases_raised_on = {};
  // The department whose task the case is (empty: the suite's default).
  std::string department = {};
  // The subject's status when it has a grade (empty: operating).
  std::string subject_status = {};
};

// The id every example case has (the draw's seed is chosen for it).
inline constexpr const char* kExampleCaseId = "00000000-0000-4000-8000-00000000e001";
inline constexpr const char* kExampleSubject = "91320500L968FMY61Q";
// The office date of every example.
policies::Date ExampleDate();

// The examples of `workflow`, in table order; empty for a workflow with none.
std::vector<RowExample> ExamplesFor(const std::string& workflow);

}  // namespace credflow::testing
