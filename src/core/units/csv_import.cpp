#include "core/units/csv_import.hpp"

#include <array>
#include <optional>

namespace motcua::units {
namespace {

constexpr std::array<std::string_view, 9> kColumns = {
    "agency_code", "stats_code", "name",
    "name_en",     "kind",       "parent_agency_code",
    "valid_from",  "valid_to",   "successor_agency_codes"};
enum Column {
  kAgencyCode,
  kStatsCode,
  kName,
  kNameEn,
  kKind,
  kParent,
  kValidFrom,
  kValidTo,
  kSuccessors
};

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// Offset of the first byte that breaks UTF-8, or npos.
std::size_t FirstBadUtf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto b = static_cast<unsigned char>(s[i]);
    std::size_t len;
    std::uint32_t cp;
    if (b < 0x80) {
      ++i;
      continue;
    } else if ((b & 0xE0) == 0xC0) {
      len = 2, cp = b & 0x1F;
    } else if ((b & 0xF0) == 0xE0) {
      len = 3, cp = b & 0x0F;
    } else if ((b & 0xF8) == 0xF0) {
      len = 4, cp = b & 0x07;
    } else {
      return i;
    }
    if (i + len > s.size()) return i;
    for (std::size_t k = 1; k < len; ++k) {
      auto c = static_cast<unsigned char>(s[i + k]);
      if ((c & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (c & 0x3F);
    }
    // Smallest code point each length may carry: anything less is overlong.
    static constexpr std::uint32_t kMin[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return std::string_view::npos;
}

int LineOf(std::string_view text, std::size_t offset) {
  int line = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) line += text[i] == '\n';
  return line;
}

std::string Trim(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return std::string(s);
}

std::string Place(int line, std::string_view column) {
  return "line " + std::to_string(line) + ", column " + std::string(column);
}
std::string Place(int line) { return "line " + std::to_string(line); }

// Where UnitSet::Check's field names live in the file.
std::string_view ColumnOfField(const std::string& field) {
  if (field == "parent_id") return kColumns[kParent];
  for (std::string_view c : kColumns) {
    if (c == field) return c;
  }
  return field;
}

std::string Header() {
  std::string h;
  for (std::string_view c : kColumns) {
    if (!h.empty()) h += ',';
    h += c;
  }
  return h;
}

}  // namespace

bool IsUtf8(std::string_view text) { return FirstBadUtf8(text) == std::string_view::npos; }

Result<std::vector<CsvRow>> ParseCsv(std::string_view text) {
  if (text.starts_with(kBom)) text.remove_prefix(kBom.size());
  if (std::size_t bad = FirstBadUtf8(text); bad != std::string_view::npos) {
    return InvalidField(Place(LineOf(text, bad)), "is not valid UTF-8");
  }
  std::vector<CsvRow> rows;
  int line = 1;
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    CsvRow row{line, {}};
    bool end_of_record = false;
    while (!end_of_record) {
      std::string field;
      if (i < n && text[i] == '"') {
        const int opened = line;
        ++i;
        for (;;) {
          if (i >= n) {
            return InvalidField(Place(opened), "a quote opened here is never closed");
          }
          char c = text[i++];
          if (c == '"') {
            if (i < n && text[i] == '"') {
              field += '"';
              ++i;
              continue;
            }
            break;
          }
          if (c == '\n') ++line;
          field += c;
        }
        if (i < n && text[i] != ',' && text[i] != '\n' && !text.substr(i).starts_with("\r\n")) {
          return InvalidField(Place(line), "text after a closing quote");
        }
      } else {
        while (i < n && text[i] != ',' && text[i] != '\n' && !text.substr(i).starts_with("\r\n")) {
          if (text[i] == '"') {
            return InvalidField(Place(line), "a quote inside an unquoted field; quote the field");
          }
          field += text[i++];
        }
      }
      row.fields.push_back(std::move(field));
      if (i >= n) {
        end_of_record = true;
      } else if (text[i] == ',') {
        ++i;
      } else {
        i += text[i] == '\r' ? 2 : 1;
        ++line;
        end_of_record = true;
      }
    }
    // Blank lines (often one at the end of a file) carry no record.
    if (!(row.fields.size() == 1 && Trim(row.fields[0]).empty())) rows.push_back(std::move(row));
  }
  return rows;
}

Result<ImportPlan> PlanImport(std::string_view text, const UnitSet& existing) {
  auto rows = MOTCUA_TRY(ParseCsv(text));
  if (rows.empty())
    return InvalidField(Place(1), "the file is empty; expected the header " + Header());
  std::vector<std::string> header;
  for (const std::string& f : rows[0].fields) header.push_back(Trim(f));
  if (header != std::vector<std::string>(kColumns.begin(), kColumns.end())) {
    return InvalidField(Place(rows[0].line), "the header must be " + Header());
  }
  if (rows.size() - 1 > kMaxImportRows) {
    return InvalidField(Place(rows[kMaxImportRows + 1].line),
                        "more than " + std::to_string(kMaxImportRows) + " rows in one import");
  }

  Error errors{Code::kInvalidArgument, "", {}};
  UnitSet work = existing;
  ImportPlan plan;
  std::vector<std::vector<std::string>> successor_codes;  // parallel to plan.units

  for (std::size_t r = 1; r < rows.size(); ++r) {
    const CsvRow& row = rows[r];
    if (row.fields.size() != kColumns.size()) {
      errors.With(Place(row.line), "has " + std::to_string(row.fields.size()) +
                                       " fields, expected " + std::to_string(kColumns.size()));
      continue;
    }
    std::vector<std::string> f;
    for (const std::string& v : row.fields) f.push_back(Trim(v));
    const std::size_t before = errors.fields.size();

    Unit unit;
    unit.id = -static_cast<std::int64_t>(plan.units.size() + 1);
    unit.agency_code = f[kAgencyCode];
    unit.stats_code = f[kStatsCode];
    unit.name = f[kName];
    if (!f[kNameEn].empty()) unit.name_en = f[kNameEn];
    if (auto kind = ParseKind(f[kKind])) {
      unit.kind = *kind;
    } else {
      errors.With(Place(row.line, kColumns[kKind]),
                  "unknown kind '" + f[kKind] +
                      "'; expected province, district, commune, department or center");
    }
    if (!f[kParent].empty()) {
      if (const Unit* parent = work.FindByAgencyCode(f[kParent])) {
        unit.parent_id = parent->id;
      } else {
        errors.With(Place(row.line, kColumns[kParent]),
                    "no unit with code " + f[kParent] + " is stored or on an earlier line");
      }
    }
    if (auto d = ParseDate(f[kValidFrom])) {
      unit.valid_from = *d;
    } else {
      errors.With(Place(row.line, kColumns[kValidFrom]), "must be a date YYYY-MM-DD");
    }
    if (!f[kValidTo].empty()) {
      if (auto d = ParseDate(f[kValidTo])) {
        unit.valid_to = *d;
      } else {
        errors.With(Place(row.line, kColumns[kValidTo]), "must be a date YYYY-MM-DD or empty");
      }
    }
    std::vector<std::string> successors;
    std::string_view rest = f[kSuccessors];
    while (!rest.empty()) {
      std::size_t semi = rest.find(';');
      std::string code = Trim(rest.substr(0, semi));
      if (!code.empty()) successors.push_back(std::move(code));
      rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
    }
    if (errors.fields.size() != before) continue;

    if (auto checked = work.Check(unit); !checked) {
      for (auto& [field, problem] : checked.error().fields) {
        errors.With(Place(row.line, ColumnOfField(field)), problem);
      }
      continue;
    }
    work.Put(unit);
    plan.units.push_back(std::move(unit));
    plan.lines.push_back(row.line);
    successor_codes.push_back(std::move(successors));
  }

  // Successors second: a retired unit usually comes before the unit that
  // absorbed it in a file sorted by code.
  for (std::size_t u = 0; u < plan.units.size(); ++u) {
    if (successor_codes[u].empty()) continue;
    const Unit& unit = plan.units[u];
    const std::string place = Place(plan.lines[u], kColumns[kSuccessors]);
    std::vector<std::int64_t> ids;
    bool resolved = true;
    for (const std::string& code : successor_codes[u]) {
      const Unit* s = work.FindByAgencyCode(code);
      if (s == nullptr) {
        errors.With(place, "no unit with code " + code + " is stored or in the file");
        resolved = false;
        break;
      }
      ids.push_back(s->id);
    }
    if (!resolved) continue;
    if (auto ok = work.CheckSuccessors(unit, ids, place); !ok) {
      errors.fields.merge(ok.error().fields);
      continue;
    }
    for (std::int64_t s : ids) {
      work.Link(unit.id, s);
      plan.links.push_back({unit.id, s, *unit.valid_to});
    }
  }

  if (!errors.fields.empty()) {
    errors.message = "the file has " + std::to_string(errors.fields.size()) +
                     " problem(s); nothing was imported";
    return Fail(std::move(errors));
  }
  for (Unit& u : plan.units) u = *work.Find(u.id);
  return plan;
}

}  // namespace motcua::units
