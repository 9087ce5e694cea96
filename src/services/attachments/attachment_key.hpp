// The key that encrypts attachments at rest (DOMAIN.md section 8: images of
// ID cards are sensitive personal data).
//
// One 256-bit AES key, from the environment variable MOTCUA_ATTACHMENT_KEY
// (standard base64 of 32 bytes: for deployments that keep secrets out of the
// file system) or else from the file <attachments dir>/../keys/attachments.key
// (base64 and a newline), which is created with mode 0600, from OpenSSL's
// random generator, on first start. Keep that file out of the backups of the
// data folder, or the backup carries its own key; losing it loses every file.
//
// Rotation is not supported yet: every file is encrypted with the one key.
// Each row records the key's id (a fingerprint, see AttachmentKey::id), so a
// later version can load several keys, encrypt with the newest and decrypt by
// id; today a row with another key id is reported, not decrypted with the
// wrong key.
//
// Thread safety: the functions may be called from any thread; two processes
// creating the file at once end up with the same key (the file appears
// atomically and the loser reads the winner's).
#pragma once

#include <array>
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace motcua::attachments {

inline constexpr std::size_t kKeyBytes = 32;
inline constexpr std::string_view kKeyEnvironmentVariable = "MOTCUA_ATTACHMENT_KEY";

struct AttachmentKey {
  // "k" and the first 16 hex digits of SHA-256 of the key: names the key in
  // rows and messages; a hash of 256 random bits reveals nothing of them.
  std::string id;
  std::array<unsigned char, kKeyBytes> bytes{};
};

// A key from base64 text (standard alphabet, padded, surrounding white space
// ignored). Errors: kInvalidArgument naming `source` if it is not base64 of
// exactly 32 bytes.
[[nodiscard]] Result<AttachmentKey> KeyFromBase64(std::string_view text, std::string_view source);

// The key file's place for an attachments folder: <dir>/../keys/attachments.key.
std::filesystem::path KeyFilePath(const std::filesystem::path& attachments_dir);

// Reads the key file at `path`, or creates it (and its folder, mode 0700) if
// it does not exist. Errors: kFailedPrecondition if the file can be read by
// other users (group or world permission bits) or does not hold a key;
// kUnavailable if it cannot be read or created.
[[nodiscard]] Result<AttachmentKey> LoadOrCreateKeyFile(const std::filesystem::path& path);

// The key for `attachments_dir`: from `environment_value` (the value of
// MOTCUA_ATTACHMENT_KEY, or null when it is not set), else from the key file.
[[nodiscard]] Result<AttachmentKey> LoadAttachmentKey(const std::filesystem::path& attachments_dir,
                                                      const char* environment_value);

// The same without creating anything: for commands that read files sealed
// before (motcua verify --attachments, backup, restore). Errors: those of
// the key file, and kFailedPrecondition (field "key") when there is no key
// file and the variable is not set.
[[nodiscard]] Result<AttachmentKey> LoadExistingAttachmentKey(
    const std::filesystem::path& attachments_dir, const char* environment_value);

}  // namespace motcua::attachments
