#include "core/catalog/import.hpp"

#include <algorithm>
#include <array>
#include <boost/json/parse.hpp>
#include <charconv>

#include "core/catalog/procedure_json.hpp"
#include "core/catalog/text.hpp"
#include "core/units/csv_import.hpp"

namespace motcua::catalog {
namespace {

namespace json = boost::json;

constexpr std::array<std::string_view, 15> kColumns = {"code",
                                                       "name",
                                                       "name_en",
                                                       "field",
                                                       "levels",
                                                       "online_mode",
                                                       "time_limit_value",
                                                       "time_limit_unit",
                                                       "cutoff_1500",
                                                       "fees",
                                                       "components",
                                                       "result_kind",
                                                       "workflow_code",
                                                       "effective_from",
                                                       "status"};
enum Column {
  kCode,
  kName,
  kNameEn,
  kField,
  kLevels,
  kOnlineMode,
  kLimitValue,
  kLimitUnit,
  kCutoff,
  kFees,
  kComponents,
  kResultKind,
  kWorkflow,
  kEffectiveFrom,
  kStatus
};

std::string Header() {
  std::string h;
  for (std::string_view c : kColumns) h += (h.empty() ? "" : ",") + std::string(c);
  return h;
}

Error Problems() { return Error{Code::kInvalidArgument, "", {}}; }

std::unexpected<Error> Finish(Error errors) {
  errors.message = "the import has " + std::to_string(errors.fields.size()) +
                   " problem(s); nothing was imported";
  return Fail(std::move(errors));
}

std::vector<std::string_view> Split(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  if (TrimSpaces(text).empty()) return out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t at = text.find(sep, start);
    out.push_back(TrimSpaces(text.substr(start, at == std::string_view::npos ? at : at - start)));
    if (at == std::string_view::npos) return out;
    start = at + 1;
  }
}

std::optional<std::int64_t> Number(std::string_view text) {
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return n;
}

// One CSV row into a procedure; problems under "line N, <field>".
std::optional<Procedure> FromRow(const std::vector<std::string>& f, const std::string& at,
                                 Error& errors) {
  const std::size_t before = errors.fields.size();
  auto problem = [&](const std::string& field, std::string what) {
    errors.With(at + field, std::move(what));
  };
  Procedure p;
  p.code = f[kCode];
  p.name = f[kName];
  if (!f[kNameEn].empty()) p.name_en = f[kNameEn];
  p.field = f[kField];
  const auto levels = Split(f[kLevels], ';');
  for (std::size_t i = 0; i < levels.size(); ++i) {
    if (auto level = ParseLevel(levels[i])) {
      p.levels.push_back(*level);
    } else {
      problem("levels[" + std::to_string(i) + "]", "must be province, commune or district");
    }
  }
  if (auto mode = ParseOnlineMode(f[kOnlineMode])) {
    p.online_mode = *mode;
  } else {
    problem("online_mode", "must be full, partial or none");
  }
  if (auto value = Number(f[kLimitValue]); value && *value >= 0 && *value <= 1'000'000) {
    p.time_limit.value = static_cast<int>(*value);
  } else {
    problem("time_limit.value", "must be a whole number");
  }
  if (auto unit = ParseTimeUnit(f[kLimitUnit])) {
    p.time_limit.unit = *unit;
  } else {
    problem("time_limit.unit", "must be working_days or working_hours");
  }
  if (f[kCutoff] == "true" || f[kCutoff] == "false" || f[kCutoff].empty()) {
    p.cutoff_1500 = f[kCutoff] == "true";
  } else {
    problem("cutoff_1500", "must be true, false or empty");
  }
  const auto fees = Split(f[kFees], ';');
  for (std::size_t i = 0; i < fees.size(); ++i) {
    const std::string item = "fees[" + std::to_string(i) + "]";
    const auto parts = Split(fees[i], '|');
    auto amount = parts.size() == 2 ? Number(parts[1]) : std::nullopt;
    if (!amount) {
      problem(item, "must be description|amount with the amount in whole đồng");
      continue;
    }
    p.fees.push_back(Fee{std::string(parts[0]), *amount});
  }
  const auto components = Split(f[kComponents], ';');
  for (std::size_t i = 0; i < components.size(); ++i) {
    const std::string item = "components[" + std::to_string(i) + "]";
    const auto parts = Split(components[i], '|');
    if (parts.size() != 6) {
      problem(item, "must be code|name|originals|copies|required|template (template may be empty)");
      continue;
    }
    auto originals = Number(parts[2]), copies = Number(parts[3]);
    if (!originals || *originals > 1000) problem(item + ".originals", "must be a whole number");
    if (!copies || *copies > 1000) problem(item + ".copies", "must be a whole number");
    if (parts[4] != "required" && parts[4] != "optional") {
      problem(item + ".required", "must be required or optional");
    }
    if (!originals || !copies || *originals > 1000 || *copies > 1000) continue;
    p.components.push_back(Component{std::string(parts[0]), std::string(parts[1]),
                                     static_cast<int>(*originals), static_cast<int>(*copies),
                                     parts[4] == "required", std::string(parts[5])});
  }
  if (auto kind = ParseResultKind(f[kResultKind])) {
    p.result_kind = *kind;
  } else {
    problem("result_kind",
            "must be certificate, licence, certified_copy, decision, written_answer or other");
  }
  p.workflow_code = f[kWorkflow];
  if (auto date = units::ParseDate(f[kEffectiveFrom])) {
    p.effective_from = *date;
  } else {
    problem("effective_from", "must be a date YYYY-MM-DD");
  }
  if (f[kStatus].empty()) {
    p.status = Lifecycle::kPublished;
  } else if (auto status = ParseLifecycle(f[kStatus])) {
    p.status = *status;
  } else {
    problem("status", "must be draft or published");
  }
  if (errors.fields.size() != before) return std::nullopt;
  return p;
}

}  // namespace

Result<std::vector<ImportEntry>> ParseJsonImport(std::string_view text) {
  if (!IsUtf8Text(text)) return InvalidField("body", "is not valid UTF-8 text");
  boost::system::error_code ec;
  json::value doc = json::parse(json::string_view(text.data(), text.size()), ec);
  if (ec) return InvalidField("body", "is not valid JSON: " + ec.message());
  const json::array* list = doc.if_array();
  if (const json::object* obj = doc.if_object()) {
    for (const auto& member : *obj) {
      if (member.key() != "procedures" && member.key() != "notes") {
        return InvalidField(std::string(member.key()),
                            "unknown field; expected procedures and notes");
      }
    }
    auto it = obj->find("procedures");
    list = it == obj->end() ? nullptr : it->value().if_array();
  }
  if (list == nullptr) {
    return InvalidField("procedures", "expected a list of procedures or {\"procedures\": [...]}");
  }
  if (list->size() > kMaxImportEntries) {
    return InvalidField("procedures",
                        "more than " + std::to_string(kMaxImportEntries) + " in one import");
  }
  Error errors = Problems();
  std::vector<ImportEntry> entries;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string place = "procedures[" + std::to_string(i) + "]";
    if (auto p = ProcedureFromJson((*list)[i], place + ".", errors)) {
      entries.push_back({place, ".", std::move(*p)});
    }
  }
  if (!errors.fields.empty()) return Finish(std::move(errors));
  return entries;
}

Result<std::vector<ImportEntry>> ParseCsvImport(std::string_view text) {
  auto rows = MOTCUA_TRY(units::ParseCsv(text));
  if (rows.empty())
    return InvalidField("line 1", "the file is empty; expected the header " + Header());
  std::vector<std::string> header;
  for (const std::string& f : rows[0].fields) header.emplace_back(TrimSpaces(f));
  if (header != std::vector<std::string>(kColumns.begin(), kColumns.end())) {
    return InvalidField("line " + std::to_string(rows[0].line), "the header must be " + Header());
  }
  if (rows.size() - 1 > kMaxImportEntries) {
    return InvalidField("line " + std::to_string(rows[kMaxImportEntries + 1].line),
                        "more than " + std::to_string(kMaxImportEntries) + " rows in one import");
  }
  Error errors = Problems();
  std::vector<ImportEntry> entries;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const std::string place = "line " + std::to_string(rows[r].line);
    if (rows[r].fields.size() != kColumns.size()) {
      errors.With(place, "has " + std::to_string(rows[r].fields.size()) + " fields, expected " +
                             std::to_string(kColumns.size()));
      continue;
    }
    std::vector<std::string> f;
    for (const std::string& v : rows[r].fields) f.emplace_back(TrimSpaces(v));
    if (auto p = FromRow(f, place + ", ", errors)) entries.push_back({place, ", ", std::move(*p)});
  }
  if (!errors.fields.empty()) return Finish(std::move(errors));
  return entries;
}

Result<ImportPlan> PlanImport(const Catalog& existing, std::vector<ImportEntry> entries,
                              bool skip_existing) {
  Catalog work = existing;
  Error errors = Problems();
  ImportPlan plan;
  for (ImportEntry& entry : entries) {
    const std::string code = entry.procedure.code;
    if (skip_existing && existing.Contains(code)) {
      ++plan.skipped;
      continue;
    }
    const bool known = work.Contains(code);
    auto row = known ? work.PlanVersion(code, std::move(entry.procedure))
                     : work.PlanCreate(std::move(entry.procedure));
    if (!row) {
      if (row.error().fields.empty()) errors.With(entry.place, row.error().message);
      for (auto& [field, problem] : row.error().fields)
        errors.With(entry.place + entry.separator + field, problem);
      continue;
    }
    work.Put(*row);
    // A draft created earlier in this file and published by this entry is
    // still one row to insert.
    auto same = std::find_if(plan.rows.begin(), plan.rows.end(), [&](const Procedure& p) {
      return p.code == row->code && p.version == row->version;
    });
    if (same != plan.rows.end()) {
      *same = std::move(*row);
      continue;
    }
    ++(known ? plan.versions_published : plan.procedures_created);
    plan.rows.push_back(std::move(*row));
  }
  if (!errors.fields.empty()) return Finish(std::move(errors));
  return plan;
}

}  // namespace motcua::catalog
