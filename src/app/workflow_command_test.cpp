#include "app/workflow_command.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

namespace motcua::app {
namespace {

struct Outcome {
  int code;
  std::string out, err;
};

std::filesystem::path Root() {
  const char* source = std::getenv("MOTCUA_SOURCE_DIR");
  return source && *source ? source : std::filesystem::current_path();
}

Outcome Workflow(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  int code = RunWorkflowCommand(args, out, err);
  return {code, out.str(), err.str()};
}

TEST(WorkflowCommandTest, ChecksEveryShippedWorkflow) {
  std::vector<std::string> args{"check"};
  for (const char* code : {"commune-simple", "department", "inter-level", "immediate"}) {
    args.push_back((Root() / "data" / "workflows" / (std::string(code) + ".json")).string());
  }
  auto r = Workflow(args);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("inter-level.json: ok (inter-level v1, 12 states, 14 actions)"),
            std::string::npos)
      << r.out;
}

TEST(WorkflowCommandTest, ReportsABrokenFileByPath) {
  std::string file = (Root() / "tests" / "golden" / "workflow" / "broken_graph.json").string();
  auto r = Workflow({"check", file});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find(file + ": states[5]: 'archived' is unreachable from the initial state\n"),
            std::string::npos)
      << r.err;
}

TEST(WorkflowCommandTest, ADirectoryOrMissingFileIsNotAWorkflow) {
  auto dir = Workflow({"check", Root().string()});
  EXPECT_EQ(dir.code, 1);
  EXPECT_EQ(dir.err, Root().string() + ": not a readable file\n");
  auto missing = Workflow({"describe", "/nonexistent-motcua/flow.json"});
  EXPECT_EQ(missing.code, 1);
}

}  // namespace
}  // namespace motcua::app
