#include "http/handlers/lookup_cache.hpp"

#include <functional>
#include <utility>

#include "core/dossier/lookup_secret.hpp"

namespace motcua::http {

std::optional<std::string> LookupCache::Find(const std::string& number, std::string_view secret,
                                             TimePoint now) {
  Shard& s = ShardOf(number);
  std::lock_guard lock(s.mu);
  auto it = s.entries.find(number);
  if (it == s.entries.end()) return std::nullopt;
  if (now - it->second.stored_at >= kTtl || now < it->second.stored_at) {
    s.entries.erase(it);
    return std::nullopt;
  }
  if (!dossier::LookupSecretMatches(number, secret, it->second.lookup_hash)) return std::nullopt;
  return it->second.body;
}

std::uint64_t LookupCache::Epoch(const std::string& number) {
  Shard& s = ShardOf(number);
  std::lock_guard lock(s.mu);
  return s.epoch;
}

void LookupCache::Put(const std::string& number, std::uint64_t epoch, Entry entry) {
  Shard& s = ShardOf(number);
  std::lock_guard lock(s.mu);
  if (s.epoch != epoch) return;
  if (s.entries.size() >= kPerShard && !s.entries.contains(number))
    s.entries.erase(s.entries.begin());
  s.entries.insert_or_assign(number, std::move(entry));
}

void LookupCache::Invalidate(const std::string& number) {
  Shard& s = ShardOf(number);
  std::lock_guard lock(s.mu);
  s.entries.erase(number);
  ++s.epoch;
}

LookupCache::Shard& LookupCache::ShardOf(const std::string& number) {
  return shards_[std::hash<std::string>{}(number) % kShards];
}

}  // namespace motcua::http
