// Rows of the attachments table (migration 0005_attachments.sql) and the SQL
// that reads and writes them. services/attachments owns the files on disk,
// the rules and the transactions; these functions only run statements.
//
// Thread safety: as the Tx they are given (one thread, inside the callback).
// Errors: those of Tx (kAlreadyExists for a taken id, kFailedPrecondition for
// an owner who is not a user), and kInternal for a row that cannot be read
// back (a corrupt time).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "storage/store.hpp"

namespace motcua::storage::attachments {

struct AttachmentRow {
  std::string id;
  std::int64_t owner_user_id = 0;
  std::optional<std::int64_t> dossier_id;     // nullopt while staged
  std::optional<std::string> component_code;  // which required component it fulfils
  std::string sha256;                         // lower-case hex, of the plaintext
  std::int64_t size = 0;                      // bytes of the plaintext
  std::string media_type;
  std::string original_name;
  std::string key_id;
  TimePoint created_at{};
};

// What one user has uploaded and not yet put in a dossier.
struct StagedUsage {
  std::int64_t files = 0;
  std::int64_t bytes = 0;
};

[[nodiscard]] Status Insert(Tx& tx, const AttachmentRow& row);
// nullopt if there is no row with this id.
[[nodiscard]] Result<std::optional<AttachmentRow>> Find(Tx& tx, std::string_view id);
[[nodiscard]] Result<StagedUsage> Staged(Tx& tx, std::int64_t owner_user_id);
// Deletes the row if it belongs to `owner_user_id` and is still staged;
// returns whether it did.
[[nodiscard]] Result<bool> DeleteStaged(Tx& tx, std::string_view id, std::int64_t owner_user_id);
// Links a staged file of `owner_user_id` to a dossier's component (for the
// dossier service, in its submission transaction); returns false if there is
// no such staged file of that owner (already linked, someone else's, gone).
[[nodiscard]] Result<bool> LinkToDossier(Tx& tx, std::string_view id, std::int64_t owner_user_id,
                                         std::int64_t dossier_id, std::string_view component_code);
// Every file the applicant submitted with a dossier (its components; not
// the result's files, results_repo.hpp), by component code then upload time.
[[nodiscard]] Result<std::vector<AttachmentRow>> ListForDossier(Tx& tx, std::int64_t dossier_id);
// Every file, in id order, `limit` at a time after `after_id` ("" for the
// first page): for checks that read each one (motcua verify --attachments,
// backups).
[[nodiscard]] Result<std::vector<AttachmentRow>> ListAfter(Tx& tx, std::string_view after_id,
                                                           int limit);
// The ids that begin with `prefix` (the four hex digits of one folder of
// files): what the sweep of orphaned files keeps.
[[nodiscard]] Result<std::vector<std::string>> IdsWithPrefix(Tx& tx, std::string_view prefix);

}  // namespace motcua::storage::attachments
