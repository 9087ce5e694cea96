#include "core/workflow/cli.hpp"

#include <string_view>

#include "core/workflow/workflow.hpp"

namespace motcua::workflow {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitInvalid = 1;
constexpr int kExitUsage = 2;

constexpr const char* kUsage =
    "usage: motcua workflow <command> [options]\n"
    "\n"
    "commands:\n"
    "  check FILE...            validate workflow definitions; list every problem\n"
    "  describe FILE [--json]   print a workflow's states and actions\n"
    "\n"
    "options:\n"
    "  --json   print the graph as JSON (describe)\n"
    "  --help   this text, or a command's with the command\n"
    "\n"
    "The format is described in data/workflows/README.md.\n";

constexpr const char* kCheckHelp =
    "usage: motcua workflow check FILE...\n"
    "Validates each workflow definition and prints every problem as FILE: PATH: PROBLEM.\n"
    "Exit code 0 when every file is valid, 1 when one is not (or cannot be read).\n";

constexpr const char* kDescribeHelp =
    "usage: motcua workflow describe FILE [--json]\n"
    "Prints the states (national status, clock) and actions (from, to, roles, budget, flags)\n"
    "of a valid workflow; --json prints the graph as {nodes, edges} for the admin page.\n";

struct Options {
  bool json = false;
  bool help = false;
  std::vector<std::string> operands;
};

Result<Options> ParseOptions(const std::vector<std::string>& args) {
  Options o;
  bool only_operands = false;  // after "--", a file may start with '-'
  for (const std::string& a : args) {
    if (only_operands) {
      o.operands.push_back(a);
    } else if (a == "--") {
      only_operands = true;
    } else if (a == "--json") {
      o.json = true;
    } else if (a == "--help" || a == "-h") {
      o.help = true;
    } else if (a.size() > 1 && a[0] == '-') {
      return Fail(Code::kInvalidArgument, "unknown option '" + a + "'");
    } else {
      o.operands.push_back(a);
    }
  }
  return o;
}

std::string BudgetText(const std::optional<Budget>& b) {
  if (!b) return "";
  return std::to_string(b->value) +
         (b->unit == BudgetUnit::kWorkingDays ? " working day" : " working hour") +
         (b->value == 1 ? "" : "s");
}

void PrintText(const Workflow& wf, std::ostream& out) {
  out << wf.code() << " v" << wf.version() << ": " << wf.name() << " (" << wf.name_en() << ")\n";
  out << "states:\n";
  for (const State& s : wf.states()) {
    out << "  " << s.id << "  " << s.name << " (" << s.name_en << ")  status "
        << NationalCode(s.national_status) << " " << NationalStatusLabel(s.national_status)
        << ", clock " << ClockName(s.clock);
    if (&s == &wf.initial()) out << ", initial";
    if (s.terminal) out << ", terminal";
    out << "\n";
  }
  out << "actions:\n";
  for (const Action& a : wf.actions()) {
    out << "  " << a.id << "  " << a.name << " (" << a.name_en << ")\n    ";
    for (std::size_t i = 0; i < a.from.size(); ++i) {
      out << (i ? ", " : "") << wf.states()[a.from[i]].id;
    }
    out << " -> " << wf.states()[a.to].id << "; roles ";
    auto roles = a.roles.Roles();
    for (std::size_t i = 0; i < roles.size(); ++i) {
      out << (i ? ", " : "") << accounts::RoleName(roles[i]);
    }
    if (a.budget) out << "; budget " << BudgetText(a.budget);
    if (a.transfer) out << "; transfer to " << UnitKindName(*a.transfer);
    if (a.requires_reason) out << "; requires a reason";
    if (a.optional) out << "; optional";
    out << "\n";
  }
}

class Runner {
 public:
  Runner(const Options& o, const FileSource& files, std::ostream& out, std::ostream& err)
      : o_(o), files_(files), out_(out), err_(err) {}

  int Usage(const std::string& message) {
    err_ << "motcua workflow: " << message << "\n";
    return kExitUsage;
  }

  int Check() {
    const auto& args = o_.operands;
    if (args.size() < 2) return Usage("check needs at least one FILE (see --help)");
    if (o_.json) return Usage("--json is an option of describe, not of check");
    int invalid = 0;
    for (std::size_t i = 1; i < args.size(); ++i) {
      auto wf = Load(args[i]);
      if (!wf) {
        ++invalid;
        continue;
      }
      out_ << args[i] << ": ok (" << wf->code() << " v" << wf->version() << ", "
           << wf->states().size() << " states, " << wf->actions().size() << " actions)\n";
    }
    return invalid ? kExitInvalid : kExitOk;
  }

  int Describe() {
    const auto& args = o_.operands;
    if (args.size() != 2) return Usage("describe needs exactly one FILE (see --help)");
    auto wf = Load(args[1]);
    if (!wf) return kExitInvalid;
    if (o_.json) {
      out_ << wf->Describe() << "\n";
    } else {
      PrintText(*wf, out_);
    }
    return kExitOk;
  }

 private:
  // The workflow in `path`, or nullopt after printing why not.
  std::optional<Workflow> Load(const std::string& path) {
    auto text = files_(path);
    if (!text) {
      err_ << path << ": " << text.error().message << "\n";
      return std::nullopt;
    }
    auto wf = Workflow::Parse(*text);
    if (!wf) {
      err_ << path << ": " << wf.error().message << "\n";
      for (const auto& [field, problem] : wf.error().fields) {
        err_ << path << ": " << field << ": " << problem << "\n";
      }
      return std::nullopt;
    }
    return std::move(*wf);
  }

  const Options& o_;
  const FileSource& files_;
  std::ostream& out_;
  std::ostream& err_;
};

}  // namespace

int RunWorkflowCli(const std::vector<std::string>& args, const FileSource& files, std::ostream& out,
                   std::ostream& err) {
  auto options = ParseOptions(args);
  if (!options) {
    err << "motcua workflow: " << options.error().message << "\n";
    return kExitUsage;
  }
  const Options& o = *options;
  Runner runner(o, files, out, err);
  if (o.operands.empty()) {
    if (o.help) {
      out << kUsage;
      return kExitOk;
    }
    err << kUsage;
    return kExitUsage;
  }
  const std::string& command = o.operands[0];
  if (command == "check") {
    if (o.help) {
      out << kCheckHelp;
      return kExitOk;
    }
    return runner.Check();
  }
  if (command == "describe") {
    if (o.help) {
      out << kDescribeHelp;
      return kExitOk;
    }
    return runner.Describe();
  }
  return runner.Usage("unknown command '" + command + "' (see --help)");
}

}  // namespace motcua::workflow
