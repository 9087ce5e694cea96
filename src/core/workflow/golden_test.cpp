// Data-driven tests: tests/golden/workflow holds broken definitions (*.json)
// beside the exact list of problems each must produce (*.expected), so that a
// reviewer can read what an administrator would see without reading C++.
#include <gtest/gtest.h>

#include "core/workflow/internal/test_files.hpp"
#include "core/workflow/workflow.hpp"

namespace motcua::workflow {
namespace {

using internal::FilesIn;
using internal::ReadFile;
using internal::SourceDir;

// The message, then one "PATH<TAB>PROBLEM" line per problem, in path order.
std::string Render(const Error& e) {
  std::string out = e.message + "\n";
  for (const auto& [path, problem] : e.fields) out += path + "\t" + problem + "\n";
  return out;
}

TEST(WorkflowGoldenTest, EveryBrokenDefinitionGivesExactlyItsExpectedProblems) {
  auto files = FilesIn(SourceDir() / "tests" / "golden" / "workflow", ".json");
  ASSERT_GE(files.size(), 5u) << "golden definitions missing";
  for (const auto& file : files) {
    SCOPED_TRACE(file.filename().string());
    auto text = ReadFile(file.string());
    ASSERT_TRUE(text) << text.error().message;
    auto expected = ReadFile(std::filesystem::path(file).replace_extension(".expected").string());
    ASSERT_TRUE(expected) << expected.error().message;
    auto wf = Workflow::Parse(*text);
    ASSERT_FALSE(wf) << "loaded although broken";
    EXPECT_EQ(wf.error().code, Code::kInvalidArgument);
    EXPECT_EQ(Render(wf.error()), *expected);
  }
}

TEST(WorkflowGoldenTest, EveryShippedWorkflowLoads) {
  auto files = FilesIn(SourceDir() / "data" / "workflows", ".json");
  ASSERT_GE(files.size(), 4u) << "demo workflows missing";
  for (const auto& file : files) {
    SCOPED_TRACE(file.filename().string());
    auto text = ReadFile(file.string());
    ASSERT_TRUE(text) << text.error().message;
    auto wf = Workflow::Parse(*text);
    ASSERT_TRUE(wf) << Render(wf.error());
    // The file is named after the workflow's code, as the loaders of the
    // catalogue will look it up.
    EXPECT_EQ(wf->code() + ".json", file.filename().string());
  }
}

}  // namespace
}  // namespace motcua::workflow
