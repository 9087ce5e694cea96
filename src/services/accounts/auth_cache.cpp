#include "services/accounts/auth_cache.hpp"

namespace motcua::accounts {

std::optional<Principal> AuthCache::Find(const std::string& hash, TimePoint now) const {
  std::lock_guard lock(mu_);
  auto it = entries_.find(hash);
  if (it == entries_.end() || now >= it->second.valid_until) return std::nullopt;
  return it->second.principal;
}

std::uint64_t AuthCache::Generation() const {
  std::lock_guard lock(mu_);
  return generation_;
}

void AuthCache::Put(const std::string& hash, std::uint64_t generation, Principal principal,
                    TimePoint valid_until) {
  std::lock_guard lock(mu_);
  if (generation != generation_) return;
  if (entries_.size() >= kMaxEntries && !entries_.contains(hash)) entries_.clear();
  entries_.insert_or_assign(hash, Entry{std::move(principal), valid_until});
}

void AuthCache::Clear() {
  std::lock_guard lock(mu_);
  entries_.clear();
  ++generation_;
}

}  // namespace motcua::accounts
