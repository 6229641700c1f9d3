// ApiServerTest: the in-process HTTP API over a scratch SQLite store, the
// shipped workflows and rules and a manual clock (2025-03-03), as the HTTP
// integration tests use it; and the food-business-permit filing they send.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "adapters/http/api.h"
#include "adapters/http/server.h"
#include "adapters/store/soci_case_store.h"
#include "engine/case_service.h"
#include "engine/clock.h"
#include "engine/user.h"
#include "tests/support/http_client.h"
#include "tests/support/shipped_rules.h"
#include "tests/support/status_matchers.h"
#include "tests/support/test_databases.h"
#include "workflows/registry.h"

namespace credflow::testing {

// The letter of a food-business-permit commitment, signed 2025-03-03.
inline engine::Json FoodLetter() {
  return {{"applicant_name", "苏州禾丰餐饮管理有限公司"},
          {"legal_representative", "周建华"},
          {"premises_address", "苏州市姑苏区人民路1288号"},
          {"business_items", {"prepackaged_food_sales"}},
          {"signed_on", "2025-03-03"}};
}

// The body of POST /v1/commitments filing that letter for `subject`.
inline engine::Json FoodFiling(const std::string& subject) {
  return {{"subject", {{"code", subject}, {"name", "苏州禾丰餐饮管理有限公司"}}},
          {"type", "food_business_permit"},
          {"form", FoodLetter()}};
}

class ApiServerTest : public ::testing::Test {
 protected:
  // The store and the service; a derived SetUp adds users and starts the
  // server (return when HasFatalFailure()).
  void SetUp() override {
    clock_.SetDate(*policies::Date::Parse("2025-03-03"));
    auto opened = adapters::SociCaseStore::Open(db_.url());
    ASSERT_OK(opened);
    store_ = std::move(*opened);
    workflows::RegisterAll(registry_);
    AddWorkflows(registry_);
    service_ = std::make_unique<engine::CaseService>(store_.get(), &registry_, ShippedRules().book(), &clock_);
  }

  void TearDown() override {
    client_.reset();
    if (server_) server_->Stop(5);
  }

  // Test-only workflows beside the shipped ones.
  virtual void AddWorkflows(engine::WorkflowRegistry&) {}

  void AddUser(const std::string& name, engine::Role role, const std::string& dept, const std::string& token) {
    engine::User u{name, role, dept, engine::TokenHash(token), false, clock_.Now(), ""};
    ASSERT_OK(store_->PutUser(u));
  }

  // The API and a server on a free port of 127.0.0.1, and a client of it.
  void StartServer(const adapters::http::ApiOptions& api_options, adapters::http::ServerOptions options) {
    api_ = std::make_unique<adapters::http::Api>(service_.get(), api_options);
    options.host = "127.0.0.1";
    options.port = 0;
    server_ = std::make_unique<adapters::http::HttpServer>(api_.get(), options);
    ASSERT_TRUE(server_->Start().ok());
    client_ = std::make_unique<HttpClient>("127.0.0.1", server_->port());
  }

  ScratchSqliteFile db_;
  engine::ManualClock clock_;
  std::unique_ptr<adapters::SociCaseStore> store_;
  engine::WorkflowRegistry registry_;
  std::unique_ptr<engine::CaseService> service_;
  std::unique_ptr<adapters::http::Api> api_;
  std::unique_ptr<adapters::http::HttpServer> server_;
  std::unique_ptr<HttpClient> client_;
};

}  // namespace credflow::testing
