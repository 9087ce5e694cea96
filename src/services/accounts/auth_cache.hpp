// Recently proven credentials (sessions and API tokens), so that a request
// with one does not read the database again: authenticating was half the
// cost of a small authenticated request.
//
// An entry is valid until the earliest of: `ttl` after it was stored, the
// credential's own expiry, and the moment the credential's last-seen time is
// due to be written again (AccountOptions::touch_interval), so the sliding
// idle timeout and the last-used times keep working exactly as without the
// cache. Every change to accounts, roles, sessions or tokens made by this
// process clears the cache; another process's changes (several servers on
// one PostgreSQL database) are seen within `ttl`. A lookup that read the
// database while the cache was cleared does not store its result (it may
// predate the change).
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "common/clock.hpp"
#include "core/accounts/principal.hpp"

namespace motcua::accounts {

class AuthCache {
 public:
  // Beyond this many credentials in use at once the cache starts afresh:
  // a bound on memory, far above the staff of a province.
  static constexpr std::size_t kMaxEntries = 100'000;

  // The principal proven by the credential whose hash is `hash`, if cached
  // and still valid at `now`.
  std::optional<Principal> Find(const std::string& hash, TimePoint now) const;
  // Read before going to the database; pass it to Put.
  std::uint64_t Generation() const;
  void Put(const std::string& hash, std::uint64_t generation, Principal principal,
           TimePoint valid_until);
  void Clear();

 private:
  struct Entry {
    Principal principal;
    TimePoint valid_until;
  };
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;  // guarded by mu_
  std::uint64_t generation_ = 0;                    // guarded by mu_
};

}  // namespace motcua::accounts
