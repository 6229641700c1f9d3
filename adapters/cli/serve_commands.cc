// `credflow serve`: the HTTP/JSON API (adapters/http) with an in-process
// timer scheduler, stopped gracefully by SIGTERM or SIGINT. `credflow user`:
// the API's users; a token is shown once and only its SHA-256 is stored.
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <pthread.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>
#include <vector>

#include <boost/algorithm/string/trim.hpp>

#include "adapters/audit/anchor_folder.h"
#include "adapters/cli/cli_support.h"
#include "adapters/cli/commands.h"
#include "adapters/crypto/ed25519.h"
#include "adapters/crypto/password.h"
#include "adapters/http/api.h"
#include "adapters/http/console_files.h"
#include "adapters/http/server.h"
#include "adapters/input/bounded_file.h"
#include "adapters/store/read_replica.h"
#include "adapters/store/store_url.h"
#include "engine/user.h"
#include "workflows/subject/grading.h"

namespace credflow::adapters::cli {
namespace {

struct ServeFlags {
  std::string listen = "127.0.0.1:8080";
  http::ServerOptions server;  // threads, queue, timeouts, per-client limit
  std::size_t pool = 8;
  // --read-database: a PostgreSQL streaming replica for the reads that may
  // be stale, within --read-max-staleness-ms (store/read_replica.h).
  std::string read_database;
  int read_max_staleness_ms = 5000;
  int scheduler_interval = 5;
  int scheduler_threads = 2;
  int auth_cache_seconds = 5;
  http::AuthBackoffOptions auth_backoff;
  int auth_failure_window = 60;
  int auth_backoff_first = 30;
  int auth_backoff_max = 900;
  int grace_seconds = 30;
  std::string port_file;
  std::string log_level = "info";
  AnchorScheduleFlags anchor;
  std::string console;      // --console DIR; empty: looked for beside the binary
  bool no_console = false;  // --no-console
  int session_idle_minutes = 30;
  bool secure_cookies = false;  // --secure-cookies (set it when TLS is on)
};

// Where the console's built files are when --console does not say: the
// build's copy beside the binary (build/adapters/console, where CMake's
// credflow_console target writes it), then an installed copy
// (PREFIX/share/credflow/console for PREFIX/bin/credflow). Empty: none.
std::string FindConsoleDir() {
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return std::string();
  const std::filesystem::path dir = exe.parent_path();
  for (const std::filesystem::path& candidate :
       {dir / "console", dir.parent_path() / "share" / "credflow" / "console"}) {
    if (std::filesystem::is_regular_file(candidate / "index.html", ec)) return candidate.string();
  }
  return std::string();
}

// Fires due timers every `interval` until Stop(), on `threads` threads: each
// claims its own timers (FOR UPDATE SKIP LOCKED on PostgreSQL), so a backlog
// left by a burst of decisions drains in parallel. Woken at once when this
// process commits a timer already due (a delivery), so a join does not wait
// for the next poll. The first thread also runs the monthly recomputation of
// risk grades (workflows/subject/grading.h), looked at once an office day.
class Scheduler {
 public:
  Scheduler(engine::CaseService* service, http::Metrics* metrics, int interval, int threads)
      : service_(service), metrics_(metrics), interval_(interval), thread_count_(threads) {}
  ~Scheduler() { Stop(); }

  void Start() {
    for (int i = 0; interval_ > 0 && i < thread_count_; ++i) threads_.emplace_back([this, i] { Run(i == 0); });
  }

  // Fires due timers now instead of at the next poll (a delivery armed by
  // a command this process just committed). Cheap; safe from any thread.
  void Wake() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      wake_ = true;
    }
    cv_.notify_one();
  }

  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    for (std::thread& t : threads_) {
      if (t.joinable()) t.join();
    }
  }

 private:
  // Once an office day: the month's recomputation when it is due and not
  // yet done (a failure is tried again at the next poll).
  void RegradeIfDue(policies::Date* looked_on) {
    const policies::Date today = service_->clock().Today();
    if (*looked_on == today) return;
    engine::Result<workflows::subject::MonthlyRegrade> run = workflows::subject::RunMonthlyRegrade(*service_);
    if (!run.ok()) {
      spdlog::error("scheduler: monthly regrade: {}", run.status().ToString());
      return;
    }
    *looked_on = today;
    if (run->state == "ran") {
      spdlog::info("scheduler: monthly regrade {}: {} subject(s), {} grade(s) changed", run->month, run->subjects,
                   run->changed);
    }
  }

  void Run(bool regrades) {
    policies::Date regrade_looked_on;
    std::unique_lock<std::mutex> lock(mu_);
    while (!stop_) {
      lock.unlock();
      if (regrades) RegradeIfDue(&regrade_looked_on);
      engine::Result<int> fired = service_->FireDueTimers();
      if (!fired.ok()) {
        spdlog::error("scheduler: {}", fired.status().ToString());
        if (fired.status().code() == engine::Status::Code::kUnavailable ||
            fired.status().code() == engine::Status::Code::kInternal) {
          metrics_->CountStoreError();
        }
      } else if (*fired > 0) {
        spdlog::info("scheduler: fired {} timer(s)", *fired);
      }
      lock.lock();
      cv_.wait_for(lock, std::chrono::seconds(interval_), [this] { return stop_ || wake_; });
      wake_ = false;
    }
  }

  engine::CaseService* service_;
  http::Metrics* metrics_;
  int interval_;
  int thread_count_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool wake_ = false;
  std::vector<std::thread> threads_;
};

// "HOST:PORT"; 0.0.0.0 listens on every interface.
bool ParseListen(const std::string& text, http::ServerOptions* options) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  const std::string port = text.substr(colon + 1);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) return false;
  const int n = std::stoi(port);
  if (n > 65535) return false;
  options->host = text.substr(0, colon);
  options->port = n;
  return true;
}

// Writes the bound port so scripts and tests can find a server started on
// port 0; written under another name and renamed, so a reader never sees a
// half-written file.
bool WritePortFile(const std::string& file, int port) {
  const std::string tmp = file + ".tmp";
  {
    std::ofstream out(tmp);
    out << port << "\n";
    if (!out) return false;
  }
  return std::rename(tmp.c_str(), file.c_str()) == 0;
}

// Opens --read-database (a PostgreSQL standby of the store, read only) and
// starts watching how far behind it is; false (after saying why) when it
// cannot serve.
bool StartReadReplica(Engine& e, const ServeFlags& f, std::unique_ptr<ReadReplica>* out) {
  engine::Result<StoreUrl> url = ParseStoreUrl(f.read_database);
  if (!url.ok() || url->backend != StoreBackend::kPostgresql || !e.store->WalPosition().ok()) {
    std::cerr << "credflow: --read-database needs a PostgreSQL store and a PostgreSQL replica URL\n";
    return false;
  }
  StoreOptions options;
  options.migrate = false;
  options.pool_size = f.pool;
  engine::Result<std::unique_ptr<SociCaseStore>> replica = SociCaseStore::Open(f.read_database, options);
  if (!replica.ok()) {
    std::cerr << "credflow: cannot open --read-database: " << replica.status().ToString() << "\n";
    return false;
  }
  *out = std::make_unique<ReadReplica>(e.store.get(), std::move(*replica),
                                       std::chrono::milliseconds(f.read_max_staleness_ms));
  spdlog::info("credflow serve: lists, histories, statistics and the store check read from {} within {} ms",
               url->redacted, f.read_max_staleness_ms);
  return true;
}

int Serve(const GlobalOptions& g, const ServeFlags& f) {
  http::ServerOptions options = f.server;
  if (!ParseListen(f.listen, &options)) {
    std::cerr << "credflow: --listen must be HOST:PORT, e.g. 127.0.0.1:8080 (port 0 = any free port)\n";
    return kExitUnusable;
  }
  // SIGTERM and SIGINT are taken by sigwait below: block them before any
  // thread starts, so every thread inherits the mask and none is killed.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  spdlog::set_level(spdlog::level::from_str(f.log_level));
  std::unique_ptr<Engine> e = StartEngine(g, f.pool);
  if (!e) return kExitUnusable;
  RecountDeadlinesAtStartUp(*e);
  http::ApiOptions api_options;
  api_options.auth_cache_ttl = std::chrono::seconds(f.auth_cache_seconds);
  api_options.auth_backoff = f.auth_backoff;
  api_options.auth_backoff.window = std::chrono::seconds(f.auth_failure_window);
  api_options.auth_backoff.first_backoff = std::chrono::seconds(f.auth_backoff_first);
  api_options.auth_backoff.max_backoff = std::chrono::seconds(std::max(f.auth_backoff_first, f.auth_backoff_max));
  api_options.sessions.idle = std::chrono::minutes(f.session_idle_minutes);
  api_options.sessions.secure_cookie = f.secure_cookies;
  std::unique_ptr<http::ConsoleFiles> console;
  if (!f.no_console) {
    const std::string dir = f.console.empty() ? FindConsoleDir() : f.console;
    if (dir.empty()) {
      spdlog::info("credflow serve: no web console found beside the binary (build it with Node.js, or --console DIR)");
    } else {
      engine::Result<std::unique_ptr<http::ConsoleFiles>> loaded = http::ConsoleFiles::Load(dir);
      if (!loaded.ok()) {
        std::cerr << "credflow: --console: " << loaded.status().message() << "\n";
        return kExitUnusable;
      }
      console = std::move(*loaded);
      api_options.console = console.get();
      spdlog::info("credflow serve: web console at / from {} ({} files)", dir, console->file_count());
    }
  }
  // Auditors list and check the anchor folder's files over HTTP, with the
  // public half of --anchor-key (an unusable key is reported below).
  std::unique_ptr<audit::AnchorFolder> anchor_folder;
  if (!f.anchor.dir.empty()) {
    std::string public_key;
    if (!f.anchor.key.empty()) {
      engine::Result<std::unique_ptr<crypto::Ed25519Signer>> signer = crypto::Ed25519Signer::FromPemFile(f.anchor.key);
      if (signer.ok()) public_key = (*signer)->public_key();
    }
    anchor_folder = std::make_unique<audit::AnchorFolder>(f.anchor.dir, public_key);
    api_options.anchors = anchor_folder.get();
  }
  std::unique_ptr<ReadReplica> replica;
  if (!f.read_database.empty()) {
    if (!StartReadReplica(*e, f, &replica)) return kExitUnusable;
    ReadReplica* r = replica.get();
    api_options.read_source = [r] {
      const ReadReplica::Choice choice = r->Choose();
      http::ReadSource source{choice.store, "primary"};
      if (choice.replica) source.served_by = "replica; staleness-ms=" + std::to_string(choice.staleness.count());
      return source;
    };
  }
  http::Api api(e->service.get(), api_options);
  // The scheduler starts before the server, so its wake-up hook is in place
  // before any request can run.
  Scheduler scheduler(e->service.get(), &api.metrics(), f.scheduler_interval, f.scheduler_threads);
  e->service->set_due_timer_observer([&scheduler] { scheduler.Wake(); });
  scheduler.Start();
  std::shared_ptr<void> anchors;  // the scheduled anchor, if asked for
  if (!StartAnchorSchedule(*e, f.anchor, &anchors)) {
    scheduler.Stop();
    return kExitUnusable;
  }
  http::HttpServer server(&api, options);
  if (engine::Status st = server.Start(); !st.ok()) {
    PrintStatus(st);
    return kExitUnusable;
  }
  if (!f.port_file.empty() && !WritePortFile(f.port_file, server.port())) {
    std::cerr << "credflow: cannot write " << f.port_file << "\n";
    server.Stop(0);
    return kExitUnusable;
  }
  spdlog::info("credflow serve: listening on {}://{}:{} (store {}, {} threads, scheduler every {} s on {} thread(s))",
               options.tls_cert_file.empty() ? "http" : "https", options.host, server.port(), e->store->redacted_url(),
               options.threads, f.scheduler_interval, f.scheduler_interval > 0 ? f.scheduler_threads : 0);
  spdlog::info(
      "credflow serve: request head within {} s, body within {} s, keep-alive {} s, at most {} connection(s) per "
      "client",
      options.header_timeout_seconds, options.body_timeout_seconds, options.keep_alive_seconds,
      options.max_connections_per_client);
  if (f.auth_backoff.failure_limit > 0) {
    spdlog::info(
        "credflow serve: {} failed authentications within {} s back an address off for {} s, doubling up to {} s",
        f.auth_backoff.failure_limit, f.auth_failure_window, f.auth_backoff_first,
        std::max(f.auth_backoff_first, f.auth_backoff_max));
  }

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  spdlog::info("credflow serve: {} received; finishing requests in flight",
               signal_number == SIGTERM ? "SIGTERM" : "SIGINT");
  server.Stop(f.grace_seconds);
  scheduler.Stop();
  anchors.reset();
  e->service->set_due_timer_observer(nullptr);  // nothing runs commands now
  spdlog::info("credflow serve: stopped");
  return kExitOk;
}

// ---- users -------------------------------------------------------------------

int UserAdd(const GlobalOptions& g, const std::string& name, const std::string& role_name,
            const std::string& department, const std::string& token_file) {
  std::optional<engine::Role> role = engine::ParseRole(role_name);
  if (!role) {
    std::cerr << "credflow: --role must be caseworker, department, auditor or admin\n";
    return kExitUnusable;
  }
  std::string token;
  if (!token_file.empty()) {
    // Its first line; a file of more than a few lines is not a token file
    // (and /dev/zero has no line to end).
    constexpr size_t kMaxTokenFileBytes = 4096;
    std::optional<std::string> read = input::ReadFileAtMost(token_file, kMaxTokenFileBytes);
    if (!read || read->empty() || read->size() > kMaxTokenFileBytes) {
      std::cerr << "credflow: cannot read a token from " << token_file << " (a file of at most " << kMaxTokenFileBytes
                << " bytes)\n";
      return kExitUnusable;
    }
    token = read->substr(0, read->find('\n'));
    boost::algorithm::trim(token);
    if (token.size() < engine::kMinTokenLength) {
      std::cerr << "credflow: the token in " << token_file << " is shorter than " << engine::kMinTokenLength
                << " characters\n";
      return kExitUnusable;
    }
  } else {
    token = engine::NewToken();
    if (token.empty()) {
      std::cerr << "credflow: the random number generator failed; no user created\n";
      return kExitFailed;
    }
  }
  std::unique_ptr<engine::Clock> clock = MakeClock(g);
  if (!clock) return kExitUnusable;
  std::unique_ptr<SociCaseStore> store = OpenStoreOrExplain(g);
  if (!store) return kExitUnusable;
  engine::User user{name, *role, department, engine::TokenHash(token), false, clock->Now(), ""};
  if (engine::Status st = store->PutUser(user); !st.ok()) return PrintStatus(st), kExitFailed;
  std::cout << "user " << name << " (" << role_name << (department.empty() ? "" : ", department " + department)
            << ") added\n";
  if (token_file.empty()) {
    std::cout << "token: " << token << "\n"
              << "The token is shown only now; credflow keeps only its hash.\n";
  }
  return kExitOk;
}

// A line of `in` without its end: at most `max` bytes and one more, so that
// a longer one is refused as too long rather than read without end (a
// password piped from /dev/zero). False when there is nothing to read.
bool ReadLineAtMost(std::istream& in, std::string* line, size_t max) {
  line->clear();
  char c = 0;
  bool any = false;
  while (line->size() <= max && in.get(c)) {
    any = true;
    if (c == '\n') break;
    line->push_back(c);
  }
  return any;
}

// The password for `user passwd`: typed twice at a terminal without echo,
// else the first line of standard input. False (and a message) when it
// cannot be read or the two differ.
bool ReadPassword(std::string* password) {
  if (!isatty(STDIN_FILENO)) {
    if (!ReadLineAtMost(std::cin, password, crypto::kMaxPasswordLength)) {
      std::cerr << "credflow: no password on standard input\n";
      return false;
    }
    if (!password->empty() && password->back() == '\r') password->pop_back();
    return true;
  }
  termios old{};
  tcgetattr(STDIN_FILENO, &old);
  termios quiet = old;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  std::string again;
  std::cerr << "password: " << std::flush;
  const bool first = ReadLineAtMost(std::cin, password, crypto::kMaxPasswordLength);
  std::cerr << "\nagain: " << std::flush;
  const bool second = first && ReadLineAtMost(std::cin, &again, crypto::kMaxPasswordLength);
  std::cerr << "\n";
  tcsetattr(STDIN_FILENO, TCSANOW, &old);
  if (!second) return false;
  if (*password != again) {
    std::cerr << "credflow: the two passwords differ; nothing changed\n";
    return false;
  }
  return true;
}

int UserPasswd(const GlobalOptions& g, const std::string& name) {
  std::string password;
  if (!ReadPassword(&password)) return kExitUnusable;
  engine::Result<std::string> hash = crypto::HashPassword(password);
  std::fill(password.begin(), password.end(), '\0');
  if (!hash.ok()) return PrintStatus(hash.status()), kExitUnusable;
  std::unique_ptr<SociCaseStore> store = OpenStoreOrExplain(g);
  if (!store) return kExitUnusable;
  if (engine::Status st = store->SetUserPassword(name, *hash); !st.ok()) return PrintStatus(st), kExitFailed;
  std::cout << "user " << name << ": console password set\n";
  return kExitOk;
}

int UserList(const GlobalOptions& g) {
  std::unique_ptr<SociCaseStore> store = OpenStoreOrExplain(g);
  if (!store) return kExitUnusable;
  engine::Result<std::vector<engine::User>> users = store->ListUsers();
  if (!users.ok()) return PrintStatus(users.status()), kExitFailed;
  for (const engine::User& u : *users) {
    std::cout << u.name << "  " << engine::RoleName(u.role) << (u.department.empty() ? "" : "  " + u.department)
              << (u.disabled ? "  DISABLED" : "") << "  added " << engine::FormatOfficeTimestamp(u.created_at) << "\n";
  }
  return kExitOk;
}

int UserSetDisabled(const GlobalOptions& g, const std::string& name, bool disabled) {
  std::unique_ptr<SociCaseStore> store = OpenStoreOrExplain(g);
  if (!store) return kExitUnusable;
  if (engine::Status st = store->SetUserDisabled(name, disabled); !st.ok()) return PrintStatus(st), kExitFailed;
  std::cout << "user " << name << (disabled ? " disabled" : " enabled") << "\n";
  return kExitOk;
}

}  // namespace

void AddServeCommands(CLI::App& app, const GlobalOptions& g, int& exit_code) {
  auto flags = std::make_shared<ServeFlags>();
  ServeFlags& f = *flags;
  CLI::App* serve = app.add_subcommand("serve", "serve the HTTP/JSON API (and fire due timers) until SIGTERM");
  serve->add_option("--listen", f.listen, "HOST:PORT to listen on; port 0 picks a free port");
  serve
      ->add_option("--threads", f.server.threads,
                   "connections served at once, one thread each (an idle connection holds one until a timeout below)")
      ->check(CLI::Range(1, 2048));
  serve->add_option("--queue", f.server.queue, "accepted connections waiting for a thread; more are closed")
      ->check(CLI::Range(1, 65536));
  serve
      ->add_option("--header-timeout", f.server.header_timeout_seconds,
                   "seconds a request head (request line and headers) may take to arrive; else 408 and close")
      ->check(CLI::Range(1, 300));
  serve
      ->add_option("--body-timeout", f.server.body_timeout_seconds,
                   "seconds a request body may take to arrive (no pause longer than --header-timeout); else 408")
      ->check(CLI::Range(1, 3600));
  serve->add_option("--keep-alive", f.server.keep_alive_seconds, "seconds an idle keep-alive connection stays open")
      ->check(CLI::Range(1, 300));
  serve
      ->add_option("--max-connections-per-client", f.server.max_connections_per_client,
                   "connections one client address may hold; the next is answered 503 (0 = no limit; raise it "
                   "behind a reverse proxy)")
      ->check(CLI::Range(0, 65536));
  serve->add_option("--pool", f.pool, "store connections")->check(CLI::Range(1, 256));
  serve->add_option("--read-database", f.read_database,
                    "a PostgreSQL streaming replica of the store (postgresql://...) for case lists, histories, "
                    "statistics and the store check; each answer says where it was read (Credflow-Read-From)");
  serve
      ->add_option("--read-max-staleness-ms", f.read_max_staleness_ms,
                   "the most the replica may be behind the primary; further behind, reads go to the primary")
      ->check(CLI::Range(0, 3600000));
  serve
      ->add_option("--scheduler-interval", f.scheduler_interval,
                   "seconds between runs of the in-process timer scheduler; 0 = none (run `credflow scheduler run`)")
      ->check(CLI::Range(0, 3600));
  serve->add_option("--scheduler-threads", f.scheduler_threads, "threads firing due timers")->check(CLI::Range(1, 64));
  serve
      ->add_option("--auth-cache-seconds", f.auth_cache_seconds,
                   "how long a token stays trusted without asking the store (a disabled user is refused after "
                   "at most this long); 0 = ask every time")
      ->check(CLI::Range(0, 300));
  serve
      ->add_option("--auth-failure-limit", f.auth_backoff.failure_limit,
                   "failed authentications (missing, unknown or disabled token) one client address (an IPv6 "
                   "client by its /64) may make within --auth-failure-window before it is answered 429; 0 = no "
                   "back-off (behind a reverse proxy every client has the proxy's address)")
      ->check(CLI::Range(0, 1000000));
  serve->add_option("--auth-failure-window", f.auth_failure_window, "seconds failed authentications are counted in")
      ->check(CLI::Range(1, 86400));
  serve
      ->add_option("--auth-backoff", f.auth_backoff_first,
                   "seconds of the first back-off (429 with Retry-After); each further one doubles")
      ->check(CLI::Range(1, 86400));
  serve->add_option("--auth-backoff-max", f.auth_backoff_max, "the longest back-off, in seconds")
      ->check(CLI::Range(1, 86400));
  CLI::Option* tls_cert = serve
                              ->add_option("--tls-cert", f.server.tls_cert_file,
                                           "serve HTTPS with this certificate chain (PEM, leaf first); needs --tls-key")
                              ->check(CLI::ExistingFile);
  CLI::Option* tls_key =
      serve->add_option("--tls-key", f.server.tls_key_file, "the certificate's private key (PEM, unencrypted)")
          ->check(CLI::ExistingFile);
  tls_cert->needs(tls_key);
  tls_key->needs(tls_cert);
  serve->add_option("--grace", f.grace_seconds, "seconds to let requests in flight finish on SIGTERM")
      ->check(CLI::Range(0, 600));
  serve->add_option("--port-file", f.port_file, "write the bound port to this file once listening");
  serve
      ->add_option("--log-level", f.log_level,
                   "error, warn, info, or debug (debug logs every request: method, "
                   "route template, status, time)")
      ->check(CLI::IsMember({"error", "warn", "info", "debug"}));
  serve->add_option("--console", f.console,
                    "serve the web console's built files from DIR at / (default: the console built beside the "
                    "binary, BINDIR/console, or PREFIX/share/credflow/console)");
  serve->add_flag("--no-console", f.no_console, "serve no web console");
  serve
      ->add_option("--session-idle", f.session_idle_minutes,
                   "minutes without a request after which a console session ends")
      ->check(CLI::Range(1, 24 * 60));
  serve->add_flag("--secure-cookies", f.secure_cookies,
                  "mark the session cookie Secure (HTTPS only); set it whenever the console is reached over TLS");
  AddAnchorScheduleOptions(*serve, f.anchor);
  serve->callback([flags, &g, &exit_code] { exit_code = Serve(g, *flags); });

  struct UserFlags {
    std::string name, role, department, token_file;
  };
  auto u = std::make_shared<UserFlags>();
  CLI::App* user = app.add_subcommand("user", "API users and their bearer tokens");
  user->require_subcommand(1);
  CLI::App* add = user->add_subcommand("add", "add a user; prints a new token once (only its hash is stored)");
  add->add_option("NAME", u->name, "user name: 1-64 letters or digits (张三 too), '.', '_', '-' or '·'")->required();
  add->add_option("--role", u->role, "caseworker, department, auditor or admin")->required();
  add->add_option("--department", u->department, "the department (required for the department role)");
  add->add_option("--token-file", u->token_file,
                  "use the token in this file (first line, at least 32 characters) instead of a new one; "
                  "nothing is printed")
      ->check(CLI::ExistingFile);
  add->callback([u, &g, &exit_code] { exit_code = UserAdd(g, u->name, u->role, u->department, u->token_file); });
  CLI::App* passwd = user->add_subcommand(
      "passwd", "set the user's web console password (read twice without echo, or one line of standard input)");
  passwd->add_option("NAME", u->name, "user name")->required();
  passwd->callback([u, &g, &exit_code] { exit_code = UserPasswd(g, u->name); });
  CLI::App* list = user->add_subcommand("list", "list users (never their tokens)");
  list->callback([&g, &exit_code] { exit_code = UserList(g); });
  CLI::App* disable = user->add_subcommand("disable", "refuse the user's token from now on");
  disable->add_option("NAME", u->name, "user name")->required();
  disable->callback([u, &g, &exit_code] { exit_code = UserSetDisabled(g, u->name, true); });
  CLI::App* enable = user->add_subcommand("enable", "accept a disabled user's token again");
  enable->add_option("NAME", u->name, "user name")->required();
  enable->callback([u, &g, &exit_code] { exit_code = UserSetDisabled(g, u->name, false); });
}

}  // namespace credflow::adapters::cli
