#include "adapters/http/metrics.h"

#include <sstream>

namespace credflow::adapters::http {
namespace {

// A label value with \, " and newline escaped, as the format requires.
std::string Escape(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

void Metrics::ObserveRequest(const std::string& route, const std::string& method, int status, double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  ++requests_[{route, method, status}];
  Histogram& h = latency_[route];
  size_t i = 0;
  while (i < kBuckets.size() && seconds > kBuckets[i]) ++i;
  if (i < kBuckets.size()) ++h.buckets[i];
  ++h.count;
  h.sum += seconds;
}

void Metrics::CountTransitions(const std::vector<std::string>& workflows) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const std::string& w : workflows) ++transitions_[w];
}

void Metrics::CountStoreError() {
  std::lock_guard<std::mutex> lock(mu_);
  ++store_errors_;
}

void Metrics::CountAuthFailure(const std::string& code) {
  std::lock_guard<std::mutex> lock(mu_);
  ++auth_failures_[code];
}

void Metrics::CountAuthBackoff() {
  std::lock_guard<std::mutex> lock(mu_);
  ++auth_backoffs_;
}

void Metrics::CountRefusal(int status) {
  std::lock_guard<std::mutex> lock(mu_);
  ++refusals_[status];
}

void Metrics::CountTlsHandshakeFailure() {
  std::lock_guard<std::mutex> lock(mu_);
  ++tls_handshake_failures_;
}

void Metrics::SetDroppedConnectionsSource(std::function<uint64_t()> source) {
  std::lock_guard<std::mutex> lock(mu_);
  dropped_connections_ = std::move(source);
}

std::string Metrics::Render(const StoreReadings& readings) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::ostringstream out;
  out << "# HELP credflow_http_requests_total HTTP requests answered, by route template, method and status.\n"
         "# TYPE credflow_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    out << "credflow_http_requests_total{route=\"" << Escape(std::get<0>(key)) << "\",method=\""
        << Escape(std::get<1>(key)) << "\",status=\"" << std::get<2>(key) << "\"} " << n << "\n";
  }
  out << "# HELP credflow_http_request_duration_seconds Time from request to response, by route template.\n"
         "# TYPE credflow_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    const std::string label = "route=\"" + Escape(route) + "\"";
    uint64_t cumulative = 0;
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += h.buckets[i];
      out << "credflow_http_request_duration_seconds_bucket{" << label << ",le=\"" << kBuckets[i] << "\"} "
          << cumulative << "\n";
    }
    out << "credflow_http_request_duration_seconds_bucket{" << label << ",le=\"+Inf\"} " << h.count << "\n";
    out << "credflow_http_request_duration_seconds_sum{" << label << "} " << h.sum << "\n";
    out << "credflow_http_request_duration_seconds_count{" << label << "} " << h.count << "\n";
  }
  out << "# HELP credflow_transitions_total Committed history events (transitions, case openings included), by "
         "workflow.\n# TYPE credflow_transitions_total counter\n";
  for (const auto& [workflow, n] : transitions_) {
    out << "credflow_transitions_total{workflow=\"" << Escape(workflow) << "\"} " << n << "\n";
  }
  if (readings.timers_due) {
    out << "# HELP credflow_timers_due Timers due now and not yet fired.\n# TYPE credflow_timers_due gauge\n"
        << "credflow_timers_due " << *readings.timers_due << "\n";
  }
  if (readings.overdue_tasks) {
    out << "# HELP credflow_overdue_tasks Open department tasks (coordinated repair) past their decision "
           "deadline, by department.\n# TYPE credflow_overdue_tasks gauge\n";
    for (const auto& [department, n] : *readings.overdue_tasks) {
      out << "credflow_overdue_tasks{department=\"" << Escape(department) << "\"} " << n << "\n";
    }
  }
  out << "# HELP credflow_store_errors_total Requests and timer runs that failed because the store was "
         "unavailable or failed internally.\n# TYPE credflow_store_errors_total counter\n"
      << "credflow_store_errors_total " << store_errors_ << "\n";
  out << "# HELP credflow_auth_failures_total Requests refused 401 for their token (missing, unknown, malformed "
         "or a disabled user's), their session cookie (unknown or ended) or their sign-in (wrong name or "
         "password), by problem code.\n# TYPE credflow_auth_failures_total counter\n";
  for (const char* code : {"missing_token", "invalid_token", "session_expired", "invalid_credentials"}) {
    const auto it = auth_failures_.find(code);
    out << "credflow_auth_failures_total{code=\"" << code << "\"} " << (it == auth_failures_.end() ? 0 : it->second)
        << "\n";
  }
  out << "# HELP credflow_auth_backoff_total Requests refused 429 because their client address failed "
         "authentication too often.\n# TYPE credflow_auth_backoff_total counter\n"
      << "credflow_auth_backoff_total " << auth_backoffs_ << "\n";
  out << "# HELP credflow_http_refused_total Answers the server gave on its own, by status: 408 (too slow), 503 "
         "(over the per-client connection limit), and heads refused before their body was read.\n"
         "# TYPE credflow_http_refused_total counter\n";
  std::map<int, uint64_t> refusals = refusals_;
  refusals.emplace(408, 0);  // always shown, so a dashboard finds the series
  refusals.emplace(503, 0);
  for (const auto& [status, n] : refusals) {
    out << "credflow_http_refused_total{status=\"" << status << "\"} " << n << "\n";
  }
  out << "# HELP credflow_tls_handshake_failures_total TLS connections whose handshake failed or did not finish "
         "within the header timeout.\n# TYPE credflow_tls_handshake_failures_total counter\n"
      << "credflow_tls_handshake_failures_total " << tls_handshake_failures_ << "\n";
  if (dropped_connections_) {
    out << "# HELP credflow_http_dropped_connections_total Connections closed unanswered because every thread "
           "was busy and the queue (--queue) was full.\n# TYPE credflow_http_dropped_connections_total counter\n"
        << "credflow_http_dropped_connections_total " << dropped_connections_() << "\n";
  }
  return out.str();
}

}  // namespace credflow::adapters::http
