// Loads form definitions (commitment letters, ...) from XML files into a
// forms::FormRegistry, checking each definition as it goes: the XML format is
// described in forms/definitions/README.md. Problems are collected, each with
// the file and line it was found on, instead of stopping at the first one;
// pugixml stays inside the .cc file.
//
// Stateless functions: safe to call from several threads at once. The
// registry they return is immutable in use and may then be shared.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "forms/form.h"

namespace credflow::adapters {

// One problem in a form file. `line` is 1-based; 0 when the problem concerns
// the file (or folder) as a whole.
struct FormLoadError {
  std::string file;
  int line = 0;
  std::string message;

  // "file:line: message" (or "file: message" when line is 0).
  std::string ToString() const;
};

struct FormLoadResult {
  // Every form that loaded without error; a form with any error is left out.
  forms::FormRegistry registry;
  std::vector<FormLoadError> errors;

  bool ok() const { return errors.empty(); }
};

// Loads every *.xml file directly inside `dir` (in file-name order; other
// files such as README.md are ignored). Each form's id must equal its file's
// stem, and ids must be unique. A missing or unreadable folder gives one
// error with line 0 and an empty registry. Never throws.
FormLoadResult LoadFormDirectory(const std::string& dir);

// Parses one form definition from `xml`; `file` names it in errors and in
// FormDefinition::file. Returns the form if it is free of errors, otherwise
// nullopt with the problems appended to `errors`. Does not check the id
// against the file name (LoadFormDirectory does). Never throws.
std::optional<forms::FormDefinition> ParseFormDefinition(const std::string& xml, const std::string& file,
                                                         std::vector<FormLoadError>& errors);

}  // namespace credflow::adapters
