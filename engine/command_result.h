// The answer to a command, as the CLI, the API and the idempotency store
// keep it.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "engine/case.h"

namespace credflow::engine {

struct CommandResult {
  std::string case_id;
  std::string workflow;
  std::string state;
  std::string outcome;
  std::string reason;
  int64_t version = 0;
  bool replayed = false;  // answered from the idempotency store
  // Cases the command opened besides case_id (a decision's verification
  // case, ...), in order: {id, workflow}.
  std::vector<std::pair<std::string, std::string>> opened;

  // The result of `c` as it now is (replayed false, nothing opened).
  static CommandResult Of(const Case& c);

  Json ToJson() const;
  // Reads what ToJson wrote; members of another type read as empty.
  static CommandResult FromJson(const Json& j);
};

}  // namespace credflow::engine
