// `motcua verify` as an operator runs it against a database file: what it
// prints and the exit status, for an intact, an empty and a tampered log.
#include "app/verify_command.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <sstream>

#include "storage/events_repo.hpp"

namespace motcua::app {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::StartsWith;

struct Outcome {
  int code = -1;
  std::string out, err;
};

class VerifyCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "motcua_verify_XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    url_ = "sqlite:" + (dir_ / "motcua.db").string();
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // Creates the schema and appends `n` events; then `sql` (if any) runs with
  // the immutability triggers dropped, as an intruder would.
  void Prepare(int n, const std::string& sql = "") {
    auto store = storage::Store::Open(url_);
    ASSERT_TRUE(store);
    ASSERT_TRUE((*store)->Migrate());
    auto st = (*store)->WriteSync([&](storage::Tx& tx) -> Status {
      for (int i = 1; i <= n; ++i) {
        events::NewEvent e;
        e.aggregate_type = "dossier";
        e.aggregate_id = i;
        e.occurred_at = TimePoint(std::chrono::seconds(1'767'225'600 + i));
        e.action = "submit";
        e.to_state = "submitted";
        e.payload = R"({"channel":2})";
        MOTCUA_TRY(storage::events::AppendEvent(tx, e));
      }
      if (!sql.empty()) {
        MOTCUA_TRY(tx.Exec("DROP TRIGGER events_no_update"));
        MOTCUA_TRY(tx.Exec("DROP TRIGGER events_no_delete"));
        MOTCUA_TRY(tx.Exec(sql));
      }
      return {};
    });
    ASSERT_TRUE(st) << st.error().message;
    (*store)->Close();
  }

  Outcome Verify(std::vector<std::string> args = {}) {
    args.insert(args.begin(), {"--db", url_});
    std::ostringstream out, err;
    Outcome o;
    o.code = RunVerify(args, out, err);
    o.out = out.str();
    o.err = err.str();
    return o;
  }

  std::filesystem::path dir_;
  std::string url_;
};

TEST_F(VerifyCommandTest, AnIntactLogVerifies) {
  Prepare(250);
  Outcome o = Verify();
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, MatchesRegex("event log verified: 250 events, last hash [0-9a-f]{64}\n"));
}

TEST_F(VerifyCommandTest, AnEmptyLogVerifies) {
  Prepare(0);
  Outcome o = Verify();
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_EQ(o.out,
            "event log verified: 0 events, last hash " + std::string(events::kGenesisHash) + "\n");
}

TEST_F(VerifyCommandTest, NamesATamperedPayload) {
  Prepare(20, R"(UPDATE events SET payload = '{"channel":1}' WHERE seq = 12)");
  Outcome o = Verify();
  EXPECT_EQ(o.code, 1);
  EXPECT_THAT(o.out, StartsWith("event 12 is broken: its hash does not match its contents\n"));
  EXPECT_THAT(o.out, HasSubstr("the 11 events before it are intact"));
}

TEST_F(VerifyCommandTest, NamesADeletedRow) {
  Prepare(20, "DELETE FROM events WHERE seq BETWEEN 7 AND 9");
  Outcome o = Verify();
  EXPECT_EQ(o.code, 1);
  EXPECT_THAT(o.out, StartsWith("events missing between 6 and 10\n"));
}

TEST_F(VerifyCommandTest, NamesAChangedPrevHash) {
  Prepare(20,
          "UPDATE events SET prev_hash = (SELECT hash FROM events WHERE seq = 1) "
          "WHERE seq = 15");
  Outcome o = Verify();
  EXPECT_EQ(o.code, 1);
  EXPECT_THAT(o.out, StartsWith("event 15 does not link to event 14\n"));
}

TEST_F(VerifyCommandTest, RefusesADatabaseWithoutTheEventLog) {
  Outcome o = Verify();
  EXPECT_EQ(o.code, 1);
  EXPECT_THAT(o.err, HasSubstr("run 'motcua migrate' first"));
  EXPECT_EQ(o.out, "");
}

TEST_F(VerifyCommandTest, HelpAndUsageErrors) {
  Outcome help = Verify({"--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_THAT(help.out, HasSubstr("motcua verify"));
  Outcome bad = Verify({"--fast"});
  EXPECT_EQ(bad.code, 2);
  EXPECT_THAT(bad.err, HasSubstr("--fast"));
}

}  // namespace
}  // namespace motcua::app
