#include <iostream>

#include "app/commands.hpp"
#include "app/settings.hpp"
#include "app/wiring.hpp"

namespace motcua::app {

int RunUser(const Args& args, std::ostream& out, std::ostream& err) {
  auto options = CommonOptions();
  options.push_back(
      {"display-name", "NAME", "the person's full name, as shown to others", "", false});
  options.push_back({"role", "ROLE",
                     "citizen, officer, specialist, unit_leader, province_admin or system_admin",
                     "", false});
  options.push_back(
      {"unit", "CODE", "agency code (or id) of the unit the role is bound to", "", false});
  options.push_back(
      {"subtree", "", "bind the role to the unit and every unit below it", "", false});
  Command cmd(
      "motcua user add USERNAME --display-name NAME --role ROLE [--unit CODE] [--subtree] < "
      "password",
      "Creates an account. The password is read from the first line of standard input, never\n"
      "from the command line (where other users of the machine could see it).",
      options);
  if (args.empty() || (args[0] != "add" && args[0] != "--help" && args[0] != "-h")) {
    err << "motcua user: expected 'add'\n\n" << cmd.Help();
    return 2;
  }
  Args rest(args.begin() + (args[0] == "add" ? 1 : 0), args.end());
  auto parsed = ParseCommand(cmd, rest);
  if (!parsed) return ReportError(err, "user add", parsed.error(), 2);
  if (parsed->help || args[0] != "add") {
    out << cmd.Help();
    return 0;
  }
  if (parsed->positional.size() != 1)
    return ReportError(err, "user add",
                       InvalidField("USERNAME", "give exactly one username").error(), 2);
  auto role = accounts::ParseRole(parsed->Get("role"));
  if (!role)
    return ReportError(err, "user add",
                       InvalidField("--role", "unknown role '" + parsed->Get("role") + "'").error(),
                       2);
  if (parsed->Get("display-name").empty())
    return ReportError(err, "user add", InvalidField("--display-name", "is required").error(), 2);
  if (*role != accounts::Role::kCitizen && parsed->Get("unit").empty())
    return ReportError(
        err, "user add",
        InvalidField("--unit", "is required for role " + parsed->Get("role")).error(), 2);

  std::string password;
  std::getline(std::cin, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();

  auto store = OpenStore(*parsed);
  if (!store) return ReportError(err, "user add", store.error(), 1);
  SystemClock clock;
  auto app = App::Create(
      **store, clock,
      AppOptions{.data_dir = parsed->Get("data-dir"), .office_hours = parsed->Get("office-hours")});
  if (!app) return ReportError(err, "user add", app.error(), 1);

  accounts::RoleBinding binding{*role, 0, parsed->Has("subtree")};
  if (*role != accounts::Role::kCitizen) {
    const std::string unit = parsed->Get("unit");
    auto tree = (*app)->units().Tree();
    for (const auto& u : tree->units())
      if (u.agency_code == unit || std::to_string(u.id) == unit) binding.unit_id = u.id;
    if (binding.unit_id == 0)
      return ReportError(
          err, "user add",
          InvalidField("--unit", "no unit with agency code or id '" + unit + "'").error(), 2);
  }
  accounts::NewUser user{.username = parsed->positional[0],
                         .display_name = parsed->Get("display-name"),
                         .password = password,
                         .roles = {binding}};
  auto created = (*app)->accounts().CreateUser(user);
  if (!created) {
    int code = created.error().code == Code::kInvalidArgument ||
                       created.error().code == Code::kAlreadyExists
                   ? 2
                   : 1;
    return ReportError(err, "user add", created.error(), code);
  }
  (*store)->Close();
  out << "created user " << created->username << " (id " << created->id << ")\n";
  return 0;
}

}  // namespace motcua::app
