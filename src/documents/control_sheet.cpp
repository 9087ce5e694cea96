#include "documents/control_sheet.hpp"

namespace motcua::documents {
namespace {

constexpr double kLeft = 15, kRight = 195;  // a wide table: narrower margins than the receipt
constexpr double kBottom = 280;             // a row that would end below this goes on the next page

// Column left edges, mm.
constexpr double kColStep = kLeft, kColUnit = kLeft + 42, kColTimes = kLeft + 82,
                 kColResult = kLeft + 138, kColBy = kLeft + 156;

}  // namespace

Result<std::string> RenderControlSheet(std::shared_ptr<const Fonts> fonts, const FormLayout& layout,
                                       const ControlSheetData& d) {
  auto word = [&](std::string_view key) { return layout.Word(key); };
  PdfDocument pdf(std::move(fonts), word("sheet_title") + " " + d.number);
  const TextStyle cell{.size = 9};
  const TextStyle head{.size = 9, .bold = true};

  double y = DrawFormHeader(pdf, layout, d.parent_agency, d.agency, word("sheet_form"),
                            word("sheet_title"), d.number, d.printed_at);
  y += 7;
  y = pdf.Paragraph(kLeft, y, kRight - kLeft, word("sheet_of") + ": " + d.applicant_name,
                    {.size = 11});
  y = pdf.Paragraph(kLeft, y, kRight - kLeft, word("request") + ": " + d.procedure_name,
                    {.size = 11});
  y += 2;

  auto header = [&] {
    pdf.Line(kLeft, y - 4, kRight, y - 4, 0.3);
    double h = y;
    h = std::max(h,
                 pdf.Paragraph(kColStep + 1, y, kColUnit - kColStep - 2, word("sheet_step"), head));
    h = std::max(
        h, pdf.Paragraph(kColUnit + 1, y, kColTimes - kColUnit - 2, word("sheet_unit"), head));
    h = std::max(
        h, pdf.Paragraph(kColTimes + 1, y, kColResult - kColTimes - 2, word("sheet_times"), head));
    h = std::max(
        h, pdf.Paragraph(kColResult + 1, y, kColBy - kColResult - 2, word("sheet_result"), head));
    h = std::max(h, pdf.Paragraph(kColBy + 1, y, kRight - kColBy - 2, word("sheet_by"), head));
    y = h - 1.5;
    pdf.Line(kLeft, y, kRight, y, 0.3);
    y += 4.5;
  };
  header();
  int n = 1;
  for (const auto& r : d.rows) {
    // One moment a line: received, due (if the step has a budget), finished.
    std::vector<std::string> times{word("sheet_received") + ": " +
                                   VietnameseShortMoment(r.started_at)};
    if (r.due_at) times.push_back(word("sheet_due") + ": " + VietnameseShortMoment(*r.due_at));
    times.push_back(r.finished_at
                        ? word("sheet_finished") + ": " + VietnameseShortMoment(*r.finished_at)
                        : word("sheet_open"));
    const std::string result = r.timeliness.empty() ? "" : word("timeliness_" + r.timeliness);
    // A row drawn past the page's end would be lost: break the page first
    // (a row is as tall as its moments, or its longest wrapped cell).
    const double line = cell.size / (72.0 / 25.4) * 1.35;
    const double rows_needed = std::max<double>(
        static_cast<double>(times.size()),
        pdf.TextWidth(r.state_name + " 00.", cell) / (kColUnit - kColStep - 2) + 1);
    if (y + rows_needed * line > kBottom) {
      pdf.NewPage();
      y = 20;
      header();
    }
    double h = y;
    h = std::max(h, pdf.Paragraph(kColStep + 1, y, kColUnit - kColStep - 2,
                                  std::to_string(n++) + ". " + r.state_name, cell));
    h = std::max(h, pdf.Paragraph(kColUnit + 1, y, kColTimes - kColUnit - 2, r.unit_name, cell));
    double t = y;
    for (const auto& moment : times)
      t = pdf.Paragraph(kColTimes + 1, t, kColResult - kColTimes - 2, moment, cell);
    h = std::max(h, t);
    h = std::max(h, pdf.Paragraph(kColResult + 1, y, kColBy - kColResult - 2, result, cell));
    h = std::max(h, pdf.Paragraph(kColBy + 1, y, kRight - kColBy - 2, r.handed_by, cell));
    y = h - 1.5;
    pdf.Line(kLeft, y, kRight, y, 0.15);
    y += 4.5;
  }
  pdf.Text(kRight, std::min(y + 4, 290.0),
           word("sheet_printed") + ": " + VietnameseMoment(d.printed_at),
           {.size = 9, .italic = true, .align = Align::kRight});
  return pdf.Finish();
}

}  // namespace motcua::documents
