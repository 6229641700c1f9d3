// The policy model: versioned, dated rule sets loaded from XML (by
// adapters/xml) and read by the workflows' guards and actions. Every rule
// keeps the `source` that names the regulation and article it comes from.
//
// Immutable after loading; safe to share between threads.
#pragma once

#include <any>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <typeindex>
#include <vector>

#include "policies/calendar.h"
#include "policies/date.h"

namespace credflow::policies {

// A number or period together with the rule that sets it.
struct SourcedPeriod {
  Period period;
  bool extend_over_rest_days = false;  // statutory action deadlines: yes
  std::string source;
};

// A problem found while loading or validating a policy set.
struct PolicyError {
  std::string file;
  int line = 0;
  std::string message;
  std::string ToString() const;  // "file:line: message"
};

class PolicySet;
struct Policy;

// The cross-file checks of one section of one policy, run by
// PolicySet::Validate (see Policy::Section).
using SectionCheck = void (*)(const PolicySet& set, const Policy& policy, std::vector<PolicyError>* errors);

struct Policy {
  std::string id;       // e.g. commitment
  std::string version;  // e.g. 2024.1
  std::string title;
  std::string authority;  // issuing authority
  std::string source;
  Date effective_from;
  std::optional<Date> effective_to;  // inclusive; nullopt = open-ended
  std::string file;                  // where it was loaded from
  int line = 0;
  std::string content_hash;  // SHA-256 hex of the file's bytes

  bool InForceOn(Date d) const;

  // A policy's rules come in sections, one type per kind of rule (the
  // commitment catalogue, verification rules, the subject vocabulary, and
  // next decision tables, department lists, ledger rules). A section type S
  // is a plain copyable struct with
  //   static void Check(const PolicySet&, const Policy&, std::vector<PolicyError>*);
  // its XML loader lives in adapters/xml/sections/. Adding a kind of rule
  // adds a type and a loader; no other section changes.

  // The section of type S, or nullptr when the policy has none.
  template <class S>
  const S* Find() const {
    auto it = sections_.find(std::type_index(typeid(S)));
    return it == sections_.end() ? nullptr : std::any_cast<S>(&it->second.value);
  }
  // The section of type S, created empty on first use (loaders, tests).
  template <class S>
  S& Section() {
    Entry& entry = sections_[std::type_index(typeid(S))];
    if (!entry.value.has_value()) {
      entry.value = S{};
      entry.check = &S::Check;
    }
    return *std::any_cast<S>(&entry.value);
  }
  // Runs every section's Check.
  void CheckSections(const PolicySet& set, std::vector<PolicyError>* errors) const;

 private:
  struct Entry {
    std::any value;
    SectionCheck check = nullptr;
  };
  std::map<std::type_index, Entry> sections_;
};

// Every loaded policy, every version.
class PolicySet {
 public:
  void Add(Policy policy);
  // The version of `id` in force on `date`, or nullptr.
  const Policy* Select(const std::string& id, Date date) const;
  // An exact version, or nullptr.
  const Policy* Find(const std::string& id, const std::string& version) const;
  std::vector<const Policy*> All() const;

  // Cross-file checks: overlapping effective dates of one id, duplicate
  // versions, an end before the start, and every section's own checks.
  std::vector<PolicyError> Validate() const;

 private:
  std::vector<std::unique_ptr<Policy>> policies_;
};

}  // namespace credflow::policies
