// Importing units from CSV (pure: no I/O).
//
// The file is UTF-8 (an optional BOM is skipped), RFC 4180 (fields with
// commas, quotes or line breaks are quoted; "" is a quote inside quotes;
// CRLF or LF line ends), and starts with exactly this header:
//   agency_code,stats_code,name,name_en,kind,parent_agency_code,valid_from,valid_to,successor_agency_codes
// successor_agency_codes holds codes separated by ';'. A parent must be
// stored already or appear on an earlier line; a successor may be anywhere
// in the file or stored already. Every row creates a new unit.
//
// Errors are kInvalidArgument and list every problem found, each keyed by
// its place: "line 7, column kind" (or "line 7" for the whole record).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.hpp"
#include "core/units/unit.hpp"
#include "core/units/unit_set.hpp"

namespace motcua::units {

// Most rows in one import. The whole country since 1945 is far below this;
// the bound keeps one request from holding the writer for long.
inline constexpr std::size_t kMaxImportRows = 50'000;

struct CsvRow {
  int line = 0;  // physical line where the record starts; the header is line 1
  std::vector<std::string> fields;
};

// RFC 4180 records, header included. Errors: invalid UTF-8, an unclosed
// quote, text after a closing quote.
Result<std::vector<CsvRow>> ParseCsv(std::string_view text);

// What an import will write, with placeholder ids: the unit on row i of
// `units` has id -(i + 1) until stored, and parent ids and links may refer to
// such placeholders.
struct ImportPlan {
  std::vector<Unit> units;  // in file order: parents before their children
  std::vector<int> lines;   // lines[i] is where units[i] came from
  struct Link {
    std::int64_t predecessor = 0;
    std::int64_t successor = 0;
    Date effective{};  // the predecessor's valid_to
  };
  std::vector<Link> links;
};

// Parses `text` and checks every row against `existing` and the rows before
// it (UnitSet::Check), then the successor links.
Result<ImportPlan> PlanImport(std::string_view text, const UnitSet& existing);

// True if `text` is well-formed UTF-8 (no overlong forms, no surrogates).
bool IsUtf8(std::string_view text);

}  // namespace motcua::units
