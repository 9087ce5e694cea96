#include "core/events/chain.hpp"

#include <gtest/gtest.h>

#include <deque>

namespace motcua::events {
namespace {

// A log of `n` well-formed events; the strings live in the deque so the
// StoredFields views stay valid.
struct Log {
  std::deque<std::string> storage;
  std::vector<StoredFields> fields;
  std::vector<std::string> hashes;
};

Log MakeLog(int n) {
  Log log;
  std::string prev(kGenesisHash);
  for (int i = 1; i <= n; ++i) {
    StoredFields f;
    f.seq = i;
    f.prev_hash = log.storage.emplace_back(prev);
    f.aggregate_type = "dossier";
    f.aggregate_id = 100 + i % 3;
    f.occurred_at = "2026-01-05T01:00:00.000000Z";
    f.action = "step";
    f.payload = log.storage.emplace_back("{\"i\":" + std::to_string(i) + "}");
    log.fields.push_back(f);
    prev = HashEvent(f);
    log.hashes.push_back(prev);
  }
  return log;
}

std::optional<ChainBreak> Walk(const Log& log, ChainVerifier& v) {
  for (std::size_t i = 0; i < log.fields.size(); ++i) {
    if (auto b = v.Next(log.fields[i], log.hashes[i])) return b;
  }
  return std::nullopt;
}

TEST(ChainVerifierTest, AcceptsAnIntactLog) {
  Log log = MakeLog(5);
  ChainVerifier v;
  EXPECT_FALSE(Walk(log, v));
  EXPECT_EQ(v.count(), 5);
  EXPECT_EQ(v.last_seq(), 5);
  EXPECT_EQ(v.last_hash(), log.hashes.back());
}

TEST(ChainVerifierTest, AnEmptyLogEndsAtGenesis) {
  ChainVerifier v;
  EXPECT_EQ(v.count(), 0);
  EXPECT_EQ(v.last_hash(), kGenesisHash);
}

TEST(ChainVerifierTest, EditedContentsAreAHashMismatch) {
  Log log = MakeLog(5);
  log.fields[2].payload = "{\"i\":99}";
  ChainVerifier v;
  auto b = Walk(log, v);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->kind, ChainBreak::Kind::kHashMismatch);
  EXPECT_EQ(b->Message(), "event 3 is broken: its hash does not match its contents");
  EXPECT_EQ(v.count(), 2);
}

TEST(ChainVerifierTest, ARehashedEditBreaksTheNextLink) {
  Log log = MakeLog(5);
  log.fields[2].payload = "{\"i\":99}";
  log.hashes[2] = HashEvent(log.fields[2]);
  ChainVerifier v;
  auto b = Walk(log, v);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->Message(), "event 4 does not link to event 3");
}

TEST(ChainVerifierTest, AMissingEventIsAGap) {
  Log log = MakeLog(6);
  log.fields.erase(log.fields.begin() + 2, log.fields.begin() + 4);
  log.hashes.erase(log.hashes.begin() + 2, log.hashes.begin() + 4);
  ChainVerifier v;
  auto b = Walk(log, v);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->Message(), "events missing between 2 and 5");
}

TEST(ChainVerifierTest, TheFirstEventMustStartTheLog) {
  Log log = MakeLog(3);
  ChainVerifier gap;
  EXPECT_EQ(gap.Next(log.fields[1], log.hashes[1])->Message(), "events missing before event 2");

  std::string wrong = "f" + std::string(kGenesisHash.substr(1));
  log.fields[0].prev_hash = wrong;
  log.hashes[0] = HashEvent(log.fields[0]);
  ChainVerifier link;
  EXPECT_EQ(link.Next(log.fields[0], log.hashes[0])->Message(),
            "event 1 does not link to the start of the log");
}

TEST(ChainVerifierTest, StaysAtTheFirstBreak) {
  Log log = MakeLog(4);
  log.fields[1].action = "tampered";
  log.fields[3].action = "tampered";
  ChainVerifier v;
  auto b = Walk(log, v);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->seq, 2);
  EXPECT_EQ(v.Next(log.fields[3], log.hashes[3])->seq, 2);
}

TEST(ChainVerifierTest, AnUnreadableRowIsBrokenUnlessAGapComesFirst) {
  Log log = MakeLog(3);
  ChainVerifier v;
  ASSERT_FALSE(v.Next(log.fields[0], log.hashes[0]));
  EXPECT_EQ(v.NextUnreadable(2)->Message(),
            "event 2 is broken: its hash does not match its contents");
  ChainVerifier gap;
  ASSERT_FALSE(gap.Next(log.fields[0], log.hashes[0]));
  EXPECT_EQ(gap.NextUnreadable(3)->Message(), "events missing between 1 and 3");
}

}  // namespace
}  // namespace motcua::events
