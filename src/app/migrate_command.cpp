#include "app/commands.hpp"
#include "app/settings.hpp"

namespace motcua::app {

int RunMigrate(const Args& args, std::ostream& out, std::ostream& err) {
  Command cmd("motcua migrate [options]",
              "Creates the database if needed and applies every schema migration not yet applied.\n"
              "Safe to run again: it does nothing when the schema is current.",
              CommonOptions());
  auto parsed = ParseCommand(cmd, args);
  if (!parsed) return ReportError(err, "migrate", parsed.error(), 2);
  if (parsed->help) {
    out << cmd.Help();
    return 0;
  }
  auto store = OpenStore(*parsed);
  if (!store) return ReportError(err, "migrate", store.error(), 1);
  auto before = (*store)->SchemaVersion();
  if (!before) return ReportError(err, "migrate", before.error(), 1);
  if (auto st = (*store)->Migrate(); !st) return ReportError(err, "migrate", st.error(), 1);
  int after = (*store)->LatestSchemaVersion();
  if (*before == after)
    out << "schema is current (version " << after << ")\n";
  else
    out << "schema migrated from version " << *before << " to " << after << "\n";
  (*store)->Close();
  return 0;
}

}  // namespace motcua::app
