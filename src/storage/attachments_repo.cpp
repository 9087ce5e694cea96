#include "storage/attachments_repo.hpp"

#include "storage/accounts_repo.hpp"

namespace motcua::storage::attachments {
namespace {

using storage::accounts::FormatTime;
using storage::accounts::ParseTime;

constexpr std::string_view kColumns =
    "id, owner_user_id, dossier_id, component_code, sha256, size, media_type, original_name, "
    "key_id, "
    "created_at";

Result<AttachmentRow> FromRow(const Row& r) {
  AttachmentRow a;
  a.id = r.Text(0);
  a.owner_user_id = r.Int(1);
  a.dossier_id = r.OptInt(2);
  a.component_code = r.OptText(3);
  a.sha256 = r.Text(4);
  a.size = r.Int(5);
  a.media_type = r.Text(6);
  a.original_name = r.Text(7);
  a.key_id = r.Text(8);
  auto created = ParseTime(r.Text(9));
  if (!created)
    return Fail(Code::kInternal, "attachment " + a.id + " has an unreadable created_at");
  a.created_at = *created;
  return a;
}

}  // namespace

Status Insert(Tx& tx, const AttachmentRow& a) {
  MOTCUA_TRY(tx.Exec("INSERT INTO attachments (" + std::string(kColumns) +
                         ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                     {a.id, a.owner_user_id, a.dossier_id ? Value(*a.dossier_id) : Value(Null{}),
                      a.component_code ? Value(*a.component_code) : Value(Null{}), a.sha256, a.size,
                      a.media_type, a.original_name, a.key_id, FormatTime(a.created_at)}));
  return {};
}

Result<std::optional<AttachmentRow>> Find(Tx& tx, std::string_view id) {
  auto rows = MOTCUA_TRY(tx.Query(
      "SELECT " + std::string(kColumns) + " FROM attachments WHERE id = $1", {std::string(id)}));
  if (rows.empty()) return std::optional<AttachmentRow>();
  return MOTCUA_TRY(FromRow(rows.front()));
}

Result<StagedUsage> Staged(Tx& tx, std::int64_t owner_user_id) {
  auto rows =
      MOTCUA_TRY(tx.Query("SELECT COUNT(*), COALESCE(SUM(size), 0) FROM attachments "
                          "WHERE owner_user_id = $1 AND dossier_id IS NULL",
                          {owner_user_id}));
  return StagedUsage{rows.front().Int(0), rows.front().Int(1)};
}

Result<bool> DeleteStaged(Tx& tx, std::string_view id, std::int64_t owner_user_id) {
  auto n = MOTCUA_TRY(
      tx.Exec("DELETE FROM attachments WHERE id = $1 AND owner_user_id = $2 AND dossier_id IS NULL",
              {std::string(id), owner_user_id}));
  return n == 1;
}

Result<bool> LinkToDossier(Tx& tx, std::string_view id, std::int64_t owner_user_id,
                           std::int64_t dossier_id, std::string_view component_code) {
  auto n = MOTCUA_TRY(
      tx.Exec("UPDATE attachments SET dossier_id = $1, component_code = $2 "
              "WHERE id = $3 AND owner_user_id = $4 AND dossier_id IS NULL",
              {dossier_id, std::string(component_code), std::string(id), owner_user_id}));
  return n == 1;
}

Result<std::vector<AttachmentRow>> ListForDossier(Tx& tx, std::int64_t dossier_id) {
  auto rows = MOTCUA_TRY(
      tx.Query("SELECT " + std::string(kColumns) +
                   " FROM attachments WHERE dossier_id = $1 AND component_code IS NOT NULL "
                   "ORDER BY component_code, created_at, id",
               {dossier_id}));
  std::vector<AttachmentRow> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(MOTCUA_TRY(FromRow(r)));
  return out;
}

Result<std::vector<AttachmentRow>> ListAfter(Tx& tx, std::string_view after_id, int limit) {
  auto rows = MOTCUA_TRY(tx.Query(
      "SELECT " + std::string(kColumns) + " FROM attachments WHERE id > $1 ORDER BY id LIMIT $2",
      {std::string(after_id), static_cast<std::int64_t>(limit)}));
  std::vector<AttachmentRow> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(MOTCUA_TRY(FromRow(r)));
  return out;
}

Result<std::vector<std::string>> IdsWithPrefix(Tx& tx, std::string_view prefix) {
  // A range on the primary key rather than LIKE, which neither engine turns
  // into an index range under every collation: ids are lower-case hex, so
  // every id with the prefix sorts between the prefix and the prefix + 'g'.
  auto rows = MOTCUA_TRY(tx.Query("SELECT id FROM attachments WHERE id >= $1 AND id < $2",
                                  {std::string(prefix), std::string(prefix) + "g"}));
  std::vector<std::string> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(r.Text(0));
  return out;
}

}  // namespace motcua::storage::attachments
