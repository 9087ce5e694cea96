// Every workflow the server knows, by code and version.
//
// A dossier keeps the workflow version it was received under, so versions
// are never replaced: a changed definition is loaded as a new version, new
// dossiers take the newest, and dossiers in progress finish under theirs.
//
// Thread safety: build it before serving (Add), then share it read-only;
// const members may be called from any thread.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.hpp"
#include "core/workflow/workflow.hpp"

namespace motcua::workflow {

class Registry {
 public:
  // Errors: kAlreadyExists if this code and version are present.
  [[nodiscard]] Status Add(Workflow workflow);

  // nullptr if unknown.
  const Workflow* Find(std::string_view code, int version) const;
  const Workflow* Latest(std::string_view code) const;
  // The newest version of every code, by code.
  std::vector<const Workflow*> Latest() const;
  // Every version of one code, ascending.
  std::vector<const Workflow*> Versions(std::string_view code) const;
  std::size_t size() const { return workflows_.size(); }

 private:
  // Stable addresses: Transitions point into the workflows.
  std::map<std::pair<std::string, int>, std::unique_ptr<Workflow>, std::less<>> workflows_;
};

}  // namespace motcua::workflow
