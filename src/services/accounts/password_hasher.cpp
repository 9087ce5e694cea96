#include "services/accounts/password_hasher.hpp"

#include <argon2.h>
#include <openssl/rand.h>

#include <vector>

#include "common/check.hpp"

namespace motcua::accounts {
namespace {

// RFC 9106 recommends a 128-bit salt and a 256-bit tag.
constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;

// Holds one hashing slot for the lifetime of a call.
class SlotGuard {
 public:
  explicit SlotGuard(std::counting_semaphore<>& s) : s_(s) { s_.acquire(); }
  ~SlotGuard() { s_.release(); }
  SlotGuard(const SlotGuard&) = delete;
  SlotGuard& operator=(const SlotGuard&) = delete;

 private:
  std::counting_semaphore<>& s_;
};

}  // namespace

PasswordHasher::PasswordHasher(HashParams params)
    : params_(params), slots_(std::make_unique<std::counting_semaphore<>>(params.max_concurrent)) {
  MOTCUA_CHECK(params_.max_concurrent > 0);
}

Result<std::string> PasswordHasher::Hash(std::string_view password) const {
  unsigned char salt[kSaltBytes];
  if (RAND_bytes(salt, sizeof salt) != 1) {
    return Fail(Code::kUnavailable, "the random number generator failed");
  }
  const std::size_t length =
      argon2_encodedlen(params_.iterations, params_.memory_kib, params_.parallelism, kSaltBytes,
                        kHashBytes, Argon2_id);
  std::vector<char> encoded(length);
  int rc = 0;
  {
    SlotGuard slot(*slots_);
    rc = argon2id_hash_encoded(params_.iterations, params_.memory_kib, params_.parallelism,
                               password.data(), password.size(), salt, kSaltBytes, kHashBytes,
                               encoded.data(), encoded.size());
  }
  if (rc != ARGON2_OK) {
    return Fail(Code::kInternal,
                std::string("password hashing failed: ") + argon2_error_message(rc));
  }
  return std::string(encoded.data());
}

bool PasswordHasher::Verify(std::string_view encoded, std::string_view password) const {
  // argon2id_verify needs a NUL-terminated string.
  const std::string hash(encoded);
  SlotGuard slot(*slots_);
  return argon2id_verify(hash.c_str(), password.data(), password.size()) == ARGON2_OK;
}

}  // namespace motcua::accounts
