// Rows of dossier_results (migration 0009_results.sql): a dossier's
// electronic result, drafted and then signed. For the result service, inside
// its transactions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "storage/store.hpp"

namespace motcua::storage::results {

struct ResultRow {
  std::int64_t dossier_id = 0;
  std::string code;  // the public verification code
  std::string draft_attachment_id;
  bool generated = false;
  std::int64_t drafted_by = 0;
  TimePoint drafted_at{};
  // Set together when signed.
  std::optional<std::string> signed_attachment_id;
  std::optional<std::string> signed_sha256;
  std::optional<std::int64_t> signed_by;
  std::optional<TimePoint> signed_at;
  std::string signer_name;
  std::string signer_organization;
  std::string certificate_issuer;
  std::string certificate_serial;
  std::string certificate_sha256;

  bool is_signed() const { return signed_attachment_id.has_value(); }
  // The file that is the result now: the signed one, else the draft.
  const std::string& file_id() const {
    return signed_attachment_id ? *signed_attachment_id : draft_attachment_id;
  }
};

[[nodiscard]] Result<std::optional<ResultRow>> Find(Tx& tx, std::int64_t dossier_id);
[[nodiscard]] Result<std::optional<ResultRow>> FindByCode(Tx& tx, std::string_view code);
// Signed results whose file has this SHA-256 (a file is unique in practice).
[[nodiscard]] Result<std::optional<ResultRow>> FindBySha256(Tx& tx, std::string_view sha256);
// A new draft, or a new draft in place of an unsigned one (the code stays).
[[nodiscard]] Status PutDraft(Tx& tx, const ResultRow& row);
// Records the signature of an unsigned result; kAborted if it was signed meanwhile.
[[nodiscard]] Status MarkSigned(Tx& tx, const ResultRow& row);
// Links a file of `owner_user_id` that is staged to the dossier as one of
// its result files (component_code NULL); false if it is not a staged file
// of that owner.
[[nodiscard]] Result<bool> LinkFile(Tx& tx, std::string_view attachment_id,
                                    std::int64_t owner_user_id, std::int64_t dossier_id);

}  // namespace motcua::storage::results
