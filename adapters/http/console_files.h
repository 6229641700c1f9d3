// The web console's built files (adapters/console, built by Vite), served
// by credflow serve at "/". Every file under the directory is read once at
// start-up into memory: the set of files read is the manifest, and a path
// outside it is never opened, so no request can reach another file
// (no directory traversal). index.html is "/" and is never cached; files
// under assets/ carry a content hash in their names and are cached for a
// year (immutable). A file's "NAME.gz" sibling (written at build time) is
// sent instead when the client accepts gzip. HTML answers carry a
// Content-Security-Policy that allows scripts from the server only (no
// inline script).
//
// Threading: immutable after Load; Serve is safe from many threads.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "adapters/http/http_message.h"
#include "engine/status.h"

namespace credflow::adapters::http {

// The policy sent with every console page. Element Plus positions popups
// with inline style attributes, hence 'unsafe-inline' for styles only.
inline constexpr const char* kConsoleContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";

class ConsoleFiles {
 public:
  // Reads every regular file under `dir` (at most 64 MiB in all).
  // NotFound("console_not_built") when `dir` has no index.html;
  // InvalidArgument when the files are too many or too large.
  static engine::Result<std::unique_ptr<ConsoleFiles>> Load(const std::string& dir);

  // The answer for GET `path` (as sent, percent-encoded; "/" is
  // index.html), or nullopt when the path names no file of the console.
  std::optional<HttpResponse> Serve(const HttpRequest& request) const;

  size_t file_count() const { return files_.size(); }

 private:
  struct File {
    std::string content_type;
    std::string body;
    std::string gzip;  // empty when no .gz sibling was built
    bool immutable = false;
  };
  std::map<std::string, File> files_;  // "/index.html", "/assets/index-3f2a.js", ...
};

}  // namespace credflow::adapters::http
