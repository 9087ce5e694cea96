#include "http/message.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace motcua::http {
namespace {

TEST(ParseTargetTest, DecodesPathAndQuery) {
  Request req;
  ASSERT_TRUE(ParseTarget("/tra-cuu/h%E1%BB%93%20s%C6%A1?ma=H12%2B1&q=a+b&empty&q=second", &req)
                  .has_value());
  EXPECT_EQ(req.path, "/tra-cuu/hồ sơ");
  EXPECT_EQ(req.query.at("ma"), "H12+1");
  EXPECT_EQ(req.query.at("q"), "a b");  // the first of repeated keys wins
  EXPECT_EQ(req.query.at("empty"), "");
}

TEST(ParseTargetTest, RejectsWhatCouldEscapeOrConfuse) {
  struct Case {
    const char* target;
    const char* field;
  };
  for (Case c : {Case{"/a/../b", "path"}, Case{"/a/%2E%2E/b", "path"}, Case{"/./a", "path"},
                 Case{"/a/..", "path"}, Case{"/a%00b", "path"},
                 Case{"/a%0d%0aSet-Cookie:x", "path"}, Case{"/a%2fb", "path"}, Case{"/a%", "path"},
                 Case{"/a%4", "path"}, Case{"/a%g1", "path"}, Case{"/%c0%ae%c0%ae/", "path"},
                 Case{"/%ed%a0%80", "path"}, Case{"http://evil/", "path"}, Case{"*", "path"},
                 Case{"/a?x=%00", "query"}, Case{"/a?x=%zz", "query"}, Case{"/a?%ff=1", "query"}}) {
    Request req;
    auto status = ParseTarget(c.target, &req);
    ASSERT_FALSE(status.has_value()) << c.target;
    EXPECT_EQ(status.error().code, Code::kInvalidArgument) << c.target;
    EXPECT_EQ(status.error().fields.count(c.field), 1u) << c.target;
  }
  Request dots;
  ASSERT_TRUE(ParseTarget("/files/v1.2..3/a.b", &dots).has_value());  // dots inside a name are fine
  EXPECT_EQ(dots.path, "/files/v1.2..3/a.b");
}

TEST(RequestTest, CookieFindsTheNamedValue) {
  Request req;
  req.headers.emplace_back("cookie", "theme=dark; motcua_session=\"abc123\";  lang=vi");
  EXPECT_EQ(req.Cookie("motcua_session"), "abc123");
  EXPECT_EQ(req.Cookie("lang"), "vi");
  EXPECT_EQ(req.Cookie("session"), std::nullopt);
  EXPECT_EQ(req.Header("cookie").has_value(), true);
  EXPECT_EQ(req.Header("Cookie"), std::nullopt);  // lookups use the stored lower-case names
}

TEST(ResponseTest, SetHeaderReplacesAndAddHeaderAppends) {
  Response res;
  res.SetHeader("Cache-Control", "no-store");
  res.SetHeader("cache-control", "no-cache");
  res.AddHeader("Set-Cookie", "a=1");
  res.AddHeader("set-cookie", "b=2");
  EXPECT_EQ(res.Header("CACHE-CONTROL"), "no-cache");
  int cookies = 0, caches = 0;
  for (const auto& [name, value] : res.headers) {
    cookies += name == "set-cookie";
    caches += name == "cache-control";
  }
  EXPECT_EQ(cookies, 2);
  EXPECT_EQ(caches, 1);
}

TEST(ErrorResponseTest, BodyNamesCodeMessageAndFields) {
  Error error{Code::kInvalidArgument, "invalid name", {{"name", "is required"}}};
  Response res = ErrorResponse(error);
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(res.Header("content-type"), "application/json");
  auto body = boost::json::parse(res.body).as_object().at("error").as_object();
  EXPECT_EQ(body.at("code").as_string(), "invalid_argument");
  EXPECT_EQ(body.at("message").as_string(), "invalid name");
  EXPECT_EQ(body.at("fields").as_object().at("name").as_string(), "is required");
}

TEST(ErrorResponseTest, AnErrorThatSaysWhenToRetryGetsRetryAfter) {
  Error error{Code::kResourceExhausted, "too many", {}};
  EXPECT_FALSE(ErrorResponse(error).Header("retry-after"));
  error.retry_after = std::chrono::seconds(42);
  Response res = ErrorResponse(error);
  EXPECT_EQ(res.status, 429);
  EXPECT_EQ(res.Header("retry-after"), "42");
  error.retry_after = std::chrono::seconds(0);  // never "0": at least a second
  EXPECT_EQ(ErrorResponse(error).Header("retry-after"), "1");
}

TEST(ErrorResponseTest, InternalDetailsStayOutOfTheResponse) {
  Response res =
      ErrorResponse(Error{Code::kInternal, "sqlite: disk I/O error at /var/lib/motcua/db", {}});
  EXPECT_EQ(res.status, 500);
  EXPECT_EQ(res.body.find("sqlite"), std::string::npos);
}

TEST(HttpStatusTest, EveryCodeMapsToItsStatus) {
  EXPECT_EQ(HttpStatus(Code::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatus(Code::kUnauthenticated), 401);
  EXPECT_EQ(HttpStatus(Code::kPermissionDenied), 403);
  EXPECT_EQ(HttpStatus(Code::kNotFound), 404);
  EXPECT_EQ(HttpStatus(Code::kAlreadyExists), 409);
  EXPECT_EQ(HttpStatus(Code::kFailedPrecondition), 409);
  EXPECT_EQ(HttpStatus(Code::kAborted), 409);
  EXPECT_EQ(HttpStatus(Code::kPayloadTooLarge), 413);
  EXPECT_EQ(HttpStatus(Code::kResourceExhausted), 429);
  EXPECT_EQ(HttpStatus(Code::kUnavailable), 503);
  EXPECT_EQ(HttpStatus(Code::kInternal), 500);
}

}  // namespace
}  // namespace motcua::http
