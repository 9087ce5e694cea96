#include "documents/spreadsheet.hpp"

#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace motcua::documents {
namespace {

void CsvField(std::string& out, std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += text;
    return;
  }
  out += '"';
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

// The header cell of column `c`: its group's name, and the column's when the
// group has more than one column or another name.
std::vector<std::string> HeaderNames(const Table& t) {
  std::vector<std::string> out;
  std::size_t c = 0;
  for (const auto& g : t.groups) {
    for (int i = 0; i < g.span && c < t.columns.size(); ++i, ++c) {
      const std::string& col = t.columns[c];
      out.push_back(g.span == 1 && (col.empty() || col == g.name) ? g.name : g.name + ": " + col);
    }
  }
  for (; c < t.columns.size(); ++c) out.push_back(t.columns[c]);
  return out;
}

}  // namespace

std::string WriteCsv(const Table& table) {
  std::string out = "\xEF\xBB\xBF";
  const auto header = HeaderNames(table);
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (c) out += ',';
    CsvField(out, header[c]);
  }
  out += "\r\n";
  for (const auto& row : table.rows) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (c) out += ',';
      if (const auto* s = std::get_if<std::string>(&row[c]))
        CsvField(out, *s);
      else
        out += std::to_string(std::get<std::int64_t>(row[c]));
    }
    out += "\r\n";
  }
  return out;
}

Result<std::string> WriteXlsx(const Table& table) {
  char path[] = "/tmp/motcua-xlsx-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) return Fail(Code::kInternal, "cannot make a temporary file for the spreadsheet");
  close(fd);
  struct Remove {
    const char* p;
    ~Remove() { std::remove(p); }
  } remove{path};

  lxw_workbook* wb = workbook_new(path);
  if (wb == nullptr) return Fail(Code::kInternal, "libxlsxwriter cannot open the workbook");
  std::string sheet_name = table.sheet.empty() ? "Sheet1" : table.sheet;
  lxw_worksheet* ws = workbook_add_worksheet(wb, sheet_name.c_str());
  if (ws == nullptr) {
    workbook_close(wb);
    return Fail(Code::kInternal, "libxlsxwriter refused the sheet's name");
  }
  lxw_format* title = workbook_add_format(wb);
  format_set_bold(title);
  format_set_font_size(title, 13);
  lxw_format* subtitle = workbook_add_format(wb);
  format_set_italic(subtitle);
  lxw_format* head = workbook_add_format(wb);
  format_set_bold(head);
  format_set_text_wrap(head);
  format_set_align(head, LXW_ALIGN_CENTER);
  format_set_align(head, LXW_ALIGN_VERTICAL_CENTER);
  format_set_border(head, LXW_BORDER_THIN);
  format_set_bg_color(head, 0xE7EEF7);
  lxw_format* text = workbook_add_format(wb);
  format_set_border(text, LXW_BORDER_THIN);
  format_set_text_wrap(text);
  lxw_format* number = workbook_add_format(wb);
  format_set_border(number, LXW_BORDER_THIN);
  format_set_num_format(number, "#,##0");
  lxw_format* total_text = workbook_add_format(wb);
  format_set_border(total_text, LXW_BORDER_THIN);
  format_set_bold(total_text);
  lxw_format* total_number = workbook_add_format(wb);
  format_set_border(total_number, LXW_BORDER_THIN);
  format_set_bold(total_number);
  format_set_num_format(total_number, "#,##0");

  lxw_row_t r = 0;
  const auto last_col =
      static_cast<lxw_col_t>(table.columns.empty() ? 0 : table.columns.size() - 1);
  for (std::size_t i = 0; i < table.title.size(); ++i, ++r) {
    worksheet_merge_range(ws, r, 0, r, last_col, table.title[i].c_str(), i == 0 ? title : subtitle);
  }
  if (!table.title.empty()) ++r;
  // Two header rows: the groups, merged across their columns (or down both
  // rows for a group of one column of its own name), then the columns.
  const lxw_row_t head_row = r;
  lxw_col_t c = 0;
  for (const auto& g : table.groups) {
    const auto span = static_cast<lxw_col_t>(g.span);
    const std::string& first = table.columns.at(c);
    if (span == 1 && (first.empty() || first == g.name)) {
      worksheet_merge_range(ws, head_row, c, head_row + 1, c, g.name.c_str(), head);
    } else {
      if (span > 1)
        worksheet_merge_range(ws, head_row, c, head_row, c + span - 1, g.name.c_str(), head);
      else
        worksheet_write_string(ws, head_row, c, g.name.c_str(), head);
      for (lxw_col_t k = 0; k < span; ++k)
        worksheet_write_string(ws, head_row + 1, c + k, table.columns.at(c + k).c_str(), head);
    }
    c += span;
  }
  worksheet_set_row(ws, head_row + 1, 45, nullptr);
  r = head_row + 2;
  worksheet_freeze_panes(ws, r, 0);
  for (std::size_t i = 0; i < table.rows.size(); ++i, ++r) {
    const bool total = table.last_row_is_total && i + 1 == table.rows.size();
    for (std::size_t k = 0; k < table.rows[i].size(); ++k) {
      const Cell& cell = table.rows[i][k];
      if (const auto* s = std::get_if<std::string>(&cell))
        worksheet_write_string(ws, r, static_cast<lxw_col_t>(k), s->c_str(),
                               total ? total_text : text);
      else
        worksheet_write_number(ws, r, static_cast<lxw_col_t>(k),
                               static_cast<double>(std::get<std::int64_t>(cell)),
                               total ? total_number : number);
    }
  }
  ++r;
  for (const auto& note : table.notes) worksheet_write_string(ws, r++, 0, note.c_str(), subtitle);
  for (std::size_t k = 0; k < table.widths.size(); ++k)
    worksheet_set_column(ws, static_cast<lxw_col_t>(k), static_cast<lxw_col_t>(k), table.widths[k],
                         nullptr);
  if (lxw_error e = workbook_close(wb); e != LXW_NO_ERROR)
    return Fail(Code::kInternal, std::string("libxlsxwriter: ") + lxw_strerror(e));
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in) return Fail(Code::kInternal, "cannot read the spreadsheet back");
  return bytes.str();
}

}  // namespace motcua::documents
