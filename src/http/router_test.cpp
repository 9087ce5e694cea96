#include "http/router.hpp"

#include <gtest/gtest.h>

namespace motcua::http {
namespace {

Handler Named(std::string name) {
  return [name](Request&, Responder respond) {
    Response res;
    res.body = name;
    respond(std::move(res));
  };
}

Request Make(std::string method, std::string path) {
  Request req;
  req.method = std::move(method);
  req.path = std::move(path);
  return req;
}

TEST(RouterTest, LiteralSegmentBeatsParameterWhateverTheOrderOfAdding) {
  Router router;
  router.Add("GET", "/api/v1/units/{id}", Named("by id"));
  router.Add("GET", "/api/v1/units/tree", Named("tree"));
  Request tree = Make("GET", "/api/v1/units/tree");
  Match m = router.Find(tree);
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/api/v1/units/tree");
  EXPECT_TRUE(tree.path_params.empty());

  Request one = Make("GET", "/api/v1/units/17");
  m = router.Find(one);
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/api/v1/units/{id}");
  EXPECT_EQ(one.path_params.at("id"), "17");
}

TEST(RouterTest, ParametersNeverMatchEmptySegments) {
  Router router;
  router.Add("GET", "/dossiers/{code}/events", Named("events"));
  for (const char* path :
       {"/dossiers//events", "/dossiers/events", "/dossiers/x/events/", "/dossiers/x"}) {
    Request req = Make("GET", path);
    EXPECT_EQ(router.Find(req).route, nullptr) << path;
  }
}

TEST(RouterTest, WrongMethodListsAllowedMethods) {
  Router router;
  router.Add("GET", "/dossiers/{code}", Named("get"));
  router.Add("DELETE", "/dossiers/{code}", Named("delete"));
  router.Add("POST", "/dossiers", Named("create"));
  Request req = Make("PUT", "/dossiers/abc");
  Match m = router.Find(req);
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(m.allowed_methods, (std::vector<std::string>{"DELETE", "GET", "HEAD"}));
  Response res = NoRouteResponse(req, m);
  EXPECT_EQ(res.status, 405);
  EXPECT_EQ(res.Header("allow"), "DELETE, GET, HEAD");

  Request none = Make("GET", "/elsewhere");
  Match miss = router.Find(none);
  EXPECT_TRUE(miss.allowed_methods.empty());
  EXPECT_EQ(NoRouteResponse(none, miss).status, 404);
}

TEST(RouterTest, HeadIsServedByGetRoutes) {
  Router router;
  router.Add("GET", "/healthz", Named("health"));
  Request req = Make("HEAD", "/healthz");
  Match m = router.Find(req);
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->method, "GET");
}

TEST(RouterTest, MethodDecidesBetweenPatternsOfEqualShape) {
  Router router;
  router.Add("GET", "/units/tree", Named("tree"));
  router.Add("DELETE", "/units/{id}", Named("delete"));
  Request req = Make("DELETE", "/units/tree");
  Match m = router.Find(req);
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/units/{id}");
  EXPECT_EQ(req.path_params.at("id"), "tree");
}

TEST(RouterTest, TheFallbackTakesUnmatchedPageRequestsOnly) {
  Router router;
  router.Add("GET", "/api/v1/units", Named("units"));
  router.Add("POST", "/api/v1/dossiers", Named("submit"));
  router.SetFallback(Named("web"));
  auto route_of = [&](std::string method, std::string path) -> std::string {
    Request req = Make(std::move(method), std::move(path));
    Match m = router.Find(req);
    return m.route ? m.route->pattern : "none";
  };
  EXPECT_EQ(route_of("GET", "/tra-cuu"), kFallbackRoute);
  EXPECT_EQ(route_of("HEAD", "/can-bo/ho-so/12"), kFallbackRoute);
  EXPECT_EQ(route_of("GET", "/"), kFallbackRoute);
  EXPECT_EQ(route_of("GET", "/api/v1/units"), "/api/v1/units");
  // The API's unknown paths stay JSON 404s, and other methods are not pages.
  EXPECT_EQ(route_of("GET", "/api/v1/nothing"), "none");
  EXPECT_EQ(route_of("GET", "/api"), "none");
  EXPECT_EQ(route_of("POST", "/tra-cuu"), "none");
  // A path with routes under other methods stays a 405.
  EXPECT_EQ(route_of("GET", "/api/v1/dossiers"), "none");
  EXPECT_TRUE(router.routes().size() == 2);
}

TEST(RouterDeathTest, DuplicateRouteIsAProgrammingError) {
  Router router;
  router.Add("GET", "/a", Named("a"));
  EXPECT_DEATH(router.Add("GET", "/a", Named("again")), "CHECK failed");
  EXPECT_DEATH(router.Add("GET", "/b/{unclosed", Named("bad")), "CHECK failed");
}

}  // namespace
}  // namespace motcua::http
