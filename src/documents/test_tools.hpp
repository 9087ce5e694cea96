// What the documents' tests share: running poppler's and zbar's tools, and
// reading the project's data files.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace motcua::documents::testing {

// The command's standard output.
inline std::string Shell(const std::string& command) {
  std::string out;
  FILE* p = ::popen(command.c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  ::pclose(p);
  return out;
}

inline std::string Source(const std::string& path) {
  const char* root = std::getenv("MOTCUA_SOURCE_DIR");
  std::ifstream in(std::string(root ? root : ".") + "/" + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Spaces and line breaks as pdftotext lays them out do not matter; words do.
inline std::string Words(const std::string& text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\f') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

}  // namespace motcua::documents::testing
