// Api::Handle without sockets: routing (404/405), the body limit, headers
// (Authorization, Idempotency-Key, If-Match, Content-Type), bounded JSON
// decoding, and the commands' event and form validation.
//
// Input: an HTTP/1.1-like request as text,
//   METHOD /path?name=value&...
//   Header: value
//   ...
//   <empty line>
//   body
// where $CASE, $RECORD, $REPAIR and $TASK (anywhere) stand for the ids of a
// commitment, a dishonesty record, a repair application and its department
// task that the world was seeded with, and the bearer tokens cw, dept, aud
// and adm name a caseworker, a market-department user, an auditor and an
// admin. Properties: Handle never throws, answers a status in 100..599, and
// a JSON answer parses as JSON.
#include <nlohmann/json.hpp>

#include <memory>
#include <string>

#include "adapters/http/api.h"
#include "engine/user.h"
#include "tests/fuzz/fuzz_support.h"

namespace credflow::fuzz {
namespace {

using adapters::http::HttpRequest;
using adapters::http::HttpResponse;
using engine::Json;

constexpr const char* kSubject = "91320500L968FMY61Q";
// Inputs run against one world before it is rebuilt (its cases pile up).
constexpr int kInputsPerWorld = 2000;

struct ApiWorld {
  World world;
  std::unique_ptr<adapters::http::Api> api;
  std::string case_id, record_id, repair_id, task_id;

  ApiWorld() {
    const engine::Timestamp now = world.clock.Now();
    const struct {
      const char* name;
      engine::Role role;
      const char* department;
      const char* token;
    } users[] = {{"carol", engine::Role::kCaseworker, "", "cw"},
                 {"mkt", engine::Role::kDepartment, "market", "dept"},
                 {"audra", engine::Role::kAuditor, "", "aud"},
                 {"root", engine::Role::kAdmin, "", "adm"}};
    for (const auto& u : users) {
      const engine::User user{u.name, u.role, u.department, engine::TokenHash(u.token), false, now, ""};
      CREDFLOW_FUZZ_CHECK(world.store.PutUser(user).ok(), "cannot add a user");
    }
    adapters::http::ApiOptions options;
    options.auth_cache_ttl = std::chrono::milliseconds(0);
    api = std::make_unique<adapters::http::Api>(world.service.get(), options);
    case_id = Seed("/v1/commitments", Json{{"subject", {{"code", kSubject}, {"name", "苏州禾丰餐饮管理有限公司"}}},
                                           {"type", "food_business_permit"},
                                           {"form",
                                            {{"applicant_name", "苏州禾丰餐饮管理有限公司"},
                                             {"legal_representative", "周建华"},
                                             {"premises_address", "苏州市姑苏区人民路1288号"},
                                             {"business_items", {"prepackaged_food_sales"}},
                                             {"signed_on", "2025-03-03"}}}})
                  .value("id", "");
    const Json record = {{"subject", kSubject}, {"department", "market"},    {"platform", "credit_china"},
                         {"kind", "penalty"},   {"tier", "general"},         {"penalties", {"fine"}},
                         {"amount", 20000},     {"decided_on", "2024-06-03"}};
    record_id = Seed("/v1/records", record).value("id", "");
    Json another = record;  // the same record twice is refused (record_exists)
    another["decision_number"] = "苏市监罚〔2024〕2号";
    const std::string repaired = Seed("/v1/records", another).value("id", "");
    Seed("/v1/records/" + repaired + "/fulfilment", Json::object(), 200);
    const Json repair =
        Seed("/v1/repairs",
             Json{{"subject", kSubject},
                  {"records", {repaired}},
                  {"documents", {"repair_commitment", "proof_of_performance", "business_licence", "agent_id"}}});
    repair_id = repair.value("id", "");
    if (repair.contains("tasks") && repair["tasks"].is_array() && !repair["tasks"].empty()) {
      task_id = repair["tasks"][0].value("id", "");
    }
    CREDFLOW_FUZZ_CHECK(!task_id.empty(), "the seeded repair has no department task");
  }

  Json Seed(const std::string& path, const Json& body, int expected = 201) {
    HttpRequest req;
    req.method = "POST";
    req.path = path;
    req.headers["Authorization"] = "Bearer cw";
    req.headers["Content-Type"] = "application/json";
    req.body = body.dump();
    const HttpResponse resp = api->Handle(req);
    CREDFLOW_FUZZ_CHECK(resp.status == expected,
                        "seeding " + path + " answered " + std::to_string(resp.status) + ": " + resp.body);
    return Json::parse(resp.body);
  }
};

void ReplaceAll(std::string& text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

// Splits the text into a request (see the top of the file).
HttpRequest ParseRequest(const std::string& text) {
  HttpRequest req;
  size_t line_end = text.find('\n');
  std::string line = text.substr(0, line_end);
  const size_t space = line.find(' ');
  req.method = line.substr(0, space);
  std::string target = space == std::string::npos ? "" : line.substr(space + 1);
  const size_t question = target.find('?');
  req.path = target.substr(0, question);
  if (question != std::string::npos) {
    const std::string query = target.substr(question + 1);
    size_t start = 0;
    while (start <= query.size()) {
      size_t amp = query.find('&', start);
      if (amp == std::string::npos) amp = query.size();
      const std::string pair = query.substr(start, amp - start);
      const size_t eq = pair.find('=');
      req.query.emplace_back(pair.substr(0, eq), eq == std::string::npos ? "" : pair.substr(eq + 1));
      start = amp + 1;
    }
  }
  while (line_end != std::string::npos) {
    const size_t start = line_end + 1;
    line_end = text.find('\n', start);
    line = text.substr(start, line_end == std::string::npos ? std::string::npos : line_end - start);
    if (line.empty() || line == "\r") {
      if (line_end != std::string::npos) req.body = text.substr(line_end + 1);
      break;
    }
    const size_t colon = line.find(':');
    std::string value = colon == std::string::npos ? "" : line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    req.headers[line.substr(0, colon)] = value;
  }
  return req;
}

}  // namespace
}  // namespace credflow::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace credflow::fuzz;
  static std::unique_ptr<ApiWorld> world;
  static int inputs = 0;
  Rules();
  if (!world || ++inputs % kInputsPerWorld == 0) {
    world.reset();
    world = std::make_unique<ApiWorld>();
  }
  std::string text(AsText(data, size));
  ReplaceAll(text, "$CASE", world->case_id);
  ReplaceAll(text, "$RECORD", world->record_id);
  ReplaceAll(text, "$REPAIR", world->repair_id);
  ReplaceAll(text, "$TASK", world->task_id);
  const HttpRequest request = ParseRequest(text);
  const HttpResponse response = world->api->Handle(request);
  CREDFLOW_FUZZ_CHECK(response.status >= 100 && response.status <= 599, "status " + std::to_string(response.status));
  const std::string& type = response.content_type;
  if (type.rfind("application/json", 0) == 0 || type.rfind("application/problem+json", 0) == 0) {
    CREDFLOW_FUZZ_CHECK(nlohmann::json::accept(response.body), "a " + type + " answer is not JSON: " + response.body);
  }
  return 0;
}
