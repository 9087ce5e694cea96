// Options shared by the subcommands and the helpers that read them.
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "app/args.hpp"
#include "common/result.hpp"
#include "storage/store.hpp"

namespace motcua::app {

// --db, --data-dir, --log-level and --config, with their defaults.
std::vector<OptionSpec> CommonOptions();

// Parses args; if --config (or MOTCUA_CONFIG) names a TOML file, its values
// fill what neither flags nor the environment gave. Also applies --log-level.
Result<ParsedArgs> ParseCommand(const Command& command, const std::vector<std::string>& args);

// Prints "motcua <what>: <message>" and the per-field problems; returns
// `code` (2 for usage errors, 1 for runtime failures).
int ReportError(std::ostream& err, std::string_view what, const Error& error, int code);

// An address as --public-url (and --dvcqg-url) takes it: http:// or
// https://, a host (and port), an optional path; no query, fragment, user or
// spaces. Returns it without a trailing slash. Errors: kInvalidArgument
// naming `flag`.
Result<std::string> ParseBaseUrl(std::string_view text, std::string_view flag);
inline Result<std::string> ParsePublicUrl(std::string_view text) {
  return ParseBaseUrl(text, "--public-url");
}

// Opens the database named by --db.
Result<std::unique_ptr<storage::Store>> OpenStore(const ParsedArgs& args);

}  // namespace motcua::app
