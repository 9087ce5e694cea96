// Importing procedures from JSON or CSV (pure: no I/O), all or nothing.
//
// JSON: a list of procedures in the input form of procedure_json.hpp, or an
// object {"procedures": [...]} that may also carry "notes" (free text, any
// JSON, ignored). Problems are named "procedures[3].components[2].name".
//
// CSV: UTF-8 (optional BOM), RFC 4180, one row per procedure, this header:
//   code,name,name_en,field,levels,online_mode,time_limit_value,time_limit_unit,
//   cutoff_1500,fees,components,result_kind,workflow_code,effective_from,status
// levels: names separated by ';' ("province;commune"); cutoff_1500: true or
// false (empty: false); status: draft or published (empty: published);
// fees: items separated by ';', each "description|amount" (amount in whole
// đồng); components: items separated by ';', each
// "code|name|originals|copies|required|template" where required is
// "required" or "optional" and template may be empty. Texts in fees and
// components cannot hold ';' or '|' (use JSON for those). Problems are named
// "line 7, components[2].name" (the header is line 1).
//
// Each entry whose code is new creates the procedure; an entry whose code is
// stored already, or appears on an earlier entry, publishes a new version of
// it (Catalog::PlanVersion) unless skip_existing is set, in which case
// entries of stored codes are left out. Every problem of every entry is
// reported together, as kInvalidArgument.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "core/catalog/catalog.hpp"

namespace motcua::catalog {

// Most entries in one import: a province publishes about 2,000 procedures;
// the bound keeps one request from holding the writer for long.
inline constexpr std::size_t kMaxImportEntries = 10'000;

struct ImportEntry {
  std::string place;      // "procedures[3]" or "line 7"
  std::string separator;  // between place and a field name: "." or ", "
  Procedure procedure;
};

[[nodiscard]] Result<std::vector<ImportEntry>> ParseJsonImport(std::string_view text);
[[nodiscard]] Result<std::vector<ImportEntry>> ParseCsvImport(std::string_view text);

struct ImportPlan {
  // Rows to write in order: id 0 to insert, else the stored draft to replace.
  std::vector<Procedure> rows;
  std::size_t procedures_created = 0;
  std::size_t versions_published = 0;  // new versions of known codes
  std::size_t skipped = 0;             // entries of stored codes under skip_existing
};

[[nodiscard]] Result<ImportPlan> PlanImport(const Catalog& existing,
                                            std::vector<ImportEntry> entries,
                                            bool skip_existing = false);

}  // namespace motcua::catalog
