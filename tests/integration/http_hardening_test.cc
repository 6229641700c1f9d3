// The server against clients that do not play along (issue 12, item 2): idle
// and slow connections, requests refused from their head alone, encoded
// delimiters in ids, malformed heads. Real sockets against Poco's server on
// port 0 in this process; raw requests are written byte for byte, so that
// nothing in a client library fixes them up. Every case ends with the server
// still answering /healthz.
#include <gtest/gtest.h>

#include <Poco/Exception.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "adapters/http/api.h"
#include "adapters/http/server.h"
#include "adapters/store/soci_case_store.h"
#include "engine/case_service.h"
#include "engine/clock.h"
#include "engine/user.h"
#include "tests/support/api_server_fixture.h"
#include "tests/support/http_client.h"
#include "tests/support/shipped_rules.h"
#include "tests/support/status_matchers.h"
#include "tests/support/test_databases.h"
#include "workflows/registry.h"

namespace credflow {
namespace {

using engine::Json;
using testing::HttpClient;
using testing::HttpReply;
using SteadyClock = std::chrono::steady_clock;

constexpr const char* kToken = "cf_test_caseworker_token_0123456789";
constexpr const char* kSubject = "91320500L968FMY61Q";

Json Filing() { return testing::FoodFiling(kSubject); }

// What came back on a raw connection: the status of the final answer, its
// body, and whether an interim 100 Continue came first.
struct RawReply {
  int status = 0;
  std::string text;  // everything read
  std::string body;
  bool saw_continue = false;

  Json Problem() const { return Json::parse(body, nullptr, false); }
};

RawReply ParseReply(const std::string& text) {
  RawReply r;
  r.text = text;
  std::string rest = text;
  if (rest.rfind("HTTP/1.1 100", 0) == 0) {
    r.saw_continue = true;
    const size_t end = rest.find("\r\n\r\n");
    rest = end == std::string::npos ? "" : rest.substr(end + 4);
  }
  if (rest.rfind("HTTP/1.", 0) == 0 && rest.size() >= 12) r.status = std::stoi(rest.substr(9, 3));
  const size_t end = rest.find("\r\n\r\n");
  if (end != std::string::npos) r.body = rest.substr(end + 4);
  return r;
}

// Writes `request` as is on a new connection (from `source`, an address of
// this machine, when given) and reads until the server closes it (or
// `timeout`).
RawReply Raw(int port, const std::string& request, std::chrono::seconds timeout = std::chrono::seconds(5),
             const std::string& source = "") {
  std::string text;
  try {
    Poco::Net::StreamSocket s;
    if (!source.empty()) s.impl()->bind(Poco::Net::SocketAddress(source, 0), /*reuseAddress=*/false);
    s.connect(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)));
    s.setReceiveTimeout(Poco::Timespan(static_cast<long>(timeout.count()), 0));
    s.sendBytes(request.data(), static_cast<int>(request.size()));
    char buffer[4096];
    for (;;) {
      const int n = s.receiveBytes(buffer, sizeof buffer);
      if (n <= 0) break;
      text.append(buffer, static_cast<size_t>(n));
    }
  } catch (const Poco::Exception&) {
    // Timed out or reset: keep what was read.
  }
  return ParseReply(text);
}

class HttpHardeningTest : public testing::ApiServerTest {
 protected:
  void SetUp() override {
    ApiServerTest::SetUp();
    if (HasFatalFailure()) return;
    AddUser("carol", engine::Role::kCaseworker, "", kToken);
  }

  void Start(const adapters::http::ServerOptions& options) { StartServer(adapters::http::ApiOptions{}, options); }
  // Short timeouts so that the tests of them take seconds.
  void StartDefault() {
    adapters::http::ServerOptions options;
    options.header_timeout_seconds = 2;
    options.body_timeout_seconds = 3;
    options.keep_alive_seconds = 2;
    Start(options);
  }
  int port() const { return server_->port(); }

  // The server still answers, at once, on a fresh connection.
  void ExpectHealthy() {
    HttpClient fresh("127.0.0.1", port());
    const auto started = SteadyClock::now();
    HttpReply r = fresh.Get("/healthz");
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_LT(SteadyClock::now() - started, std::chrono::seconds(1));
  }

  // Files a commitment; the id of its verification case (Scheduled).
  std::string Verification() {
    HttpReply r = client_->Post("/v1/commitments", kToken, Filing());
    EXPECT_EQ(r.status, 201) << r.body;
    r = client_->Get("/v1/cases/" + r.Json().value("id", ""), kToken);
    const Json children = r.Json().value("children", Json::array());
    return children.empty() ? "" : children[0].value("id", "");
  }

  static void ExpectProblem(const RawReply& r, int status, const std::string& code) {
    EXPECT_EQ(r.status, status) << r.text.substr(0, 400);
    EXPECT_NE(r.text.find("Content-Type: application/problem+json"), std::string::npos) << r.text.substr(0, 400);
    EXPECT_EQ(r.Problem().value("code", ""), code) << r.body;
    EXPECT_EQ(r.Problem().value("status", 0), status);
  }
};

// 200 connections that send nothing hold 200 threads, not the server: a
// client files a commitment and reads it, each answer within a second.
TEST_F(HttpHardeningTest, TwoHundredIdleConnectionsDoNotDelayAFilingOrARead) {
  adapters::http::ServerOptions options;
  options.header_timeout_seconds = 20;  // the idle ones stay for the whole test
  options.max_connections_per_client = 0;
  Start(options);
  std::vector<Poco::Net::StreamSocket> idle;
  for (int i = 0; i < 200; ++i) {
    idle.emplace_back(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port())));
  }
  auto timed = [](auto&& request) {
    const auto started = SteadyClock::now();
    HttpReply r = request();
    return std::make_pair(r, SteadyClock::now() - started);
  };
  auto [filed, filing_time] = timed([&] { return client_->Post("/v1/commitments", kToken, Filing()); });
  EXPECT_EQ(filed.status, 201) << filed.body;
  EXPECT_LT(filing_time, std::chrono::seconds(1));
  auto [read, read_time] = timed([&] { return client_->Get("/v1/cases/" + filed.Json().value("id", ""), kToken); });
  EXPECT_EQ(read.status, 200) << read.body;
  EXPECT_LT(read_time, std::chrono::seconds(1));
  ExpectHealthy();
  // The idle connections were held all along, not refused.
  for (Poco::Net::StreamSocket& s : idle) EXPECT_FALSE(s.poll(Poco::Timespan(0), Poco::Net::Socket::SELECT_READ));
}

// Headers sent one byte per 100 ms (slowloris) do not delay anyone else, and
// are cut off with 408 once the head is past its deadline.
TEST_F(HttpHardeningTest, SlowHeadersAreCutOffWithoutDelayingOthers) {
  StartDefault();  // the head within 2 s
  const std::string head = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: " + std::string(200, 'a');
  std::vector<Poco::Net::StreamSocket> slow;
  for (int i = 0; i < 20; ++i) {
    slow.emplace_back(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port())));
  }
  std::vector<std::string> answers(slow.size());
  std::vector<bool> done(slow.size(), false);
  const auto started = SteadyClock::now();
  for (size_t sent = 0; sent < head.size() && SteadyClock::now() - started < std::chrono::seconds(6); ++sent) {
    for (size_t i = 0; i < slow.size(); ++i) {
      if (done[i]) continue;
      try {
        if (slow[i].poll(Poco::Timespan(0), Poco::Net::Socket::SELECT_READ)) {
          char buffer[4096];
          slow[i].setReceiveTimeout(Poco::Timespan(1, 0));
          for (int n; (n = slow[i].receiveBytes(buffer, sizeof buffer)) > 0;) answers[i].append(buffer, n);
          done[i] = true;
          continue;
        }
        slow[i].sendBytes(&head[sent], 1);
      } catch (const Poco::Exception&) {
        done[i] = true;
      }
    }
    if (std::all_of(done.begin(), done.end(), [](bool d) { return d; })) break;
    if (sent == 5) ExpectHealthy();  // while they trickle
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  // Every one was cut off (well before its 230-byte head was through).
  for (size_t i = 0; i < slow.size(); ++i) {
    EXPECT_TRUE(done[i]) << "connection " << i << " was not cut off";
    const RawReply r = ParseReply(answers[i]);
    EXPECT_EQ(r.status, 408) << answers[i];
    EXPECT_EQ(r.Problem().value("code", ""), "request_timeout");
  }
  EXPECT_LT(SteadyClock::now() - started, std::chrono::seconds(5));
  ExpectHealthy();
}

// TRACE and CONNECT are refused at once, naming the methods the path serves.
TEST_F(HttpHardeningTest, TraceAndConnectAre405WithAllow) {
  StartDefault();
  RawReply r = Raw(port(), "TRACE /v1/commitments HTTP/1.1\r\nHost: x\r\n\r\n");
  ExpectProblem(r, 405, "method_not_allowed");
  EXPECT_NE(r.text.find("Allow: POST"), std::string::npos) << r.text;
  r = Raw(port(), "TRACE /nowhere HTTP/1.1\r\nHost: x\r\n\r\n");
  ExpectProblem(r, 405, "method_not_allowed");
  r = Raw(port(), "CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\n\r\n");
  ExpectProblem(r, 405, "method_not_allowed");
  ExpectHealthy();
}

// A version credflow does not speak is 505, in an answer that is itself
// HTTP/1.1 (Poco echoed the request's "HTTP/2.0" in the status line).
TEST_F(HttpHardeningTest, AnUnknownVersionIs505InHttp11) {
  StartDefault();
  RawReply r = Raw(port(), "GET /healthz HTTP/2.0\r\nHost: x\r\n\r\n");
  ExpectProblem(r, 505, "http_version_not_supported");
  EXPECT_EQ(r.text.rfind("HTTP/1.1 505 ", 0), 0u) << r.text;
  r = Raw(port(), "GET /healthz HTTP/1.0\r\n\r\n");
  EXPECT_EQ(r.text.rfind("HTTP/1.0 200 ", 0), 0u) << r.text;
  ExpectHealthy();
}

// A POST with neither Content-Length nor chunked coding is 411 at once (it
// used to wait for the client to close).
TEST_F(HttpHardeningTest, APostWithoutLengthIs411) {
  StartDefault();
  const auto started = SteadyClock::now();
  RawReply r = Raw(port(), "POST /v1/commitments HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + std::string(kToken) +
                               "\r\nContent-Type: application/json\r\n\r\n{}");
  ExpectProblem(r, 411, "length_required");
  EXPECT_LT(SteadyClock::now() - started, std::chrono::seconds(2));
  ExpectHealthy();
}

// A declared 64 MiB body is 413 from the head alone: no body byte is sent,
// and the answer comes anyway.
TEST_F(HttpHardeningTest, ADeclaredSixtyFourMebibyteBodyIs413BeforeAnyByteIsRead) {
  StartDefault();
  const auto started = SteadyClock::now();
  RawReply r = Raw(port(),
                   "POST /v1/commitments HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                   "Content-Length: 67108864\r\n\r\n");
  ExpectProblem(r, 413, "body_too_large");
  EXPECT_LT(SteadyClock::now() - started, std::chrono::seconds(2));
  ExpectHealthy();
}

// Expect: 100-continue on an oversized body gets the final 413, never
// 100 Continue; an expectation other than 100-continue is 417.
TEST_F(HttpHardeningTest, ExpectContinueOnAnOversizedBodyIs413WithoutContinue) {
  StartDefault();
  RawReply r = Raw(port(),
                   "POST /v1/commitments HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                   "Content-Length: 67108864\r\nExpect: 100-continue\r\n\r\n");
  ExpectProblem(r, 413, "body_too_large");
  EXPECT_FALSE(r.saw_continue) << r.text;
  EXPECT_EQ(r.text.find("100 Continue"), std::string::npos);
  r = Raw(port(),
          "POST /v1/commitments HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          "Content-Length: 2\r\nExpect: 200-ok\r\n\r\n");
  ExpectProblem(r, 417, "expectation_failed");
  // A body within the limit does get its 100 Continue, then the answer.
  r = Raw(port(),
          "POST /v1/commitments HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          "Content-Length: 2\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n{}");
  EXPECT_TRUE(r.saw_continue) << r.text;
  EXPECT_EQ(r.status, 401) << r.text;
  ExpectHealthy();
}

// %00 and %2F in an id are a malformed path (400), not the case before them:
// reading and firing both refuse, and the case is unchanged.
TEST_F(HttpHardeningTest, EncodedNulAndSlashInAnIdAre400AndFireNothing) {
  StartDefault();
  const std::string v = Verification();
  ASSERT_FALSE(v.empty());
  const HttpReply before = client_->Get("/v1/cases/" + v, kToken);
  ASSERT_EQ(before.status, 200);

  HttpReply r = client_->Get("/v1/cases/" + v + "%00anything", kToken);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.Json().value("code", ""), "invalid_path");
  EXPECT_EQ(r.Header("Content-Type"), "application/problem+json");
  r = client_->Post("/v1/cases/" + v + "%00anything/events", kToken, {{"event", "VerificationStarted"}});
  EXPECT_EQ(r.status, 400) << r.body;
  r = client_->Get("/v1%2Fcases%2F" + v, kToken);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.Json().value("code", ""), "invalid_path");
  r = client_->Post("/v1/cases/" + v + "%2Fx/events", kToken, {{"event", "VerificationStarted"}});
  EXPECT_EQ(r.status, 400) << r.body;
  r = client_->Get("/v1/cases/%ZZ", kToken);
  EXPECT_EQ(r.status, 400) << r.body;

  const HttpReply after = client_->Get("/v1/cases/" + v, kToken);
  EXPECT_EQ(after.Json().value("version", -1), before.Json().value("version", -2));
  EXPECT_EQ(after.Json().value("state", ""), before.Json().value("state", "?"));
  ExpectHealthy();
}

// An HTTP/1.1 request without Host, or with two, is 400 (RFC 9112 3.2).
TEST_F(HttpHardeningTest, ARequestWithoutHostIs400) {
  StartDefault();
  ExpectProblem(Raw(port(), "GET /healthz HTTP/1.1\r\n\r\n"), 400, "invalid_host");
  ExpectProblem(Raw(port(), "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), 400, "invalid_host");
  // HTTP/1.0 has no Host requirement.
  EXPECT_EQ(Raw(port(), "GET /healthz HTTP/1.0\r\n\r\n").status, 200);
  ExpectHealthy();
}

// A header name that is not a token (a space in it, a space before the
// colon) is 400; a control character in a value too.
TEST_F(HttpHardeningTest, AHeaderNameWithASpaceIs400) {
  StartDefault();
  ExpectProblem(Raw(port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nBad Name: 1\r\n\r\n"), 400, "invalid_header");
  ExpectProblem(Raw(port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Name : 1\r\n\r\n"), 400, "invalid_header");
  const char nul_in_value[] = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n";
  ExpectProblem(Raw(port(), std::string(nul_in_value, sizeof nul_in_value - 1)), 400, "invalid_header");
  ExpectHealthy();
}

// A 64 KiB path is 414 with a problem body (Poco refuses it before any
// handler); so is one just over the server's own 8 KiB limit.
TEST_F(HttpHardeningTest, ASixtyFourKibibytePathIs414WithAProblem) {
  StartDefault();
  ExpectProblem(Raw(port(), "GET /" + std::string(64 << 10, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n"), 414,
                "uri_too_long");
  ExpectProblem(Raw(port(), "GET /" + std::string(9000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n"), 414, "uri_too_long");
  ExpectHealthy();
}

// A body that stops coming is cut off with 408 after the body timeout.
TEST_F(HttpHardeningTest, AStalledBodyIs408) {
  StartDefault();  // no pause over 2 s, whole within 3 s
  const auto started = SteadyClock::now();
  RawReply r = Raw(port(),
                   "POST /v1/commitments HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                   "Content-Length: 100\r\n\r\n{\"subject\":");
  ExpectProblem(r, 408, "request_timeout");
  EXPECT_LT(SteadyClock::now() - started, std::chrono::seconds(5));
  ExpectHealthy();
}

// One address holding its quota of connections gets 503 for the next; the
// others are still served, and so is it once one closes.
TEST_F(HttpHardeningTest, AClientOverItsConnectionLimitIs503) {
  adapters::http::ServerOptions options;
  options.max_connections_per_client = 4;
  Start(options);
  std::vector<std::unique_ptr<Poco::Net::StreamSocket>> held;
  for (int i = 0; i < 4; ++i) {
    held.push_back(std::make_unique<Poco::Net::StreamSocket>(
        Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port()))));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // all four picked up by threads
  ExpectProblem(Raw(port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"), 503, "too_many_connections");
  held.pop_back();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(Raw(port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").status, 200);
}

// What the server's log says while it lives: the default logger is swapped
// for one that writes into a string.
class CapturedLog {
 public:
  CapturedLog() : previous_(spdlog::default_logger()) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(text_);
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("captured", sink));
  }
  ~CapturedLog() { spdlog::set_default_logger(previous_); }
  std::string text() const { return text_.str(); }

 private:
  std::ostringstream text_;
  std::shared_ptr<spdlog::logger> previous_;
};

// The value of a metrics line ("name{labels} value"), or -1 when absent.
long MetricValue(const std::string& metrics, const std::string& series) {
  const size_t at = metrics.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stol(metrics.substr(at + series.size() + 2));
}

// Ten wrong tokens from one address back it off (requests without any are
// only counted): its next
// requests are 429 with Retry-After, a valid token included, without a
// lookup; another address (127.0.0.2) is served; public routes still
// answer; /metrics counts both; the log names the address and the reason,
// never the token or its hash.
TEST_F(HttpHardeningTest, RepeatedAuthenticationFailuresBackTheAddressOff) {
  CapturedLog log;
  adapters::http::ApiOptions api;
  api.auth_cache_ttl = std::chrono::milliseconds(0);
  StartServer(api, adapters::http::ServerOptions{});
  const std::string wrong = "cf_wrong_guess_0123456789abcdefghijkl";
  // No credential at all is no guess: counted, logged at debug, no back-off
  // (a console opened by a whole office behind one address).
  for (int i = 0; i < 12; ++i) EXPECT_EQ(client_->Get("/v1/cases", "").status, 401) << i;
  for (int i = 0; i < 10; ++i) EXPECT_EQ(client_->Get("/v1/cases", wrong).status, 401) << i;
  HttpReply refused = client_->Get("/v1/cases", wrong);
  EXPECT_EQ(refused.status, 429) << refused.body;
  EXPECT_EQ(refused.Header("Content-Type"), "application/problem+json");
  EXPECT_EQ(refused.Json().value("code", ""), "too_many_authentication_failures");
  const std::string retry = refused.Header("Retry-After");
  ASSERT_FALSE(retry.empty());
  EXPECT_GE(std::stoi(retry), 1);
  EXPECT_LE(std::stoi(retry), 30);
  EXPECT_EQ(client_->Get("/v1/cases", kToken).status, 429) << "a backed-off address is refused, good token or not";
  EXPECT_EQ(client_->Get("/healthz").status, 200);

  const std::string good = "GET /v1/cases HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + std::string(kToken) +
                           "\r\nConnection: close\r\n\r\n";
  EXPECT_EQ(Raw(port(), good, std::chrono::seconds(5), "127.0.0.2").status, 200) << "another address is unaffected";
  EXPECT_EQ(Raw(port(), good, std::chrono::seconds(5), "127.0.0.1").status, 429);

  const std::string metrics = client_->Get("/metrics").body;
  EXPECT_EQ(MetricValue(metrics, "credflow_auth_failures_total{code=\"invalid_token\"}"), 10) << metrics;
  EXPECT_EQ(MetricValue(metrics, "credflow_auth_failures_total{code=\"missing_token\"}"), 12) << metrics;
  EXPECT_EQ(MetricValue(metrics, "credflow_auth_backoff_total"), 3) << metrics;

  const std::string text = log.text();
  EXPECT_NE(text.find("authentication failed from 127.0.0.1: unknown token"), std::string::npos) << text;
  EXPECT_EQ(text.find("missing token"), std::string::npos) << "no credential is not logged as a failure";
  EXPECT_NE(text.find("127.0.0.1 backed off for 30 s"), std::string::npos) << text;
  EXPECT_EQ(text.find(wrong), std::string::npos) << "the log must not hold the token";
  EXPECT_EQ(text.find(engine::TokenHash(wrong)), std::string::npos) << "nor its hash";
  EXPECT_EQ(text.find(engine::TokenHash(wrong).substr(0, 16)), std::string::npos) << "nor part of it";
}

// A disabled user's token counts as a failure too.
TEST_F(HttpHardeningTest, ADisabledUsersTokenCountsAsAFailure) {
  CapturedLog log;
  adapters::http::ApiOptions api;
  api.auth_cache_ttl = std::chrono::milliseconds(0);
  api.auth_backoff.failure_limit = 2;
  StartServer(api, adapters::http::ServerOptions{});
  ASSERT_OK(store_->SetUserDisabled("carol", true));
  EXPECT_EQ(client_->Get("/v1/cases", kToken).status, 401);
  EXPECT_EQ(client_->Get("/v1/cases", kToken).status, 401);
  EXPECT_EQ(client_->Get("/v1/cases", kToken).status, 429);
  EXPECT_NE(log.text().find("authentication failed from 127.0.0.1: disabled user carol"), std::string::npos)
      << log.text();
}

// The server's own refusals are counted by status: a 408 for a slow head
// and a 503 over the per-client limit.
// A connection counts for its client from the moment it is accepted, not
// when a thread takes it: with every thread busy, a burst from one client
// waits in the queue only up to its limit, and the rest is refused at once.
TEST_F(HttpHardeningTest, QueuedConnectionsCountTowardsTheClientsLimit) {
  adapters::http::ServerOptions options;
  options.threads = 1;
  options.header_timeout_seconds = 10;  // the first holds the only thread
  options.max_connections_per_client = 3;
  Start(options);
  std::vector<Poco::Net::StreamSocket> held;
  for (int i = 0; i < 3; ++i) {
    held.emplace_back(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port())));
  }
  const auto started = SteadyClock::now();
  ExpectProblem(Raw(port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", std::chrono::seconds(5)), 503,
                "too_many_connections");
  EXPECT_LT(SteadyClock::now() - started, std::chrono::seconds(2));
  // Once they are gone the client is welcome again.
  held.clear();
  RawReply r;
  for (int i = 0; i < 50 && r.status != 200; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    r = Raw(port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  }
  EXPECT_EQ(r.status, 200) << r.text.substr(0, 400);
}

TEST_F(HttpHardeningTest, TheServersOwnRefusalsAreCounted) {
  adapters::http::ServerOptions options;
  options.header_timeout_seconds = 1;
  options.max_connections_per_client = 2;
  Start(options);
  ExpectProblem(Raw(port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n"), 408, "request_timeout");
  ExpectProblem(Raw(port(), "TRACE / HTTP/1.1\r\nHost: x\r\n\r\n"), 405, "method_not_allowed");
  {
    // From an address of its own: the server may still be letting go of
    // 127.0.0.1's connections above (the client sees the close first).
    auto from = [this](const std::string& source) {
      Poco::Net::StreamSocket s;
      s.impl()->bind(Poco::Net::SocketAddress(source, 0), /*reuseAddress=*/false);
      s.connect(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port())));
      return s;
    };
    Poco::Net::StreamSocket a = from("127.0.0.3");
    Poco::Net::StreamSocket b = from("127.0.0.3");
    ExpectProblem(Raw(port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", std::chrono::seconds(5), "127.0.0.3"), 503,
                  "too_many_connections");
  }
  // Read from another address again: 127.0.0.3's two connections may not
  // be let go yet, and another 503 would be counted.
  const std::string metrics =
      Raw(port(), "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", std::chrono::seconds(5), "127.0.0.2")
          .body;
  EXPECT_EQ(MetricValue(metrics, "credflow_http_refused_total{status=\"408\"}"), 1) << metrics;
  EXPECT_EQ(MetricValue(metrics, "credflow_http_refused_total{status=\"503\"}"), 1) << metrics;
  EXPECT_EQ(MetricValue(metrics, "credflow_http_refused_total{status=\"405\"}"), 1) << metrics;
}

}  // namespace
}  // namespace credflow
