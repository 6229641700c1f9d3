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

#include "adapters/xml/xml_lines.h"
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

std::optional<std::string> ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return std::move(bytes).str();
}

std::optional<int> ParseInt(std::string_view text) {
  int value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
  return value;
}

// Reading one file: attribute access that reports what is wrong, with the
// file and line, into a shared error list.
class XmlFileReader {
 public:
  XmlFileReader(std::string file, const std::string& bytes, std::vector<PolicyError>* errors)
      : file_(std::move(file)), bytes_(bytes), errors_(errors) {}

  const std::string& file() const { return file_; }
  int Line(pugi::xml_node node) const { return LineAtOffset(bytes_, node.offset_debug()); }

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

  std::optional<int> RequiredInt(pugi::xml_node node, const char* name, int min) {
    const std::optional<std::string> text = Required(node, name);
    if (!text) return std::nullopt;
    const std::optional<int> value = ParseInt(*text);
    if (!value || *value < min) {
      Error(node, "attribute '" + std::string(name) + "' of <" + node.name() + "> is '" + *text +
                      "' (expected an integer >= " + std::to_string(min) + ")");
      return std::nullopt;
    }
    return value;
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
  const std::string& bytes_;
  std::vector<PolicyError>* errors_;
};

// Reads the file and parses it; reports and returns false on failure.
bool ParseFile(const std::string& path, std::string* bytes, pugi::xml_document* doc, std::vector<PolicyError>* errors) {
  std::optional<std::string> read = ReadFileBytes(path);
  if (!read) {
    errors->push_back({path, 0, "cannot read the file"});
    return false;
  }
  *bytes = std::move(*read);
  const pugi::xml_parse_result parsed =
      doc->load_buffer(bytes->data(), bytes->size(), pugi::parse_default, pugi::encoding_utf8);
  if (!parsed) {
    errors->push_back(
        {path, LineAtOffset(*bytes, parsed.offset), std::string("XML parse error: ") + parsed.description()});
    return false;
  }
  return true;
}

std::optional<policies::EligibilityBlock> ReadBlock(XmlFileReader& r, pugi::xml_node node) {
  const bool known = r.OnlyAttributes(node, {"record", "reason", "source"});
  policies::EligibilityBlock block;
  const std::optional<std::string> record = r.Required(node, "record");
  const std::optional<std::string> reason = r.Required(node, "reason");
  const std::optional<std::string> source = r.Required(node, "source");
  if (!known || !record || !reason || !source) return std::nullopt;
  block.record_kind = *record;
  block.reason = *reason;
  block.source = *source;
  block.line = r.Line(node);
  return block;
}

std::optional<policies::CommitmentType> ReadCommitmentType(XmlFileReader& r, pugi::xml_node node) {
  bool ok = r.OnlyAttributes(node, {"id", "name", "kind", "form", "authority", "decision", "legal-basis", "source"});
  policies::CommitmentType type;
  std::pair<const char*, std::string*> fields[] = {
      {"id", &type.id},
      {"name", &type.name},
      {"kind", &type.kind},
      {"form", &type.form_id},
      {"authority", &type.authority},
      {"decision", &type.decision},
      {"legal-basis", &type.legal_basis},
      {"source", &type.source},
  };
  for (auto& [name, out] : fields) {
    std::optional<std::string> value = r.Required(node, name);
    if (value) {
      *out = std::move(*value);
    } else {
      ok = false;
    }
  }
  for (pugi::xml_node child : node.children()) {
    if (child.type() != pugi::node_element) continue;
    if (std::string_view(child.name()) != "publication") {
      r.UnexpectedElement(child);
      ok = false;
    } else if (type.publication) {
      r.Error(child, "element <commitment-type> has more than one <publication>");
      ok = false;
    } else {
      type.publication = r.ReadPeriod(child);
      ok = ok && type.publication.has_value();
    }
  }
  if (!ok) return std::nullopt;
  type.line = r.Line(node);
  return type;
}

std::optional<policies::VerificationRule> ReadVerification(XmlFileReader& r, pugi::xml_node node) {
  bool ok = r.OnlyAttributes(node, {"type", "method", "mode", "source"});
  policies::VerificationRule rule;
  const std::optional<std::string> type = r.Required(node, "type");
  const std::optional<std::string> method = r.Required(node, "method");
  const std::optional<std::string> mode = r.Required(node, "mode");
  const std::optional<std::string> source = r.Required(node, "source");
  ok = ok && type && method && mode && source;
  for (pugi::xml_node child : node.children()) {
    if (child.type() != pugi::node_element) continue;
    const std::string_view name = child.name();
    if (name != "window" && name != "rectification") {
      r.UnexpectedElement(child);
      ok = false;
    }
  }
  for (auto [name, out] : {std::pair{"window", &rule.window}, std::pair{"rectification", &rule.rectification}}) {
    const std::optional<pugi::xml_node> child = r.OneChild(node, name);
    std::optional<SourcedPeriod> period;
    if (child) period = r.ReadPeriod(*child);
    if (period) {
      *out = std::move(*period);
    } else {
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  rule.commitment_type = *type;
  rule.method = *method;
  rule.mode = *mode;
  rule.source = *source;
  rule.line = r.Line(node);
  return rule;
}

// <sampling cycle default-grade source><grade value ratio max-per-cycle? source/>...
std::optional<policies::SamplingRule> ReadSampling(XmlFileReader& r, pugi::xml_node node) {
  bool ok = r.OnlyAttributes(node, {"cycle", "default-grade", "source"});
  policies::SamplingRule rule;
  const std::optional<std::string> cycle = r.Required(node, "cycle");
  const std::optional<std::string> default_grade = r.Required(node, "default-grade");
  const std::optional<std::string> source = r.Required(node, "source");
  ok = ok && cycle && default_grade && source;
  for (pugi::xml_node child : node.children()) {
    if (child.type() != pugi::node_element) continue;
    if (std::string_view(child.name()) != "grade") {
      r.UnexpectedElement(child);
      ok = false;
      continue;
    }
    bool grade_ok = r.OnlyAttributes(child, {"value", "ratio", "max-per-cycle", "source"});
    const std::optional<std::string> value = r.Required(child, "value");
    const std::optional<std::string> ratio = r.Required(child, "ratio");
    const std::optional<std::string> grade_source = r.Required(child, "source");
    policies::GradeSampling g;
    if (ratio) {
      char* end = nullptr;
      g.ratio = std::strtod(ratio->c_str(), &end);
      if (end == ratio->c_str() || *end != '\0') {
        r.Error(child, "attribute 'ratio' of <grade> is '" + *ratio + "' (expected a number in [0, 1])");
        grade_ok = false;
      }
    }
    if (child.attribute("max-per-cycle")) {
      const std::optional<int> max = r.RequiredInt(child, "max-per-cycle", 0);
      grade_ok = grade_ok && max.has_value();
      g.max_per_cycle = max;
    }
    if (!grade_ok || !value || !ratio || !grade_source) {
      ok = false;
      continue;
    }
    g.grade = *value;
    g.source = *grade_source;
    g.line = r.Line(child);
    rule.grades.push_back(std::move(g));
  }
  if (!ok) return std::nullopt;
  rule.cycle = *cycle;
  rule.default_grade = *default_grade;
  rule.source = *source;
  rule.line = r.Line(node);
  return rule;
}

// <risk-grade value name source/> and <subject-status value name source/>:
// one entry of the subject vocabulary.
template <class Definition>
std::optional<Definition> ReadVocabularyEntry(XmlFileReader& r, pugi::xml_node node) {
  bool ok = r.OnlyAttributes(node, {"value", "name", "source"});
  const std::optional<std::string> value = r.Required(node, "value");
  const std::optional<std::string> name = r.Required(node, "name");
  const std::optional<std::string> source = r.Required(node, "source");
  for (pugi::xml_node child : node.children()) {
    if (child.type() != pugi::node_element) continue;
    r.UnexpectedElement(child);
    ok = false;
  }
  if (!ok || !value || !name || !source) return std::nullopt;
  Definition d;
  d.value = *value;
  d.name = *name;
  d.source = *source;
  d.line = r.Line(node);
  return d;
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
    const std::string_view name = node.name();
    if (name == "eligibility") {
      r.OnlyAttributes(node, {"source"});
      for (pugi::xml_node block : node.children()) {
        if (block.type() != pugi::node_element) continue;
        if (std::string_view(block.name()) != "block") {
          r.UnexpectedElement(block);
        } else if (auto b = ReadBlock(r, block)) {
          policy.eligibility_blocks.push_back(std::move(*b));
        }
      }
    } else if (name == "commitment-type") {
      if (auto t = ReadCommitmentType(r, node)) policy.commitment_types.push_back(std::move(*t));
    } else if (name == "verification") {
      if (auto v = ReadVerification(r, node)) policy.verification_rules.push_back(std::move(*v));
    } else if (name == "risk-grade") {
      if (auto g = ReadVocabularyEntry<policies::RiskGradeDefinition>(r, node)) {
        policy.risk_grades.push_back(std::move(*g));
      }
    } else if (name == "subject-status") {
      if (auto st = ReadVocabularyEntry<policies::SubjectStatusDefinition>(r, node)) {
        policy.subject_statuses.push_back(std::move(*st));
      }
    } else if (name == "false-commitment") {
      const bool known = r.OnlyAttributes(node, {"order-basis", "record-source", "referral-source", "source"});
      const std::optional<std::string> basis = r.Required(node, "order-basis");
      const std::optional<std::string> record = r.Required(node, "record-source");
      const std::optional<std::string> referral = r.Required(node, "referral-source");
      const std::optional<std::string> source = r.Required(node, "source");
      if (policy.false_commitment) {
        r.Error(node, "a policy has at most one <false-commitment>");
      } else if (known && basis && record && referral && source) {
        policy.false_commitment = policies::FalseCommitmentRule{*basis, *record, *referral, *source, r.Line(node)};
      }
    } else if (name == "sampling") {
      if (policy.sampling) {
        r.Error(node, "a policy has at most one <sampling>");
      } else if (auto s = ReadSampling(r, node)) {
        policy.sampling = std::move(*s);
      }
    } else {
      r.UnexpectedElement(node);
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
