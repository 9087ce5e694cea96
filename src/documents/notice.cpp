#include "documents/notice.hpp"

namespace motcua::documents {
namespace {

constexpr double kLeft = 20, kRight = 190, kWidth = kRight - kLeft;

// The words of a kind: "notice02_title", "notice02_body", ...
std::string Key(NoticeKind kind, std::string_view what) {
  return "notice0" + std::to_string(static_cast<int>(kind)) + "_" + std::string(what);
}

// `text` with {name} replaced by `value`, every time.
std::string Fill(std::string text, std::string_view name, std::string_view value) {
  const std::string token = "{" + std::string(name) + "}";
  for (auto at = text.find(token); at != std::string::npos;
       at = text.find(token, at + value.size()))
    text.replace(at, token.size(), value);
  return text;
}

}  // namespace

std::optional<NoticeKind> ParseNoticeKind(std::string_view form) {
  if (form == "02") return NoticeKind::kSupplement;
  if (form == "03") return NoticeKind::kRefusal;
  if (form == "04") return NoticeKind::kApology;
  if (form == "05") return NoticeKind::kStop;
  return std::nullopt;
}

Result<std::string> RenderNotice(std::shared_ptr<const Fonts> fonts, const FormLayout& layout,
                                 const NoticeData& d) {
  auto word = [&](std::string_view what) { return layout.Word(Key(d.kind, what)); };
  PdfDocument pdf(std::move(fonts), word("title") + " " + d.number);
  const TextStyle body{.size = 12};
  double y = DrawFormHeader(pdf, layout, d.parent_agency, d.agency, word("form"), word("title"),
                            d.number, d.decided_at);
  y += 9;
  pdf.Text(105, y, layout.Word("dear") + ": " + d.applicant_name,
           {.size = 12, .align = Align::kCenter});
  y += 9;
  // What happened, in the province's words with the dossier's facts.
  auto filled = [&](std::string text) {
    text = Fill(std::move(text), "received", VietnameseMoment(d.received_at));
    text = Fill(std::move(text), "unit", d.unit_name);
    text = Fill(std::move(text), "applicant", d.applicant_name);
    text = Fill(std::move(text), "procedure", d.procedure_name);
    return Fill(std::move(text), "number", d.number);
  };
  y = pdf.Paragraph(kLeft, y, kWidth, filled(word("body")), body);
  if (!d.items.empty()) {
    y += 1;
    int n = 1;
    for (const auto& item : d.items)
      y = pdf.Paragraph(kLeft + 6, y, kWidth - 6, std::to_string(n++) + ". " + item, body);
  }
  if (!d.reason.empty())
    y = pdf.Paragraph(kLeft, y + 1, kWidth, layout.Word("reason") + ": " + d.reason, body);
  if (d.new_due_at)
    y = pdf.Paragraph(kLeft, y + 1, kWidth,
                      word("new_due") + ": " + VietnameseMoment(*d.new_due_at),
                      {.size = 12, .bold = true});
  y = pdf.Paragraph(kLeft, y + 2, kWidth, filled(word("closing")), body);
  // The signature: who decided, for the agency.
  y += 8;
  pdf.Text(150, y, layout.Word("for_agency"), {.size = 12, .bold = true, .align = Align::kCenter});
  pdf.Text(150, y + 5, layout.Word("sign_note"),
           {.size = 11, .italic = true, .align = Align::kCenter});
  if (!d.signer.empty())
    pdf.Text(150, y + 28, d.signer, {.size = 12, .bold = true, .align = Align::kCenter});
  return pdf.Finish();
}

Result<std::string> RenderResultDocument(std::shared_ptr<const Fonts> fonts,
                                         const FormLayout& layout, const ResultDocumentData& d) {
  // The stamp takes the bottom right from 263 mm down (signing.cpp); the
  // text stops above the signature block's room.
  constexpr double kLastLine = 228;
  PdfDocument pdf(std::move(fonts), layout.Word("result_title") + " " + d.number);
  const TextStyle body{.size = 12};
  double y = DrawFormHeader(pdf, layout, d.parent_agency, d.agency, layout.Word("result_form"),
                            layout.Word("result_title"), d.number, d.dated);
  y += 9;
  pdf.Text(105, y, layout.Word("dear") + ": " + d.applicant_name,
           {.size = 12, .align = Align::kCenter});
  y += 9;
  std::string intro = layout.Word("result_body");
  intro = Fill(std::move(intro), "unit", d.unit_name);
  intro = Fill(std::move(intro), "applicant", d.applicant_name);
  intro = Fill(std::move(intro), "procedure", d.procedure_name);
  intro = Fill(std::move(intro), "number", d.number);
  y = pdf.Paragraph(kLeft, y, kWidth, intro, body);
  std::size_t from = 0;
  while (from <= d.content.size()) {
    std::size_t end = d.content.find('\n', from);
    if (end == std::string::npos) end = d.content.size();
    const std::string paragraph = d.content.substr(from, end - from);
    if (!paragraph.empty()) {
      if (y > kLastLine) {
        pdf.NewPage();
        y = 25;
      }
      y = pdf.Paragraph(kLeft, y + 1, kWidth, paragraph, body);
    }
    from = end + 1;
  }
  if (y > kLastLine) {
    pdf.NewPage();
    y = 25;
  }
  y += 8;
  pdf.Text(150, y, layout.Word("for_agency"), {.size = 12, .bold = true, .align = Align::kCenter});
  pdf.Text(150, y + 5, layout.Word("result_sign_note"),
           {.size = 11, .italic = true, .align = Align::kCenter});
  return pdf.Finish();
}

}  // namespace motcua::documents
