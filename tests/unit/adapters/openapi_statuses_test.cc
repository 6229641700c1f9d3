// The check the HTTP test client applies to every answer: a status (and its
// media type) must be one the OpenAPI document lists for the route.
#include "tests/support/openapi_statuses.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace credflow::testing {
namespace {

using nlohmann::json;

// Two paths, one shared response by $ref, one operation with a default.
OpenApiStatuses Small() {
  const json problem = {{"application/problem+json", {{"schema", {{"type", "object"}}}}}};
  return OpenApiStatuses(
      json{{"paths",
            {{"/v1/cases/{id}",
              {{"get",
                {{"responses",
                  {{"200", {{"description", "the case"}, {"content", {{"application/json", json::object()}}}}},
                   {"404", {{"$ref", "#/components/responses/NotFound"}}}}}}}}},
             {"/v1/cases/{id}/history/verify", {{"get", {{"responses", {{"default", {{"description", "any"}}}}}}}}},
             {"/v1/cases/summary", {{"get", {{"responses", {{"204", {{"description", "none"}}}}}}}}}}},
           {"components", {{"responses", {{"NotFound", {{"description", "not found"}, {"content", problem}}}}}}}});
}

// A listed status with a listed media type passes; the query is no part of
// the path.
TEST(OpenApiStatusesTest, ADocumentedAnswerPasses) {
  const OpenApiStatuses doc = Small();
  EXPECT_EQ(doc.Check("GET", "/v1/cases/c1", 200, "application/json; charset=utf-8"), "");
  EXPECT_EQ(doc.Check("GET", "/v1/cases/c1?x=1", 404, "application/problem+json"), "");
  EXPECT_EQ(doc.Check("GET", "/v1/cases/c1/history/verify", 418, "text/plain"), "") << "default covers it";
}

// A status the operation does not list, or another media type, is named.
TEST(OpenApiStatusesTest, AnUndocumentedStatusOrMediaTypeFails) {
  const OpenApiStatuses doc = Small();
  const std::string why = doc.Check("GET", "/v1/cases/c1", 409, "application/problem+json");
  EXPECT_NE(why.find("GET /v1/cases/c1 answered 409"), std::string::npos) << why;
  EXPECT_NE(why.find("/v1/cases/{id}"), std::string::npos) << why;
  EXPECT_NE(doc.Check("GET", "/v1/cases/c1", 404, "text/html"), "");
}

// A literal segment wins over a template, as OpenAPI's path matching says.
TEST(OpenApiStatusesTest, ALiteralPathWinsOverATemplate) {
  const OpenApiStatuses doc = Small();
  EXPECT_EQ(doc.Check("GET", "/v1/cases/summary", 204, ""), "");
  EXPECT_NE(doc.Check("GET", "/v1/cases/summary", 200, "application/json"), "");
}

// A path or method the document has no operation for may get only the
// answers given before or instead of routing (404, 405, the server's
// refusals of a request it cannot serve).
TEST(OpenApiStatusesTest, AnUndocumentedRouteMayOnlyBeRefused) {
  const OpenApiStatuses doc = Small();
  EXPECT_EQ(doc.Check("GET", "/v1/nothing", 404, "application/problem+json"), "");
  EXPECT_EQ(doc.Check("DELETE", "/v1/cases/c1", 405, "application/problem+json"), "");
  EXPECT_EQ(doc.Check("GET", "/v1/cases/", 404, "application/problem+json"), "") << "an empty id is no id";
  EXPECT_NE(doc.Check("GET", "/v1/nothing", 200, "application/json"), "");
  EXPECT_NE(doc.Check("POST", "/v1/cases/c1", 201, "application/json"), "");
}

// The served document says POST /v1/commitments may answer 409 (a refused
// filing) and GET /v1/policies may not (nothing there conflicts).
TEST(OpenApiStatusesTest, TheServedDocumentIsTheOneChecked) {
  const OpenApiStatuses& served = OpenApiStatuses::Served();
  EXPECT_EQ(served.Check("POST", "/v1/commitments", 409, "application/problem+json"), "");
  EXPECT_NE(served.Check("GET", "/v1/policies", 409, "application/problem+json"), "");
}

}  // namespace
}  // namespace credflow::testing
