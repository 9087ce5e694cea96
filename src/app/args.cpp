#include "app/args.hpp"

#include <cctype>
#include <cstdlib>
#include <sstream>

namespace motcua::app {

std::string ParsedArgs::Get(const std::string& name) const {
  auto it = values.find(name);
  return it == values.end() ? std::string() : it->second;
}

std::optional<std::string> GetEnv(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr) return std::nullopt;
  return std::string(v);
}

static std::string EnvName(const std::string& option) {
  std::string out = "MOTCUA_";
  for (char c : option) out.push_back(c == '-' ? '_' : static_cast<char>(std::toupper(c)));
  return out;
}

Result<ParsedArgs> Command::Parse(const std::vector<std::string>& args,
                                  std::optional<std::string> (*env)(const char*),
                                  const std::map<std::string, std::string>& file) const {
  if (env == nullptr) env = &GetEnv;
  ParsedArgs out;
  auto find = [&](const std::string& name) -> const OptionSpec* {
    for (const auto& o : options_)
      if (o.name == name) return &o;
    return nullptr;
  };
  bool only_positional = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (only_positional || a.size() < 2 || a.rfind("--", 0) != 0) {
      if (a == "--") {
        only_positional = true;
        continue;
      }
      if (!only_positional && a.size() > 1 && a[0] == '-' && a != "-") {
        if (a == "-h") {
          out.help = true;
          continue;
        }
        return InvalidField(a, "unknown option; see --help");
      }
      out.positional.push_back(a);
      continue;
    }
    if (a == "--") {
      only_positional = true;
      continue;
    }
    std::string name = a.substr(2);
    std::optional<std::string> value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    if (name == "help") {
      out.help = true;
      continue;
    }
    const OptionSpec* spec = find(name);
    if (spec == nullptr) return InvalidField("--" + name, "unknown option; see --help");
    if (out.values.contains(name)) return InvalidField("--" + name, "given more than once");
    if (spec->value_name.empty()) {
      if (value) return InvalidField("--" + name, "takes no value");
      out.values[name] = "true";
      continue;
    }
    if (!value) {
      if (i + 1 >= args.size())
        return InvalidField("--" + name, "needs a value (" + spec->value_name + ")");
      value = args[++i];
    }
    out.values[name] = *value;
  }
  for (const auto& o : options_) {
    if (out.values.contains(o.name)) continue;
    if (o.from_env) {
      if (auto v = env(EnvName(o.name).c_str())) {
        out.values[o.name] =
            o.value_name.empty() ? ((*v == "" || *v == "0" || *v == "false") ? "" : "true") : *v;
        if (out.values[o.name].empty() && o.value_name.empty()) out.values.erase(o.name);
        continue;
      }
    }
    if (auto it = file.find(o.name); it != file.end()) {
      out.values[o.name] = it->second;
      continue;
    }
    if (!o.default_value.empty()) out.values[o.name] = o.default_value;
  }
  return out;
}

std::string Command::Help() const {
  std::ostringstream s;
  s << "usage: " << usage_ << "\n\n" << summary_ << "\n";
  if (!options_.empty()) s << "\noptions:\n";
  for (const auto& o : options_) {
    std::string left = "  --" + o.name + (o.value_name.empty() ? "" : " " + o.value_name);
    s << left;
    if (left.size() < 28)
      s << std::string(28 - left.size(), ' ');
    else
      s << "\n" << std::string(28, ' ');
    s << o.help;
    if (!o.default_value.empty()) s << " (default: " << o.default_value << ")";
    if (o.from_env) s << " [env " << EnvName(o.name) << "]";
    s << "\n";
  }
  s << "  --help                    show this help\n";
  return s.str();
}

}  // namespace motcua::app
