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
#include <tuple>
#include <utility>

#include <pugixml.hpp>

#include "adapters/xml/policy_section_loader.h"
#include "adapters/xml/xml_file_reader.h"
#include "engine/history.h"
#include "policies/statutory_holidays.h"

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

// What the files of a calendar folder add up to while they are read.
struct CalendarReading {
  std::map<int, std::string> year_places;                    // year -> "file:line" of its <year>
  std::vector<std::tuple<Date, std::string, int>> workdays;  // (date, file, line), for the cross-check
  std::optional<policies::StatutoryHolidays> statute;
  std::string statute_place;
};

void LoadCalendarYear(XmlFileReader& r, pugi::xml_node year_node, CalendarReading* reading,
                      policies::WorkingCalendar* calendar) {
  bool ok = r.OnlyAttributes(year_node, {"value", "source"});
  const std::optional<int> year = r.RequiredInt(year_node, "value", 1);
  const std::optional<std::string> source = r.Required(year_node, "source");
  if (year) {
    if (*year > 9999) {
      r.Error(year_node, "attribute 'value' of <year> is " + std::to_string(*year) + " (expected a year up to 9999)");
      ok = false;
    } else if (auto [it, inserted] =
                   reading->year_places.emplace(*year, r.file() + ":" + std::to_string(r.Line(year_node)));
               !inserted) {
      r.Error(year_node, "year " + std::to_string(*year) + " is also defined at " + it->second);
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
      calendar->AddHoliday(*from, *to, *holiday, year.value_or(0));
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
      calendar->AddMakeUpWorkday(*date, *reason, year.value_or(0));
      reading->workdays.emplace_back(*date, r.file(), r.Line(node));
    } else {
      r.UnexpectedElement(node);
    }
  }
}

// <holiday name anchor month day days/> of <statutory-holidays>.
std::optional<policies::StatutoryHoliday> ReadStatutoryHoliday(XmlFileReader& r, pugi::xml_node node) {
  const bool known = r.OnlyAttributes(node, {"name", "anchor", "month", "day", "days"});
  const std::optional<std::string> name = r.Required(node, "name");
  const std::optional<std::string> anchor_text = r.Required(node, "anchor");
  const std::optional<int> days = r.RequiredInt(node, "days", 1);
  if (!known || !name || !anchor_text || !days) return std::nullopt;
  const std::optional<policies::HolidayAnchor> anchor = policies::ParseHolidayAnchor(*anchor_text);
  if (!anchor) {
    r.Error(node, "anchor '" + *anchor_text + "' is not fixed, chuxi, qingming, duanwu or zhongqiu");
    return std::nullopt;
  }
  if (*days > kMaxHolidayBlockDays) {
    r.Error(node, "holiday '" + *name + "' has " + std::to_string(*days) + " days (at most " +
                      std::to_string(kMaxHolidayBlockDays) + ")");
    return std::nullopt;
  }
  policies::StatutoryHoliday h{*name, *anchor, 0, 0, *days};
  const bool fixed = *anchor == policies::HolidayAnchor::kFixed;
  if (fixed) {
    const std::optional<int> month = r.RequiredInt(node, "month", 1);
    const std::optional<int> day = r.RequiredInt(node, "day", 1);
    if (!month || !day) return std::nullopt;
    if (*month > 12 || *day > Date::DaysInMonth(2001, *month)) {
      r.Error(node, "holiday '" + *name + "' is on month " + std::to_string(*month) + ", day " + std::to_string(*day) +
                        ", which no common year has");
      return std::nullopt;
    }
    h.month = *month;
    h.day = *day;
  } else if (node.attribute("month") || node.attribute("day")) {
    r.Error(node, "holiday '" + *name + "' is anchored on a lunar date and takes no month or day");
    return std::nullopt;
  }
  return h;
}

// <year value chuxi qingming duanwu zhongqiu/> of <lunar-dates>: each day in
// its year and in the season it belongs to, so that a typo is caught.
std::optional<policies::LunarDates> ReadLunarYear(XmlFileReader& r, pugi::xml_node node) {
  const bool known = r.OnlyAttributes(node, {"value", "chuxi", "qingming", "duanwu", "zhongqiu"});
  const std::optional<int> year = r.RequiredInt(node, "value", 1);
  struct Day {
    const char* name;
    Date policies::LunarDates::*field;
    int first_month, last_month;  // the months it can fall in
  };
  constexpr Day kDays[] = {{"chuxi", &policies::LunarDates::chuxi, 1, 2},
                           {"qingming", &policies::LunarDates::qingming, 4, 4},
                           {"duanwu", &policies::LunarDates::duanwu, 5, 6},
                           {"zhongqiu", &policies::LunarDates::zhongqiu, 9, 10}};
  policies::LunarDates lunar;
  bool ok = known && year && *year <= 9999;
  if (year && *year > 9999) r.Error(node, "lunar year " + std::to_string(*year) + " is beyond 9999");
  for (const Day& d : kDays) {
    const std::optional<Date> date = r.RequiredDate(node, d.name);
    if (!date) {
      ok = false;
      continue;
    }
    if (year && (date->year() != *year || date->month() < d.first_month || date->month() > d.last_month)) {
      r.Error(node, std::string(d.name) + " " + date->ToString() + " is not in months " +
                        std::to_string(d.first_month) + "-" + std::to_string(d.last_month) + " of " +
                        std::to_string(*year));
      ok = false;
      continue;
    }
    lunar.*d.field = *date;
  }
  if (!ok) return std::nullopt;
  lunar.year = *year;
  return lunar;
}

void LoadStatutoryHolidays(XmlFileReader& r, pugi::xml_node root, CalendarReading* reading) {
  if (reading->statute) {
    r.Error(root, "<statutory-holidays> is also given in " + reading->statute_place);
    return;
  }
  r.OnlyAttributes(root, {"source"});
  policies::StatutoryHolidays statute;
  statute.source = r.Required(root, "source").value_or("");
  for (pugi::xml_node node : root.children()) {
    if (node.type() != pugi::node_element) continue;
    const std::string_view name = node.name();
    if (name == "holiday") {
      if (auto h = ReadStatutoryHoliday(r, node)) statute.holidays.push_back(std::move(*h));
    } else if (name == "lunar-dates") {
      r.OnlyAttributes(node, {"source"});
      statute.lunar_source = r.Required(node, "source").value_or("");
      for (pugi::xml_node row : node.children()) {
        if (row.type() != pugi::node_element) continue;
        if (std::string_view(row.name()) != "year") {
          r.UnexpectedElement(row);
          continue;
        }
        std::optional<policies::LunarDates> lunar = ReadLunarYear(r, row);
        if (lunar && !statute.lunar.emplace(lunar->year, *lunar).second) {
          r.Error(row, "lunar year " + std::to_string(lunar->year) + " is listed twice");
        }
      }
    } else {
      r.UnexpectedElement(node);
    }
  }
  if (statute.holidays.empty()) r.Error(root, "<statutory-holidays> lists no <holiday>");
  reading->statute = std::move(statute);
  reading->statute_place = r.file() + ":" + std::to_string(r.Line(root));
}

// Reads one calendar file: a <calendar> of notices, or the <statutory-holidays>.
void LoadCalendarFile(const std::string& file, CalendarReading* reading, CalendarLoadResult* result,
                      std::string* bytes) {
  pugi::xml_document doc;
  if (!ParseFile(file, bytes, &doc, &result->errors)) return;
  XmlFileReader r(file, *bytes, &result->errors);
  const pugi::xml_node root = doc.document_element();
  const std::string_view name = root.name();
  if (name == "statutory-holidays") {
    LoadStatutoryHolidays(r, root, reading);
    return;
  }
  if (name != "calendar") {
    r.Error(root, "root element is <" + std::string(name) + ">, expected <calendar> or <statutory-holidays>");
    return;
  }
  r.OnlyAttributes(root, {"id", "name"});
  const size_t years_before = reading->year_places.size();
  for (pugi::xml_node node : root.children()) {
    if (node.type() != pugi::node_element) continue;
    if (std::string_view(node.name()) != "year") {
      r.UnexpectedElement(node);
      continue;
    }
    LoadCalendarYear(r, node, reading, &result->calendar);
  }
  if (reading->year_places.size() == years_before) {
    r.Error(root, "the calendar has no <year>: every date would be unknown");
  }
}

// The checks across files, the provisional years, and the identity.
void FinishCalendar(CalendarReading* reading, const std::string& hashed, CalendarLoadResult* result) {
  for (const auto& [date, file, line] : reading->workdays) {
    const std::string holiday = result->calendar.HolidayName(date);
    if (!holiday.empty()) {
      result->errors.push_back(
          {file, line, "workday " + date.ToString() + " is also a day off of holiday '" + holiday + "'"});
    }
  }
  if (reading->statute) policies::AddProvisionalYears(*reading->statute, &result->calendar);
  const int last = result->calendar.last_year();
  result->calendar.SetIdentity("cn@" + (last == 0 ? std::string("none") : std::to_string(last)),
                               engine::Sha256Hex(hashed));
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

CalendarLoadResult LoadCalendar(const std::string& path) {
  CalendarLoadResult result;
  try {
    std::vector<std::string> files;
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code type_ec;
        if (it->is_regular_file(type_ec) && it->path().extension() == ".xml") files.push_back(it->path().string());
      }
      if (ec) {
        result.errors.push_back({path, 0, "cannot list the calendar folder: " + ec.message()});
        return result;
      }
      std::sort(files.begin(), files.end());
      if (files.empty()) result.errors.push_back({path, 0, "the calendar folder holds no *.xml file"});
    } else {
      files.push_back(path);
    }
    CalendarReading reading;
    // The identity hashes every file's name and bytes, in name order.
    std::string hashed;
    for (const std::string& file : files) {
      std::string bytes;
      LoadCalendarFile(file, &reading, &result, &bytes);
      hashed += fs::path(file).filename().string();
      hashed.push_back('\0');
      hashed += engine::Sha256Hex(bytes);
      hashed.push_back('\n');
    }
    FinishCalendar(&reading, hashed, &result);
  } catch (const std::exception& e) {
    result.errors.push_back({path, 0, std::string("cannot load the calendar: ") + e.what()});
  }
  return result;
}

}  // namespace credflow::adapters
