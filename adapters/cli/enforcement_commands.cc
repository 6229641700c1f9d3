// `credflow enforcement report`: a violation found by an officer, triaged at
// once by the discretion table in force (首违不罚、轻微免罚、信用+); the
// rectification is then confirmed with `case event ID RectificationConfirmed`.
#include <memory>
#include <string>
#include <vector>

#include "adapters/cli/cli_support.h"
#include "adapters/cli/commands.h"
#include "workflows/enforcement/enforcement_workflow.h"

namespace credflow::adapters::cli {
namespace {

struct ReportOptions {
  std::string code, violation, harm, department, findings, tier, decision_number, user = "cli", key;
  bool no_fault = false, harm_reduced = false, commitment = false, on_the_spot = false;
  int rectification_days = 0;
  std::vector<std::string> penalties;
  double amount = -1;
};

int Report(const GlobalOptions& g, const ReportOptions& o) {
  nlohmann::json report = {{"violation", o.violation},
                           {"harm", o.harm},
                           {"fault", !o.no_fault},
                           {"harm_reduced", o.harm_reduced},
                           {"rectification_commitment", o.commitment},
                           {"procedure", o.on_the_spot ? "on_the_spot" : "ordinary"}};
  if (o.rectification_days > 0) report["rectification_days"] = o.rectification_days;
  if (!o.department.empty()) report["department"] = o.department;
  if (!o.findings.empty()) report["findings"] = o.findings;
  if (!o.penalties.empty()) report["penalties"] = o.penalties;
  if (o.amount >= 0) report["amount"] = o.amount;
  if (!o.tier.empty()) report["tier"] = o.tier;
  if (!o.decision_number.empty()) report["decision_number"] = o.decision_number;
  workflows::enforcement::ReportViolationRequest request;
  request.subject = o.code;
  request.report = std::move(report);
  request.actor = engine::Actor{o.user, "caseworker", ""};
  request.idempotency_key = CliKey(o.user, o.key);
  std::unique_ptr<Engine> e = StartEngine(g);
  if (!e) return kExitUnusable;
  return PrintResult(workflows::enforcement::ReportViolation(*e->service, request));
}

}  // namespace

void AddEnforcementCommands(CLI::App& app, const GlobalOptions& g, int& exit_code) {
  CLI::App* group = app.add_subcommand(
      "enforcement",
      "graded lenient enforcement (首违不罚、轻微免罚、信用+): report a violation to the discretion table");
  group->require_subcommand(1);
  auto o = std::make_shared<ReportOptions>();
  CLI::App* report = group->add_subcommand(
      "report", "report a violation; the decision table in force decides or orders rectification (the row is kept)");
  report->add_option("CODE", o->code, "unified social credit code of the subject")->required();
  report->add_option("--violation", o->violation, "a code of a violation catalogue in force")->required();
  report->add_option("--harm", o->harm, "none, slight or serious")
      ->required()
      ->check(CLI::IsMember({"none", "slight", "serious"}));
  report->add_flag("--no-fault", o->no_fault, "sufficient proof of no subjective fault (art 33(2))");
  report->add_flag("--harm-reduced", o->harm_reduced, "the harm was actively removed or reduced (art 32)");
  report->add_flag("--commitment", o->commitment, "the 信用+ written rectification commitment was given");
  report->add_option("--rectification-days", o->rectification_days, "the period the order sets (calendar days)")
      ->check(CLI::Range(1, 365));
  report->add_flag("--on-the-spot", o->on_the_spot, "the on-the-spot (simple) procedure");
  report->add_option("--department", o->department, "the deciding department (default: the policy's)");
  report->add_option("--penalty", o->penalties, "should a penalty follow: warning, fine, ... (repeatable)");
  report->add_option("--amount", o->amount, "the fine in yuan")->check(CLI::Range(0.0, 1e12));
  report->add_option("--tier", o->tier, "light, general or serious")
      ->check(CLI::IsMember({"light", "general", "serious"}));
  report->add_option("--decision-number", o->decision_number, "the decision's document number (文号)");
  report->add_option("--findings", o->findings, "what was found");
  report->add_option("--user", o->user, "acting user recorded in the history");
  report->add_option("--idempotency-key", o->key, "apply at most once under this key");
  report->callback([&g, &exit_code, o] { exit_code = Report(g, *o); });
}

}  // namespace credflow::adapters::cli
