#include "engine/case.h"

#include <algorithm>

namespace credflow::engine {

bool SubjectFacts::HasActive(const std::string& kind) const {
  for (const SubjectRecord& r : records) {
    if (r.kind == kind && r.status == "active") return true;
  }
  return false;
}

void KeepKinds(const std::vector<std::string>& kinds, std::vector<SubjectRecord>* records) {
  if (kinds.empty()) return;
  records->erase(std::remove_if(records->begin(), records->end(),
                                [&](const SubjectRecord& r) {
                                  return std::find(kinds.begin(), kinds.end(), r.kind) == kinds.end();
                                }),
                 records->end());
}

}  // namespace credflow::engine
