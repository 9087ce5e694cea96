// The facts read back from a snapshot are the facts written, and a damaged
// snapshot is refused rather than read as other figures.
#include "core/stats/facts_snapshot.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>

#include "core/files/base64.hpp"

namespace motcua::stats {
namespace {

using calendar::Date;
using std::chrono::days;

const Date kDay = std::chrono::sys_days{std::chrono::year{2026} / 11 / 30};

std::map<std::int64_t, DossierFacts> Read(const std::vector<std::string>& parts,
                                          std::vector<std::string>& codes, Status& status) {
  std::map<std::int64_t, DossierFacts> out;
  status = DecodeFacts(parts, codes, [&](std::int64_t id, const DossierFacts& f) {
    EXPECT_FALSE(out.contains(id)) << id;
    out[id] = f;
  });
  return out;
}

TEST(FactsSnapshotTest, ReadsBackEveryDossierAsWrittenAcrossParts) {
  std::mt19937 random(7);
  FactsTable table;
  std::map<std::int64_t, DossierFacts> expected;
  // Dense ids, a few far apart (kept unpacked) and one whose facts do not
  // pack (a day before 2000): every kind of entry the table holds.
  std::vector<std::int64_t> ids;
  for (std::int64_t id = 1; id <= static_cast<std::int64_t>(kRecordsPerPart) + 2'500; ++id)
    ids.push_back(id);
  ids.push_back(40'000'000'000);
  ids.push_back(40'000'000'007);
  for (std::int64_t id : ids) {
    DossierFacts f;
    f.unit = 1 + random() % 400;
    f.procedure = static_cast<std::int32_t>(random() % 3);
    f.channel = 1 + static_cast<int>(random() % 3);
    f.received = kDay - days(random() % 4000);
    if (random() % 2) f.due = f.received + days(random() % 40);
    if (random() % 3) {
      f.decided = f.received + days(random() % 60);
      f.outcome = static_cast<Outcome>(1 + random() % 3);
      f.accepted = random() % 5 != 0;
      f.working_seconds = f.accepted ? static_cast<std::int64_t>(random() % 2'000'000) : 0;
      f.electronic_result = f.accepted && random() % 2;
    }
    if (random() % 4 == 0) f.returned = f.received + days(random() % 90);
    if (random() % 20 == 0) f.withdrawn = f.received + days(random() % 10);
    if (random() % 3 == 0) {
      f.rated = f.received + days(random() % 100);
      f.satisfied = random() % 2;
    }
    f.online_eligible = random() % 2;
    f.digitised = random() % 2;
    f.synced = random() % 2;
    table.Exchange(id, f);
    expected[id] = f;
  }
  DossierFacts old;
  old.unit = 9;
  old.channel = 2;
  old.received = std::chrono::sys_days{std::chrono::year{1998} / 3 / 2};
  old.decided = old.received + days(3);
  old.outcome = Outcome::kEarly;
  table.Exchange(5, old);
  expected[5] = old;

  const std::vector<std::string> codes = {"1.001234", "2.000101", "1.012345.000.00.00.H12"};
  auto parts = EncodeFacts(table, codes);
  ASSERT_EQ(parts.size(), 1u + 2u);  // the codes, a full part, the rest
  std::vector<std::string> read_codes;
  Status status;
  auto got = Read(parts, read_codes, status);
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(read_codes, codes);
  ASSERT_EQ(got.size(), expected.size());
  EXPECT_TRUE(got == expected);
  // Some 20 bytes a dossier, as the header says (base64 adds a third).
  std::size_t text = 0;
  for (const auto& p : parts) text += p.size();
  EXPECT_LT(text / expected.size(), 34u);
}

// A dossier the national portal acknowledged is still synced after a
// restart from the snapshot; a part written before that flag existed is
// refused (counted from scratch) rather than read as not synced.
TEST(FactsSnapshotTest, KeepsTheSyncedFlagAndRefusesThePartsWrittenWithoutIt) {
  FactsTable table;
  DossierFacts synced;
  synced.unit = 51;
  synced.channel = 2;
  synced.received = kDay;
  synced.digitised = true;
  synced.synced = true;
  DossierFacts not_synced = synced;
  not_synced.synced = false;
  table.Exchange(1, synced);
  table.Exchange(2, not_synced);
  const auto parts = EncodeFacts(table, {"1.001234"});
  ASSERT_EQ(parts.size(), 2u);
  std::vector<std::string> codes;
  Status status;
  auto got = Read(parts, codes, status);
  ASSERT_TRUE(status) << status.error().message;
  ASSERT_EQ(got.size(), 2u);
  EXPECT_TRUE(got[1].synced);
  EXPECT_FALSE(got[2].synced);
  EXPECT_TRUE(got[1] == synced);

  auto bytes = files::DecodeBase64(parts[1]);
  ASSERT_TRUE(bytes);
  ASSERT_EQ(bytes->substr(0, 4), "MSF2");
  std::string older = *bytes;
  older.replace(0, 4, "MSF1");
  codes.clear();
  Read({parts[0], files::EncodeBase64(older)}, codes, status);
  ASSERT_FALSE(status);
  EXPECT_NE(status.error().message.find("not a part of this kind"), std::string::npos)
      << status.error().message;
}

TEST(FactsSnapshotTest, AnEmptyTableIsTheCodesAlone) {
  FactsTable table;
  auto parts = EncodeFacts(table, {});
  ASSERT_EQ(parts.size(), 1u);
  std::vector<std::string> codes = {"stale"};
  Status status;
  EXPECT_TRUE(Read(parts, codes, status).empty());
  EXPECT_TRUE(status);
  EXPECT_TRUE(codes.empty());
}

TEST(FactsSnapshotTest, RefusesDamagedParts) {
  FactsTable table;
  for (std::int64_t id = 1; id <= 50; ++id) {
    DossierFacts f;
    f.unit = id;
    f.channel = 2;
    f.received = kDay;
    f.due = kDay + days(5);
    table.Exchange(id, f);
  }
  const auto good = EncodeFacts(table, {"1.001234"});
  ASSERT_EQ(good.size(), 2u);
  auto refused = [&](std::vector<std::string> parts, std::string_view why) {
    std::vector<std::string> codes;
    Status status;
    Read(parts, codes, status);
    ASSERT_FALSE(status) << why;
    EXPECT_EQ(status.error().code, Code::kInvalidArgument);
    EXPECT_NE(status.error().message.find("statistics snapshot part"), std::string::npos);
  };
  refused({}, "no parts");
  refused({good[0], "not*base64"}, "not base64");
  refused({good[0], good[1].substr(0, good[1].size() - 8)}, "cut short");
  refused({good[1], good[1]}, "facts where the codes belong");
  refused({good[0], good[0]}, "codes where facts belong");
  // A procedure number the codes do not name.
  refused({EncodeFacts(FactsTable(), {})[0], good[1]}, "procedure without a code");
  // A character changed anywhere changes the numbers read: the part is
  // either refused or read as exactly its 50 dossiers, never a crash or a
  // read past its end (ASan runs this too).
  std::vector<std::string> codes;
  Status status;
  for (std::size_t i = 0; i < good[1].size(); ++i) {
    auto damaged = good;
    damaged[1][i] = damaged[1][i] == 'A' ? 'B' : 'A';
    std::size_t n = 0;
    status = DecodeFacts(damaged, codes, [&](std::int64_t, const DossierFacts&) { ++n; });
    if (status) {
      EXPECT_EQ(n, 50u) << i;
    }
  }
}

}  // namespace
}  // namespace motcua::stats
