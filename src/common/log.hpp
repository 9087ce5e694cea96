// Structured logging: one JSON object per line on stderr.
//
// Thread safety: Log() may be called from any thread; each line is written with
// a single write(2) so lines from different threads never interleave.
// Never pass passwords, tokens or session ids here.
#pragma once

#include <boost/json/object.hpp>
#include <string_view>

namespace motcua::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

// Parses "debug", "info", "warn", "error"; returns false on anything else.
bool ParseLevel(std::string_view text, Level* out);
void SetLevel(Level level);
bool Enabled(Level level);

// Writes {"ts": "...", "level": "...", "msg": msg, ...fields}.
void Write(Level level, std::string_view msg, boost::json::object fields = {});

inline void Info(std::string_view msg, boost::json::object fields = {}) {
  Write(Level::kInfo, msg, std::move(fields));
}
inline void Warn(std::string_view msg, boost::json::object fields = {}) {
  Write(Level::kWarn, msg, std::move(fields));
}
inline void Error(std::string_view msg, boost::json::object fields = {}) {
  Write(Level::kError, msg, std::move(fields));
}

}  // namespace motcua::log
