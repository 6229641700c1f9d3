// Loading the rule book at start-up: the policy set, the working-day calendar
// and the forms, cross-checked. credflow refuses to start when anything is
// wrong, and says what, with file and line.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/case_service.h"
#include "forms/form.h"
#include "policies/calendar.h"
#include "policies/policy.h"

namespace credflow::adapters {

struct RulePaths {
  std::string policies_dir;   // policies/definitions
  std::string calendar_path;  // policies/calendars (a folder of calendar files, or one file)
  std::string forms_dir;      // forms/definitions
};

// CREDFLOW_HOME (the folder holding policies/ and forms/) when set, else the
// source tree the binary was built from.
RulePaths DefaultRulePaths();

struct LoadedRules {
  policies::PolicySet policies;
  policies::WorkingCalendar calendar;
  forms::FormRegistry forms;
  std::vector<std::string> errors;  // "file:line: message"

  bool ok() const { return errors.empty(); }
  engine::RuleBook book() const { return engine::RuleBook{&policies, &calendar, &forms}; }
};

// Loads and cross-checks everything (e.g. every catalogue item's form exists).
std::unique_ptr<LoadedRules> LoadRules(const RulePaths& paths);

}  // namespace credflow::adapters
