#include "http/static_files.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>

#include "http/server.hpp"
#include "http/test_client.hpp"

namespace motcua::http {
namespace {

namespace fs = std::filesystem;

void WriteFile(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

// dir/secret.txt sits next to the web root dir/www, which must never leak it.
class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = (fs::temp_directory_path() / "motcua-static-XXXXXX").string();
    ASSERT_NE(mkdtemp(templ.data()), nullptr);
    dir_ = templ;
    root_ = dir_ / "www";
    WriteFile(dir_ / "secret.txt", "TOP SECRET");
    WriteFile(root_ / "index.html", "<!doctype html><title>motcua</title>");
    WriteFile(root_ / "assets" / "app-3f2a9c.js", "console.log('plain')");
    WriteFile(root_ / "assets" / "app-3f2a9c.js.gz", "GZIPPED-BYTES");
    WriteFile(root_ / "assets" / "style-77aa.css", "body{}");
    WriteFile(root_ / "favicon.svg", "<svg/>");
    WriteFile(root_ / ".env", "PASSWORD=x");
    WriteFile(root_ / "docs" / "index.html", "<p>docs</p>");
    fs::create_symlink(dir_ / "secret.txt", root_ / "escape.txt");
    fs::create_symlink(root_ / "favicon.svg", root_ / "alias.svg");
    ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.threads = 1;
    server_ = std::make_unique<Server>(options, StaticFiles(root_.string()));
    ASSERT_TRUE(server_->Start().has_value());
  }

  void TearDown() override {
    server_.reset();
    fs::remove_all(dir_);
  }

  Response Get(const std::string& target, Headers headers = {}) {
    TestClient client(server_->port());
    return client.Send("GET", target, "", std::move(headers));
  }

  fs::path dir_, root_;
  std::unique_ptr<Server> server_;
};

TEST_F(StaticFilesTest, ServesFilesWithTypesAndCaching) {
  Response index = Get("/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.body, "<!doctype html><title>motcua</title>");
  EXPECT_EQ(index.Header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(index.Header("cache-control"), "no-cache");

  Response css = Get("/assets/style-77aa.css");
  EXPECT_EQ(css.status, 200);
  EXPECT_EQ(css.Header("content-type"), "text/css; charset=utf-8");
  EXPECT_EQ(css.Header("cache-control"), "public, max-age=31536000, immutable");

  Response svg = Get("/favicon.svg");
  EXPECT_EQ(svg.Header("content-type"), "image/svg+xml");
  EXPECT_EQ(svg.Header("cache-control"), "public, max-age=3600");

  EXPECT_EQ(Get("/docs/").body, "<p>docs</p>");
  EXPECT_EQ(Get("/docs").body, "<p>docs</p>");
  EXPECT_EQ(Get("/alias.svg").body, "<svg/>");  // a symlink that stays inside the root
}

TEST_F(StaticFilesTest, PrecompressedVariantOnlyForClientsAcceptingGzip) {
  Response gz = Get("/assets/app-3f2a9c.js", {{"accept-encoding", "br, gzip;q=0.8"}});
  EXPECT_EQ(gz.status, 200);
  EXPECT_EQ(gz.body, "GZIPPED-BYTES");
  EXPECT_EQ(gz.Header("content-encoding"), "gzip");
  EXPECT_EQ(gz.Header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(gz.Header("vary"), "Accept-Encoding");

  for (Headers headers :
       {Headers{}, Headers{{"accept-encoding", "gzip;q=0"}}, Headers{{"accept-encoding", "br"}}}) {
    Response plain = Get("/assets/app-3f2a9c.js", headers);
    EXPECT_EQ(plain.body, "console.log('plain')");
    EXPECT_EQ(plain.Header("content-encoding"), std::nullopt);
    EXPECT_EQ(plain.Header("vary"), "Accept-Encoding");
  }
}

TEST_F(StaticFilesTest, SinglePageAppRoutesFallBackToIndex) {
  Response route = Get("/ho-so/H12-250101-0001");
  EXPECT_EQ(route.status, 200);
  EXPECT_EQ(route.body, "<!doctype html><title>motcua</title>");
  EXPECT_EQ(route.Header("cache-control"), "no-cache");
  EXPECT_EQ(Get("/assets/missing-123.js").status, 404);  // an asset with an extension does not
  // Nor a scanner's guess at a leftover (wapiti: "backup file found").
  for (const char* guess : {"/tra-cuu.bak", "/tra-cuu~", "/tra-cuu.old", "/index.html.zip", "/m.db",
                            "/backup.tar.bz2", "/tra-cuu.7zip"})
    EXPECT_EQ(Get(guess).status, 404) << guess;
  EXPECT_EQ(Get("/thu-tuc/1.000894.000.00.00.H56").status, 200);  // a code's dots are not a type
  Response api = Get("/api/v1/nothing");
  EXPECT_EQ(api.status, 404);
  EXPECT_EQ(api.Header("content-type"), "application/json");
}

TEST_F(StaticFilesTest, AnAppsRoutesGetTheNearestIndexUpThePath) {
  WriteFile(root_ / "can-bo" / "index.html", "<p>staff</p>");
  EXPECT_EQ(Get("/can-bo/ho-so/12").body, "<p>staff</p>");
  EXPECT_EQ(Get("/can-bo/").body, "<p>staff</p>");
  EXPECT_EQ(Get("/can-bo").body, "<p>staff</p>");
  // A folder without an index of its own falls back past it.
  EXPECT_EQ(Get("/assets/routed/page").body, "<!doctype html><title>motcua</title>");
  EXPECT_EQ(Get("/tra-cuu").body, "<!doctype html><title>motcua</title>");
  // Dots that are not a file type's are part of the page's address.
  EXPECT_EQ(Get("/thu-tuc/1.000894.000.00.00.H56").body, "<!doctype html><title>motcua</title>");
  EXPECT_EQ(Get("/assets/gone-123.js").status, 404);
  EXPECT_EQ(Get("/assets/logo.PNG").status, 404);
}

TEST_F(StaticFilesTest, UnchangedFilesAreRevalidatedWithoutTheirBody) {
  Response first = Get("/index.html");
  ASSERT_EQ(first.status, 200);
  auto etag = first.Header("etag");
  ASSERT_TRUE(etag.has_value());
  Response again = Get("/tra-cuu", {{"if-none-match", std::string(*etag)}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(again.Header("etag"), *etag);
  EXPECT_EQ(again.Header("cache-control"), "no-cache");
  EXPECT_EQ(Get("/", {{"if-none-match", "W/\"other\", " + std::string(*etag)}}).status, 304);
  EXPECT_EQ(Get("/", {{"if-none-match", "W/\"other\""}}).status, 200);
  // The gzip variant is another representation, with its own tag.
  Response gz = Get("/assets/app-3f2a9c.js", {{"accept-encoding", "gzip"}});
  Response plain = Get("/assets/app-3f2a9c.js");
  EXPECT_NE(gz.Header("etag"), plain.Header("etag"));
  EXPECT_EQ(
      Get("/assets/app-3f2a9c.js", {{"if-none-match", std::string(*plain.Header("etag"))}}).status,
      304);
  // A changed file is a new version.
  WriteFile(root_ / "index.html", "<!doctype html><title>motcua 2</title>");
  fs::last_write_time(root_ / "index.html",
                      fs::last_write_time(root_ / "index.html") + std::chrono::seconds(5));
  Response changed = Get("/", {{"if-none-match", std::string(*etag)}});
  EXPECT_EQ(changed.status, 200);
  EXPECT_EQ(changed.body, "<!doctype html><title>motcua 2</title>");
}

TEST_F(StaticFilesTest, APageCarriesThePolicyWrittenBesideIt) {
  WriteFile(root_ / "index.html.csp", "default-src 'self'; script-src 'self' 'sha256-abc='\n");
  Response page = Get("/");
  EXPECT_EQ(page.Header("content-security-policy"),
            "default-src 'self'; script-src 'self' 'sha256-abc='");
  EXPECT_EQ(Get("/tra-cuu").Header("content-security-policy"),
            "default-src 'self'; script-src 'self' 'sha256-abc='");
  // Other pages keep the server's default.
  EXPECT_EQ(Get("/docs/").Header("content-security-policy"),
            "default-src 'self'; frame-ancestors 'none'");
  // A policy file that could split the header is ignored.
  WriteFile(root_ / "docs" / "index.html.csp", "default-src *\r\nX-Evil: 1");
  EXPECT_EQ(Get("/docs/").Header("content-security-policy"),
            "default-src 'self'; frame-ancestors 'none'");
}

TEST_F(StaticFilesTest, TraversalNeverEscapesTheRoot) {
  for (const char* target :
       {"/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt",
        "/assets/..%2f..%2fsecret.txt", "/assets/%2e%2e/%2e%2e/secret.txt", "/..%5csecret.txt",
        "/secret.txt%00.html", "/index.html%00", "/%c0%ae%c0%ae/secret.txt", "/escape.txt", "/.env",
        "/%2eenv", "//../secret.txt"}) {
    Response res = Get(target);
    EXPECT_NE(res.status, 200) << target;
    EXPECT_EQ(res.body.find("TOP SECRET"), std::string::npos) << target;
    EXPECT_EQ(res.body.find("PASSWORD"), std::string::npos) << target;
  }
}

TEST_F(StaticFilesTest, HandlerRefusesTraversalEvenWithoutTheServersChecks) {
  Handler handler = StaticFiles(root_.string());
  for (const char* path : {"/../secret.txt", "/assets/../../secret.txt", "/a\\..\\..\\secret.txt",
                           "/escape.txt", "/.env"}) {
    Request req;
    req.method = "GET";
    req.path = path;
    std::optional<Response> res;
    handler(req, [&](Response r) { res = std::move(r); });
    ASSERT_TRUE(res.has_value()) << path;
    EXPECT_EQ(res->body.find("TOP SECRET"), std::string::npos) << path;
    EXPECT_EQ(res->status, 404) << path;
  }
}

TEST_F(StaticFilesTest, OnlyGetAndHead) {
  TestClient client(server_->port());
  Response post = client.Send("POST", "/index.html", "x");
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(post.Header("allow"), "GET, HEAD");
  Response head = client.Send("HEAD", "/favicon.svg");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.Header("content-length"), "6");
  EXPECT_EQ(head.body, "");
}

}  // namespace
}  // namespace motcua::http
