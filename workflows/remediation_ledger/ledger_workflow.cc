#include "workflows/remediation_ledger/ledger_workflow.h"

#include <algorithm>
#include <cstdio>
#include <future>
#include <iterator>

#include "engine/authorization.h"
#include "policies/ledger_rules.h"
#include "policies/repair_rules.h"
#include "workflows/common/action_helpers.h"
#include "workflows/common/msm_workflow.h"
#include "workflows/remediation_ledger/ledger_machine.h"
#include "workflows/subject/grading.h"

namespace credflow::workflows::remediation_ledger {
namespace {

using engine::Json;
using engine::Status;
using policies::Date;

// Bump when a state is renamed or removed (stored cases name their states).
constexpr int kDefinitionVersion = 1;

// New entries opened per transaction by a draw.
constexpr size_t kDrawBatch = 100;
// Subjects whose facts a draw reads at once.
constexpr size_t kFactsChunk = 256;

class LedgerWorkflow final : public MsmWorkflow<LedgerMachine> {
 public:
  LedgerWorkflow() : MsmWorkflow(kWorkflowName, kDefinitionVersion, policies::kLedgerPolicyId) {}

  // The machine reads the subject's status, its abnormal listings (lost
  // contact screens out) and its ledger records; the counts that put it in
  // the ledger come with LedgerDrawn.
  std::vector<std::string> FactKinds() const override { return {policies::kRecordAbnormalList, kLedgerRecord}; }
};

// The open entry of the subject (its ledger record still in_ledger or in
// key supervision), or nullptr.
const engine::SubjectRecord* OpenEntry(const engine::SubjectFacts& facts) {
  for (const engine::SubjectRecord& r : facts.records) {
    if (r.kind == kLedgerRecord && (r.status == kInLedger || r.status == kKeySupervision)) return &r;
  }
  return nullptr;
}

std::string CaseOfRecord(const engine::SubjectRecord& r) {
  if (!r.case_id.empty()) return r.case_id;
  const std::string suffix = ":ledger";
  return r.id.size() > suffix.size() ? r.id.substr(0, r.id.size() - suffix.size()) : r.id;
}

// The least number of penalty and serious-list records (not repaired) a
// subject must hold to meet some entry rule: each rule's inputs that count
// such records bound it from below. 0 when a rule needs none (then every
// subject is a candidate).
int LeastRecords(const policies::LedgerSection& section) {
  static const std::vector<std::string> counting = {
      "penalties",         "uncorrected_penalties", "uncorrected_published",
      "serious_penalties", "serious_list",          "serious_list_entries"};
  int least = -1;
  for (const policies::LedgerEntryRule& rule : section.entry) {
    int need = 0;
    for (const policies::GradingCondition& c : rule.when) {
      if (c.min && std::find(counting.begin(), counting.end(), c.input) != counting.end())
        need = std::max(need, *c.min);
    }
    least = least < 0 ? need : std::min(least, need);
  }
  return std::max(least, 0);
}

// The subjects a draw looks at, in code order: those asked for; else those
// holding enough records to meet an entry rule plus those with an open
// entry (which may exit), found by two grouped queries instead of reading
// every subject; else, when the rules allow no such bound, every subject.
engine::Result<std::vector<std::string>> Candidates(engine::CaseService& service,
                                                    const policies::LedgerSection& section,
                                                    const DrawRequest& request) {
  if (!request.only.empty()) {
    std::vector<std::string> codes = request.only;
    std::sort(codes.begin(), codes.end());
    codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
    return codes;
  }
  std::vector<std::string> codes;
  const int least = LeastRecords(section);
  if (least == 0) {
    engine::SubjectQuery q;
    q.limit = 1000;
    for (;;) {
      engine::Result<std::vector<engine::SubjectProfile>> page = service.store().ListSubjects(q);
      if (!page.ok()) return page.status();
      for (const engine::SubjectProfile& p : *page) codes.push_back(p.code);
      if (static_cast<int>(page->size()) < q.limit) return codes;
      q.after_code = page->back().code;
    }
  }
  engine::RecordCountQuery enough;
  enough.kinds = {policies::kRecordPenalty, policies::kRecordSeriousList};
  enough.excluded_statuses = {"repaired"};
  enough.min_count = least;
  engine::Result<std::vector<std::string>> heavy = service.store().FindSubjectsByRecords(enough);
  if (!heavy.ok()) return heavy.status();
  engine::RecordCountQuery open;
  open.kinds = {kLedgerRecord};
  open.statuses = {kInLedger, kKeySupervision};
  engine::Result<std::vector<std::string>> entered = service.store().FindSubjectsByRecords(open);
  if (!entered.ok()) return entered.status();
  std::set_union(heavy->begin(), heavy->end(), entered->begin(), entered->end(), std::back_inserter(codes));
  return codes;
}

}  // namespace

std::unique_ptr<engine::WorkflowDefinition> NewLedgerWorkflow() { return std::make_unique<LedgerWorkflow>(); }

std::string LedgerStatusOf(const engine::SubjectFacts& facts) {
  const engine::SubjectRecord* newest = nullptr;
  for (const engine::SubjectRecord& r : facts.records) {
    if (r.kind != kLedgerRecord) continue;
    if (newest == nullptr || newest->created_at < r.created_at ||
        (newest->created_at == r.created_at && newest->id < r.id)) {
      newest = &r;
    }
  }
  return newest == nullptr ? "" : newest->status;
}

engine::Result<DrawResult> DrawLedger(engine::CaseService& service, const DrawRequest& request) {
  const Date today = service.clock().Today();
  const policies::Policy* policy = service.rules().policies->Select(policies::kLedgerPolicyId, today);
  const policies::LedgerSection* section = policy != nullptr ? policy->Find<policies::LedgerSection>() : nullptr;
  if (section == nullptr) {
    return Status::NotFound("no_policy_in_force", std::string("no ") + policies::kLedgerPolicyId +
                                                      " policy is in force on " + today.ToString());
  }
  engine::Result<std::vector<std::string>> codes = Candidates(service, *section, request);
  if (!codes.ok()) return codes.status();
  DrawResult result;
  // New entries are opened kDrawBatch to a transaction: a subject with many
  // records makes a large history event (its facts, for replay), and one
  // commit per entry would make the draw of a city take minutes. Inside the
  // transaction each subject is checked again for an open entry, so a draw
  // run twice, or again after a failure, opens nothing twice.
  struct Pending {
    std::string code;
    const policies::LedgerEntryRule* rule;
    Json counts;  // the inputs the rule saw
  };
  std::vector<Pending> pending;
  const engine::WorkflowDefinition* def = service.workflows().Find(kWorkflowName);
  if (def == nullptr) return Status::Internal("the registry has no " + std::string(kWorkflowName) + " workflow");
  const std::vector<std::string> kinds = def->FactKinds();
  auto open_batch = [&]() -> Status {
    std::vector<engine::CommandResult> opened;
    Status st =
        service
            .RunCommand(
                engine::CommandOptions{},
                [&](engine::UnitOfWork& tx, Json* body) {
                  opened.clear();
                  for (const Pending& e : pending) {
                    // The kinds the entry's machine reads: the transition
                    // that opens it reads them again from the unit of work.
                    engine::Result<engine::SubjectFacts> now = tx.LoadSubjectFactsOfKinds(e.code, kinds);
                    if (!now.ok()) return now.status();
                    if (OpenEntry(*now) != nullptr) continue;
                    engine::OpenCaseRequest open;
                    open.workflow = kWorkflowName;
                    open.subject = e.code;
                    open.actor = request.actor;
                    Json drawn = {{"drawn_on", today.ToString()},
                                  {"rule_line", e.rule->line},
                                  {"rule_source", e.rule->source},
                                  {"counts", e.counts}};
                    if (!request.official.empty()) drawn["official"] = request.official;
                    if (!request.department.empty()) drawn["department"] = request.department;
                    open.events.push_back(engine::EventInput{LedgerDrawn::kName, drawn, engine::SystemActor()});
                    engine::CommandResult one;
                    CREDFLOW_RETURN_IF_ERROR(service.OpenInTransaction(tx, open, engine::Channel::kEngine, &one));
                    opened.push_back(std::move(one));
                  }
                  *body = Json{{"opened", opened.size()}};
                  return Status::Ok();
                })
            .status();
    if (!st.ok()) return st;
    result.already += static_cast<int>(pending.size() - opened.size());
    for (const engine::CommandResult& one : opened) {
      result.opened.push_back(one.case_id);
      ++(one.outcome == kScreenedOut ? result.screened_out : result.entered);
    }
    pending.clear();
    return Status::Ok();
  };
  // Facts are read a chunk of subjects at a time (two queries a chunk), the
  // next chunk on another connection while this one is checked and its
  // entries opened: the draw waits on the store, not on itself.
  auto read = [&service, &codes](size_t from) {
    const std::vector<std::string> chunk(codes->begin() + from,
                                         codes->begin() + std::min(codes->size(), from + kFactsChunk));
    return service.store().GetSubjectFactsOf(chunk);
  };
  std::future<engine::Result<std::vector<engine::SubjectFacts>>> next;
  if (!codes->empty()) next = std::async(std::launch::async, read, 0);
  for (size_t from = 0; from < codes->size(); from += kFactsChunk) {
    engine::Result<std::vector<engine::SubjectFacts>> loaded = next.get();
    if (from + kFactsChunk < codes->size()) next = std::async(std::launch::async, read, from + kFactsChunk);
    if (!loaded.ok()) return loaded.status();
    for (const engine::SubjectFacts& one : *loaded) {
      const engine::SubjectFacts* facts = &one;
      if (!facts->profile) continue;  // records of a subject the office has not registered
      const engine::SubjectProfile& p = *facts->profile;
      ++result.subjects;
      const policies::GradingInputs inputs = subject::InputsOf(*facts, section->lookback_years, today);
      const policies::LedgerEntryRule* rule = section->MatchEntry(inputs);
      const engine::SubjectRecord* open = OpenEntry(*facts);
      if (rule != nullptr && open != nullptr) {
        ++result.already;
        ++result.met;
        continue;
      }
      if (rule == nullptr && open != nullptr) {
        engine::FireEventRequest exit;
        exit.case_id = CaseOfRecord(*open);
        exit.event = engine::EventInput{
            ExitCriteriaMet::kName,
            Json{{"checked_on", today.ToString()},
                 {"reason", "the subject no longer meets the entry rule of " + policy->id + " " + policy->version}},
            engine::SystemActor()};
        exit.idempotency_key = "ledger-exit:" + exit.case_id;
        engine::Result<engine::CommandResult> done = service.Raise(exit);
        if (!done.ok()) return done.status();
        ++result.exited;
        continue;
      }
      if (rule == nullptr) continue;
      ++result.met;
      // Screened out before and still of a screened-out status: nothing new.
      if (LedgerStatusOf(*facts) == kScreenedOut &&
          std::find(section->screen_out_statuses.begin(), section->screen_out_statuses.end(), p.status) !=
              section->screen_out_statuses.end()) {
        ++result.already;
        continue;
      }
      Json counts = Json::object();
      for (const auto& [name, n] : inputs.counts) {
        if (n != 0) counts[name] = n;
      }
      pending.push_back({p.code, rule, std::move(counts)});
      if (pending.size() >= kDrawBatch) CREDFLOW_RETURN_IF_ERROR(open_batch());
    }
  }
  if (!pending.empty()) CREDFLOW_RETURN_IF_ERROR(open_batch());
  return result;
}

Json ExitRateReport::ToJson() const {
  auto line = [](const ExitRateLine& l) {
    return Json{{"entered", l.entered}, {"exited", l.exited}, {"rate", l.rate()}};
  };
  Json j = {{"as_of", as_of}, {"total", line(total)}, {"by_department", Json::object()}, {"targets", Json::array()}};
  for (const auto& [dept, l] : by_department) j["by_department"][dept] = line(l);
  for (const Target& t : targets) {
    j["targets"].push_back({{"by", t.by}, {"ratio", t.ratio}, {"status", t.status}, {"source", t.source}});
  }
  return j;
}

engine::Result<ExitRateReport> ReportExitRate(engine::CaseService& service, Date as_of) {
  const policies::Policy* policy = service.rules().policies->Select(policies::kLedgerPolicyId, as_of);
  const policies::LedgerSection* section = policy != nullptr ? policy->Find<policies::LedgerSection>() : nullptr;
  if (section == nullptr) {
    return Status::NotFound("no_policy_in_force", std::string("no ") + policies::kLedgerPolicyId +
                                                      " policy is in force on " + as_of.ToString());
  }
  ExitRateReport report;
  report.as_of = as_of.ToString();
  const std::string year = std::to_string(as_of.year());
  std::vector<std::string> exits;  // each entry's exit day, "" while open
  engine::CaseQuery q;
  q.workflow = kWorkflowName;
  q.limit = 1000;
  for (;;) {
    engine::Result<std::vector<engine::Case>> page = service.store().FindCases(q);
    if (!page.ok()) return page.status();
    for (const engine::Case& c : *page) {
      const std::string drawn_on = Text(c.data, "drawn_on");
      // Entries of as_of's year, drawn by as_of; screened-out ones never entered.
      if (drawn_on.substr(0, 4) != year || drawn_on > report.as_of) continue;
      if (c.state == ScreenedOut::kName || c.state == Drawn::kName) continue;
      const bool done = c.state == Closed::kName || c.state == Exited::kName;
      const std::string exited_on = done ? Text(c.data, "exited_on") : "";
      exits.push_back(exited_on);
      for (ExitRateLine* l : {&report.total, &report.by_department[Text(c.data, "department")]}) {
        ++l->entered;
        if (!exited_on.empty() && exited_on <= report.as_of) ++l->exited;
      }
    }
    if (static_cast<int>(page->size()) < q.limit) break;
    q.after_id = page->back().id;
  }
  for (const policies::LedgerTarget& t : section->targets) {
    char by[16];
    std::snprintf(by, sizeof by, "%04d-%02d-%02d", as_of.year(), t.month, t.day);
    ExitRateReport::Target target{by, t.ratio, "", t.source};
    // The rate on the target day (or today, before it): exits up to then.
    const std::string until = std::min(report.as_of, target.by);
    int exited = 0;
    for (const std::string& day : exits) exited += !day.empty() && day <= until ? 1 : 0;
    const int entered = report.total.entered;
    const bool reached = entered == 0 || static_cast<double>(exited) + 1e-9 >= t.ratio * entered;
    target.status = entered == 0 ? "no_entries" : reached ? "met" : report.as_of > target.by ? "missed" : "open";
    report.targets.push_back(std::move(target));
  }
  return report;
}

}  // namespace credflow::workflows::remediation_ledger
