// pugixml implementation of the policy and calendar loaders (see
// policy_loader.h).
#include "adapters/xml/policy_loader.h"

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <map>
#include <optional>
#include <sstream>
#include <string_view>
#include <utility>

#include <pugixml.hpp>

#include "adapters/xml/policy_section_loader.h"
#include "adapters/xml/xml_file_reader.h"
#include "engine/history.h"

namespace credflow::adapters {
namespace {

namespace fs = std::filesystem;
using policies::Date;
using policies::Period;
using policies::PolicyError;
using policies::SourcedPeriod;

// A holiday block longer than this is almost certainly a typo in a date.
constexpr int kMaxHolidayBlockDays = 60;

// The section loader that reads elements named `name`, or nullptr.
const PolicySectionLoader* LoaderFor(std::string_view name) {
  for (const PolicySectionLoader* loader : PolicySectionLoaders()) {
    for (const std::string& element : loader->Elements()) {
      if (element == name) return loader;
    }
  }
  return nullptr;
}

// Reads one policy file; returns the policy unless the file or its root is
// unusable. Element errors drop the element and are reported.
std::optional<policies::Policy> LoadPolicyFile(const std::string& path, std::vector<PolicyError>* errors) {
  std::string bytes;
  pugi::xml_document doc;
  if (!ParseFile(path, &bytes, &doc, errors)) return std::nullopt;
  XmlFileReader r(path, bytes, errors);

  const pugi::xml_node root = doc.document_element();
  if (std::string_view(root.name()) != "policy") {
    r.Error(root, "root element is <" + std::string(root.name()) + ">, expected <policy>");
    return std::nullopt;
  }
  policies::Policy policy;
  bool ok = r.OnlyAttributes(root, {"id", "version", "title", "authority", "effective-from", "effective-to", "source"});
  std::pair<const char*, std::string*> fields[] = {
      {"id", &policy.id},         {"version", &policy.version},
      {"title", &policy.title},   {"authority", &policy.authority},
      {"source", &policy.source},
  };
  for (auto& [name, out] : fields) {
    std::optional<std::string> value = r.Required(root, name);
    if (value) {
      *out = std::move(*value);
    } else {
      ok = false;
    }
  }
  const std::optional<Date> from = r.RequiredDate(root, "effective-from");
  ok = r.OptionalDate(root, "effective-to", &policy.effective_to) && from && ok;
  if (!ok) return std::nullopt;
  policy.effective_from = *from;
  policy.file = path;
  policy.line = r.Line(root);
  policy.content_hash = engine::Sha256Hex(bytes);

  for (pugi::xml_node node : root.children()) {
    if (node.type() != pugi::node_element) continue;
    const PolicySectionLoader* loader = LoaderFor(node.name());
    if (loader == nullptr) {
      r.UnexpectedElement(node);
    } else {
      loader->Load(r, node, &policy);
    }
  }
  return policy;
}

void LoadCalendarYear(XmlFileReader& r, pugi::xml_node year_node, std::map<int, int>* year_lines,
                      std::vector<std::pair<Date, int>>* workdays, policies::WorkingCalendar* calendar) {
  bool ok = r.OnlyAttributes(year_node, {"value", "source"});
  const std::optional<int> year = r.RequiredInt(year_node, "value", 1);
  const std::optional<std::string> source = r.Required(year_node, "source");
  if (year) {
    if (*year > 9999) {
      r.Error(year_node, "attribute 'value' of <year> is " + std::to_string(*year) + " (expected a year up to 9999)");
      ok = false;
    } else if (auto [it, inserted] = year_lines->emplace(*year, r.Line(year_node)); !inserted) {
      r.Error(year_node, "year " + std::to_string(*year) + " is also defined at line " + std::to_string(it->second));
      ok = false;
    }
  }
  if (ok && year && source) calendar->AddKnownYear(*year, *source);

  for (pugi::xml_node node : year_node.children()) {
    if (node.type() != pugi::node_element) continue;
    const std::string_view name = node.name();
    if (name == "holiday") {
      const bool known = r.OnlyAttributes(node, {"name", "from", "to"});
      const std::optional<std::string> holiday = r.Required(node, "name");
      const std::optional<Date> from = r.RequiredDate(node, "from");
      const std::optional<Date> to = r.RequiredDate(node, "to");
      if (!known || !holiday || !from || !to) continue;
      const int64_t days = to->days_since_epoch() - from->days_since_epoch() + 1;
      if (days < 1 || days > kMaxHolidayBlockDays) {
        r.Error(node, "holiday '" + *holiday + "' runs from " + from->ToString() + " to " + to->ToString() +
                          " (expected 1 to " + std::to_string(kMaxHolidayBlockDays) + " days)");
        continue;
      }
      calendar->AddHoliday(*from, *to, *holiday);
    } else if (name == "workday") {
      const bool known = r.OnlyAttributes(node, {"date", "reason"});
      const std::optional<Date> date = r.RequiredDate(node, "date");
      const std::optional<std::string> reason = r.Required(node, "reason");
      if (!known || !date || !reason) continue;
      if (!date->IsWeekend()) {
        r.Error(node, "workday " + date->ToString() +
                          " is a Monday-Friday (a make-up working day must be a Saturday or Sunday)");
        continue;
      }
      calendar->AddMakeUpWorkday(*date, *reason);
      workdays->emplace_back(*date, r.Line(node));
    } else {
      r.UnexpectedElement(node);
    }
  }
}

}  // namespace

PolicyLoadResult LoadPolicyDirectory(const std::string& dir) {
  PolicyLoadResult result;
  try {
    std::error_code ec;
    std::vector<std::string> files;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      std::error_code type_ec;
      if (it->is_regular_file(type_ec) && it->path().extension() == ".xml") {
        files.push_back(it->path().string());
      }
    }
    if (ec) {
      result.errors.push_back({dir, 0, "cannot list the policy directory: " + ec.message()});
      return result;
    }
    if (files.empty()) {
      // An empty folder is a wrong path, not a valid empty policy set.
      result.errors.push_back({dir, 0, "the folder holds no policy files (*.xml)"});
      return result;
    }
    std::sort(files.begin(), files.end());
    for (const std::string& file : files) {
      if (std::optional<policies::Policy> policy = LoadPolicyFile(file, &result.errors)) {
        result.set.Add(std::move(*policy));
      }
    }
    std::vector<PolicyError> cross = result.set.Validate();
    result.errors.insert(result.errors.end(), std::make_move_iterator(cross.begin()),
                         std::make_move_iterator(cross.end()));
  } catch (const std::exception& e) {
    result.errors.push_back({dir, 0, std::string("cannot load policies: ") + e.what()});
  }
  return result;
}

CalendarLoadResult LoadCalendar(const std::string& file) {
  CalendarLoadResult result;
  try {
    std::string bytes;
    pugi::xml_document doc;
    if (!ParseFile(file, &bytes, &doc, &result.errors)) return result;
    XmlFileReader r(file, bytes, &result.errors);
    const pugi::xml_node root = doc.document_element();
    if (std::string_view(root.name()) != "calendar") {
      r.Error(root, "root element is <" + std::string(root.name()) + ">, expected <calendar>");
      return result;
    }
    r.OnlyAttributes(root, {"id", "name"});
    std::map<int, int> year_lines;
    std::vector<std::pair<Date, int>> workdays;
    for (pugi::xml_node node : root.children()) {
      if (node.type() != pugi::node_element) continue;
      if (std::string_view(node.name()) != "year") {
        r.UnexpectedElement(node);
        continue;
      }
      LoadCalendarYear(r, node, &year_lines, &workdays, &result.calendar);
    }
    for (const auto& [date, line] : workdays) {
      const std::string holiday = result.calendar.HolidayName(date);
      if (!holiday.empty()) {
        result.errors.push_back(
            {file, line, "workday " + date.ToString() + " is also a day off of holiday '" + holiday + "'"});
      }
    }
    if (year_lines.empty()) {
      r.Error(root, "the calendar has no <year>: every date would be unknown");
    }
  } catch (const std::exception& e) {
    result.errors.push_back({file, 0, std::string("cannot load the calendar: ") + e.what()});
  }
  return result;
}

}  // namespace credflow::adapters
