#include "http/system_routes.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "http/pipeline.hpp"
#include "http/server.hpp"
#include "http/test_client.hpp"

namespace motcua::http {
namespace {

class SystemRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RegisterSystemRoutes(router_, metrics_);
    router_.Add("GET", "/api/v1/units/{id}", [](Request&, Responder respond) {
      respond(JsonResponse(200, {{"ok", true}}));
    });
    metrics_.AddCallbackGauge("motcua_test_database_seconds", "Time spent in the database.",
                              [] { return 1.5; });
    ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.threads = 1;
    server_ = std::make_unique<Server>(options, BuildPipeline(router_, {}, metrics_));
    ASSERT_TRUE(server_->Start().has_value());
  }

  Router router_;
  Metrics metrics_;
  std::unique_ptr<Server> server_;
};

TEST_F(SystemRoutesTest, HealthzIsPlainOk) {
  TestClient client(server_->port());
  Response res = client.Send("GET", "/healthz");
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, "ok");
  EXPECT_EQ(res.Header("content-type"), "text/plain; charset=utf-8");
}

TEST_F(SystemRoutesTest, MetricsCountRequestsByRoutePattern) {
  TestClient client(server_->port());
  for (int id : {1, 2, 3})
    ASSERT_EQ(client.Send("GET", "/api/v1/units/" + std::to_string(id)).status, 200);
  ASSERT_EQ(client.Send("GET", "/no/such/thing").status, 404);
  ASSERT_EQ(client.Send("POST", "/healthz").status, 405);

  Response res = client.Send("GET", "/metrics");
  ASSERT_EQ(res.status, 200);
  EXPECT_EQ(res.Header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  const std::string& text = res.body;
  EXPECT_NE(text.find("# TYPE motcua_http_requests_total counter"), std::string::npos) << text;
  EXPECT_NE(text.find("motcua_http_requests_total{route=\"/api/v1/units/"
                      "{id}\",method=\"GET\",status=\"200\"} 3\n"),
            std::string::npos)
      << text;
  EXPECT_NE(
      text.find(
          "motcua_http_requests_total{route=\"(unmatched)\",method=\"GET\",status=\"404\"} 1\n"),
      std::string::npos)
      << text;
  EXPECT_NE(
      text.find(
          "motcua_http_requests_total{route=\"(unmatched)\",method=\"POST\",status=\"405\"} 1\n"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("motcua_http_request_duration_seconds_count{route=\"/api/v1/units/"
                      "{id}\",method=\"GET\",status=\"2xx\"} 3\n"),
            std::string::npos)
      << text;
  EXPECT_NE(
      text.find(
          "motcua_http_request_duration_seconds_bucket{route=\"/api/v1/units/{id}\",method=\"GET\","
          "status=\"2xx\",le=\"+Inf\"} 3\n"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("motcua_test_database_seconds 1.5\n"), std::string::npos) << text;
  // Raw paths never become labels.
  EXPECT_EQ(text.find("/api/v1/units/1"), std::string::npos);
  EXPECT_EQ(text.find("/no/such/thing"), std::string::npos);
}

TEST_F(SystemRoutesTest, OpenApiIsServedAsBuiltFromApiOpenapiJson) {
  TestClient client(server_->port());
  Response res = client.Send("GET", "/api/v1/openapi.json");
  ASSERT_EQ(res.status, 200);
  EXPECT_EQ(res.Header("content-type"), "application/json");
  auto doc = boost::json::parse(res.body).as_object();
  EXPECT_EQ(doc.at("openapi").as_string(), "3.0.3");
  EXPECT_EQ(doc.at("info").as_object().at("title").as_string(), "motcua");
  EXPECT_TRUE(doc.at("components").as_object().at("schemas").as_object().contains("Error"));

  const char* source_dir = std::getenv("MOTCUA_SOURCE_DIR");
  std::ifstream file(std::string(source_dir ? source_dir : ".") + "/api/openapi.json");
  ASSERT_TRUE(file.good());
  std::stringstream on_disk;
  on_disk << file.rdbuf();
  EXPECT_EQ(res.body, on_disk.str());
}

TEST_F(SystemRoutesTest, EverySystemRouteIsDocumented) {
  auto doc = boost::json::parse(EmbeddedOpenApiJson()).as_object();
  const auto& paths = doc.at("paths").as_object();
  Router system;
  Metrics metrics;
  RegisterSystemRoutes(system, metrics);
  for (const Route& route : system.routes()) {
    std::string method = route.method;
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    ASSERT_TRUE(paths.contains(route.pattern)) << route.pattern;
    EXPECT_TRUE(paths.at(route.pattern).as_object().contains(method))
        << route.method << " " << route.pattern;
  }
}

}  // namespace
}  // namespace motcua::http
