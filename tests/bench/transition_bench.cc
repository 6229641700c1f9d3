// credflow_transition_bench: durable transitions per second on one store.
//
// Workload. Each of --threads threads first registers --cases-per-thread
// subjects and files a food-business-permit commitment for each (the
// subject's facts then hold a profile, as in production), then fires
// `NameChanged` on its own subject cases, round-robin, for --warmup +
// --seconds seconds. NameChanged is a caseworker's durable self-transition:
// one store transaction that loads the case and the subject's facts, checks
// the sender and the data against the event's declaration, restores the MSM
// machine and dispatches the event, writes the case with its optimistic
// version check, appends one hash-chained history event and one effect (the
// subject's profile), and commits. Threads own disjoint cases, so a conflict
// is a bug, and is counted as an error. (Until the events were declared, the
// workload fired VerificationOverdue, a timer's event a person may no longer
// send.)
//
// Measured with std::chrono::steady_clock (benchmark time, not engine time):
//   * transitions/s: transitions that completed inside the measured window,
//     divided by the window;
//   * p50/p99 latency of CaseService::Fire as the caller sees it;
//   * the breakdown of one transition from CaseService's timing observer
//     (load = case + facts, machine = form check + MSM dispatch,
//     write = case + history + effects) and commit+overhead = total - those
//     (BEGIN, connection lease, request hash, COMMIT with its fsync).
// At the end the cases are read back: the sum of their version increments must
// equal the transitions the threads counted (every acknowledged transition is
// in the store).
//
// The last line of output is one machine-readable summary:
//   BENCH backend=... threads=... tps=... p50_us=... ...
//
// Not a test: speed is shown by benchmarks, and this is never run by ctest.
// tests/bench/run_benchmarks.sh runs it; tests/bench/README.md has figures.
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "adapters/store/soci_case_store.h"
#include "engine/case_service.h"
#include "forms/form.h"
#include "tests/support/engine_harness.h"
#include "workflows/subject/subject_service.h"

namespace credflow::bench {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::duration;
using std::chrono::duration_cast;
using std::chrono::nanoseconds;

constexpr const char* kEvent = "NameChanged";
constexpr const char* kExpectedState = "UnderVerification";  // the commitment
constexpr const char* kMeasuredState = "Registered";         // the subject's case

struct Options {
  std::string database = "sqlite:credflow-bench.db";
  int threads = 1;
  double seconds = 10;
  int cases_per_thread = 50;
  double warmup = 2;
};

// A valid GB 32100-2015 code for serial `n`: registration authority 9
// (market regulation), category 1 (enterprise), region 320500 (Suzhou), a
// nine-digit organisation code and the computed check character.
std::string CreditCode(int n) {
  static constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  static constexpr int kWeights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
  char org[16];
  std::snprintf(org, sizeof org, "%09d", n % 1000000000);
  std::string code = std::string("91320500") + org;
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += static_cast<int>(kAlphabet.find(code[i])) * kWeights[i];
  int check = 31 - sum % 31;
  if (check == 31) check = 0;
  code.push_back(kAlphabet[static_cast<size_t>(check)]);
  return code;
}

// What one thread measured in the window.
struct ThreadStats {
  std::vector<uint32_t> latencies_ns;  // one per successful transition
  nanoseconds load{0}, machine{0}, write{0};
  int64_t ok = 0;                         // transitions acknowledged inside the window
  int64_t ok_total = 0;                   // ... including warm-up and the tail (for the check)
  std::map<std::string, int64_t> errors;  // reason -> count (whole run)
  int64_t conflicts = 0;
};

// The timing observer runs inside the transaction, before COMMIT; a thread
// keeps the figures of its last transition and adds them only when Fire
// returned OK.
thread_local engine::TransitionTimings* tls_last_timings = nullptr;

// Starts every thread at once.
class Gate {
 public:
  void Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return open_; });
  }
  void Open() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      open_ = true;
    }
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

// User + system CPU time of this process, all threads.
nanoseconds ProcessCpu() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto tv = [](const timeval& t) { return std::chrono::seconds(t.tv_sec) + std::chrono::microseconds(t.tv_usec); };
  return duration_cast<nanoseconds>(tv(u.ru_utime) + tv(u.ru_stime));
}

double Micros(nanoseconds ns) { return duration<double, std::micro>(ns).count(); }

double Percentile(std::vector<uint32_t>& v, double p) {
  if (v.empty()) return 0;
  const size_t idx = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(idx), v.end());
  return v[idx] / 1000.0;
}

int Run(const Options& opt) {
  if (opt.threads < 1 || opt.cases_per_thread < 1 || opt.seconds <= 0 || opt.warmup < 0) {
    std::fprintf(stderr, "threads and cases-per-thread must be >= 1, seconds > 0, warmup >= 0\n");
    return 2;
  }
  adapters::StoreOptions store_options;
  store_options.pool_size = static_cast<std::size_t>(opt.threads) + 1;
  auto opened = adapters::SociCaseStore::Open(opt.database, store_options);
  if (!opened.ok()) {
    std::fprintf(stderr, "cannot open %s: %s\n", opt.database.c_str(), opened.status().ToString().c_str());
    return 1;
  }
  std::unique_ptr<adapters::SociCaseStore> store = std::move(opened).value();
  const std::string backend = store->backend() == adapters::StoreBackend::kSqlite ? "sqlite" : "postgresql";
  testing::EngineHarness harness(store.get());
  engine::CaseService& service = harness.service();

  std::printf(
      "credflow_transition_bench: %s (%s), %d thread(s), %d case(s) per thread, "
      "%.1f s warm-up + %.1f s measured\n",
      store->redacted_url().c_str(), backend.c_str(), opt.threads, opt.cases_per_thread, opt.warmup, opt.seconds);

  // ---- setup: file the cases ------------------------------------------------
  std::vector<std::vector<std::string>> cases(static_cast<size_t>(opt.threads));
  std::vector<std::vector<int64_t>> start_versions(static_cast<size_t>(opt.threads));
  std::atomic<int> setup_failures{0};
  const auto setup_start = Clock::now();
  {
    std::vector<std::thread> workers;
    for (int t = 0; t < opt.threads; ++t) {
      workers.emplace_back([&, t] {
        for (int k = 0; k < opt.cases_per_thread; ++k) {
          const std::string subject = CreditCode(t * opt.cases_per_thread + k + 1);
          workflows::subject::RegisterSubjectRequest registration;
          registration.code = subject;
          registration.name = "测试企业" + std::to_string(k);
          registration.actor = engine::Actor{"bench", "caseworker", ""};
          auto registered = workflows::subject::RegisterSubject(service, registration);
          if (!registered.ok()) {
            std::fprintf(stderr, "registering %s failed: %s\n", subject.c_str(),
                         registered.status().ToString().c_str());
            ++setup_failures;
            return;
          }
          auto filed = harness.FileFoodPermit(subject);
          if (!filed.ok() || filed->state != kExpectedState) {
            std::fprintf(stderr, "filing for %s failed: %s\n", subject.c_str(),
                         filed.ok() ? ("ended in state " + filed->state).c_str() : filed.status().ToString().c_str());
            ++setup_failures;
            return;
          }
          auto v = harness.store().GetCase(registered->command.case_id);
          if (!v.ok() || v->state != kMeasuredState) {
            std::fprintf(stderr, "no registered subject case for %s\n", subject.c_str());
            ++setup_failures;
            return;
          }
          cases[static_cast<size_t>(t)].push_back(v->id);
          start_versions[static_cast<size_t>(t)].push_back(v->version);
        }
      });
    }
    for (std::thread& w : workers) w.join();
  }
  if (setup_failures > 0) return 1;
  const double setup_s = duration<double>(Clock::now() - setup_start).count();
  const int total_cases = opt.threads * opt.cases_per_thread;
  std::printf("setup: registered and filed for %d subjects in %.2f s (%.0f subjects/s)\n", total_cases, setup_s,
              total_cases / setup_s);

  // ---- the measured run ------------------------------------------------------
  service.set_timing_observer([](const engine::TransitionTimings& t) {
    if (tls_last_timings != nullptr) *tls_last_timings = t;
  });

  std::vector<ThreadStats> stats(static_cast<size_t>(opt.threads));
  Gate gate;
  Clock::time_point window_start, window_end;
  nanoseconds cpu_start{0}, cpu_end{0};
  {
    std::vector<std::thread> workers;
    for (int t = 0; t < opt.threads; ++t) {
      workers.emplace_back([&, t] {
        ThreadStats& s = stats[static_cast<size_t>(t)];
        const std::vector<std::string>& mine = cases[static_cast<size_t>(t)];
        s.latencies_ns.reserve(1 << 16);
        engine::TransitionTimings last;
        tls_last_timings = &last;
        engine::FireEventRequest request;
        const engine::Json names[2] = {{{"name", "测试企业甲"}}, {{"name", "测试企业乙"}}};
        request.event = engine::EventInput{kEvent, engine::Json::object(), engine::Actor{"bench", "caseworker", ""}};
        gate.Wait();
        size_t next = 0;
        for (;;) {
          const auto begin = Clock::now();
          if (begin >= window_end) break;
          request.case_id = mine[next];
          request.event.data = names[static_cast<size_t>(s.ok_total % 2)];
          next = (next + 1) % mine.size();
          last = engine::TransitionTimings{};
          auto fired = service.Fire(request);
          const auto end = Clock::now();
          if (!fired.ok()) {
            ++s.errors[fired.status().reason()];
            if (fired.status().IsConflict()) ++s.conflicts;
            continue;
          }
          ++s.ok_total;
          if (begin >= window_start && end <= window_end) {
            ++s.ok;
            s.latencies_ns.push_back(
                static_cast<uint32_t>(std::min<int64_t>(duration_cast<nanoseconds>(end - begin).count(), UINT32_MAX)));
            s.load += last.load;
            s.machine += last.machine;
            s.write += last.write;
          }
        }
        tls_last_timings = nullptr;
      });
    }
    const auto now = Clock::now();
    window_start = now + duration_cast<Clock::duration>(duration<double>(opt.warmup));
    window_end = window_start + duration_cast<Clock::duration>(duration<double>(opt.seconds));
    gate.Open();
    // The process's CPU time over the measured window (all threads).
    std::this_thread::sleep_until(window_start);
    cpu_start = ProcessCpu();
    std::this_thread::sleep_until(window_end);
    cpu_end = ProcessCpu();
    for (std::thread& w : workers) w.join();
  }
  service.set_timing_observer(nullptr);

  // ---- results ------------------------------------------------------------------
  ThreadStats all;
  std::map<std::string, int64_t> errors;
  int64_t error_count = 0;
  for (ThreadStats& s : stats) {
    all.ok += s.ok;
    all.ok_total += s.ok_total;
    all.conflicts += s.conflicts;
    all.load += s.load;
    all.machine += s.machine;
    all.write += s.write;
    all.latencies_ns.insert(all.latencies_ns.end(), s.latencies_ns.begin(), s.latencies_ns.end());
    for (const auto& [reason, n] : s.errors) {
      errors[reason] += n;
      error_count += n;
    }
  }
  const double tps = static_cast<double>(all.ok) / opt.seconds;
  nanoseconds total{0};
  for (uint32_t ns : all.latencies_ns) total += nanoseconds(ns);
  const double n = std::max<double>(1, static_cast<double>(all.ok));
  const double avg_us = Micros(total) / n;
  const double load_us = Micros(all.load) / n;
  const double machine_us = Micros(all.machine) / n;
  const double write_us = Micros(all.write) / n;
  const double commit_us = avg_us - load_us - machine_us - write_us;
  // Only an approximation at the window's edges (a transition in flight is
  // counted where it completes), which is negligible over seconds.
  const double client_cpu_us = Micros(cpu_end - cpu_start) / n;
  const double p50_us = Percentile(all.latencies_ns, 0.50);
  const double p99_us = Percentile(all.latencies_ns, 0.99);

  // Every acknowledged transition must be in the store.
  int64_t stored = 0;
  bool verify_ok = true;
  for (size_t t = 0; t < cases.size(); ++t) {
    for (size_t k = 0; k < cases[t].size(); ++k) {
      auto c = store->GetCase(cases[t][k]);
      if (!c.ok() || c->state != kMeasuredState) {
        verify_ok = false;
        std::fprintf(stderr, "read-back of case %s failed\n", cases[t][k].c_str());
        continue;
      }
      stored += c->version - start_versions[t][k];
    }
  }
  verify_ok = verify_ok && stored == all.ok_total;

  std::printf("transitions: %lld in %.1f s measured -> %.1f transitions/s\n", static_cast<long long>(all.ok),
              opt.seconds, tps);
  std::printf("latency per transition: avg %.0f us, p50 %.0f us, p99 %.0f us\n", avg_us, p50_us, p99_us);
  std::printf("breakdown (avg us): load %.1f | machine %.1f | write %.1f | commit+overhead %.1f\n", load_us, machine_us,
              write_us, commit_us);
  std::printf("client CPU (this process, all threads): %.0f us per transition\n", client_cpu_us);
  std::printf("errors: %lld (conflicts %lld)", static_cast<long long>(error_count),
              static_cast<long long>(all.conflicts));
  for (const auto& [reason, count] : errors) {
    std::printf(" %s=%lld", reason.c_str(), static_cast<long long>(count));
  }
  std::printf("\nread-back: %lld stored version increments for %lld acknowledged transitions: %s\n",
              static_cast<long long>(stored), static_cast<long long>(all.ok_total), verify_ok ? "ok" : "MISMATCH");
  std::printf(
      "BENCH backend=%s threads=%d cases=%d seconds=%.1f transitions=%lld tps=%.1f avg_us=%.0f "
      "p50_us=%.0f p99_us=%.0f load_us=%.1f machine_us=%.1f write_us=%.1f "
      "commit_overhead_us=%.1f client_cpu_us=%.0f errors=%lld conflicts=%lld verified=%s "
      "run_transactions=%lld\n",
      backend.c_str(), opt.threads, total_cases, opt.seconds, static_cast<long long>(all.ok), tps, avg_us, p50_us,
      p99_us, load_us, machine_us, write_us, commit_us, client_cpu_us, static_cast<long long>(error_count),
      static_cast<long long>(all.conflicts), verify_ok ? "yes" : "no",
      static_cast<long long>(2 * total_cases + all.ok_total + error_count));
  std::fflush(stdout);
  return (error_count == 0 && verify_ok && all.ok > 0) ? 0 : 1;
}

}  // namespace
}  // namespace credflow::bench

int main(int argc, char** argv) {
  credflow::bench::Options opt;
  CLI::App app{"credflow_transition_bench: durable credflow transitions per second on one store"};
  app.add_option("--database", opt.database, "store URL: sqlite:FILE, postgresql:host=... or postgresql://...")
      ->capture_default_str();
  app.add_option("--threads", opt.threads, "client threads (each on its own cases)")->capture_default_str();
  app.add_option("--seconds", opt.seconds, "measured seconds")->capture_default_str();
  app.add_option("--cases-per-thread", opt.cases_per_thread,
                 "commitments each thread files, then transitions round-robin")
      ->capture_default_str();
  app.add_option("--warmup", opt.warmup, "seconds run before measuring")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  // Store conflicts are logged at info; keep the output to the figures.
  spdlog::set_level(spdlog::level::warn);
  return credflow::bench::Run(opt);
}
