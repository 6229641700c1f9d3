// `credflow ledger draw`: the 屡禁不止 remediation ledger drawn today (new
// entries screened, classified and put to work; entries whose subject no
// longer meets the rule exit). `credflow ledger report`: the exit rate on a
// day against the policy's targets, in total and per department.
#include <cstdio>
#include <iostream>

#include "adapters/cli/commands.h"
#include "workflows/remediation_ledger/ledger_workflow.h"

namespace credflow::adapters::cli {
namespace {

namespace ledger = workflows::remediation_ledger;

struct LedgerOptions {
  std::string date, official, department, as_of, user = "cli";
  bool json = false;
};

int Draw(const GlobalOptions& g, const LedgerOptions& o) {
  std::unique_ptr<Engine> e = StartEngine(g);
  if (!e) return kExitUnusable;
  if (!o.date.empty() && o.date != e->clock->Today().ToString()) {
    std::cerr << "credflow: the ledger of " << o.date << " can only be drawn on that day (today is "
              << e->clock->Today().ToString() << "; --clock-date sets the day for a replay or a test)\n";
    return kExitUnusable;
  }
  ledger::DrawRequest request;
  request.official = o.official;
  request.department = o.department;
  request.actor = engine::Actor{o.user, "caseworker", ""};
  engine::Result<ledger::DrawResult> r = ledger::DrawLedger(*e->service, request);
  if (!r.ok()) return PrintStatus(r.status()), kExitFailed;
  if (o.json) {
    std::cout << nlohmann::json{{"date", e->clock->Today().ToString()},
                                {"subjects", r->subjects},
                                {"met", r->met},
                                {"entered", r->entered},
                                {"screened_out", r->screened_out},
                                {"already", r->already},
                                {"exited", r->exited},
                                {"opened", r->opened}}
                     .dump(2)
              << "\n";
    return kExitOk;
  }
  std::printf(
      "ledger drawn on %s: %d subject(s) looked at, %d meet the entry rule: %d entered, %d screened out, "
      "%d already in the ledger; %d exited\n",
      e->clock->Today().ToString().c_str(), r->subjects, r->met, r->entered, r->screened_out, r->already, r->exited);
  return kExitOk;
}

int Report(const GlobalOptions& g, const LedgerOptions& o) {
  std::unique_ptr<Engine> e = StartEngine(g);
  if (!e) return kExitUnusable;
  const policies::Date as_of = o.as_of.empty() ? e->clock->Today() : *policies::Date::Parse(o.as_of);
  engine::Result<ledger::ExitRateReport> r = ledger::ReportExitRate(*e->service, as_of);
  if (!r.ok()) return PrintStatus(r.status()), kExitFailed;
  if (o.json) {
    std::cout << r->ToJson().dump(2) << "\n";
    return kExitOk;
  }
  auto line = [](const char* name, const ledger::ExitRateLine& l) {
    // No entry, no rate: the targets say no_entries.
    if (l.entered == 0) return (void)std::printf("%-24s entered     0  exited %5d  rate     -\n", name, l.exited);
    std::printf("%-24s entered %5d  exited %5d  rate %5.1f%%\n", name, l.entered, l.exited, 100 * l.rate());
  };
  std::printf("remediation ledger, entries of %d, as of %s\n", as_of.year(), r->as_of.c_str());
  line("total", r->total);
  for (const auto& [dept, l] : r->by_department) line(dept.empty() ? "(no department)" : dept.c_str(), l);
  for (const auto& t : r->targets) {
    std::printf("target %s: %.0f%%  %s\n", t.by.c_str(), 100 * t.ratio, t.status.c_str());
  }
  return kExitOk;
}

}  // namespace

void AddLedgerCommands(CLI::App& app, const GlobalOptions& g, int& exit_code) {
  auto o = std::make_shared<LedgerOptions>();
  CLI::App* group = app.add_subcommand("ledger", "the 屡禁不止 remediation ledger: draw, report");
  group->require_subcommand(1);

  CLI::App* draw = group->add_subcommand("draw", "draw the ledger today by the remediation-ledger policy");
  draw->add_option("--date", o->date, "the day of the draw (must be today; YYYY-MM-DD)")->check(ExistingDate());
  draw->add_option("--official", o->official, "the named official responsible for the new entries (责任分包)");
  draw->add_option("--department", o->department, "the official's department (the report's grouping)");
  draw->add_option("--user", o->user, "acting user recorded in the history");
  draw->add_flag("--json", o->json, "print JSON");
  draw->callback([&g, &exit_code, o] { exit_code = Draw(g, *o); });

  CLI::App* report =
      group->add_subcommand("report", "the exit rate against the targets (80% by June, 100% by year end)");
  report->add_option("--as-of", o->as_of, "the day of the report (YYYY-MM-DD, default today)")->check(ExistingDate());
  report->add_flag("--json", o->json, "print JSON");
  report->callback([&g, &exit_code, o] { exit_code = Report(g, *o); });
}

}  // namespace credflow::adapters::cli
