// A load generator for `credflow serve`: N keep-alive connections, each on its
// own thread, each driving commitments through their whole lifecycle over the
// HTTP/JSON API, and a report of throughput, latency and errors
// (tests/bench/run_http_benchmarks.sh runs it; figures in README.md here).
//
//   credflow_http_load --url http://127.0.0.1:PORT --token-file F
//       [--connections 8] [--duration 20 | --lifecycles N] [--warmup 2]
//       [--subjects 1000] [--date 2025-03-03] [--json]
//
// One lifecycle is three requests, its three commands (four with
// --read-case, five with --read-case --get-child):
//   1. POST /v1/commitments         a food_business_permit filing, with an
//                                   Idempotency-Key; its answer names the
//                                   verification case it opened   -> 201
//  (1b. GET  /v1/cases/{id}         the commitment, as a caseworker reads it
//                                   (--read-case)                  -> 200)
//  (1c. GET  /v1/cases/{child}      the child's version (--get-child) -> 200)
//   2. POST /v1/cases/{child}/events VerificationStarted, If-Match   -> 200
//   3. POST /v1/cases/{child}/events VerificationReported conforming,
//                                   If-Match                          -> 200
// Any other status, or a failed connection, is an error: it is counted by
// step and status, the first few bodies are printed, and the lifecycle is
// abandoned (the thread starts the next one).
//
// Counting rules (all printed with the figures):
// * A request is measured when it completes inside the measured window
//   ([warmup, warmup + duration), or the whole --lifecycles phase). Only
//   measured requests give latencies and throughput. Errors are counted over
//   the whole run, warm-up included.
// * commands = 2xx POSTs: each is one committed store transaction, so
//   commands/s is the figure comparable to pgbench's tps.
// * transitions = history events written. The server's own count is the
//   growth of credflow_transitions_total (/metrics) over the window. The
//   generator's count: before the load, a probe lifecycle reads both cases'
//   histories after each step and once the server has settled, which gives
//   the events each kind of POST writes (a filing: the commitment's opening,
//   CommitmentFiled and LetterSigned, the child's opening and
//   VerificationOpened) and those the server writes later in transactions of
//   its own (the parent's ChildReachedOutcome, fired by the scheduler);
//   transitions/s applies those numbers to the measured POSTs and lifecycles.
// * The server's due timers (credflow_timers_due) are read at both edges of
//   the window; after it the generator waits (--drain) until none is left.
// * Then a sample of measured lifecycles is read back: both cases must be in
//   the probe's final states, with histories as long as the probe's.
#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>
#include <sys/resource.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "tests/bench/synthetic_credit_code.h"

namespace {

using json = nlohmann::json;
using SteadyClock = std::chrono::steady_clock;
using Headers = std::vector<std::pair<std::string, std::string>>;

// ---- Requests -------------------------------------------------------------------

enum Step { kFile, kGetCase, kGetChild, kStarted, kReported, kStepCount };
constexpr std::array<const char*, kStepCount> kStepNames = {"file", "get_case", "get_child", "started", "reported"};
constexpr std::array<bool, kStepCount> kStepIsCommand = {true, false, false, true, true};

struct Response {
  int status = 0;  // 0 when the request failed below HTTP
  std::string body;
  std::string etag;
  std::string failure;  // the transport error, when status is 0
  int64_t micros = 0;   // send to last body byte
  SteadyClock::time_point done;
};

// An HTTPClientSession whose sockets (it opens a new one after a failure)
// send at once: Poco writes the headers and the body of a request in two
// writes, and Nagle's algorithm would hold the body back until the server
// acknowledges the headers (up to its delayed-ACK timeout, about 40 ms).
class NoDelaySession : public Poco::Net::HTTPClientSession {
 public:
  using Poco::Net::HTTPClientSession::HTTPClientSession;

 protected:
  void connect(const Poco::Net::SocketAddress& address) override {
    Poco::Net::HTTPClientSession::connect(address);
    socket().setNoDelay(true);
  }
};

// One keep-alive connection. Not thread-safe: one per thread.
class Connection {
 public:
  Connection(const Poco::URI& base, std::string token)
      : session_(base.getHost(), base.getPort()), token_(std::move(token)) {
    session_.setKeepAlive(true);
    session_.setTimeout(Poco::Timespan(60, 0));
  }

  Response Send(const std::string& method, const std::string& path, const std::string& body, const Headers& headers,
                bool authorise = true) {
    Response r;
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    request.setKeepAlive(true);
    if (authorise) request.set("Authorization", "Bearer " + token_);
    if (method == Poco::Net::HTTPRequest::HTTP_POST) {
      request.setContentType("application/json");
      request.setContentLength(static_cast<std::streamsize>(body.size()));
    }
    for (const auto& [name, value] : headers) request.set(name, value);
    const auto start = SteadyClock::now();
    try {
      std::ostream& out = session_.sendRequest(request);
      out << body;
      Poco::Net::HTTPResponse response;
      std::istream& in = session_.receiveResponse(response);
      Poco::StreamCopier::copyToString(in, r.body);
      r.status = static_cast<int>(response.getStatus());
      r.etag = response.get("ETag", "");
    } catch (const Poco::Exception& e) {
      r.failure = e.displayText();
      session_.reset();
    } catch (const std::exception& e) {
      r.failure = e.what();
      session_.reset();
    }
    r.done = SteadyClock::now();
    r.micros = std::chrono::duration_cast<std::chrono::microseconds>(r.done - start).count();
    return r;
  }

 private:
  NoDelaySession session_;
  std::string token_;
};

// A version as If-Match wants it: "\"7\"" from 7, "7" or "\"7\"".
std::string Quoted(const json& version) {
  std::string v = version.is_string() ? version.get<std::string>() : version.dump();
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') return v;
  return "\"" + v + "\"";
}

// `r` as an error: a 2xx response whose body is not what the step needs.
Response BadBody(const Response& r) {
  Response bad = r;
  bad.status = -1;
  return bad;
}

// Whether `j` is an object whose `key` is a string.
bool HasString(const json& j, const char* key) { return j.is_object() && j.contains(key) && j.at(key).is_string(); }

// The id of the first child listed in a case body, or "".
std::string FirstChildId(const json& body) {
  if (!body.is_object() || !body.contains("children")) return "";
  const json& children = body.at("children");
  if (!children.is_array() || children.empty() || !HasString(children.at(0), "id")) return "";
  return children.at(0).at("id").get<std::string>();
}

// The verification case a filing opened (in "opened" of its answer, which
// also names the subject's own case when the filing registered it), or "".
std::string FirstOpenedId(const json& body) {
  if (!body.is_object() || !body.contains("opened")) return "";
  const json& opened = body.at("opened");
  if (!opened.is_array()) return "";
  for (const json& c : opened) {
    if (HasString(c, "id") && HasString(c, "workflow") && c.at("workflow").get<std::string>() != "subject") {
      return c.at("id").get<std::string>();
    }
  }
  return "";
}

std::optional<json> ParseBody(const Response& r) {
  json body = json::parse(r.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return std::nullopt;
  return body;
}

// ---- Shared state ---------------------------------------------------------------

struct Options {
  std::string url = "http://127.0.0.1:8080";
  std::string token;
  std::string token_file;
  int connections = 8;
  double duration = 20;
  long lifecycles = 0;
  double warmup = 2;
  long subjects = 1000;
  std::string date = "2025-03-03";
  bool json_output = false;
  bool get_child = false;
  bool read_case = false;
  bool event_keys = false;
  int problems_shown = 5;
  int sample = 20;
  double drain = 30;
};

// What the probe lifecycle found out about the server.
struct Probe {
  // History events written by each kind of POST, on the commitment and on
  // the child together.
  std::array<long, kStepCount> events{};
  // Events the server writes after the last response, in transactions of its
  // own: the parent learns the child's outcome through a delivery timer that
  // the in-process scheduler fires (ChildReachedOutcome).
  long async_events = 0;
  long commitment_history = 0;  // history lengths at the end of a lifecycle
  long child_history = 0;
  std::string commitment_state;  // the states at the end
  std::string child_state;
  std::optional<json> child_version;  // the child's version right after filing
};

struct ThreadStats {
  std::array<std::vector<int64_t>, kStepCount> latency_us;
  std::vector<int64_t> lifecycle_us;  // first request sent to last response, measured lifecycles
  std::array<long, kStepCount> ok{};
  std::map<std::string, long> errors;                         // "step status" -> count, whole run
  long lifecycles_done = 0;                                   // measured
  long lifecycles_failed = 0;                                 // whole run
  long commands_all = 0;                                      // 2xx POSTs, whole run
  std::vector<std::pair<std::string, std::string>> finished;  // (commitment, child), measured
};

class Problems {
 public:
  explicit Problems(int keep) : keep_(keep) {}
  void Add(const std::string& what) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (static_cast<int>(kept_.size()) < keep_) kept_.push_back(what);
  }
  std::vector<std::string> kept() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return kept_;
  }

 private:
  mutable std::mutex mutex_;
  int keep_;
  std::vector<std::string> kept_;
};

std::string Describe(Step step, const std::string& path, const Response& r) {
  std::string what = std::string(kStepNames[step]) + " " + path + ": ";
  if (r.status == 0) return what + "connection failed: " + r.failure;
  std::string body = r.body.size() > 600 ? r.body.substr(0, 600) + "..." : r.body;
  return what + "HTTP " + std::to_string(r.status) + " " + body;
}

std::string Uuid(std::mt19937_64& random) {
  const uint64_t a = random(), b = random();
  char text[40];
  std::snprintf(text, sizeof text, "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xffff), static_cast<unsigned>(a & 0xfff),
                static_cast<unsigned>(0x8000 | ((b >> 48) & 0x3fff)),
                static_cast<unsigned long long>(b & 0xffffffffffffULL));
  return text;
}

// A filing for subject number `subject` (its name is the same at every filing).
std::string FilingBody(const std::string& code, size_t subject, const std::string& date) {
  // The letter's applicant is the subject's registered name (the filing
  // refuses any other).
  const std::string name = "苏州禾丰餐饮管理有限公司" + std::to_string(subject);
  json body = {{"subject", {{"code", code}, {"name", name}}},
               {"type", "food_business_permit"},
               {"form",
                {{"applicant_name", name},
                 {"legal_representative", "周建华"},
                 {"premises_address", "苏州市姑苏区人民路1288号"},
                 {"business_items", json::array({"prepackaged_food_sales"})},
                 {"signed_on", date}}}};
  return body.dump();
}

const std::string kStartedBody = json{{"event", "VerificationStarted"}, {"data", json::object()}}.dump();
const std::string kReportedBody =
    json{{"event", "VerificationReported"}, {"data", {{"form", {{"result", "conforming"}}}}}}.dump();

// ---- One lifecycle --------------------------------------------------------------

// Drives one commitment through its lifecycle. `record(step, response)` is
// called after every request and returns false when the response is an error
// (the lifecycle then stops). Returns the (commitment, child) ids when every
// step succeeded.
template <typename Record>
std::optional<std::pair<std::string, std::string>> RunLifecycle(Connection& connection, const Options& options,
                                                                const std::vector<std::string>& codes, long n,
                                                                std::mt19937_64& random,
                                                                const std::optional<json>& known_child_version,
                                                                Record&& record) {
  Headers headers = {{"Idempotency-Key", Uuid(random)}};
  const size_t subject = static_cast<size_t>(n) % codes.size();
  Response r = connection.Send("POST", "/v1/commitments", FilingBody(codes[subject], subject, options.date), headers);
  auto filed = r.status == 201 ? ParseBody(r) : std::nullopt;
  if (r.status == 201 && (!filed || !HasString(*filed, "id"))) r = BadBody(r);
  if (!record(kFile, "/v1/commitments", r, 201)) return std::nullopt;
  const std::string id = filed->at("id").get<std::string>();

  // The filing's answer names the verification case it opened; with
  // --read-case the caseworker reads the commitment first, as at a window.
  std::string child = FirstOpenedId(*filed);
  std::optional<json> child_version;
  if (options.read_case || child.empty()) {
    const std::string case_path = "/v1/cases/" + id;
    r = connection.Send("GET", case_path, "", {});
    auto commitment = r.status == 200 ? ParseBody(r) : std::nullopt;
    child = commitment ? FirstChildId(*commitment) : "";
    if (r.status == 200 && child.empty()) r = BadBody(r);  // no verification child
    if (!record(kGetCase, case_path, r, 200)) return std::nullopt;
    const json& child_entry = commitment->at("children").at(0);
    if (child_entry.contains("version")) child_version = child_entry["version"];
    if (options.get_child || !child_version) {
      if (options.get_child || !known_child_version) {
        const std::string child_path = "/v1/cases/" + child;
        r = connection.Send("GET", child_path, "", {});
        if (!record(kGetChild, child_path, r, 200)) return std::nullopt;
        auto body = ParseBody(r);
        if (body && body->is_object() && body->contains("version")) {
          child_version = (*body)["version"];
        } else if (!r.etag.empty()) {
          child_version = r.etag;
        }
      } else {
        child_version = known_child_version;
      }
    }
  } else {
    child_version = known_child_version;
  }

  const std::string events_path = "/v1/cases/" + child + "/events";
  headers = {{"If-Match", Quoted(child_version.value_or(json(0)))}};
  if (options.event_keys) headers.emplace_back("Idempotency-Key", Uuid(random));
  r = connection.Send("POST", events_path, kStartedBody, headers);
  if (!record(kStarted, events_path, r, 200)) return std::nullopt;
  auto started = ParseBody(r);
  json version = started && started->is_object() && started->contains("version") ? (*started)["version"] : json(r.etag);

  headers = {{"If-Match", Quoted(version)}};
  if (options.event_keys) headers.emplace_back("Idempotency-Key", Uuid(random));
  r = connection.Send("POST", events_path, kReportedBody, headers);
  if (!record(kReported, events_path, r, 200)) return std::nullopt;
  return std::make_pair(id, child);
}

// ---- Reading the server ---------------------------------------------------------

std::optional<long> HistoryLength(Connection& connection, const std::string& id) {
  Response r = connection.Send("GET", "/v1/cases/" + id + "/history", "", {});
  if (r.status != 200) return std::nullopt;
  auto body = ParseBody(r);
  if (!body || !body->contains("events") || !(*body)["events"].is_array()) return std::nullopt;
  return static_cast<long>((*body)["events"].size());
}

// The case's body, when it is a JSON object.
std::optional<json> GetCase(Connection& connection, const std::string& id) {
  Response r = connection.Send("GET", "/v1/cases/" + id, "", {});
  if (r.status != 200) return std::nullopt;
  auto body = ParseBody(r);
  if (!body || !body->is_object()) return std::nullopt;
  return body;
}

// What /metrics says, each part empty when the server does not export it.
struct ServerCounters {
  std::optional<double> transitions;  // credflow_transitions_total, summed over its labels
  std::optional<double> timers_due;   // credflow_timers_due
};

ServerCounters ReadMetrics(Connection& connection) {
  ServerCounters counters;
  Response r = connection.Send("GET", "/metrics", "", {}, /*authorise=*/false);
  if (r.status != 200) return counters;
  std::istringstream lines(r.body);
  std::string line;
  while (std::getline(lines, line)) {
    std::optional<double>* into = nullptr;
    if (line.rfind("credflow_transitions_total", 0) == 0) into = &counters.transitions;
    if (line.rfind("credflow_timers_due", 0) == 0) into = &counters.timers_due;
    const size_t space = line.find_last_of(' ');
    if (into == nullptr || space == std::string::npos) continue;
    try {
      *into = into->value_or(0) + std::stod(line.substr(space + 1));
    } catch (const std::exception&) {
    }
  }
  return counters;
}

// The probe: one lifecycle, reading both histories after every step.
std::optional<Probe> RunProbe(Connection& connection, const Options& options, const std::vector<std::string>& codes,
                              std::mt19937_64& random, std::string* problem) {
  Probe probe;
  std::string id, child;
  long commitment_before = 0, child_before = 0;
  bool failed = false;
  auto fail = [&](std::string what) {
    *problem = std::move(what);
    failed = true;
    return false;
  };
  // After each step, the histories of both cases. The filing's events are
  // counted once the child is known (after the GET).
  auto record = [&](Step step, const std::string& path, const Response& r, int expected) {
    if (r.status != expected) {
      return fail(r.status < 0
                      ? std::string(kStepNames[step]) + " " + path + ": unexpected body " + r.body.substr(0, 600)
                      : Describe(step, path, r));
    }
    auto body = ParseBody(r);
    if (step == kFile) {
      id = body->at("id").get<std::string>();  // RunLifecycle checked it
      return true;
    }
    if (step == kGetCase) child = FirstChildId(*body);
    if (step != kGetCase && step != kStarted && step != kReported) return true;
    auto a = HistoryLength(connection, id), b = HistoryLength(connection, child);
    if (!a || !b) return fail("probe: cannot read the histories of " + id + " and " + child);
    if (step == kGetCase) {
      probe.events[kFile] = *a + *b;
      auto c = GetCase(connection, child);
      if (c && c->contains("version")) probe.child_version = (*c)["version"];
    } else {
      probe.events[step] = (*a - commitment_before) + (*b - child_before);
    }
    commitment_before = *a;
    child_before = *b;
    return true;
  };
  Options probing = options;
  probing.read_case = true;  // the probe counts the filing's events after the GET
  auto done = RunLifecycle(connection, probing, codes, /*n=*/0, random, std::nullopt, record);
  if (failed || !done) {
    if (problem->empty()) *problem = "probe lifecycle failed";
    return std::nullopt;
  }
  // Wait (up to 5 s) for what the server does after the last response.
  const auto wait_until = SteadyClock::now() + std::chrono::seconds(5);
  long commitment_after = commitment_before;
  while (SteadyClock::now() < wait_until) {
    auto a = HistoryLength(connection, id);
    if (a && *a > commitment_before) {
      // Give a chain of deliveries a moment to finish.
      std::this_thread::sleep_for(std::chrono::milliseconds(1500));
      commitment_after = HistoryLength(connection, id).value_or(*a);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  probe.async_events = commitment_after - commitment_before;
  probe.commitment_history = commitment_after;
  probe.child_history = HistoryLength(connection, child).value_or(child_before);
  probe.async_events += probe.child_history - child_before;
  auto c = GetCase(connection, child);
  if (c) probe.child_state = c->value("state", "");
  auto p = GetCase(connection, id);
  if (p) probe.commitment_state = p->value("state", "");
  return probe;
}

// ---- Figures --------------------------------------------------------------------

struct Percentiles {
  long count = 0;
  double mean = 0, p50 = 0, p90 = 0, p99 = 0, max = 0;  // milliseconds
};

// Exact nearest-rank percentiles of `values` (microseconds), sorted in place.
Percentiles Summarise(std::vector<int64_t>& values) {
  Percentiles p;
  p.count = static_cast<long>(values.size());
  if (values.empty()) return p;
  std::sort(values.begin(), values.end());
  auto rank = [&](double q) {
    size_t index = static_cast<size_t>(std::ceil(q * static_cast<double>(values.size())));
    index = std::clamp<size_t>(index, 1, values.size());
    return static_cast<double>(values[index - 1]) / 1000.0;
  };
  double sum = 0;
  for (int64_t v : values) sum += static_cast<double>(v);
  p.mean = sum / static_cast<double>(values.size()) / 1000.0;
  p.p50 = rank(0.50);
  p.p90 = rank(0.90);
  p.p99 = rank(0.99);
  p.max = static_cast<double>(values.back()) / 1000.0;
  return p;
}

json ToJson(const Percentiles& p) {
  return {{"count", p.count}, {"mean_ms", p.mean}, {"p50_ms", p.p50},
          {"p90_ms", p.p90},  {"p99_ms", p.p99},   {"max_ms", p.max}};
}

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

std::string Seconds(double s) {
  char text[32];
  std::snprintf(text, sizeof text, "%g s", s);
  return text;
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  size_t start = s.find_first_not_of(' ');
  return start == std::string::npos ? "" : s.substr(start);
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  CLI::App app{"load generator for credflow serve: commitments through their lifecycle"};
  app.add_option("--url", options.url, "server base URL, http://HOST:PORT");
  auto* token = app.add_option("--token", options.token, "bearer token (caseworker or admin)");
  auto* token_file = app.add_option("--token-file", options.token_file, "file whose first line is the token");
  token->excludes(token_file);
  app.add_option("--connections", options.connections, "keep-alive connections, one thread each")
      ->check(CLI::Range(1, 1024));
  auto* duration = app.add_option("--duration", options.duration, "measured seconds (after the warm-up)")
                       ->check(CLI::Range(0.1, 86400.0));
  auto* lifecycles =
      app.add_option("--lifecycles", options.lifecycles, "measure this many lifecycles instead of a duration")
          ->check(CLI::Range(1L, 1000000000L));
  duration->excludes(lifecycles);
  app.add_option("--warmup", options.warmup, "unmeasured seconds before the measurement")
      ->check(CLI::Range(0.0, 3600.0));
  app.add_option("--subjects", options.subjects, "distinct subjects (valid USCC codes), used round-robin")
      ->check(CLI::Range(1L, 10000000L));
  app.add_option("--date", options.date, "signed_on of the letters: the server's date (--clock-date)");
  app.add_flag("--read-case", options.read_case,
               "GET the commitment after filing, as a caseworker would (else the child comes from the filing's "
               "\"opened\")");
  app.add_flag("--get-child", options.get_child,
               "GET the verification child before its first event (else its version comes from the "
               "parent's children entry or, failing that, from the probe)");
  app.add_flag("--event-keys", options.event_keys, "send an Idempotency-Key with the event POSTs too");
  app.add_option("--sample", options.sample, "measured lifecycles read back after the run")
      ->check(CLI::Range(0, 100000));
  app.add_option("--drain", options.drain,
                 "seconds to wait after the run for the server's due timers to reach 0 (/metrics)")
      ->check(CLI::Range(0.0, 3600.0));
  app.add_flag("--json", options.json_output, "print a JSON summary on stdout (the report goes to stderr)");
  CLI11_PARSE(app, argc, argv);

  std::ostream& report = options.json_output ? std::cerr : std::cout;
  if (!options.token_file.empty()) {
    std::ifstream in(options.token_file);
    if (!in || !std::getline(in, options.token)) {
      std::cerr << "cannot read a token from " << options.token_file << "\n";
      return 2;
    }
  }
  options.token = Trim(options.token);
  if (options.token.empty()) {
    std::cerr << "a token is required (--token or --token-file)\n";
    return 2;
  }
  Poco::URI base;
  try {
    base = Poco::URI(options.url);
  } catch (const Poco::Exception& e) {
    std::cerr << "bad --url: " << e.displayText() << "\n";
    return 2;
  }
  if (base.getScheme() != "http" || base.getHost().empty()) {
    std::cerr << "--url must be http://HOST:PORT\n";
    return 2;
  }

  std::vector<std::string> codes;
  codes.reserve(static_cast<size_t>(options.subjects));
  for (long i = 0; i < options.subjects; ++i) {
    codes.push_back(credflow::bench::SyntheticCreditCode("320500", 100000 + i));  // Suzhou
  }

  std::random_device device;
  std::mt19937_64 main_random((static_cast<uint64_t>(device()) << 32) ^ device() ^
                              static_cast<uint64_t>(SteadyClock::now().time_since_epoch().count()));

  // ---- probe ----
  Connection control(base, options.token);
  std::string problem;
  auto probe = RunProbe(control, options, codes, main_random, &problem);
  if (!probe) {
    std::cerr << "the probe lifecycle failed, no load was run:\n  " << problem << "\n";
    if (options.json_output) {
      std::cout << json{{"ok", false}, {"probe_error", problem}}.dump(2) << "\n";
    }
    return 1;
  }

  // ---- load ----
  const bool by_count = options.lifecycles > 0;
  std::atomic<long> next_lifecycle{1};  // 0 was the probe
  std::atomic<bool> measuring{false};
  std::atomic<bool> stop{false};
  std::atomic<long> measured_started{0};
  Problems problems(options.problems_shown);
  std::vector<ThreadStats> stats(static_cast<size_t>(options.connections));
  std::vector<uint64_t> seeds;
  for (int i = 0; i < options.connections; ++i) seeds.push_back(main_random());

  const auto start = SteadyClock::now();
  auto seconds = [](double s) {
    return std::chrono::duration_cast<SteadyClock::duration>(std::chrono::duration<double>(s));
  };
  SteadyClock::time_point window_start = start + seconds(options.warmup);
  SteadyClock::time_point window_end =
      by_count ? SteadyClock::time_point::max() : window_start + seconds(options.duration);

  auto worker = [&](int index) {
    ThreadStats& s = stats[static_cast<size_t>(index)];
    std::mt19937_64 random(seeds[static_cast<size_t>(index)]);
    Connection connection(base, options.token);
    for (auto& v : s.latency_us) v.reserve(by_count ? 1024 : 65536);
    while (!stop.load(std::memory_order_relaxed)) {
      const auto now = SteadyClock::now();
      if (!by_count && now >= window_end) break;
      bool measured_lifecycle = false;
      if (by_count && measuring.load()) {
        if (measured_started.fetch_add(1) >= options.lifecycles) break;
        measured_lifecycle = true;
      }
      const long n = next_lifecycle.fetch_add(1);
      const auto lifecycle_start = SteadyClock::now();
      auto in_window = [&](const Response& r) {
        if (by_count) return measured_lifecycle;
        return r.done >= window_start && r.done < window_end;
      };
      bool all_in_window = true;
      auto record = [&](Step step, const std::string& path, const Response& r, int expected) {
        if (r.status == expected) {
          if (kStepIsCommand[step]) ++s.commands_all;
          if (in_window(r)) {
            s.latency_us[step].push_back(r.micros);
            ++s.ok[step];
          } else {
            all_in_window = false;
          }
          return true;
        }
        const std::string status = r.status == 0 ? "connection" : r.status < 0 ? "bad_body" : std::to_string(r.status);
        ++s.errors[std::string(kStepNames[step]) + " " + status];
        ++s.lifecycles_failed;
        problems.Add(r.status < 0
                         ? std::string(kStepNames[step]) + " " + path + ": unexpected body " + r.body.substr(0, 600)
                         : Describe(step, path, r));
        return false;
      };
      auto done = RunLifecycle(connection, options, codes, n, random, probe->child_version, record);
      if (done && all_in_window) {
        ++s.lifecycles_done;
        s.lifecycle_us.push_back(
            std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() - lifecycle_start).count());
        if (s.finished.size() < 4096) s.finished.push_back(*done);
      }
    }
  };

  std::vector<std::thread> threads;
  for (int i = 0; i < options.connections; ++i) threads.emplace_back(worker, i);

  // The main thread marks the window and reads the server's counters at its
  // edges on its own connection.
  std::this_thread::sleep_until(window_start);
  const double cpu_before = CpuSeconds();
  const auto metric_from = SteadyClock::now();
  const ServerCounters metric_before = ReadMetrics(control);
  SteadyClock::time_point measured_from = window_start, measured_to = window_end, metric_to;
  ServerCounters metric_after;
  double cpu_after = 0;
  if (by_count) {
    measured_from = SteadyClock::now();
    measuring.store(true);
    for (auto& t : threads) t.join();
    measured_to = SteadyClock::now();
    cpu_after = CpuSeconds();
    metric_to = SteadyClock::now();
    metric_after = ReadMetrics(control);
  } else {
    std::this_thread::sleep_until(window_end);
    cpu_after = CpuSeconds();
    metric_to = SteadyClock::now();
    metric_after = ReadMetrics(control);
    for (auto& t : threads) t.join();
  }
  const double elapsed = std::chrono::duration<double>(measured_to - measured_from).count();
  const double metric_elapsed = std::chrono::duration<double>(metric_to - metric_from).count();

  // Let the server finish what the load left it (due timers: the parents'
  // deliveries), so that the read-back sees settled cases.
  std::optional<double> drain_s;
  if (metric_after.timers_due) {
    const auto drain_from = SteadyClock::now();
    const auto drain_until = drain_from + seconds(options.drain);
    for (;;) {
      const ServerCounters now = ReadMetrics(control);
      if (now.timers_due && *now.timers_due <= 0) {
        drain_s = std::chrono::duration<double>(SteadyClock::now() - drain_from).count();
        break;
      }
      if (SteadyClock::now() >= drain_until) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }

  // ---- merge ----
  std::array<std::vector<int64_t>, kStepCount> latency;
  std::vector<int64_t> all, lifecycle;
  std::array<long, kStepCount> ok{};
  std::map<std::string, long> errors;
  long lifecycles_done = 0, lifecycles_failed = 0, commands_all = 0;
  std::vector<std::pair<std::string, std::string>> finished;
  for (auto& s : stats) {
    for (int step = 0; step < kStepCount; ++step) {
      auto& v = s.latency_us[static_cast<size_t>(step)];
      all.insert(all.end(), v.begin(), v.end());
      latency[static_cast<size_t>(step)].insert(latency[static_cast<size_t>(step)].end(), v.begin(), v.end());
      ok[static_cast<size_t>(step)] += s.ok[static_cast<size_t>(step)];
    }
    lifecycle.insert(lifecycle.end(), s.lifecycle_us.begin(), s.lifecycle_us.end());
    for (const auto& [key, count] : s.errors) errors[key] += count;
    lifecycles_done += s.lifecycles_done;
    lifecycles_failed += s.lifecycles_failed;
    commands_all += s.commands_all;
    finished.insert(finished.end(), s.finished.begin(), s.finished.end());
  }
  long requests = 0, commands = 0, transitions = 0, error_count = 0;
  for (int step = 0; step < kStepCount; ++step) {
    requests += ok[static_cast<size_t>(step)];
    if (kStepIsCommand[step]) {
      commands += ok[static_cast<size_t>(step)];
      transitions += ok[static_cast<size_t>(step)] * probe->events[static_cast<size_t>(step)];
    }
  }
  transitions += lifecycles_done * probe->async_events;
  for (const auto& [key, count] : errors) error_count += count;

  // ---- read back a sample ----
  long sampled = 0, sample_bad = 0;
  std::string sample_problem;
  if (options.sample > 0 && !finished.empty()) {
    const size_t stride = std::max<size_t>(1, finished.size() / static_cast<size_t>(options.sample));
    for (size_t i = 0; i < finished.size() && sampled < options.sample; i += stride) {
      ++sampled;
      const auto& [id, child] = finished[i];
      auto a = HistoryLength(control, id), b = HistoryLength(control, child);
      auto c = GetCase(control, child), p = GetCase(control, id);
      const std::string state = c ? c->value("state", "") : "";
      const std::string parent_state = p ? p->value("state", "") : "";
      if (!a || !b || *a != probe->commitment_history || *b != probe->child_history || state != probe->child_state ||
          parent_state != probe->commitment_state) {
        ++sample_bad;
        if (sample_problem.empty()) {
          sample_problem = id + "/" + child + ": histories " + (a ? std::to_string(*a) : "?") + "/" +
                           (b ? std::to_string(*b) : "?") + ", states " + parent_state + "/" + state + " (probe " +
                           std::to_string(probe->commitment_history) + "/" + std::to_string(probe->child_history) +
                           ", " + probe->commitment_state + "/" + probe->child_state + ")";
        }
      }
    }
  }

  // ---- report ----
  const Percentiles overall = Summarise(all);
  const Percentiles per_lifecycle = Summarise(lifecycle);
  std::array<Percentiles, kStepCount> per_step;
  for (int step = 0; step < kStepCount; ++step) {
    per_step[static_cast<size_t>(step)] = Summarise(latency[static_cast<size_t>(step)]);
  }
  const double commands_per_s = static_cast<double>(commands) / elapsed;
  const double transitions_per_s = static_cast<double>(transitions) / elapsed;
  std::optional<double> server_transitions_per_s;
  if (metric_before.transitions && metric_after.transitions) {
    server_transitions_per_s = (*metric_after.transitions - *metric_before.transitions) / metric_elapsed;
  }
  const double client_cpu_us = commands > 0 ? (cpu_after - cpu_before) * 1e6 / static_cast<double>(commands) : 0;

  char line[256];
  report << "credflow_http_load: " << options.connections << " connection(s) to " << options.url << ", "
         << (by_count ? std::to_string(options.lifecycles) + " lifecycles" : Seconds(options.duration))
         << " measured after " << Seconds(options.warmup) << " warm-up, " << options.subjects << " subjects\n";
  report << "probe: history events per POST: file " << probe->events[kFile] << ", VerificationStarted "
         << probe->events[kStarted] << ", VerificationReported " << probe->events[kReported] << ", then "
         << probe->async_events << " written by the server after the last response; the cases end "
         << probe->commitment_state << "/" << probe->child_state << "\n";
  std::snprintf(line, sizeof line, "measured %.2f s: %ld lifecycles (%.1f/s), %ld requests, %ld commands (2xx POSTs)\n",
                elapsed, lifecycles_done, static_cast<double>(lifecycles_done) / elapsed, requests, commands);
  report << line;
  std::snprintf(line, sizeof line, "commands/s %.1f   transitions/s %.1f (probe rule)", commands_per_s,
                transitions_per_s);
  report << line;
  if (server_transitions_per_s) {
    std::snprintf(line, sizeof line, "   server credflow_transitions_total %.1f/s", *server_transitions_per_s);
    report << line;
  }
  report << "\n";
  std::snprintf(line, sizeof line, "%-12s %8s %9s %9s %9s %9s %9s\n", "latency ms", "count", "mean", "p50", "p90",
                "p99", "max");
  report << line;
  auto row = [&](const char* name, const Percentiles& p) {
    std::snprintf(line, sizeof line, "%-12s %8ld %9.2f %9.2f %9.2f %9.2f %9.2f\n", name, p.count, p.mean, p.p50, p.p90,
                  p.p99, p.max);
    report << line;
  };
  for (int step = 0; step < kStepCount; ++step) {
    if (per_step[static_cast<size_t>(step)].count > 0) row(kStepNames[step], per_step[static_cast<size_t>(step)]);
  }
  row("all requests", overall);
  row("lifecycle", per_lifecycle);
  std::snprintf(line, sizeof line, "client CPU %.0f us per command\n", client_cpu_us);
  report << line;
  report << "errors: " << error_count << " (whole run, " << lifecycles_failed << " lifecycles abandoned)";
  for (const auto& [key, count] : errors) report << "; " << key << ": " << count;
  report << "\n";
  for (const auto& p : problems.kept()) report << "  problem: " << p << "\n";
  if (metric_after.timers_due) {
    std::snprintf(line, sizeof line, "server timers due: %.0f at the start of the window, %.0f at its end; ",
                  metric_before.timers_due.value_or(-1), *metric_after.timers_due);
    report << line;
    if (drain_s) {
      std::snprintf(line, sizeof line, "none left %.1f s after it\n", *drain_s);
    } else {
      std::snprintf(line, sizeof line, "still some %.0f s after it\n", options.drain);
    }
    report << line;
  }
  report << "read-back: " << sampled << " lifecycles, " << sample_bad << " wrong";
  if (!sample_problem.empty()) report << " (first: " << sample_problem << ")";
  report << "\n";

  if (options.json_output) {
    json steps = json::object();
    for (int step = 0; step < kStepCount; ++step) {
      if (per_step[static_cast<size_t>(step)].count > 0) {
        steps[kStepNames[step]] = ToJson(per_step[static_cast<size_t>(step)]);
      }
    }
    json probe_events = {{"file", probe->events[kFile]},
                         {"started", probe->events[kStarted]},
                         {"reported", probe->events[kReported]},
                         {"after_last_response", probe->async_events}};
    json summary = {
        {"ok", error_count == 0 && sample_bad == 0},
        {"url", options.url},
        {"connections", options.connections},
        {"warmup_s", options.warmup},
        {"measured_s", elapsed},
        {"subjects", options.subjects},
        {"lifecycles", lifecycles_done},
        {"lifecycles_per_s", static_cast<double>(lifecycles_done) / elapsed},
        {"requests", requests},
        {"commands", commands},
        {"commands_all", commands_all},
        {"transitions", transitions},
        {"commands_per_s", commands_per_s},
        {"transitions_per_s", transitions_per_s},
        {"server_transitions_per_s", server_transitions_per_s ? json(*server_transitions_per_s) : json(nullptr)},
        {"probe_events", probe_events},
        {"timers_due_at_start", metric_before.timers_due ? json(*metric_before.timers_due) : json(nullptr)},
        {"timers_due_at_end", metric_after.timers_due ? json(*metric_after.timers_due) : json(nullptr)},
        {"timers_drained_after_s", drain_s ? json(*drain_s) : json(nullptr)},
        {"latency", ToJson(overall)},
        {"latency_by_step", steps},
        {"lifecycle_latency", ToJson(per_lifecycle)},
        {"client_cpu_us_per_command", client_cpu_us},
        {"errors", error_count},
        {"errors_by_step_status", errors},
        {"lifecycles_abandoned", lifecycles_failed},
        {"problems", problems.kept()},
        {"read_back", {{"sampled", sampled}, {"wrong", sample_bad}, {"first_problem", sample_problem}}},
    };
    std::cout << summary.dump(2) << "\n";
  }
  return error_count == 0 && sample_bad == 0 ? 0 : 1;
}
