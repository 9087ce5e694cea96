#include "http/params.hpp"

#include <algorithm>
#include <charconv>

namespace motcua::http {

std::optional<std::int64_t> ParsePositiveId(std::string_view text) {
  // 18 digits always fit in int64; longer is nonsense for a row id.
  if (text.empty() || text.size() > 18 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  std::int64_t id = 0;
  std::from_chars(text.data(), text.data() + text.size(), id);
  if (id <= 0) return std::nullopt;
  return id;
}

Result<std::int64_t> PathId(const Request& req) {
  auto it = req.path_params.find("id");
  auto id = it == req.path_params.end() ? std::nullopt : ParsePositiveId(it->second);
  if (!id) return InvalidField("id", "must be a positive integer");
  return *id;
}

}  // namespace motcua::http
