#include "tests/support/http_client.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <sstream>

#include "tests/support/openapi_statuses.h"

namespace credflow::testing {

struct HttpClient::Impl {
  Poco::Net::HTTPClientSession session;
  Impl(const std::string& host, int port) : session(host, static_cast<Poco::UInt16>(port)) {
    session.setKeepAlive(true);
    session.setTimeout(Poco::Timespan(30, 0));
  }
};

HttpClient::HttpClient(std::string host, int port) : impl_(std::make_unique<Impl>(host, port)) {}
HttpClient::~HttpClient() = default;

HttpReply HttpClient::Send(const std::string& method, const std::string& target, const std::string& token,
                           const std::string& body, const std::map<std::string, std::string>& headers) {
  HttpReply reply;
  try {
    Poco::Net::HTTPRequest request(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
    request.setKeepAlive(true);
    if (!token.empty()) request.set("Authorization", "Bearer " + token);
    if (method == "POST" || !body.empty()) {
      request.setContentType("application/json");
      request.setContentLength(static_cast<std::streamsize>(body.size()));
    }
    for (const auto& [name, value] : headers) request.set(name, value);
    std::ostream& out = impl_->session.sendRequest(request);
    out << body;
    Poco::Net::HTTPResponse response;
    std::istream& in = impl_->session.receiveResponse(response);
    std::ostringstream text;
    Poco::StreamCopier::copyStream(in, text);
    reply.status = static_cast<int>(response.getStatus());
    for (const auto& [name, value] : response) reply.headers[name] = value;
    reply.body = text.str();
    // Every answer the tests see must be one the OpenAPI document lists.
    const std::string undocumented =
        OpenApiStatuses::Served().Check(method, target, reply.status, response.getContentType());
    if (!undocumented.empty()) ADD_FAILURE() << "undocumented answer: " << undocumented << ": " << reply.body;
  } catch (const Poco::Exception& e) {
    impl_->session.reset();
    reply.status = 0;
    reply.body = e.displayText();
  }
  return reply;
}

}  // namespace credflow::testing
