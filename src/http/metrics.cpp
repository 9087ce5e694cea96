#include "http/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <exception>

#include "common/check.hpp"
#include "common/log.hpp"

namespace motcua::http {
namespace {

bool ValidName(std::string_view name, bool colon_ok) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
              (colon_ok && c == ':') || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

void CheckNames(std::string_view name, const std::vector<std::string>& label_names) {
  MOTCUA_CHECK(ValidName(name, true));
  for (const std::string& l : label_names) MOTCUA_CHECK(ValidName(l, false) && l != "le");
}

void AppendDouble(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
  } else {
    char buf[64];
    // general: "0.0005" as Prometheus clients write it, not "5e-04".
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general);
    out.append(buf, end);
  }
}

// Label values may hold anything (a route pattern); the format escapes
// backslash, double quote and newline.
void AppendEscaped(std::string& out, std::string_view text, bool quote) {
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quote) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

void AppendLabels(std::string& out, const std::vector<std::string>& names,
                  const LabelValues& values, std::string_view extra_name = {},
                  std::string_view extra_value = {}) {
  if (names.empty() && extra_name.empty()) return;
  out += '{';
  bool first = true;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (!first) out += ',';
    first = false;
    out += names[i];
    out += "=\"";
    AppendEscaped(out, values[i], true);
    out += '"';
  }
  if (!extra_name.empty()) {
    if (!first) out += ',';
    out += extra_name;
    out += "=\"";
    out += extra_value;
    out += '"';
  }
  out += '}';
}

void AppendHeader(std::string& out, std::string_view name, std::string_view help,
                  std::string_view type) {
  out += "# HELP ";
  out += name;
  out += ' ';
  AppendEscaped(out, help, false);
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

enum Kind { kCounterKind, kHistogramKind, kCallbackKind };

}  // namespace

Histogram::Histogram(const std::vector<double>& bounds)
    : bounds_(bounds), counts_(new std::atomic<std::uint64_t>[bounds.size() + 1]) {
  for (std::size_t i = 0; i <= bounds_.size(); ++i) counts_[i].store(0);
}

void Histogram::Observe(double value) {
  std::size_t i = static_cast<std::size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), value) -
                                           bounds_.begin());
  counts_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

std::uint64_t Histogram::Count() const {
  std::uint64_t total = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) total += BucketCount(i);
  return total;
}

CounterFamily::CounterFamily(std::string name, std::string help,
                             std::vector<std::string> label_names)
    : name_(std::move(name)), help_(std::move(help)), label_names_(std::move(label_names)) {}

Counter& CounterFamily::WithLabels(const LabelValues& values) {
  MOTCUA_CHECK(values.size() == label_names_.size());
  std::lock_guard lock(mu_);
  auto& slot = series_[values];
  if (!slot) slot = std::make_unique<Counter>();
  return *slot;
}

HistogramFamily::HistogramFamily(std::string name, std::string help,
                                 std::vector<std::string> label_names, std::vector<double> bounds)
    : name_(std::move(name)),
      help_(std::move(help)),
      label_names_(std::move(label_names)),
      bounds_(std::move(bounds)) {}

Histogram& HistogramFamily::WithLabels(const LabelValues& values) {
  MOTCUA_CHECK(values.size() == label_names_.size());
  std::lock_guard lock(mu_);
  auto& slot = series_[values];
  if (!slot) slot = std::make_unique<Histogram>(bounds_);
  return *slot;
}

struct Metrics::Family {
  int kind = kCounterKind;
  std::string name;
  std::vector<std::string> label_names;
  std::unique_ptr<CounterFamily> counter;
  std::unique_ptr<HistogramFamily> histogram;
  std::string help;
  MetricType type = MetricType::kGauge;
  std::function<std::vector<Sample>()> sample;
};

Metrics::Metrics() = default;
Metrics::~Metrics() = default;

Metrics::Family& Metrics::Register(std::string_view name, int kind,
                                   const std::vector<std::string>& label_names) {
  CheckNames(name, label_names);
  for (auto& f : families_) {
    if (f->name == name) {
      MOTCUA_CHECK(f->kind == kind && kind != kCallbackKind && f->label_names == label_names);
      return *f;
    }
  }
  auto family = std::make_unique<Family>();
  family->kind = kind;
  family->name = std::string(name);
  family->label_names = label_names;
  families_.push_back(std::move(family));
  return *families_.back();
}

CounterFamily& Metrics::AddCounter(std::string name, std::string help,
                                   std::vector<std::string> label_names) {
  std::lock_guard lock(mu_);
  Family& f = Register(name, kCounterKind, label_names);
  if (!f.counter) {
    f.counter.reset(new CounterFamily(std::move(name), std::move(help), std::move(label_names)));
  }
  return *f.counter;
}

HistogramFamily& Metrics::AddHistogram(std::string name, std::string help,
                                       std::vector<std::string> label_names,
                                       std::vector<double> bounds) {
  MOTCUA_CHECK(!bounds.empty() && std::is_sorted(bounds.begin(), bounds.end()) &&
               std::adjacent_find(bounds.begin(), bounds.end()) == bounds.end());
  std::lock_guard lock(mu_);
  Family& f = Register(name, kHistogramKind, label_names);
  if (!f.histogram) {
    f.histogram.reset(new HistogramFamily(std::move(name), std::move(help), std::move(label_names),
                                          std::move(bounds)));
  } else {
    MOTCUA_CHECK(f.histogram->bounds_ == bounds);
  }
  return *f.histogram;
}

void Metrics::AddCallback(std::string name, std::string help, MetricType type,
                          std::vector<std::string> label_names,
                          std::function<std::vector<Sample>()> sample) {
  MOTCUA_CHECK(sample != nullptr);
  std::lock_guard lock(mu_);
  Family& f = Register(name, kCallbackKind, label_names);
  f.help = std::move(help);
  f.type = type;
  f.sample = std::move(sample);
}

void Metrics::AddCallbackGauge(std::string name, std::string help, std::function<double()> sample) {
  MOTCUA_CHECK(sample != nullptr);
  AddCallback(std::move(name), std::move(help), MetricType::kGauge, {},
              [sample = std::move(sample)] {
                return std::vector<Sample>{Sample{{}, sample()}};
              });
}

void Metrics::AddCallbackCounter(std::string name, std::string help,
                                 std::function<double()> sample) {
  MOTCUA_CHECK(sample != nullptr);
  AddCallback(std::move(name), std::move(help), MetricType::kCounter, {},
              [sample = std::move(sample)] {
                return std::vector<Sample>{Sample{{}, sample()}};
              });
}

std::string Metrics::Render() const {
  std::string out;
  std::lock_guard lock(mu_);
  for (const auto& f : families_) {
    if (f->kind == kCounterKind) {
      const CounterFamily& c = *f->counter;
      AppendHeader(out, c.name_, c.help_, "counter");
      std::lock_guard series_lock(c.mu_);
      for (const auto& [values, counter] : c.series_) {
        out += c.name_;
        AppendLabels(out, c.label_names_, values);
        out += ' ';
        out += std::to_string(counter->Value());
        out += '\n';
      }
    } else if (f->kind == kHistogramKind) {
      const HistogramFamily& h = *f->histogram;
      AppendHeader(out, h.name_, h.help_, "histogram");
      std::lock_guard series_lock(h.mu_);
      for (const auto& [values, histogram] : h.series_) {
        std::uint64_t cumulative = 0;
        for (std::size_t i = 0; i <= h.bounds_.size(); ++i) {
          cumulative += histogram->BucketCount(i);
          std::string le;
          if (i == h.bounds_.size()) {
            le = "+Inf";
          } else {
            AppendDouble(le, h.bounds_[i]);
          }
          out += h.name_;
          out += "_bucket";
          AppendLabels(out, h.label_names_, values, "le", le);
          out += ' ';
          out += std::to_string(cumulative);
          out += '\n';
        }
        out += h.name_;
        out += "_sum";
        AppendLabels(out, h.label_names_, values);
        out += ' ';
        AppendDouble(out, histogram->Sum());
        out += '\n';
        out += h.name_;
        out += "_count";
        AppendLabels(out, h.label_names_, values);
        out += ' ';
        out += std::to_string(cumulative);
        out += '\n';
      }
    } else {
      std::vector<Sample> samples;
      try {
        samples = f->sample();
      } catch (const std::exception& e) {
        log::Error("metrics callback failed", {{"metric", f->name}, {"error", e.what()}});
        continue;
      }
      AppendHeader(out, f->name, f->help, f->type == MetricType::kCounter ? "counter" : "gauge");
      for (const Sample& s : samples) {
        if (s.label_values.size() != f->label_names.size()) {
          log::Error("metrics callback returned wrong labels", {{"metric", f->name}});
          continue;
        }
        out += f->name;
        AppendLabels(out, f->label_names, s.label_values);
        out += ' ';
        AppendDouble(out, s.value);
        out += '\n';
      }
    }
  }
  return out;
}

}  // namespace motcua::http
