#include "services/accounts/rate_limiter.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace motcua::accounts {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

const TimePoint kT0 = TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 1 / 5));

TEST(SlidingWindowLimiter, RefusesAfterMaxAttemptsUntilTheOldestLeavesTheWindow) {
  SlidingWindowLimiter limiter({3, minutes(15), 100});
  EXPECT_FALSE(limiter.TryAcquire("k", kT0));
  EXPECT_FALSE(limiter.TryAcquire("k", kT0 + minutes(1)));
  EXPECT_FALSE(limiter.TryAcquire("k", kT0 + minutes(2)));
  auto wait = limiter.TryAcquire("k", kT0 + minutes(3));
  ASSERT_TRUE(wait);
  EXPECT_EQ(*wait, minutes(12));
  // Refused attempts are not recorded: the wait does not grow.
  EXPECT_EQ(limiter.TryAcquire("k", kT0 + minutes(10)), minutes(5));
  EXPECT_FALSE(limiter.TryAcquire("k", kT0 + minutes(15)));
  EXPECT_FALSE(limiter.TryAcquire("other", kT0 + minutes(3)));
}

TEST(SlidingWindowLimiter, ReleaseGivesAnAttemptBack) {
  SlidingWindowLimiter limiter({2, minutes(15), 100});
  EXPECT_FALSE(limiter.TryAcquire("k", kT0));
  EXPECT_FALSE(limiter.TryAcquire("k", kT0 + seconds(1)));
  limiter.Release("k", kT0 + seconds(1));
  EXPECT_FALSE(limiter.TryAcquire("k", kT0 + seconds(2)));
  EXPECT_TRUE(limiter.TryAcquire("k", kT0 + seconds(3)));
}

TEST(SlidingWindowLimiter, MemoryStaysBoundedUnderAFloodOfKeys) {
  SlidingWindowLimiter limiter({5, minutes(15), 1000});
  for (int i = 0; i < 100'000; ++i) {
    (void)limiter.TryAcquire("ip-" + std::to_string(i), kT0);
  }
  EXPECT_EQ(limiter.key_count(), 1000u);
}

TEST(SlidingWindowLimiter, ConcurrentAttemptsNeverExceedTheLimit) {
  SlidingWindowLimiter limiter({5, minutes(15), 100});
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        if (!limiter.TryAcquire("k", kT0)) ++allowed;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(allowed.load(), 5);
}

TEST(LoginThrottle, PerIpLimitCatchesPasswordSpraying) {
  LoginThrottle throttle({{5, minutes(15), 100}, {30, minutes(15), 100}});
  for (int i = 0; i < 30; ++i) {
    EXPECT_FALSE(throttle.TryAcquire("user" + std::to_string(i), "203.0.113.7", kT0)) << i;
  }
  EXPECT_TRUE(throttle.TryAcquire("user999", "203.0.113.7", kT0));
  EXPECT_FALSE(throttle.TryAcquire("user999", "203.0.113.8", kT0));
}

TEST(LoginThrottle, SuccessClearsThePairButNotTheAddress) {
  LoginThrottle throttle({{5, minutes(15), 100}, {6, minutes(15), 100}});
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(throttle.TryAcquire("an", "198.51.100.1", kT0));
  EXPECT_FALSE(throttle.TryAcquire("an", "198.51.100.1", kT0 + seconds(1)));
  throttle.Succeeded("an", "198.51.100.1", kT0 + seconds(1));
  // The pair starts afresh; the address keeps its 4 failures (limit 6).
  EXPECT_FALSE(throttle.TryAcquire("an", "198.51.100.1", kT0 + seconds(2)));
  EXPECT_FALSE(throttle.TryAcquire("an", "198.51.100.1", kT0 + seconds(2)));
  EXPECT_TRUE(throttle.TryAcquire("an", "198.51.100.1", kT0 + seconds(2)));
}

TEST(LoginThrottle, Ipv6AddressesOfOneSlash64ShareACounter) {
  EXPECT_EQ(LoginThrottle::IpKey("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
  EXPECT_EQ(LoginThrottle::IpKey("2001:db8:1:2:bbbb:cccc:dddd:eeee"), "2001:db8:1:2::/64");
  EXPECT_EQ(LoginThrottle::IpKey("203.0.113.7"), "203.0.113.7");
  EXPECT_EQ(LoginThrottle::IpKey("::ffff:203.0.113.7"), "::ffff:203.0.113.7");
}

}  // namespace
}  // namespace motcua::accounts
