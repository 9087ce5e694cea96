// A workflow definition (data/workflows/*.json, or one an administrator
// uploads) through Workflow::Parse, which checks it as a whole; a definition
// that passes is then used as the services use it: every action decided in
// every state by every role, the allowed actions and the national status of
// each state, and Describe() for the admin page.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/workflow/workflow.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace wf = motcua::workflow;
  auto parsed = wf::Workflow::Parse(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!parsed) return 0;
  const wf::Workflow& w = *parsed;
  const auto everyone = wf::RoleSet::FromBits(0xFF);
  for (std::size_t s = 0; s < w.states().size(); ++s) {
    const auto state = static_cast<wf::StateIndex>(s);
    (void)w.RolesActingIn(state);
    (void)w.NationalStatusOf(w.states()[s].id);
    (void)w.AllowedActions(w.states()[s].id, everyone);
    for (std::size_t a = 0; a < w.actions().size(); ++a) {
      (void)w.Decide(state, static_cast<wf::ActionIndex>(a), everyone);
      (void)w.Decide(state, static_cast<wf::ActionIndex>(a), wf::RoleSet::FromBits(1));
    }
  }
  (void)w.Describe();
  return 0;
}
