// Shared pieces of the credflow command line (see cli_support.h).
#include "adapters/cli/cli_support.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <iostream>

#include "adapters/import/text_encoding.h"
#include "adapters/input/bounded_file.h"
#include "adapters/input/bounded_json.h"
#include "workflows/registry.h"

namespace credflow::adapters::cli {

using engine::Json;

std::string DateProblem(const std::string& text) {
  if (policies::Date::Parse(text)) return "";
  const bool shaped = text.size() == 10 && text[4] == '-' && text[7] == '-' &&
                      std::all_of(text.begin(), text.end(), [](char c) { return c == '-' || (c >= '0' && c <= '9'); });
  if (!shaped) return "'" + text + "' is not a date: expected YYYY-MM-DD";
  const int year = std::stoi(text.substr(0, 4)), month = std::stoi(text.substr(5, 2));
  if (month < 1 || month > 12) return text + " does not exist: there is no month " + std::to_string(month);
  static const char* const kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                                        "July",    "August",   "September", "October", "November", "December"};
  return text + " does not exist: " + kMonths[month - 1] + " " + std::to_string(year) + " has " +
         std::to_string(policies::Date::DaysInMonth(year, month)) + " days";
}

CLI::Validator ExistingDate() { return CLI::Validator(DateProblem, "YYYY-MM-DD", "ExistingDate"); }

CLI::Validator ClockDate() {
  return CLI::Validator(
      [](const std::string& text) -> std::string {
        if (std::string problem = DateProblem(text); !problem.empty()) return problem;
        if (engine::IsClockDate(*policies::Date::Parse(text))) return "";
        return text + " is outside the years a clock may be set to (" + std::to_string(engine::kFirstClockYear) + "-" +
               std::to_string(engine::kLastClockYear) + ")";
      },
      "YYYY-MM-DD", "ClockDate");
}

CLI::Validator CaseVersion() {
  return CLI::Validator(
      [](const std::string& text) -> std::string {
        long long v = 0;
        const char* end = text.data() + text.size();
        auto [at, ec] = std::from_chars(text.data(), end, v);
        if (text.empty() || ec != std::errc() || at != end || v < 1) {
          return "a case version is a whole number from 1 to 9223372036854775807, not '" + text + "'";
        }
        return "";
      },
      "VERSION", "CaseVersion");
}

CLI::Validator NotEmpty() {
  return CLI::Validator([](const std::string& text) -> std::string { return text.empty() ? "must not be empty" : ""; },
                        "", "NotEmpty");
}

std::string DatabaseUrl(const GlobalOptions& g) {
  if (!g.database.empty()) return g.database;
  if (const char* env = std::getenv("CREDFLOW_DATABASE"); env != nullptr && *env != '\0') return env;
  return "sqlite:credflow.db";
}

RulePaths Paths(const GlobalOptions& g) {
  if (!g.home.empty()) {
    return RulePaths{g.home + "/policies/definitions", g.home + "/policies/calendars", g.home + "/forms/definitions"};
  }
  return DefaultRulePaths();
}

std::unique_ptr<LoadedRules> LoadRulesOrExplain(const GlobalOptions& g) {
  std::unique_ptr<LoadedRules> rules = LoadRules(Paths(g));
  if (!rules->ok()) {
    std::cerr << "credflow: refusing to start: the rule book has " << rules->errors.size() << " error(s):\n";
    for (const std::string& e : rules->errors) std::cerr << "  " << e << "\n";
    return nullptr;
  }
  return rules;
}

std::unique_ptr<SociCaseStore> OpenStoreOrExplain(const GlobalOptions& g, bool migrate, std::size_t pool_size) {
  StoreOptions options;
  options.migrate = migrate;
  options.pool_size = pool_size;
  options.group_commit = !g.no_group_commit;
  engine::Result<std::unique_ptr<SociCaseStore>> store = SociCaseStore::Open(DatabaseUrl(g), options);
  if (!store.ok()) {
    std::cerr << "credflow: cannot open the store: " << store.status().ToString() << "\n";
    return nullptr;
  }
  return std::move(*store);
}

std::unique_ptr<engine::Clock> MakeClock(const GlobalOptions& g) {
  if (g.clock_date.empty()) return std::make_unique<engine::SystemClock>();
  std::optional<policies::Date> date = policies::Date::Parse(g.clock_date);
  if (!date) {
    std::cerr << "credflow: --clock-date: " << DateProblem(g.clock_date) << "\n";
    return nullptr;
  }
  auto clock = std::make_unique<engine::ManualClock>();
  clock->SetDate(*date);
  return clock;
}

std::unique_ptr<Engine> StartEngine(const GlobalOptions& g, std::size_t pool_size) {
  std::unique_ptr<engine::Clock> clock = MakeClock(g);
  if (!clock) return nullptr;
  auto e = std::make_unique<Engine>();
  e->clock = std::move(clock);
  e->rules = LoadRulesOrExplain(g);
  if (!e->rules) return nullptr;
  e->store = OpenStoreOrExplain(g, /*migrate=*/true, pool_size);
  if (!e->store) return nullptr;
  workflows::RegisterAll(e->workflows);
  e->service = std::make_unique<engine::CaseService>(e->store.get(), &e->workflows, e->rules->book(), e->clock.get());
  return e;
}

void PrintStatus(const engine::Status& st) { std::cerr << "credflow: " << st.ToString() << "\n"; }

void PrintBreak(const engine::ChainBreak& b) {
  std::cout << "BROKEN case " << b.case_id << " at event " << b.seq << " (" << b.event << "): " << b.problem << "\n";
}

std::optional<Json> ParseJsonArgument(const std::string& text, const char* what) {
  if (text.empty()) return Json::object();
  std::string content = text;
  std::string where = what;
  if (text[0] == '@') {
    // Read no more than the decoder accepts, plus one byte to tell "too large".
    const std::string path = text.substr(1);
    std::optional<std::string> read = input::ReadFileAtMost(path, input::kMaxJsonDocumentBytes);
    if (!read) {
      std::cerr << "credflow: " << what << ": cannot read " << path << "\n";
      return std::nullopt;
    }
    content = std::move(*read);
    where = std::string(what) + " file " + path;
  }
  engine::Result<Json> j = input::DecodeJson(content, where);
  if (!j.ok()) {
    std::cerr << "credflow: " << j.status().reason() << ": " << j.status().message() << "\n";
    return std::nullopt;
  }
  if (!j->is_object()) {
    std::cerr << "credflow: " << what << " must be a JSON object (or @file holding one)\n";
    return std::nullopt;
  }
  return std::move(*j);
}

std::optional<std::string> NonUtf8Argument(int argc, const char* const* argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const std::optional<size_t> bad = importer::FirstInvalidUtf8Byte(arg);
    if (!bad) continue;
    std::string which = "argument " + std::to_string(i);
    const size_t equals = arg.find('=');
    if (arg.substr(0, 2) == "--" && equals != std::string_view::npos && *bad > equals) {
      which = "the value of " + std::string(arg.substr(0, equals));  // --name=VALUE
    } else if (i > 1 && argv[i - 1][0] == '-' && !arg.empty() && arg[0] != '-') {
      which = std::string("the value of ") + argv[i - 1];  // --name VALUE
    }
    return which + " is not valid UTF-8 (byte " + std::to_string(*bad) +
           " of it); pass text in UTF-8 (a file in GB 18030 is read with --encoding gb18030 where a command "
           "takes one)";
  }
  return std::nullopt;
}

std::string CliKey(const std::string& user, const std::string& key) {
  return key.empty() ? std::string() : "cli:" + user + ":" + key;
}

int PrintResult(const engine::Result<engine::CommandResult>& r) {
  if (!r.ok()) return PrintStatus(r.status()), kExitFailed;
  std::cout << r->ToJson().dump() << (r->replayed ? "  (idempotent replay)" : "") << "\n";
  return kExitOk;
}

}  // namespace credflow::adapters::cli
