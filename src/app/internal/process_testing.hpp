// For the app tests that run the real binary: `motcua <command>` with its
// output, `motcua serve` in a child process on a free port, a demo user's
// session, a schema of its own on the test PostgreSQL server, and a counter
// submission at the demo's Ba Bể commune, a province's data folder, and a
// stand-in for an outside system (tests/standins/). Shared by cli_test.cpp,
// backup_command_test.cpp, crash_test.cpp and national_sync_test.cpp; not
// for production code.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "http/test_client.hpp"
#include "storage/store.hpp"

namespace motcua::app::internal {

namespace fs = std::filesystem;

struct RunResult {
  int exit_code = -1;
  std::string out, err;
};

inline std::string ReadAll(int fd) {
  std::string s;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) s.append(buf, static_cast<std::size_t>(n));
  return s;
}

// Runs the real binary with `args`, feeding `input` on stdin, in `cwd`, with
// `env` added to a minimal environment (no MOTCUA_* leaks in from outside).
inline RunResult RunMotcua(const std::vector<std::string>& args, const std::string& input = "",
                           const fs::path& cwd = fs::current_path(),
                           const std::vector<std::string>& env = {}) {
  int in[2], out[2], err[2];
  EXPECT_EQ(::pipe(in), 0);
  EXPECT_EQ(::pipe(out), 0);
  EXPECT_EQ(::pipe(err), 0);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(in[0], 0);
    ::dup2(out[1], 1);
    ::dup2(err[1], 2);
    for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1]}) ::close(fd);
    if (::chdir(cwd.c_str()) != 0) ::_exit(127);
    std::vector<std::string> all = {MOTCUA_BINARY_PATH};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> envs = {"PATH=/usr/bin:/bin"};
    envs.insert(envs.end(), env.begin(), env.end());
    std::vector<char*> envp;
    for (auto& e : envs) envp.push_back(e.data());
    envp.push_back(nullptr);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  if (!input.empty()) {
    EXPECT_EQ(::write(in[1], input.data(), input.size()), static_cast<ssize_t>(input.size()));
  }
  ::close(in[1]);
  RunResult r;
  std::thread t([&] { r.err = ReadAll(err[0]); });
  r.out = ReadAll(out[0]);
  t.join();
  ::close(out[0]);
  ::close(err[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

// A child process running `argv` (a path, or a program on PATH) in `cwd`
// (this folder when empty), its standard error dropped; returns its pid, the
// read end of its standard output and the first line it printed there (how
// a server says which port it took).
struct Child {
  pid_t pid = -1;
  int out = -1;
  std::string first_line;
};
inline Child SpawnReadingFirstLine(std::vector<std::string> argv, const fs::path& cwd = {}) {
  int out[2];
  EXPECT_EQ(::pipe(out), 0);
  Child child;
  child.pid = ::fork();
  if (child.pid == 0) {
    ::dup2(out[1], 1);
    int devnull = ::open("/dev/null", O_WRONLY);
    ::dup2(devnull, 2);
    ::close(out[0]);
    ::close(out[1]);
    if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) ::_exit(127);
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  ::close(out[1]);
  child.out = out[0];
  char c;
  while (::read(child.out, &c, 1) == 1 && c != '\n') child.first_line.push_back(c);
  return child;
}

// `motcua serve` in a child process on a free port, stopped (SIGTERM) by
// Stop or the destructor.
class ServeProcess {
 public:
  ServeProcess(const fs::path& cwd, const std::string& db,
               const std::vector<std::string>& extra = {}) {
    std::vector<std::string> all = {MOTCUA_BINARY_PATH, "serve",       "--db",      db,
                                    "--listen",         "127.0.0.1:0", "--threads", "2",
                                    "--log-level",      "warn"};
    all.insert(all.end(), extra.begin(), extra.end());
    Child child = SpawnReadingFirstLine(std::move(all), cwd);
    pid_ = child.pid;
    out_ = child.out;
    const std::string& line = child.first_line;
    auto colon = line.rfind(':');
    if (colon != std::string::npos && line.find("listening") != std::string::npos)
      port_ = static_cast<std::uint16_t>(std::stoi(line.substr(colon + 1)));
  }
  ~ServeProcess() { (void)Stop(); }
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  std::uint16_t port() const { return port_; }  // 0 if it did not start
  pid_t pid() const { return pid_; }
  // Stops it with `signal`; returns its exit code (128 + signal if killed,
  // -1 if it did not stop within 20 s).
  int Stop(int signal = SIGTERM) {
    if (pid_ <= 0) return exit_code_;
    ::kill(pid_, signal);
    int status = 0;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
        ::close(out_);
        return exit_code_ = -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    pid_ = -1;
    ::close(out_);
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return exit_code_;
  }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  std::uint16_t port_ = 0;
  int exit_code_ = -1;
};

// DIR/data with the source tree's law-as-data folders (the demo province,
// holidays, workflows, forms, statistics, integrations), for a server or a
// command run in DIR.
inline void MakeProvinceFolder(const fs::path& dir) {
  fs::create_directories(dir / "data");
  const char* src = std::getenv("MOTCUA_SOURCE_DIR");
  const fs::path source = src ? fs::path(src) : fs::current_path();
  for (const char* part : {"demo", "holidays", "workflows", "documents", "statistics",
                           "integrations", "notifications"})
    fs::copy(source / "data" / part, dir / "data" / part, fs::copy_options::recursive);
}

// A stand-in for an outside system (tests/standins/NAME/server.mjs) in a
// child process on a free port: `node server.mjs --port 0 ARGS...`, which
// prints "listening on PORT". Stop kills it (SIGKILL for a crash); Start
// again with the same arguments is a restart.
class StandIn {
 public:
  StandIn(std::string name, std::vector<std::string> args)
      : name_(std::move(name)), args_(std::move(args)) {
    Start();
  }
  // A stand-in that is not a Node server: `program` and its script, under
  // tests/standins/NAME/ (Debian's python3 for the SMTP server, aiosmtpd).
  StandIn(std::string name, std::string program, std::string script, std::vector<std::string> args)
      : name_(std::move(name)),
        args_(std::move(args)),
        program_(std::move(program)),
        script_(std::move(script)) {
    Start();
  }
  ~StandIn() { Stop(SIGTERM); }
  StandIn(const StandIn&) = delete;
  StandIn& operator=(const StandIn&) = delete;

  void Start() {
    const char* src = std::getenv("MOTCUA_SOURCE_DIR");
    const fs::path source = src ? fs::path(src) : fs::current_path();
    std::vector<std::string> all = {program_,
                                    (source / "tests" / "standins" / name_ / script_).string(),
                                    "--port", port_ == 0 ? "0" : std::to_string(port_)};
    all.insert(all.end(), args_.begin(), args_.end());
    Child child = SpawnReadingFirstLine(std::move(all));
    pid_ = child.pid;
    ::close(child.out);
    const std::string& line = child.first_line;
    if (line.rfind("listening on ", 0) == 0)
      port_ = static_cast<std::uint16_t>(std::stoi(line.substr(13)));
    EXPECT_NE(port_, 0) << "the " << name_ << " stand-in did not start: '" << line << "'";
  }
  void Stop(int signal) {
    if (pid_ <= 0) return;
    ::kill(pid_, signal);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  // Its port; a restart keeps it, so that motcua's configuration holds.
  std::uint16_t port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  std::string name_;
  std::vector<std::string> args_;
  std::string program_ = "node";
  std::string script_ = "server.mjs";
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
};

// A signed-in demo user's headers (session cookie and CSRF token).
inline http::Headers SignIn(http::TestClient& client, const std::string& username) {
  auto r = client.Send("POST", "/api/v1/auth/login",
                       R"({"username":")" + username + R"(","password":"motcua-demo-2026"})",
                       {{"content-type", "application/json"}});
  EXPECT_EQ(r.status, 200) << r.body;
  if (r.status != 200) return {};
  std::string cookie(r.Header("set-cookie").value_or(""));
  cookie = cookie.substr(0, cookie.find(';'));
  std::string csrf(boost::json::parse(r.body).at("csrf_token").as_string());
  return {{"cookie", cookie}, {"x-csrf-token", csrf}, {"content-type", "application/json"}};
}

// The PostgreSQL server of the test command, with a schema of its own for
// this test (dropped first if a killed run left it).
inline std::string PostgresSchemaUrl(const std::string& schema,
                                     const char* server = "MOTCUA_TEST_POSTGRES_URL") {
  const char* base = std::getenv(server);
  if (base == nullptr || *base == '\0') {
    ADD_FAILURE() << server
                  << " is not set: run scripts/test.sh, which starts the PostgreSQL servers";
    return "";
  }
  auto admin = storage::Store::Open(base);
  EXPECT_TRUE(admin) << admin.error().message;
  if (!admin) return "";
  Status made = (*admin)->WriteSync([&](storage::Tx& tx) -> Status {
    MOTCUA_TRY(tx.Exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE"));
    MOTCUA_TRY(tx.Exec("CREATE SCHEMA " + schema));
    return {};
  });
  EXPECT_TRUE(made) << made.error().message;
  return std::string(base) + (std::string(base).find('?') == std::string::npos ? "?" : "&") +
         "options=-csearch_path%3D" + schema;
}

// A counter submission at Ba Bể (the demo's commune 000.54.00.H55).
inline http::Response SubmitAtBaBe(http::TestClient& client, const http::Headers& officer,
                                   std::int64_t unit_id) {
  return client.Send("POST", "/api/v1/dossiers",
                     R"({"procedure_code":"1.004873.000.00.00.H56","unit_id":)" +
                         std::to_string(unit_id) +
                         R"(,"channel":1,"consent":true,"applicant":{"full_name":"Trần Văn Bình",)"
                         R"("id_number":"001203004568","phone":"0912345679"}})",
                     officer);
}

inline std::int64_t BaBeUnitId(http::TestClient& client) {
  auto units = boost::json::parse(client.Send("GET", "/api/v1/units?kind=commune").body);
  for (const auto& u : units.at("items").as_array())
    if (u.at("agency_code").as_string() == "000.54.00.H55") return u.at("id").as_int64();
  return 0;
}

// The NNNN of "AGENCY-YYMMDD-NNNN", by day.
inline std::map<std::string, std::vector<int>> SerialsByDay(
    const std::vector<std::string>& numbers) {
  std::map<std::string, std::vector<int>> out;
  for (const std::string& n : numbers) {
    const std::size_t dash = n.rfind('-');
    out[n.substr(0, dash)].push_back(std::stoi(n.substr(dash + 1)));
  }
  for (auto& [day, serials] : out) std::sort(serials.begin(), serials.end());
  return out;
}

// A dossier submitted at Ba Bể with two uploaded pages (TP1, TP2), different
// for each `n`: at the counter (channel 1) by an officer's `headers`, or
// online by a citizen's. nullopt when any step was not acknowledged (2xx);
// the client throws if the server is gone mid-request.
struct SubmittedWithFiles {
  std::int64_t id = 0;
  std::string number;
  std::vector<std::pair<std::string, std::string>> files;  // attachment id, bytes
};
inline std::optional<SubmittedWithFiles> SubmitWithFilesAtBaBe(http::TestClient& client,
                                                               const http::Headers& headers,
                                                               std::int64_t unit, bool counter,
                                                               int n) {
  SubmittedWithFiles s;
  std::string files_json;
  for (const char* component : {"TP1", "TP2"}) {
    http::Headers h;
    for (const auto& kv : headers)
      if (kv.first != "content-type") h.push_back(kv);
    h.emplace_back("content-type", "application/pdf");
    h.emplace_back("x-file-name", std::string(component) + ".pdf");
    const std::string bytes =
        "%PDF-1.4\n% page " + std::to_string(n) + " " + component + "\n%%EOF\n";
    auto up = client.Send("POST", "/api/v1/attachments", bytes, h);
    if (up.status != 201) return std::nullopt;
    const std::string id(boost::json::parse(up.body).at("id").as_string());
    s.files.emplace_back(id, bytes);
    if (!files_json.empty()) files_json += ",";
    files_json += R"({"attachment_id":")" + id + R"(","component_code":")" + component + R"("})";
  }
  auto r = client.Send(
      "POST", "/api/v1/dossiers",
      R"({"procedure_code":"1.004873.000.00.00.H56","unit_id":)" + std::to_string(unit) +
          (counter ? R"(,"channel":1)" : "") +
          R"(,"consent":true,"applicant":{"full_name":"Trần Văn Bình","id_number":"001203004568",)"
          R"("phone":"0912345679"},"files":[)" +
          files_json + "]}",
      headers);
  if (r.status != 201) return std::nullopt;
  auto body = boost::json::parse(r.body);
  s.id = body.at("dossier").at("id").as_int64();
  s.number = body.at("dossier").at("number").as_string();
  return s;
}

}  // namespace motcua::app::internal
