#include "storage/units_repo.hpp"

#include <algorithm>
#include <map>
#include <string>

namespace motcua::storage::units {
namespace {

using motcua::units::FormatDate;
using motcua::units::KindName;
using motcua::units::ParseDate;
using motcua::units::ParseKind;

constexpr std::string_view kColumns =
    "id, kind, name, name_en, stats_code, agency_code, parent_id, valid_from, valid_to";

Value OptText(const std::optional<std::string>& s) { return s ? Value(*s) : Value(Null{}); }

Result<Unit> FromRow(const Row& row) {
  Unit u;
  u.id = row.Int(0);
  auto kind = ParseKind(row.Text(1));
  auto from = ParseDate(row.Text(7));
  if (!kind || !from) {
    return Fail(Code::kInternal, "unit " + std::to_string(u.id) + " has an unreadable row");
  }
  u.kind = *kind;
  u.name = row.Text(2);
  u.name_en = row.OptText(3);
  u.stats_code = row.Text(4);
  u.agency_code = row.Text(5);
  u.parent_id = row.OptInt(6);
  u.valid_from = *from;
  if (auto to = row.OptText(8)) {
    auto d = ParseDate(*to);
    if (!d)
      return Fail(Code::kInternal, "unit " + std::to_string(u.id) + " has an unreadable valid_to");
    u.valid_to = *d;
  }
  return u;
}

// The unit's columns as $1..$8, then `extra` (if any) as $9.
Params ColumnParams(const Unit& u, std::optional<std::int64_t> extra = std::nullopt) {
  Params p{std::string(KindName(u.kind)),
           u.name,
           OptText(u.name_en),
           u.stats_code,
           u.agency_code,
           u.parent_id ? Value(*u.parent_id) : Value(Null{}),
           FormatDate(u.valid_from),
           u.valid_to ? Value(FormatDate(*u.valid_to)) : Value(Null{}),
           extra ? Value(*extra) : Value(Null{})};
  if (!extra) p.pop_back();
  return p;
}

// Fills predecessors and successors of the units in `by_id` from the links
// that touch them.
Status AttachLinks(Tx& tx, std::map<std::int64_t, Unit*>& by_id, std::string_view where,
                   const Params& params) {
  auto rows = MOTCUA_TRY(tx.Query("SELECT predecessor_id, successor_id FROM unit_links " +
                                      std::string(where) + " ORDER BY predecessor_id, successor_id",
                                  params));
  for (const Row& r : rows) {
    std::int64_t pred = r.Int(0), succ = r.Int(1);
    if (auto it = by_id.find(pred); it != by_id.end()) it->second->successors.push_back(succ);
    if (auto it = by_id.find(succ); it != by_id.end()) it->second->predecessors.push_back(pred);
  }
  for (auto& [id, u] : by_id) {
    std::sort(u->predecessors.begin(), u->predecessors.end());
  }
  return {};
}

Result<std::optional<Unit>> GetWhere(Tx& tx, std::string_view where, const Value& key) {
  auto rows = MOTCUA_TRY(tx.Query(
      "SELECT " + std::string(kColumns) + " FROM units WHERE " + std::string(where), {key}));
  if (rows.empty()) return std::optional<Unit>();
  Unit u = MOTCUA_TRY(FromRow(rows[0]));
  std::map<std::int64_t, Unit*> by_id{{u.id, &u}};
  MOTCUA_TRY_VOID(AttachLinks(tx, by_id, "WHERE predecessor_id = $1 OR successor_id = $1", {u.id}));
  return std::optional<Unit>(std::move(u));
}

}  // namespace

Result<std::vector<Unit>> LoadAll(Tx& tx) {
  auto rows = MOTCUA_TRY(tx.Query("SELECT " + std::string(kColumns) + " FROM units ORDER BY id"));
  std::vector<Unit> units;
  units.reserve(rows.size());
  for (const Row& r : rows) units.push_back(MOTCUA_TRY(FromRow(r)));
  std::map<std::int64_t, Unit*> by_id;
  for (Unit& u : units) by_id.emplace(u.id, &u);
  MOTCUA_TRY_VOID(AttachLinks(tx, by_id, "", {}));
  return units;
}

Result<std::optional<Unit>> Get(Tx& tx, std::int64_t id) { return GetWhere(tx, "id = $1", id); }

Result<std::optional<Unit>> FindByAgencyCode(Tx& tx, std::string_view code) {
  return GetWhere(tx, "agency_code = $1", std::string(code));
}

Result<std::int64_t> Insert(Tx& tx, const Unit& unit) {
  auto rows = MOTCUA_TRY(tx.Query(
      "INSERT INTO units (kind, name, name_en, stats_code, agency_code, parent_id, valid_from, "
      "valid_to) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
      ColumnParams(unit)));
  if (rows.size() != 1) return Fail(Code::kInternal, "INSERT INTO units returned no id");
  return rows[0].Int(0);
}

Status Update(Tx& tx, const Unit& unit) {
  auto changed = MOTCUA_TRY(tx.Exec(
      "UPDATE units SET kind = $1, name = $2, name_en = $3, stats_code = $4, agency_code = $5, "
      "parent_id = $6, valid_from = $7, valid_to = $8 WHERE id = $9",
      ColumnParams(unit, unit.id)));
  if (changed == 0) return Fail(Code::kNotFound, "no unit " + std::to_string(unit.id));
  return {};
}

Status Retire(Tx& tx, std::int64_t id, Date date, const std::vector<std::int64_t>& successors) {
  auto changed =
      MOTCUA_TRY(tx.Exec("UPDATE units SET valid_to = $1 WHERE id = $2", {FormatDate(date), id}));
  if (changed == 0) return Fail(Code::kNotFound, "no unit " + std::to_string(id));
  for (std::int64_t s : successors) MOTCUA_TRY_VOID(AddLink(tx, id, s, date));
  return {};
}

Status AddLink(Tx& tx, std::int64_t predecessor, std::int64_t successor, Date effective) {
  MOTCUA_TRY_VOID(tx.Exec(
      "INSERT INTO unit_links (predecessor_id, successor_id, effective_date) VALUES ($1, $2, $3) "
      "ON CONFLICT (predecessor_id, successor_id) DO NOTHING",
      {predecessor, successor, FormatDate(effective)}));
  return {};
}

}  // namespace motcua::storage::units
