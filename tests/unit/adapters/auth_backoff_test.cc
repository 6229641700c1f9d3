// The failed-authentication back-off on its own, on a manual steady clock:
// the count within the window, the doubling back-off and its cap, addresses
// counted apart (IPv6 by /64), the bounded table, and forgetting.
#include "adapters/http/auth_backoff.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace credflow::adapters::http {
namespace {

using std::chrono::seconds;

class AuthBackoffTest : public ::testing::Test {
 protected:
  AuthBackoff Make(AuthBackoffOptions options = {}) {
    return AuthBackoff(options, [this] { return now_; });
  }
  // Fails `n` times from `address`; the back-off the last failure started.
  static seconds FailTimes(AuthBackoff& b, const std::string& address, int n) {
    seconds last{0};
    for (int i = 0; i < n; ++i) last = b.Fail(address);
    return last;
  }

  std::chrono::steady_clock::time_point now_{};
};

TEST_F(AuthBackoffTest, KeysAreIpv4AddressesAndIpv6Slash64s) {
  EXPECT_EQ(AuthBackoff::KeyOf("127.0.0.2"), "127.0.0.2");
  EXPECT_EQ(AuthBackoff::KeyOf("::ffff:10.1.2.3"), "10.1.2.3");
  EXPECT_EQ(AuthBackoff::KeyOf("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), "2001:db8:1:2::/64");
  EXPECT_EQ(AuthBackoff::KeyOf("2001:db8:1:2::1"), AuthBackoff::KeyOf("2001:db8:1:2:ffff::9"));
  EXPECT_NE(AuthBackoff::KeyOf("2001:db8:1:2::1"), AuthBackoff::KeyOf("2001:db8:1:3::1"));
  EXPECT_EQ(AuthBackoff::KeyOf("?"), "?");
}

// Ten failures within the window start a 30 s back-off; nine do not.
TEST_F(AuthBackoffTest, TheLimitWithinTheWindowStartsABackoff) {
  AuthBackoff b = Make();
  EXPECT_EQ(FailTimes(b, "10.0.0.1", 9), seconds(0));
  EXPECT_EQ(b.RetryAfter("10.0.0.1"), seconds(0));
  EXPECT_EQ(b.Fail("10.0.0.1"), seconds(30));
  EXPECT_EQ(b.RetryAfter("10.0.0.1"), seconds(30));
  now_ += std::chrono::milliseconds(10500);
  EXPECT_EQ(b.RetryAfter("10.0.0.1"), seconds(20));  // 19.5 s left, rounded up
  now_ += seconds(20);
  EXPECT_EQ(b.RetryAfter("10.0.0.1"), seconds(0));
}

// Failures further apart than the window never add up to the limit.
TEST_F(AuthBackoffTest, FailuresSpreadOverWindowsDoNotAddUp) {
  AuthBackoff b = Make();
  for (int i = 0; i < 30; ++i) {
    EXPECT_EQ(b.Fail("10.0.0.1"), seconds(0)) << i;
    now_ += seconds(7);  // 9 failures per 63 s
  }
  EXPECT_EQ(b.RetryAfter("10.0.0.1"), seconds(0));
}

// Each further back-off doubles, up to the cap.
TEST_F(AuthBackoffTest, BackoffsDoubleUpToTheCap) {
  AuthBackoffOptions options;
  options.max_backoff = seconds(200);
  AuthBackoff b = Make(options);
  for (const int expected : {30, 60, 120, 200, 200}) {
    EXPECT_EQ(FailTimes(b, "10.0.0.1", 10), seconds(expected));
    now_ += seconds(expected);
    EXPECT_EQ(b.RetryAfter("10.0.0.1"), seconds(0));
  }
}

// A quiet address is forgotten: its next back-off is the first one again.
TEST_F(AuthBackoffTest, AQuietAddressStartsAfresh) {
  AuthBackoff b = Make();
  EXPECT_EQ(FailTimes(b, "10.0.0.1", 10), seconds(30));
  now_ += seconds(30 + 900);
  EXPECT_EQ(FailTimes(b, "10.0.0.1", 10), seconds(30));
}

// One address's failures back off that address (its /64 for IPv6) alone.
TEST_F(AuthBackoffTest, AddressesAreCountedApart) {
  AuthBackoff b = Make();
  EXPECT_EQ(FailTimes(b, "10.0.0.1", 10), seconds(30));
  EXPECT_EQ(b.RetryAfter("10.0.0.2"), seconds(0));
  EXPECT_EQ(FailTimes(b, "10.0.0.2", 9), seconds(0));
  EXPECT_EQ(FailTimes(b, "2001:db8::1", 5), seconds(0));
  EXPECT_EQ(FailTimes(b, "2001:db8::2", 5), seconds(30));  // the same /64
  EXPECT_EQ(b.RetryAfter("2001:db8::99"), seconds(30));
  EXPECT_EQ(b.RetryAfter("2001:db8:0:1::1"), seconds(0));
}

// The table stays within its bound, forgetting the least recently failing
// address first.
TEST_F(AuthBackoffTest, TheTableIsBounded) {
  AuthBackoffOptions options;
  options.max_addresses = 3;
  AuthBackoff b = Make(options);
  EXPECT_EQ(FailTimes(b, "10.0.0.1", 10), seconds(30));
  for (int i = 2; i <= 100; ++i) b.Fail("10.0.0." + std::to_string(i));
  EXPECT_EQ(b.size(), 3u);
  EXPECT_EQ(b.RetryAfter("10.0.0.1"), seconds(0));  // forgotten first
}

// A limit of 0 turns the back-off off.
TEST_F(AuthBackoffTest, ALimitOfZeroNeverBacksOff) {
  AuthBackoffOptions options;
  options.failure_limit = 0;
  AuthBackoff b = Make(options);
  EXPECT_EQ(FailTimes(b, "10.0.0.1", 1000), seconds(0));
  EXPECT_EQ(b.RetryAfter("10.0.0.1"), seconds(0));
  EXPECT_EQ(b.size(), 0u);
}

}  // namespace
}  // namespace credflow::adapters::http
