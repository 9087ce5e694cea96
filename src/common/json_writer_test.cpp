#include "common/json_writer.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace motcua {
namespace {

namespace json = boost::json;

TEST(JsonWriterTest, WritesNestedObjectsAndArraysThatParseBack) {
  std::string out;
  JsonWriter w(out);
  w.Object()
      .Key("id")
      .Int(-42)
      .Key("name")
      .String("Nguyễn Thị Hà")
      .Key("big")
      .Int(INT64_MAX)
      .Key("ok")
      .Bool(true)
      .Key("none")
      .Null()
      .Key("unit")
      .Object()
      .Key("id")
      .Int(3)
      .Key("name")
      .String("Phường Phan Đình Phùng")
      .End()
      .Key("steps")
      .Array()
      .Int(1)
      .Object()
      .End()
      .Array()
      .End()
      .String("x")
      .End()
      .Key("empty")
      .Object()
      .End()
      .End();
  EXPECT_TRUE(w.Complete());
  json::value expected = json::parse(
      R"({"id":-42,"name":"Nguyễn Thị Hà","big":9223372036854775807,"ok":true,"none":null,)"
      R"("unit":{"id":3,"name":"Phường Phan Đình Phùng"},"steps":[1,{},[],"x"],"empty":{}})");
  EXPECT_EQ(json::parse(out), expected);
  EXPECT_EQ(out, json::serialize(expected));  // compact, in insertion order
}

TEST(JsonWriterTest, EscapesQuotesBackslashesAndControlCharacters) {
  std::string nasty = "a\"b\\c\nd\te\r\b\f";
  nasty += '\0';
  nasty += "\x01\x1f end";
  std::string out;
  JsonWriter w(out);
  w.Object().Key("k\"ey").String(nasty).End();
  json::value v = json::parse(out);
  EXPECT_EQ(v.at("k\"ey").as_string(), nasty);
  EXPECT_NE(out.find("\\u0000"), std::string::npos);
  EXPECT_NE(out.find("\\u001f"), std::string::npos);
}

TEST(JsonWriterTest, EscapesAtEveryPositionOfLongText) {
  // Long text is scanned eight bytes at a time: put each character that must
  // be escaped at every position, among UTF-8 and ASCII, and read it back.
  const std::string base = "Phường Đình Phùng, tổ 7 - xã Ba Bể";
  for (char special : std::string("\"\\\n\x01\x1f\x7f")) {
    for (std::size_t pos = 0; pos <= base.size(); ++pos) {
      // Between characters, not inside one.
      if (pos < base.size() && (static_cast<unsigned char>(base[pos]) & 0xC0) == 0x80) continue;
      std::string text = base;
      text.insert(pos, 1, special);
      std::string out;
      JsonWriter w(out);
      w.String(text);
      EXPECT_EQ(json::parse(out).as_string(), text) << "at " << pos;
    }
  }
  std::string out;
  JsonWriter w(out);
  w.String(base);
  EXPECT_EQ(out, "\"" + base + "\"");  // nothing to escape: copied as it is
}

TEST(JsonWriterTest, OptionalsAndStoredJson) {
  std::string out;
  JsonWriter w(out);
  w.Object()
      .Key("a")
      .String(std::optional<std::string>())
      .Key("b")
      .String(std::optional<std::string>("x"))
      .Key("c")
      .Int(std::optional<std::int64_t>())
      .Key("d")
      .Int(std::optional<std::int64_t>(5))
      .Key("e")
      .JsonOrNull(std::optional<std::string>(R"({"kind":"supplement","items":[1,2]})"))
      .Key("f")
      .JsonOrNull(std::optional<std::string>("{not json"))
      .Key("g")
      .JsonOrNull(std::nullopt)
      .End();
  EXPECT_EQ(json::parse(out),
            json::parse(R"({"a":null,"b":"x","c":null,"d":5,)"
                        R"("e":{"kind":"supplement","items":[1,2]},"f":null,"g":null})"));
}

TEST(JsonWriterTest, CompleteOnlyWhenEverythingOpenedIsClosed) {
  std::string out;
  JsonWriter w(out);
  w.Object().Key("a").Array();
  EXPECT_FALSE(w.Complete());
  w.End();
  EXPECT_FALSE(w.Complete());
  w.End();
  EXPECT_TRUE(w.Complete());
}

}  // namespace
}  // namespace motcua
