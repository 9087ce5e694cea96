// Small text helpers shared by the calendar's .cpp files (not part of its API).
#pragma once

#include <string>
#include <string_view>

namespace motcua::calendar::internal {

// 'text' in single quotes, for error messages. Built by appending because
// GCC 12 at -O3 reports a false -Wrestrict on "'" + std::string(...).
inline std::string Quoted(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '\'';
  out += text;
  out += '\'';
  return out;
}

}  // namespace motcua::calendar::internal
