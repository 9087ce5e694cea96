// Issue 19, item 4: security headers on every answer. Every route of the
// App, anonymous (so most answers are 401, 403, 404 or 400: the error paths
// matter as much as the pages), the web fallback, and the answers the server
// itself gives before any route (a malformed request, headers too large, a
// body too large) carry nosniff, frame denial (X-Frame-Options and the
// policy's frame-ancestors), a referrer policy and a content security
// policy; behind a trusted proxy that says https, every one also carries
// HSTS, and over plain HTTP none does.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app/internal/test_province.hpp"
#include "common/clock.hpp"

namespace motcua::app {
namespace {

// "/api/v1/dossiers/{id}/actions/{action}" with every parameter "1".
std::string Filled(const std::string& pattern) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{') {
      out += "1";
      i = pattern.find('}', i);
    } else {
      out += pattern[i];
    }
  }
  return out;
}

void ExpectSecure(const http::Response& r, const std::string& what, bool tls) {
  EXPECT_EQ(r.Header("x-content-type-options"), "nosniff") << what;
  EXPECT_EQ(r.Header("x-frame-options"), "DENY") << what;
  EXPECT_EQ(r.Header("referrer-policy"), "strict-origin-when-cross-origin") << what;
  auto csp = r.Header("content-security-policy");
  ASSERT_TRUE(csp.has_value()) << what;
  EXPECT_NE(csp->find("default-src 'self'"), std::string::npos) << what << ": " << *csp;
  EXPECT_NE(csp->find("frame-ancestors 'none'"), std::string::npos) << what << ": " << *csp;
  if (tls)
    EXPECT_EQ(r.Header("strict-transport-security"), "max-age=31536000") << what;
  else
    EXPECT_FALSE(r.Header("strict-transport-security").has_value()) << what;
}

class SecurityHeadersTest : public ::testing::TestWithParam<bool> {};

TEST_P(SecurityHeadersTest, EveryAnswerCarriesTheSecurityHeaders) {
  const bool tls = GetParam();
  FakeClock clock(std::chrono::sys_days{std::chrono::year{2026} / 12 / 2} + std::chrono::hours(1));
  internal::TestProvince province;
  http::ServerOptions server;
  server.trusted_proxies = {"127.0.0.1"};
  ASSERT_TRUE(province.Start(::testing::UnitTest::GetInstance()->current_test_info()->name(), clock,
                             {.catalogue = true, .server = server}));
  http::Headers proxy = {{"x-forwarded-for", "203.0.113.7"},
                         {"x-forwarded-proto", tls ? "https" : "http"}};
  http::TestClient& client = province.client();
  int answers = 0;
  for (const auto& route : province.app().router().routes()) {
    http::Headers h = proxy;
    std::string body;
    if (route.method == "POST" || route.method == "PUT" || route.method == "PATCH") {
      h.emplace_back("content-type", "application/json");
      body = "{}";
    }
    auto r = client.Send(route.method, Filled(route.pattern), body, h);
    ExpectSecure(r, route.method + " " + route.pattern + " (" + std::to_string(r.status) + ")",
                 tls);
    ++answers;
  }
  for (const char* target : {"/", "/tra-cuu", "/no/such/page", "/api/v1/no-such-route"}) {
    ExpectSecure(client.Send("GET", target, "", proxy), target, tls);
    ++answers;
  }
  ExpectSecure(client.Send("DELETE", "/healthz", "", proxy), "405", tls);
  // Answers of the server itself, before any route.
  const std::string forwarded = std::string("X-Forwarded-For: 203.0.113.7\r\nX-Forwarded-Proto: ") +
                                (tls ? "https" : "http") + "\r\n";
  struct Raw {
    std::string what, bytes;
    int status;
  };
  for (const Raw& raw : std::vector<Raw>{
           {"a header too large",
            "GET /healthz HTTP/1.1\r\nHost: x\r\n" + forwarded +
                "X-Big: " + std::string(64 * 1024, 'a') + "\r\n\r\n",
            431},
           {"a body too large",
            "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\n" + forwarded +
                "Content-Type: application/json\r\nContent-Length: 999999999\r\n\r\n",
            413},
           {"a target outside the origin form",
            "GET http://evil.example/ HTTP/1.1\r\nHost: x\r\n" + forwarded + "\r\n", 400},
       }) {
    http::TestClient fresh(province.server().port());
    auto r = fresh.SendRaw(raw.bytes);
    EXPECT_EQ(r.status, raw.status) << raw.what << ": " << r.body;
    // The proxy's headers may not have been read when the request was
    // refused early (headers too large): HSTS then depends on what was read.
    if (raw.status == 431) {
      EXPECT_EQ(r.Header("x-content-type-options"), "nosniff") << raw.what;
      EXPECT_EQ(r.Header("x-frame-options"), "DENY") << raw.what;
      EXPECT_TRUE(r.Header("content-security-policy").has_value()) << raw.what;
    } else {
      ExpectSecure(r, raw.what, tls);
    }
    ++answers;
  }
  std::cout << answers << " answers checked (" << (tls ? "behind TLS" : "plain HTTP") << ")\n";
}

INSTANTIATE_TEST_SUITE_P(Transports, SecurityHeadersTest, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "BehindTls" : "PlainHttp"; });

}  // namespace
}  // namespace motcua::app
