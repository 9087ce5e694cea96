#include "app/workflow_command.hpp"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "common/result.hpp"
#include "core/workflow/cli.hpp"

namespace motcua::app {
namespace {

// Workflow::Parse refuses more than a megabyte anyway; reading no further
// keeps a mistaken argument (a disk image, /dev/zero) from filling memory.
constexpr std::uintmax_t kMaxFileBytes = 2 << 20;

Result<std::string> ReadDefinition(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return Fail(Code::kNotFound, "not a readable file");
  }
  auto size = std::filesystem::file_size(path, ec);
  if (ec) return Fail(Code::kUnavailable, "cannot read: " + ec.message());
  if (size > kMaxFileBytes) return Fail(Code::kInvalidArgument, "too large for a workflow");
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in.good() && !in.eof()) return Fail(Code::kUnavailable, "cannot read");
  return text.str();
}

}  // namespace

int RunWorkflowCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  return workflow::RunWorkflowCli(args, ReadDefinition, out, err);
}

}  // namespace motcua::app
