// Rows for tests that drive a store directly (no workflow): a case row with
// every column set, and timestamps from text.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "engine/case.h"
#include "engine/clock.h"

namespace credflow::testing {

inline engine::Timestamp At(const std::string& text) {
  engine::Timestamp t{};
  EXPECT_TRUE(engine::ParseTimestamp(text, &t)) << text;
  return t;
}

// A commitment case at version 1, state Filed, opened 2025-03-03.
inline engine::Case MakeStoreCase(const std::string& id) {
  engine::Case c;
  c.id = id;
  c.workflow = "commitment";
  c.subject = "91110000MA00000001";
  c.state = "Filed";
  c.outcome = "pending";
  c.version = 1;
  c.policy = {"commitment", "2024.1", std::string(64, 'a')};
  c.history_head = std::string(64, '0');
  c.created_at = At("2025-03-03T00:00:00Z");
  c.updated_at = c.created_at;
  return c;
}

}  // namespace credflow::testing
