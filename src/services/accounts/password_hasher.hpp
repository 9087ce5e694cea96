// Password hashing with argon2id (RFC 9106) through libargon2.
//
// Hashes are PHC strings ("$argon2id$v=19$m=19456,t=2,p=1$salt$hash") that
// carry their own parameters, so raising the cost later does not break
// existing hashes.
//
// Thread safety: Hash and Verify may be called from any thread. At most
// `max_concurrent` hashes run at once, the others wait: each one holds
// `memory_kib` of RAM, so a flood of logins cannot exhaust memory.
#pragma once

#include <cstdint>
#include <memory>
#include <semaphore>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace motcua::accounts {

struct HashParams {
  // OWASP Password Storage Cheat Sheet, first argon2id option: 19 MiB,
  // 2 passes, 1 lane. About 20-40 ms on one core of a current server: slow
  // for an offline attacker, cheap enough for a login.
  std::uint32_t memory_kib = 19 * 1024;
  std::uint32_t iterations = 2;
  std::uint32_t parallelism = 1;
  // 4 x 19 MiB bounds the memory spent on hashing at about 76 MiB.
  int max_concurrent = 4;
};

class PasswordHasher {
 public:
  explicit PasswordHasher(HashParams params = {});

  // Errors: kUnavailable if no random salt could be drawn, kInternal if
  // libargon2 fails (out of memory).
  [[nodiscard]] Result<std::string> Hash(std::string_view password) const;
  // True only if `encoded` is a well-formed argon2id hash of `password`; a
  // malformed hash is a mismatch, never an error.
  bool Verify(std::string_view encoded, std::string_view password) const;

 private:
  HashParams params_;
  // In a unique_ptr so that the hasher stays movable.
  std::unique_ptr<std::counting_semaphore<>> slots_;
};

}  // namespace motcua::accounts
