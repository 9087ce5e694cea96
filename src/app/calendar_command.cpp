#include "app/calendar_command.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "core/calendar/cli.hpp"

namespace motcua::app {
namespace {

// Every *.toml of the directory, sorted by name so that errors are reproducible.
Result<std::vector<calendar::TableFile>> ReadTables(const std::string& dir) {
  std::error_code ec;
  std::vector<std::filesystem::path> paths;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".toml") {
      paths.push_back(entry.path());
    }
  }
  // A missing directory is an error rather than "no tables": deadlines
  // computed without the year's decisions would be silently wrong.
  if (ec)
    return Fail(Code::kNotFound, "cannot read holiday tables in " + dir + ": " + ec.message());
  std::sort(paths.begin(), paths.end());
  std::vector<calendar::TableFile> tables;
  for (const auto& path : paths) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in.good() && !in.eof()) {
      return Fail(Code::kUnavailable, "cannot read " + path.string());
    }
    tables.push_back({path.string(), text.str()});
  }
  return tables;
}

}  // namespace

int RunCalendarCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  return calendar::RunCalendarCli(args, ReadTables, out, err);
}

}  // namespace motcua::app
