#include "adapters/http/console_files.h"

#include <boost/algorithm/string/case_conv.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace credflow::adapters::http {
namespace {

namespace fs = std::filesystem;

constexpr uintmax_t kMaxConsoleBytes = 64u << 20;
constexpr size_t kMaxConsoleFiles = 2000;

std::string ContentTypeOf(const std::string& path) {
  static const std::map<std::string, std::string> kTypes = {{".html", "text/html; charset=utf-8"},
                                                            {".js", "text/javascript; charset=utf-8"},
                                                            {".mjs", "text/javascript; charset=utf-8"},
                                                            {".css", "text/css; charset=utf-8"},
                                                            {".json", "application/json"},
                                                            {".svg", "image/svg+xml"},
                                                            {".png", "image/png"},
                                                            {".ico", "image/x-icon"},
                                                            {".woff2", "font/woff2"},
                                                            {".woff", "font/woff"},
                                                            {".ttf", "font/ttf"},
                                                            {".txt", "text/plain; charset=utf-8"},
                                                            {".map", "application/json"}};
  const std::string ext = boost::algorithm::to_lower_copy(fs::path(path).extension().string());
  auto it = kTypes.find(ext);
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

bool ReadFile(const fs::path& p, std::string* out) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  *out = s.str();
  return static_cast<bool>(in) || in.eof();
}

// Whether the Accept-Encoding header accepts gzip (not "gzip;q=0").
bool AcceptsGzip(const std::string& header) {
  const std::string h = boost::algorithm::to_lower_copy(header);
  size_t pos = h.find("gzip");
  if (pos == std::string::npos) return false;
  const size_t end = h.find(',', pos);
  const std::string params = h.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
  const size_t q = params.find("q=");
  if (q == std::string::npos) return true;
  const std::string value = params.substr(q + 2);
  return value.find_first_not_of("0. ") != std::string::npos;
}

}  // namespace

engine::Result<std::unique_ptr<ConsoleFiles>> ConsoleFiles::Load(const std::string& dir) {
  using engine::Status;
  std::error_code ec;
  const fs::path root(dir);
  if (!fs::is_regular_file(root / "index.html", ec)) {
    return Status::NotFound("console_not_built", "no index.html in " + dir + " (build the console first)");
  }
  auto files = std::unique_ptr<ConsoleFiles>(new ConsoleFiles());
  uintmax_t total = 0;
  std::map<std::string, std::string> gz;  // "/x.js" -> bytes of x.js.gz
  for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    const std::string rel = fs::relative(it->path(), root, ec).generic_string();
    if (ec || rel.empty() || rel[0] == '.') continue;
    total += it->file_size(ec);
    if (total > kMaxConsoleBytes || files->files_.size() + gz.size() > kMaxConsoleFiles) {
      return Status::InvalidArgument("console_too_large", "the console in " + dir + " is over 64 MiB or 2000 files");
    }
    std::string bytes;
    if (!ReadFile(it->path(), &bytes)) return Status::Unavailable("cannot read " + rel);
    const std::string key = "/" + rel;
    if (key.size() > 3 && key.compare(key.size() - 3, 3, ".gz") == 0) {
      gz[key.substr(0, key.size() - 3)] = std::move(bytes);
      continue;
    }
    File f;
    f.content_type = ContentTypeOf(key);
    f.body = std::move(bytes);
    f.immutable = key.compare(0, 8, "/assets/") == 0;
    files->files_[key] = std::move(f);
  }
  if (ec) return Status::Unavailable("cannot list " + dir + ": " + ec.message());
  for (auto& [key, bytes] : gz) {
    auto it = files->files_.find(key);
    if (it != files->files_.end()) it->second.gzip = std::move(bytes);
  }
  return engine::Result<std::unique_ptr<ConsoleFiles>>(std::move(files));
}

std::optional<HttpResponse> ConsoleFiles::Serve(const HttpRequest& request) const {
  // Only exact names of the manifest: no decoding, no normalisation, so
  // "..", "%2e%2e" or "//" never name anything.
  const std::string key = request.path == "/" ? "/index.html" : request.path;
  auto it = files_.find(key);
  if (it == files_.end()) return std::nullopt;
  const File& f = it->second;
  HttpResponse r;
  r.status = 200;
  r.content_type = f.content_type;
  r.headers["X-Content-Type-Options"] = "nosniff";
  r.headers["Vary"] = "Accept-Encoding";
  r.headers["Cache-Control"] = f.immutable ? "public, max-age=31536000, immutable" : "no-cache";
  if (f.content_type.compare(0, 9, "text/html") == 0) {
    r.headers["Content-Security-Policy"] = kConsoleContentSecurityPolicy;
    r.headers["X-Frame-Options"] = "DENY";
    r.headers["Referrer-Policy"] = "no-referrer";
  }
  if (!f.gzip.empty() && AcceptsGzip(request.Header("Accept-Encoding"))) {
    r.headers["Content-Encoding"] = "gzip";
    r.body = f.gzip;
  } else {
    r.body = f.body;
  }
  return r;
}

}  // namespace credflow::adapters::http
