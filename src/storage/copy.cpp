#include "storage/copy.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace motcua::storage {
namespace {

struct TableSpec {
  std::string_view name;
  std::vector<std::string_view> key;  // the primary key, for paging in order
  bool identity = false;              // an `id` PostgreSQL numbers itself
};

// In migration order, which is foreign-key order: a table only refers to
// tables made before it (units to itself, handled by ParentsFirst).
const std::vector<TableSpec>& Specs() {
  static const std::vector<TableSpec> specs = {
      {"units", {"id"}, true},
      {"unit_links", {"predecessor_id", "successor_id"}},
      {"users", {"id"}, true},
      {"user_roles", {"id"}, true},
      {"sessions", {"id"}, true},
      {"api_tokens", {"id"}, true},
      {"procedures", {"id"}, true},
      {"events", {"seq"}},
      {"pii_access", {"id"}, true},
      {"dossier_number_counters", {"agency_code", "day"}},
      {"attachments", {"id"}},
      {"dossiers", {"id"}, true},
      {"dossier_steps", {"dossier_id", "step"}},
      {"dossier_ratings", {"dossier_id"}},
      {"dossier_results", {"dossier_id"}},
      // The statistics' saved facts: their mark is an event seq, which the
      // copy keeps, so the target's first start reads them too.
      {"stats_snapshots", {"generation"}},
      {"stats_snapshot_parts", {"generation", "part"}},
      {"signing_certificates", {"id"}, true},
      // The integration spine (0012): what is owed, what was exchanged.
      {"outbox", {"id"}, true},
      {"exchange_log", {"seq"}},
      {"inbound_messages", {"partner", "message_key"}},
      {"national_sync", {"dossier_id"}},
      // Notifications (0013): the channels chosen per dossier, the digests.
      {"notification_preferences", {"dossier_id"}},
      {"staff_notification_settings", {"user_id"}},
  };
  return specs;
}

std::string Join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += sep;
    out += parts[i];
  }
  return out;
}

Error Precondition(std::string message) {
  return Error{Code::kFailedPrecondition, std::move(message), {}};
}

Result<std::set<std::string>> TableNames(Store& store, Tx& tx) {
  const char* sql = store.engine() == "postgresql"
                        ? "SELECT table_name FROM information_schema.tables "
                          "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
                        : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                          "'sqlite\\_%' ESCAPE '\\'";
  std::set<std::string> names;
  for (const Row& r : MOTCUA_TRY(tx.Query(sql))) names.insert(r.Text(0));
  return names;
}

Result<std::vector<std::string>> Columns(Store& store, Tx& tx, std::string_view table) {
  const char* sql =
      store.engine() == "postgresql"
          ? "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position"
          : "SELECT name FROM pragma_table_info($1) ORDER BY cid";
  std::vector<std::string> columns;
  for (const Row& r : MOTCUA_TRY(tx.Query(sql, {std::string(table)}))) columns.push_back(r.Text(0));
  return columns;
}

// Both sides have exactly the tables this binary copies.
Status CheckTables(Store& store, Tx& tx, std::string_view side) {
  std::set<std::string> names = MOTCUA_TRY(TableNames(store, tx));
  names.erase("schema_migrations");
  for (const TableSpec& spec : Specs()) {
    if (!names.erase(std::string(spec.name)))
      return Fail(
          Precondition("the " + std::string(side) + " has no table " + std::string(spec.name)));
  }
  if (!names.empty())
    return Fail(Precondition("the " + std::string(side) +
                             " has a table this motcua does not copy: " + *names.begin()));
  return {};
}

// Units refer to their parent: each goes after it.
std::vector<Row> ParentsFirst(Rows rows, std::size_t id_col, std::size_t parent_col) {
  std::map<std::int64_t, std::vector<std::size_t>> children;
  std::vector<std::size_t> roots;
  std::set<std::int64_t> ids;
  for (const Row& r : rows) ids.insert(r.Int(id_col));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    auto parent = rows[i].OptInt(parent_col);
    if (parent && ids.contains(*parent))
      children[*parent].push_back(i);
    else
      roots.push_back(i);
  }
  std::vector<Row> out;
  out.reserve(rows.size());
  std::vector<std::size_t> next = roots;
  while (!next.empty()) {
    std::vector<std::size_t> level;
    for (std::size_t i : next) {
      out.push_back(rows[i]);
      auto it = children.find(rows[i].Int(id_col));
      if (it != children.end()) level.insert(level.end(), it->second.begin(), it->second.end());
    }
    next = std::move(level);
  }
  // A cycle cannot be stored (a unit's parent must exist first); keep
  // any row left over rather than lose it, and let the target refuse.
  if (out.size() < rows.size()) {
    std::set<std::int64_t> placed;
    for (const Row& r : out) placed.insert(r.Int(id_col));
    for (const Row& r : rows)
      if (!placed.contains(r.Int(id_col))) out.push_back(r);
  }
  return out;
}

Status WriteRows(Store& to, const std::string& insert, const std::vector<Row>& rows,
                 std::size_t begin, std::size_t end) {
  return to.WriteSync([&](Tx& tx) -> Status {
    for (std::size_t i = begin; i < end; ++i) {
      Params params;
      params.reserve(rows[i].size());
      for (std::size_t c = 0; c < rows[i].size(); ++c) params.push_back(rows[i].at(c));
      MOTCUA_TRY_VOID(tx.Send(insert, params, Tx::Expect{1, std::nullopt}));
    }
    return {};
  });
}

}  // namespace

std::int64_t CopyReport::rows() const {
  std::int64_t n = 0;
  for (const CopiedTable& t : tables) n += t.rows;
  return n;
}

const std::vector<std::string_view>& CopiedTables() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> out;
    for (const TableSpec& spec : Specs()) out.push_back(spec.name);
    return out;
  }();
  return names;
}

Result<CopyReport> CopyDatabase(Store& from, Store& to, const CopyProgress& progress) {
  const int latest = from.LatestSchemaVersion();
  const int source_version = MOTCUA_TRY(from.SchemaVersion());
  if (source_version != latest) {
    return Fail(Precondition("the source is at schema version " + std::to_string(source_version) +
                             " and this motcua copies version " + std::to_string(latest) + "; " +
                             (source_version < latest ? "run 'motcua migrate' on it first"
                                                      : "use the newer motcua that wrote it")));
  }
  MOTCUA_TRY_VOID(to.Migrate());

  // The target's columns, in its order; the source must have the same set.
  std::map<std::string_view, std::vector<std::string>> columns;
  MOTCUA_TRY_VOID(to.Read([&](Tx& tx) -> Status {
    MOTCUA_TRY_VOID(CheckTables(to, tx, "target"));
    for (const TableSpec& spec : Specs()) {
      std::string table(spec.name);
      if (!MOTCUA_TRY(tx.Query("SELECT 1 FROM " + table + " LIMIT 1")).empty())
        return Fail(Precondition("the target already holds rows (table " + table +
                                 "); copy into an empty database"));
      columns[spec.name] = MOTCUA_TRY(Columns(to, tx, spec.name));
    }
    return {};
  }));

  CopyReport report;
  MOTCUA_TRY_VOID(from.Read([&](Tx& tx) -> Status {
    MOTCUA_TRY_VOID(CheckTables(from, tx, "source"));
    for (const TableSpec& spec : Specs()) {
      const std::vector<std::string>& cols = columns[spec.name];
      std::vector<std::string> source_cols = MOTCUA_TRY(Columns(from, tx, spec.name));
      if (std::set<std::string>(cols.begin(), cols.end()) !=
          std::set<std::string>(source_cols.begin(), source_cols.end()))
        return Fail(Precondition("the columns of table " + std::string(spec.name) +
                                 " differ between the source (" + Join(source_cols, ", ") +
                                 ") and the target (" + Join(cols, ", ") + ")"));
      std::vector<std::size_t> key_at;  // where the key columns are among cols
      std::vector<std::string> key;
      for (std::string_view k : spec.key) {
        key.emplace_back(k);
        key_at.push_back(
            static_cast<std::size_t>(std::find(cols.begin(), cols.end(), k) - cols.begin()));
        if (key_at.back() == cols.size())
          return Fail(Code::kInternal,
                      "table " + std::string(spec.name) + " has no column " + std::string(k));
      }
      const std::string table(spec.name);
      const std::string select = "SELECT " + Join(cols, ", ") + " FROM " + table;
      const std::string order =
          " ORDER BY " + Join(key, ", ") + " LIMIT " + std::to_string(kCopyBatch);
      std::string after = " WHERE (" + Join(key, ", ") + ") > (";
      for (std::size_t i = 0; i < key.size(); ++i)
        after += (i ? ", $" : "$") + std::to_string(i + 1);
      after += ")";
      std::string insert = "INSERT INTO " + table + " (" + Join(cols, ", ") + ") VALUES (";
      for (std::size_t i = 0; i < cols.size(); ++i)
        insert += (i ? ", $" : "$") + std::to_string(i + 1);
      insert += ")";

      CopiedTable copied{table, 0};
      if (spec.name == "units") {
        // A few hundred rows: all at once, parents first.
        const auto parent = std::find(cols.begin(), cols.end(), "parent_id");
        if (parent == cols.end()) return Fail(Code::kInternal, "units has no parent_id");
        std::vector<Row> rows = ParentsFirst(MOTCUA_TRY(tx.Query(select)), key_at[0],
                                             static_cast<std::size_t>(parent - cols.begin()));
        for (std::size_t at = 0; at < rows.size(); at += kCopyBatch) {
          const std::size_t end = std::min(rows.size(), at + kCopyBatch);
          MOTCUA_TRY_VOID(WriteRows(to, insert, rows, at, end));
          copied.rows = static_cast<std::int64_t>(end);
          if (progress) progress(table, copied.rows);
        }
      } else {
        Params last;
        for (;;) {
          Rows rows = MOTCUA_TRY(tx.Query(select + (last.empty() ? "" : after) + order, last));
          if (rows.empty()) break;
          MOTCUA_TRY_VOID(WriteRows(to, insert, rows, 0, rows.size()));
          copied.rows += static_cast<std::int64_t>(rows.size());
          if (progress) progress(table, copied.rows);
          last.clear();
          for (std::size_t k : key_at) last.push_back(rows.back().at(k));
          if (rows.size() < static_cast<std::size_t>(kCopyBatch)) break;
        }
      }
      report.tables.push_back(std::move(copied));
    }
    return {};
  }));

  if (to.engine() == "postgresql") {
    // New rows on the target take ids after the copied ones.
    MOTCUA_TRY_VOID(to.WriteSync([&](Tx& tx) -> Status {
      for (const TableSpec& spec : Specs()) {
        if (!spec.identity) continue;
        const std::string table(spec.name);
        MOTCUA_TRY(tx.Query(
            "SELECT setval(pg_get_serial_sequence($1, 'id'), max(id)) FROM " + table, {table}));
      }
      return {};
    }));
  }
  return report;
}

}  // namespace motcua::storage
