#include "http/pipeline.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <optional>
#include <stdexcept>
#include <vector>

namespace motcua::http {
namespace {

// Runs one request through a handler that answers synchronously.
Response Call(const Handler& handler, Request& req) {
  std::optional<Response> out;
  int calls = 0;
  handler(req, [&](Response res) {
    ++calls;
    out = std::move(res);
  });
  EXPECT_EQ(calls, 1);
  return out.value_or(Response{-1, {}, ""});
}

Request Get(std::string path) {
  Request req;
  req.method = "GET";
  req.target = path;
  req.path = std::move(path);
  req.remote_ip = "10.0.0.7";
  return req;
}

TEST(PipelineTest, MiddlewaresRunInOrderAndSeeTheRoute) {
  Router router;
  router.Add("GET", "/api/v1/units/{id}", [](Request& req, Responder respond) {
    respond(JsonResponse(200, {{"id", req.path_params.at("id")}}));
  });
  std::vector<std::string> seen;
  auto record = [&seen](std::string name) {
    return [&seen, name](Request& req, Responder respond, const Handler& next) {
      seen.push_back(name + ":" + (req.route ? req.route->pattern : "none"));
      next(req, std::move(respond));
    };
  };
  Metrics metrics;
  Handler root = BuildPipeline(router, {record("first"), record("second")}, metrics);
  Request req = Get("/api/v1/units/9");
  Response res = Call(root, req);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(seen,
            (std::vector<std::string>{"first:/api/v1/units/{id}", "second:/api/v1/units/{id}"}));
  EXPECT_EQ(res.Header("x-request-id")->size(), 16u);
}

TEST(PipelineTest, MiddlewareMayAnswerItselfAndIsStillCountedAndLogged) {
  Router router;
  bool reached = false;
  router.Add("GET", "/private", [&](Request&, Responder respond) {
    reached = true;
    respond(Response{});
  });
  Middleware deny = [](Request&, Responder respond, const Handler&) {
    respond(ErrorResponse(Error{Code::kUnauthenticated, "sign in first", {}}));
  };
  Metrics metrics;
  Handler root = BuildPipeline(router, {deny}, metrics);
  Request req = Get("/private");
  req.query.emplace("token", "SECRET-QUERY");
  req.target = "/private?token=SECRET-QUERY";
  req.headers.emplace_back("authorization", "Bearer SECRET-HEADER");
  req.request_id = "abc-1";
  testing::internal::CaptureStderr();
  Response res = Call(root, req);
  std::string log = testing::internal::GetCapturedStderr();
  EXPECT_EQ(res.status, 401);
  EXPECT_FALSE(reached);
  EXPECT_EQ(res.Header("x-request-id"), "abc-1");
  EXPECT_NE(metrics.Render().find("route=\"/private\",method=\"GET\",status=\"401\"} 1"),
            std::string::npos);

  // One access-log line with the route pattern, never the query or headers.
  auto line = boost::json::parse(log).as_object();
  EXPECT_EQ(line.at("msg").as_string(), "http request");
  EXPECT_EQ(line.at("route").as_string(), "/private");
  EXPECT_EQ(line.at("status").as_int64(), 401);
  EXPECT_EQ(line.at("remote_ip").as_string(), "10.0.0.7");
  EXPECT_EQ(line.at("request_id").as_string(), "abc-1");
  EXPECT_TRUE(line.contains("duration_us"));
  EXPECT_TRUE(line.contains("bytes"));
  EXPECT_EQ(log.find("SECRET"), std::string::npos) << log;
}

TEST(PipelineTest, ThrowingHandlerAnswers500Once) {
  Router router;
  router.Add("GET", "/boom",
             [](Request&, Responder) -> void { throw std::logic_error("db password is hunter2"); });
  router.Add("GET", "/answer-then-throw", [](Request&, Responder respond) {
    respond(Response{});
    throw std::logic_error("after answering");
  });
  Metrics metrics;
  Handler root = BuildPipeline(router, {}, metrics);
  testing::internal::CaptureStderr();
  Request boom = Get("/boom");
  Response res = Call(root, boom);
  Request late = Get("/answer-then-throw");
  Response first = Call(root, late);
  testing::internal::GetCapturedStderr();
  EXPECT_EQ(res.status, 500);
  EXPECT_EQ(res.body.find("hunter2"), std::string::npos);
  EXPECT_EQ(first.status, 200);
}

TEST(PipelineTest, NoRouteGives404And405) {
  Router router;
  router.Add("GET", "/things", [](Request&, Responder respond) { respond(Response{}); });
  router.Add("POST", "/things", [](Request&, Responder respond) { respond(Response{}); });
  Metrics metrics;
  Handler root = BuildPipeline(router, {}, metrics);
  testing::internal::CaptureStderr();
  Request missing = Get("/other");
  Response not_found = Call(root, missing);
  Request put = Get("/things");
  put.method = "PUT";
  Response not_allowed = Call(root, put);
  testing::internal::GetCapturedStderr();
  EXPECT_EQ(not_found.status, 404);
  EXPECT_EQ(not_allowed.status, 405);
  EXPECT_EQ(not_allowed.Header("allow"), "GET, HEAD, POST");
}

}  // namespace
}  // namespace motcua::http
