// A `credflow serve` child process for tests: started on a free port (it
// writes the port to a file), stopped with SIGTERM, killed if a test forgets.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace credflow::testing {

class ServeProcess {
 public:
  // Runs `credflow --database URL <global_args> serve --listen 127.0.0.1:0
  // --port-file ... <serve_args>` and waits (up to 30 s) until it listens.
  ServeProcess(const std::string& database_url, const std::vector<std::string>& global_args,
               const std::vector<std::string>& serve_args);
  ~ServeProcess();
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  bool ok() const { return port_ > 0; }
  int port() const { return port_; }
  // What the process wrote to stdout and stderr so far.
  std::string Log() const;
  // Sends SIGTERM and waits up to `timeout_seconds`: the exit code, or -1
  // when it had to be killed or died of a signal.
  int Terminate(int timeout_seconds = 30);

 private:
  std::string dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace credflow::testing
