// PolicySectionLoader: reads the elements of one kind of rule from a
// <policy> file into its typed section of policies::Policy (see
// Policy::Section). The policy loader hands each child element of <policy>
// to the loader that claims its name; an element no loader claims is an
// error. Adding a kind of rule adds a section type in policies/, a loader in
// adapters/xml/sections/, and one line in PolicySectionLoaders().
//
// Loaders are stateless; one instance serves every thread.
#pragma once

#include <string>
#include <vector>

#include <pugixml.hpp>

#include "adapters/xml/xml_file_reader.h"
#include "policies/policy.h"

namespace credflow::adapters {

class PolicySectionLoader {
 public:
  virtual ~PolicySectionLoader() = default;
  // The element names (children of <policy>) this loader reads.
  virtual std::vector<std::string> Elements() const = 0;
  // Reads `node` into its section of `policy`. Problems are reported
  // through `r` (file and line); an element with a problem is left out.
  virtual void Load(XmlFileReader& r, pugi::xml_node node, policies::Policy* policy) const = 0;
};

// Every section loader of this build.
const std::vector<const PolicySectionLoader*>& PolicySectionLoaders();

}  // namespace credflow::adapters
