// Api behind Poco's HTTP server: a thread pool, keep-alive connections, and
// a graceful stop (stop accepting, let in-flight requests finish, then
// return). The only file of the API that names Poco types is server.cc.
#pragma once

#include <memory>
#include <string>

#include "adapters/http/api.h"
#include "engine/status.h"

namespace credflow::adapters::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;             // 0 = any free port (see HttpServer::port)
  int threads = 16;            // requests served at once
  int queue = 256;             // accepted connections waiting for a thread
  int keep_alive_seconds = 5;  // idle keep-alive connections close after this
};

class HttpServer {
 public:
  HttpServer(Api* api, ServerOptions options);
  ~HttpServer();  // stops the server if still running

  // Binds and starts serving. Unavailable("...") when the address cannot be
  // bound.
  engine::Status Start();
  // The bound port (the chosen one when options.port was 0).
  int port() const { return port_; }
  // Stops accepting, lets the requests in flight finish (waiting at most
  // `grace_seconds`), then closes every connection.
  void Stop(int grace_seconds = 30);

 private:
  struct Impl;
  Api* api_;
  ServerOptions options_;
  int port_ = 0;
  std::unique_ptr<Impl> impl_;
};

}  // namespace credflow::adapters::http
