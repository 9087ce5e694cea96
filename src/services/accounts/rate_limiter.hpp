// In-memory sliding-window limits on attempts, for sign-in and registration.
//
// A key (an IP, or a username and an IP) may make `max_attempts` attempts in
// any `window`; one more is refused, and the caller is told how long until
// the oldest attempt leaves the window. Refused attempts are not recorded, so
// a client hammering a limited key does not extend its own ban, and cost the
// server a map lookup only.
//
// Memory is bounded: at most `max_keys` keys of at most `max_attempts` times
// each; when full, the key used least recently is forgotten (an attacker
// would need more addresses than max_keys within one window to make us
// forget one of theirs).
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/clock.hpp"

namespace motcua::accounts {

class SlidingWindowLimiter {
 public:
  struct Options {
    int max_attempts = 5;
    Micros window = std::chrono::minutes(15);
    std::size_t max_keys = 50'000;
  };

  explicit SlidingWindowLimiter(Options options);

  // Records an attempt for `key` at `now` and returns nullopt, or, if the key
  // has used up its attempts, records nothing and returns the wait (> 0).
  std::optional<Micros> TryAcquire(std::string_view key, TimePoint now);
  // Takes back one attempt recorded at `at` (the attempt turned out not to
  // count, e.g. a successful sign-in).
  void Release(std::string_view key, TimePoint at);
  // Forgets every attempt of `key`.
  void Reset(std::string_view key);

  std::size_t key_count() const;

 private:
  struct Entry {
    std::vector<TimePoint> attempts;  // ascending
    std::list<std::string>::iterator lru;
  };

  Options options_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
  std::list<std::string> lru_;  // front: used most recently
};

// The sign-in policy: per (username, IP) and per IP. IPv6 addresses are
// grouped by their /64, which a single host usually owns whole.
class LoginThrottle {
 public:
  struct Options {
    // A person who forgot their password gets five tries per quarter hour;
    // an online guesser gets 480 a day per address and username, hopeless
    // against a 10-character password that is not on a common list.
    SlidingWindowLimiter::Options per_user_ip{5, std::chrono::minutes(15), 50'000};
    // One address trying many usernames (password spraying); generous
    // enough for a one-stop counter's office behind a single NAT address.
    SlidingWindowLimiter::Options per_ip{30, std::chrono::minutes(15), 50'000};
  };

  explicit LoginThrottle(Options options);

  // nullopt: go ahead (the attempt is counted until Succeeded says
  // otherwise). Else the wait before the next attempt may be made.
  std::optional<Micros> TryAcquire(std::string_view username, std::string_view ip, TimePoint now);
  // The attempt started at `at` succeeded: clears the (username, IP) count
  // and takes this attempt back from the IP count.
  void Succeeded(std::string_view username, std::string_view ip, TimePoint at);

  // The key under which an address is counted ("2001:db8:1:2::/64" for
  // any IPv6 address in that /64; IPv4 and unparsable text as given).
  static std::string IpKey(std::string_view ip);

 private:
  static std::string PairKey(std::string_view username, std::string_view ip);
  SlidingWindowLimiter per_user_ip_;
  SlidingWindowLimiter per_ip_;
};

}  // namespace motcua::accounts
