#include "core/workflow/registry.hpp"

namespace motcua::workflow {

Status Registry::Add(Workflow workflow) {
  auto key = std::make_pair(workflow.code(), workflow.version());
  if (workflows_.contains(key))
    return Fail(Code::kAlreadyExists, "workflow '" + key.first + "' version " +
                                          std::to_string(key.second) + " is loaded twice");
  workflows_.emplace(std::move(key), std::make_unique<Workflow>(std::move(workflow)));
  return {};
}

const Workflow* Registry::Find(std::string_view code, int version) const {
  auto it = workflows_.find(std::make_pair(std::string(code), version));
  return it == workflows_.end() ? nullptr : it->second.get();
}

const Workflow* Registry::Latest(std::string_view code) const {
  // The first key after every version of `code`, then one step back.
  auto it = workflows_.upper_bound(std::make_pair(std::string(code), INT32_MAX));
  if (it == workflows_.begin()) return nullptr;
  --it;
  return it->first.first == code ? it->second.get() : nullptr;
}

std::vector<const Workflow*> Registry::Latest() const {
  std::vector<const Workflow*> out;
  for (auto it = workflows_.begin(); it != workflows_.end(); ++it) {
    auto next = std::next(it);
    if (next == workflows_.end() || next->first.first != it->first.first)
      out.push_back(it->second.get());
  }
  return out;
}

std::vector<const Workflow*> Registry::Versions(std::string_view code) const {
  std::vector<const Workflow*> out;
  for (auto it = workflows_.lower_bound(std::make_pair(std::string(code), 0));
       it != workflows_.end() && it->first.first == code; ++it)
    out.push_back(it->second.get());
  return out;
}

}  // namespace motcua::workflow
