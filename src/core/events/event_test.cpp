#include "core/events/event.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

namespace motcua::events {
namespace {

using ::testing::HasSubstr;

StoredFields FirstEvent() {
  StoredFields f;
  f.seq = 1;
  f.prev_hash = kGenesisHash;
  f.aggregate_type = "dossier";
  f.aggregate_id = 42;
  f.occurred_at = "2025-03-14T02:15:00.000000Z";
  f.actor_id = 7;
  f.action = "accept";
  f.from_state = "received";
  f.to_state = "processing";
  f.payload = "{\"reason\":\"đủ hồ sơ\"}";
  return f;
}

// The expected hashes were computed by an independent implementation of the
// encoding documented in event.hpp (Python's hashlib), so a change of the
// encoding that would break existing logs fails here.
TEST(EventHashTest, MatchesTheDocumentedEncoding) {
  const StoredFields first = FirstEvent();
  EXPECT_EQ(EncodeForHash(first),
            "motcua.event.v1\ni1;s64:" + std::string(kGenesisHash) +
                "s7:dossieri42;s27:2025-03-14T02:15:00.000000Zi7;s6:accepts8:receiveds10:"
                "processings27:{\"reason\":\"đủ hồ sơ\"}");
  EXPECT_EQ(HashEvent(first), "2ed5c04d141065bfff59f2213b3510e0e11d56221fed825cbc56aecf6af209b4");

  StoredFields second;
  second.seq = 2;
  second.prev_hash = "2ed5c04d141065bfff59f2213b3510e0e11d56221fed825cbc56aecf6af209b4";
  second.aggregate_type = "dossier";
  second.aggregate_id = 42;
  second.occurred_at = "2025-03-14T03:00:00.000000Z";
  second.action = "note";
  second.payload = "{}";
  EXPECT_EQ(HashEvent(second), "f5b3bcaef054da337b177a671bcb70b88a0197c7efdaad5132ec59767dd612ca");
}

TEST(EventHashTest, FieldBoundariesCannotBeShifted) {
  StoredFields a = FirstEvent();
  StoredFields b = FirstEvent();
  a.action = "ab";
  a.from_state = std::nullopt;
  b.action = "a";
  b.from_state = "b";
  EXPECT_NE(EncodeForHash(a), EncodeForHash(b));

  StoredFields empty = FirstEvent();
  StoredFields null = FirstEvent();
  empty.to_state = "";
  null.to_state = std::nullopt;
  EXPECT_NE(HashEvent(empty), HashEvent(null));
}

TEST(EventHashTest, EveryFieldChangesTheHash) {
  const StoredFields base = FirstEvent();
  std::vector<StoredFields> changed(10, base);
  changed[0].seq = 2;
  const std::string other_prev = "1" + std::string(kGenesisHash.substr(1));
  changed[1].prev_hash = other_prev;
  changed[2].aggregate_type = "dossiers";
  changed[3].aggregate_id = 43;
  changed[4].occurred_at = "2025-03-14T02:15:00.000001Z";
  changed[5].actor_id = std::nullopt;
  changed[6].action = "refuse";
  changed[7].from_state = "submitted";
  changed[8].to_state = "refused";
  changed[9].payload = "{\"reason\":\"đủ hồ sơ \"}";
  std::set<std::string> hashes{HashEvent(base)};
  for (const StoredFields& f : changed) hashes.insert(HashEvent(f));
  EXPECT_EQ(hashes.size(), 11u);
}

TEST(CanonicalJsonTest, SortsKeysAndDropsWhitespace) {
  auto c = CanonicalJson(R"( { "b" : [ 3, {"z": null, "a": true} ], "a": "x" } )");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(*c, R"({"a":"x","b":[3,{"a":true,"z":null}]})");
}

TEST(CanonicalJsonTest, OneTextPerValue) {
  EXPECT_EQ(*CanonicalJson(R"({"n":1.0,"m":-0.5e1,"big":1e21,"u":18446744073709551615})"),
            R"({"big":1e+21,"m":-5,"n":1,"u":18446744073709551615})");
  // Escapes become the characters they stand for; only quote, backslash and
  // control characters stay escaped.
  EXPECT_EQ(*CanonicalJson(R"({"s":"\u0111\u1ee7 \/ \" \\ \n \u0001"})"),
            "{\"s\":\"đủ / \\\" \\\\ \\n \\u0001\"}");
  // Keys sort by their UTF-8 bytes: "Z" < "a" < "đ".
  EXPECT_EQ(*CanonicalJson(R"({"đ":1,"a":2,"Z":3})"), R"({"Z":3,"a":2,"đ":1})");
}

TEST(CanonicalJsonTest, IsIdempotent) {
  for (std::string_view in : {R"({"x":{"b":1.25,"a":[1,"two",null]},"y":""})", R"({})",
                              R"({"t":"tab\there","e":1e-7})"}) {
    auto once = CanonicalJson(in);
    ASSERT_TRUE(once) << in;
    auto twice = CanonicalJson(*once);
    ASSERT_TRUE(twice);
    EXPECT_EQ(*once, *twice);
  }
}

TEST(CanonicalJsonTest, RejectsWhatCannotBeAPayload) {
  for (std::string_view bad : {"", "[]", "\"text\"", "42", "{", R"({"a":1} x)", R"({"a":})",
                               R"({"a":1,})", "{\"a\":\"\xff\"}"}) {
    auto c = CanonicalJson(bad);
    ASSERT_FALSE(c) << "accepted " << bad;
    EXPECT_EQ(c.error().code, Code::kInvalidArgument);
    EXPECT_TRUE(c.error().fields.contains("payload"));
  }
}

TEST(CanonicalJsonTest, RejectsDuplicateKeysAtAnyDepth) {
  auto top = CanonicalJson(R"({"a":1,"a":2})");
  ASSERT_FALSE(top);
  EXPECT_THAT(top.error().message, HasSubstr("duplicate key"));
  EXPECT_FALSE(CanonicalJson(R"({"x":[{"k":1,"k":1}]})"));
}

TEST(CanonicalJsonTest, RejectsOversizedPayloads) {
  std::string big = "{\"text\":\"" + std::string(kMaxPayloadBytes, 'x') + "\"}";
  auto c = CanonicalJson(big);
  ASSERT_FALSE(c);
  EXPECT_THAT(c.error().message, HasSubstr("larger than"));
  std::string fits = "{\"t\":\"" + std::string(kMaxPayloadBytes - 8, 'x') + "\"}";
  EXPECT_TRUE(CanonicalJson(fits));
}

NewEvent GoodEvent() {
  NewEvent e;
  e.aggregate_type = "dossier";
  e.aggregate_id = 1;
  e.action = "submit";
  e.to_state = "submitted";
  return e;
}

TEST(ValidateNewEventTest, NamesTheBadField) {
  EXPECT_TRUE(ValidateNewEvent(GoodEvent()));
  struct Case {
    std::string field;
    void (*mutate)(NewEvent&);
  };
  const Case cases[] = {
      {"aggregate_type", [](NewEvent& e) { e.aggregate_type = ""; }},
      {"aggregate_type", [](NewEvent& e) { e.aggregate_type = "Dossier"; }},
      {"aggregate_id", [](NewEvent& e) { e.aggregate_id = 0; }},
      {"actor_id", [](NewEvent& e) { e.actor_id = -3; }},
      {"action", [](NewEvent& e) { e.action = ""; }},
      {"action", [](NewEvent& e) { e.action = std::string(65, 'a'); }},
      {"from_state", [](NewEvent& e) { e.from_state = "line\nbreak"; }},
      {"to_state", [](NewEvent& e) { e.to_state = ""; }},
  };
  for (const Case& c : cases) {
    NewEvent e = GoodEvent();
    c.mutate(e);
    auto st = ValidateNewEvent(e);
    ASSERT_FALSE(st) << c.field;
    EXPECT_TRUE(st.error().fields.contains(c.field)) << st.error().message;
  }
}

}  // namespace
}  // namespace motcua::events
