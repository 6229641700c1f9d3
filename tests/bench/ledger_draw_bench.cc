// credflow_ledger_draw_bench: how long the 屡禁不止 ledger draw takes over a
// city-sized store (the bar: 50,000 subjects with 1,000,000 records
// in under 10 s, on SQLite and on PostgreSQL).
//
// Generates, through the store, --subjects registered subjects and about
// --records penalty records, heavy-tailed as offices see them (most subjects
// have a few records; one in twenty holds 60% of them), decided over the last six
// years, 70% still shown, 15% past their publication, 15% repaired, 80% with
// their obligations performed; then times DrawLedger on the shipped
// remediation-ledger policy (the first draw opens the entries; a second draw
// the same day opens nothing and is timed too). The count of entries is
// checked against a count made while generating.
//
// Not a test: never run by ctest. Figures and command: tests/bench/README.md.
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "adapters/store/soci_case_store.h"
#include "engine/case_service.h"
#include "forms/form.h"
#include "tests/support/engine_harness.h"
#include "workflows/remediation_ledger/ledger_workflow.h"

namespace credflow::bench {
namespace {

using engine::Json;
using engine::Status;
using SteadyClock = std::chrono::steady_clock;

std::string Code(int n) {
  char first17[32];
  std::snprintf(first17, sizeof first17, "9144190%010d", n);
  return std::string(first17) + *forms::CreditCodeCheckCharacter(first17);
}

int Run(const std::string& url, int subjects, int records, int batch) {
  auto opened = adapters::SociCaseStore::Open(url);
  if (!opened.ok()) {
    std::fprintf(stderr, "open: %s\n", opened.status().ToString().c_str());
    return 1;
  }
  engine::CaseStore& store = **opened;
  testing::EngineHarness harness(&store);
  harness.SetDate("2026-12-07");
  const policies::Date today = harness.clock().Today();
  const policies::Date since = policies::Date::FromYmd(2023, 12, 7);  // the 3-year look-back, first day included

  std::mt19937_64 rng(20261207);
  // One subject in twenty holds many records: together 60% of them.
  const double many = 0.60 * records / (subjects / 20.0);
  const double few = 0.40 * records / (subjects - subjects / 20.0);
  int expected = 0;
  int64_t written = 0;
  const auto loading = SteadyClock::now();
  for (int first = 0; first < subjects; first += batch) {
    Status st = store.RunInTransaction([&](engine::StoreTransaction& tx) {
      for (int s = first; s < std::min(subjects, first + batch); ++s) {
        engine::SubjectProfile p;
        p.code = Code(s);
        p.name = "东莞市基准测试企业" + std::to_string(s);
        p.status = "operating";
        p.grade = "B";
        p.case_id = "bench-subject-" + std::to_string(s);
        CREDFLOW_RETURN_IF_ERROR(tx.PutSubjectProfile(p));
        const double mean = s % 20 == 0 ? many : few;
        const int n = static_cast<int>(std::uniform_real_distribution<double>(0, 2 * mean)(rng));
        int counted = 0, open = 0;
        for (int i = 0; i < n; ++i) {
          const int days_ago = static_cast<int>(rng() % (6 * 365));
          const policies::Date decided = today.AddDays(-days_ago);
          const int roll = static_cast<int>(rng() % 100);
          const std::string status = roll < 70 ? "active" : roll < 85 ? "expired" : "repaired";
          const bool fulfilled = rng() % 100 < 80;
          engine::SubjectRecord r;
          r.id = p.case_id + "-r" + std::to_string(i) + ":record";
          r.subject = p.code;
          r.kind = "penalty";
          r.status = status;
          r.case_id = p.case_id + "-r" + std::to_string(i);
          r.data = {{"platform", "credit_china"},
                    {"kind", "penalty"},
                    {"tier", "general"},
                    {"penalties", {"fine"}},
                    {"decided_on", decided.ToString()},
                    {"obligations_fulfilled", fulfilled}};
          CREDFLOW_RETURN_IF_ERROR(tx.PutSubjectRecord(r));
          ++written;
          if (status != "repaired" && !(decided < since)) {
            ++counted;
            if (!fulfilled && status == "active") ++open;
          }
        }
        if (counted >= 10 && open >= 1) ++expected;
      }
      return Status::Ok();
    });
    if (!st.ok()) {
      std::fprintf(stderr, "load: %s\n", st.ToString().c_str());
      return 1;
    }
  }
  const double load_s = std::chrono::duration<double>(SteadyClock::now() - loading).count();
  std::printf("%d subjects, %lld records loaded in %.1f s; %d meet the entry rule\n", subjects,
              static_cast<long long>(written), load_s, expected);

  workflows::remediation_ledger::DrawRequest request;
  request.actor = engine::Actor{"bench", "caseworker", ""};
  for (const char* which : {"first draw", "second draw"}) {
    const auto drawing = SteadyClock::now();
    engine::Result<workflows::remediation_ledger::DrawResult> drawn =
        workflows::remediation_ledger::DrawLedger(harness.service(), request);
    const double s = std::chrono::duration<double>(SteadyClock::now() - drawing).count();
    if (!drawn.ok()) {
      std::fprintf(stderr, "draw: %s\n", drawn.status().ToString().c_str());
      return 1;
    }
    std::printf("%s: %.2f s; %d subject(s) read, %d meet the rule, %d entered, %d already\n", which, s, drawn->subjects,
                drawn->met, drawn->entered, drawn->already);
    std::printf("BENCH draw=\"%s\" seconds=%.2f subjects=%d records=%lld read=%d entered=%d\n", which, s, subjects,
                static_cast<long long>(written), drawn->subjects, drawn->entered);
    if (std::string(which) == "first draw" && drawn->entered != expected) {
      std::fprintf(stderr, "entered %d, expected %d\n", drawn->entered, expected);
      return 1;
    }
  }
  return 0;
}

}  // namespace
}  // namespace credflow::bench

int main(int argc, char** argv) {
  CLI::App app{"credflow_ledger_draw_bench: the ledger draw over a city-sized store"};
  std::string url;
  int subjects = 50000;
  int records = 1000000;
  int batch = 500;
  app.add_option("--database", url, "a scratch store URL (sqlite:FILE or postgresql:...)")->required();
  app.add_option("--subjects", subjects, "registered subjects")->check(CLI::Range(20, 10000000));
  app.add_option("--records", records, "penalty records, about")->check(CLI::Range(1, 100000000));
  app.add_option("--batch", batch, "subjects written per transaction while loading")->check(CLI::Range(1, 100000));
  CLI11_PARSE(app, argc, argv);
  return credflow::bench::Run(url, subjects, records, batch);
}
