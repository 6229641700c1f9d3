#include "adapters/http/server.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <thread>

#include "adapters/http/problem.h"

namespace credflow::adapters::http {
namespace {

// A body over the limit is read and dropped up to this much, so that the
// client, still sending, reads the 413 rather than a connection reset.
constexpr std::streamsize kMaxDrainBytes = 16 << 20;

// Reads the body; past the limit, drains it (up to kMaxDrainBytes) and marks
// the request. The connection is closed after answering such a request.
void ReadBody(Poco::Net::HTTPServerRequest& in, HttpRequest* out) {
  std::istream& stream = in.stream();
  char buffer[16384];
  std::streamsize total = 0;
  const bool announced_too_large =
      in.hasContentLength() && in.getContentLength64() > static_cast<Poco::Int64>(kMaxBodyBytes);
  while (stream.good() && total <= kMaxDrainBytes) {
    stream.read(buffer, sizeof buffer);
    total += stream.gcount();
    if (announced_too_large || total > static_cast<std::streamsize>(kMaxBodyBytes)) {
      out->body_too_large = true;
      out->body.clear();
    } else {
      out->body.append(buffer, static_cast<size_t>(stream.gcount()));
    }
  }
}

void Send(const HttpResponse& answer, bool close, Poco::Net::HTTPServerResponse& out) {
  out.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer.status));
  out.setReason(ReasonPhrase(answer.status));
  out.setContentType(answer.content_type);
  for (const auto& [name, value] : answer.headers) out.set(name, value);
  if (close) out.setKeepAlive(false);
  out.setContentLength(static_cast<std::streamsize>(answer.body.size()));
  out.sendBuffer(answer.body.data(), answer.body.size());
}

class ApiHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit ApiHandler(Api* api) : api_(api) {}

  void handleRequest(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out) override {
    HttpRequest request;
    try {
      request.method = in.getMethod();
      const Poco::URI uri(in.getURI());
      request.path = uri.getPath();
      for (const auto& [name, value] : uri.getQueryParameters()) request.query.emplace_back(name, value);
      for (const auto& [name, value] : in) request.headers[name] = value;
    } catch (const Poco::Exception&) {
      Send(Problem(400, "malformed_request", "the request target is not a valid URI"), true, out);
      return;
    }
    try {
      ReadBody(in, &request);
      Send(api_->Handle(request), request.body_too_large, out);
    } catch (const Poco::Exception& e) {
      // The client went away mid-request or mid-answer: nothing to answer.
      spdlog::debug("http: connection error: {}", e.displayText());
    } catch (const std::exception& e) {
      spdlog::error("http: {}", e.what());
    }
  }

 private:
  Api* api_;
};

class ApiHandlerFactory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit ApiHandlerFactory(Api* api) : api_(api) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new ApiHandler(api_);
  }

 private:
  Api* api_;
};

}  // namespace

struct HttpServer::Impl {
  Poco::ThreadPool pool;
  std::unique_ptr<Poco::Net::HTTPServer> server;

  explicit Impl(int threads) : pool(2, threads, 60) {}
};

HttpServer::HttpServer(Api* api, ServerOptions options) : api_(api), options_(std::move(options)) {}

HttpServer::~HttpServer() { Stop(); }

engine::Status HttpServer::Start() {
  try {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress(options_.host, static_cast<Poco::UInt16>(options_.port)),
                                   /*backlog=*/128);
    port_ = socket.address().port();
    auto* params = new Poco::Net::HTTPServerParams;  // owned by the server
    params->setMaxThreads(options_.threads);
    params->setMaxQueued(options_.queue);
    params->setKeepAlive(true);
    params->setKeepAliveTimeout(Poco::Timespan(options_.keep_alive_seconds, 0));
    params->setTimeout(Poco::Timespan(30, 0));
    params->setServerName("credflow");
    impl_ = std::make_unique<Impl>(options_.threads + 1);  // +1: the server's acceptor
    impl_->server = std::make_unique<Poco::Net::HTTPServer>(new ApiHandlerFactory(api_), impl_->pool, socket, params);
    impl_->server->start();
    return engine::Status::Ok();
  } catch (const Poco::Exception& e) {
    impl_.reset();
    return engine::Status::Unavailable("cannot listen on " + options_.host + ":" + std::to_string(options_.port) +
                                       ": " + e.displayText());
  }
}

void HttpServer::Stop(int grace_seconds) {
  if (!impl_) return;
  // Stop accepting; connections finish the request they are in, then close
  // (keep-alive connections idle in between close within their timeout).
  impl_->server->stopAll(/*abortCurrent=*/false);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(grace_seconds);
  while (impl_->server->currentConnections() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (impl_->server->currentConnections() > 0) {
    spdlog::warn("http: {} connection(s) still open after {} s; closing them", impl_->server->currentConnections(),
                 grace_seconds);
    impl_->server->stopAll(/*abortCurrent=*/true);
  }
  impl_->pool.joinAll();
  impl_->server.reset();
  impl_.reset();
}

}  // namespace credflow::adapters::http
