#include "core/dossier/event_payloads.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace motcua::dossier {
namespace {

namespace json = boost::json;

json::value ReadJson(const std::string& path) {
  const char* src = std::getenv("MOTCUA_SOURCE_DIR");
  std::ifstream in(std::filesystem::path(src ? src : ".") / path);
  std::stringstream s;
  s << in.rdbuf();
  boost::system::error_code ec;
  json::value v = json::parse(s.str(), ec);
  EXPECT_FALSE(ec) << path << ": " << ec.message();
  return v;
}

json::value Golden() { return ReadJson("tests/golden/events/payloads.json"); }

// Whether `v` is what an OpenAPI schema's "type" says, the keys of an object
// within its properties and its required keys there; problems are appended.
void CheckAgainst(const json::value& v, const json::object& schema, const std::string& where,
                  std::vector<std::string>& problems) {
  const std::string type =
      schema.contains("type") ? std::string(schema.at("type").as_string()) : "";
  const bool ok = type.empty() || (type == "object" && v.is_object()) ||
                  (type == "array" && v.is_array()) || (type == "string" && v.is_string()) ||
                  (type == "integer" && v.is_int64()) || (type == "boolean" && v.is_bool());
  if (!ok) return problems.push_back(where + ": not of type " + type);
  if (schema.contains("enum")) {
    bool listed = false;
    for (const auto& e : schema.at("enum").as_array()) listed = listed || e == v;
    if (!listed) problems.push_back(where + ": " + json::serialize(v) + " not in its enum");
  }
  if (v.is_object() && schema.contains("properties")) {
    const auto& properties = schema.at("properties").as_object();
    for (const auto& [key, value] : v.as_object()) {
      if (!properties.contains(key))
        problems.push_back(where + "." + std::string(key) + ": not in the schema");
      else
        CheckAgainst(value, properties.at(key).as_object(), where + "." + std::string(key),
                     problems);
    }
    if (schema.contains("required"))
      for (const auto& key : schema.at("required").as_array())
        if (!v.as_object().contains(key.as_string()))
          problems.push_back(where + ": no " + std::string(key.as_string()));
  }
  if (v.is_array() && schema.contains("items"))
    for (std::size_t i = 0; i < v.as_array().size(); ++i)
      CheckAgainst(v.as_array()[i], schema.at("items").as_object(),
                   where + "[" + std::to_string(i) + "]", problems);
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

// The API's history writes each event's details from its type: the OpenAPI
// document describes each kind, and every example of the golden file is
// what the schema of its kind says (keys, types, enums, required keys).
TEST(EventPayloadsTest, TheOpenApiDocumentDescribesEveryKind) {
  const json::value api = ReadJson("api/openapi.json");
  const auto& schemas = api.at("components").at("schemas").as_object();
  const char* kSchemaOf[] = {"SubmitEventDetails",        "ActionEventDetails",
                             "ApologyEventDetails",       "RatingEventDetails",
                             "ResultDraftedEventDetails", "ResultSignedEventDetails",
                             "NationalSyncedEventDetails"};
  static_assert(std::size(kSchemaOf) == std::variant_size_v<EventPayload>);
  std::vector<std::string> problems;
  const json::value golden = Golden();
  for (const auto& c : golden.at("good").as_array()) {
    const std::string action(c.at("action").as_string());
    auto parsed = ParsePayload(action, json::serialize(c.at("payload")));
    ASSERT_TRUE(parsed) << action;
    const char* name = kSchemaOf[parsed->index()];
    ASSERT_TRUE(schemas.contains(name)) << name;
    CheckAgainst(json::parse(ToJson(*parsed)), schemas.at(name).as_object(), action, problems);
  }
  std::string all;
  for (const auto& p : problems) all += p + "\n";
  EXPECT_TRUE(problems.empty()) << all;
  // The history's details name each of them.
  const auto& details = schemas.at("DossierEvent").at("properties").at("details");
  EXPECT_EQ(details.at("oneOf").as_array().size(), std::size(kSchemaOf));
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
  // The portal's first acknowledgement is its own kind, not a workflow action
  // (the statistics' replay counts it as synced and moves no state).
  auto synced = ParsePayloadAs<NationalSyncedPayload>("national_synced",
                                                      R"({"partner":"dvcqg","version":7})");
  ASSERT_TRUE(synced) << synced.error().message;
  EXPECT_EQ(synced->partner, "dvcqg");
  EXPECT_EQ(synced->version, 7);
  EXPECT_EQ(ToJson(*synced), R"({"partner":"dvcqg","version":7})");
  EXPECT_FALSE(
      ParsePayloadAs<ActionPayload>("national_synced", R"({"partner":"dvcqg","version":7})"));
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
