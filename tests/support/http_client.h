// A small HTTP client for tests of the API over real sockets (Poco), one
// keep-alive connection per client. Every answer is checked against the
// OpenAPI document (openapi_statuses.h): a status (or media type) that the
// document does not list for the route fails the test.
#pragma once

#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "adapters/http/http_message.h"

namespace credflow::testing {

struct HttpReply {
  int status = 0;
  adapters::http::HeaderMap headers;
  std::string body;

  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
  // The body as JSON (discarded when it is not JSON).
  nlohmann::json Json() const { return nlohmann::json::parse(body, nullptr, false); }
};

class HttpClient {
 public:
  HttpClient(std::string host, int port);
  ~HttpClient();

  // Sends one request; `token` empty = no Authorization header. A transport
  // failure gives status 0 and the reason in body.
  HttpReply Send(const std::string& method, const std::string& target, const std::string& token = "",
                 const std::string& body = "", const std::map<std::string, std::string>& headers = {});
  HttpReply Get(const std::string& target, const std::string& token = "") { return Send("GET", target, token); }
  HttpReply Post(const std::string& target, const std::string& token, const nlohmann::json& body,
                 const std::map<std::string, std::string>& headers = {}) {
    return Send("POST", target, token, body.dump(), headers);
  }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace credflow::testing
