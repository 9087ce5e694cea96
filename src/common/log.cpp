#include "common/log.hpp"

#include <unistd.h>

#include <atomic>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "common/json_writer.hpp"

namespace motcua::log {
namespace {
std::atomic<int> g_level{static_cast<int>(Level::kInfo)};

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "info";
}
// Now in RFC 3339 UTC with milliseconds, written into `buf`, digit by digit:
// there is a line per request at info level, and strftime and snprintf were
// most of its cost.
std::string_view FormatNow(char (&buf)[25]) {
  using namespace std::chrono;
  const auto now = floor<milliseconds>(system_clock::now());
  const auto day = floor<days>(now);
  const year_month_day ymd{day};
  const hh_mm_ss<milliseconds> tod{now - day};
  std::memcpy(buf, "0000-00-00T00:00:00.000Z", 25);
  auto put = [&](int pos, int width, long long v) {
    for (int i = width; i-- > 0; v /= 10) buf[pos + i] = static_cast<char>('0' + v % 10);
  };
  put(0, 4, static_cast<int>(ymd.year()));
  put(5, 2, static_cast<unsigned>(ymd.month()));
  put(8, 2, static_cast<unsigned>(ymd.day()));
  put(11, 2, tod.hours().count());
  put(14, 2, tod.minutes().count());
  put(17, 2, tod.seconds().count());
  put(20, 3, tod.subseconds().count());
  return {buf, 24};
}

void WriteValue(JsonWriter& w, const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::string:
      w.String(std::string_view(v.get_string()));
      break;
    case boost::json::kind::int64:
      w.Int(v.get_int64());
      break;
    case boost::json::kind::bool_:
      w.Bool(v.get_bool());
      break;
    case boost::json::kind::null:
      w.Null();
      break;
    default:
      w.Raw(boost::json::serialize(v));
      break;  // numbers of other kinds, objects, arrays
  }
}
}  // namespace

bool ParseLevel(std::string_view text, Level* out) {
  for (Level l : {Level::kDebug, Level::kInfo, Level::kWarn, Level::kError}) {
    if (text == LevelName(l)) {
      *out = l;
      return true;
    }
  }
  return false;
}

void SetLevel(Level level) { g_level.store(static_cast<int>(level)); }
bool Enabled(Level level) { return static_cast<int>(level) >= g_level.load(); }

void Write(Level level, std::string_view msg, boost::json::object fields) {
  if (!Enabled(level)) return;
  std::string text;
  text.reserve(256);
  char ts[25];
  JsonWriter w(text);
  w.Object().Key("ts").String(FormatNow(ts));
  w.Key("level").String(LevelName(level)).Key("msg").String(msg);
  for (const auto& kv : fields) {
    // The three members above come first and are not repeated.
    if (kv.key() == "ts" || kv.key() == "level" || kv.key() == "msg") continue;
    w.Key(std::string_view(kv.key()));
    WriteValue(w, kv.value());
  }
  w.End();
  text.push_back('\n');
  // One write per line: atomic for pipes up to PIPE_BUF, and in practice for
  // files opened with O_APPEND; good enough for log lines.
  ssize_t ignored = ::write(STDERR_FILENO, text.data(), text.size());
  (void)ignored;
}

}  // namespace motcua::log
