// The <grade value ratio draw? max-per-cycle? source/> element shared by the
// tables of ratios by risk grade: the verification sampling
// (verification_loader.cc) and the inspection plan (inspection_loader.cc).
#pragma once

#include <optional>

#include "adapters/xml/xml_file_reader.h"
#include "policies/verification_rules.h"

namespace credflow::adapters {

// Reads one <grade>; nullopt (each problem reported with its line) when it
// is wrong. What the values mean is checked with the policy
// (policies::CheckGradeRatios).
std::optional<policies::GradeSampling> ReadGradeSampling(XmlFileReader& r, pugi::xml_node grade);

}  // namespace credflow::adapters
