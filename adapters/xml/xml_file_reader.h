// XmlFileReader: reading one XML rule file with pugixml, reporting every
// problem as a PolicyError with the file and the 1-based line. Shared by the
// policy loader, its section loaders and the calendar loader.
//
// Not thread-safe: one reader per file being read.
#pragma once

#include <initializer_list>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <pugixml.hpp>

#include "adapters/xml/xml_lines.h"
#include "policies/calendar.h"
#include "policies/policy.h"

namespace credflow::adapters {

// Rule files (policies, calendars, forms) larger than this are refused.
inline constexpr size_t kMaxXmlFileBytes = 8u << 20;  // 8 MiB
// The largest integer a rule file may state: a bound on a mistyped or hostile
// number, which the day arithmetic would otherwise overflow (the policy fuzz
// target: a period of 1,494,604,046 years).
inline constexpr int kMaxRuleInteger = 1000000;
// No rule counts more years than this: periods, look-backs, years ahead.
inline constexpr int kMaxRuleYears = 100;

// The whole file (at most kMaxXmlFileBytes + 1 bytes of it, so that a larger
// one is seen to be too large), or nullopt when it cannot be read.
std::optional<std::string> ReadFileBytes(const std::string& path);
// A decimal int and nothing else, or nullopt.
std::optional<int> ParseInt(std::string_view text);

// Reading one file: attribute access that reports what is wrong, with the
// file and line, into a shared error list.
class XmlFileReader {
 public:
  using Date = policies::Date;
  using Period = policies::Period;
  using PolicyError = policies::PolicyError;
  using SourcedPeriod = policies::SourcedPeriod;

  XmlFileReader(std::string file, const std::string& bytes, std::vector<PolicyError>* errors)
      : file_(std::move(file)), lines_(bytes), errors_(errors) {}

  const std::string& file() const { return file_; }
  int Line(pugi::xml_node node) const { return lines_.At(node.offset_debug()); }

  void Error(pugi::xml_node node, std::string message) { errors_->push_back({file_, Line(node), std::move(message)}); }

  // Reports attributes that are not in `allowed` (namespace declarations and
  // xsi: attributes are always allowed). Returns false if any was found.
  bool OnlyAttributes(pugi::xml_node node, std::initializer_list<const char*> allowed) {
    bool ok = true;
    for (pugi::xml_attribute a : node.attributes()) {
      const std::string_view name = a.name();
      if (name.substr(0, 5) == "xmlns" || name.substr(0, 4) == "xsi:") continue;
      if (std::none_of(allowed.begin(), allowed.end(), [&](const char* n) { return name == n; })) {
        Error(node, "element <" + std::string(node.name()) + "> has unknown attribute '" + std::string(name) + "'");
        ok = false;
      }
    }
    return ok;
  }

  // A required, non-empty attribute.
  std::optional<std::string> Required(pugi::xml_node node, const char* name) {
    const pugi::xml_attribute a = node.attribute(name);
    if (!a) {
      Error(node, "element <" + std::string(node.name()) + "> lacks attribute '" + name + "'");
      return std::nullopt;
    }
    std::string value = a.value();
    if (value.find_first_not_of(" \t\r\n") == std::string::npos) {
      Error(node, "element <" + std::string(node.name()) + "> has an empty attribute '" + name + "'");
      return std::nullopt;
    }
    return value;
  }

  std::optional<Date> RequiredDate(pugi::xml_node node, const char* name) {
    const std::optional<std::string> text = Required(node, name);
    if (!text) return std::nullopt;
    return ToDate(node, name, *text);
  }

  // Absent: `*out` stays nullopt and true is returned. Present but bad:
  // reports and returns false.
  bool OptionalDate(pugi::xml_node node, const char* name, std::optional<Date>* out) {
    const pugi::xml_attribute a = node.attribute(name);
    if (!a) return true;
    *out = ToDate(node, name, a.value());
    return out->has_value();
  }

  // true/false, `fallback` when absent; nullopt (reported) when neither.
  std::optional<bool> OptionalBool(pugi::xml_node node, const char* name, bool fallback) {
    const pugi::xml_attribute a = node.attribute(name);
    if (!a) return fallback;
    const std::string_view value = a.value();
    if (value == "true") return true;
    if (value == "false") return false;
    Error(node, "attribute '" + std::string(name) + "' of <" + node.name() + "> is '" + std::string(value) +
                    "' (expected true or false)");
    return std::nullopt;
  }

  std::optional<int> RequiredInt(pugi::xml_node node, const char* name, int min, int max = kMaxRuleInteger) {
    const std::optional<std::string> text = Required(node, name);
    if (!text) return std::nullopt;
    const std::optional<int> value = ParseInt(*text);
    if (!value || *value < min || *value > max) {
      Error(node, "attribute '" + std::string(name) + "' of <" + node.name() + "> is '" + *text +
                      "' (expected an integer from " + std::to_string(min) + " to " + std::to_string(max) + ")");
      return std::nullopt;
    }
    return value;
  }

  // The space-separated words of an attribute ("A B", "gsxt credit_china");
  // empty when the attribute is absent.
  static std::vector<std::string> Words(pugi::xml_node node, const char* name) {
    std::vector<std::string> out;
    std::istringstream in(node.attribute(name).value());
    for (std::string w; in >> w;) out.push_back(w);
    return out;
  }

  // The most `unit`s a period may count: kMaxRuleYears' worth.
  static int MaxPeriodCount(Period::Unit unit) {
    switch (unit) {
      case Period::Unit::kYears: return kMaxRuleYears;
      case Period::Unit::kMonths: return kMaxRuleYears * 12;
      case Period::Unit::kCalendarDays: return kMaxRuleYears * 366;
      case Period::Unit::kWorkingDays: return kMaxRuleYears * 260;
    }
    return kMaxRuleYears;
  }

  // A period element: count, unit, source, optional extend-over-rest-days.
  std::optional<SourcedPeriod> ReadPeriod(pugi::xml_node node) {
    const bool known = OnlyAttributes(node, {"count", "unit", "source", "extend-over-rest-days"});
    const std::optional<int> count = RequiredInt(node, "count", 1);
    const std::optional<std::string> unit_text = Required(node, "unit");
    const std::optional<std::string> source = Required(node, "source");
    const std::optional<bool> extend = OptionalBool(node, "extend-over-rest-days", false);
    std::optional<Period::Unit> unit;
    if (unit_text) {
      unit = Period::ParseUnit(*unit_text);
      if (!unit) {
        Error(node, "attribute 'unit' of <" + std::string(node.name()) + "> is '" + *unit_text +
                        "' (expected working_days, days, months or years)");
      }
    }
    if (count && unit && *count > MaxPeriodCount(*unit)) {
      Error(node, "<" + std::string(node.name()) + "> is " + std::to_string(*count) + " " + *unit_text + " (at most " +
                      std::to_string(MaxPeriodCount(*unit)) + ", " + std::to_string(kMaxRuleYears) + " years)");
      return std::nullopt;
    }
    if (!known || !count || !unit || !source || !extend) return std::nullopt;
    SourcedPeriod period;
    period.period.count = *count;
    period.period.unit = *unit;
    period.extend_over_rest_days = *extend;
    period.source = *source;
    return period;
  }

  // Exactly one child element named `name`; reports otherwise.
  std::optional<pugi::xml_node> OneChild(pugi::xml_node parent, const char* name) {
    pugi::xml_node found;
    for (pugi::xml_node child : parent.children(name)) {
      if (found) {
        Error(child, "element <" + std::string(parent.name()) + "> has more than one <" + name + ">");
        return std::nullopt;
      }
      found = child;
    }
    if (!found) {
      Error(parent, "element <" + std::string(parent.name()) + "> lacks child <" + name + ">");
      return std::nullopt;
    }
    return found;
  }

  void UnexpectedElement(pugi::xml_node node) {
    Error(node, "unexpected element <" + std::string(node.name()) + "> in <" + node.parent().name() + ">");
  }

 private:
  std::optional<Date> ToDate(pugi::xml_node node, const char* name, std::string_view text) {
    std::optional<Date> date = Date::Parse(text);
    if (!date) {
      Error(node, "attribute '" + std::string(name) + "' of <" + node.name() + "> is '" + std::string(text) +
                      "', not a valid date (YYYY-MM-DD)");
    }
    return date;
  }

  std::string file_;
  LineIndex lines_;
  std::vector<PolicyError>* errors_;
};

// Reads the file and parses it; reports and returns false on failure.
bool ParseFile(const std::string& path, std::string* bytes, pugi::xml_document* doc,
               std::vector<policies::PolicyError>* errors);

}  // namespace credflow::adapters
