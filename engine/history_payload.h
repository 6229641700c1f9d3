// What a transition's history event records besides the event itself: the
// subject facts and the children its guards read, so that a replay gives the
// machine exactly the inputs it had.
#pragma once

#include <string>
#include <vector>

#include "engine/case.h"
#include "engine/case_store.h"

namespace credflow::engine {

// The facts as recorded in a history payload, and back.
Json FactsToJson(const SubjectFacts& facts);
SubjectFacts FactsFromJson(const std::string& subject, const Json& j);

// The children as recorded in a history payload, and back.
Json ChildrenToJson(const std::vector<ChildCase>& children);
std::vector<ChildCase> ChildrenFromJson(const Json& j);

}  // namespace credflow::engine
