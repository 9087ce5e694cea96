#include "http/metrics.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <thread>
#include <vector>

namespace motcua::http {
namespace {

TEST(MetricsTest, RendersCountersWithEscapedLabels) {
  Metrics metrics;
  CounterFamily& family =
      metrics.AddCounter("motcua_things_total", "Things done.\nSecond line.", {"kind"});
  family.WithLabels({"plain"}).Inc();
  family.WithLabels({"quote\"back\\slash\nnewline"}).Inc(3);
  std::string text = metrics.Render();
  EXPECT_EQ(text,
            "# HELP motcua_things_total Things done.\\nSecond line.\n"
            "# TYPE motcua_things_total counter\n"
            "motcua_things_total{kind=\"plain\"} 1\n"
            "motcua_things_total{kind=\"quote\\\"back\\\\slash\\nnewline\"} 3\n");
}

TEST(MetricsTest, HistogramBucketsAreCumulative) {
  Metrics metrics;
  Histogram& h = metrics.AddHistogram("motcua_wait_seconds", "Wait.", {}, {0.1, 1}).WithLabels({});
  h.Observe(0.05);
  h.Observe(0.1);  // upper bounds are inclusive
  h.Observe(0.5);
  h.Observe(7);
  std::string text = metrics.Render();
  EXPECT_NE(text.find("motcua_wait_seconds_bucket{le=\"0.1\"} 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("motcua_wait_seconds_bucket{le=\"1\"} 3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("motcua_wait_seconds_bucket{le=\"+Inf\"} 4\n"), std::string::npos) << text;
  EXPECT_NE(text.find("motcua_wait_seconds_sum 7.65\n"), std::string::npos) << text;
  EXPECT_NE(text.find("motcua_wait_seconds_count 4\n"), std::string::npos) << text;
}

TEST(MetricsTest, RegisteringTheSameFamilyTwiceSharesIt) {
  Metrics metrics;
  metrics.AddCounter("motcua_a_total", "A.", {"x"}).WithLabels({"1"}).Inc();
  metrics.AddCounter("motcua_a_total", "A.", {"x"}).WithLabels({"1"}).Inc();
  EXPECT_NE(metrics.Render().find("motcua_a_total{x=\"1\"} 2\n"), std::string::npos);
}

TEST(MetricsTest, CallbacksAreSampledAtScrapeTime) {
  Metrics metrics;
  double db_seconds = 1;
  metrics.AddCallbackCounter("motcua_db_seconds_total", "Database time.",
                             [&] { return db_seconds; });
  metrics.AddCallback("motcua_pool_connections", "Pool.", MetricType::kGauge, {"state"}, [] {
    return std::vector<Sample>{{{"idle"}, 3}, {{"busy"}, 1}};
  });
  metrics.AddCallbackGauge("motcua_broken", "Throws.",
                           []() -> double { throw std::runtime_error("down"); });
  db_seconds = 2.25;
  testing::internal::CaptureStderr();
  std::string text = metrics.Render();
  testing::internal::GetCapturedStderr();
  EXPECT_NE(text.find("# TYPE motcua_db_seconds_total counter\nmotcua_db_seconds_total 2.25\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("motcua_pool_connections{state=\"idle\"} 3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("motcua_pool_connections{state=\"busy\"} 1\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("motcua_broken"), std::string::npos) << text;
}

TEST(MetricsTest, ConcurrentIncrementsAreNotLost) {
  Metrics metrics;
  Counter& c = metrics.AddCounter("motcua_hits_total", "Hits.", {}).WithLabels({});
  Histogram& h = metrics.AddHistogram("motcua_h_seconds", "H.", {}, {1}).WithLabels({});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        c.Inc();
        h.Observe(0.5);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(c.Value(), 40000u);
  EXPECT_EQ(h.Count(), 40000u);
  EXPECT_DOUBLE_EQ(h.Sum(), 20000);
}

TEST(MetricsDeathTest, InvalidNamesAreProgrammingErrors) {
  Metrics metrics;
  EXPECT_DEATH(metrics.AddCounter("bad-name", "x", {}), "CHECK failed");
  EXPECT_DEATH(metrics.AddCounter("ok_total", "x", {"le"}), "CHECK failed");
  metrics.AddCounter("ok_total", "x", {"a"});
  EXPECT_DEATH(metrics.AddCounter("ok_total", "x", {"b"}), "CHECK failed");
}

}  // namespace
}  // namespace motcua::http
