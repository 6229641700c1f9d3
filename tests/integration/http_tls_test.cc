// `credflow serve --tls-cert --tls-key` (issue 12, item 7): HTTPS with a
// certificate made in the test, checked by a client that trusts exactly that
// certificate; plain HTTP on the TLS port gets nothing in the clear; a
// handshake that never comes is cut off; bad TLS files stop the start with
// a clear error and exit code 2.
#include <gtest/gtest.h>

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/run_command.h"
#include "tests/support/serve_process.h"
#include "tests/support/test_databases.h"
#include "tests/support/tls_files.h"

namespace credflow {
namespace {

using testing::RunCredflow;
using testing::ServeProcess;
using testing::ShellQuote;
using testing::TlsFiles;

constexpr const char* kTlsToken = "cf_tls_test_token_0123456789abcdef01";

struct HttpsReply {
  int status = 0;  // 0: no answer (the reason in body)
  std::string body;
};

// GET over HTTPS, trusting only `ca` (the certificate must verify and name
// 127.0.0.1).
HttpsReply HttpsGet(int port, const std::string& ca, const std::string& target, const std::string& token = "") {
  HttpsReply reply;
  try {
    Poco::Net::Context::Params params;
    params.caLocation = ca;
    params.verificationMode = Poco::Net::Context::VERIFY_STRICT;
    params.loadDefaultCAs = false;
    Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
    Poco::Net::HTTPSClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port), context);
    session.setTimeout(Poco::Timespan(10, 0));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, target, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!token.empty()) request.set("Authorization", "Bearer " + token);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    std::ostringstream body;
    body << in.rdbuf();
    reply.status = static_cast<int>(response.getStatus());
    reply.body = body.str();
  } catch (const Poco::Exception& e) {
    reply.body = e.displayText();
  }
  return reply;
}

// Writes `request` on a plain TCP connection and reads until the server
// closes it; `closed` tells whether it did (rather than the read timing out).
std::string PlainExchange(int port, const std::string& request, bool* closed) {
  std::string text;
  *closed = false;
  try {
    Poco::Net::StreamSocket s(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)));
    s.setReceiveTimeout(Poco::Timespan(10, 0));
    if (!request.empty()) s.sendBytes(request.data(), static_cast<int>(request.size()));
    char buffer[4096];
    for (;;) {
      const int n = s.receiveBytes(buffer, sizeof buffer);
      if (n <= 0) {
        *closed = true;
        break;
      }
      text.append(buffer, static_cast<size_t>(n));
    }
  } catch (const Poco::TimeoutException&) {
    // Still open after 10 s.
  } catch (const Poco::Exception&) {
    *closed = true;  // reset
  }
  return text;
}

class HttpsServeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { Poco::Net::initializeSSL(); }
  static void TearDownTestSuite() { Poco::Net::uninitializeSSL(); }

  void SetUp() override {
    stem_ = ::testing::TempDir() + "/credflow-tls-" + std::to_string(::getpid());
    ASSERT_TRUE(testing::WriteSelfSignedCertificate(stem_ + "-a", &tls_));
    ASSERT_TRUE(testing::WriteSelfSignedCertificate(stem_ + "-b", &other_));
  }
  void TearDown() override {
    for (const std::string& f : {tls_.certificate, tls_.private_key, other_.certificate, other_.private_key}) {
      std::remove(f.c_str());
    }
  }

  void AddCaseworker() {
    const std::string file = stem_ + "-token";
    std::ofstream(file) << kTlsToken << "\n";
    testing::CommandOutput added = RunCredflow("--database " + ShellQuote(db_.url()) +
                                               " user add carol --role caseworker --token-file " + ShellQuote(file));
    ASSERT_EQ(added.exit_code, 0) << added.output;
    std::remove(file.c_str());
  }

  // `credflow serve` with `args`, expected to refuse to start.
  testing::CommandOutput ServeFails(const std::string& args) {
    return RunCredflow("--database " + ShellQuote(db_.url()) +
                       " --clock-date 2025-03-03 serve --listen 127.0.0.1:0 --scheduler-interval 0 " + args);
  }

  std::string stem_;
  TlsFiles tls_;
  TlsFiles other_;  // another self-signed certificate and key
  testing::ScratchSqliteFile db_;
};

// Health and an authenticated route over HTTPS, verified against the
// server's certificate; a client trusting another certificate gets nothing.
TEST_F(HttpsServeTest, ServesHttpsThatVerifiesAgainstItsCertificate) {
  AddCaseworker();
  if (HasFatalFailure()) return;
  ServeProcess serve(
      db_.url(), {"--clock-date", "2025-03-03"},
      {"--scheduler-interval", "0", "--threads", "8", "--tls-cert", tls_.certificate, "--tls-key", tls_.private_key});
  ASSERT_TRUE(serve.ok()) << serve.Log();

  HttpsReply health = HttpsGet(serve.port(), tls_.certificate, "/healthz");
  EXPECT_EQ(health.status, 200) << health.body;
  HttpsReply cases = HttpsGet(serve.port(), tls_.certificate, "/v1/cases", kTlsToken);
  EXPECT_EQ(cases.status, 200) << cases.body;
  EXPECT_NE(cases.body.find("\"items\""), std::string::npos) << cases.body;
  EXPECT_EQ(HttpsGet(serve.port(), tls_.certificate, "/v1/cases", "cf_wrong_token_wrong_token_wrong").status, 401);

  HttpsReply untrusted = HttpsGet(serve.port(), other_.certificate, "/healthz");
  EXPECT_EQ(untrusted.status, 0) << "a client that trusts another certificate must not get an answer";
  EXPECT_NE(serve.Log().find("listening on https://"), std::string::npos) << serve.Log();
}

// Plain HTTP to the TLS port is no HTTP exchange: nothing readable comes
// back and the connection is closed; the server still serves HTTPS after.
TEST_F(HttpsServeTest, PlainHttpToTheTlsPortGetsNoAnswerInTheClear) {
  ServeProcess serve(
      db_.url(), {"--clock-date", "2025-03-03"},
      {"--scheduler-interval", "0", "--threads", "8", "--tls-cert", tls_.certificate, "--tls-key", tls_.private_key});
  ASSERT_TRUE(serve.ok()) << serve.Log();
  bool closed = false;
  const std::string text =
      PlainExchange(serve.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", &closed);
  EXPECT_TRUE(closed);
  EXPECT_EQ(text.find("HTTP/"), std::string::npos) << text;
  EXPECT_EQ(text.find("ok"), std::string::npos) << text;
  EXPECT_EQ(HttpsGet(serve.port(), tls_.certificate, "/healthz").status, 200);
}

// A connection that never starts its handshake is closed after the header
// timeout (it does not hold a worker), and counted in /metrics.
TEST_F(HttpsServeTest, AHandshakeThatNeverComesIsCutOffAtTheHeaderTimeout) {
  ServeProcess serve(db_.url(), {"--clock-date", "2025-03-03"},
                     {"--scheduler-interval", "0", "--threads", "2", "--header-timeout", "1", "--tls-cert",
                      tls_.certificate, "--tls-key", tls_.private_key});
  ASSERT_TRUE(serve.ok()) << serve.Log();
  bool closed = false;
  PlainExchange(serve.port(), "", &closed);  // connects, sends nothing
  EXPECT_TRUE(closed) << "the server must close a connection whose handshake does not come";
  HttpsReply metrics = HttpsGet(serve.port(), tls_.certificate, "/metrics");
  ASSERT_EQ(metrics.status, 200) << metrics.body;
  EXPECT_NE(metrics.body.find("credflow_tls_handshake_failures_total 1\n"), std::string::npos) << metrics.body;
}

// Bad TLS files: the server does not start, says which file and why, and
// exits 2.
TEST_F(HttpsServeTest, BadTlsFilesStopTheStartWithExitCodeTwo) {
  testing::CommandOutput r = ServeFails("--tls-cert " + ShellQuote(tls_.certificate));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--tls-key"), std::string::npos) << r.output;

  r = ServeFails("--tls-cert " + ShellQuote(stem_ + "-missing.crt") + " --tls-key " + ShellQuote(tls_.private_key));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("-missing.crt"), std::string::npos) << r.output;

  r = ServeFails("--tls-cert " + ShellQuote(tls_.certificate) + " --tls-key " + ShellQuote(other_.private_key));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("does not match"), std::string::npos) << r.output;

  const std::string garbage = stem_ + "-garbage.crt";
  std::ofstream(garbage) << "not a certificate\n";
  r = ServeFails("--tls-cert " + ShellQuote(garbage) + " --tls-key " + ShellQuote(tls_.private_key));
  std::remove(garbage.c_str());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("cannot load the TLS certificate"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace credflow
