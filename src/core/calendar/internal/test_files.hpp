// For the calendar's tests only: finds the source tree and reads files from
// it (tests may do I/O; the calendar library itself never does).
#pragma once

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include "common/result.hpp"
#include "core/calendar/holidays.hpp"

namespace motcua::calendar::internal {

// MOTCUA_SOURCE_DIR as CTest sets it, else the current directory.
inline std::filesystem::path SourceDir() {
  const char* dir = std::getenv("MOTCUA_SOURCE_DIR");
  return dir && *dir ? std::filesystem::path(dir) : std::filesystem::current_path();
}

// The whole file, or "" when it cannot be read (the test's expectations then fail).
inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The *.toml tables of a directory, sorted by name (a TableSource for RunCalendarCli).
inline Result<std::vector<TableFile>> TablesIn(const std::string& dir) {
  std::error_code ec;
  std::vector<TableFile> tables;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".toml") {
      tables.push_back({entry.path().string(), ReadFile(entry.path())});
    }
  }
  if (ec) return Fail(Code::kNotFound, "cannot read " + dir + ": " + ec.message());
  std::sort(tables.begin(), tables.end(),
            [](const TableFile& a, const TableFile& b) { return a.name < b.name; });
  return tables;
}

// The yearly tables shipped in data/holidays.
inline std::vector<TableFile> ShippedTables() {
  return TablesIn((SourceDir() / "data" / "holidays").string()).value_or(std::vector<TableFile>{});
}

}  // namespace motcua::calendar::internal
