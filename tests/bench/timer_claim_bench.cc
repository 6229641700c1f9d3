// credflow_timer_claim_bench: what the scheduler's claim of a due timer
// costs when the store holds few or very many pending timers.
//
// Every dishonesty record keeps a timer for the end of its publication
// (years ahead), so a city's store holds a million pending timers of which a
// handful are due on any day. The scheduler claims one due timer at a time
// (SELECT ... WHERE fire_at <= now ORDER BY fire_at, id LIMIT 1 FOR UPDATE
// SKIP LOCKED on PostgreSQL, over the index timers_fire_at) and deletes it
// when fired. That claim must cost the same whatever the number pending.
//
// Workload, for each size in --pending (e.g. 1000,1000000) on a fresh
// schema: insert that many pending timers due in the future (in batches of
// --batch per transaction, through the store), then --due timers already
// due, then claim and delete the due ones, one transaction per timer, and
// time that loop. The claim is the store's own ClaimDueTimer, as
// CaseService::FireNextDueTimer runs it; the transition a timer then fires
// is the same work at any size and is not part of this measurement.
//
// Output per size: pending, due, µs per claim (mean, p50, p99), claims/s;
// the last lines are machine-readable:
//   BENCH pending=... due=... mean_us=... p50_us=... p99_us=...
// Not a test: never run by ctest. Figures and command: tests/bench/README.md.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "adapters/store/soci_case_store.h"
#include "engine/case.h"
#include "engine/clock.h"

namespace credflow::bench {
namespace {

using engine::Status;
using engine::Timer;
using engine::Timestamp;
using SteadyClock = std::chrono::steady_clock;

Timer MakeTimer(int64_t n, Timestamp fire_at, policies::Date due_on) {
  Timer t;
  t.id = "bench-timer-" + std::to_string(n);
  t.case_id = "bench-case-" + std::to_string(n);
  t.name = "publication_end";
  t.event = "PublicationPeriodEnded";
  t.due_on = due_on;
  t.fire_at = fire_at;
  return t;
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

// Drops every table so each size starts from an empty, freshly migrated
// schema (the bench's own database: never point it at one that matters).
bool Reset(const std::string& url) {
  auto store = adapters::SociCaseStore::Open(url);
  if (!store.ok()) {
    std::fprintf(stderr, "open %s: %s\n", url.c_str(), store.status().ToString().c_str());
    return false;
  }
  Status st = (*store)->RunInTransaction([](engine::StoreTransaction& tx) {
    for (;;) {  // delete every timer left by an earlier size
      engine::Result<std::optional<Timer>> t =
          tx.ClaimDueTimer(std::chrono::system_clock::now() + std::chrono::hours(24 * 365 * 50));
      if (!t.ok()) return t.status();
      if (!t->has_value()) return Status::Ok();
      CREDFLOW_RETURN_IF_ERROR(tx.DeleteTimer((*t)->id));
    }
  });
  if (!st.ok()) std::fprintf(stderr, "reset: %s\n", st.ToString().c_str());
  return st.ok();
}

int Run(const std::string& url, const std::vector<int64_t>& sizes, int due, int batch) {
  const Timestamp now = std::chrono::system_clock::now();
  const policies::Date today = engine::OfficeDate(now);
  for (int64_t pending : sizes) {
    if (!Reset(url)) return 1;
    auto opened = adapters::SociCaseStore::Open(url);
    if (!opened.ok()) return 1;
    engine::CaseStore& store = **opened;
    // Pending timers spread over the next three years, as publication ends are.
    const auto loading = SteadyClock::now();
    for (int64_t first = 0; first < pending; first += batch) {
      Status st = store.RunInTransaction([&](engine::StoreTransaction& tx) {
        for (int64_t n = first; n < std::min<int64_t>(pending, first + batch); ++n) {
          const int days = 1 + static_cast<int>(n % 1095);
          CREDFLOW_RETURN_IF_ERROR(
              tx.PutTimer(MakeTimer(n, now + std::chrono::hours(24 * days), today.AddDays(days - 1))));
        }
        return Status::Ok();
      });
      if (!st.ok()) {
        std::fprintf(stderr, "load: %s\n", st.ToString().c_str());
        return 1;
      }
    }
    Status st = store.RunInTransaction([&](engine::StoreTransaction& tx) {
      for (int i = 0; i < due; ++i) {
        CREDFLOW_RETURN_IF_ERROR(
            tx.PutTimer(MakeTimer(pending + i, now - std::chrono::seconds(due - i), today.AddDays(-1))));
      }
      return Status::Ok();
    });
    if (!st.ok()) return 1;
    const double load_s = std::chrono::duration<double>(SteadyClock::now() - loading).count();

    std::vector<double> us;
    us.reserve(due);
    const auto claiming = SteadyClock::now();
    for (;;) {
      bool claimed = false;
      const auto one = SteadyClock::now();
      st = store.RunInTransaction([&](engine::StoreTransaction& tx) {
        engine::Result<std::optional<Timer>> t = tx.ClaimDueTimer(now);
        if (!t.ok()) return t.status();
        if (!t->has_value()) return Status::Ok();
        claimed = true;
        return tx.DeleteTimer((*t)->id);
      });
      if (!st.ok()) {
        std::fprintf(stderr, "claim: %s\n", st.ToString().c_str());
        return 1;
      }
      if (!claimed) break;
      us.push_back(std::chrono::duration<double, std::micro>(SteadyClock::now() - one).count());
    }
    const double claim_s = std::chrono::duration<double>(SteadyClock::now() - claiming).count();
    if (static_cast<int>(us.size()) != due) {
      std::fprintf(stderr, "claimed %zu of %d due timers\n", us.size(), due);
      return 1;
    }
    double sum = 0;
    for (double u : us) sum += u;
    std::printf("pending %lld (loaded in %.1f s), due %d: %.0f us per claim (p50 %.0f, p99 %.0f), %.0f claims/s\n",
                static_cast<long long>(pending), load_s, due, sum / due, Percentile(us, 0.5), Percentile(us, 0.99),
                due / claim_s);
    std::printf("BENCH pending=%lld due=%d mean_us=%.0f p50_us=%.0f p99_us=%.0f\n", static_cast<long long>(pending),
                due, sum / due, Percentile(us, 0.5), Percentile(us, 0.99));
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace
}  // namespace credflow::bench

int main(int argc, char** argv) {
  CLI::App app{"credflow_timer_claim_bench: the cost of claiming a due timer among N pending"};
  std::string url;
  std::vector<int64_t> sizes = {1000, 1000000};
  int due = 2000;
  int batch = 5000;
  app.add_option("--database", url, "store URL (a scratch database: its timers are deleted)")->required();
  app.add_option("--pending", sizes, "pending timer counts to measure, e.g. 1000,1000000")->delimiter(',');
  app.add_option("--due", due, "due timers claimed at each size")->check(CLI::Range(1, 1000000));
  app.add_option("--batch", batch, "timers inserted per transaction while loading")->check(CLI::Range(1, 100000));
  CLI11_PARSE(app, argc, argv);
  return credflow::bench::Run(url, sizes, due, batch);
}
