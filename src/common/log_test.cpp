#include "common/log.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

namespace motcua::log {
namespace {

// The lines Write() sends to stderr while `fn` runs.
template <typename Fn>
std::string CaptureStderr(Fn fn) {
  char path[] = "/tmp/motcua_log_test_XXXXXX";
  int fd = ::mkstemp(path);
  EXPECT_GE(fd, 0);
  int saved = ::dup(STDERR_FILENO);
  ::dup2(fd, STDERR_FILENO);
  fn();
  ::dup2(saved, STDERR_FILENO);
  ::close(saved);
  ::close(fd);
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  std::remove(path);
  return text.str();
}

TEST(LogTest, OneJsonObjectPerLineWithTimeLevelMessageAndFields) {
  SetLevel(Level::kInfo);
  std::string out = CaptureStderr([] {
    Info("http request", {{"route", "/api/v1/lookup"},
                          {"status", 200},
                          {"ok", true},
                          {"ratio", 0.5},
                          {"none", nullptr},
                          {"nested", boost::json::object{{"a", 1}}},
                          {"msg", "not a second msg"},
                          {"note", "tên có \"dấu\"\n"}});
    Write(Level::kDebug, "hidden below the level");
  });
  ASSERT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
  boost::json::object line = boost::json::parse(out).as_object();
  EXPECT_TRUE(std::regex_match(std::string(line.at("ts").as_string()),
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")))
      << line.at("ts");
  EXPECT_EQ(line.at("level"), "info");
  EXPECT_EQ(line.at("msg"), "http request");  // a field cannot replace it
  EXPECT_EQ(line.at("route"), "/api/v1/lookup");
  EXPECT_EQ(line.at("status"), 200);
  EXPECT_EQ(line.at("ok"), true);
  EXPECT_EQ(line.at("ratio"), 0.5);
  EXPECT_TRUE(line.at("none").is_null());
  EXPECT_EQ(line.at("nested"), (boost::json::object{{"a", 1}}));
  EXPECT_EQ(line.at("note"), "tên có \"dấu\"\n");
  EXPECT_EQ(line.size(), 10u);
}

}  // namespace
}  // namespace motcua::log
