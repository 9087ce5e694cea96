#include "core/dossier/lookup_secret.hpp"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <random>
#include <set>

namespace motcua::dossier {
namespace {

// A deterministic stand-in for the CSPRNG, so the statistics below are
// reproducible.
RandomBytes Seeded(std::uint32_t seed) {
  auto engine = std::make_shared<std::mt19937>(seed);
  return [engine](std::span<std::uint8_t> out) -> Status {
    for (auto& b : out) b = static_cast<std::uint8_t>((*engine)() & 0xFF);
    return {};
  };
}

TEST(LookupSecretTest, AlphabetHasNoLookAlikes) {
  EXPECT_EQ(kLookupAlphabet.size(), 31u);
  for (char c : std::string_view("0O1IL")) {
    EXPECT_EQ(kLookupAlphabet.find(c), std::string_view::npos) << c;
  }
  std::set<char> distinct(kLookupAlphabet.begin(), kLookupAlphabet.end());
  EXPECT_EQ(distinct.size(), kLookupAlphabet.size());
}

TEST(LookupSecretTest, GeneratesEightCharactersOfTheAlphabet) {
  RandomBytes random = Seeded(1);
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    auto s = GenerateLookupSecret(random);
    ASSERT_TRUE(s);
    ASSERT_EQ(s->size(), kLookupSecretLength);
    for (char c : *s) ASSERT_NE(kLookupAlphabet.find(c), std::string_view::npos) << *s;
    seen.insert(*s);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(LookupSecretTest, EveryCharacterIsEquallyLikely) {
  RandomBytes random = Seeded(2);
  std::map<char, int> counts;
  constexpr int kSecrets = 31'000;
  for (int i = 0; i < kSecrets; ++i) {
    auto secret = GenerateLookupSecret(random);
    ASSERT_TRUE(secret);
    for (char c : *secret) ++counts[c];
  }
  ASSERT_EQ(counts.size(), kLookupAlphabet.size());
  // Chi-squared with 30 degrees of freedom: 59.7 is its 0.999 quantile. A
  // plain `byte % 31` would favour the first eight characters by 1/32 and
  // land far above it at this sample size (about 8,000 per character).
  const double expected = kSecrets * 8.0 / 31.0;
  double chi2 = 0;
  for (const auto& [c, n] : counts) chi2 += (n - expected) * (n - expected) / expected;
  EXPECT_LT(chi2, 59.7);
}

TEST(LookupSecretTest, DiscardsBytesThatWouldBiasTheDraw) {
  // 248..255 would map onto the first eight characters a second time.
  int calls = 0;
  RandomBytes random = [&](std::span<std::uint8_t> out) -> Status {
    for (std::size_t i = 0; i < out.size(); ++i) {
      out[i] = calls == 0 ? static_cast<std::uint8_t>(248 + i % 8) : static_cast<std::uint8_t>(i);
    }
    ++calls;
    return {};
  };
  auto s = GenerateLookupSecret(random);
  ASSERT_TRUE(s);
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(*s, "23456789");
}

TEST(LookupSecretTest, PassesTheGeneratorsErrorOn) {
  RandomBytes broken = [](std::span<std::uint8_t>) -> Status {
    return Fail(Code::kUnavailable, "no entropy");
  };
  auto s = GenerateLookupSecret(broken);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, Code::kUnavailable);
}

TEST(LookupSecretTest, NormalizesWhatACitizenTypes) {
  EXPECT_EQ(NormalizeLookupSecret("abcd-2345"), "ABCD2345");
  EXPECT_EQ(NormalizeLookupSecret(" ABCD 2345 "), "ABCD2345");
  EXPECT_EQ(NormalizeLookupSecret("ABCD234"), std::nullopt);
  EXPECT_EQ(NormalizeLookupSecret("ABCD23456"), std::nullopt);
  EXPECT_EQ(NormalizeLookupSecret("ABCD2340"), std::nullopt);  // 0 is not in the alphabet
  EXPECT_EQ(NormalizeLookupSecret("ABCDIL23"), std::nullopt);
}

TEST(LookupSecretTest, MatchesOnlyTheRightSecretForTheRightDossier) {
  const std::string number = "000.00.21.H12-250314-0007";
  const std::string stored = HashLookupSecret(number, "K7MX9PQ2");
  EXPECT_EQ(stored.size(), 64u);
  EXPECT_TRUE(LookupSecretMatches(number, "K7MX9PQ2", stored));
  EXPECT_TRUE(LookupSecretMatches(number, "k7mx-9pq2", stored));
  EXPECT_FALSE(LookupSecretMatches(number, "K7MX9PQ3", stored));
  EXPECT_FALSE(LookupSecretMatches("000.00.21.H12-250314-0008", "K7MX9PQ2", stored));
  EXPECT_FALSE(LookupSecretMatches(number, "", stored));
  EXPECT_FALSE(LookupSecretMatches(number, "K7MX9PQ2", stored.substr(1)));
  // The same secret on another dossier hashes differently.
  EXPECT_NE(HashLookupSecret("000.00.21.H12-250314-0008", "K7MX9PQ2"), stored);
}

}  // namespace
}  // namespace motcua::dossier
