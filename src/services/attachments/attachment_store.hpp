// Files attached to dossiers (tệp đính kèm): accepted, encrypted, stored
// durably, handed back only to those allowed to see them.
//
// A citizen uploads each file first (Put), gets its id, and names the ids
// when submitting the dossier; until then the file is "staged". The dossier
// service links staged files to the dossier in its own transaction
// (storage/attachments_repo.hpp, LinkToDossier).
//
// At rest: every file is sealed with AES-256-GCM under the AttachmentKey with
// a fresh random 96-bit nonce, and the file's id is authenticated with it
// (associated data), so a file moved into another id's place fails to open
// just like a file whose bytes were changed. On disk: <dir>/ab/cd/<id>, where
// ab and cd are the id's first four hex digits (at most 256 entries per
// folder level, whatever the number of files), holding
//   "MCA1" | nonce (12 bytes) | ciphertext | GCM tag (16 bytes).
// Put writes a temporary file, fsyncs it, renames it into place and fsyncs
// the folder, and only then commits the row (durably: the store's group
// commit): a file the caller was told about survives a crash. If the row
// cannot be committed the file is removed; a crash between the rename and
// the commit leaves an encrypted file without a row, which nothing serves.
//
// Access: the owner (who uploaded it) may read it. When the file belongs to
// a dossier, the DossierAccess given to the constructor decides for everyone
// else (the dossier service's rule: officers whose roles cover the dossier's
// unit). Everyone else is told kNotFound, exactly as for an id that does not
// exist, so ids cannot be probed.
//
// Thread safety: every method may be called from any thread. Put, Delete and
// the readers block the caller on disk I/O and, for writes, until the commit
// is durable; never call them from inside a Store callback.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "core/accounts/principal.hpp"
#include "services/attachments/attachment_key.hpp"
#include "services/audit/access_log.hpp"
#include "storage/store.hpp"

namespace motcua::attachments {

struct Limits {
  // One file. Equal to the HTTP server's body limit (http/server.hpp), which
  // the upload is read through: a scanned A4 page at 300 dpi is 0.3-2 MB as
  // JPEG or PDF, so a multi-page dossier component fits in one file.
  std::size_t max_file_bytes = 8 * 1024 * 1024;
  // Staged files of one user (uploaded, not yet in a dossier). A dossier
  // needs a handful of components of a few MB each; 100 MiB leaves room for
  // several dossiers prepared at once, while one account cannot fill the
  // disk: a province with a million citizen accounts is still bounded by
  // what dossiers keep, not by abandoned uploads.
  std::int64_t max_staged_bytes = 100 * 1024 * 1024;
  // The same guard against many tiny files, which cost a row, an inode and a
  // fsync each: 200 is ten times the components of the largest procedures.
  std::int64_t max_staged_files = 200;
};

struct AttachmentInfo {
  std::string id;  // 32 lower-case hex digits, 128 random bits
  std::int64_t owner_user_id = 0;
  std::optional<std::int64_t> dossier_id;  // nullopt while staged
  std::optional<std::string> component_code;
  std::string sha256;         // lower-case hex SHA-256 of the plaintext
  std::int64_t size = 0;      // bytes of the plaintext
  std::string media_type;     // sniffed from the content, e.g. "application/pdf"
  std::string original_name;  // sanitised, with an extension of the real type
  std::string key_id;         // the AttachmentKey::id that sealed the file
  TimePoint created_at{};
};

// What RemoveOrphans found and removed.
struct OrphanSweep {
  std::int64_t files = 0;  // files removed: no row, or a temporary file left by a crash
  std::int64_t bytes = 0;
  std::int64_t kept_young = 0;  // without a row but younger than the grace: maybe in flight
};

// What CheckFiles read.
struct FileCheck {
  std::int64_t files = 0;  // rows whose file was read
  std::int64_t bytes = 0;  // of plaintext
  std::int64_t damaged = 0;
  std::vector<std::string> problems;  // the first 20, each naming the file and why
};

struct Attachment {
  AttachmentInfo info;
  std::string bytes;  // the plaintext, verified against info.sha256
};

// The seam for the dossier service: may `who` read the documents of dossier
// `dossier_id`, through `context`? When it answers yes, the read is in the
// personal-data access log already (DossierService::MayReadFiles). Called
// with no transaction open; must be thread safe.
using DossierAccess = std::function<Result<bool>(
    const accounts::Principal& who, std::int64_t dossier_id, const audit::ReadContext& context)>;

class AttachmentStore {
 public:
  // `store` and `clock` must outlive this object; `dir` (mode 0700) and its
  // parents are created with the first file. Without `dossier_access`, only
  // owners can read files.
  AttachmentStore(storage::Store& store, const Clock& clock, std::filesystem::path dir,
                  AttachmentKey key, Limits limits = {}, DossierAccess dossier_access = {});

  // Accepts a file for `owner_user_id`. `declared_type` is the client's
  // Content-Type and `declared_name` its (decoded) file name: see
  // core/files for how both are checked against the content.
  // Errors: kInvalidArgument naming "body" (empty), "content-type" (a type
  // not accepted, or a declared type that is not the real one) or
  // "X-File-Name"; kPayloadTooLarge (field "body") over max_file_bytes;
  // kResourceExhausted (field "quota") when this file would take the owner's
  // staged files over a limit; kUnavailable if the disk or database fails.
  [[nodiscard]] Result<AttachmentInfo> Put(std::int64_t owner_user_id, std::string_view bytes,
                                           std::string_view declared_name,
                                           std::string_view declared_type);

  // The row of a file `who` may read: a staged file, its owner alone; a
  // document of a dossier (one of its components), whoever may see the
  // dossier, each read logged (DossierAccess, with `context`). A dossier's
  // result files are read through the result service only (which keeps the
  // draft from the citizen), never here. Errors: kInvalidArgument (field
  // "id") for an id that is not 32 lower-case hex digits; kNotFound if there
  // is no such file or `who` may not read it.
  [[nodiscard]] Result<AttachmentInfo> Describe(const accounts::Principal& who, std::string_view id,
                                                const audit::ReadContext& context = {});

  // The row and the decrypted bytes. Errors: those of Describe; kInternal
  // "attachment ... is damaged" if the file fails authentication or its
  // SHA-256 or size differs from the row (never wrong bytes), or if its file
  // is missing or its key is not loaded; kUnavailable if it cannot be read.
  [[nodiscard]] Result<Attachment> Open(const accounts::Principal& who, std::string_view id,
                                        const audit::ReadContext& context = {});
  // The same without a reader's check: for a service that decided who may
  // read the file and logged the read itself (the result service).
  [[nodiscard]] Result<AttachmentInfo> DescribeForService(std::string_view id);
  [[nodiscard]] Result<Attachment> OpenForService(std::string_view id);

  // Removes a staged file of its owner `owner_user_id`: the row first, then
  // the file (a crash in between leaves only an unreadable orphan).
  // Errors: kNotFound (no such file, or another user's); kFailedPrecondition
  // if it is already part of a dossier.
  [[nodiscard]] Status Delete(std::int64_t owner_user_id, std::string_view id);

  // Removes the files that no row names and temporary files, when they are
  // older than `grace`. A crash between a file's rename into place and its
  // row's commit (Put), or during its writing, leaves one; nothing serves it,
  // but it takes space. `grace` protects the uploads in flight in another
  // process on the same folder (PostgreSQL, several servers): a Put's file
  // waits for its commit for milliseconds, so ten minutes is ample. Reads one
  // folder's ids at a time (at most 65,536 folders). Errors: kUnavailable if
  // the folder or the database cannot be read.
  [[nodiscard]] Result<OrphanSweep> RemoveOrphans(std::chrono::seconds grace);
  // Reads every file the rows name and checks it as Open does (decrypts,
  // compares the SHA-256 and size): `motcua verify --attachments` and the
  // backups. A file that fails is counted and named, not an error. Errors:
  // kUnavailable if the database cannot be read.
  [[nodiscard]] Result<FileCheck> CheckFiles();

  const Limits& limits() const { return limits_; }
  // Where the file of `id` lives (tests and operations tools).
  std::filesystem::path PathOf(std::string_view id) const;

 private:
  Result<AttachmentInfo> Load(std::string_view id);
  Status Authorize(const accounts::Principal& who, const AttachmentInfo& info,
                   const audit::ReadContext& context) const;
  Result<Attachment> Read(AttachmentInfo info);
  Status WriteDurably(const std::string& id, const std::string& sealed) const;

  storage::Store& store_;
  const Clock& clock_;
  std::filesystem::path dir_;
  AttachmentKey key_;
  Limits limits_;
  DossierAccess dossier_access_;
};

}  // namespace motcua::attachments
