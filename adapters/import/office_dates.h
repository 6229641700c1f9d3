// Dates as offices write them in spreadsheets (Excel in China): 2026-03-01,
// 2026/3/1, 2026.3.1 or 2026年3月1日. Shared by the CSV importers.
//
// Pure functions; safe from any thread.
#pragma once

#include <optional>
#include <string>

namespace credflow::adapters::importer {

// The date as YYYY-MM-DD; nullopt when the text is none of the forms above
// or the day does not exist (2026/2/30).
std::optional<std::string> NormalizedOfficeDate(const std::string& text);

// The forms accepted, for messages: "2026-03-01, 2026/3/1 or 2026年3月1日".
inline constexpr const char* kOfficeDateForms = "2026-03-01, 2026/3/1 or 2026年3月1日";

}  // namespace credflow::adapters::importer
