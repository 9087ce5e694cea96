#include "storage/catalog_repo.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>

#include "core/catalog/procedure_json.hpp"

namespace motcua::storage::catalog {
namespace {

namespace json = boost::json;
namespace cat = motcua::catalog;

constexpr std::string_view kColumns =
    "id, code, version, status, name, name_en, field, levels, online_mode, time_limit_value, "
    "time_limit_unit, cutoff_1500, fees, components, result_kind, workflow_code, effective_from, "
    "retired_on";

std::string Levels(const std::vector<cat::Level>& levels) {
  std::string out;
  for (cat::Level l : levels) out += (out.empty() ? "" : ",") + std::string(cat::LevelName(l));
  return out;
}

Result<Procedure> FromRow(const Row& row) {
  Procedure p;
  p.id = row.Int(0);
  auto bad = [&p](std::string_view what) {
    return Fail(Code::kInternal, "procedure row " + std::to_string(p.id) + " has an unreadable " +
                                     std::string(what));
  };
  p.code = row.Text(1);
  p.version = static_cast<int>(row.Int(2));
  auto status = cat::ParseLifecycle(row.Text(3));
  if (!status) return bad("status");
  p.status = *status;
  p.name = row.Text(4);
  p.name_en = row.OptText(5);
  p.field = row.Text(6);
  std::string_view levels = row.Text(7);
  while (!levels.empty()) {
    const std::size_t comma = levels.find(',');
    auto level = cat::ParseLevel(levels.substr(0, comma));
    if (!level) return bad("levels");
    p.levels.push_back(*level);
    levels = comma == std::string_view::npos ? std::string_view{} : levels.substr(comma + 1);
  }
  auto mode = cat::ParseOnlineMode(row.Text(8));
  auto unit = cat::ParseTimeUnit(row.Text(10));
  auto kind = cat::ParseResultKind(row.Text(14));
  auto from = motcua::units::ParseDate(row.Text(16));
  if (!mode || !unit || !kind || !from) return bad("enum or date");
  p.online_mode = *mode;
  p.time_limit = {static_cast<int>(row.Int(9)), *unit};
  p.cutoff_1500 = row.Int(11) != 0;
  Error errors{Code::kInternal, "", {}};
  boost::system::error_code ec;
  json::value fees = json::parse(row.Text(12), ec);
  if (ec) return bad("fees");
  json::value components = json::parse(row.Text(13), ec);
  if (ec) return bad("components");
  auto fee_list = cat::FeesFromJson(fees, "fees", errors);
  auto component_list = cat::ComponentsFromJson(components, "components", errors);
  if (!fee_list || !component_list) return bad("fees or components");
  p.fees = std::move(*fee_list);
  p.components = std::move(*component_list);
  p.result_kind = *kind;
  p.workflow_code = row.Text(15);
  p.effective_from = *from;
  if (auto retired = row.OptText(17)) {
    auto d = motcua::units::ParseDate(*retired);
    if (!d) return bad("retired_on");
    p.retired_on = *d;
  }
  return p;
}

// The version's columns as $1..$17, then `id` as $18 if given.
Params ColumnParams(const Procedure& p, std::optional<std::int64_t> id = std::nullopt) {
  Params params{p.code,
                std::int64_t{p.version},
                std::string(cat::LifecycleName(p.status)),
                p.name,
                p.name_en ? Value(*p.name_en) : Value(Null{}),
                p.field,
                Levels(p.levels),
                std::string(cat::OnlineModeName(p.online_mode)),
                std::int64_t{p.time_limit.value},
                std::string(cat::TimeUnitName(p.time_limit.unit)),
                std::int64_t{p.cutoff_1500 ? 1 : 0},
                json::serialize(cat::FeesToJson(p.fees)),
                json::serialize(cat::ComponentsToJson(p.components)),
                std::string(cat::ResultKindName(p.result_kind)),
                p.workflow_code,
                motcua::units::FormatDate(p.effective_from),
                p.retired_on ? Value(motcua::units::FormatDate(*p.retired_on)) : Value(Null{})};
  if (id) params.emplace_back(*id);
  return params;
}

}  // namespace

Result<std::vector<Procedure>> LoadAll(Tx& tx) {
  auto rows = MOTCUA_TRY(
      tx.Query("SELECT " + std::string(kColumns) + " FROM procedures ORDER BY code, version"));
  std::vector<Procedure> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(MOTCUA_TRY(FromRow(r)));
  return out;
}

Result<std::int64_t> Insert(Tx& tx, const Procedure& p) {
  auto rows = MOTCUA_TRY(tx.Query(
      "INSERT INTO procedures (code, version, status, name, name_en, field, levels, online_mode, "
      "time_limit_value, time_limit_unit, cutoff_1500, fees, components, result_kind, "
      "workflow_code, "
      "effective_from, retired_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
      "$14, $15, $16, $17) RETURNING id",
      ColumnParams(p)));
  if (rows.size() != 1) return Fail(Code::kInternal, "INSERT INTO procedures returned no id");
  return rows[0].Int(0);
}

Status Update(Tx& tx, const Procedure& p) {
  auto changed = MOTCUA_TRY(tx.Exec(
      "UPDATE procedures SET code = $1, version = $2, status = $3, name = $4, name_en = $5, "
      "field = $6, levels = $7, online_mode = $8, time_limit_value = $9, time_limit_unit = $10, "
      "cutoff_1500 = $11, fees = $12, components = $13, result_kind = $14, workflow_code = $15, "
      "effective_from = $16, retired_on = $17 WHERE id = $18",
      ColumnParams(p, p.id)));
  if (changed == 0) return Fail(Code::kNotFound, "no procedure row " + std::to_string(p.id));
  return {};
}

}  // namespace motcua::storage::catalog
