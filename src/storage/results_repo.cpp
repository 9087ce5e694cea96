#include "storage/results_repo.hpp"

#include "storage/accounts_repo.hpp"

namespace motcua::storage::results {
namespace {

using storage::accounts::FormatTime;
using storage::accounts::ParseTime;

const std::string kColumns =
    "dossier_id, code, draft_attachment_id, generated, drafted_by, drafted_at, "
    "signed_attachment_id, "
    "signed_sha256, signed_by, signed_at, signer_name, signer_organization, certificate_issuer, "
    "certificate_serial, certificate_sha256";

Result<ResultRow> FromRow(const Row& r) {
  ResultRow g;
  g.dossier_id = r.Int(0);
  g.code = r.Text(1);
  g.draft_attachment_id = r.Text(2);
  g.generated = r.Int(3) != 0;
  g.drafted_by = r.Int(4);
  auto drafted = ParseTime(r.Text(5));
  g.signed_attachment_id = r.OptText(6);
  g.signed_sha256 = r.OptText(7);
  g.signed_by = r.OptInt(8);
  std::optional<TimePoint> signed_at;
  if (!r.IsNull(9)) signed_at = ParseTime(r.Text(9));
  g.signer_name = r.OptText(10).value_or("");
  g.signer_organization = r.OptText(11).value_or("");
  g.certificate_issuer = r.OptText(12).value_or("");
  g.certificate_serial = r.OptText(13).value_or("");
  g.certificate_sha256 = r.OptText(14).value_or("");
  if (!drafted || (!r.IsNull(9) && !signed_at))
    return Fail(Code::kInternal, "the result of dossier " + std::to_string(g.dossier_id) +
                                     " has an unreadable time");
  g.drafted_at = *drafted;
  g.signed_at = signed_at;
  return g;
}

Result<std::optional<ResultRow>> One(Tx& tx, const std::string& where, Value key) {
  auto rows = MOTCUA_TRY(
      tx.Query("SELECT " + kColumns + " FROM dossier_results WHERE " + where, {std::move(key)}));
  if (rows.empty()) return std::optional<ResultRow>();
  return std::optional<ResultRow>(MOTCUA_TRY(FromRow(rows.front())));
}

}  // namespace

Result<std::optional<ResultRow>> Find(Tx& tx, std::int64_t dossier_id) {
  return One(tx, "dossier_id = $1", dossier_id);
}

Result<std::optional<ResultRow>> FindByCode(Tx& tx, std::string_view code) {
  return One(tx, "code = $1", std::string(code));
}

Result<std::optional<ResultRow>> FindBySha256(Tx& tx, std::string_view sha256) {
  return One(tx, "signed_sha256 = $1", std::string(sha256));
}

Status PutDraft(Tx& tx, const ResultRow& g) {
  auto n =
      MOTCUA_TRY(tx.Exec("UPDATE dossier_results SET draft_attachment_id = $2, generated = $3, "
                         "drafted_by = $4, drafted_at = $5 "
                         "WHERE dossier_id = $1 AND signed_attachment_id IS NULL",
                         {g.dossier_id, g.draft_attachment_id, std::int64_t{g.generated ? 1 : 0},
                          g.drafted_by, FormatTime(g.drafted_at)}));
  if (n == 1) return {};
  MOTCUA_TRY(
      tx.Exec("INSERT INTO dossier_results (dossier_id, code, draft_attachment_id, generated, "
              "drafted_by, drafted_at) "
              "VALUES ($1, $2, $3, $4, $5, $6)",
              {g.dossier_id, g.code, g.draft_attachment_id, std::int64_t{g.generated ? 1 : 0},
               g.drafted_by, FormatTime(g.drafted_at)}));
  return {};
}

Status MarkSigned(Tx& tx, const ResultRow& g) {
  if (!g.is_signed() || !g.signed_at || !g.signed_sha256 || !g.signed_by)
    return Fail(Code::kInternal, "MarkSigned needs the signed file, its hash, signer and time");
  auto n = MOTCUA_TRY(
      tx.Exec("UPDATE dossier_results SET signed_attachment_id = $2, signed_sha256 = $3, signed_by "
              "= $4, signed_at = $5, "
              "signer_name = $6, signer_organization = $7, certificate_issuer = $8, "
              "certificate_serial = $9, "
              "certificate_sha256 = $10 WHERE dossier_id = $1 AND signed_attachment_id IS NULL AND "
              "draft_attachment_id = $11",
              {g.dossier_id, *g.signed_attachment_id, *g.signed_sha256, *g.signed_by,
               FormatTime(*g.signed_at), g.signer_name, g.signer_organization, g.certificate_issuer,
               g.certificate_serial, g.certificate_sha256, g.draft_attachment_id}));
  if (n != 1)
    return Fail(Code::kAborted,
                "the result was signed or replaced by someone else meanwhile; reload it");
  return {};
}

Result<bool> LinkFile(Tx& tx, std::string_view attachment_id, std::int64_t owner_user_id,
                      std::int64_t dossier_id) {
  auto n =
      MOTCUA_TRY(tx.Exec("UPDATE attachments SET dossier_id = $1, component_code = NULL "
                         "WHERE id = $2 AND owner_user_id = $3 AND dossier_id IS NULL",
                         {dossier_id, std::string(attachment_id), owner_user_id}));
  return n == 1;
}

}  // namespace motcua::storage::results
