#include "services/accounts/rate_limiter.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

#include "common/check.hpp"

namespace motcua::accounts {
namespace {

// Usernames are at most 64 bytes; anything longer cannot be an account, so
// cutting it keeps keys small without merging real accounts.
constexpr std::size_t kMaxUsernameInKey = 64;
// The longest textual IPv6 address with a zone is under 64 bytes.
constexpr std::size_t kMaxIpInKey = 64;

}  // namespace

SlidingWindowLimiter::SlidingWindowLimiter(Options options) : options_(options) {
  MOTCUA_CHECK(options_.max_attempts > 0 && options_.window.count() > 0 && options_.max_keys > 0);
}

std::optional<Micros> SlidingWindowLimiter::TryAcquire(std::string_view key, TimePoint now) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(std::string(key));
  if (it == entries_.end()) {
    if (entries_.size() >= options_.max_keys) {
      entries_.erase(lru_.back());
      lru_.pop_back();
    }
    lru_.emplace_front(key);
    it = entries_.emplace(lru_.front(), Entry{{}, lru_.begin()}).first;
    // Room for a few attempts, not for max_attempts: most keys make one or
    // two, and reserving the limit (300 per address for lookups) for each of
    // max_keys keys would hold 120 MB for a scanner's many addresses.
    it->second.attempts.reserve(
        std::min<std::size_t>(4, static_cast<std::size_t>(options_.max_attempts)));
  } else {
    lru_.splice(lru_.begin(), lru_, it->second.lru);
  }
  auto& attempts = it->second.attempts;
  const TimePoint horizon = now - options_.window;
  attempts.erase(attempts.begin(), std::upper_bound(attempts.begin(), attempts.end(), horizon));
  if (attempts.size() >= static_cast<std::size_t>(options_.max_attempts)) {
    return std::max(Micros(1), attempts.front() + options_.window - now);
  }
  // Keep the vector sorted even if the clock stepped back.
  attempts.insert(std::upper_bound(attempts.begin(), attempts.end(), now), now);
  return std::nullopt;
}

void SlidingWindowLimiter::Release(std::string_view key, TimePoint at) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(std::string(key));
  if (it == entries_.end()) return;
  auto& attempts = it->second.attempts;
  auto pos = std::find(attempts.rbegin(), attempts.rend(), at);
  if (pos != attempts.rend()) attempts.erase(std::next(pos).base());
  if (attempts.empty()) {
    lru_.erase(it->second.lru);
    entries_.erase(it);
  }
}

void SlidingWindowLimiter::Reset(std::string_view key) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(std::string(key));
  if (it == entries_.end()) return;
  lru_.erase(it->second.lru);
  entries_.erase(it);
}

std::size_t SlidingWindowLimiter::key_count() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

LoginThrottle::LoginThrottle(Options options)
    : per_user_ip_(options.per_user_ip), per_ip_(options.per_ip) {}

std::optional<Micros> LoginThrottle::TryAcquire(std::string_view username, std::string_view ip,
                                                TimePoint now) {
  const std::string ip_key = IpKey(ip);
  if (auto wait = per_ip_.TryAcquire(ip_key, now)) return wait;
  if (auto wait = per_user_ip_.TryAcquire(PairKey(username, ip_key), now)) {
    per_ip_.Release(ip_key, now);  // this attempt is refused, so it must not count
    return wait;
  }
  return std::nullopt;
}

void LoginThrottle::Succeeded(std::string_view username, std::string_view ip, TimePoint at) {
  const std::string ip_key = IpKey(ip);
  per_user_ip_.Reset(PairKey(username, ip_key));
  // Only this attempt is taken back: an attacker holding one valid account
  // must not be able to wipe the address's failures by signing in.
  per_ip_.Release(ip_key, at);
}

std::string LoginThrottle::IpKey(std::string_view ip) {
  ip = ip.substr(0, kMaxIpInKey);
  const std::string text(ip);
  unsigned char addr[16];
  if (text.find(':') == std::string::npos || inet_pton(AF_INET6, text.c_str(), addr) != 1) {
    return text;
  }
  // An IPv4-mapped address (::ffff:a.b.c.d) is an IPv4 client: keep it whole.
  static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(addr, kMapped, sizeof kMapped) == 0) return text;
  std::memset(addr + 8, 0, 8);
  char out[INET6_ADDRSTRLEN];
  inet_ntop(AF_INET6, addr, out, sizeof out);
  return std::string(out) + "/64";
}

std::string LoginThrottle::PairKey(std::string_view username, std::string_view ip_key) {
  // The IP part never holds a newline (it comes from the socket), so the last
  // newline splits the key unambiguously.
  std::string key(username.substr(0, kMaxUsernameInKey));
  key += '\n';
  key += ip_key;
  return key;
}

}  // namespace motcua::accounts
