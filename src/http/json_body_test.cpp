#include "http/json_body.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace motcua::http {
namespace {

Request Json(std::string body, std::string content_type = "application/json") {
  Request req;
  req.method = "POST";
  req.headers.emplace_back("content-type", std::move(content_type));
  req.body = std::move(body);
  return req;
}

// The 400 a client would get, and the problem reported for `field`.
std::string ProblemWith(const Error& error, const std::string& field) {
  EXPECT_EQ(HttpStatus(error.code), 400);
  auto it = error.fields.find(field);
  return it == error.fields.end() ? "<no problem for " + field + ">" : it->second;
}

TEST(IsValidUtf8Test, AcceptsVietnameseAndRejectsMalformedSequences) {
  EXPECT_TRUE(IsValidUtf8("Nguyễn Văn Ánh, Ủy ban nhân dân tỉnh"));
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x98\x80"));   // U+1F600
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));   // U+10FFFF, the last code point
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // overlong '/', three bytes
  EXPECT_FALSE(IsValidUtf8("\xF0\x80\x80\xAF"));  // overlong '/', four bytes
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // U+D800, a surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // U+110000
  EXPECT_FALSE(IsValidUtf8("\xFF"));
  EXPECT_FALSE(IsValidUtf8("abc\xE1\xBB"));  // truncated
  EXPECT_FALSE(IsValidUtf8("\x80"));         // a lone continuation byte
}

TEST(ParseJsonObjectTest, RequiresJsonContentType) {
  for (const char* type : {"text/plain", "application/jsonx", "application/x-www-form-urlencoded",
                           "application/json; charset=latin1"}) {
    auto r = ParseJsonObject(Json("{}", type));
    ASSERT_FALSE(r.has_value()) << type;
    EXPECT_EQ(ProblemWith(r.error(), "content-type"), "must be application/json");
  }
  Request none;
  none.body = "{}";
  EXPECT_FALSE(ParseJsonObject(none).has_value());
  EXPECT_TRUE(ParseJsonObject(Json("{}", "Application/JSON; charset=\"UTF-8\"")).has_value());
}

TEST(ParseJsonObjectTest, RejectsInvalidUtf8BeforeParsing) {
  auto r = ParseJsonObject(Json("{\"name\": \"\xED\xA0\x80\"}"));
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(ProblemWith(r.error(), "body").find("UTF-8"), std::string::npos);
  EXPECT_NE(ProblemWith(r.error(), "body").find("column 11"), std::string::npos);
}

TEST(ParseJsonObjectTest, SyntaxErrorNamesThePosition) {
  auto r = ParseJsonObject(Json("{\n  \"a\": 1,\n  \"b\": tru\n}"));
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(ProblemWith(r.error(), "body").find("line 3"), std::string::npos)
      << r.error().fields.at("body");
}

TEST(ParseJsonObjectTest, DuplicateKeysAreRejectedAtAnyDepth) {
  auto top = ParseJsonObject(Json(R"({"amount": 1, "amount": 1000})"));
  ASSERT_FALSE(top.has_value());
  EXPECT_NE(ProblemWith(top.error(), "body").find("\"amount\" twice"), std::string::npos);
  auto nested = ParseJsonObject(Json(R"({"applicant": {"id": "1", "id": "2"}})"));
  ASSERT_FALSE(nested.has_value());
  EXPECT_NE(ProblemWith(nested.error(), "body").find("\"id\" twice"), std::string::npos);
  // The same key in sibling objects is fine.
  EXPECT_TRUE(
      ParseJsonObject(Json(R"({"a": {"id": 1}, "b": {"id": 2}, "c": [{"id": 3}, {"id": 4}]})"))
          .has_value());
}

TEST(ParseJsonObjectTest, BodyMustBeAnObject) {
  for (const char* body : {"[1,2]", "\"text\"", "42", "null", "", "   "}) {
    auto r = ParseJsonObject(Json(body));
    ASSERT_FALSE(r.has_value()) << body;
    EXPECT_EQ(r.error().fields.count("body"), 1u) << body;
  }
}

TEST(ParseJsonObjectTest, LoneSurrogateEscapeIsRejected) {
  EXPECT_FALSE(ParseJsonObject(Json(R"({"name": "\ud800"})")).has_value());
  EXPECT_TRUE(ParseJsonObject(Json(R"({"name": "\ud83d\ude00"})")).has_value());
}

TEST(ObjectReaderTest, ReadsAWellFormedBody) {
  auto obj = ParseJsonObject(
      Json(R"({"name": "  Trần Thị Bình ", "age": 42, "online": true, "note": null})"));
  ASSERT_TRUE(obj.has_value());
  ObjectReader reader(*obj);
  EXPECT_EQ(reader.RequiredString("name"), "Trần Thị Bình");
  EXPECT_EQ(reader.RequiredInt("age", 0, 150), 42);
  EXPECT_EQ(reader.OptionalBool("online"), true);
  EXPECT_EQ(reader.OptionalString("note"), std::nullopt);
  EXPECT_EQ(reader.OptionalInt("floor", 0, 10), std::nullopt);
  EXPECT_TRUE(reader.Finish().has_value());
}

TEST(ObjectReaderTest, CollectsEveryProblemNamingEachField) {
  auto obj = ParseJsonObject(Json(
      R"({"name": 5, "age": 200, "count": 1.5, "big": 18446744073709551615, "online": "yes",
          "title": "ab", "code": "ABCDEFGHIJK", "nikname": "typo"})"));
  ASSERT_TRUE(obj.has_value());
  ObjectReader reader(*obj);
  reader.RequiredString("name");
  reader.RequiredInt("age", 0, 150);
  reader.OptionalInt("count", 0, 10);
  reader.OptionalInt("big", 0, 10);
  reader.OptionalBool("online");
  reader.RequiredString("title", {.min_length = 3});
  reader.RequiredString("code", {.max_length = 10});
  reader.RequiredString("address");
  reader.OptionalString("nickname");
  EXPECT_FALSE(reader.ok());
  auto status = reader.Finish();
  ASSERT_FALSE(status.has_value());
  const Error& e = status.error();
  EXPECT_EQ(ProblemWith(e, "name"), "must be a string");
  EXPECT_EQ(ProblemWith(e, "age"), "must be an integer between 0 and 150");
  EXPECT_EQ(ProblemWith(e, "count"), "must be an integer");
  EXPECT_EQ(ProblemWith(e, "big"), "must be an integer between 0 and 10");
  EXPECT_EQ(ProblemWith(e, "online"), "must be true or false");
  EXPECT_EQ(ProblemWith(e, "title"), "must be at least 3 characters");
  EXPECT_EQ(ProblemWith(e, "code"), "must be at most 10 characters");
  EXPECT_EQ(ProblemWith(e, "address"), "is required");
  EXPECT_EQ(ProblemWith(e, "nikname"), "unknown field");
  EXPECT_EQ(e.fields.size(), 9u);
  EXPECT_NE(e.message.find("nikname unknown field"), std::string::npos);
}

TEST(ObjectReaderTest, LengthCountsCodePointsNotBytes) {
  // "Đắk Lắk" is 7 code points but 11 bytes.
  auto obj = ParseJsonObject(Json(R"({"province": "Đắk Lắk", "short": "Đắk Lắk"})"));
  ASSERT_TRUE(obj.has_value());
  ObjectReader reader(*obj);
  EXPECT_EQ(reader.RequiredString("province", {.max_length = 7}), "Đắk Lắk");
  reader.RequiredString("short", {.max_length = 6});
  auto status = reader.Finish();
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().fields.size(), 1u);
  EXPECT_EQ(status.error().fields.count("short"), 1u);
}

TEST(ObjectReaderTest, RawMarksNestedFieldsAsRead) {
  auto obj = ParseJsonObject(Json(R"({"applicant": {"name": "An"}, "extra": 1})"));
  ASSERT_TRUE(obj.has_value());
  ObjectReader reader(*obj);
  const boost::json::value* applicant = reader.Raw("applicant");
  ASSERT_NE(applicant, nullptr);
  EXPECT_TRUE(applicant->is_object());
  reader.Problem("applicant.name", "is too short");
  auto status = reader.Finish();
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().fields.at("applicant.name"), "is too short");
  EXPECT_EQ(status.error().fields.at("extra"), "unknown field");
  EXPECT_EQ(status.error().fields.count("applicant"), 0u);
}

}  // namespace
}  // namespace motcua::http
