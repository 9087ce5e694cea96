#include "app/config_file.hpp"

#include <toml++/toml.h>

namespace motcua::app {

namespace {

Error ParseError(const std::string& path, const toml::parse_error& e) {
  std::string where = path;
  if (e.source().begin) where += ":" + std::to_string(e.source().begin.line);
  return Error{Code::kInvalidArgument,
               "config file " + where + ": " + std::string(e.description()),
               {{"config", std::string(e.description())}}};
}

Result<std::map<std::string, std::string>> FromTable(const toml::table& table,
                                                     const std::string& path,
                                                     const std::set<std::string>& known) {
  std::map<std::string, std::string> out;
  for (auto&& [k, v] : table) {
    std::string key(k.str());
    for (char& c : key)
      if (c == '_') c = '-';
    if (!known.contains(key))
      return Fail(Error{Code::kInvalidArgument,
                        "config file " + path + ": unknown key '" + std::string(k.str()) + "'",
                        {{std::string(k.str()), "unknown key"}}});
    if (auto s = v.value<std::string>(); s && v.is_string()) {
      out[key] = *s;
    } else if (v.is_integer()) {
      out[key] = std::to_string(*v.value<std::int64_t>());
    } else if (v.is_boolean()) {
      out[key] = *v.value<bool>() ? "true" : "";
      if (out[key].empty()) out.erase(key);
    } else {
      return Fail(Error{Code::kInvalidArgument,
                        "config file " + path + ": '" + std::string(k.str()) +
                            "' must be a string, an integer or a boolean",
                        {{std::string(k.str()), "wrong type"}}});
    }
  }
  return out;
}

}  // namespace

Result<std::map<std::string, std::string>> ReadConfigFile(const std::string& path,
                                                          const std::set<std::string>& known) {
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return Fail(ParseError(path, e));
  }
  return FromTable(table, path, known);
}

Result<std::map<std::string, std::string>> ParseConfigText(std::string_view text,
                                                           const std::string& path,
                                                           const std::set<std::string>& known) {
  toml::table table;
  try {
    table = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    return Fail(ParseError(path, e));
  }
  return FromTable(table, path, known);
}

}  // namespace motcua::app
