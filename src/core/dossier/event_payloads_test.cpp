#include "core/dossier/event_payloads.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace motcua::dossier {
namespace {

namespace json = boost::json;

json::value Golden() {
  const char* src = std::getenv("MOTCUA_SOURCE_DIR");
  std::ifstream in(std::filesystem::path(src ? src : ".") / "tests/golden/events/payloads.json");
  std::stringstream s;
  s << in.rdbuf();
  boost::system::error_code ec;
  json::value v = json::parse(s.str(), ec);
  EXPECT_FALSE(ec) << "tests/golden/events/payloads.json: " << ec.message();
  return v;
}

TEST(EventPayloadsTest, EveryKindReadsBackAndWritesTheSameBytes) {
  const json::value golden = Golden();
  ASSERT_TRUE(golden.is_object());
  int kinds_seen = 0;
  for (const auto& c : golden.at("good").as_array()) {
    const std::string action(c.at("action").as_string());
    const std::string text = json::serialize(c.at("payload"));
    auto parsed = ParsePayload(action, text);
    ASSERT_TRUE(parsed) << action << ": " << parsed.error().message;
    EXPECT_EQ(ToJson(*parsed), text) << action;
    kinds_seen |= 1 << parsed->index();
  }
  EXPECT_EQ(kinds_seen, (1 << std::variant_size_v<EventPayload>)-1) << "a kind has no example";
}

TEST(EventPayloadsTest, WhatTheReadersNeedIsTyped) {
  auto supplement = ParsePayloadAs<ActionPayload>(
      "request_supplement",
      R"({"reason":"Thiếu giấy tờ","items":[{"description":"Giấy ủy quyền"}],"closed_step_timeliness":"on_time"})");
  ASSERT_TRUE(supplement);
  EXPECT_EQ(supplement->reason, "Thiếu giấy tờ");
  ASSERT_EQ(supplement->items.size(), 1u);
  EXPECT_EQ(supplement->items[0].description, "Giấy ủy quyền");
  EXPECT_FALSE(supplement->items[0].component_code);
  EXPECT_EQ(supplement->closed_step_timeliness, Timeliness::kOnTime);
  auto apology = ParsePayloadAs<ApologyPayload>(
      "apology",
      R"({"reason":"x","previous_due_at":"2026-12-07T08:30:00+07:00","new_due_at":"2026-12-10T10:00:00Z"})");
  ASSERT_TRUE(apology);
  EXPECT_EQ(calendar::FormatMoment(apology->new_due_at), "2026-12-10T17:00:00+07:00");
  // A key a newer version added is no reason to refuse a stored event.
  EXPECT_TRUE(
      ParsePayloadAs<RatingPayload>("rated", R"({"level":2,"by":"account","channel":"zalo"})"));
  // The kind follows from the action.
  EXPECT_FALSE(ParsePayloadAs<RatingPayload>("approve", "{}"));
  EXPECT_FALSE(ParsePayload("approve", "[1,2]"));
  EXPECT_FALSE(ParsePayload("approve", "not json"));
}

TEST(EventPayloadsTest, ABadPayloadIsRefusedNamingItsKey) {
  const json::value golden = Golden();
  ASSERT_TRUE(golden.is_object());
  for (const auto& c : golden.at("bad").as_array()) {
    const std::string action(c.at("action").as_string());
    auto parsed = ParsePayload(action, json::serialize(c.at("payload")));
    ASSERT_FALSE(parsed) << action << " " << json::serialize(c.at("payload"));
    EXPECT_EQ(parsed.error().code, Code::kInvalidArgument);
    const std::string field(c.at("field").as_string());
    bool named = false;
    for (const auto& [k, v] : parsed.error().fields) named = named || k == field;
    EXPECT_TRUE(named) << action << ": " << parsed.error().message << " should name " << field;
  }
}

}  // namespace
}  // namespace motcua::dossier
