#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>

#include "app/commands.hpp"
#include "app/settings.hpp"
#include "app/wiring.hpp"
#include "core/units/csv_import.hpp"
#include "documents/signing.hpp"

namespace motcua::app {
namespace {

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(Code::kNotFound, "cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct DemoUser {
  std::string where;  // file:line, for errors
  accounts::NewUser user;
  std::string unit_name;
};

// data/demo/users.csv: username,display_name,password,role,unit_agency_code,subtree
Status ReadUsers(App& app, const std::string& path, std::vector<DemoUser>* users) {
  std::string text = MOTCUA_TRY(ReadFile(path));
  auto rows = MOTCUA_TRY(units::ParseCsv(text));
  auto tree = app.units().Tree();
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const auto& f = rows[i].fields;
    std::string where = path + ":" + std::to_string(rows[i].line);
    if (f.size() != 6) return Fail(Code::kInvalidArgument, where + ": expected 6 columns");
    auto role = accounts::ParseRole(f[3]);
    if (!role) return Fail(Code::kInvalidArgument, where + ": unknown role '" + f[3] + "'");
    DemoUser user{.where = where,
                  .user = {.username = f[0], .display_name = f[1], .password = f[2], .roles = {}}};
    if (*role != accounts::Role::kCitizen) {
      const units::Unit* unit = nullptr;
      for (const auto& u : tree->units())
        if (u.agency_code == f[4]) unit = &u;
      if (unit == nullptr)
        return Fail(Code::kInvalidArgument, where + ": unknown unit '" + f[4] + "'");
      user.user.roles.push_back({*role, unit->id, f[5] == "true"});
      user.unit_name = unit->name;
    } else {
      user.user.roles.push_back({*role, 0, false});
    }
    users->push_back(std::move(user));
  }
  return {};
}

void PrintLogins(std::ostream& out, const std::vector<DemoUser>& users) {
  out << "demo logins:\n";
  out << "  " << std::left << std::setw(26) << "username" << std::setw(20) << "password"
      << std::setw(16) << "role"
      << "unit\n";
  for (const auto& u : users) {
    out << "  " << std::left << std::setw(26) << u.user.username << std::setw(20) << u.user.password
        << std::setw(16) << accounts::RoleName(u.user.roles.front().role) << u.unit_name << "\n";
  }
}

// The demo's public-key infrastructure: a root CA that motcua trusts
// (DATA_DIR/keys/trusted-ca/demo-ca.pem) and a PKCS#12 signing file for
// every unit leader (DATA_DIR/keys/signers/USERNAME.p12, opened with the
// leader's demo password), made once: files already there are kept. Each
// leader's certificate is registered to their account (a result is signed
// only with the signer's own), once.
Status MakeDemoPki(accounts::AccountService& accounts, const std::string& data_dir,
                   const std::vector<DemoUser>& users, std::ostream& out) {
  namespace fs = std::filesystem;
  const fs::path keys = fs::path(data_dir) / "keys";
  const fs::path ca_pem = keys / "trusted-ca" / "demo-ca.pem", ca_key = keys / "demo-ca.key";
  std::error_code ec;
  fs::create_directories(keys / "trusted-ca", ec);
  fs::create_directories(keys / "signers", ec);
  if (ec) return Fail(Code::kUnavailable, "cannot create " + keys.string() + ": " + ec.message());
  fs::permissions(keys, fs::perms::owner_all, ec);
  const TimePoint from = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()) -
                         std::chrono::days(1);
  documents::DemoCa ca;
  if (fs::exists(ca_pem) && fs::exists(ca_key)) {
    ca.cert_pem = MOTCUA_TRY(ReadFile(ca_pem.string()));
    ca.key_pem = MOTCUA_TRY(ReadFile(ca_key.string()));
  } else {
    ca = MOTCUA_TRY(
        documents::MakeDemoCa("motcua Demo CA (không dùng thật)", "motcua demo", from, 10));
    std::ofstream(ca_key, std::ios::binary) << ca.key_pem;
    fs::permissions(ca_key, fs::perms::owner_read | fs::perms::owner_write, ec);
    std::ofstream(ca_pem, std::ios::binary) << ca.cert_pem;
  }
  bool any = false;
  for (const auto& u : users) {
    if (u.user.roles.front().role != accounts::Role::kUnitLeader) continue;
    const fs::path p12 = keys / "signers" / (u.user.username + ".p12");
    if (!fs::exists(p12)) {
      auto der = MOTCUA_TRY(documents::MakeDemoSigner(ca, u.user.display_name, u.unit_name,
                                                      u.user.password, from, 3));
      std::ofstream(p12, std::ios::binary) << der;
      fs::permissions(p12, fs::perms::owner_read | fs::perms::owner_write, ec);
    }
    const auto identity = MOTCUA_TRY(documents::SigningIdentity::FromPkcs12(
        MOTCUA_TRY(ReadFile(p12.string())), u.user.password));
    MOTCUA_TRY_VOID(accounts.RegisterSetupCertificate(u.user.username, identity.certificate()));
    if (!any)
      out << "\nsigning certificates of the unit leaders (PKCS#12, password: the login's):\n";
    any = true;
    out << "  " << p12.string() << "\n";
  }
  return {};
}

}  // namespace

int RunDemo(const Args& args, std::ostream& out, std::ostream& err) {
  auto options = CommonOptions();
  options.push_back(
      {"if-empty", "", "do nothing (and succeed) if the database already has units", "", false});
  Command cmd(
      "motcua demo [options]",
      "Loads the demo province (a merged Thái Nguyên with the former Bắc Kạn, its departments and\n"
      "communes, and a user for every role) from DATA_DIR/demo into an empty database, applying\n"
      "the schema migrations first. Prints the demo logins.",
      options);
  auto parsed = ParseCommand(cmd, args);
  if (!parsed) return ReportError(err, "demo", parsed.error(), 2);
  if (parsed->help) {
    out << cmd.Help();
    return 0;
  }
  auto store = OpenStore(*parsed);
  if (!store) return ReportError(err, "demo", store.error(), 1);
  if (auto st = (*store)->Migrate(); !st) return ReportError(err, "demo", st.error(), 1);
  SystemClock clock;
  auto app = App::Create(
      **store, clock,
      AppOptions{.data_dir = parsed->Get("data-dir"), .office_hours = parsed->Get("office-hours")});
  if (!app) return ReportError(err, "demo", app.error(), 1);
  if ((*app)->units().Tree()->size() > 0) {
    if (parsed->Has("if-empty")) {
      out << "the database already holds data; demo not loaded again\n\n";
      std::vector<DemoUser> users;
      if (auto st = ReadUsers(**app, parsed->Get("data-dir") + "/demo/users.csv", &users); !st)
        return ReportError(err, "demo", st.error(), 1);
      PrintLogins(out, users);
      if (auto st = MakeDemoPki((*app)->accounts(), parsed->Get("data-dir"), users, out); !st)
        return ReportError(err, "demo", st.error(), 1);
      return 0;
    }
    return ReportError(
        err, "demo",
        Error{Code::kFailedPrecondition,
              "the database already holds units; the demo loads only into an empty one",
              {}},
        1);
  }
  std::string dir = parsed->Get("data-dir") + "/demo/";
  auto csv = ReadFile(dir + "units.csv");
  if (!csv) return ReportError(err, "demo", csv.error(), 1);
  auto counts = (*app)->units().ImportCsv(*csv);
  if (!counts) return ReportError(err, "demo", counts.error(), 1);
  std::vector<DemoUser> users;
  if (auto st = ReadUsers(**app, dir + "users.csv", &users); !st)
    return ReportError(err, "demo", st.error(), 1);
  for (const auto& u : users) {
    if (auto r = (*app)->accounts().CreateUser(u.user); !r) {
      Error e = r.error();
      e.message = u.where + ": " + e.message;
      return ReportError(err, "demo", e, 1);
    }
  }
  if (auto st = catalog::LoadCatalogFile((*app)->catalog(), dir + "procedures.json"); !st)
    return ReportError(err, "demo", st.error(), 1);
  std::size_t procedures = (*app)->catalog().Snapshot()->codes();

  out << "demo province loaded: " << counts->units_created << " units, " << counts->links_created
      << " predecessor/successor links, " << users.size() << " users, " << procedures
      << " procedures\n\n";
  PrintLogins(out, users);
  if (auto st = MakeDemoPki((*app)->accounts(), parsed->Get("data-dir"), users, out); !st)
    return ReportError(err, "demo", st.error(), 1);
  (*store)->Close();
  return 0;
}

}  // namespace motcua::app
