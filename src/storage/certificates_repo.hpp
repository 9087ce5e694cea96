// The signing certificates registered to accounts (migration 0011): which
// certificate may sign for whom (issue 19).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "storage/store.hpp"

namespace motcua::storage::certificates {

struct CertificateRow {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string sha256, subject, organization, issuer, serial;
  TimePoint not_after{};
  std::optional<std::int64_t> registered_by;
  TimePoint registered_at{};
  std::optional<TimePoint> revoked_at;
};

// Inserts `row` (its id is assigned). kAlreadyExists if the certificate is
// registered already, to anyone, revoked or not.
[[nodiscard]] Result<std::int64_t> Insert(Tx& tx, const CertificateRow& row);
// The certificate with this fingerprint, if registered.
[[nodiscard]] Result<std::optional<CertificateRow>> FindBySha256(Tx& tx, const std::string& sha256);
// Every certificate of the user, newest first.
[[nodiscard]] Result<std::vector<CertificateRow>> ListOfUser(Tx& tx, std::int64_t user_id);
// Revokes certificate `id` of `user_id` at `at`; false if there is none not revoked.
[[nodiscard]] Result<bool> Revoke(Tx& tx, std::int64_t user_id, std::int64_t id, TimePoint at);

}  // namespace motcua::storage::certificates
