#include "adapters/http/server.h"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <list>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>
#include <thread>

#include <openssl/ssl.h>
#include <strings.h>
#include <sys/socket.h>

#include "adapters/http/problem.h"

namespace credflow::adapters::http {
namespace {

using Clock = std::chrono::steady_clock;

// A body over the limit is read and dropped up to this much, so that the
// client, still sending, reads the 413 rather than a connection reset.
constexpr std::streamsize kMaxDrainBytes = 16 << 20;
// After an answer given from the head alone, what the client may still be
// sending is read and dropped up to this much and this long, then the
// connection is closed (a close with unread data would reset it and lose
// the answer).
// A client that sends a body a little over the 1 MiB limit is still
// sending when the 413 goes out: drop up to 4 MiB within 2 s so that it
// reads the answer (64 KiB was not enough on a loaded machine).
constexpr int kLingerBytes = 4 << 20;
constexpr auto kLingerTime = std::chrono::milliseconds(2000);
// Connection threads run handlers (JSON, the store, the machines), never
// recursion the input controls; 2 MiB leaves ample room at a fraction of
// the 8 MiB default, which matters with hundreds of threads.
constexpr int kThreadStackBytes = 2 << 20;
// How often the watchdog looks for connections past their deadline.
constexpr auto kWatchdogPeriod = std::chrono::milliseconds(100);

// ---- connections and their deadlines ------------------------------------

// What the watchdog knows of one connection. Fields other than socket and
// client are guarded by Connections::mu_.
struct ConnectionState {
  Poco::Net::StreamSocket socket;
  std::string client;
  Clock::time_point deadline = Clock::time_point::max();
  bool busy = false;     // a request is being served (stop lets it finish)
  bool sending = false;  // its answer is being written
  bool timed_out = false;
};

// Every open connection: per-client counts for the acceptor, deadlines for
// the watchdog, and the sockets to shut down on stop. A socket is shut
// down only while its connection is registered, under mu_, so never after
// its owner closed it (the descriptor cannot have been reused).
class Connections {
 public:
  explicit Connections(int per_client_limit) : per_client_limit_(per_client_limit) {
    watchdog_ = std::thread([this] { Watch(); });
  }
  ~Connections() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      quit_ = true;
    }
    cv_.notify_all();
    watchdog_.join();
  }

  // The acceptor's question: may `client` open one more connection? When
  // it may, the connection counts for its client from now on, while it
  // waits in the queue for a thread too (else a burst of connections would
  // all pass before the first of them is picked up).
  bool Admit(const Poco::Net::StreamSocket& socket, const std::string& client) {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return false;
    if (per_client_limit_ > 0) {
      auto it = per_client_.find(client);
      if (it != per_client_.end() && it->second >= per_client_limit_) return false;
    }
    ++per_client_[client];
    queued_.push_back(Queued{socket, client});
    return true;
  }

  void Enter(ConnectionState* c) {
    std::lock_guard<std::mutex> lock(mu_);
    open_.insert(c);
    auto it = std::find_if(queued_.begin(), queued_.end(),
                           [c](const Queued& q) { return q.socket.impl() == c->socket.impl(); });
    if (it != queued_.end()) {
      queued_.erase(it);  // counted when admitted
    } else {
      ++per_client_[c->client];
    }
    if (stopping_) ShutDown(c);
  }
  void Leave(ConnectionState* c) {
    std::lock_guard<std::mutex> lock(mu_);
    open_.erase(c);
    if (--per_client_[c->client] <= 0) per_client_.erase(c->client);
    cv_.notify_all();
  }

  // The connection waits for (or reads) a request head until `deadline`.
  void Idle(ConnectionState* c, Clock::time_point deadline) {
    std::lock_guard<std::mutex> lock(mu_);
    c->busy = false;
    c->sending = false;
    c->deadline = deadline;
    if (stopping_) ShutDown(c);
  }
  // The head is in: serve it, reading its body until `deadline`. False when
  // the server is stopping (the request is dropped unanswered).
  bool Busy(ConnectionState* c, Clock::time_point deadline) {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return false;
    c->busy = true;
    c->deadline = deadline;
    return true;
  }
  // The body is read: the handler runs without a deadline.
  void Working(ConnectionState* c) {
    std::lock_guard<std::mutex> lock(mu_);
    c->deadline = Clock::time_point::max();
  }
  // The answer must be taken by the client until `deadline`.
  void Sending(ConnectionState* c, Clock::time_point deadline) {
    std::lock_guard<std::mutex> lock(mu_);
    c->sending = true;
    c->deadline = deadline;
  }
  bool TimedOut(ConnectionState* c) {
    std::lock_guard<std::mutex> lock(mu_);
    return c->timed_out;
  }
  bool stopping() {
    std::lock_guard<std::mutex> lock(mu_);
    return stopping_;
  }

  // Stop: idle connections close now; busy ones after their request.
  void StopIdle() {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    for (ConnectionState* c : open_) {
      if (!c->busy) ShutDown(c);
    }
  }
  // Closes every connection, busy or not.
  void AbortAll() {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    for (ConnectionState* c : open_) ShutDown(c);
  }
  // Waits until no connection is open or `until`; the number still open.
  size_t WaitForNone(Clock::time_point until) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_until(lock, until, [this] { return open_.empty(); });
    return open_.size();
  }

 private:
  // On the descriptor itself, under TLS too: Poco's secure socket does
  // nothing on a half shutdown and writes a close_notify on a whole one
  // (an OpenSSL call racing the connection's own thread). A TCP shutdown
  // wakes a blocked read (or handshake) at once; errors mean the peer
  // closed first: nothing to interrupt.
  static void RawShutDown(ConnectionState* c, int how) {
    const poco_socket_t fd = c->socket.impl()->sockfd();
    if (fd != POCO_INVALID_SOCKET) ::shutdown(fd, how);
  }
  static void ShutDown(ConnectionState* c) { RawShutDown(c, SHUT_RDWR); }

  // An admitted connection that Poco dropped before a thread took it (its
  // queue was full, or the server stopped) is held by queued_ alone: it no
  // longer counts for its client, and its descriptor closes here.
  void ForgetDropped() {
    for (auto it = queued_.begin(); it != queued_.end();) {
      if (it->socket.impl()->referenceCount() > 1) {
        ++it;
        continue;
      }
      if (--per_client_[it->client] <= 0) per_client_.erase(it->client);
      it = queued_.erase(it);
    }
  }

  // Shuts the receiving side of every connection past its deadline: the
  // blocked read returns at once and the connection answers 408. One that
  // does not take its answer in time is shut down whole.
  void Watch() {
    std::unique_lock<std::mutex> lock(mu_);
    while (!quit_) {
      cv_.wait_for(lock, kWatchdogPeriod);
      ForgetDropped();
      const Clock::time_point now = Clock::now();
      for (ConnectionState* c : open_) {
        if (c->timed_out || now < c->deadline) continue;
        c->timed_out = true;
        RawShutDown(c, c->sending ? SHUT_RDWR : SHUT_RD);
      }
    }
  }

  const int per_client_limit_;
  std::mutex mu_;
  std::condition_variable cv_;
  struct Queued {
    Poco::Net::StreamSocket socket;
    std::string client;
  };
  std::set<ConnectionState*> open_;
  std::list<Queued> queued_;  // admitted, not yet taken by a thread
  std::map<std::string, int> per_client_;
  bool stopping_ = false;
  bool quit_ = false;
  std::thread watchdog_;
};

// ---- answers --------------------------------------------------------------

void Send(const HttpResponse& answer, bool close, Poco::Net::HTTPServerResponse& out) {
  out.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer.status));
  out.setReason(ReasonPhrase(answer.status));
  out.setContentType(answer.content_type);
  for (const auto& [name, value] : answer.headers) out.set(name, value);
  if (close) out.setKeepAlive(false);
  out.setContentLength(static_cast<std::streamsize>(answer.body.size()));
  // send(), not sendBuffer(): its stream drops the body of an answer to HEAD,
  // and flushing it puts the answer on the wire now, not when the response
  // object goes (an early refusal closes the connection before that).
  std::ostream& body = out.send();
  body.write(answer.body.data(), static_cast<std::streamsize>(answer.body.size()));
  body.flush();
}

// The answer to a request that could not be read at all (no handler ran).
void SendOnSession(const HttpResponse& answer, Poco::Net::HTTPServerSession& session) {
  try {
    Poco::Net::HTTPServerResponseImpl out(session);
    out.setVersion(Poco::Net::HTTPMessage::HTTP_1_1);
    Send(answer, /*close=*/true, out);
  } catch (const Poco::Exception&) {
    // The client is gone.
  }
  session.setKeepAlive(false);
}

// Reads and drops what the client may still send (bounded), so that closing
// does not reset the connection before it reads the answer.
void Linger(Poco::Net::StreamSocket& socket) {
  try {
    socket.shutdownSend();
    socket.setReceiveTimeout(Poco::Timespan(0, 100 * 1000));
    const auto until = Clock::now() + kLingerTime;
    char buffer[16384];
    int total = 0;
    while (total < kLingerBytes && Clock::now() < until) {
      const int n = socket.receiveBytes(buffer, sizeof buffer);
      if (n <= 0) break;
      total += n;
    }
  } catch (const Poco::Exception&) {
    // Timed out or reset: close now.
  }
}

// ---- the request head -------------------------------------------------------

// RFC 9110 5.6.2 tchar.
bool IsTokenChar(unsigned char c) {
  if (c >= '0' && c <= '9') return true;
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

bool IsToken(const std::string& s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](char c) { return IsTokenChar(static_cast<unsigned char>(c)); });
}

// RFC 9110 5.5: no control character but HTAB (bytes >= 0x80 are obs-text).
bool IsFieldValue(const std::string& s) {
  return std::none_of(s.begin(), s.end(), [](char ch) {
    const unsigned char c = static_cast<unsigned char>(ch);
    return (c < 0x20 && c != '\t') || c == 0x7f;
  });
}

bool IsVisibleAscii(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

bool IEquals(const std::string& a, const char* b) { return ::strcasecmp(a.c_str(), b) == 0; }

// The path of an origin-form ("/p?q") or absolute-form ("http://h/p?q")
// target, still percent-encoded; false for any other form.
bool RawPathOf(const std::string& target, std::string* path) {
  std::string rest = target;
  for (const char* scheme : {"http://", "https://"}) {
    const size_t n = std::char_traits<char>::length(scheme);
    if (rest.size() >= n && ::strncasecmp(rest.c_str(), scheme, n) == 0) {
      const size_t slash = rest.find('/', n);
      rest = slash == std::string::npos ? "/" : rest.substr(slash);
      break;
    }
  }
  if (rest.empty() || rest.front() != '/') return false;
  *path = rest.substr(0, rest.find_first_of("?#"));
  return true;
}

// Methods the route table serves at `path` ("GET, POST" when none).
std::string AllowedAt(const Api& api, const std::string& path) {
  const Router::Match m = api.router().Find("TRACE", path);
  std::string allow;
  for (const std::string& method : m.allowed) allow += (allow.empty() ? "" : ", ") + method;
  return allow.empty() ? "GET, POST" : allow;
}

// Checks what can be checked from the head alone, before any body byte is
// read, and fills `out` (all but the body). The problem when the request
// cannot be served; the connection is then closed.
std::optional<HttpResponse> CheckHead(const Poco::Net::HTTPServerRequest& in, const Api& api,
                                      const ServerOptions& options, HttpRequest* out) {
  const std::string& method = in.getMethod();
  const std::string& target = in.getURI();
  out->method = method;
  if (method == "TRACE" || method == "CONNECT") {
    std::string path;
    HttpResponse r = Problem(405, "method_not_allowed", method + " is not served");
    r.headers["Allow"] = RawPathOf(target, &path) ? AllowedAt(api, path) : "GET, POST";
    return r;
  }
  if (!IsToken(method)) return Problem(400, "malformed_request", "the request method is not a token");
  if (in.getVersion() != Poco::Net::HTTPMessage::HTTP_1_1 && in.getVersion() != Poco::Net::HTTPMessage::HTTP_1_0) {
    return Problem(505, "http_version_not_supported", "only HTTP/1.1 and HTTP/1.0 are served");
  }
  if (target.size() > static_cast<size_t>(options.max_target_bytes)) {
    return Problem(414, "uri_too_long",
                   "the request target is over the " + std::to_string(options.max_target_bytes) + "-byte limit");
  }
  if (!IsVisibleAscii(target) || !RawPathOf(target, &out->path)) {
    return Problem(400, "malformed_request", "the request target is not a path");
  }

  int hosts = 0, lengths = 0, encodings = 0;
  for (const auto& [name, value] : in) {
    if (!IsToken(name)) return Problem(400, "invalid_header", "a header name is not a token (RFC 9110 5.1)");
    if (!IsFieldValue(value)) return Problem(400, "invalid_header", "header " + name + " holds a control character");
    if (IEquals(name, "Host")) ++hosts;
    if (IEquals(name, "Content-Length")) ++lengths;
    if (IEquals(name, "Transfer-Encoding")) ++encodings;
    out->headers[name] = value;
  }
  if (hosts > 1 || (hosts == 0 && in.getVersion() == Poco::Net::HTTPMessage::HTTP_1_1)) {
    return Problem(400, "invalid_host", "an HTTP/1.1 request needs exactly one Host header (RFC 9112 3.2)");
  }
  if (hosts == 1 && !in.getHost().empty() && !IsVisibleAscii(in.getHost())) {
    return Problem(400, "invalid_host", "the Host header is not a host");
  }
  if (encodings > 0) {
    if (encodings > 1 || !IEquals(in.getTransferEncoding(), "chunked")) {
      return Problem(501, "unsupported_transfer_coding", "the only transfer coding served is chunked");
    }
    if (lengths > 0) {
      return Problem(400, "malformed_request", "a request has Content-Length or Transfer-Encoding, not both");
    }
  }
  Poco::Int64 length = 0;
  if (lengths > 0) {
    const std::string text = in.get("Content-Length");
    const bool digits = lengths == 1 && !text.empty() && text.size() <= 18 &&
                        std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits) return Problem(400, "malformed_request", "Content-Length must be one decimal number");
    length = std::stoll(text);
  }
  const bool has_body_framing = lengths > 0 || encodings > 0;
  if (!has_body_framing && (method == "POST" || method == "PUT" || method == "PATCH")) {
    return Problem(411, "length_required", method + " needs Content-Length (or chunked transfer coding)");
  }
  if (length > static_cast<Poco::Int64>(kMaxBodyBytes)) {
    return Problem(413, "body_too_large", "the request body is over the 1 MiB limit");
  }
  if (in.has("Expect") && !IEquals(in.get("Expect"), "100-continue")) {
    return Problem(417, "expectation_failed", "the only expectation served is 100-continue");
  }
  try {
    const Poco::URI uri(target);
    for (const auto& [name, value] : uri.getQueryParameters()) out->query.emplace_back(name, value);
  } catch (const Poco::Exception&) {
    return Problem(400, "malformed_request", "the request target is not a valid URI");
  }
  return std::nullopt;
}

// The problem for a head Poco itself refused. Poco says which limit only in
// its message (Poco 1.11's MessageHeader / HTTPRequest); anything not
// recognised is a plain 400.
HttpResponse HeadProblem(const Poco::Exception& e) {
  const std::string& what = e.message();
  if (what.find("URI") != std::string::npos) {
    return Problem(414, "uri_too_long", "the request target is too long");
  }
  if (what.find("too long") != std::string::npos || what.find("Too many") != std::string::npos) {
    return Problem(431, "header_fields_too_large", "a header field is too long, or there are too many");
  }
  return Problem(400, "malformed_request", "the request head is not HTTP/1.1");
}

// Reads the body; past the limit, drains it (up to kMaxDrainBytes) and marks
// the request. False when the body did not arrive whole (the client went
// away, paused too long or ran out of time).
bool ReadBody(Poco::Net::HTTPServerRequest& in, HttpRequest* out) {
  std::istream& stream = in.stream();
  char buffer[16384];
  std::streamsize total = 0;
  while (stream.good() && total <= kMaxDrainBytes) {
    stream.read(buffer, sizeof buffer);
    total += stream.gcount();
    if (total > static_cast<std::streamsize>(kMaxBodyBytes)) {
      out->body_too_large = true;
      out->body.clear();
    } else {
      out->body.append(buffer, static_cast<size_t>(stream.gcount()));
    }
  }
  if (stream.bad()) return false;
  // A declared length that did not arrive: the peer closed early. (A
  // chunked body cut short ends like a whole one in Poco; such a body is
  // incomplete JSON, refused by the handler, unless it was cut exactly at
  // its end.)
  if (in.hasContentLength() && !out->body_too_large && total < in.getContentLength64()) return false;
  return true;
}

// ---- one connection ------------------------------------------------------------

class Connection final : public Poco::Net::TCPServerConnection {
 public:
  Connection(const Poco::Net::StreamSocket& socket, Api* api, const ServerOptions* options,
             Poco::Net::HTTPServerParams::Ptr params, Connections* connections, bool tls)
      : TCPServerConnection(socket),
        api_(api),
        options_(options),
        params_(params),
        connections_(connections),
        tls_(tls) {
    state_.socket = socket;
    try {
      state_.client = socket.peerAddress().host().toString();
    } catch (const Poco::Exception&) {
      state_.client = "?";
    }
    connections_->Enter(&state_);
  }
  ~Connection() override { connections_->Leave(&state_); }

  void run() override {
    Poco::Net::HTTPServerSession session(socket(), params_);
    try {
      socket().setSendTimeout(Poco::Timespan(options_->body_timeout_seconds, 0));
    } catch (const Poco::Exception&) {
      return;  // already gone
    }
    const auto header_time = std::chrono::seconds(options_->header_timeout_seconds);
    // A new connection has header_time for its first request head; a
    // keep-alive one may idle keep_alive_seconds first (Poco's poll).
    const auto keep_alive_time = std::chrono::seconds(options_->keep_alive_seconds);
    connections_->Idle(&state_, Clock::now() + header_time);
    if (tls_ && !Handshake()) return;
    for (bool first = true;; first = false) {
      if (!first) connections_->Idle(&state_, Clock::now() + keep_alive_time + header_time);
      if (!session.hasMoreRequests()) break;
      if (!first) connections_->Idle(&state_, Clock::now() + header_time);
      if (!ServeOne(session)) break;
    }
  }

 private:
  // The TLS handshake, now and under the head's deadline (Poco would do it
  // lazily inside the first read); false when it failed or timed out.
  bool Handshake() {
    try {
      Poco::Net::SecureStreamSocket secure(socket());
      secure.completeHandshake();
      if (!connections_->TimedOut(&state_)) return true;
    } catch (const Poco::Exception& e) {
      spdlog::debug("http: TLS handshake with {} failed: {}", state_.client, e.displayText());
    }
    api_->metrics().CountTlsHandshakeFailure();
    return false;
  }

  // An answer the server gives on its own, counted in /metrics.
  void Refuse(const HttpResponse& answer, Poco::Net::HTTPServerSession& session) {
    api_->metrics().CountRefusal(answer.status);
    SendOnSession(answer, session);
  }

  // Serves one request; false when the connection is to be closed.
  bool ServeOne(Poco::Net::HTTPServerSession& session) {
    try {
      Poco::Net::HTTPServerResponseImpl response(session);
      std::unique_ptr<Poco::Net::HTTPServerRequestImpl> request;
      try {
        request = std::make_unique<Poco::Net::HTTPServerRequestImpl>(response, session, params_.get());
      } catch (const Poco::Net::NoMessageException&) {
        return false;  // closed (or cut off) before sending anything
      } catch (const Poco::Exception& e) {
        if (connections_->stopping()) return false;
        // Out of time: the watchdog's deadline for the whole head, or the
        // socket's own timeout on a read that got nothing (whichever fired
        // first).
        const bool late = connections_->TimedOut(&state_) || dynamic_cast<const Poco::TimeoutException*>(&e) != nullptr;
        Refuse(late ? Problem(408, "request_timeout", "the request head did not arrive in time") : HeadProblem(e),
               session);
        Linger(socket());
        return false;
      }
      // The watchdog's shutdown ends the read like a peer's close, and Poco
      // takes a head cut after a whole header line for a complete one: a
      // head that ran past its deadline is 408 however it parsed.
      if (connections_->TimedOut(&state_)) {
        Refuse(Problem(408, "request_timeout", "the request head did not arrive in time"), session);
        Linger(socket());
        return false;
      }
      if (!connections_->Busy(&state_, Clock::now() + std::chrono::seconds(options_->body_timeout_seconds))) {
        return false;
      }
      response.setDate(Poco::Timestamp());
      // The answer speaks the version it is in: HTTP/1.0 to a 1.0 client,
      // else 1.1 (a 505 to "HTTP/2.0" is not itself HTTP/2.0).
      response.setVersion(request->getVersion() == Poco::Net::HTTPMessage::HTTP_1_0 ? Poco::Net::HTTPMessage::HTTP_1_0
                                                                                    : Poco::Net::HTTPMessage::HTTP_1_1);
      response.setKeepAlive(params_->getKeepAlive() && request->getKeepAlive() && session.canKeepAlive());
      response.set("Server", "credflow");

      HttpRequest plain;
      plain.client = state_.client;
      if (std::optional<HttpResponse> problem = CheckHead(*request, *api_, *options_, &plain)) {
        api_->metrics().CountRefusal(problem->status);
        Send(*problem, /*close=*/true, response);
        Linger(socket());
        return false;
      }
      if (request->getExpectContinue()) response.sendContinue();
      // Without Content-Length or chunked coding a request has no body (RFC
      // 9112 6.3); Poco would read one until the client closes.
      const bool framed = request->hasContentLength() || request->getChunkedTransferEncoding();
      if (framed && !ReadBody(*request, &plain)) {
        if (connections_->TimedOut(&state_) || session.networkException() != nullptr) {
          Refuse(Problem(408, "request_timeout", "the request body did not arrive in time"), session);
        }
        return false;
      }
      connections_->Working(&state_);
      plain.client = state_.client;
      const bool close = plain.body_too_large || !response.getKeepAlive() || connections_->stopping();
      const HttpResponse answer = api_->Handle(plain);
      connections_->Sending(&state_, Clock::now() + std::chrono::seconds(options_->body_timeout_seconds));
      Send(answer, close, response);
      return !close && params_->getKeepAlive() && session.canKeepAlive();
    } catch (const Poco::Exception& e) {
      // The client went away mid-request or mid-answer: nothing to answer.
      spdlog::debug("http: connection error: {}", e.displayText());
    } catch (const std::exception& e) {
      spdlog::error("http: {}", e.what());
    }
    return false;
  }

  Api* api_;
  const ServerOptions* options_;
  Poco::Net::HTTPServerParams::Ptr params_;
  Connections* connections_;
  const bool tls_;
  ConnectionState state_;
};

class ConnectionFactory final : public Poco::Net::TCPServerConnectionFactory {
 public:
  ConnectionFactory(Api* api, const ServerOptions* options, Poco::Net::HTTPServerParams::Ptr params,
                    Connections* connections, bool tls)
      : api_(api), options_(options), params_(params), connections_(connections), tls_(tls) {}
  Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override {
    return new Connection(socket, api_, options_, params_, connections_, tls_);
  }

 private:
  Api* api_;
  const ServerOptions* options_;
  Poco::Net::HTTPServerParams::Ptr params_;
  Connections* connections_;
  const bool tls_;
};

// The acceptor's filter: a client over its connection limit is answered
// 503 (written without blocking the acceptor) and closed. Under TLS it is
// closed without an answer: the answer would need a handshake, which the
// acceptor must not wait for.
class PerClientLimit final : public Poco::Net::TCPServerConnectionFilter {
 public:
  PerClientLimit(Connections* connections, Metrics* metrics, bool tls)
      : connections_(connections), metrics_(metrics), tls_(tls) {}
  bool accept(const Poco::Net::StreamSocket& socket) override {
    std::string client;
    try {
      client = socket.peerAddress().host().toString();
    } catch (const Poco::Exception&) {
      return false;
    }
    if (connections_->Admit(socket, client)) return true;
    metrics_->CountRefusal(503);
    if (tls_) return false;
    try {
      HttpResponse answer = Problem(503, "too_many_connections", "this client has too many connections open");
      Poco::Net::HTTPResponse head(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(503));
      head.setContentType(answer.content_type);
      head.setContentLength(static_cast<std::streamsize>(answer.body.size()));
      head.setKeepAlive(false);
      head.set("Retry-After", "1");
      std::ostringstream text;
      head.write(text);
      text << answer.body;
      Poco::Net::StreamSocket s(socket);
      s.setBlocking(false);
      const std::string bytes = text.str();
      s.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
      s.shutdownSend();
    } catch (const Poco::Exception&) {
      // Best effort: the connection is closed either way.
    }
    return false;
  }

 private:
  Connections* connections_;
  Metrics* metrics_;
  const bool tls_;
};

// Reads a whole (small) file; false when it cannot be read.
bool Readable(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  return in && in.peek() != std::ifstream::traits_type::eof();
}

// The server's TLS context, or InvalidArgument("tls_files") saying which
// file is wrong.
engine::Status MakeTlsContext(const ServerOptions& options, Poco::Net::Context::Ptr* out) {
  auto bad = [](const std::string& what) { return engine::Status::InvalidArgument("tls_files", what); };
  if (options.tls_cert_file.empty() != options.tls_key_file.empty()) {
    return bad("--tls-cert and --tls-key go together: give both or neither");
  }
  if (!Readable(options.tls_cert_file)) return bad("cannot read the TLS certificate " + options.tls_cert_file);
  if (!Readable(options.tls_key_file)) return bad("cannot read the TLS private key " + options.tls_key_file);
  Poco::Net::Context::Params params;
  params.certificateFile = options.tls_cert_file;
  params.privateKeyFile = options.tls_key_file;
  params.verificationMode = Poco::Net::Context::VERIFY_NONE;  // no client certificate
  params.loadDefaultCAs = false;
  // TLS 1.2: forward-secret AEAD suites only (TLS 1.3 has nothing else).
  params.cipherList =
      "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
      "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
      "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384";
  try {
    Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, params);
    context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
    context->preferServerCiphers();
    if (SSL_CTX_check_private_key(context->sslContext()) != 1) {
      return bad("the TLS private key " + options.tls_key_file + " does not match the certificate " +
                 options.tls_cert_file);
    }
    *out = context;
    return engine::Status::Ok();
  } catch (const Poco::Exception& e) {
    return bad("cannot load the TLS certificate " + options.tls_cert_file + " and key " + options.tls_key_file + ": " +
               e.displayText());
  }
}

}  // namespace

struct HttpServer::Impl {
  Connections connections;
  Poco::ThreadPool pool;
  std::unique_ptr<Poco::Net::TCPServer> server;

  Impl(int threads, int per_client_limit) : connections(per_client_limit), pool(2, threads, 60, kThreadStackBytes) {}
};

namespace {

// Poco's OpenSSL set-up, once per process while a TLS server may run.
struct SslLibrary {
  SslLibrary() { Poco::Net::initializeSSL(); }
  ~SslLibrary() { Poco::Net::uninitializeSSL(); }
};

}  // namespace

HttpServer::HttpServer(Api* api, ServerOptions options) : api_(api), options_(std::move(options)) {}

HttpServer::~HttpServer() { Stop(); }

engine::Status HttpServer::Start() {
  const bool tls = !options_.tls_cert_file.empty() || !options_.tls_key_file.empty();
  Poco::Net::Context::Ptr context;
  if (tls) {
    static SslLibrary ssl_library;
    if (engine::Status st = MakeTlsContext(options_, &context); !st.ok()) return st;
  }
  try {
    const Poco::Net::SocketAddress address(options_.host, static_cast<Poco::UInt16>(options_.port));
    const int backlog = std::max(128, options_.queue);
    // A secure socket under TLS (Poco sockets are handles: the copy keeps it).
    auto listen = [&]() -> Poco::Net::ServerSocket {
      if (tls) return Poco::Net::SecureServerSocket(address, backlog, context);
      return Poco::Net::ServerSocket(address, backlog);
    };
    Poco::Net::ServerSocket socket = listen();
    port_ = socket.address().port();
    Poco::Net::HTTPServerParams::Ptr params(new Poco::Net::HTTPServerParams);
    params->setMaxThreads(options_.threads);
    params->setMaxQueued(options_.queue);
    params->setThreadIdleTime(Poco::Timespan(1, 0));
    params->setKeepAlive(true);
    params->setKeepAliveTimeout(Poco::Timespan(options_.keep_alive_seconds, 0));
    params->setMaxKeepAliveRequests(options_.max_keep_alive_requests);
    params->setTimeout(Poco::Timespan(options_.header_timeout_seconds, 0));
    params->setServerName("credflow");
    impl_ = std::make_unique<Impl>(options_.threads + 1, options_.max_connections_per_client);
    impl_->server = std::make_unique<Poco::Net::TCPServer>(
        new ConnectionFactory(api_, &options_, params, &impl_->connections, tls), impl_->pool, socket, params);
    impl_->server->setConnectionFilter(new PerClientLimit(&impl_->connections, &api_->metrics(), tls));
    impl_->server->start();
    Poco::Net::TCPServer* server = impl_->server.get();
    api_->metrics().SetDroppedConnectionsSource(
        [server] { return static_cast<uint64_t>(std::max(0, server->refusedConnections())); });
    return engine::Status::Ok();
  } catch (const Poco::Exception& e) {
    impl_.reset();
    return engine::Status::Unavailable("cannot listen on " + options_.host + ":" + std::to_string(options_.port) +
                                       ": " + e.displayText());
  }
}

void HttpServer::Stop(int grace_seconds) {
  if (!impl_) return;
  // Stop accepting; idle connections close now, the others after the
  // request they are serving.
  api_->metrics().SetDroppedConnectionsSource(nullptr);
  impl_->server->stop();
  impl_->connections.StopIdle();
  const size_t left = impl_->connections.WaitForNone(Clock::now() + std::chrono::seconds(grace_seconds));
  if (left > 0) {
    spdlog::warn("http: {} connection(s) still open after {} s; closing them", left, grace_seconds);
    impl_->connections.AbortAll();
  }
  impl_->pool.joinAll();
  impl_->server.reset();
  impl_.reset();
}

}  // namespace credflow::adapters::http
