// Form definitions from XML (pugixml). The format is documented in
// forms/definitions/README.md; in short:
//
//   <form id="food_business_permit" version="1" title="…承诺书" source="…">
//     <field name="business_items" label="经营项目" type="enum_list"
//            required="true" min="1">
//       <option value="catering_services" label="餐饮服务"/>
//     </field>
//     <letter>本单位{applicant_name}郑重承诺：…</letter>
//   </form>
//
// The loader is strict: unknown elements and attributes, constraints that do
// not fit the field's type, bad regular expressions and placeholders that name
// nothing are all errors, so that a typo in a definition fails at start-up
// rather than silently relaxing validation.
//
// Stateless; safe to call from several threads at once.
#include "adapters/xml/form_loader.h"

#include "adapters/xml/xml_file_reader.h"
#include "adapters/xml/xml_lines.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <exception>
#include <filesystem>
#include <regex>
#include <set>
#include <sstream>
#include <string_view>
#include <system_error>
#include <utility>

#include <pugixml.hpp>

namespace credflow::adapters {
namespace {

// The longest pattern a field may have (a form is written by the office, and
// its patterns are short: a postal code, an ID number, a phone number).
constexpr size_t kMaxPatternBytes = 200;

using forms::FieldDefinition;
using forms::FieldOption;
using forms::FieldType;
using forms::FormDefinition;

// Names the engine fills in when it renders a letter; a letter may use them
// without a field of that name, and no field may take them.
const std::set<std::string, std::less<>>& EngineSuppliedNames() {
  static const std::set<std::string, std::less<>> kNames = {"subject", "commitment_type_name", "authority", "date",
                                                            "case_id"};
  return kNames;
}

struct TypeEntry {
  std::string_view name;
  FieldType type;
};
constexpr TypeEntry kTypes[] = {
    {"string", FieldType::kString},      {"text", FieldType::kText},
    {"date", FieldType::kDate},          {"boolean", FieldType::kBoolean},
    {"integer", FieldType::kInteger},    {"number", FieldType::kNumber},
    {"enum", FieldType::kEnum},          {"string_list", FieldType::kStringList},
    {"enum_list", FieldType::kEnumList}, {"credit_code", FieldType::kCreditCode},
};

std::string TypeNames() {
  std::string out;
  for (const TypeEntry& entry : kTypes) {
    if (!out.empty()) out += ", ";
    out += entry.name;
  }
  return out;
}

std::optional<FieldType> ParseType(std::string_view name) {
  for (const TypeEntry& entry : kTypes) {
    if (entry.name == name) return entry.type;
  }
  return std::nullopt;
}

bool IsListType(FieldType t) { return t == FieldType::kStringList || t == FieldType::kEnumList; }
bool IsEnumType(FieldType t) { return t == FieldType::kEnum || t == FieldType::kEnumList; }
bool TakesRange(FieldType t) { return t == FieldType::kInteger || t == FieldType::kNumber || IsListType(t); }
bool TakesMaxLength(FieldType t) {
  return t == FieldType::kString || t == FieldType::kText || t == FieldType::kStringList;
}
bool TakesPattern(FieldType t) { return TakesMaxLength(t) || t == FieldType::kCreditCode; }

// [a-z][a-z0-9_]*: form ids and field names (placeholders use them).
bool IsName(std::string_view s) {
  if (s.empty() || s[0] < 'a' || s[0] > 'z') return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

// [A-Za-z0-9_.-]+: option values are codes, not prose.
bool IsOptionValue(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
           c == '-';
  });
}

bool IsVersion(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
}

std::optional<double> ParseNumber(std::string_view s) {
  double value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

std::optional<int> ParsePositiveInt(std::string_view s) {
  int value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || value <= 0) {
    return std::nullopt;
  }
  return value;
}

std::string Quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

// Strips ASCII blanks from both ends of every line and drops leading and
// trailing blank lines, so that a letter can be indented inside the XML.
// Full-width indentation (　　) is content and is kept.
std::string NormaliseLetter(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    const size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos) {
      lines.emplace_back();
    } else {
      const size_t last = line.find_last_not_of(" \t\r");
      lines.push_back(line.substr(first, last - first + 1));
    }
  }
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  size_t begin = 0;
  while (begin < lines.size() && lines[begin].empty()) ++begin;
  std::string out;
  for (size_t i = begin; i < lines.size(); ++i) {
    if (i > begin) out += '\n';
    out += lines[i];
  }
  return out;
}

// Parses one document; errors go to `errors_`.
class FormParser {
 public:
  FormParser(const std::string& xml, std::string file, std::vector<FormLoadError>& errors)
      : xml_(xml), lines_(xml), file_(std::move(file)), errors_(errors) {}

  std::optional<FormDefinition> Parse(const std::optional<std::string>& expected_id) {
    const size_t errors_before = errors_.size();
    pugi::xml_document doc;
    const pugi::xml_parse_result parsed =
        doc.load_buffer(xml_.data(), xml_.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!parsed) {
      Error(LineAt(parsed.offset), std::string("XML parse error: ") + parsed.description());
      return std::nullopt;
    }
    pugi::xml_node root;
    for (pugi::xml_node node : doc.children()) {
      if (node.type() != pugi::node_element) continue;
      if (root) {
        Error(Line(node), "only one root element is allowed, found another <" + std::string(node.name()) + ">");
        continue;
      }
      root = node;
    }
    if (!root || std::string_view(root.name()) != "form") {
      Error(root ? Line(root) : 1, "the root element must be <form>");
      return std::nullopt;
    }

    FormDefinition form;
    form.file = file_;
    ParseFormAttributes(root, expected_id, form);
    pugi::xml_node letter;
    for (pugi::xml_node child : root.children()) {
      if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
        Error(Line(child), "text is not allowed directly inside <form>");
        continue;
      }
      if (child.type() != pugi::node_element) continue;
      const std::string_view name = child.name();
      if (name == "field") {
        ParseField(child, form);
      } else if (name == "letter") {
        if (letter) {
          Error(Line(child), "<form> has more than one <letter>");
        } else {
          letter = child;
        }
      } else {
        Error(Line(child), "unknown element <" + std::string(name) + "> in <form> (expected <field> or <letter>)");
      }
    }
    if (form.fields.empty()) Error(Line(root), "<form> declares no <field>");
    if (!letter) {
      Error(Line(root), "<form> has no <letter>");
    } else {
      ParseLetter(letter, form);
    }
    if (errors_.size() != errors_before) return std::nullopt;
    return form;
  }

 private:
  int LineAt(ptrdiff_t offset) const { return lines_.At(offset); }
  int Line(const pugi::xml_node& node) const { return LineAt(node.offset_debug()); }

  void Error(int line, std::string message) { errors_.push_back({file_, line, std::move(message)}); }

  void CheckAttributes(const pugi::xml_node& node, std::initializer_list<std::string_view> allowed,
                       const std::string& where) {
    for (pugi::xml_attribute attribute : node.attributes()) {
      const std::string_view name = attribute.name();
      if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
        std::string list;
        for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        Error(Line(node), where + ": unknown attribute " + Quote(name) + " (expected one of " + list + ")");
      }
    }
  }

  // The attribute's value, or nullopt (with an error) when it is missing or empty.
  std::optional<std::string> Required(const pugi::xml_node& node, const char* name, const std::string& where) {
    const pugi::xml_attribute attribute = node.attribute(name);
    if (!attribute || attribute.value()[0] == '\0') {
      Error(Line(node), where + ": attribute " + Quote(name) + " is required");
      return std::nullopt;
    }
    return std::string(attribute.value());
  }

  void ParseFormAttributes(const pugi::xml_node& root, const std::optional<std::string>& expected_id,
                           FormDefinition& form) {
    const std::string where = "<form>";
    CheckAttributes(root, {"id", "version", "title", "source"}, where);
    if (auto id = Required(root, "id", where)) {
      if (!IsName(*id)) {
        Error(Line(root),
              where + ": id " + Quote(*id) + " must be lower-case letters, digits and '_' starting with a letter");
      } else if (expected_id && *id != *expected_id) {
        Error(Line(root),
              where + ": id " + Quote(*id) + " does not match the file name " + Quote(*expected_id + ".xml"));
      }
      form.id = std::move(*id);
    }
    if (auto version = Required(root, "version", where)) {
      if (!IsVersion(*version)) {
        Error(Line(root),
              where + ": version " + Quote(*version) + " must be digits separated by dots, e.g. \"1\" or \"2024.1\"");
      }
      form.version = std::move(*version);
    }
    if (auto title = Required(root, "title", where)) form.title = std::move(*title);
    form.source = root.attribute("source").value();
  }

  void ParseField(const pugi::xml_node& node, FormDefinition& form) {
    FieldDefinition field;
    const int line = Line(node);
    std::string where = "<field>";
    CheckAttributes(node, {"name", "label", "type", "required", "affirmed", "pattern", "max-length", "min", "max"},
                    where);
    const std::optional<std::string> name = Required(node, "name", where);
    if (name) {
      where = "field " + Quote(*name);
      field.name = *name;
      if (!IsName(*name)) {
        Error(line, where +
                        ": the name must be lower-case letters, digits and '_' starting "
                        "with a letter");
      } else if (EngineSuppliedNames().count(*name) != 0) {
        Error(line, where + ": the name is reserved for a value the engine supplies");
      } else if (form.FindField(*name)) {
        Error(line, where + ": duplicate field name");
      }
    }
    if (auto label = Required(node, "label", where)) field.label = std::move(*label);

    bool type_known = false;
    if (auto type_name = Required(node, "type", where)) {
      if (auto type = ParseType(*type_name)) {
        field.type = *type;
        type_known = true;
      } else {
        Error(line, where + ": unknown field type " + Quote(*type_name) + " (expected one of " + TypeNames() + ")");
      }
    }

    if (pugi::xml_attribute required = node.attribute("required")) {
      const std::string_view value = required.value();
      if (value == "true") {
        field.required = true;
      } else if (value != "false") {
        Error(line, where + ": required must be \"true\" or \"false\", got " + Quote(value));
      }
    }
    if (pugi::xml_attribute affirmed = node.attribute("affirmed")) {
      const std::string_view value = affirmed.value();
      if (value == "true") {
        field.affirmed = true;
      } else if (value != "false") {
        Error(line, where + ": affirmed must be \"true\" or \"false\", got " + Quote(value));
      }
      if (type_known && field.affirmed && field.type != FieldType::kBoolean) {
        Error(line, where + ": affirmed applies to boolean fields only");
      }
    }

    if (pugi::xml_attribute pattern = node.attribute("pattern")) {
      field.pattern = pattern.value();
      if (type_known && !TakesPattern(field.type)) {
        Error(line, where + ": pattern does not apply to this field type");
      }
      // libstdc++'s regex compiler overflows (undefined behaviour) on a
      // repetition count or back-reference of 19 digits, found by the form
      // fuzzer: a pattern is short and its numbers are at most 4 digits.
      const std::string& p = field.pattern;
      size_t digits = 0, longest_digits = 0;
      for (char c : p) {
        digits = (c >= '0' && c <= '9') ? digits + 1 : 0;
        longest_digits = std::max(longest_digits, digits);
      }
      if (p.size() > kMaxPatternBytes || longest_digits > 4) {
        Error(line, where + ": a pattern has at most " + std::to_string(kMaxPatternBytes) +
                        " bytes and numbers of at most 4 digits");
      } else {
        try {
          std::regex compiled(p, std::regex::ECMAScript);
          (void)compiled;
        } catch (const std::regex_error& e) {
          Error(line, where + ": pattern " + Quote(p) + " is not a valid regular expression (" + e.what() + ")");
        }
      }
    }

    if (pugi::xml_attribute max_length = node.attribute("max-length")) {
      field.max_length = ParsePositiveInt(max_length.value());
      if (!field.max_length) {
        Error(line, where + ": max-length must be a positive integer, got " + Quote(max_length.value()));
      } else if (type_known && !TakesMaxLength(field.type)) {
        Error(line, where + ": max-length does not apply to this field type");
      }
    }

    for (const char* bound : {"min", "max"}) {
      pugi::xml_attribute attribute = node.attribute(bound);
      if (!attribute) continue;
      const std::optional<double> value = ParseNumber(attribute.value());
      if (!value) {
        Error(line, where + ": " + bound + " must be a number, got " + Quote(attribute.value()));
        continue;
      }
      if (type_known && !TakesRange(field.type)) {
        Error(line, where + ": " + bound + " does not apply to this field type");
      } else if (type_known && IsListType(field.type) && (*value < 0 || *value != std::floor(*value))) {
        Error(line, where + ": " + bound + " of a list counts items and must be a whole number");
      }
      (std::string_view(bound) == "min" ? field.min : field.max) = value;
    }
    if (field.min && field.max && *field.min > *field.max) {
      Error(line, where + ": min is greater than max");
    }

    for (pugi::xml_node child : node.children()) {
      if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
        Error(Line(child), where + ": text is not allowed inside <field>");
        continue;
      }
      if (child.type() != pugi::node_element) continue;
      if (std::string_view(child.name()) != "option") {
        Error(Line(child), where + ": unknown element <" + std::string(child.name()) + "> (expected <option>)");
        continue;
      }
      ParseOption(child, where, field);
    }
    if (type_known && IsEnumType(field.type) && field.options.empty()) {
      Error(line, where + ": an enum field needs at least one <option>");
    } else if (type_known && !IsEnumType(field.type) && !field.options.empty()) {
      Error(line, where + ": <option> applies only to enum and enum_list fields");
    }
    form.fields.push_back(std::move(field));
  }

  void ParseOption(const pugi::xml_node& node, const std::string& field_where, FieldDefinition& field) {
    const std::string where = field_where + " <option>";
    CheckAttributes(node, {"value", "label"}, where);
    FieldOption option;
    if (auto value = Required(node, "value", where)) {
      if (!IsOptionValue(*value)) {
        Error(Line(node), where + ": value " + Quote(*value) + " must be letters, digits, '_', '.' or '-'");
      }
      for (const FieldOption& existing : field.options) {
        if (existing.value == *value) {
          Error(Line(node), where + ": duplicate option value " + Quote(*value));
          break;
        }
      }
      option.value = std::move(*value);
    }
    if (auto label = Required(node, "label", where)) option.label = std::move(*label);
    if (node.first_child()) Error(Line(node), where + ": <option> must be empty");
    field.options.push_back(std::move(option));
  }

  void ParseLetter(const pugi::xml_node& node, FormDefinition& form) {
    CheckAttributes(node, {}, "<letter>");
    std::string text;
    for (pugi::xml_node child : node.children()) {
      if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
        CheckPlaceholders(child.value(), Line(child), form);
        text += child.value();
      } else if (child.type() == pugi::node_element) {
        Error(Line(child), "<letter> may contain only text, found <" + std::string(child.name()) + ">");
      }
    }
    form.letter = NormaliseLetter(text);
    if (form.letter.empty()) Error(Line(node), "<letter> is empty");
  }

  // Every "{" must open a "{name}" placeholder naming a field of the form or
  // an engine-supplied value; a lone "}" is an error too.
  void CheckPlaceholders(std::string_view text, int first_line, const FormDefinition& form) {
    int line = first_line;
    for (size_t i = 0; i < text.size(); ++i) {
      const char c = text[i];
      if (c == '\n') {
        ++line;
      } else if (c == '}') {
        Error(line, "<letter>: \"}\" without a matching \"{\"");
      } else if (c == '{') {
        const size_t close = text.find_first_of("{}\n", i + 1);
        if (close == std::string_view::npos || text[close] != '}') {
          Error(line, "<letter>: unclosed \"{\"");
          continue;
        }
        const std::string_view name = text.substr(i + 1, close - i - 1);
        if (!IsName(name)) {
          Error(line, "<letter>: malformed placeholder " + Quote("{" + std::string(name) + "}"));
        } else if (!form.FindField(std::string(name)) && EngineSuppliedNames().count(name) == 0) {
          Error(line, "<letter>: placeholder {" + std::string(name) +
                          "} names no field of the form and no engine-supplied value "
                          "(subject, commitment_type_name, authority, date, case_id)");
        }
        i = close;
      }
    }
  }

  const std::string& xml_;
  LineIndex lines_;
  std::string file_;
  std::vector<FormLoadError>& errors_;
};

std::optional<FormDefinition> ParseWithExpectedId(const std::string& xml, const std::string& file,
                                                  const std::optional<std::string>& expected_id,
                                                  std::vector<FormLoadError>& errors) {
  try {
    return FormParser(xml, file, errors).Parse(expected_id);
  } catch (const std::exception& e) {
    errors.push_back({file, 0, std::string("cannot load the form: ") + e.what()});
    return std::nullopt;
  }
}

}  // namespace

std::string FormLoadError::ToString() const {
  if (line <= 0) return file + ": " + message;
  return file + ":" + std::to_string(line) + ": " + message;
}

std::optional<forms::FormDefinition> ParseFormDefinition(const std::string& xml, const std::string& file,
                                                         std::vector<FormLoadError>& errors) {
  return ParseWithExpectedId(xml, file, std::nullopt, errors);
}

FormLoadResult LoadFormDirectory(const std::string& dir) {
  namespace fs = std::filesystem;
  FormLoadResult result;
  try {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
      result.errors.push_back({dir, 0, "not a readable folder of form definitions"});
      return result;
    }
    std::vector<fs::path> files;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      const fs::path& path = it->path();
      std::error_code type_ec;
      if (path.extension() == ".xml" && it->is_regular_file(type_ec)) files.push_back(path);
    }
    if (ec) {
      result.errors.push_back({dir, 0, "cannot list the folder: " + ec.message()});
      return result;
    }
    std::sort(files.begin(), files.end());

    for (const fs::path& path : files) {
      const std::string file = path.string();
      const std::optional<std::string> xml = ReadFileBytes(file);
      if (!xml) {
        result.errors.push_back({file, 0, "cannot read the file"});
        continue;
      }
      if (xml->size() > kMaxXmlFileBytes) {
        result.errors.push_back(
            {file, 0,
             "the file has more than " + std::to_string(kMaxXmlFileBytes) + " bytes, the most a form may have"});
        continue;
      }
      std::optional<FormDefinition> form = ParseWithExpectedId(*xml, file, path.stem().string(), result.errors);
      if (!form) continue;
      if (result.registry.Find(form->id)) {
        result.errors.push_back({file, 1, "form id " + Quote(form->id) + " is defined twice"});
        continue;
      }
      result.registry.Add(std::move(*form));
    }
  } catch (const std::exception& e) {
    result.errors.push_back({dir, 0, std::string("cannot load forms: ") + e.what()});
  }
  return result;
}

}  // namespace credflow::adapters
