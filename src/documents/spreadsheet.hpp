// Tables as people take them away: CSV for any program, XLSX for Excel and
// LibreOffice (the Decree 09 report, issue 7).
//
// A Table has title lines, a header of column groups over columns (a group
// of one column with the group's own name is one header cell two rows
// high), rows of text and whole numbers, and notes below. CSV gets one
// header row ("Group: column"), UTF-8 with a byte-order mark (so that Excel
// reads Vietnamese right) and CRLF line ends, quoted as RFC 4180 says. XLSX
// (libxlsxwriter) gets the titles, the two header rows with the groups
// merged, numbers as numbers, the last row bold when it is a total, the
// header frozen.
//
// Thread safety: pure functions; WriteXlsx uses a temporary file of its own.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "common/result.hpp"

namespace motcua::documents {

using Cell = std::variant<std::string, std::int64_t>;

struct Table {
  std::string sheet;               // the sheet's tab (31 characters at most)
  std::vector<std::string> title;  // lines above, the first bold
  struct Group {
    std::string name;
    int span = 1;
  };
  std::vector<Group> groups;         // spans add up to columns.size()
  std::vector<std::string> columns;  // under the groups
  std::vector<int> widths;           // characters, per column (optional)
  std::vector<std::vector<Cell>> rows;
  bool last_row_is_total = false;
  std::vector<std::string> notes;  // lines below
};

std::string WriteCsv(const Table& table);
// Errors: kInternal when libxlsxwriter or the temporary file fails.
[[nodiscard]] Result<std::string> WriteXlsx(const Table& table);

}  // namespace motcua::documents
