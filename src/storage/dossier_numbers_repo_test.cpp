#include "storage/dossier_numbers_repo.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "core/dossier/dossier_number.hpp"
#include "storage/testing.hpp"

namespace motcua::storage::dossier_numbers {
namespace {

using namespace std::chrono;

constexpr std::string_view kAgency = "000.00.21.H12";

// 10:00 in Hà Nội on 2025-03-14.
const TimePoint kMorning = sys_days{year{2025} / 3 / 14} + hours(3);

class DossierNumbersTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(store_.Open("numbers")); }
  Result<std::string> Next(std::string_view agency, TimePoint at) {
    std::string number;
    MOTCUA_TRY_VOID(store_->WriteSync([&](Tx& tx) -> Status {
      number = MOTCUA_TRY(NextDossierNumber(tx, agency, at));
      return {};
    }));
    return number;
  }

  testing::TempStore store_;
};

TEST_F(DossierNumbersTest, CountsPerAgencyAndDay) {
  EXPECT_EQ(*Next(kAgency, kMorning), "000.00.21.H12-250314-0001");
  EXPECT_EQ(*Next(kAgency, kMorning + hours(1)), "000.00.21.H12-250314-0002");
  EXPECT_EQ(*Next("000.00.00.H55", kMorning), "000.00.00.H55-250314-0001");
  EXPECT_EQ(*Next(kAgency, kMorning + days(1)), "000.00.21.H12-250315-0001");
  EXPECT_EQ(*Next(kAgency, kMorning), "000.00.21.H12-250314-0003");
}

TEST_F(DossierNumbersTest, TheDayChangesAtMidnightInVietnam) {
  // 16:59 UTC is 23:59 in Hà Nội; 17:00 UTC is already the next day there.
  const TimePoint late = sys_days{year{2025} / 3 / 13} + hours(16) + minutes(59);
  EXPECT_EQ(*Next(kAgency, late), "000.00.21.H12-250313-0001");
  EXPECT_EQ(*Next(kAgency, late + minutes(1)), "000.00.21.H12-250314-0001");
  EXPECT_EQ(*Next(kAgency, late + minutes(2)), "000.00.21.H12-250314-0002");
}

TEST_F(DossierNumbersTest, AFailedInsertGivesItsNumberBack) {
  EXPECT_EQ(*Next(kAgency, kMorning), "000.00.21.H12-250314-0001");
  std::string taken;
  auto failed = store_->WriteSync([&](Tx& tx) -> Status {
    taken = MOTCUA_TRY(NextDossierNumber(tx, kAgency, kMorning));
    return Fail(Code::kInvalidArgument, "the dossier was refused");
  });
  ASSERT_FALSE(failed);
  EXPECT_EQ(taken, "000.00.21.H12-250314-0002");
  EXPECT_EQ(*Next(kAgency, kMorning), "000.00.21.H12-250314-0002");
}

TEST_F(DossierNumbersTest, RefusesAMalformedAgencyCode) {
  auto n = Next("H12", kMorning);
  ASSERT_FALSE(n);
  EXPECT_TRUE(n.error().fields.contains("agency_code"));
}

TEST_F(DossierNumbersTest, WidensAfter9999AndStopsAtTheLimit) {
  ASSERT_TRUE(store_->WriteSync([&](Tx& tx) -> Status {
    MOTCUA_TRY(
        tx.Exec("INSERT INTO dossier_number_counters (agency_code, day, last_seq) VALUES "
                "($1, '2025-03-14', 9999), ($2, '2025-03-14', 9999999)",
                {std::string(kAgency), std::string("000.00.00.H55")}));
    return {};
  }));
  EXPECT_EQ(*Next(kAgency, kMorning), "000.00.21.H12-250314-10000");
  auto full = Next("000.00.00.H55", kMorning);
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().code, Code::kResourceExhausted);
  // The refused attempt did not move the counter.
  std::int64_t last = 0;
  ASSERT_TRUE(store_->Read([&](Tx& tx) -> Status {
    last =
        MOTCUA_TRY(tx.Query("SELECT last_seq FROM dossier_number_counters WHERE agency_code = "
                            "'000.00.00.H55'"))[0]
            .Int(0);
    return {};
  }));
  EXPECT_EQ(last, 9999999);
}

// 16 threads queue 200 writes each; every seventh callback fails after taking
// its number, as a dossier insert that breaks a constraint would. The numbers
// of the dossiers that were stored must be 1..N without a gap or a repeat for
// each agency and day.
TEST_F(DossierNumbersTest, UniqueAndGaplessUnderConcurrentWrites) {
  constexpr int kThreads = 16;
  constexpr int kPerThread = 200;
  const std::string agencies[] = {"000.00.21.H12", "000.00.00.H55", "000.23.41.H12"};
  const TimePoint days[] = {kMorning, kMorning + hours(24)};

  std::mutex mu;
  std::condition_variable all_done;
  int pending = kThreads * kPerThread;
  std::vector<std::string> stored;
  std::atomic<int> failures{0};

  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const int k = t * kPerThread + i;
        const std::string agency = agencies[k % 3];
        const TimePoint at = days[(k / 3) % 2];
        const bool fail = k % 7 == 0;
        auto number = std::make_shared<std::string>();
        store_->Write(
            [=](Tx& tx) -> Status {
              *number = MOTCUA_TRY(NextDossierNumber(tx, agency, at));
              if (fail) return Fail(Code::kAlreadyExists, "a dossier insert failed");
              return {};
            },
            [&, number](Status st) {
              std::lock_guard lock(mu);
              if (st)
                stored.push_back(*number);
              else
                ++failures;
              if (--pending == 0) all_done.notify_one();
            });
      }
    });
  }
  for (auto& th : threads) th.join();
  {
    std::unique_lock lock(mu);
    all_done.wait(lock, [&] { return pending == 0; });
  }

  const int expected_failures = (kThreads * kPerThread + 6) / 7;
  EXPECT_EQ(failures.load(), expected_failures);
  ASSERT_EQ(static_cast<int>(stored.size()), kThreads * kPerThread - expected_failures);

  std::set<std::string> unique(stored.begin(), stored.end());
  EXPECT_EQ(unique.size(), stored.size());
  std::map<std::pair<std::string, calendar::Date>, std::vector<int>> by_day;
  for (const std::string& s : stored) {
    auto n = motcua::dossier::ParseDossierNumber(s);
    ASSERT_TRUE(n) << s;
    by_day[{n->agency_code, n->day}].push_back(n->sequence);
  }
  EXPECT_EQ(by_day.size(), 6u);
  for (auto& [key, seqs] : by_day) {
    std::sort(seqs.begin(), seqs.end());
    for (std::size_t i = 0; i < seqs.size(); ++i) {
      ASSERT_EQ(seqs[i], static_cast<int>(i) + 1) << key.first << " has a gap or a repeat";
    }
  }
}

}  // namespace
}  // namespace motcua::storage::dossier_numbers
