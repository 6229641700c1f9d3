// EXPECT_OK / ASSERT_OK: a Status or Result is OK, or the test reports its
// Status (category, reason code and message), as LevelDB's ASSERT_LEVELDB_OK.
#pragma once

#include <gtest/gtest.h>

#include "engine/status.h"

namespace credflow::testing {

inline const engine::Status& StatusOf(const engine::Status& s) { return s; }
// A Result, or anything else with ok() and status() (a scratch database).
template <typename T>
auto StatusOf(const T& r) -> decltype(r.ok(), r.status()) {
  static const engine::Status kOk;
  return r.ok() ? kOk : r.status();
}

}  // namespace credflow::testing

#define EXPECT_OK(expr)                                                                 \
  do {                                                                                  \
    const auto& _result = (expr);                                                       \
    const ::credflow::engine::Status& _status = ::credflow::testing::StatusOf(_result); \
    EXPECT_TRUE(_status.ok()) << #expr << ": " << _status.ToString();                   \
  } while (0)

#define ASSERT_OK(expr)                                                                 \
  do {                                                                                  \
    const auto& _result = (expr);                                                       \
    const ::credflow::engine::Status& _status = ::credflow::testing::StatusOf(_result); \
    ASSERT_TRUE(_status.ok()) << #expr << ": " << _status.ToString();                   \
  } while (0)
