// A small command-line parser shared by the motcua subcommands.
//
// Options are "--name value", "--name=value" or flags "--name". Every option
// may also come from the environment (MOTCUA_<NAME>, dashes as underscores)
// and, for the server settings, from a TOML config file; the precedence is
// flag > environment > file > default. --help prints the generated usage.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace motcua::app {

struct OptionSpec {
  std::string name;        // without dashes: "listen"
  std::string value_name;  // "HOST:PORT"; empty for a flag
  std::string help;
  std::string default_value;
  bool from_env = true;  // also read MOTCUA_<NAME>
};

struct ParsedArgs {
  std::map<std::string, std::string> values;  // option -> value ("true" for flags)
  std::vector<std::string> positional;
  bool help = false;

  bool Has(const std::string& name) const { return values.contains(name); }
  std::string Get(const std::string& name) const;
};

class Command {
 public:
  Command(std::string usage, std::string summary, std::vector<OptionSpec> options)
      : usage_(std::move(usage)), summary_(std::move(summary)), options_(std::move(options)) {}

  // Parses argv-style arguments (after the subcommand words). Unknown options,
  // missing values and repeated options are errors naming the option.
  // `env` looks up an environment variable (injectable for tests).
  // `file` holds values from a config file, used where neither a flag nor
  // the environment gives one.
  Result<ParsedArgs> Parse(const std::vector<std::string>& args,
                           std::optional<std::string> (*env)(const char*) = nullptr,
                           const std::map<std::string, std::string>& file = {}) const;
  std::string Help() const;
  const std::vector<OptionSpec>& options() const { return options_; }

 private:
  std::string usage_;
  std::string summary_;
  std::vector<OptionSpec> options_;
};

// getenv as an optional; the default `env` for Parse.
std::optional<std::string> GetEnv(const char* name);

}  // namespace motcua::app
