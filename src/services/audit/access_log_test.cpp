#include "services/audit/access_log.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <future>
#include <optional>
#include <thread>

#include "storage/testing.hpp"

namespace motcua::audit {
namespace {

using namespace std::chrono;

const TimePoint kStart = sys_days{year{2026} / 2 / 2} + hours(2);

class AccessLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(store_.Open("audit"));
    log_ = std::make_unique<AccessLog>(*store_, clock_);
  }
  static AccessRecord Viewed(std::int64_t user, std::int64_t dossier) {
    return AccessRecord{user,
                        "dossier",
                        dossier,
                        "processing",
                        "GET /api/v1/dossiers/{id}",
                        "req-" + std::to_string(user)};
  }

  // Records and waits for `done`, as a handler that answers only once the
  // record is durable would.
  Status RecordAndWait(const AccessRecord& record) {
    std::promise<Status> promise;
    auto future = promise.get_future();
    log_->Record(record, [&promise](Status st) { promise.set_value(std::move(st)); });
    return future.get();
  }

  storage::testing::TempStore store_;
  FakeClock clock_{kStart};
  std::unique_ptr<AccessLog> log_;
};

TEST_F(AccessLogTest, RecordsWhoReadWhichDossierWhenAndWhy) {
  ASSERT_TRUE(RecordAndWait(Viewed(5, 42)));
  auto entries = log_->List("dossier", 42);
  ASSERT_TRUE(entries) << entries.error().message;
  ASSERT_EQ(entries->size(), 1u);
  const AccessEntry& e = (*entries)[0];
  EXPECT_GT(e.id, 0);
  EXPECT_EQ(e.at, kStart);
  EXPECT_EQ(e.record.user_id, 5);
  EXPECT_EQ(e.record.aggregate_type, "dossier");
  EXPECT_EQ(e.record.aggregate_id, 42);
  EXPECT_EQ(e.record.purpose, "processing");
  EXPECT_EQ(e.record.route, "GET /api/v1/dossiers/{id}");
  EXPECT_EQ(e.record.request_id, "req-5");
}

TEST_F(AccessLogTest, ListsOneDossierNewestFirstUpToTheLimit) {
  for (int user = 1; user <= 5; ++user) {
    ASSERT_TRUE(RecordAndWait(Viewed(user, 42)));
    ASSERT_TRUE(RecordAndWait(Viewed(user, 43)));
    clock_.Advance(minutes(1));
  }
  auto entries = log_->List("dossier", 42, 3);
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_EQ((*entries)[0].record.user_id, 5);
  EXPECT_EQ((*entries)[0].at, kStart + minutes(4));
  EXPECT_EQ((*entries)[2].record.user_id, 3);
  for (const AccessEntry& e : *entries) EXPECT_EQ(e.record.aggregate_id, 42);
  EXPECT_EQ(log_->List("dossier", 43)->size(), 5u);
  EXPECT_TRUE(log_->List("dossier", 44)->empty());
}

TEST_F(AccessLogTest, TheTimeIsWhenTheReadHappened) {
  // The record is stamped when Record is called, not when the writer gets
  // to it: hold the writer busy until the clock has moved on.
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  store_->Write(
      [released](storage::Tx&) -> Status {
        released.wait();
        return {};
      },
      nullptr);
  std::promise<Status> promise;
  log_->Record(Viewed(9, 1), [&promise](Status st) { promise.set_value(std::move(st)); });
  clock_.Advance(hours(1));
  release.set_value();
  ASSERT_TRUE(promise.get_future().get());
  EXPECT_EQ((*log_->List("dossier", 1))[0].at, kStart);
}

TEST_F(AccessLogTest, RefusesAnIncompleteRecordAtOnce) {
  struct Case {
    std::string field;
    void (*mutate)(AccessRecord&);
  };
  const Case cases[] = {
      {"user_id", [](AccessRecord& r) { r.user_id = 0; }},
      {"aggregate_type", [](AccessRecord& r) { r.aggregate_type.clear(); }},
      {"aggregate_id", [](AccessRecord& r) { r.aggregate_id = -1; }},
      {"purpose", [](AccessRecord& r) { r.purpose.clear(); }},
      {"route", [](AccessRecord& r) { r.route.clear(); }},
      {"request_id", [](AccessRecord& r) { r.request_id = std::string(300, 'x'); }},
  };
  for (const Case& c : cases) {
    AccessRecord r = Viewed(1, 7);
    c.mutate(r);
    std::optional<Status> got;
    const auto caller = std::this_thread::get_id();
    std::thread::id ran_on;
    log_->Record(r, [&](Status st) {
      ran_on = std::this_thread::get_id();
      got = std::move(st);
    });
    ASSERT_TRUE(got.has_value()) << c.field << ": done was not called at once";
    EXPECT_TRUE(ran_on == caller) << c.field << ": done ran on another thread";
    ASSERT_FALSE(*got);
    EXPECT_TRUE(got->error().fields.contains(c.field)) << got->error().message;
  }
  EXPECT_TRUE(log_->List("dossier", 7)->empty());
}

TEST_F(AccessLogTest, AnEmptyRequestIdIsAllowed) {
  AccessRecord r = Viewed(1, 7);
  r.request_id.clear();
  EXPECT_TRUE(RecordAndWait(r));
  EXPECT_EQ(log_->List("dossier", 7)->size(), 1u);
}

TEST_F(AccessLogTest, ReportsAClosedStore) {
  store_->Close();
  auto st = RecordAndWait(Viewed(1, 1));
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, Code::kUnavailable);
}

TEST_F(AccessLogTest, RefusesAnOutOfRangeLimit) {
  EXPECT_EQ(log_->List("dossier", 1, 0).error().code, Code::kInvalidArgument);
  EXPECT_EQ(log_->List("dossier", 1, kMaxListLimit + 1).error().code, Code::kInvalidArgument);
}

}  // namespace
}  // namespace motcua::audit
