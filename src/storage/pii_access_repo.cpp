#include "storage/pii_access_repo.hpp"

#include "storage/accounts_repo.hpp"

namespace motcua::storage::pii_access {

Result<std::int64_t> Insert(Tx& tx, const AccessRow& row) {
  auto rows = MOTCUA_TRY(
      tx.Query("INSERT INTO pii_access (user_id, aggregate_type, aggregate_id, purpose, route, at, "
               "request_id) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
               {row.user_id, row.aggregate_type, row.aggregate_id, row.purpose, row.route,
                accounts::FormatTime(row.at), row.request_id}));
  if (rows.size() != 1) return Fail(Code::kInternal, "INSERT INTO pii_access returned no id");
  return rows[0].Int(0);
}

Result<std::vector<AccessRow>> ListForAggregate(Tx& tx, std::string_view aggregate_type,
                                                std::int64_t aggregate_id, int limit) {
  // Ordered by id, not by `at`: ids follow commit order, and two reads in
  // the same microsecond still come out in a stable order.
  auto rows = MOTCUA_TRY(
      tx.Query("SELECT id, user_id, aggregate_type, aggregate_id, purpose, route, at, request_id "
               "FROM pii_access WHERE aggregate_type = $1 AND aggregate_id = $2 "
               "ORDER BY id DESC LIMIT $3",
               {std::string(aggregate_type), aggregate_id, std::int64_t{limit}}));
  std::vector<AccessRow> out;
  out.reserve(rows.size());
  for (const Row& r : rows) {
    auto at = accounts::ParseTime(r.Text(6));
    if (!at) {
      return Fail(Code::kInternal,
                  "access record " + std::to_string(r.Int(0)) + " has an unreadable time");
    }
    out.push_back(
        AccessRow{r.Int(0), r.Int(1), r.Text(2), r.Int(3), r.Text(4), r.Text(5), *at, r.Text(7)});
  }
  return out;
}

}  // namespace motcua::storage::pii_access
