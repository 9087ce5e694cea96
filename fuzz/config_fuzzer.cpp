// A TOML config file (`motcua serve --config FILE`) through what
// ParseCommand does with it: ParseConfigText (the text of ReadConfigFile),
// then Command::Parse with the file's values under the options of
// `motcua serve`. The option names are those of serve_command.cpp and
// settings.cpp (CommonOptions), which live in files that link the whole
// application; a key outside them is refused, as it would be there.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "app/args.hpp"
#include "app/config_file.hpp"

namespace {

const std::vector<motcua::app::OptionSpec>& ServeOptions() {
  static const auto* options = new std::vector<motcua::app::OptionSpec>{
      {"db", "URL", "", "sqlite:data/motcua.db"},
      {"data-dir", "DIR", "", "data"},
      {"log-level", "LEVEL", "", "info"},
      {"office-hours", "HOURS", "", "07:30-11:30,13:30-17:00"},
      {"config", "FILE", "", ""},
      {"listen", "HOST:PORT", "", "127.0.0.1:8080"},
      {"threads", "N", "", "0"},
      {"db-readers", "N", "", "4"},
      {"web-dir", "DIR", "", "web/dist"},
      {"public-url", "URL", "", ""},
      {"submission-limits", "C,S,U", "", "30,300,30000"},
      {"trusted-proxies", "IP,IP", "", ""},
  };
  return *options;
}

// No environment: the file's values must be what Parse sees.
std::optional<std::string> NoEnv(const char*) { return std::nullopt; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace app = motcua::app;
  static const app::Command command("motcua serve [options]", "", ServeOptions());
  std::set<std::string> known;  // as ParseCommand builds it
  for (const auto& o : command.options())
    if (o.name != "config") known.insert(o.name);
  auto file = app::ParseConfigText(std::string_view(reinterpret_cast<const char*>(data), size),
                                   "fuzz.toml", known);
  if (!file) return 0;
  (void)command.Parse({}, NoEnv, *file);
  return 0;
}
