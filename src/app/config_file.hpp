// Reads the TOML configuration file of `motcua serve`.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace motcua::app {

// Flat TOML: `key = value` pairs (strings, integers, booleans), keys named as
// the long options ("listen", "db", "data-dir" or "data_dir", ...). Errors
// name the file and the key: unknown keys, tables, arrays, a missing file.
Result<std::map<std::string, std::string>> ReadConfigFile(const std::string& path,
                                                          const std::set<std::string>& known);

// The same for the text of such a file; `path` only names it in errors. What
// ReadConfigFile runs once the file is read (and the fuzzer's entry point,
// fuzz/config_fuzzer.cpp).
Result<std::map<std::string, std::string>> ParseConfigText(std::string_view text,
                                                           const std::string& path,
                                                           const std::set<std::string>& known);

}  // namespace motcua::app
