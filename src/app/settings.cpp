#include "app/settings.hpp"

#include <set>

#include "app/config_file.hpp"
#include "common/log.hpp"

namespace motcua::app {

std::vector<OptionSpec> CommonOptions() {
  return {
      {"db", "URL", "database: sqlite:PATH or postgresql://USER:PASS@HOST:PORT/DB",
       "sqlite:data/motcua.db"},
      {"data-dir", "DIR", "data folder: holiday tables, demo data, attachments", "data"},
      {"log-level", "LEVEL", "debug, info, warn or error", "info"},
      {"office-hours", "HOURS",
       "office hours of a working day at UTC+7, for deadlines and working time (every command of "
       "one database must use the same)",
       "07:30-11:30,13:30-17:00"},
      {"config", "FILE", "TOML file with any of these options (flags and environment win)", ""},
  };
}

Result<ParsedArgs> ParseCommand(const Command& command, const std::vector<std::string>& args) {
  ParsedArgs parsed = MOTCUA_TRY(command.Parse(args));
  if (parsed.help) return parsed;
  if (parsed.Has("config") && !parsed.Get("config").empty()) {
    std::set<std::string> known;
    for (const auto& o : command.options())
      if (o.name != "config") known.insert(o.name);
    auto file = MOTCUA_TRY(ReadConfigFile(parsed.Get("config"), known));
    parsed = MOTCUA_TRY(command.Parse(args, nullptr, file));
  }
  if (parsed.Has("log-level")) {
    log::Level level;
    if (!log::ParseLevel(parsed.Get("log-level"), &level))
      return InvalidField("--log-level", "must be debug, info, warn or error");
    log::SetLevel(level);
  }
  return parsed;
}

int ReportError(std::ostream& err, std::string_view what, const Error& error, int code) {
  err << "motcua " << what << ": " << error.message << "\n";
  for (const auto& [field, problem] : error.fields) {
    if (error.message.find(problem) != std::string::npos) continue;
    err << "  " << field << ": " << problem << "\n";
  }
  return code;
}

Result<std::unique_ptr<storage::Store>> OpenStore(const ParsedArgs& args) {
  return storage::Store::Open(args.Get("db"));
}

Result<std::string> ParseBaseUrl(std::string_view text, std::string_view flag) {
  auto bad = [flag](std::string why) { return InvalidField(std::string(flag), std::move(why)); };
  std::string_view rest = text;
  if (rest.starts_with("https://"))
    rest.remove_prefix(8);
  else if (rest.starts_with("http://"))
    rest.remove_prefix(7);
  else
    return bad("must begin with https:// (or http://)");
  const std::string_view host = rest.substr(0, rest.find('/'));
  if (host.empty()) return bad("has no host");
  for (char c : host) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
    if (!ok) return bad("has a character a host cannot have: '" + std::string(1, c) + "'");
  }
  for (char c : rest)
    if (c == '?' || c == '#' || c == ' ' || static_cast<unsigned char>(c) < 0x21)
      return bad("must be an address without a query, a fragment or spaces");
  std::string out(text);
  while (out.ends_with('/')) out.pop_back();
  return out;
}

}  // namespace motcua::app
