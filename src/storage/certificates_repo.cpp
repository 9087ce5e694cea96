#include "storage/certificates_repo.hpp"

#include "storage/accounts_repo.hpp"

namespace motcua::storage::certificates {
namespace {

using storage::accounts::FormatTime;
using storage::accounts::ParseTime;

constexpr const char* kColumns =
    "id, user_id, sha256, subject, organization, issuer, serial, not_after, registered_by, "
    "registered_at, revoked_at";

Result<CertificateRow> FromRow(const Row& r) {
  CertificateRow c;
  c.id = r.Int(0);
  c.user_id = r.Int(1);
  c.sha256 = r.Text(2);
  c.subject = r.Text(3);
  c.organization = r.Text(4);
  c.issuer = r.Text(5);
  c.serial = r.Text(6);
  auto not_after = ParseTime(r.Text(7));
  c.registered_by = r.OptInt(8);
  auto registered = ParseTime(r.Text(9));
  if (!not_after || !registered)
    return Fail(Code::kInternal,
                "signing certificate " + std::to_string(c.id) + " has an unreadable time");
  c.not_after = *not_after;
  c.registered_at = *registered;
  if (!r.IsNull(10)) {
    auto revoked = ParseTime(r.Text(10));
    if (!revoked)
      return Fail(Code::kInternal,
                  "signing certificate " + std::to_string(c.id) + " has an unreadable time");
    c.revoked_at = *revoked;
  }
  return c;
}

}  // namespace

Result<std::int64_t> Insert(Tx& tx, const CertificateRow& row) {
  auto rows = MOTCUA_TRY(tx.Query(
      "INSERT INTO signing_certificates (user_id, sha256, subject, organization, issuer, serial, "
      "not_after, registered_by, registered_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
      "RETURNING id",
      {row.user_id, row.sha256, row.subject, row.organization, row.issuer, row.serial,
       FormatTime(row.not_after), row.registered_by ? Value(*row.registered_by) : Value(Null{}),
       FormatTime(row.registered_at)}));
  return rows.at(0).Int(0);
}

Result<std::optional<CertificateRow>> FindBySha256(Tx& tx, const std::string& sha256) {
  auto rows = MOTCUA_TRY(
      tx.Query(std::string("SELECT ") + kColumns + " FROM signing_certificates WHERE sha256 = $1",
               {sha256}));
  if (rows.empty()) return std::optional<CertificateRow>();
  return std::optional<CertificateRow>(MOTCUA_TRY(FromRow(rows.front())));
}

Result<std::vector<CertificateRow>> ListOfUser(Tx& tx, std::int64_t user_id) {
  auto rows = MOTCUA_TRY(tx.Query(std::string("SELECT ") + kColumns +
                                      " FROM signing_certificates WHERE user_id = $1 ORDER BY id "
                                      "DESC",
                                  {user_id}));
  std::vector<CertificateRow> out;
  for (const Row& r : rows) out.push_back(MOTCUA_TRY(FromRow(r)));
  return out;
}

Result<bool> Revoke(Tx& tx, std::int64_t user_id, std::int64_t id, TimePoint at) {
  const auto changed = MOTCUA_TRY(
      tx.Exec("UPDATE signing_certificates SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND "
              "revoked_at IS NULL",
              {id, user_id, FormatTime(at)}));
  return changed == 1;
}

}  // namespace motcua::storage::certificates
