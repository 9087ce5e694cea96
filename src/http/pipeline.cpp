#include "http/pipeline.hpp"

#include <array>
#include <atomic>
#include <chrono>
#include <exception>
#include <functional>
#include <memory>

#include "common/log.hpp"
#include "http/internal/text.hpp"

namespace motcua::http {
namespace {

// From 0.5 ms (a cached read, /healthz) to 10 s (a large export): most
// requests should land in the low buckets, where SQLite group commit adds a
// few milliseconds, and anything beyond a second is worth seeing separately.
// Fourteen buckets keep the series count per route modest.
const std::vector<double> kDurationBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                              0.1,    0.25,  0.5,    1,     2.5,  5,     10};

// Statuses 100..599 are counted through a per-route table of pointers, so the
// hot path takes no lock once a (route, status) pair has been seen.
constexpr int kMinStatus = 100;
constexpr int kMaxStatus = 599;

class HttpMetrics {
 public:
  HttpMetrics(const Router& router, Metrics& metrics)
      : routes_(router.routes().data()),
        requests_(metrics.AddCounter("motcua_http_requests_total", "HTTP requests answered.",
                                     {"route", "method", "status"})),
        duration_(
            metrics.AddHistogram("motcua_http_request_duration_seconds",
                                 "Time from the request read to the response handed to the server.",
                                 {"route", "method", "status"}, kDurationBuckets)),
        series_(std::make_unique<RouteSeries[]>(router.routes().size())),
        route_count_(router.routes().size()) {}

  void Record(const Request& req, int status, double seconds) {
    RouteSeries* s = SeriesFor(req);
    if (s == nullptr || status < kMinStatus || status > kMaxStatus) {
      std::string route = req.route ? req.route->pattern : std::string(kUnmatchedRoute);
      requests_.WithLabels({route, req.method, std::to_string(status)}).Inc();
      duration_.WithLabels({route, req.method, StatusClass(status)}).Observe(seconds);
      return;
    }
    std::atomic<Counter*>& slot = s->by_status[static_cast<std::size_t>(status - kMinStatus)];
    Counter* counter = slot.load(std::memory_order_acquire);
    if (counter == nullptr) {
      counter =
          &requests_.WithLabels({req.route->pattern, req.route->method, std::to_string(status)});
      slot.store(counter, std::memory_order_release);
    }
    counter->Inc();
    std::atomic<Histogram*>& hslot =
        s->duration_by_class[static_cast<std::size_t>(status / 100 - 1)];
    Histogram* histogram = hslot.load(std::memory_order_acquire);
    if (histogram == nullptr) {
      histogram =
          &duration_.WithLabels({req.route->pattern, req.route->method, StatusClass(status)});
      hslot.store(histogram, std::memory_order_release);
    }
    histogram->Observe(seconds);
  }

  // Latency is labelled by status class, not by exact status: a 401 and a
  // 403 cost the same, and fourteen buckets per exact status per route would
  // multiply the series for nothing.
  static std::string StatusClass(int status) {
    if (status < kMinStatus || status > kMaxStatus) return "other";
    return std::to_string(status / 100) + "xx";
  }

 private:
  struct RouteSeries {
    std::array<std::atomic<Histogram*>, 5> duration_by_class{};  // 1xx..5xx
    std::array<std::atomic<Counter*>, kMaxStatus - kMinStatus + 1> by_status{};
  };

  // The pre-registered series of the matched route, if the request's method
  // is the route's own (HEAD served by a GET route goes the slow way).
  RouteSeries* SeriesFor(const Request& req) {
    if (req.route == nullptr || req.route->method != req.method) return nullptr;
    // Not every route is in the table (the router's fallback is not):
    // std::less orders any two pointers.
    std::less<const Route*> before;
    if (before(req.route, routes_) || !before(req.route, routes_ + route_count_)) return nullptr;
    return &series_[static_cast<std::size_t>(req.route - routes_)];
  }

  const Route* routes_;
  CounterFamily& requests_;
  HistogramFamily& duration_;
  std::unique_ptr<RouteSeries[]> series_;
  std::size_t route_count_;
};

// What the pipeline knows of one request while it is in flight.
struct Exchange {
  Request* req;
  Responder respond;
  std::chrono::steady_clock::time_point start;
  std::atomic<bool> done{false};
};

struct Pipeline {
  const Router& router;
  std::vector<Middleware> middlewares;
  HttpMetrics metrics;

  // Runs middleware i, or the route when past the last one.
  void Step(std::size_t i, Request& req, Responder respond) const {
    if (i == middlewares.size()) {
      if (req.route != nullptr) {
        req.route->handler(req, std::move(respond));
        return;
      }
      Match match = router.Find(req);
      respond(NoRouteResponse(req, match));
      return;
    }
    Handler next = [this, i](Request& r, Responder n) { Step(i + 1, r, std::move(n)); };
    middlewares[i](req, std::move(respond), next);
  }

  void Finish(Exchange& ex, Response res) {
    if (ex.done.exchange(true)) return;
    const Request& req = *ex.req;
    res.SetHeader("x-request-id", req.request_id);
    auto elapsed = std::chrono::steady_clock::now() - ex.start;
    double seconds = std::chrono::duration<double>(elapsed).count();
    metrics.Record(req, res.status, seconds);
    if (log::Enabled(log::Level::kInfo)) {
      log::Info(
          "http request",
          {{"method", req.method},
           {"route", req.route ? std::string_view(req.route->pattern) : kUnmatchedRoute},
           {"status", res.status},
           {"duration_us", std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count()},
           {"bytes", res.body.size()},
           {"remote_ip", req.remote_ip},
           {"request_id", req.request_id}});
    }
    ex.respond(std::move(res));
  }
};

}  // namespace

Handler BuildPipeline(const Router& router, std::vector<Middleware> middlewares, Metrics& metrics) {
  auto pipeline = std::make_shared<Pipeline>(
      Pipeline{router, std::move(middlewares), HttpMetrics(router, metrics)});
  return [pipeline](Request& req, Responder respond) {
    auto ex = std::make_shared<Exchange>();
    ex->req = &req;
    ex->respond = std::move(respond);
    ex->start = std::chrono::steady_clock::now();
    if (!internal::IsSaneRequestId(req.request_id)) req.request_id = internal::NewRequestId();
    Match match = pipeline->router.Find(req);
    req.route = match.route;
    Responder wrapped = [pipeline, ex](Response res) { pipeline->Finish(*ex, std::move(res)); };
    try {
      pipeline->Step(0, req, wrapped);
    } catch (const std::exception& e) {
      log::Error("handler threw", {{"request_id", req.request_id}, {"error", e.what()}});
      pipeline->Finish(*ex, ErrorResponse(Error{Code::kInternal, e.what(), {}}));
    } catch (...) {
      log::Error("handler threw", {{"request_id", req.request_id}, {"error", "unknown exception"}});
      pipeline->Finish(*ex, ErrorResponse(Error{Code::kInternal, "unknown exception", {}}));
    }
  };
}

}  // namespace motcua::http
