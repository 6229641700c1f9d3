// Hostile input to the HTTP API (issue 12, "bounded parsing"), over real
// sockets as http_api_test.cc does: a form or event data nested 100,000
// deep, nesting just under and just over the limit, a string over the
// string limit, and GBK bytes in a body or a path. Each answers its problem
// (documented in README "Input limits" and openapi.json), stores nothing,
// and leaves the server answering.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "adapters/http/api.h"
#include "adapters/http/server.h"
#include "adapters/import/text_encoding.h"
#include "adapters/input/bounded_json.h"
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
using testing::FoodLetter;
using testing::HttpClient;
using testing::HttpReply;

constexpr const char* kBoundedSubject = "91320500L968FMY61Q";
constexpr const char* kCaseworker = "cf_test_caseworker_token_0123456789";

// `levels` objects nested in one another, as JSON text: {"a":{"a":...1}}.
std::string Nested(size_t levels) {
  std::string text;
  text.reserve(levels * 6 + 1);
  for (size_t i = 0; i < levels; ++i) text += "{\"a\":";
  text += "1";
  text.append(levels, '}');
  return text;
}

// A filing whose form is the JSON text `form`.
std::string FilingWithForm(const std::string& form) {
  return std::string(R"({"subject":{"code":")") + kBoundedSubject + R"(","name":"苏州禾丰餐饮管理有限公司"},)" +
         R"("type":"food_business_permit","form":)" + form + "}";
}

class HttpBoundedInputTest : public testing::ApiServerTest {
 protected:
  void SetUp() override {
    ApiServerTest::SetUp();
    if (HasFatalFailure()) return;
    AddUser("carol", engine::Role::kCaseworker, "", kCaseworker);
    adapters::http::ServerOptions options;
    options.threads = 8;
    StartServer(adapters::http::ApiOptions{}, options);
  }

  // The number of cases in the store, through the API.
  size_t CaseCount() {
    HttpReply r = client_->Get("/v1/cases", kCaseworker);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.Json().value("items", Json::array()).size();
  }

  // The server still answers: /healthz, and an authenticated read.
  void ExpectHealthy() {
    HttpReply health = client_->Get("/healthz");
    EXPECT_EQ(health.status, 200) << health.body;
    EXPECT_EQ(client_->Get("/v1/cases", kCaseworker).status, 200);
  }

  // Files a well-formed commitment; returns its id.
  std::string File() {
    HttpReply filed = client_->Post("/v1/commitments", kCaseworker,
                                    {{"subject", {{"code", kBoundedSubject}, {"name", "苏州禾丰餐饮管理有限公司"}}},
                                     {"type", "food_business_permit"},
                                     {"form", FoodLetter()}});
    EXPECT_EQ(filed.status, 201) << filed.body;
    return filed.Json().value("id", "");
  }

  // Asserts a problem+json answer with `status` and `code`.
  static void ExpectProblem(const HttpReply& r, int status, const std::string& code) {
    EXPECT_EQ(r.status, status) << r.body.substr(0, 400);
    EXPECT_EQ(r.Header("Content-Type"), "application/problem+json");
    EXPECT_EQ(r.Json().value("code", ""), code) << r.body.substr(0, 400);
  }
};

// The issue's crash: a form nested 100,000 deep is 422 too_deep, no case is
// opened, and the server goes on answering.
TEST_F(HttpBoundedInputTest, AFormNestedHundredThousandDeepIs422AndNothingIsStored) {
  HttpReply r = client_->Send("POST", "/v1/commitments", kCaseworker, FilingWithForm(Nested(100000)));
  ExpectProblem(r, 422, "too_deep");
  EXPECT_NE(r.Json().value("detail", "").find("the request body"), std::string::npos) << r.body;
  EXPECT_EQ(CaseCount(), 0u);
  ExpectHealthy();
  EXPECT_FALSE(File().empty());
}

// Event data nested 100,000 deep is 422 too_deep and the case's history does
// not grow.
TEST_F(HttpBoundedInputTest, EventDataNestedHundredThousandDeepIs422AndNothingIsStored) {
  const std::string id = File();
  ASSERT_FALSE(id.empty());
  const size_t events = client_->Get("/v1/cases/" + id + "/history", kCaseworker).Json()["events"].size();
  ASSERT_GT(events, 0u);

  HttpReply r = client_->Send("POST", "/v1/cases/" + id + "/events", kCaseworker,
                              R"({"event":"CommitmentWithdrawn","data":)" + Nested(100000) + "}");
  ExpectProblem(r, 422, "too_deep");
  EXPECT_EQ(client_->Get("/v1/cases/" + id + "/history", kCaseworker).Json()["events"].size(), events);
  ExpectHealthy();
}

// A body nested exactly kMaxJsonDepth deep is decoded (and then judged by the
// form, which knows no such field); one level more is too_deep.
TEST_F(HttpBoundedInputTest, NestingUpToTheLimitIsDecodedAndOneMoreIsTooDeep) {
  // The body object and the form object are two of the levels.
  const size_t inner = adapters::input::kMaxJsonDepth - 2;
  Json form = FoodLetter();
  HttpReply at_limit = client_->Send(
      "POST", "/v1/commitments", kCaseworker,
      FilingWithForm(form.dump().substr(0, form.dump().size() - 1) + ",\"extra\":" + Nested(inner) + "}"));
  EXPECT_EQ(at_limit.status, 422) << at_limit.body;
  EXPECT_NE(at_limit.Json().value("code", ""), "too_deep") << at_limit.body;
  HttpReply over = client_->Send(
      "POST", "/v1/commitments", kCaseworker,
      FilingWithForm(form.dump().substr(0, form.dump().size() - 1) + ",\"extra\":" + Nested(inner + 1) + "}"));
  ExpectProblem(over, 422, "too_deep");
  EXPECT_EQ(CaseCount(), 0u);
}

// A string over kMaxJsonStringBytes (in a body under the 1 MiB limit) is 422
// string_too_long.
TEST_F(HttpBoundedInputTest, AStringOverTheLimitIs422) {
  Json body = {
      {"subject", {{"code", kBoundedSubject}, {"name", std::string(adapters::input::kMaxJsonStringBytes + 1, 'x')}}},
      {"type", "food_business_permit"},
      {"form", FoodLetter()}};
  HttpReply r = client_->Post("/v1/commitments", kCaseworker, body);
  ExpectProblem(r, 422, "string_too_long");
  EXPECT_EQ(CaseCount(), 0u);
  ExpectHealthy();
  EXPECT_FALSE(File().empty());
}

// GBK bytes in a JSON body (an old client's encoding) are 400 invalid_utf8
// naming the body, nothing is stored, and the server is fine.
TEST_F(HttpBoundedInputTest, GbkBytesInTheBodyAre400NamingTheBody) {
  engine::Result<std::string> gbk = adapters::importer::EncodeFromUtf8("苏州禾丰餐饮管理有限公司", "GBK");
  ASSERT_OK(gbk);
  const std::string body = std::string(R"({"subject":{"code":")") + kBoundedSubject + R"(","name":")" + *gbk +
                           R"("},"type":"food_business_permit","form":)" + FoodLetter().dump() + "}";
  HttpReply r = client_->Send("POST", "/v1/commitments", kCaseworker, body);
  ExpectProblem(r, 400, "invalid_utf8");
  EXPECT_NE(r.Json().value("detail", "").find("the request body is not valid UTF-8"), std::string::npos) << r.body;
  EXPECT_EQ(CaseCount(), 0u);
  ExpectHealthy();
  EXPECT_FALSE(File().empty());
}

// GBK bytes percent-encoded in a path segment are a 400 problem, never a
// lookup with them nor an exception.
TEST_F(HttpBoundedInputTest, GbkBytesInAPathAre400) {
  HttpReply r = client_->Get("/v1/cases/%CB%D5%D6%DD", kCaseworker);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.Header("Content-Type"), "application/problem+json");
  ExpectHealthy();
}

}  // namespace
}  // namespace credflow
