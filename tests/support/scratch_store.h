// ScratchStore: a fresh store of a named kind for a test: "memory" (the
// in-memory fake), "sqlite" (a scratch file) or "postgresql" (a scratch
// database on the fixture server). The suites that run once per store use it.
#pragma once

#include <memory>
#include <string>

#include "adapters/store/soci_case_store.h"
#include "engine/case_store.h"
#include "tests/support/test_databases.h"

namespace credflow::testing {

class ScratchStore {
 public:
  // Opens a fresh store of `kind`; records a fatal test failure when it cannot.
  void Open(const std::string& kind);
  void Close();

  engine::CaseStore* store() { return store_.get(); }
  // The SQL store, or nullptr for "memory".
  adapters::SociCaseStore* soci() { return soci_; }
  const std::string& url() const { return url_; }

 private:
  std::unique_ptr<ScratchSqliteFile> sqlite_;
  std::unique_ptr<ScratchPgDatabase> pg_;
  std::unique_ptr<engine::CaseStore> store_;
  adapters::SociCaseStore* soci_ = nullptr;
  std::string url_;
};

}  // namespace credflow::testing
