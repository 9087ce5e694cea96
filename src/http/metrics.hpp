// A small registry of metrics in the Prometheus text format (version 0.0.4).
//
// Counters and histograms live in families with fixed label names; a series
// is one combination of label values. Looking a series up takes the family's
// mutex, so code on a hot path looks its series up once and keeps the
// reference (series are never freed while the Metrics lives); updating a
// series is a relaxed atomic add, no lock. Callback metrics are sampled when
// /metrics is scraped: the app exports figures kept elsewhere (database time
// from the storage Stats()) without pushing them on every change.
//
// Thread safety: everything may be called from any thread. Callbacks run on
// the scraping thread and must not call back into this Metrics.
// Names and label names that Prometheus would reject, a name registered twice
// with a different type or labels, or a wrong number of label values are
// programming errors: MOTCUA_CHECK aborts.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace motcua::http {

class Counter {
 public:
  void Inc(std::uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

class Histogram {
 public:
  // `bounds`: upper bounds of the buckets, strictly increasing; +Inf is implied.
  explicit Histogram(const std::vector<double>& bounds);
  void Observe(double value);

  const std::vector<double>& bounds() const { return bounds_; }
  // Non-cumulative count of bucket i (i == bounds().size() is +Inf).
  std::uint64_t BucketCount(std::size_t i) const {
    return counts_[i].load(std::memory_order_relaxed);
  }
  std::uint64_t Count() const;
  double Sum() const { return sum_.load(std::memory_order_relaxed); }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;
  std::atomic<double> sum_{0};
};

using LabelValues = std::vector<std::string>;

class CounterFamily {
 public:
  // The series with these label values (in the order of the label names),
  // created on first use. The reference stays valid as long as the Metrics.
  Counter& WithLabels(const LabelValues& values);

 private:
  friend class Metrics;
  CounterFamily(std::string name, std::string help, std::vector<std::string> label_names);
  std::string name_, help_;
  std::vector<std::string> label_names_;
  mutable std::mutex mu_;
  std::map<LabelValues, std::unique_ptr<Counter>> series_;
};

class HistogramFamily {
 public:
  Histogram& WithLabels(const LabelValues& values);

 private:
  friend class Metrics;
  HistogramFamily(std::string name, std::string help, std::vector<std::string> label_names,
                  std::vector<double> bounds);
  std::string name_, help_;
  std::vector<std::string> label_names_;
  std::vector<double> bounds_;
  mutable std::mutex mu_;
  std::map<LabelValues, std::unique_ptr<Histogram>> series_;
};

enum class MetricType { kCounter, kGauge };

struct Sample {
  LabelValues label_values;
  double value = 0;
};

class Metrics {
 public:
  Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;
  ~Metrics();

  // Registering a name again with the same type and labels returns the
  // existing family (two pipelines built on one Metrics share it).
  CounterFamily& AddCounter(std::string name, std::string help,
                            std::vector<std::string> label_names);
  HistogramFamily& AddHistogram(std::string name, std::string help,
                                std::vector<std::string> label_names, std::vector<double> bounds);

  // Sampled at scrape time. An exception from a callback is logged and the
  // metric left out of that scrape.
  void AddCallbackGauge(std::string name, std::string help, std::function<double()> sample);
  void AddCallbackCounter(std::string name, std::string help, std::function<double()> sample);
  void AddCallback(std::string name, std::string help, MetricType type,
                   std::vector<std::string> label_names,
                   std::function<std::vector<Sample>()> sample);

  // Every metric in the text exposition format, families in registration
  // order, series sorted by label values.
  std::string Render() const;

 private:
  struct Family;
  Family& Register(std::string_view name, int kind, const std::vector<std::string>& label_names);
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<Family>> families_;
};

// The content type of Render()'s output.
inline constexpr std::string_view kPrometheusContentType =
    "text/plain; version=0.0.4; charset=utf-8";

}  // namespace motcua::http
