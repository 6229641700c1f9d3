// Coordinated repair against `credflow serve` processes on one PostgreSQL:
// one application naming 23 records of 23 departments (the size of
// Dongguan's 守重 joint inquiry) fans out; all 23 departments decide at the
// same moment through two processes; the application joins exactly once and
// no department is answered a conflict. And a record's publication ends at
// its maximum period after the server that recorded it has stopped: the
// timer lives in the store.
//
// The fan-out test prints the fan-out (the application's POST) and join
// (last decision answered -> outcome visible) latencies; tests/bench/README.md
// quotes them. Nothing here asserts on time.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "adapters/store/soci_case_store.h"
#include "engine/effects.h"
#include "engine/history.h"
#include "forms/form.h"
#include "tests/support/http_client.h"
#include "tests/support/run_command.h"
#include "tests/support/serve_process.h"
#include "tests/support/status_matchers.h"
#include "tests/support/test_databases.h"

namespace credflow {
namespace {

using engine::Json;
using testing::HttpClient;
using testing::HttpReply;
using testing::RunCredflow;
using testing::ServeProcess;
using testing::ShellQuote;
using Clock = std::chrono::steady_clock;

constexpr int kDepartments = 23;
constexpr const char* kWindowToken = "cf_repair_window_token_0123456789abcdef";

std::string Department(int i) {
  char name[16];
  std::snprintf(name, sizeof name, "dept%02d", i + 1);
  return name;
}
std::string DepartmentToken(int i) { return "cf_repair_" + Department(i) + "_token_0123456789abcdef"; }

// A valid unified social credit code numbered `n`.
std::string CreditCode(int n) {
  char first17[32];
  std::snprintf(first17, sizeof first17, "91440300%09u", static_cast<unsigned>(n) % 1000000000u);
  return std::string(first17) + *forms::CreditCodeCheckCharacter(first17);
}

void AddUser(const std::string& url, const std::string& name, const std::string& role, const std::string& department,
             const std::string& token) {
  const std::string file = ::testing::TempDir() + "/credflow-repair-token-" + std::to_string(::getpid());
  std::ofstream(file) << token << "\n";
  std::string args = "--database " + ShellQuote(url) + " user add " + name + " --role " + role;
  if (!department.empty()) args += " --department " + department;
  testing::CommandOutput added = RunCredflow(args + " --token-file " + ShellQuote(file));
  ASSERT_EQ(added.exit_code, 0) << added.output;
  std::remove(file.c_str());
}

// Registers the subjects numbered [0, n) in one import.
void RegisterSubjects(const std::string& url, int n) {
  const std::string file = ::testing::TempDir() + "/credflow-repair-subjects-" + std::to_string(::getpid()) + ".csv";
  {
    std::ofstream csv(file);
    csv << "code,name,status,grade,grade_reason\n";
    for (int i = 0; i < n; ++i) csv << CreditCode(i) << ",东莞市协同修复测试企业" << i << "有限公司,,,\n";
  }
  testing::CommandOutput imported =
      RunCredflow("--database " + ShellQuote(url) + " subject import " + ShellQuote(file));
  ASSERT_EQ(imported.exit_code, 0) << imported.output;
  std::remove(file.c_str());
}

// A general-tier 信用中国 fine decided by `department` (repairable after 3
// months under Order 58, so on 2025-03-03).
Json RecordBody(const std::string& subject, const std::string& department) {
  return {{"subject", subject}, {"department", department},  {"platform", "credit_china"},
          {"kind", "penalty"},  {"tier", "general"},         {"penalties", {"fine"}},
          {"amount", 20000},    {"decided_on", "2024-06-03"}};
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

// Releases every waiting thread at once.
class StartingGun {
 public:
  explicit StartingGun(int runners) : waiting_(runners) {}
  void Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    if (--waiting_ == 0) {
      fired_ = true;
      cv_.notify_all();
    }
    cv_.wait(lock, [this] { return fired_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int waiting_;
  bool fired_ = false;
};

const std::vector<std::string> kRepairGlobal = {"--clock-date", "2025-03-03"};
// A long poll, so the join is carried by the wake-up of the process that
// committed the last decision (or by the other's poll), not by a short one.
const std::vector<std::string> kRepairServe = {"--scheduler-interval", "5", "--threads", "16"};

TEST(RepairServeTest, TwentyThreeDepartmentsDecideAtOnceAndTheApplicationJoinsOnce) {
  const char* rounds_env = std::getenv("CREDFLOW_FANOUT_ROUNDS");
  const int rounds = rounds_env != nullptr ? std::max(1, std::atoi(rounds_env)) : 50;
  testing::ScratchPgDatabase db;
  ASSERT_OK(db);
  ASSERT_EQ(RunCredflow("--database " + ShellQuote(db.url()) + " migrate").exit_code, 0);
  ASSERT_NO_FATAL_FAILURE(AddUser(db.url(), "window", "caseworker", "", kWindowToken));
  for (int d = 0; d < kDepartments; ++d) {
    ASSERT_NO_FATAL_FAILURE(
        AddUser(db.url(), "officer" + std::to_string(d), "department", Department(d), DepartmentToken(d)));
  }
  ASSERT_NO_FATAL_FAILURE(RegisterSubjects(db.url(), rounds));
  ServeProcess one(db.url(), kRepairGlobal, kRepairServe);
  ServeProcess two(db.url(), kRepairGlobal, kRepairServe);
  ASSERT_TRUE(one.ok()) << one.Log();
  ASSERT_TRUE(two.ok()) << two.Log();
  HttpClient window("127.0.0.1", one.port());
  std::vector<std::unique_ptr<HttpClient>> officers;  // department d talks to process d % 2
  for (int d = 0; d < kDepartments; ++d) {
    officers.push_back(std::make_unique<HttpClient>("127.0.0.1", d % 2 == 0 ? one.port() : two.port()));
  }
  auto store = adapters::SociCaseStore::Open(db.url());
  ASSERT_TRUE(store.ok());

  std::vector<double> fan_out_ms;
  std::vector<double> join_ms;
  for (int round = 0; round < rounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    const std::string subject = CreditCode(round);
    std::vector<std::string> records;
    for (int d = 0; d < kDepartments; ++d) {
      HttpReply recorded = window.Post("/v1/records", kWindowToken, RecordBody(subject, Department(d)));
      ASSERT_EQ(recorded.status, 201) << recorded.body;
      records.push_back(recorded.Json().value("id", ""));
      HttpReply paid = window.Post("/v1/records/" + records.back() + "/fulfilment", kWindowToken, Json::object());
      ASSERT_EQ(paid.status, 200) << paid.body;
    }
    const Json application_body = {
        {"subject", subject},
        {"records", records},
        {"documents", {"repair_commitment", "proof_of_performance", "business_licence", "agent_id"}}};
    const auto applying = Clock::now();
    HttpReply applied = window.Post("/v1/repairs", kWindowToken, application_body);
    fan_out_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - applying).count());
    ASSERT_EQ(applied.status, 201) << applied.body;
    const Json application = applied.Json();
    const std::string id = application.value("id", "");
    ASSERT_EQ(application.value("state", ""), "UnderReview") << applied.body;
    const Json tasks = application["tasks"];
    ASSERT_EQ(tasks.size(), static_cast<size_t>(kDepartments)) << applied.body;
    std::map<std::string, std::string> task_of;  // department -> task
    for (const Json& t : tasks) task_of[t.value("department", "")] = t.value("id", "");
    ASSERT_EQ(task_of.size(), static_cast<size_t>(kDepartments)) << "one task per department";

    StartingGun gun(kDepartments);
    std::vector<HttpReply> answers(kDepartments);
    std::vector<Clock::time_point> answered_at(kDepartments);
    std::vector<std::thread> deciders;
    for (int d = 0; d < kDepartments; ++d) {
      deciders.emplace_back([&, d] {
        const std::string path = "/v1/tasks/" + task_of[Department(d)] + "/decision";
        const Json approve = {{"decision", "approve"}};
        gun.Wait();
        answers[d] = officers[d]->Post(path, DepartmentToken(d), approve);
        answered_at[d] = Clock::now();
      });
    }
    for (std::thread& t : deciders) t.join();
    for (int d = 0; d < kDepartments; ++d) {
      ASSERT_EQ(answers[d].status, 200) << Department(d) << ": " << answers[d].body;
    }
    const auto last_decision = *std::max_element(answered_at.begin(), answered_at.end());

    // The join: the application ends once every delivery has arrived.
    Json shown;
    const auto give_up = Clock::now() + std::chrono::seconds(60);
    while (Clock::now() < give_up) {
      shown = window.Get("/v1/repairs/" + id, kWindowToken).Json();
      if (shown.is_object() && !shown.value("open", true)) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    join_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - last_decision).count());
    ASSERT_EQ(shown.value("outcome", ""), "approved") << one.Log() << two.Log();
    ASSERT_EQ(shown["results"].size(), static_cast<size_t>(kDepartments)) << shown.dump();

    // Exactly one join: each delivery applied once, one transition to the
    // end, one answer to the applicant; the chain intact.
    auto history = (*store)->GetHistory(id);
    ASSERT_TRUE(history.ok());
    std::map<std::string, int> deliveries;  // task -> its outcome applied
    int endings = 0;
    for (const engine::HistoryEvent& e : *history) {
      if (e.event == engine::kChildReachedOutcomeEvent) {
        ++deliveries[e.payload["data"].value("child", std::string("?"))];
      }
      if (e.to_state == "Approved" && e.from_state != e.to_state) ++endings;
    }
    EXPECT_EQ(deliveries.size(), static_cast<size_t>(kDepartments));
    for (const auto& [raiser, n] : deliveries) EXPECT_EQ(n, 1) << raiser;
    EXPECT_EQ(endings, 1);
    auto c = (*store)->GetCase(id);
    ASSERT_TRUE(c.ok());
    EXPECT_FALSE(engine::VerifyChain(id, *history, c->history_head).has_value());
    auto notices = (*store)->GetNotices(id);
    ASSERT_TRUE(notices.ok());
    EXPECT_EQ(std::count_if(notices->begin(), notices->end(),
                            [](const engine::Notice& n) { return n.template_id == "repair.result"; }),
              1);
  }
  std::printf("repair fan-out/join, %d departments, %d rounds, two processes on PostgreSQL:\n", kDepartments, rounds);
  std::printf("  fan-out (POST /v1/repairs, 23 tasks opened): p50 %.1f ms, p99 %.1f ms\n", Percentile(fan_out_ms, 0.5),
              Percentile(fan_out_ms, 0.99));
  std::printf("  join (last decision answered -> outcome visible): p50 %.1f ms, p99 %.1f ms\n",
              Percentile(join_ms, 0.5), Percentile(join_ms, 0.99));
  EXPECT_EQ(one.Terminate(), 0) << one.Log();
  EXPECT_EQ(two.Terminate(), 0) << two.Log();
}

// The server that recorded a record stops; another starts on the day after
// the record's 1-year maximum (Order 36, general tier; scenario 07) and ends
// its publication by itself, with nobody asking.
TEST(RepairServeTest, PublicationEndsAtTheMaximumAcrossARestart) {
  testing::ScratchPgDatabase db;
  ASSERT_OK(db);
  ASSERT_EQ(RunCredflow("--database " + ShellQuote(db.url()) + " migrate").exit_code, 0);
  ASSERT_NO_FATAL_FAILURE(AddUser(db.url(), "window", "caseworker", "", kWindowToken));
  ASSERT_NO_FATAL_FAILURE(RegisterSubjects(db.url(), 1));
  const std::string subject = CreditCode(0);
  std::string record;
  {
    ServeProcess before(db.url(), {"--clock-date", "2026-04-10"}, {"--scheduler-interval", "1"});
    ASSERT_TRUE(before.ok()) << before.Log();
    HttpClient client("127.0.0.1", before.port());
    Json body = RecordBody(subject, "transport");
    body["decided_on"] = "2026-04-10";
    body["published_on"] = "2026-04-10";
    HttpReply recorded = client.Post("/v1/records", kWindowToken, body);
    ASSERT_EQ(recorded.status, 201) << recorded.body;
    record = recorded.Json().value("id", "");
    const Json listed = client.Get("/v1/subjects/" + subject + "/records", kWindowToken).Json();
    ASSERT_EQ(listed["records"].size(), 1u) << listed.dump();
    EXPECT_TRUE(listed["records"][0].value("published", false));
    EXPECT_EQ(listed["records"][0].value("publication_ends", ""), "2027-04-10") << listed.dump();
    EXPECT_EQ(before.Terminate(), 0) << before.Log();
  }
  ServeProcess after(db.url(), {"--clock-date", "2027-04-11"}, {"--scheduler-interval", "1"});
  ASSERT_TRUE(after.ok()) << after.Log();
  HttpClient client("127.0.0.1", after.port());
  Json shown;
  const auto give_up = Clock::now() + std::chrono::seconds(30);
  while (Clock::now() < give_up) {
    shown = client.Get("/v1/subjects/" + subject + "/records", kWindowToken).Json();
    if (shown.is_object() && shown["records"].size() == 1 && !shown["records"][0].value("published", true)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(shown["records"].size(), 1u) << shown.dump();
  EXPECT_FALSE(shown["records"][0].value("published", true)) << shown.dump() << after.Log();
  EXPECT_EQ(shown["records"][0].value("state", ""), "Expired") << shown.dump();
  auto store = adapters::SociCaseStore::Open(db.url());
  ASSERT_TRUE(store.ok());
  auto history = (*store)->GetHistory(record);
  ASSERT_TRUE(history.ok());
  ASSERT_FALSE(history->empty());
  EXPECT_EQ(history->back().event, "PublicationPeriodEnded");
  EXPECT_EQ(history->back().actor.role, "system") << "a timer, not a person";
  EXPECT_EQ(after.Terminate(), 0) << after.Log();
}

}  // namespace
}  // namespace credflow
