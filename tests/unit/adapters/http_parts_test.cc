// The HTTP adapter's socket-free parts: route matching (404 vs 405), the
// problem mapping of engine failures, and the Prometheus text rendering.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "adapters/http/metrics.h"
#include "adapters/http/problem.h"
#include "adapters/http/router.h"

namespace credflow::adapters::http {
namespace {

Router Routes() {
  Router r;
  auto h = [](const HttpRequest&, const PathParams&, const Caller&) { return HttpResponse{}; };
  r.Add({"GET", "/v1/cases/{id}", false, {}, h});
  r.Add({"POST", "/v1/cases/{id}/events", false, {}, h});
  r.Add({"GET", "/v1/cases/{id}/history", false, {}, h});
  r.Add({"GET", "/v1/cases/{id}/history/verify", false, {}, h});
  r.Add({"GET", "/v1/policies/{id}/{version}", false, {}, h});
  return r;
}

TEST(RouterTest, TemplatesBindTheirSegments) {
  Router r = Routes();
  Router::Match m = r.Find("GET", "/v1/policies/commitment/2024.1");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/v1/policies/{id}/{version}");
  EXPECT_EQ(m.params, (PathParams{{"id", "commitment"}, {"version", "2024.1"}}));
  m = r.Find("GET", "/v1/cases/abc/history/verify");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/v1/cases/{id}/history/verify");
}

TEST(RouterTest, AWrongMethodNamesTheAllowedOnesAndAnUnknownPathNone) {
  Router r = Routes();
  Router::Match m = r.Find("DELETE", "/v1/cases/abc");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(m.allowed, std::vector<std::string>{"GET"});
  m = r.Find("GET", "/v1/cases/abc/events");
  EXPECT_EQ(m.allowed, std::vector<std::string>{"POST"});
  m = r.Find("GET", "/v1/cases/");  // an empty id is no id
  EXPECT_EQ(m.route, nullptr);
  EXPECT_TRUE(m.allowed.empty());
  EXPECT_TRUE(r.Find("GET", "/v1/cases/abc/extra/more/segments").allowed.empty());
}

// Segments are split while encoded and decoded after: an encoded '/' or NUL
// never moves a boundary or shortens an id, it makes the path malformed.
TEST(RouterTest, EncodedDelimitersAndControlsMakeAPathMalformed) {
  Router r = Routes();
  Router::Match m = r.Find("GET", "/v1/cases/a%20b%E4%B8%AD");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params.at("id"), "a b\xE4\xB8\xAD");
  EXPECT_NE(r.Find("GET", "/v1/%63ases/abc").route, nullptr);  // an encoded letter is that letter
  for (const char* bad :
       {"/v1/cases/abc%00x", "/v1%2Fcases%2Fabc", "/v1/cases/abc%2fhistory", "/v1/cases/%5Cx", "/v1/cases/%0A",
        "/v1/cases/%7F", "/v1/cases/%zz", "/v1/cases/%4", "/v1/cases/%", "/v1/cases/%FF", "/v1/cases/%C0%AF",
        "/v1/cases/%ED%A0%80", "/v1/cases/a b", "/v1/cases/\xE4\xB8\xAD"}) {
    m = r.Find("GET", bad);
    EXPECT_TRUE(m.malformed_path) << bad;
    EXPECT_EQ(m.route, nullptr) << bad;
  }
}

TEST(ProblemTest, EngineFailuresMapToTheirStatus) {
  using engine::Status;
  EXPECT_EQ(HttpStatusOf(Status::NotFound("case_not_found", "")), 404);
  EXPECT_EQ(HttpStatusOf(Status::InvalidArgument("invalid_form", "")), 422);
  EXPECT_EQ(HttpStatusOf(Status::Conflict("version_mismatch", "")), 409);
  EXPECT_EQ(HttpStatusOf(Status::FailedPrecondition("event_not_allowed", "")), 409);
  EXPECT_EQ(HttpStatusOf(Status::PermissionDenied("other_department", "")), 403);
  EXPECT_EQ(HttpStatusOf(Status::Unavailable("")), 503);
  EXPECT_EQ(HttpStatusOf(Status::Internal("")), 500);
}

TEST(ProblemTest, AnInternalFailureTellsTheClientNothingOfItsCause) {
  HttpResponse r = ProblemFrom(engine::Status::Internal("relation \"cases\" does not exist; password=hunter2"));
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.content_type, "application/problem+json");
  EXPECT_EQ(r.body.find("hunter2"), std::string::npos);
  EXPECT_EQ(r.body.find("relation"), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(r.body).value("code", ""), "internal");
}

// A status's field errors become the problem body's `errors` array (field,
// code, message), and its reason sets the problem type.
TEST(ProblemTest, FieldErrorsTravelAsErrors) {
  HttpResponse r = ProblemFrom(engine::Status::InvalidArgument(
      "invalid_form", "1 field", {{"signed_on", "invalid_date", "signed_on must be YYYY-MM-DD"}}));
  const nlohmann::json j = nlohmann::json::parse(r.body);
  EXPECT_EQ(j["errors"],
            nlohmann::json::parse(
                R"([{"field":"signed_on","code":"invalid_date","message":"signed_on must be YYYY-MM-DD"}])"));
  EXPECT_EQ(j.value("type", ""), "urn:credflow:problem:invalid_form");
  EXPECT_EQ(j.value("title", ""), "Unprocessable Content");
}

// Buckets count everything at or below their bound and label values escape
// quotes; what the store could not say (due timers, overdue tasks) is left out.
TEST(MetricsTest, HistogramBucketsAreCumulativeAndLabelsEscaped) {
  Metrics m;
  m.ObserveRequest("/v1/cases/{id}", "GET", 200, 0.0007);
  m.ObserveRequest("/v1/cases/{id}", "GET", 200, 0.003);
  m.ObserveRequest("/v1/cases/{id}", "GET", 404, 7.0);
  m.CountTransitions({"commitment", "commitment", "verif\"ication"});
  Metrics::StoreReadings readings;
  readings.timers_due = 3;
  readings.overdue_tasks = std::map<std::string, int64_t>{{"tax", 2}, {"fire\"", 1}};
  const std::string text = m.Render(readings);
  EXPECT_NE(text.find("credflow_http_requests_total{route=\"/v1/cases/{id}\",method=\"GET\",status=\"200\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("credflow_http_request_duration_seconds_bucket{route=\"/v1/cases/{id}\",le=\"0.001\"} 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("credflow_http_request_duration_seconds_bucket{route=\"/v1/cases/{id}\",le=\"0.005\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("credflow_http_request_duration_seconds_bucket{route=\"/v1/cases/{id}\",le=\"5\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("credflow_http_request_duration_seconds_bucket{route=\"/v1/cases/{id}\",le=\"+Inf\"} 3\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("credflow_transitions_total{workflow=\"commitment\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("credflow_transitions_total{workflow=\"verif\\\"ication\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("credflow_timers_due 3\n"), std::string::npos);
  EXPECT_NE(text.find("credflow_overdue_tasks{department=\"tax\"} 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("credflow_overdue_tasks{department=\"fire\\\"\"} 1\n"), std::string::npos) << text;
  const std::string unread = m.Render(Metrics::StoreReadings{});
  EXPECT_EQ(unread.find("credflow_timers_due"), std::string::npos);
  EXPECT_EQ(unread.find("credflow_overdue_tasks"), std::string::npos);
}

}  // namespace
}  // namespace credflow::adapters::http
