// Helpers for tests of attachments here and in http/: small real files, a
// user to own them, a fixed key. Not for production code.
#pragma once

#include <cstdint>
#include <string>

#include "services/attachments/attachment_key.hpp"
#include "storage/store.hpp"

namespace motcua::attachments::testing {

// Personal data that must never appear on disk in clear.
inline constexpr std::string_view kSecretLine = "CCCD 001234567890 Nguyen Van A";

// A valid PDF of about `size` bytes (at least the minimal document) whose
// text holds kSecretLine.
inline std::string Pdf(std::size_t size = 0) {
  std::string pdf =
      "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
      "2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n% " +
      std::string(kSecretLine) + "\n";
  while (pdf.size() + 64 < size) pdf += "% " + std::string(kSecretLine) + " padding line\n";
  return pdf + "trailer<</Root 1 0 R>>\n%%EOF\n";
}

inline std::string Jpeg() {
  return std::string("\xff\xd8\xff\xe0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0\xff\xd9", 22);
}

// Inserts a user row (the owner of uploads); returns its id.
inline std::int64_t AddUser(storage::Store& store, const std::string& username) {
  std::int64_t id = 0;
  auto ok = store.WriteSync([&](storage::Tx& tx) -> Status {
    auto rows = MOTCUA_TRY(tx.Query(
        "INSERT INTO users (username, display_name, password_hash, created_at, updated_at, "
        "password_changed_at) VALUES ($1, $1, 'x', $2, $2, $2) RETURNING id",
        {username, std::string("2026-03-02T01:00:00.000000Z")}));
    id = rows.front().Int(0);
    return {};
  });
  return ok ? id : 0;
}

// Two fixed keys: "key-for-tests-only-never-in-prod" and another.
inline AttachmentKey Key() {
  return *KeyFromBase64("a2V5LWZvci10ZXN0cy1vbmx5LW5ldmVyLWluLXByb2Q=", "key");
}
inline AttachmentKey OtherKey() {
  return *KeyFromBase64("b3RoZXIta2V5LWZvci10ZXN0cy1uZXZlci1pbi1wcm8=", "key");
}

}  // namespace motcua::attachments::testing
