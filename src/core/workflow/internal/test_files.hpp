// For the workflow tests only: finds the source tree and reads files from it
// (tests may do I/O; the workflow library itself never does).
#pragma once

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include "common/result.hpp"
#include "core/workflow/workflow.hpp"

namespace motcua::workflow::internal {

// MOTCUA_SOURCE_DIR as CTest sets it, else the current directory.
inline std::filesystem::path SourceDir() {
  const char* dir = std::getenv("MOTCUA_SOURCE_DIR");
  return dir && *dir ? std::filesystem::path(dir) : std::filesystem::current_path();
}

// A FileSource for RunWorkflowCli over the real file system.
inline Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(Code::kNotFound, "cannot open " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The files of `dir` whose names end in `suffix`, sorted.
inline std::vector<std::filesystem::path> FilesIn(const std::filesystem::path& dir,
                                                  const std::string& suffix) {
  std::vector<std::filesystem::path> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().string().ends_with(suffix)) out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// A shipped workflow by code ("commune-simple"); the test fails if it does not load.
inline Workflow Demo(const std::string& code) {
  auto text = ReadFile((SourceDir() / "data" / "workflows" / (code + ".json")).string());
  if (!text) throw std::runtime_error(text.error().message);
  auto wf = Workflow::Parse(*text);
  if (!wf) throw std::runtime_error(code + ": " + wf.error().message);
  return std::move(*wf);
}

}  // namespace motcua::workflow::internal
