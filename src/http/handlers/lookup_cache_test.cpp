#include "http/handlers/lookup_cache.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/dossier/lookup_secret.hpp"

namespace motcua::http {
namespace {

using std::chrono::microseconds;

constexpr std::string_view kSecret = "ABCD2345";
const TimePoint kT0 =
    TimePoint(std::chrono::sys_days(std::chrono::year(2027) / 3 / 10)) + std::chrono::hours(2);

std::string Number(std::size_t i) { return "000.00.01.H12-270310-" + std::to_string(i); }

// What the lookup route stores after reading the dossier.
LookupCache::Entry AnswerOf(const std::string& number, TimePoint at) {
  return {dossier::HashLookupSecret(number, kSecret), "{\"number\":\"" + number + "\"}", at};
}

void Store(LookupCache& cache, const std::string& number, TimePoint at) {
  cache.Put(number, cache.Epoch(number), AnswerOf(number, at));
}

TEST(LookupCacheTest, ServesTheStoredAnswerOnlyForTheDossiersSecret) {
  LookupCache cache;
  const std::string n = Number(1);
  EXPECT_EQ(cache.Find(n, kSecret, kT0), std::nullopt);
  Store(cache, n, kT0);
  EXPECT_EQ(cache.Find(n, kSecret, kT0 + std::chrono::seconds(1)), AnswerOf(n, kT0).body);
  // Typed in lower case with a hyphen, it is the same secret.
  EXPECT_EQ(cache.Find(n, "abcd-2345", kT0), AnswerOf(n, kT0).body);
  EXPECT_EQ(cache.Find(n, "ABCD2346", kT0), std::nullopt);
  // A wrong guess does not drop the answer for the one who holds the receipt.
  EXPECT_EQ(cache.Find(n, kSecret, kT0), AnswerOf(n, kT0).body);
  EXPECT_EQ(cache.Find(Number(2), kSecret, kT0), std::nullopt);
}

TEST(LookupCacheTest, AnAnswerExpiresAfterItsTimeToLive) {
  LookupCache cache;
  const std::string n = Number(1);
  Store(cache, n, kT0);
  EXPECT_TRUE(cache.Find(n, kSecret, kT0 + LookupCache::kTtl - microseconds(1)));
  EXPECT_EQ(cache.Find(n, kSecret, kT0 + LookupCache::kTtl), std::nullopt);
  // Gone for good: the database is read again, even with the clock back.
  EXPECT_EQ(cache.Find(n, kSecret, kT0), std::nullopt);
}

TEST(LookupCacheTest, AClockThatWentBackMissesTheAnswer) {
  LookupCache cache;
  const std::string n = Number(1);
  Store(cache, n, kT0);
  EXPECT_EQ(cache.Find(n, kSecret, kT0 - microseconds(1)), std::nullopt);
}

TEST(LookupCacheTest, AChangeToTheDossierDropsItsAnswer) {
  LookupCache cache;
  const std::string changed = Number(1), other = Number(2);
  Store(cache, changed, kT0);
  Store(cache, other, kT0);
  cache.Invalidate(changed);
  EXPECT_EQ(cache.Find(changed, kSecret, kT0), std::nullopt);
  EXPECT_TRUE(cache.Find(other, kSecret, kT0));
  // The next lookup after the change stores its fresh answer.
  Store(cache, changed, kT0);
  EXPECT_TRUE(cache.Find(changed, kSecret, kT0));
}

TEST(LookupCacheTest, AnAnswerReadBeforeAChangeIsNotStored) {
  LookupCache cache;
  const std::string n = Number(1);
  const std::uint64_t epoch = cache.Epoch(n);  // the lookup starts reading the database
  cache.Invalidate(n);                         // the dossier changes meanwhile
  cache.Put(n, epoch, AnswerOf(n, kT0));       // the lookup's answer predates the change
  EXPECT_EQ(cache.Find(n, kSecret, kT0), std::nullopt);
}

TEST(LookupCacheTest, HoldsAtMostItsBoundOfAnswers) {
  constexpr std::size_t kBound = LookupCache::kShards * LookupCache::kPerShard;
  LookupCache cache;
  constexpr std::size_t kStored = 2 * kBound;
  for (std::size_t i = 0; i < kStored; ++i) Store(cache, Number(i), kT0);
  std::size_t served = 0;
  for (std::size_t i = 0; i < kStored; ++i) served += cache.Find(Number(i), kSecret, kT0) ? 1 : 0;
  EXPECT_LE(served, kBound);
  // A full shard drops another entry to take the new one: the last answer
  // stored is always served, and the cache does not shrink to nothing.
  EXPECT_TRUE(cache.Find(Number(kStored - 1), kSecret, kT0));
  EXPECT_GT(served, kBound / 2);
}

}  // namespace
}  // namespace motcua::http
