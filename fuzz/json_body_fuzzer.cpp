// A JSON request body through what every handler that takes JSON runs:
// ParseJsonObject (UTF-8, duplicate keys, depth, syntax) and an ObjectReader
// taking each field. Which reader a field meets depends on its name, so that
// every one of them (strings with their rules, bounded integers, booleans,
// nested values) sees every kind of value; Finish() then reports.
#include <boost/json/object.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "http/json_body.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  motcua::http::Request req;
  req.method = "POST";
  req.headers = {{"content-type", "application/json; charset=utf-8"}};
  req.body.assign(reinterpret_cast<const char*>(data), size);
  (void)motcua::http::IsValidUtf8(req.body);
  auto object = motcua::http::ParseJsonObject(req);
  if (!object) return 0;
  std::vector<std::string> names;
  for (const auto& field : *object) names.emplace_back(field.key());
  motcua::http::ObjectReader reader(*object);
  for (const auto& name : names) {
    switch (name.size() % 6) {
      case 0:
        (void)reader.RequiredString(name);
        break;
      case 1:
        (void)reader.OptionalString(name, {.min_length = 1, .max_length = 8, .trim = false});
        break;
      case 2:
        (void)reader.RequiredInt(name, -1000, 1000);
        break;
      case 3:
        (void)reader.OptionalInt(name, INT64_MIN, INT64_MAX);
        break;
      case 4:
        (void)reader.OptionalBool(name);
        break;
      default:
        (void)reader.Raw(name);
        break;
    }
  }
  (void)reader.RequiredString("never-sent");  // a missing field is reported too
  (void)reader.Finish();
  return 0;
}
