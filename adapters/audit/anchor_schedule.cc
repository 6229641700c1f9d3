#include "adapters/audit/anchor_schedule.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <vector>

#include "adapters/audit/anchor_file.h"

namespace credflow::adapters::audit {
namespace {

constexpr const char* kPrefix = "credflow-anchor-";
constexpr const char* kSuffix = ".json";

// The time in a file name AnchorFileName made, or nullopt.
std::optional<engine::Timestamp> TimeOfName(const std::string& name) {
  const std::string prefix = kPrefix, suffix = kSuffix;
  // credflow-anchor-20261206T000000Z.json
  if (name.size() != prefix.size() + 16 + suffix.size() || name.compare(0, prefix.size(), prefix) != 0 ||
      name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return std::nullopt;
  }
  const std::string t = name.substr(prefix.size(), 16);
  const std::string iso = t.substr(0, 4) + "-" + t.substr(4, 2) + "-" + t.substr(6, 2) + "T" + t.substr(9, 2) + ":" +
                          t.substr(11, 2) + ":" + t.substr(13, 2) + "Z";
  engine::Timestamp at;
  if (t[8] != 'T' || t[15] != 'Z' || !engine::ParseTimestamp(iso, &at)) return std::nullopt;
  return at;
}

}  // namespace

std::optional<std::chrono::seconds> ParsePeriod(const std::string& text) {
  if (text.empty() || text.size() > 12) return std::nullopt;
  std::string digits = text;
  int64_t unit = 1;
  if (text.back() == 'h' || text.back() == 'm' || text.back() == 's') {
    unit = text.back() == 'h' ? 3600 : text.back() == 'm' ? 60 : 1;
    digits.pop_back();
  }
  if (digits.empty() || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  const int64_t n = std::stoll(digits) * unit;
  if (n < 1) return std::nullopt;
  return std::chrono::seconds(n);
}

std::string AnchorFileName(engine::Timestamp at) {
  std::string t = engine::FormatTimestamp(at);  // 2026-12-06T00:00:00Z
  t.erase(std::remove_if(t.begin(), t.end(), [](char c) { return c == '-' || c == ':'; }), t.end());
  return kPrefix + t + kSuffix;
}

AnchorSchedule::AnchorSchedule(engine::CaseStore* store, std::string store_name, const engine::Clock* clock,
                               std::unique_ptr<crypto::Ed25519Signer> signer, std::string dir,
                               std::chrono::seconds period, std::chrono::seconds poll)
    : store_(store),
      store_name_(std::move(store_name)),
      clock_(clock),
      signer_(std::move(signer)),
      dir_(std::move(dir)),
      period_(period),
      poll_(std::min(poll, period)) {}

AnchorSchedule::~AnchorSchedule() { Stop(); }

void AnchorSchedule::Start() {
  thread_ = std::thread([this] { Run(); });
}

void AnchorSchedule::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::string AnchorSchedule::AnchorIfDue() {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::optional<engine::Timestamp> last;
  for (fs::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
    if (std::optional<engine::Timestamp> at = TimeOfName(it->path().filename().string());
        at && (!last || *at > *last)) {
      last = at;
    }
  }
  if (ec) {
    spdlog::error("anchor: cannot read {}: {}", dir_, ec.message());
    return "";
  }
  const engine::Timestamp now = clock_->Now();
  if (last && now - *last < period_) return "";
  const std::string path = (fs::path(dir_) / AnchorFileName(now)).string();
  std::vector<engine::ChainBreak> broken;
  engine::Result<engine::AnchorStatement> a = WriteAnchor(*store_, store_name_, *clock_, *signer_, path, &broken);
  if (!a.ok()) {
    for (const engine::ChainBreak& b : broken) {
      spdlog::error("anchor: BROKEN case {} at event {} ({}): {}", b.case_id, b.seq, b.event, b.problem);
    }
    spdlog::error("anchor: {}", a.status().ToString());
    return "";
  }
  spdlog::info("anchor: {} case(s), {} event(s) sealed, root {}, in {}", a->cases, a->events, a->root, path);
  return path;
}

void AnchorSchedule::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    lock.unlock();
    AnchorIfDue();
    lock.lock();
    cv_.wait_for(lock, poll_, [this] { return stop_; });
  }
}

}  // namespace credflow::adapters::audit
