// `credflow serve` as a process: graceful shutdown on SIGTERM, and two
// processes on one PostgreSQL hammered with conflicting events on the same
// cases: no lost update, no double application, every 2xx answer durable.
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "adapters/store/soci_case_store.h"
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

constexpr const char* kServeToken = "cf_serve_test_token_0123456789abcdef";

Json ServeFiling() {
  return {{"subject", {{"code", "91320500L968FMY61Q"}}},
          {"type", "food_business_permit"},
          {"form",
           {{"applicant_name", "苏州禾丰餐饮管理有限公司"},
            {"legal_representative", "周建华"},
            {"premises_address", "苏州市姑苏区人民路1288号"},
            {"business_items", {"prepackaged_food_sales"}},
            {"signed_on", "2025-03-03"}}}};
}

// Adds the caseworker "carol" with kServeToken through the CLI.
void AddCaseworker(const std::string& url) {
  const std::string file = ::testing::TempDir() + "/credflow-token-" + std::to_string(::getpid());
  std::ofstream(file) << kServeToken << "\n";
  testing::CommandOutput added = RunCredflow("--database " + ShellQuote(url) +
                                             " user add carol --role caseworker --token-file " + ShellQuote(file));
  ASSERT_EQ(added.exit_code, 0) << added.output;
  EXPECT_EQ(added.output.find(kServeToken), std::string::npos) << "a token the operator chose is never printed";
}

const std::vector<std::string> kGlobal = {"--clock-date", "2025-03-03"};
const std::vector<std::string> kServe = {"--scheduler-interval", "0", "--threads", "8"};

// Clients keep filing while SIGTERM arrives: each gets a whole 201 or no
// answer, and every 201 is in the store, so no acknowledged filing is lost.
TEST(ServeProcessTest, SigtermFinishesRequestsInFlightAndExitsZero) {
  testing::ScratchSqliteFile db;
  AddCaseworker(db.url());
  ServeProcess serve(db.url(), kGlobal, kServe);
  ASSERT_TRUE(serve.ok()) << serve.Log();

  struct Answer {
    int status;
    std::string id;
  };
  std::mutex mu;
  std::vector<Answer> answers;
  std::atomic<int> created{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&, t] {
      HttpClient client("127.0.0.1", serve.port());
      for (int i = 0; i < 500; ++i) {
        HttpReply r = client.Post("/v1/commitments", kServeToken, ServeFiling(),
                                  {{"Idempotency-Key", "t" + std::to_string(t) + "-" + std::to_string(i)}});
        std::lock_guard<std::mutex> lock(mu);
        answers.push_back({r.status, r.Json().is_object() ? r.Json().value("id", "") : ""});
        if (r.status == 0) return;  // the server has stopped: connection closed or refused
        ++created;
      }
    });
  }
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (created.load() < 20 && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_GE(created.load(), 20) << serve.Log();  // then stop the server: the clients end with it
  EXPECT_EQ(serve.Terminate(), 0) << serve.Log();
  for (std::thread& c : clients) c.join();

  EXPECT_NE(serve.Log().find("SIGTERM received"), std::string::npos) << serve.Log();
  auto store = adapters::SociCaseStore::Open(db.url());
  ASSERT_TRUE(store.ok());
  int ok = 0;
  for (const Answer& a : answers) {
    // Every answer is a whole one: the filing was made, or the connection
    // was refused or closed without an answer. Never a 5xx or a torn reply.
    ASSERT_TRUE(a.status == 201 || a.status == 0) << a.status;
    if (a.status != 201) continue;
    ++ok;
    EXPECT_TRUE((*store)->GetCase(a.id).ok()) << "answered 201 but not in the store: " << a.id;
  }
  EXPECT_GE(ok, 20);
}

// Fires NameChanged (a person's self-transition of a subject case, so it can
// apply again and again) on a few cases from many clients of two processes
// at once.
TEST(ServeProcessTest, TwoServersOnOnePostgresqlBehaveAsOneService) {
  testing::ScratchPgDatabase db;
  ASSERT_OK(db);
  ASSERT_EQ(RunCredflow("--database " + ShellQuote(db.url()) + " migrate").exit_code, 0);
  AddCaseworker(db.url());
  ServeProcess one(db.url(), kGlobal, kServe);
  ServeProcess two(db.url(), kGlobal, kServe);
  ASSERT_TRUE(one.ok()) << one.Log();
  ASSERT_TRUE(two.ok()) << two.Log();
  const std::vector<int> ports = {one.port(), two.port()};

  constexpr int kCases = 4;
  std::vector<std::string> cases;
  {
    HttpClient client("127.0.0.1", one.port());
    for (int i = 0; i < kCases; ++i) {
      const std::string first17 = "9132050000000000" + std::to_string(i);
      const std::string code = first17 + *forms::CreditCodeCheckCharacter(first17);
      ASSERT_EQ(RunCredflow("--database " + ShellQuote(db.url()) + " subject register " + code + " --name 测试企业" +
                            std::to_string(i))
                    .exit_code,
                0);
      HttpReply view = client.Get("/v1/subjects/" + code, kServeToken);
      ASSERT_EQ(view.status, 200) << view.body;
      cases.push_back(view.Json()["profile"].value("case", ""));
    }
  }

  struct Applied {
    std::string case_id;
    int64_t version;
    std::string body;
  };
  std::mutex mu;
  std::vector<Applied> applied;  // every fresh 2xx
  std::map<int, int> statuses;   // status -> count
  std::atomic<int> replays_checked{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 8; ++t) {
    clients.emplace_back([&, t] {
      std::mt19937 rng(t);
      HttpClient mine("127.0.0.1", ports[t % 2]);
      HttpClient other("127.0.0.1", ports[(t + 1) % 2]);
      for (int i = 0; i < 40; ++i) {
        const std::string& id = cases[rng() % kCases];
        std::map<std::string, std::string> headers = {
            {"Idempotency-Key", "hammer-" + std::to_string(t) + "-" + std::to_string(i)}};
        if (i % 2 == 0) {
          headers["If-Match"] = mine.Get("/v1/cases/" + id, kServeToken).Header("ETag");
        }
        const Json event = {{"event", "NameChanged"},
                            {"data", {{"name", "测试企业-" + std::to_string(t) + "-" + std::to_string(i)}}}};
        HttpReply r = mine.Post("/v1/cases/" + id + "/events", kServeToken, event, headers);
        {
          std::lock_guard<std::mutex> lock(mu);
          ++statuses[r.status];
          if (r.status == 200) applied.push_back({id, r.Json().value("version", int64_t{0}), r.body});
        }
        if (r.status == 200 && i % 5 == 0) {
          // The client lost the answer and retries on the other process.
          HttpReply again = other.Post("/v1/cases/" + id + "/events", kServeToken, event, headers);
          EXPECT_EQ(again.status, 200) << again.body;
          EXPECT_EQ(again.body, r.body);
          EXPECT_EQ(again.Header("Idempotent-Replayed"), "true");
          ++replays_checked;
        }
      }
    });
  }
  for (std::thread& c : clients) c.join();

  int answered = 0;
  for (const auto& [status, n] : statuses) {
    EXPECT_TRUE(status == 200 || status == 409 || status == 412) << n << " answer(s) with status " << status;
    answered += n;
  }
  EXPECT_EQ(answered, 8 * 40);
  EXPECT_GT(statuses[200], 8 * 40 / 4) << "too few events applied to mean anything";
  EXPECT_GT(replays_checked.load(), 0);

  // Read the store: every 2xx is one history event with that version; no
  // history event is without its 2xx (nothing applied twice), and no two 2xx
  // share a version (nothing lost).
  auto store = adapters::SociCaseStore::Open(db.url());
  ASSERT_TRUE(store.ok());
  std::map<std::string, std::set<int64_t>> answered_versions;
  for (const Applied& a : applied) {
    EXPECT_TRUE(answered_versions[a.case_id].insert(a.version).second)
        << "two 2xx answers for version " << a.version << " of " << a.case_id;
  }
  for (const std::string& id : cases) {
    auto history = (*store)->GetHistory(id);
    ASSERT_TRUE(history.ok());
    std::set<int64_t> stored;
    for (const engine::HistoryEvent& e : *history) {
      if (e.event == "NameChanged") stored.insert(e.seq);
    }
    EXPECT_EQ(stored, answered_versions[id]) << id;
    auto c = (*store)->GetCase(id);
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(c->version, static_cast<int64_t>(history->size()));
    EXPECT_FALSE(engine::VerifyChain(id, *history, c->history_head).has_value());
  }
  EXPECT_EQ(one.Terminate(), 0) << one.Log();
  EXPECT_EQ(two.Terminate(), 0) << two.Log();
}

}  // namespace
}  // namespace credflow
