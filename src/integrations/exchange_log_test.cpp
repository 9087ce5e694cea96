// The exchange log: what an auditor checks with the key's public half. An
// intact log verifies; an edited, removed or re-chained entry is named; a
// key file others can read is refused.
#include "integrations/exchange_log.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "storage/testing.hpp"

namespace motcua::integrations {
namespace {

namespace fs = std::filesystem;
using storage::testing::Engine;

const TimePoint kT0 = TimePoint(std::chrono::seconds(1'796'000'000));

class ExchangeLogTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    auto opened =
        store_.Open("exchanges", storage::StoreOptions{.synchronous_full = false}, GetParam());
    ASSERT_TRUE(opened) << opened.error().message;
    key_path_ = store_.dir() / "keys" / "exchange-log.pem";
    auto key = ExchangeKey::LoadOrCreate(key_path_);
    ASSERT_TRUE(key) << key.error().message;
    key_.emplace(std::move(*key));
  }

  void Append(int n) {
    Status s = store_->WriteSync([&](storage::Tx& tx) -> Status {
      for (int i = 0; i < n; ++i)
        MOTCUA_TRY(AppendExchange(
            tx, *key_,
            ExchangeEntry{kT0 + std::chrono::seconds(i), i % 2 ? "in" : "out", "dvcqg",
                          "DongBoHoSoMC", "dvcqg:dossier_sync:" + std::to_string(i), i, 42,
                          R"({"MaHoSo":"000.00.21.H12-261207-0001","ChuHoSo":"Nguyễn Văn A"})", 200,
                          R"({"error_code":"0","message":"Thành công"})", "delivered", 1500}));
      return {};
    });
    ASSERT_TRUE(s) << s.error().message;
  }

  ExchangeVerifyReport Verify(const ExchangeKey& key) {
    auto report = VerifyExchangeLog(*store_, key, /*batch=*/3);
    EXPECT_TRUE(report) << report.error().message;
    return report ? *report : ExchangeVerifyReport{};
  }

  void Exec(const std::string& sql) {
    Status s = store_->WriteSync([&](storage::Tx& tx) -> Status {
      MOTCUA_TRY(tx.Exec(sql));
      return {};
    });
    ASSERT_TRUE(s) << s.error().message;
  }

  storage::testing::TempStore store_;
  fs::path key_path_;
  std::optional<ExchangeKey> key_;
};

TEST_P(ExchangeLogTest, AnIntactLogVerifiesWithThePublicHalfAndKeepsNoBody) {
  Append(8);
  auto public_only = ExchangeKey::PublicOf(key_path_);
  ASSERT_TRUE(public_only) << public_only.error().message;
  EXPECT_FALSE(public_only->can_sign());
  EXPECT_EQ(public_only->id(), key_->id());
  const auto report = Verify(*public_only);
  EXPECT_FALSE(report.broken) << report.broken->reason;
  EXPECT_EQ(report.entries, 8);
  EXPECT_EQ(report.last_seq, 8);
  // The applicant's name went out in the body; the log keeps its hash only.
  Status s = store_->Read([&](storage::Tx& tx) -> Status {
    auto rows = MOTCUA_TRY(tx.Query(
        "SELECT COUNT(*) FROM exchange_log WHERE request_sha256 LIKE '%Nguy%' OR response LIKE "
        "'%Nguy%'"));
    EXPECT_EQ(rows.at(0).Int(0), 0);
    return {};
  });
  ASSERT_TRUE(s);
  // The key file is the server's alone.
  EXPECT_EQ(fs::status(key_path_).permissions() & (fs::perms::group_all | fs::perms::others_all),
            fs::perms::none);
}

TEST_P(ExchangeLogTest, AnEditedRemovedOrReChainedEntryIsNamed) {
  Append(6);
  Exec("UPDATE exchange_log SET status = 500 WHERE seq = 4");
  auto report = Verify(*key_);
  ASSERT_TRUE(report.broken);
  EXPECT_EQ(report.broken->seq, 4);
  EXPECT_EQ(report.entries, 3);
  Exec("UPDATE exchange_log SET status = 200 WHERE seq = 4");
  EXPECT_FALSE(Verify(*key_).broken);

  Exec("DELETE FROM exchange_log WHERE seq = 2");
  report = Verify(*key_);
  ASSERT_TRUE(report.broken);
  EXPECT_EQ(report.broken->seq, 3);
  EXPECT_NE(report.broken->reason.find("entry 2 is missing"), std::string::npos)
      << report.broken->reason;
}

TEST_P(ExchangeLogTest, AnotherKeyCannotVouchForTheLog) {
  Append(2);
  // A forger with a key of their own rewrites the chain: every signature is
  // theirs, and the province's public key refuses the first entry.
  auto other = ExchangeKey::LoadOrCreate(store_.dir() / "other" / "exchange-log.pem");
  ASSERT_TRUE(other) << other.error().message;
  EXPECT_NE(other->id(), key_->id());
  Exec("DELETE FROM exchange_log");
  Status s = store_->WriteSync([&](storage::Tx& tx) -> Status {
    MOTCUA_TRY(AppendExchange(tx, *other,
                              ExchangeEntry{kT0, "out", "dvcqg", "DongBoHoSoMC", "k", 1, 1, "{}",
                                            200, "{}", "delivered", 1}));
    return {};
  });
  ASSERT_TRUE(s);
  auto report = Verify(*key_);
  ASSERT_TRUE(report.broken);
  EXPECT_NE(report.broken->reason.find("signature"), std::string::npos) << report.broken->reason;
}

TEST(ExchangeKeyTest, AKeyFileOthersMayReadIsRefused) {
  const fs::path dir = fs::temp_directory_path() / ("motcua-xkey-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  auto key = ExchangeKey::LoadOrCreate(dir / "exchange-log.pem");
  ASSERT_TRUE(key) << key.error().message;
  const std::string id = key->id();
  // Loaded again: the same key, not a new one.
  auto again = ExchangeKey::LoadOrCreate(dir / "exchange-log.pem");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->id(), id);
  const std::string signature = again->Sign("hash");
  EXPECT_TRUE(key->Verify("hash", signature));
  EXPECT_FALSE(key->Verify("hash2", signature));
  fs::permissions(dir / "exchange-log.pem", fs::perms::others_read, fs::perm_options::add);
  auto refused = ExchangeKey::LoadOrCreate(dir / "exchange-log.pem");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Code::kFailedPrecondition);
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Engines, ExchangeLogTest,
                         ::testing::Values(Engine::kSqlite, Engine::kPostgres),
                         [](const auto& info) { return storage::testing::EngineName(info.param); });

}  // namespace
}  // namespace motcua::integrations
