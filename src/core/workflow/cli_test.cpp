// `motcua workflow` as an administrator uses it: exit codes, every problem
// with its file and JSON path, and the description of a shipped workflow.
#include "core/workflow/cli.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "core/workflow/internal/test_files.hpp"

namespace motcua::workflow {
namespace {

using internal::SourceDir;

struct Outcome {
  int code;
  std::string out, err;
};

Outcome Cli(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  int code = RunWorkflowCli(args, internal::ReadFile, out, err);
  return {code, out.str(), err.str()};
}

std::string Demo(const std::string& code) {
  return (SourceDir() / "data" / "workflows" / (code + ".json")).string();
}
std::string Golden(const std::string& name) {
  return (SourceDir() / "tests" / "golden" / "workflow" / name).string();
}

TEST(WorkflowCliTest, CheckPassesTheShippedWorkflows) {
  auto r = Cli({"check", Demo("commune-simple"), Demo("immediate")});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, Demo("commune-simple") + ": ok (commune-simple v1, 11 states, 13 actions)\n" +
                       Demo("immediate") + ": ok (immediate v1, 5 states, 4 actions)\n");
  EXPECT_EQ(r.err, "");
}

TEST(WorkflowCliTest, CheckListsEveryProblemWithFileAndPathAndFails) {
  std::string broken = Golden("broken_references.json");
  auto r = Cli({"check", Demo("department"), broken});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("department v1"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find(broken + ": workflow 'broken-references' is invalid: 10 problems\n"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find(broken + ": actions[1].to: unknown state 'aproved'\n"), std::string::npos);
  EXPECT_NE(r.err.find(broken + ": actions[2].roles[1]: unknown role 'clerk'"), std::string::npos);
  EXPECT_NE(r.err.find(broken + ": states[2]: 'approved' is unreachable from the initial state\n"),
            std::string::npos);
}

TEST(WorkflowCliTest, UnreadableFileIsInvalidNotAUsageError) {
  auto r = Cli({"check", "/nonexistent-motcua/flow.json"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "/nonexistent-motcua/flow.json: cannot open /nonexistent-motcua/flow.json\n");
}

TEST(WorkflowCliTest, UsageErrors) {
  EXPECT_EQ(Cli({}).code, 2);
  EXPECT_EQ(Cli({"check"}).code, 2);
  EXPECT_EQ(Cli({"describe"}).code, 2);
  EXPECT_EQ(Cli({"describe", Demo("immediate"), Demo("department")}).code, 2);
  auto unknown = Cli({"draw", Demo("immediate")});
  EXPECT_EQ(unknown.code, 2);
  EXPECT_EQ(unknown.err, "motcua workflow: unknown command 'draw' (see --help)\n");
  auto option = Cli({"check", "--strict", Demo("immediate")});
  EXPECT_EQ(option.code, 2);
  EXPECT_EQ(option.err, "motcua workflow: unknown option '--strict'\n");
}

TEST(WorkflowCliTest, HelpForTheCommandAndEachSubcommand) {
  auto top = Cli({"--help"});
  EXPECT_EQ(top.code, 0);
  EXPECT_TRUE(top.out.starts_with("usage: motcua workflow <command>")) << top.out;
  auto check = Cli({"check", "--help"});
  EXPECT_EQ(check.code, 0);
  EXPECT_TRUE(check.out.starts_with("usage: motcua workflow check FILE...")) << check.out;
  auto describe = Cli({"describe", "--help"});
  EXPECT_EQ(describe.code, 0);
  EXPECT_TRUE(describe.out.starts_with("usage: motcua workflow describe FILE")) << describe.out;
}

TEST(WorkflowCliTest, DescribePrintsStatesAndActions) {
  auto r = Cli({"describe", Demo("immediate")});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "immediate v1: Quy trình giải quyết ngay trong ngày (Answered the same working day)\n"
            "states:\n"
            "  received  Mới tiếp nhận (Received)  status 1 newly submitted, clock stopped, "
            "initial\n"
            "  processing  Đang giải quyết tại quầy (Being handled at the counter)  status 4 "
            "processing, clock running\n"
            "  returned  Đã trả kết quả (Result returned)  status 10 result returned, clock "
            "stopped, terminal\n"
            "  refused  Từ chối tiếp nhận (Not accepted)  status 3 not accepted, clock stopped, "
            "terminal\n"
            "  withdrawn  Công dân đã rút hồ sơ (Withdrawn by the citizen)  status 7 withdrawn, "
            "clock stopped, terminal\n"
            "actions:\n"
            "  accept  Tiếp nhận hồ sơ (Accept the dossier)\n"
            "    received -> processing; roles officer; budget 4 working hours\n"
            "  refuse  Từ chối tiếp nhận (Refuse the dossier)\n"
            "    received -> refused; roles officer; requires a reason\n"
            "  return_result  Trả kết quả (Return the result)\n"
            "    processing -> returned; roles officer\n"
            "  withdraw  Công dân rút hồ sơ (Withdrawn by the citizen)\n"
            "    received, processing -> withdrawn; roles citizen, officer\n");
}

TEST(WorkflowCliTest, DescribeJsonShowsTransfers) {
  auto r = Cli({"describe", Demo("inter-level"), "--json"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("{\"code\":\"inter-level\",\"version\":1,")) << r.out;
  EXPECT_NE(r.out.find("\"action\":\"transfer_to_department\",\"name\":\"Chuyển liên thông lên "
                       "Sở\""),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\"transfer\":\"department\""), std::string::npos);
  EXPECT_NE(r.out.find("\"optional\":true"), std::string::npos);
}

TEST(WorkflowCliTest, DescribeOfABrokenFileListsItsProblems) {
  auto r = Cli({"describe", Golden("broken_syntax.json")});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("broken_syntax.json: $: invalid JSON at line 5, column 54"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.out, "");
}

}  // namespace
}  // namespace motcua::workflow
