// SHA-256 for the event hash chain and for hashed secrets kept by core types.
// Pure computation; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace motcua::events {

// Lower-case hex (64 characters) SHA-256 of `bytes`.
std::string Sha256Hex(std::string_view bytes);

}  // namespace motcua::events
