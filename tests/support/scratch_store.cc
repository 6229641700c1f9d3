#include "tests/support/scratch_store.h"

#include <gtest/gtest.h>

#include "tests/support/in_memory_case_store.h"
#include "tests/support/status_matchers.h"

namespace credflow::testing {

void ScratchStore::Open(const std::string& kind) {
  if (kind == "memory") {
    store_ = std::make_unique<InMemoryCaseStore>();
    return;
  }
  if (kind == "sqlite") {
    sqlite_ = std::make_unique<ScratchSqliteFile>();
    url_ = sqlite_->url();
  } else {
    pg_ = std::make_unique<ScratchPgDatabase>();
    ASSERT_TRUE(pg_->ok()) << pg_->status().ToString();
    url_ = pg_->url();
  }
  auto opened = adapters::SociCaseStore::Open(url_);
  ASSERT_OK(opened);
  soci_ = opened.value().get();
  store_ = std::move(opened).value();
}

void ScratchStore::Close() {
  store_.reset();
  soci_ = nullptr;
  sqlite_.reset();
  pg_.reset();
}

}  // namespace credflow::testing
