#include "engine/case.h"

namespace credflow::engine {

bool SubjectFacts::HasActive(const std::string& kind) const {
  for (const SubjectRecord& r : records) {
    if (r.kind == kind && r.status == "active") return true;
  }
  return false;
}

}  // namespace credflow::engine
