// `credflow verification plan`: the seeded verification draw, shown before
// it is committed, and committed on request; `credflow verification replay`:
// a committed plan recomputed from the histories.
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
    nlohmann::json entry = {{"case", p.case_id},
                            {"subject", p.subject},
                            {"commitment_type", p.commitment_type},
                            {"grade", p.grade},
                            {"ratio", p.ratio},
                            {"mode", p.mode},
                            {"verified_in_cycle", p.verified_in_cycle},
                            {"selected", p.selected},
                            {"reason", p.reason}};
    if (p.quota) {
      entry["candidates"] = p.quota->candidates;
      entry["quota"] = p.quota->quota;
      entry["position"] = p.quota->position;
    } else {
      entry["u"] = p.u;
    }
    entries.push_back(std::move(entry));
  }
  nlohmann::json quotas = nlohmann::json::array();
  for (const auto& q : plan->quotas) {
    quotas.push_back({{"grade", q.grade},
                      {"policy_version", q.policy_version},
                      {"ratio", q.ratio},
                      {"candidates", q.candidates},
                      {"quota", q.quota},
                      {"candidates_sha256", q.candidates_sha256},
                      {"drawn", q.drawn}});
  }
  if (json) {
    std::cout
        << nlohmann::json{{"date", plan->date}, {"seed", plan->seed}, {"quotas", quotas}, {"entries", entries}}.dump(2)
        << "\n";
  } else {
    std::cout << "verification plan for " << plan->date << ", seed \"" << plan->seed << "\"\n"
              << "independent: u = first 8 bytes of SHA-256(seed \":\" case) / 2^64; selected when u < ratio\n"
              << "quota: round(ratio x N), halves away from zero, of the grade's N commitments, the first in a\n"
              << "Fisher-Yates shuffle by mt19937_64 seeded from SHA-256(seed \":quota:\" grade)\n"
              << "either way, a grade's per-cycle limit exempts first\n\n";
    for (const auto& q : plan->quotas) {
      std::printf("  grade %s (policy %s): quota %d = round(%.2f x %d), candidates sha256 %s\n", q.grade.c_str(),
                  q.policy_version.c_str(), q.quota, q.ratio, q.candidates, q.candidates_sha256.substr(0, 12).c_str());
      std::string drawn;
      for (const std::string& id : q.drawn) drawn += (drawn.empty() ? "" : ", ") + id;
      std::printf("    drawn: %s\n", drawn.empty() ? "(none)" : drawn.c_str());
    }
    if (!plan->quotas.empty()) std::cout << "\n";
    std::printf("  %-36s %-18s %-36s %5s %6s %-11s %6s %9s  %s\n", "case", "subject", "commitment type", "grade",
                "ratio", "mode", "cycle", "u | pos", "decision");
    for (const auto& p : plan->entries) {
      const std::string place = p.quota
                                    ? std::to_string(p.quota->position + 1) + "/" + std::to_string(p.quota->candidates)
                                    : std::to_string(p.u).substr(0, 8);
      std::printf("  %-36s %-18s %-36s %5s %6.2f %-11s %6d %9s  %s (%s)\n", p.case_id.c_str(), p.subject.c_str(),
                  p.commitment_type.c_str(), p.grade.c_str(), p.ratio, p.mode.c_str(), p.verified_in_cycle,
                  place.c_str(), p.selected ? "verify" : "exempt", p.reason.c_str());
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

// Recomputes a committed plan from the cases' histories (ReplayPlan).
int ReplayCommand(const GlobalOptions& g, const std::string& date_text, bool json) {
  std::optional<policies::Date> date = policies::Date::Parse(date_text);
  if (!date) {
    std::cerr << "credflow: --date must be an existing date, YYYY-MM-DD\n";
    return kExitUnusable;
  }
  std::unique_ptr<Engine> e = StartEngine(g);
  if (!e) return kExitUnusable;
  engine::Result<workflows::verification::PlanReplay> replay =
      workflows::verification::ReplayPlan(*e->store, e->rules->book(), workflows::verification::PlanSeed(*date));
  if (!replay.ok()) return PrintStatus(replay.status()), kExitFailed;
  if (json) {
    nlohmann::json quotas = nlohmann::json::array();
    for (const auto& q : replay->quotas) {
      quotas.push_back({{"grade", q.grade},
                        {"candidates", q.candidates},
                        {"quota", q.quota},
                        {"candidates_sha256", q.candidates_sha256},
                        {"drawn", q.drawn}});
    }
    std::cout << nlohmann::json{{"seed", replay->seed},
                                {"cases", replay->cases},
                                {"quotas", quotas},
                                {"drawn", replay->drawn},
                                {"reproduced", replay->reproduced()},
                                {"problems", replay->problems}}
                     .dump(2)
              << "\n";
  } else {
    for (const auto& q : replay->quotas) {
      std::cout << "grade " << q.grade << ": " << q.drawn.size() << " drawn of quota " << q.quota << " = round("
                << q.ratio << " x " << q.candidates << ")\n";
    }
    for (const std::string& p : replay->problems) std::cout << "DIFFERS " << p << "\n";
    std::cout << "verification replay: " << replay->cases << " draw(s) under seed \"" << replay->seed << "\", "
              << (replay->reproduced() ? "reproduced from the histories"
                                       : std::to_string(replay->problems.size()) + " disagreement(s)")
              << "\n";
  }
  return replay->reproduced() ? kExitOk : kExitFailed;
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
  plan->add_option("--date", *date, "the plan date (YYYY-MM-DD): commitments decided up to then")
      ->required()
      ->check(ExistingDate());
  plan->add_option("--seed", *seed,
                   "preview the draw under another seed (what-if only; a committed plan always uses \"plan:<date>\")");
  plan->add_flag("--commit", *commit,
                 "apply the plan of today, seed \"plan:<date>\" (recorded in each case's history; idempotent)");
  plan->add_flag("--json", *json, "print JSON");
  plan->callback(
      [&g, &exit_code, date, seed, commit, json] { exit_code = PlanCommand(g, *date, *seed, *commit, *json); });
  CLI::App* replay = verification->add_subcommand(
      "replay", "recompute a committed plan from the cases' histories alone (an auditor's check of the draw)");
  replay->add_option("--date", *date, "the date of the committed plan (YYYY-MM-DD)")->required()->check(ExistingDate());
  replay->add_flag("--json", *json, "print JSON");
  replay->callback([&g, &exit_code, date, json] { exit_code = ReplayCommand(g, *date, *json); });
}

}  // namespace credflow::adapters::cli
