// `credflow verification plan`: the seeded verification draw, shown before
// it is committed, and committed on request.
#include <iomanip>
#include <iostream>

#include "adapters/cli/commands.h"
#include "workflows/verification/verification_workflow.h"

namespace credflow::adapters::cli {
namespace {

int PlanCommand(const GlobalOptions& g, const std::string& date_text, const std::string& seed, bool commit, bool json) {
  std::optional<policies::Date> date = policies::Date::Parse(date_text);
  if (!date) {
    std::cerr << "credflow: --date must be YYYY-MM-DD\n";
    return kExitUnusable;
  }
  if (commit && !seed.empty()) {
    std::cerr << "credflow: a committed plan draws with the seed derived from its date, so that nobody chooses it; "
                 "--seed is for what-if previews only\n";
    return kExitUnusable;
  }
  std::unique_ptr<Engine> e = StartEngine(g);
  if (!e) return kExitUnusable;
  if (commit && *date != e->clock->Today()) {
    std::cerr << "credflow: the plan of " << date->ToString() << " can only be committed on that day (today is "
              << e->clock->Today().ToString() << ")\n";
    return kExitUnusable;
  }
  engine::Result<workflows::verification::Plan> plan =
      workflows::verification::MakePlan(*e->store, e->rules->book(), *date, seed);
  if (!plan.ok()) return PrintStatus(plan.status()), kExitFailed;

  int selected = 0;
  nlohmann::json entries = nlohmann::json::array();
  for (const auto& p : plan->entries) {
    selected += p.selected;
    entries.push_back({{"case", p.case_id},
                       {"subject", p.subject},
                       {"commitment_type", p.commitment_type},
                       {"grade", p.grade},
                       {"ratio", p.ratio},
                       {"verified_in_cycle", p.verified_in_cycle},
                       {"u", p.u},
                       {"selected", p.selected},
                       {"reason", p.reason}});
  }
  if (json) {
    std::cout << nlohmann::json{{"date", plan->date}, {"seed", plan->seed}, {"entries", entries}}.dump(2) << "\n";
  } else {
    std::cout << "verification plan for " << plan->date << ", seed \"" << plan->seed << "\"\n"
              << "u = first 8 bytes of SHA-256(seed \":\" case) / 2^64; selected when u < ratio, unless the\n"
              << "grade's per-cycle limit is used up\n\n";
    std::printf("  %-36s %-18s %-36s %5s %6s %6s %9s  %s\n", "case", "subject", "commitment type", "grade", "ratio",
                "cycle", "u", "decision");
    for (const auto& p : plan->entries) {
      std::printf("  %-36s %-18s %-36s %5s %6.2f %6d %9.6f  %s (%s)\n", p.case_id.c_str(), p.subject.c_str(),
                  p.commitment_type.c_str(), p.grade.c_str(), p.ratio, p.verified_in_cycle, p.u,
                  p.selected ? "verify" : "exempt", p.reason.c_str());
    }
    std::cout << "\n"
              << plan->entries.size() << " awaiting a draw, " << selected << " to verify, "
              << plan->entries.size() - selected << " exempted\n";
  }
  if (!commit) {
    if (!json) std::cout << "(not committed: run again with --commit to apply this plan)\n";
    return kExitOk;
  }
  engine::Result<int> drawn =
      workflows::verification::CommitPlan(*e->service, *date, engine::Actor{"cli", "caseworker", ""});
  if (!drawn.ok()) return PrintStatus(drawn.status()), kExitFailed;
  if (!json) std::cout << "committed: " << *drawn << " draw(s) recorded in the cases' histories\n";
  return kExitOk;
}

}  // namespace

void AddVerificationCommands(CLI::App& app, const GlobalOptions& g, int& exit_code) {
  CLI::App* verification = app.add_subcommand("verification", "commitment verification (承诺核查)");
  verification->require_subcommand(1);
  auto date = std::make_shared<std::string>();
  auto seed = std::make_shared<std::string>();
  auto commit = std::make_shared<bool>(false);
  auto json = std::make_shared<bool>(false);
  CLI::App* plan = verification->add_subcommand(
      "plan", "show the seeded draw of which commitments to verify (who, which ratio, why); --commit applies it");
  plan->add_option("--date", *date, "the plan date (YYYY-MM-DD): commitments decided up to then")->required();
  plan->add_option("--seed", *seed,
                   "preview the draw under another seed (what-if only; a committed plan always uses \"plan:<date>\")");
  plan->add_flag("--commit", *commit,
                 "apply the plan of today, seed \"plan:<date>\" (recorded in each case's history; idempotent)");
  plan->add_flag("--json", *json, "print JSON");
  plan->callback(
      [&g, &exit_code, date, seed, commit, json] { exit_code = PlanCommand(g, *date, *seed, *commit, *json); });
}

}  // namespace credflow::adapters::cli
