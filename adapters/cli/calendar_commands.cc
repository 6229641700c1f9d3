// `credflow calendar show YEAR` and `credflow calendar import FILE`: the
// working-day calendar an operator reads, and the State Council notice an
// operator adds when it comes out (every provisional deadline is then
// counted again, see engine/deadlines.h).
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <system_error>

#include "adapters/cli/commands.h"
#include "adapters/xml/policy_loader.h"
#include "adapters/xml/xml_file_reader.h"
#include "engine/deadlines.h"
#include "policies/calendar_rules.h"

namespace credflow::adapters::cli {
namespace {

namespace fs = std::filesystem;
using engine::Json;

const char* KindName(policies::CalendarYear::Kind kind) {
  return kind == policies::CalendarYear::Kind::kOfficial ? "official" : "provisional";
}

std::string KnownYears(const policies::WorkingCalendar& calendar) {
  std::string text = "official " + std::to_string(calendar.first_year()) + "-" + std::to_string(calendar.last_year());
  const std::vector<int> provisional = calendar.provisional_years();
  if (!provisional.empty()) {
    text += "; provisional " + std::to_string(provisional.front()) + "-" + std::to_string(provisional.back());
  }
  return text;
}

int Show(const GlobalOptions& g, int year, bool json) {
  std::unique_ptr<engine::Clock> clock = MakeClock(g);
  if (!clock) return kExitUnusable;
  std::unique_ptr<LoadedRules> rules = LoadRulesOrExplain(g);
  if (!rules) return kExitUnusable;
  const policies::WorkingCalendar& calendar = rules->calendar;
  const std::optional<policies::CalendarYear> y = calendar.Year(year);
  if (!y) {
    std::cerr << "credflow: the calendar does not know " << year << " (" << KnownYears(calendar) << ")\n";
    return kExitFailed;
  }
  const int through = policies::ProvisionalThroughYear(rules->policies, clock->Today());
  const bool usable = y->kind == policies::CalendarYear::Kind::kOfficial || year <= through;
  Json holidays = Json::array();
  for (const policies::HolidayBlock& b : y->holidays) {
    holidays.push_back({{"name", b.name},
                        {"from", b.from.ToString()},
                        {"to", b.to.ToString()},
                        {"days", b.to.days_since_epoch() - b.from.days_since_epoch() + 1}});
  }
  Json make_up = Json::array();
  for (const auto& [date, reason] : y->make_up_days) make_up.push_back({{"date", date.ToString()}, {"reason", reason}});
  if (json) {
    std::cout << Json{{"year", year},
                      {"status", KindName(y->kind)},
                      {"usable_today", usable},
                      {"source", y->source},
                      {"holidays", holidays},
                      {"make_up_days", make_up},
                      {"calendar", {{"version", calendar.version()}, {"hash", calendar.content_hash()}}}}
                     .dump(2)
              << "\n";
    return kExitOk;
  }
  std::cout << year << "  " << KindName(y->kind);
  if (y->kind == policies::CalendarYear::Kind::kProvisional) {
    std::cout << " (no State Council notice loaded: statutory holidays, weekends off, no make-up days; deadlines "
              << (usable ? "counted on it are marked provisional)" : "reaching it are refused today)");
  }
  std::cout << "\nsource    " << y->source << "\ndays off\n";
  for (const Json& h : holidays) {
    const std::string from = h["from"].get<std::string>();
    const std::string to = h["to"].get<std::string>();
    std::cout << "  " << (from == to ? from : from + ".." + to) << "  " << h["name"].get<std::string>() << " ("
              << h["days"].get<int64_t>() << (h["days"].get<int64_t>() == 1 ? " day" : " days") << ")\n";
  }
  std::cout << "make-up working days\n";
  if (make_up.empty()) std::cout << "  none\n";
  for (const Json& m : make_up) {
    std::cout << "  " << m["date"].get<std::string>() << "  " << m["reason"].get<std::string>() << "\n";
  }
  std::cout << "calendar  " << calendar.version() << "  sha256 " << calendar.content_hash().substr(0, 12) << "\n";
  return kExitOk;
}

// The name the imported notice gets in the calendar folder.
std::string ImportedName(const policies::WorkingCalendar& notice) {
  const int first = notice.first_year();
  const int last = notice.last_year();
  return "cn-" + std::to_string(first) + (first == last ? "" : "-" + std::to_string(last)) + ".xml";
}

// False when it cannot be read or is larger than a rule file may be.
bool ReadFile(const std::string& path, std::string* bytes) {
  std::optional<std::string> read = ReadFileBytes(path);
  if (!read || read->size() > kMaxXmlFileBytes) return false;
  *bytes = std::move(*read);
  return true;
}

void PrintReport(const engine::RecountReport& r) {
  std::cout << "deadlines counted again: " << r.examined << " (moved " << r.moved << ", confirmed " << r.confirmed
            << ", still provisional " << r.still_provisional << ", left " << r.left << ")\n";
  for (const std::string& p : r.problems) std::cerr << "credflow: " << p << "\n";
}

int Import(const GlobalOptions& g, const std::string& file, bool replace) {
  // The notice on its own: well-formed, and nothing but notices.
  CalendarLoadResult notice = LoadCalendar(file);
  for (const policies::PolicyError& e : notice.errors) std::cerr << e.ToString() << "\n";
  if (!notice.errors.empty()) return kExitUnusable;
  if (notice.calendar.last_year() == 0 || !notice.calendar.provisional_years().empty()) {
    std::cerr << "credflow: " << file << " is not a <calendar> of State Council notices\n";
    return kExitUnusable;
  }
  const std::string folder = Paths(g).calendar_path;
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) {
    std::cerr << "credflow: the calendar folder " << folder << " is not a folder\n";
    return kExitUnusable;
  }
  std::string bytes;
  if (!ReadFile(file, &bytes)) {
    std::cerr << "credflow: cannot read " << file << "\n";
    return kExitUnusable;
  }
  const fs::path target = fs::path(folder) / ImportedName(notice.calendar);
  std::string existing;
  const bool exists = fs::exists(target, ec);
  if (exists && ReadFile(target.string(), &existing) && existing == bytes) {
    std::cout << "already imported as " << target.string() << "\n";
  } else if (exists && !replace) {
    std::cerr << "credflow: " << target.string()
              << " holds another version of this notice; pass --replace to put this one in its place\n";
    return kExitFailed;
  } else {
    // Written beside the target and renamed over it, so that a process
    // starting meanwhile reads the old file or the new one, never half.
    const fs::path staging = target.string() + ".importing";
    {
      std::ofstream out(staging, std::ios::binary | std::ios::trunc);
      out << bytes;
      if (!out.flush()) {
        std::cerr << "credflow: cannot write " << staging.string() << "\n";
        return kExitUnusable;
      }
    }
    const fs::path backup = target.string() + ".replaced";
    if (exists) fs::rename(target, backup, ec);
    fs::rename(staging, target, ec);
    if (ec) {
      std::cerr << "credflow: cannot put the notice in place: " << ec.message() << "\n";
      return kExitUnusable;
    }
    // The folder as a whole must still load (no year defined twice, ...).
    CalendarLoadResult whole = LoadCalendar(folder);
    if (!whole.errors.empty()) {
      for (const policies::PolicyError& e : whole.errors) std::cerr << e.ToString() << "\n";
      std::error_code undo;
      fs::remove(target, undo);
      if (exists) fs::rename(backup, target, undo);
      std::cerr << "credflow: not imported; the calendar folder is as it was\n";
      return kExitUnusable;
    }
    if (exists) fs::remove(backup, ec);
    std::cout << "imported " << KnownYears(notice.calendar) << " as " << target.string() << " (calendar "
              << whole.calendar.version() << ", sha256 " << whole.calendar.content_hash().substr(0, 12) << ")\n";
  }
  std::unique_ptr<Engine> e = StartEngine(g);
  if (!e) return kExitUnusable;
  engine::Result<engine::RecountReport> report =
      engine::RecountProvisionalDeadlines(*e->store, e->rules->book(), *e->clock);
  if (!report.ok()) return PrintStatus(report.status()), kExitFailed;
  PrintReport(*report);
  return report->left == 0 ? kExitOk : kExitFailed;
}

struct CalendarFlags {
  int year = 0;
  bool json = false;
  std::string file;
  bool replace = false;
};

}  // namespace

void AddCalendarCommands(CLI::App& app, const GlobalOptions& g, int& exit_code) {
  CLI::App* calendar = app.add_subcommand("calendar", "the working-day calendar: show a year, import a notice");
  calendar->require_subcommand(1);

  auto o = std::make_shared<CalendarFlags>();
  CLI::App* show = calendar->add_subcommand("show", "a year's days off and make-up days, official or provisional");
  show->add_option("YEAR", o->year, "the year")->required()->check(CLI::Range(1, 9999));
  show->add_flag("--json", o->json, "as JSON");
  show->callback([o, &g, &exit_code] { exit_code = Show(g, o->year, o->json); });

  CLI::App* import = calendar->add_subcommand(
      "import", "add a State Council holiday notice (calendar XML) and count every provisional deadline again");
  import->add_option("FILE", o->file, "a <calendar> file with the notice's <year>")->required();
  import->add_flag("--replace", o->replace, "replace an imported notice of the same years (an amended notice)");
  import->callback([o, &g, &exit_code] { exit_code = Import(g, o->file, o->replace);
});
}  // namespace credflow::adapters::cli

void RecountDeadlinesAtStartUp(Engine& e) {
  engine::Result<engine::RecountReport> report =
      engine::RecountProvisionalDeadlines(*e.store, e.rules->book(), *e.clock);
  if (!report.ok()) {
    std::cerr << "credflow: provisional deadlines not counted again: " << report.status().ToString() << "\n";
    return;
  }
  if (report->examined > 0 || report->left > 0) PrintReport(*report);
}

}  // namespace credflow::adapters::cli
