// The motcua binary as a person runs it: exit codes, --help everywhere,
// errors a person can act on, configuration precedence, demo, and a clean
// stop on SIGTERM.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "app/internal/process_testing.hpp"
#include "http/test_client.hpp"
#include "storage/migrations.hpp"
#include "storage/store.hpp"

namespace motcua::app {
namespace {

namespace fs = std::filesystem;
using namespace internal;  // RunMotcua, ServeProcess, SignIn, ...

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("motcua-cli-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "data");
    const char* src = std::getenv("MOTCUA_SOURCE_DIR");
    source_ = src ? fs::path(src) : fs::current_path();
    fs::copy(source_ / "data" / "demo", dir_ / "data" / "demo", fs::copy_options::recursive);
    fs::copy(source_ / "data" / "holidays", dir_ / "data" / "holidays",
             fs::copy_options::recursive);
    fs::copy(source_ / "data" / "workflows", dir_ / "data" / "workflows",
             fs::copy_options::recursive);
    fs::copy(source_ / "data" / "documents", dir_ / "data" / "documents",
             fs::copy_options::recursive);
    fs::copy(source_ / "data" / "statistics", dir_ / "data" / "statistics",
             fs::copy_options::recursive);
  }
  void TearDown() override { fs::remove_all(dir_); }
  void ServeAndStopWith(int signal);

  fs::path dir_;
  fs::path source_;
};

TEST_F(CliTest, NoCommandPrintsUsageAndFails) {
  RunResult r = RunMotcua({});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("usage: motcua <command>"), std::string::npos);
}

TEST_F(CliTest, UnknownCommandIsAUsageError) {
  RunResult r = RunMotcua({"frobnicate"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown command 'frobnicate'"), std::string::npos);
}

TEST_F(CliTest, EverySubcommandHasHelp) {
  for (std::vector<std::string> cmd :
       std::vector<std::vector<std::string>>{{"serve", "--help"},
                                             {"migrate", "--help"},
                                             {"demo", "--help"},
                                             {"user", "add", "--help"},
                                             {"calendar", "--help"},
                                             {"calendar", "to-lunar", "--help"},
                                             {"calendar", "add-working-days", "--help"},
                                             {"copy", "--help"},
                                             {"backup", "--help"},
                                             {"restore", "--help"},
                                             {"verify", "--help"},
                                             {"seed", "--help"},
                                             {"seed-statistics", "--help"},
                                             {"--help"}}) {
    RunResult r = RunMotcua(cmd);
    EXPECT_EQ(r.exit_code, 0) << cmd[0];
    EXPECT_NE(r.out.find("usage:"), std::string::npos) << cmd[0] << ": " << r.out;
    EXPECT_TRUE(r.err.empty()) << r.err;
  }
}

TEST_F(CliTest, UnknownOptionIsNamed) {
  RunResult r = RunMotcua({"migrate", "--dbb", "sqlite:x.db"}, "", dir_);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--dbb"), std::string::npos) << r.err;
}

TEST_F(CliTest, MissingDatabaseFolderIsNamed) {
  RunResult r = RunMotcua({"migrate", "--db", "sqlite:no/such/folder/m.db"}, "", dir_);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no/such/folder"), std::string::npos) << r.err;
}

TEST_F(CliTest, UnknownDatabaseSchemeIsAUsageProblem) {
  RunResult r = RunMotcua({"migrate", "--db", "mysql://localhost/x"}, "", dir_);
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("db"), std::string::npos) << r.err;
}

TEST_F(CliTest, MigrateIsIdempotent) {
  RunResult first = RunMotcua({"migrate", "--db", "sqlite:data/m.db"}, "", dir_);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("migrated from version 0"), std::string::npos) << first.out;
  RunResult again = RunMotcua({"migrate", "--db", "sqlite:data/m.db"}, "", dir_);
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_NE(again.out.find("schema is current"), std::string::npos) << again.out;
}

TEST_F(CliTest, FlagBeatsEnvironmentBeatsConfigFile) {
  std::ofstream(dir_ / "motcua.toml")
      << "db = \"sqlite:data/from-file.db\"\nlog_level = \"warn\"\n";
  // File only.
  RunResult r = RunMotcua({"migrate", "--config", "motcua.toml"}, "", dir_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir_ / "data" / "from-file.db"));
  // Environment over file.
  r = RunMotcua({"migrate"}, "", dir_,
                {"MOTCUA_CONFIG=motcua.toml", "MOTCUA_DB=sqlite:data/from-env.db"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir_ / "data" / "from-env.db"));
  // Flag over both.
  r = RunMotcua({"migrate", "--db", "sqlite:data/from-flag.db"}, "", dir_,
                {"MOTCUA_CONFIG=motcua.toml", "MOTCUA_DB=sqlite:data/from-env2.db"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir_ / "data" / "from-flag.db"));
  EXPECT_FALSE(fs::exists(dir_ / "data" / "from-env2.db"));
}

TEST_F(CliTest, ConfigFileErrorsNameTheKey) {
  std::ofstream(dir_ / "bad.toml") << "databse = \"sqlite:x.db\"\n";
  RunResult r = RunMotcua({"migrate", "--config", "bad.toml"}, "", dir_);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("databse"), std::string::npos) << r.err;
  RunResult missing = RunMotcua({"migrate", "--config", "nope.toml"}, "", dir_);
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("nope.toml"), std::string::npos) << missing.err;
}

TEST_F(CliTest, DemoLoadsOnceAndPrintsLogins) {
  RunResult r = RunMotcua({"demo", "--db", "sqlite:data/m.db"}, "", dir_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* login :
       {"admin", "quantri.tinh", "motcua.tinh", "chuyenvien.tuphap", "lanhdao.tuphap", "congdan"})
    EXPECT_NE(r.out.find(login), std::string::npos) << login;
  for (const char* role :
       {"system_admin", "province_admin", "officer", "specialist", "unit_leader", "citizen"})
    EXPECT_NE(r.out.find(role), std::string::npos) << role;
  RunResult again = RunMotcua({"demo", "--db", "sqlite:data/m.db"}, "", dir_);
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("already"), std::string::npos) << again.err;
  RunResult if_empty = RunMotcua({"demo", "--db", "sqlite:data/m.db", "--if-empty"}, "", dir_);
  EXPECT_EQ(if_empty.exit_code, 0) << if_empty.err;
  // The logins are printed again, so `scripts/run.sh` always shows them.
  EXPECT_NE(if_empty.out.find("congdan"), std::string::npos) << if_empty.out;
  EXPECT_NE(if_empty.out.find("motcua-demo-2026"), std::string::npos) << if_empty.out;
}

TEST_F(CliTest, UserAddReadsThePasswordFromStdinAndChecksIt) {
  ASSERT_EQ(RunMotcua({"demo", "--db", "sqlite:data/m.db"}, "", dir_).exit_code, 0);
  RunResult weak =
      RunMotcua({"user", "add", "motcua.daituu", "--display-name", "Lê Văn Tú", "--role", "officer",
                 "--unit", "000.55.00.H55", "--db", "sqlite:data/m.db"},
                "123\n", dir_);
  EXPECT_EQ(weak.exit_code, 2);
  EXPECT_NE(weak.err.find("password"), std::string::npos) << weak.err;
  RunResult bad_unit =
      RunMotcua({"user", "add", "motcua.daituu", "--display-name", "Lê Văn Tú", "--role", "officer",
                 "--unit", "999.99.99.H99", "--db", "sqlite:data/m.db"},
                "a-long-enough-passphrase\n", dir_);
  EXPECT_EQ(bad_unit.exit_code, 2);
  EXPECT_NE(bad_unit.err.find("--unit"), std::string::npos) << bad_unit.err;
  RunResult ok = RunMotcua({"user", "add", "motcua.daituu", "--display-name", "Lê Văn Tú", "--role",
                            "officer", "--unit", "000.55.00.H55", "--db", "sqlite:data/m.db"},
                           "a-long-enough-passphrase\n", dir_);
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ok.out.find("created user motcua.daituu"), std::string::npos);
  // The password is never echoed or logged.
  EXPECT_EQ(ok.out.find("a-long-enough-passphrase"), std::string::npos);
  EXPECT_EQ(ok.err.find("a-long-enough-passphrase"), std::string::npos);
  RunResult dup = RunMotcua({"user", "add", "motcua.daituu", "--display-name", "X Y", "--role",
                             "citizen", "--db", "sqlite:data/m.db"},
                            "a-long-enough-passphrase\n", dir_);
  EXPECT_EQ(dup.exit_code, 2);
  EXPECT_NE(dup.err.find("username"), std::string::npos) << dup.err;
}

TEST_F(CliTest, ServeRefusesAnOutdatedSchema) {
  RunResult r =
      RunMotcua({"serve", "--db", "sqlite:data/empty.db", "--listen", "127.0.0.1:0"}, "", dir_);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("motcua migrate"), std::string::npos) << r.err;
}

// Starts `motcua serve`, uses it, stops it with `signal`, and checks that it
// finished cleanly: exit code 0, and the database closed (SQLite removes the
// write-ahead log when the last connection closes after a checkpoint).
void CliTest::ServeAndStopWith(int signal) {
  ASSERT_EQ(RunMotcua({"demo", "--db", "sqlite:data/m.db"}, "", dir_).exit_code, 0);
  ServeProcess serve(dir_, "sqlite:data/m.db");
  ASSERT_NE(serve.port(), 0) << "serve did not start";
  {
    http::TestClient client(serve.port());
    EXPECT_EQ(client.Send("GET", "/healthz").status, 200);
    auto login = client.Send("POST", "/api/v1/auth/login",
                             R"({"username":"admin","password":"motcua-demo-2026"})",
                             {{"content-type", "application/json"}});
    EXPECT_EQ(login.status, 200) << login.body;
  }
  // 0: exited cleanly; -1 would mean it did not stop within 20 s.
  EXPECT_EQ(serve.Stop(signal), 0) << "serve did not stop cleanly on signal " << signal;
  EXPECT_FALSE(fs::exists(dir_ / "data" / "m.db-wal")) << "the database was not closed cleanly";
  RunResult again = RunMotcua({"migrate", "--db", "sqlite:data/m.db"}, "", dir_);
  EXPECT_EQ(again.exit_code, 0) << again.err;
}

TEST_F(CliTest, ServeAnswersAndStopsCleanlyOnSigterm) { ServeAndStopWith(SIGTERM); }
TEST_F(CliTest, ServeAnswersAndStopsCleanlyOnSigint) { ServeAndStopWith(SIGINT); }

// The address printed on receipts and results is the operator's, never a
// request's Host: serving beyond this machine without one is refused, and a
// malformed one is named (issue 19).
TEST_F(CliTest, ServeBeyondLoopbackNeedsThePublicAddress) {
  ASSERT_EQ(RunMotcua({"migrate", "--db", "sqlite:data/m.db"}, "", dir_).exit_code, 0);
  RunResult open = RunMotcua(
      {"serve", "--db", "sqlite:data/m.db", "--listen", "0.0.0.0:0", "--log-level", "warn"}, "",
      dir_);
  EXPECT_EQ(open.exit_code, 2);
  EXPECT_NE(open.err.find("--public-url"), std::string::npos) << open.err;
  for (const char* bad : {"ftp://x.gov.vn", "https://", "https://a b.vn", "https://x.vn/?q=1"}) {
    RunResult r = RunMotcua({"serve", "--db", "sqlite:data/m.db", "--listen", "127.0.0.1:0",
                             "--public-url", bad, "--log-level", "warn"},
                            "", dir_);
    EXPECT_EQ(r.exit_code, 2) << bad;
    EXPECT_NE(r.err.find("--public-url"), std::string::npos) << bad << ": " << r.err;
  }
  // The national portal's address, likewise (a typo would fail every sync).
  for (const char* bad : {"null", "ftp://dvcqg.gov.vn", "https://", "https://x.vn/a?b=1"}) {
    RunResult r = RunMotcua({"serve", "--db", "sqlite:data/m.db", "--listen", "127.0.0.1:0",
                             "--dvcqg-url", bad, "--log-level", "warn"},
                            "", dir_);
    EXPECT_EQ(r.exit_code, 2) << bad;
    EXPECT_NE(r.err.find("--dvcqg-url"), std::string::npos) << bad << ": " << r.err;
  }
  // The submission limits, likewise named when wrong (and never beyond what
  // a day's numbers hold).
  for (const char* bad : {"1,2", "30,300,416667", "0,300,30000", "30,300,30000,1"}) {
    RunResult r = RunMotcua({"serve", "--db", "sqlite:data/m.db", "--listen", "127.0.0.1:0",
                             "--submission-limits", bad, "--log-level", "warn"},
                            "", dir_);
    EXPECT_EQ(r.exit_code, 2) << bad;
    EXPECT_NE(r.err.find("--submission-limits"), std::string::npos) << bad << ": " << r.err;
  }
}

TEST_F(CliTest, DemoProvinceIsTheMergedThaiNguyenWithItsCatalogue) {
  ASSERT_EQ(RunMotcua({"demo", "--db", "sqlite:data/m.db"}, "", dir_).exit_code, 0);
  auto store = storage::Store::Open("sqlite:" + (dir_ / "data" / "m.db").string());
  ASSERT_TRUE(store);
  std::string bac_kan_valid_to, successor;
  std::int64_t procedures = 0, retired_communes = 0, current_communes = 0;
  ASSERT_TRUE((*store)->Read([&](storage::Tx& tx) -> Status {
    auto rows = MOTCUA_TRY(tx.Query(
        "SELECT u.valid_to, s.name FROM units u JOIN unit_links l ON l.predecessor_id = u.id "
        "JOIN units s ON s.id = l.successor_id WHERE u.agency_code = '000.00.00.H05'"));
    if (!rows.empty()) {
      bac_kan_valid_to = rows[0].Text(0);
      successor = rows[0].Text(1);
    }
    procedures = MOTCUA_TRY(tx.Query("SELECT COUNT(DISTINCT code) FROM procedures"))[0].Int(0);
    retired_communes = MOTCUA_TRY(tx.Query(
        "SELECT COUNT(*) FROM units WHERE kind = 'commune' AND valid_to = '2025-07-01'"))[0]
                           .Int(0);
    current_communes = MOTCUA_TRY(tx.Query(
        "SELECT COUNT(*) FROM units WHERE kind = 'commune' AND valid_to IS NULL"))[0]
                           .Int(0);
    return {};
  }));
  (*store)->Close();
  // Bắc Kạn merged into Thái Nguyên on 2025-07-01 and still exists for its old dossiers.
  EXPECT_EQ(bac_kan_valid_to, "2025-07-01");
  EXPECT_EQ(successor, "Tỉnh Thái Nguyên");
  EXPECT_GE(retired_communes, 3);
  EXPECT_GE(current_communes, 6);
  EXPECT_GE(procedures, 40);  // issue 3: at least 40 real, common procedures
}

TEST_F(CliTest, VerifyAndWorkflowCommandsAreReachable) {
  ASSERT_EQ(RunMotcua({"demo", "--db", "sqlite:data/m.db"}, "", dir_).exit_code, 0);
  RunResult verify = RunMotcua({"verify", "--db", "sqlite:data/m.db"}, "", dir_);
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
  EXPECT_NE(verify.out.find("verified"), std::string::npos) << verify.out;
  RunResult check = RunMotcua({"workflow", "check", "data/workflows/department.json"}, "", dir_);
  EXPECT_EQ(check.exit_code, 0) << check.err << check.out;
  RunResult help = RunMotcua({"seed", "--help"}, "", dir_);
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--dossiers"), std::string::npos);
}

TEST_F(CliTest, SeedFillsADemoDatabaseThatVerifies) {
  ASSERT_EQ(RunMotcua({"demo", "--db", "sqlite:data/m.db"}, "", dir_).exit_code, 0);
  RunResult seed = RunMotcua({"seed", "--db", "sqlite:data/m.db", "--dossiers", "300", "--parked",
                              "10", "--out", "bench-out"},
                             "", dir_);
  ASSERT_EQ(seed.exit_code, 0) << seed.err;
  EXPECT_NE(seed.out.find("seeded 310 dossiers"), std::string::npos) << seed.out;
  std::ifstream parked(dir_ / "bench-out" / "parked.txt");
  int lines = 0;
  for (std::string line; std::getline(parked, line);) ++lines;
  EXPECT_EQ(lines, 10);
  RunResult verify = RunMotcua({"verify", "--db", "sqlite:data/m.db"}, "", dir_);
  EXPECT_EQ(verify.exit_code, 0) << verify.err << verify.out;
}

TEST_F(CliTest, SeedStatisticsWritesTheSameHistoryForTheSameSeedAndMoment) {
  const std::vector<std::string> seed = {
      "--dossiers",    "4000", "--years", "2", "--communes", "6", "--now", "2026-11-30T17:00+07:00",
      "--random-seed", "9"};
  std::vector<std::string> counts;
  for (const char* name : {"a.db", "b.db"}) {
    const std::string db = std::string("sqlite:data/") + name;
    ASSERT_EQ(RunMotcua({"demo", "--db", db}, "", dir_).exit_code, 0);
    std::vector<std::string> cmd = {"seed-statistics", "--db", db};
    cmd.insert(cmd.end(), seed.begin(), seed.end());
    RunResult r = RunMotcua(cmd, "", dir_);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("4000 dossiers from 2024-11-30 to 2026-11-29"), std::string::npos)
        << r.out;
    auto store = storage::Store::Open("sqlite:" + (dir_ / "data" / name).string());
    ASSERT_TRUE(store) << store.error().message;
    std::string summary;
    ASSERT_TRUE((*store)->Read([&](storage::Tx& tx) -> Status {
      // By the units of the time: before the reform at former communes, after it at today's.
      auto rows = MOTCUA_TRY(
          tx.Query("SELECT COUNT(*), SUM(CASE WHEN u.valid_to IS NOT NULL AND d.submitted_at >= "
                   "'2025-07-01' THEN 1 ELSE 0 END), "
                   "SUM(d.channel = 2), SUM(d.finished_at IS NULL), SUM(d.timeliness = 'late'), "
                   "(SELECT COUNT(*) FROM dossier_ratings), (SELECT COUNT(*) FROM dossier_results "
                   "WHERE signed_at IS NOT NULL), "
                   "(SELECT COUNT(*) FROM units WHERE name LIKE 'Xã Mẫu %'), MIN(d.submitted_at) "
                   ">= '2024-11-30', "
                   "SUM(d.submitted_at > '2026-11-30T10:00') "
                   "FROM dossiers d JOIN units u ON u.id = d.receiving_unit_id"));
      const auto& r = rows.at(0);
      EXPECT_EQ(r.Int(0), 4000);
      EXPECT_EQ(r.Int(1), 0) << "a retired unit received a dossier after the reform";
      EXPECT_GT(r.Int(2), 400) << "online dossiers";
      EXPECT_GT(r.Int(4), 40) << "late dossiers";
      EXPECT_GT(r.Int(5), 100) << "ratings";
      EXPECT_GT(r.Int(6), 400) << "signed results";
      EXPECT_EQ(r.Int(7), 6);
      EXPECT_EQ(r.Int(8), 1);
      EXPECT_EQ(r.Int(9), 0) << "nothing after --now";
      for (std::size_t i = 0; i < 8; ++i) summary += std::to_string(r.Int(i)) + " ";
      return {};
    }));
    counts.push_back(summary);
  }
  EXPECT_EQ(counts[0], counts[1]);
  RunResult bad =
      RunMotcua({"seed-statistics", "--db", "sqlite:data/a.db", "--now", "yesterday"}, "", dir_);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("now"), std::string::npos) << bad.err;
}

TEST_F(CliTest, DemoDossiersAreHandledByTheDemoStaffAndLoadOnce) {
  ASSERT_EQ(RunMotcua({"demo", "--db", "sqlite:data/m.db"}, "", dir_).exit_code, 0);
  const std::vector<std::string> seed = {"seed",  "--db",      "sqlite:data/m.db", "--dossiers",
                                         "120",   "--from",    "2026-09-01",       "--actors",
                                         "staff", "--if-empty"};
  RunResult first = RunMotcua(seed, "", dir_);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("seeded 120 dossiers"), std::string::npos) << first.out;
  RunResult again = RunMotcua(seed, "", dir_);
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("nothing seeded"), std::string::npos) << again.out;

  auto store = storage::Store::Open("sqlite:" + (dir_ / "data" / "m.db").string());
  ASSERT_TRUE(store) << store.error().message;
  std::int64_t dossiers = 0, by_staff = 0, by_admin = 0, intake_by_officers = 0;
  ASSERT_TRUE((*store)->Read([&](storage::Tx& tx) -> Status {
    dossiers = MOTCUA_TRY(tx.Query("SELECT count(*) FROM dossiers")).at(0).Int(0);
    auto rows =
        MOTCUA_TRY(tx.Query("SELECT u.username = 'admin', count(*) FROM dossier_steps s JOIN users "
                            "u ON u.id = s.handed_by "
                            "GROUP BY 1"));
    for (const auto& r : rows) (r.Int(0) ? by_admin : by_staff) += r.Int(1);
    intake_by_officers = MOTCUA_TRY(tx.Query("SELECT count(*) FROM dossiers d JOIN users u ON u.id "
                                             "= d.created_by WHERE u.username LIKE 'motcua.%'"))
                             .at(0)
                             .Int(0);
    return {};
  }));
  EXPECT_EQ(dossiers, 120);
  EXPECT_EQ(intake_by_officers, 120) << "every dossier was received by a one-stop officer";
  // The administrator steps in only where no demo user holds the role (a
  // department has no officer to record supplements).
  EXPECT_GT(by_staff, 10 * by_admin) << by_staff << " steps by staff, " << by_admin << " by admin";
  // Every row the statistics count is what the dossier's history says.
  RunResult verified = RunMotcua({"verify", "--db", "sqlite:data/m.db", "--statistics"}, "", dir_);
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  EXPECT_NE(verified.out.find("statistics verified: 120 dossiers, each row as its history says"),
            std::string::npos)
      << verified.out;
  // A late dossier made on time in the table (the on-time rate is the 766 index's largest
  // indicator) is named, with what its history says.
  std::int64_t late = 0;
  ASSERT_TRUE((*store)->WriteSync([&](storage::Tx& tx) -> Status {
    auto rows = MOTCUA_TRY(tx.Query("SELECT min(id) FROM dossiers WHERE timeliness = 'late'"));
    late = rows.at(0).IsNull(0) ? 0 : rows.at(0).Int(0);
    MOTCUA_TRY(tx.Exec("UPDATE dossiers SET timeliness = 'on_time' WHERE id = $1", {late}));
    return {};
  }));
  ASSERT_GT(late, 0) << "the seeded history has a late dossier";
  (*store)->Close();
  RunResult caught = RunMotcua({"verify", "--db", "sqlite:data/m.db", "--statistics"}, "", dir_);
  EXPECT_EQ(caught.exit_code, 1) << caught.out << caught.err;
  EXPECT_NE(caught.out.find("statistics: 1 of 120 dossiers disagree with their history in the "
                            "event log:\n  dossier " +
                            std::to_string(late) + ": timeliness: table on_time, history late"),
            std::string::npos)
      << caught.out;
  RunResult bad = RunMotcua({"seed", "--db", "sqlite:data/m.db", "--actors", "robots"}, "", dir_);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("actors"), std::string::npos) << bad.err;
}

// The same commands on PostgreSQL: the server scripts/test.sh starts, named
// by MOTCUA_TEST_POSTGRES_URL (without it this test fails, saying so), in a
// schema of its own.
TEST_F(CliTest, MigrateDemoSeedAndVerifyOnPostgresql) {
  const std::string db = PostgresSchemaUrl("cli_" + std::to_string(::getpid()));
  ASSERT_FALSE(db.empty());
  const std::string base = std::getenv("MOTCUA_TEST_POSTGRES_URL");
  RunResult migrate = RunMotcua({"migrate", "--db", db}, "", dir_);
  ASSERT_EQ(migrate.exit_code, 0) << migrate.err;
  // Every migration of the build, up to the newest.
  const std::string newest = "to " + std::to_string(storage::PostgresMigrations().back().version);
  EXPECT_NE(migrate.out.find(newest), std::string::npos) << migrate.out;
  RunResult demo = RunMotcua({"demo", "--db", db}, "", dir_);
  ASSERT_EQ(demo.exit_code, 0) << demo.err;
  EXPECT_NE(demo.out.find("motcua.phandinhphung"), std::string::npos) << demo.out;
  RunResult seed = RunMotcua(
      {"seed", "--db", db, "--dossiers", "150", "--from", "2026-09-01", "--actors", "staff"}, "",
      dir_);
  ASSERT_EQ(seed.exit_code, 0) << seed.err;
  EXPECT_NE(seed.out.find("seeded 150 dossiers"), std::string::npos) << seed.out;
  RunResult verify = RunMotcua({"verify", "--db", db}, "", dir_);
  EXPECT_EQ(verify.exit_code, 0) << verify.err << verify.out;
  EXPECT_NE(verify.out.find("verified"), std::string::npos) << verify.out;
  // The password of the URL is never printed.
  const std::string url(base);
  const std::size_t colon = url.find(':', url.find("//") + 2), at = url.find('@');
  ASSERT_TRUE(colon < at && at != std::string::npos) << "the test server's URL carries a password";
  const std::string password = url.substr(colon + 1, at - colon - 1);
  for (const auto* text : {&migrate.out, &migrate.err, &demo.err, &seed.err, &verify.err})
    EXPECT_EQ(text->find(password), std::string::npos) << *text;
}

TEST_F(CliTest, CopyMovesAProvinceFromSqliteToPostgresqlWhereItServesOn) {
  const std::string pg = PostgresSchemaUrl("copy_" + std::to_string(::getpid()));
  ASSERT_FALSE(pg.empty());
  ASSERT_EQ(RunMotcua({"demo", "--db", "sqlite:data/m.db"}, "", dir_).exit_code, 0);
  RunResult seed = RunMotcua({"seed", "--db", "sqlite:data/m.db", "--dossiers", "300", "--from",
                              "2026-09-01", "--actors", "staff", "--out", "."},
                             "", dir_);
  ASSERT_EQ(seed.exit_code, 0) << seed.err;

  RunResult copy = RunMotcua({"copy", "--from", "sqlite:data/m.db", "--to", pg}, "", dir_);
  ASSERT_EQ(copy.exit_code, 0) << copy.err << copy.out;
  EXPECT_NE(copy.out.find("dossiers: 300 rows"), std::string::npos) << copy.out;
  EXPECT_NE(copy.out.find("as the source's"), std::string::npos) << copy.out;

  // The same chain on both sides, to the last hash.
  RunResult source = RunMotcua({"verify", "--db", "sqlite:data/m.db"}, "", dir_);
  RunResult target = RunMotcua({"verify", "--db", pg}, "", dir_);
  ASSERT_EQ(target.exit_code, 0) << target.err << target.out;
  EXPECT_EQ(target.out, source.out);

  // A second copy into the now full target is refused, and changes nothing.
  RunResult again = RunMotcua({"copy", "--from", "sqlite:data/m.db", "--to", pg}, "", dir_);
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("already holds rows"), std::string::npos) << again.err;
  EXPECT_EQ(RunMotcua({"verify", "--db", pg}, "", dir_).out, source.out);

  // The province serves on from PostgreSQL: a citizen finds a dossier with
  // its secret, and a counter receives a new one (numbered after the copied
  // ones, with an id after theirs).
  std::ifstream lookups(dir_ / "lookups.tsv");
  std::string number, secret;
  ASSERT_TRUE(lookups >> number >> secret);
  ServeProcess serve(dir_, pg);
  ASSERT_NE(serve.port(), 0) << "serve did not start on the copy";
  http::TestClient client(serve.port());
  auto found = client.Send("GET", "/api/v1/lookup?number=" + number + "&secret=" + secret);
  EXPECT_EQ(found.status, 200) << found.body;
  EXPECT_NE(found.body.find(number), std::string::npos) << found.body;
  auto units = boost::json::parse(client.Send("GET", "/api/v1/units?kind=commune").body);
  std::int64_t unit_id = 0;
  for (const auto& u : units.at("items").as_array())
    if (u.at("agency_code").as_string() == "000.54.00.H55") unit_id = u.at("id").as_int64();
  ASSERT_NE(unit_id, 0);
  http::Headers officer = SignIn(client, "motcua.babe");
  auto submitted = client.Send(
      "POST", "/api/v1/dossiers",
      R"({"procedure_code":"1.004873.000.00.00.H56","unit_id":)" + std::to_string(unit_id) +
          R"(,"channel":1,"consent":true,"applicant":{"full_name":"Nguyễn Thị Ánh",)"
          R"("id_number":"001203004567","phone":"0912345678"}})",
      officer);
  ASSERT_EQ(submitted.status, 201) << submitted.body;
  auto dossier = boost::json::parse(submitted.body).at("dossier");
  EXPECT_GT(dossier.at("id").as_int64(), 300);
  // And the citizen finds it, from the same server.
  const std::string new_number(dossier.at("number").as_string());
  const std::string new_secret(boost::json::parse(submitted.body).at("lookup_secret").as_string());
  EXPECT_EQ(
      client.Send("GET", "/api/v1/lookup?number=" + new_number + "&secret=" + new_secret).status,
      200);
  EXPECT_EQ(serve.Stop(), 0);
  RunResult after = RunMotcua({"verify", "--db", pg}, "", dir_);
  EXPECT_EQ(after.exit_code, 0) << after.out;
}

TEST_F(CliTest, CopyNamesWhatIsMissingOrWrong) {
  RunResult none = RunMotcua({"copy"}, "", dir_);
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("from"), std::string::npos) << none.err;
  EXPECT_NE(none.err.find("to"), std::string::npos) << none.err;
  RunResult same =
      RunMotcua({"copy", "--from", "sqlite:data/m.db", "--to", "sqlite:data/m.db"}, "", dir_);
  EXPECT_EQ(same.exit_code, 2);
  EXPECT_NE(same.err.find("is the source"), std::string::npos) << same.err;
  // A source that was never migrated is not copied (nor migrated behind the
  // operator's back).
  RunResult old = RunMotcua(
      {"copy", "--from", "sqlite:data/empty.db", "--to", "sqlite:data/target.db"}, "", dir_);
  EXPECT_EQ(old.exit_code, 1);
  EXPECT_NE(old.err.find("motcua migrate"), std::string::npos) << old.err;
}

// Issue 4: two `motcua serve` processes on one PostgreSQL database.
TEST_F(CliTest, TwoServeProcessesOnOnePostgresqlAgreeOnActionsNumbersAndTheChain) {
  const std::string pg = PostgresSchemaUrl("two_" + std::to_string(::getpid()));
  ASSERT_FALSE(pg.empty());
  ASSERT_EQ(RunMotcua({"migrate", "--db", pg}, "", dir_).exit_code, 0);
  ASSERT_EQ(RunMotcua({"demo", "--db", pg}, "", dir_).exit_code, 0);
  RunResult seed = RunMotcua(
      {"seed", "--db", pg, "--dossiers", "20", "--parked", "5", "--actors", "staff", "--out", "."},
      "", dir_);
  ASSERT_EQ(seed.exit_code, 0) << seed.err;
  std::ifstream parked(dir_ / "parked.txt");
  std::string dossier;
  ASSERT_TRUE(parked >> dossier);

  ServeProcess a(dir_, pg), b(dir_, pg);
  ASSERT_NE(a.port(), 0);
  ASSERT_NE(b.port(), 0);

  // Eight officers ask for supplements on one dossier at once, four through
  // each server: one wins, seven are told it changed (409).
  std::atomic<int> won{0}, conflicts{0}, other{0};
  {
    std::vector<std::thread> officers;
    std::atomic<int> ready{0};
    for (int i = 0; i < 8; ++i) {
      officers.emplace_back([&, i] {
        http::TestClient client(i % 2 ? b.port() : a.port());
        http::Headers admin = SignIn(client, "admin");
        ++ready;
        while (ready < 8) std::this_thread::yield();
        auto r = client.Send(
            "POST", "/api/v1/dossiers/" + dossier + "/actions/request_supplement",
            R"({"reason":"Hồ sơ chưa đầy đủ","items":[{"description":"Bản sao giấy khai sinh"}]})",
            admin);
        if (r.status == 200)
          ++won;
        else if (r.status == 409)
          ++conflicts;
        else
          ++other;
      });
    }
    for (auto& t : officers) t.join();
  }
  EXPECT_EQ(won, 1);
  EXPECT_EQ(conflicts, 7);
  EXPECT_EQ(other, 0);

  // Counters at both servers receive dossiers at once: every number is
  // unique and the day's run of them has no gap.
  std::mutex mu;
  std::vector<std::string> numbers;
  {
    std::vector<std::thread> counters;
    for (int i = 0; i < 4; ++i) {
      counters.emplace_back([&, i] {
        http::TestClient client(i % 2 ? b.port() : a.port());
        http::Headers officer = SignIn(client, "motcua.babe");
        const std::int64_t unit = BaBeUnitId(client);
        for (int k = 0; k < 15; ++k) {
          auto r = SubmitAtBaBe(client, officer, unit);
          EXPECT_EQ(r.status, 201) << r.body;
          if (r.status != 201) continue;
          std::lock_guard lock(mu);
          numbers.emplace_back(boost::json::parse(r.body).at("dossier").at("number").as_string());
        }
      });
    }
    for (auto& t : counters) t.join();
  }
  ASSERT_EQ(numbers.size(), 60u);
  for (const auto& [day, serials] : SerialsByDay(numbers)) {
    EXPECT_EQ(std::adjacent_find(serials.begin(), serials.end()), serials.end())
        << day << ": a number twice";
    EXPECT_EQ(serials.back() - serials.front() + 1, static_cast<int>(serials.size()))
        << day << ": a gap";
  }
  EXPECT_EQ(a.Stop(), 0);
  EXPECT_EQ(b.Stop(), 0);
  RunResult verify = RunMotcua({"verify", "--db", pg}, "", dir_);
  EXPECT_EQ(verify.exit_code, 0) << verify.out;
}

// Issue 4: PostgreSQL stops and starts again while two servers take
// submissions. Meanwhile clients get 503 (never another error, never a
// crash); afterwards the servers go on by themselves, and every dossier that
// was acknowledged is there, numbered without gaps.
TEST_F(CliTest, PostgresqlRestartUnderLoadGives503ThenRecoversAndLosesNothing) {
  const char* stop_cmd = std::getenv("MOTCUA_TEST_POSTGRES_RESTART_STOP");
  const char* start_cmd = std::getenv("MOTCUA_TEST_POSTGRES_RESTART_START");
  ASSERT_TRUE(stop_cmd && start_cmd) << "run scripts/test.sh, which starts the PostgreSQL servers";
  const std::string pg = PostgresSchemaUrl("restart_" + std::to_string(::getpid()),
                                           "MOTCUA_TEST_POSTGRES_RESTART_URL");
  ASSERT_FALSE(pg.empty());
  ASSERT_EQ(RunMotcua({"migrate", "--db", pg}, "", dir_).exit_code, 0);
  ASSERT_EQ(RunMotcua({"demo", "--db", pg}, "", dir_).exit_code, 0);
  // One officer submits as fast as four clients can: the load, not the
  // submission limits (SubmissionsAreLimited... tests those), is the point.
  const std::vector<std::string> unlimited = {"--submission-limits", "1000000,1000000,416666"};
  ServeProcess a(dir_, pg, unlimited), b(dir_, pg, unlimited);
  ASSERT_NE(a.port(), 0);
  ASSERT_NE(b.port(), 0);

  std::atomic<bool> stop{false}, restarted{false};
  std::atomic<int> unavailable{0}, after_restart{0};
  std::mutex mu;
  std::vector<std::string> unexpected;
  std::vector<std::pair<std::string, std::string>> acknowledged;  // number, secret
  std::vector<std::thread> counters;
  for (int i = 0; i < 4; ++i) {
    counters.emplace_back([&, i] {
      http::TestClient client(i % 2 ? b.port() : a.port());
      http::Headers officer = SignIn(client, "motcua.babe");
      const std::int64_t unit = BaBeUnitId(client);
      while (!stop) {
        auto r = SubmitAtBaBe(client, officer, unit);
        std::lock_guard lock(mu);
        if (r.status == 201) {
          auto body = boost::json::parse(r.body);
          acknowledged.emplace_back(body.at("dossier").at("number").as_string(),
                                    body.at("lookup_secret").as_string());
          if (restarted) ++after_restart;
        } else if (r.status == 503) {
          ++unavailable;
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
        } else {
          unexpected.push_back(std::to_string(r.status) + " " + r.body);
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  ASSERT_EQ(std::system(stop_cmd), 0) << stop_cmd;
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  ASSERT_EQ(std::system(start_cmd), 0) << start_cmd;
  restarted = true;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (after_restart < 40 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  stop = true;
  for (auto& t : counters) t.join();

  std::cout << acknowledged.size() << " submissions acknowledged (" << after_restart
            << " after the restart), " << unavailable << " answered 503\n";
  EXPECT_TRUE(unexpected.empty()) << unexpected.size() << " answers neither 201 nor 503, first: "
                                  << (unexpected.empty() ? "" : unexpected.front());
  EXPECT_GT(unavailable, 0) << "no request was answered while PostgreSQL was down";
  EXPECT_GE(after_restart, 40) << "the servers did not recover by themselves";
  EXPECT_EQ(a.Stop(), 0) << "server a";
  EXPECT_EQ(b.Stop(), 0) << "server b";

  // Every acknowledged dossier is there, found with its secret by a server
  // started afresh; and the numbers have no gap.
  ServeProcess c(dir_, pg);
  ASSERT_NE(c.port(), 0);
  http::TestClient client(c.port());
  int missing = 0;
  std::vector<std::string> numbers;
  for (const auto& [number, secret] : acknowledged) {
    numbers.push_back(number);
    if (client.Send("GET", "/api/v1/lookup?number=" + number + "&secret=" + secret).status != 200)
      ++missing;
  }
  EXPECT_EQ(missing, 0) << "of " << acknowledged.size() << " acknowledged";
  for (const auto& [day, serials] : SerialsByDay(numbers))
    EXPECT_EQ(std::adjacent_find(serials.begin(), serials.end()), serials.end())
        << day << ": a number twice";
  EXPECT_EQ(c.Stop(), 0);
  RunResult verify = RunMotcua({"verify", "--db", pg}, "", dir_);
  EXPECT_EQ(verify.exit_code, 0) << verify.out;
}

}  // namespace
}  // namespace motcua::app
