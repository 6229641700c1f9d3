#include "adapters/app/rules.h"

#include <cstdlib>

#include "adapters/xml/form_loader.h"
#include "adapters/xml/policy_loader.h"
#include "policies/catalogue.h"

namespace credflow::adapters {

RulePaths DefaultRulePaths() {
  const char* home = std::getenv("CREDFLOW_HOME");
  const std::string root = home != nullptr && *home != '\0' ? home : CREDFLOW_DATA_DIR;
  return RulePaths{root + "/policies/definitions", root + "/policies/calendars", root + "/forms/definitions"};
}

std::unique_ptr<LoadedRules> LoadRules(const RulePaths& paths) {
  auto rules = std::make_unique<LoadedRules>();
  PolicyLoadResult policies = LoadPolicyDirectory(paths.policies_dir);
  for (const policies::PolicyError& e : policies.errors) rules->errors.push_back(e.ToString());
  rules->policies = std::move(policies.set);

  CalendarLoadResult calendar = LoadCalendar(paths.calendar_path);
  for (const policies::PolicyError& e : calendar.errors) rules->errors.push_back(e.ToString());
  rules->calendar = std::move(calendar.calendar);

  FormLoadResult forms = LoadFormDirectory(paths.forms_dir);
  for (const FormLoadError& e : forms.errors) rules->errors.push_back(e.ToString());
  rules->forms = std::move(forms.registry);

  for (const policies::Policy* p : rules->policies.All()) {
    const policies::CatalogueSection* catalogue = p->Find<policies::CatalogueSection>();
    if (catalogue == nullptr) continue;
    for (const policies::CommitmentType& t : catalogue->types) {
      if (rules->forms.Find(t.form_id) == nullptr) {
        rules->errors.push_back(p->file + ":" + std::to_string(t.line) + ": commitment type '" + t.id +
                                "' names form '" + t.form_id + "', which " + paths.forms_dir + " does not define");
      }
    }
  }
  return rules;
}

}  // namespace credflow::adapters
