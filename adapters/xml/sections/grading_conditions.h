// The <when input min max/> conditions shared by the grading table and the
// remediation ledger's entry rules (policies/grading_rules.h).
#pragma once

#include <vector>

#include "adapters/xml/xml_file_reader.h"
#include "policies/grading_rules.h"

namespace credflow::adapters {

// Reads every <when> child of `rule` into *out; any other child element is
// an error. False (each problem reported with its line) when one is wrong.
bool ReadGradingConditions(XmlFileReader& r, pugi::xml_node rule, std::vector<policies::GradingCondition>* out);

}  // namespace credflow::adapters
