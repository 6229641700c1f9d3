// The server's Prometheus metrics, rendered in the text exposition format
// 0.0.4. Debian 12 packages no Prometheus client library for C++ (and Poco
// gained one only in 1.13), so the few counters and the one histogram live
// here. Thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace credflow::adapters::http {

class Metrics {
 public:
  // Upper bounds of the latency histogram's buckets, in seconds.
  static constexpr std::array<double, 12> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1.0,  2.5,   5.0};

  // `route` is the route's template ("/v1/cases/{id}"), never the raw path,
  // so the label set stays bounded.
  void ObserveRequest(const std::string& route, const std::string& method, int status, double seconds);
  void CountTransitions(const std::vector<std::string>& workflows);
  void CountStoreError();
  // A request refused for its token; `code` is the problem code
  // (missing_token, invalid_token).
  void CountAuthFailure(const std::string& code);
  // A request answered 429 because its address is backed off.
  void CountAuthBackoff();
  // An answer the server gave on its own, before or instead of the API: 408
  // (a head or body too slow), 503 (over the per-client connection limit),
  // and the 4xx/5xx of a head refused before any body byte was read.
  void CountRefusal(int status);
  // A TLS connection whose handshake failed or did not finish in time
  // (plain HTTP sent to the TLS port among them).
  void CountTlsHandshakeFailure();
  // Where the count of connections the server closed unanswered because
  // every thread was busy and its queue full comes from at scrape time;
  // empty (the default) hides the series.
  void SetDroppedConnectionsSource(std::function<uint64_t()> source);

  // What the caller reads from the store at scrape time; each absent when
  // the store could not say.
  struct StoreReadings {
    std::optional<int64_t> timers_due;
    // Open department tasks past their decision deadline, by department.
    std::optional<std::map<std::string, int64_t>> overdue_tasks;
  };
  std::string Render(const StoreReadings& readings) const;

 private:
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> buckets{};  // non-cumulative counts
    uint64_t count = 0;
    double sum = 0;
  };

  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;  // route, method, status
  std::map<std::string, Histogram> latency_;                                // route
  std::map<std::string, uint64_t> transitions_;                             // workflow
  uint64_t store_errors_ = 0;
  std::map<std::string, uint64_t> auth_failures_;  // problem code
  uint64_t auth_backoffs_ = 0;
  std::map<int, uint64_t> refusals_;  // status
  uint64_t tls_handshake_failures_ = 0;
  std::function<uint64_t()> dropped_connections_;
};

}  // namespace credflow::adapters::http
