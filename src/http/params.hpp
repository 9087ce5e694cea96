// Reading ids from paths and query strings, the same way in every handler.
// Pure functions, thread safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "common/result.hpp"
#include "http/message.hpp"

namespace motcua::http {

// A positive decimal id: 1 to 18 digits and nothing else; nullopt otherwise.
std::optional<std::int64_t> ParsePositiveId(std::string_view text);

// The route's "{id}" parameter. Errors: kInvalidArgument naming "id".
[[nodiscard]] Result<std::int64_t> PathId(const Request& req);

}  // namespace motcua::http
