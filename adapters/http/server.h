// Api behind Poco's HTTP server, hardened against clients that do not play
// along: one thread per connection (Poco's model) with many small-stack
// threads, a deadline on every phase of a request (the head, the body, the
// idle time between keep-alive requests) enforced by a watchdog that shuts
// the socket down, a cap on connections per client address, and requests
// refused from their head alone (before any body byte is read) when they
// cannot be served. Every error is a problem+json answer. A graceful stop
// stops accepting, closes idle connections, lets requests in flight finish,
// then returns. With a certificate and key it serves HTTPS (Poco NetSSL,
// OpenSSL), the handshake under the same deadline as a request head. The
// only file of the API that names Poco types is server.cc.
// Start and Stop are called from one thread; the rest is internal.
#pragma once

#include <memory>
#include <string>

#include "adapters/http/api.h"
#include "engine/status.h"

namespace credflow::adapters::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;             // 0 = any free port (see HttpServer::port)
  int threads = 256;           // connections served at once, one thread each
  int queue = 256;             // accepted connections waiting for a thread
  int keep_alive_seconds = 5;  // idle keep-alive connections close after this
  // A new connection must send a complete request head (request line and
  // headers) within this, and so must a keep-alive connection once its next
  // request has begun; the socket's receive timeout is this too. Else 408
  // and the connection is closed.
  int header_timeout_seconds = 5;
  // A request body must be complete within this after its head (and never
  // pause longer than header_timeout_seconds). Else 408 and close.
  int body_timeout_seconds = 30;
  // Connections one client address may hold at once; the next is answered
  // 503 and closed. 0 = no limit (behind a reverse proxy every client has
  // the proxy's address: raise it or turn it off there).
  int max_connections_per_client = 64;
  // Requests served on one keep-alive connection before it is closed.
  int max_keep_alive_requests = 1000;
  // The longest request target (path and query) served; longer is 414.
  int max_target_bytes = 8192;
  // HTTPS when both are set (PEM files: the certificate chain, leaf first,
  // and its private key): TLS 1.2 or newer, the server's cipher order, no
  // client certificate. The handshake must finish within
  // header_timeout_seconds, like a request head.
  std::string tls_cert_file;
  std::string tls_key_file;
};

class HttpServer {
 public:
  HttpServer(Api* api, ServerOptions options);
  ~HttpServer();  // stops the server if still running

  // Binds and starts serving. Unavailable("...") when the address cannot be
  // bound; InvalidArgument("tls_files", ...) when only one TLS file is
  // given, or a file cannot be read, is not PEM, or the key does not match
  // the certificate.
  engine::Status Start();
  // The bound port (the chosen one when options.port was 0).
  int port() const { return port_; }
  // Stops accepting, closes connections waiting for a request, lets the
  // requests in flight finish (waiting at most `grace_seconds`), then closes
  // every connection.
  void Stop(int grace_seconds = 30);

 private:
  struct Impl;
  Api* api_;
  ServerOptions options_;
  int port_ = 0;
  std::unique_ptr<Impl> impl_;
};

}  // namespace credflow::adapters::http
