// Whether a subject may use the commitment route (告知承诺), read from the
// commitment policy's eligibility blocks and the subject's records. Used by
// the machine's guards and by everything that shows the route (CLI, scenarios).
#pragma once

#include <string>

#include "engine/case.h"
#include "policies/catalogue.h"
#include "policies/policy.h"

namespace credflow::workflows::commitment {

struct Route {
  bool allowed = true;
  std::string reason;  // the first block's reason code when not allowed
  std::string source;  // the rule that blocks
  std::string code() const { return allowed ? "allowed" : "ordinary_procedure"; }
};

// The route under `policy` for a subject with `facts`: blocked when the
// subject has an active record that one of the policy's eligibility blocks
// names (its kind, and its tier when the block gives one); for an item
// (`type` not null), first when one of the item's own exclusions holds (an
// active record of its kind, or the subject's status), whose reason then
// wins: e.g. simplified deregistration is closed to an entity in the
// abnormal list.
Route CommitmentRoute(const policies::Policy& policy, const engine::SubjectFacts& facts,
                      const policies::CommitmentType* type = nullptr);

}  // namespace credflow::workflows::commitment
