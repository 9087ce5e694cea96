#include "documents/receipt.hpp"

#include <boost/json.hpp>
#include <chrono>
#include <cstdio>

#include "core/calendar/date.hpp"
#include "documents/code128.hpp"
#include "documents/qr.hpp"

namespace motcua::documents {
namespace {

namespace json = boost::json;

constexpr double kLeft = 20;  // margins of an administrative document, mm
constexpr double kRight = 190;
constexpr double kWidth = kRight - kLeft;

std::string TwoDigits(unsigned v) {
  char b[4];
  std::snprintf(b, sizeof b, "%02u", v % 100);
  return b;
}

struct Local {
  std::chrono::year_month_day day;
  std::chrono::hh_mm_ss<std::chrono::minutes> time;
};

Local InVietnam(TimePoint t) {
  const auto local = std::chrono::floor<std::chrono::minutes>(t) + calendar::kVietnamOffset;
  const auto day = std::chrono::floor<std::chrono::days>(local);
  return {std::chrono::year_month_day(day),
          std::chrono::hh_mm_ss<std::chrono::minutes>(local - day)};
}

// "ngày 02 tháng 12 năm 2026", the date line of an administrative document.
std::string DateLine(TimePoint t) {
  const Local l = InVietnam(t);
  return "ngày " + TwoDigits(static_cast<unsigned>(l.day.day())) + " tháng " +
         TwoDigits(static_cast<unsigned>(l.day.month())) + " năm " +
         std::to_string(static_cast<int>(l.day.year()));
}

}  // namespace

std::string FormLayout::Word(std::string_view key) const {
  auto it = words.find(key);
  return it == words.end() ? std::string(key) : it->second;
}

std::string VietnameseUpper(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  auto put = [&](char32_t c) {
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
      out += static_cast<char>(0xE0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  };
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    auto cont = [&](std::size_t k) {
      return static_cast<char32_t>(static_cast<unsigned char>(s[i + k]) & 0x3F);
    };
    char32_t c;
    if (b < 0x80) {
      c = b;
      i += 1;
    } else if ((b >> 5) == 6 && i + 1 < s.size()) {
      c = (static_cast<char32_t>(b & 0x1F) << 6) | cont(1);
      i += 2;
    } else if ((b >> 4) == 14 && i + 2 < s.size()) {
      c = (static_cast<char32_t>(b & 0x0F) << 12) | (cont(1) << 6) | cont(2);
      i += 3;
    } else {  // four-byte and broken sequences: as they are
      out += s[i++];
      continue;
    }
    if (c >= 'a' && c <= 'z')
      c -= 32;
    else if (c >= 0xE0 && c <= 0xFE && c != 0xF7)
      c -= 32;  // à á â ã è é ê ì í ò ó ô õ ù ú ý
    else if (c == 0x103 || c == 0x111 || c == 0x129 || c == 0x169)
      c -= 1;  // ă đ ĩ ũ
    else if (c == 0x1A1 || c == 0x1B0)
      c -= 1;  // ơ ư
    else if (c >= 0x1EA0 && c <= 0x1EF9 && (c & 1))
      c -= 1;  // ạ ả ấ ... ỹ
    put(c);
  }
  return out;
}

std::string FormLayout::AgencyOf(std::string_view kind, std::string_view unit_name) const {
  const std::string name = VietnameseUpper(unit_name);
  auto it = agencies.find(kind);
  if (it == agencies.end()) return name;
  std::string out = it->second;
  if (auto at = out.find("{NAME}"); at != std::string::npos) out.replace(at, 6, name);
  return out;
}

Result<FormLayout> ParseFormLayout(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return InvalidField("forms", "is not a JSON object");
  const auto& o = v.as_object();
  Error bad{Code::kInvalidArgument, "invalid forms layout", {}};
  FormLayout out;
  auto str = [&](const char* key, std::string& into) {
    const auto* s = o.if_contains(key);
    if (s == nullptr || !s->is_string() || s->as_string().empty())
      bad.With(key, "must be a text");
    else
      into = std::string(s->as_string());
  };
  const auto* f = o.if_contains("fonts");
  if (f == nullptr || !f->is_object()) {
    bad.With("fonts", "must name the regular and bold font files");
  } else {
    const auto& fo = f->as_object();
    for (auto [key, into] :
         {std::pair{"regular", &out.font_regular}, std::pair{"bold", &out.font_bold}}) {
      const auto* s = fo.if_contains(key);
      if (s == nullptr || !s->is_string() || s->as_string().empty())
        bad.With(std::string("fonts.") + key, "must be a file");
      else
        *into = std::string(s->as_string());
    }
  }
  if (const auto* portal = o.if_contains("portal"); portal != nullptr && portal->is_string())
    out.portal = std::string(portal->as_string());
  if (const auto* a = o.if_contains("agencies"); a != nullptr && a->is_object()) {
    for (const auto& [k, w] : a->as_object()) {
      if (!w.is_string())
        bad.With("agencies." + std::string(k), "must be a text");
      else
        out.agencies.emplace(std::string(k), std::string(w.as_string()));
    }
  }
  str("place", out.place);
  str("nation", out.nation);
  str("motto", out.motto);
  const auto* r = o.if_contains("words");
  if (r == nullptr || !r->is_object()) {
    bad.With("words", "must be an object of texts");
  } else {
    for (const auto& [k, w] : r->as_object()) {
      if (!w.is_string())
        bad.With("words." + std::string(k), "must be a text");
      else
        out.words.emplace(std::string(k), std::string(w.as_string()));
    }
  }
  if (!bad.fields.empty()) return Fail(std::move(bad));
  return out;
}

std::string VietnameseShortMoment(TimePoint t) {
  const Local l = InVietnam(t);
  return TwoDigits(static_cast<unsigned>(l.day.day())) + "/" +
         TwoDigits(static_cast<unsigned>(l.day.month())) + "/" +
         std::to_string(static_cast<int>(l.day.year())) + " " +
         TwoDigits(static_cast<unsigned>(l.time.hours().count())) + ":" +
         TwoDigits(static_cast<unsigned>(l.time.minutes().count()));
}

std::string VietnameseMoment(TimePoint t) {
  const Local l = InVietnam(t);
  return TwoDigits(static_cast<unsigned>(l.time.hours().count())) + " giờ " +
         TwoDigits(static_cast<unsigned>(l.time.minutes().count())) + " phút, ngày " +
         TwoDigits(static_cast<unsigned>(l.day.day())) + "/" +
         TwoDigits(static_cast<unsigned>(l.day.month())) + "/" +
         std::to_string(static_cast<int>(l.day.year()));
}

double DrawFormHeader(PdfDocument& pdf, const FormLayout& layout, const std::string& parent_agency,
                      const std::string& agency, const std::string& form, const std::string& title,
                      const std::string& number, std::optional<TimePoint> dated) {
  // Two columns that never meet: the agency's 16-86 mm, the nation's 92-194 mm.
  const double agency_mid = 51, agency_width = 70, nation_mid = 143;
  const double y = 22;
  double left_y = pdf.Paragraph(agency_mid - agency_width / 2, y, agency_width, parent_agency,
                                {.size = 10, .align = Align::kCenter});
  left_y = pdf.Paragraph(agency_mid - agency_width / 2, left_y, agency_width, agency,
                         {.size = 10, .bold = true, .align = Align::kCenter});
  pdf.Line(agency_mid - 12, left_y - 3.2, agency_mid + 12, left_y - 3.2);
  pdf.Text(nation_mid, y, layout.nation, {.size = 10.5, .bold = true, .align = Align::kCenter});
  pdf.Text(nation_mid, y + 5.5, layout.motto,
           {.size = 11.5, .bold = true, .align = Align::kCenter});
  const double motto_w = pdf.TextWidth(layout.motto, {.size = 11.5, .bold = true});
  pdf.Line(nation_mid - motto_w / 2, y + 7, nation_mid + motto_w / 2, y + 7);
  if (dated)
    pdf.Text(nation_mid, y + 14, layout.place + ", " + DateLine(*dated),
             {.size = 11.5, .italic = true, .align = Align::kCenter});
  pdf.Text(kRight, 12, form, {.size = 10, .italic = true, .align = Align::kRight});
  double below = std::max(left_y, y + (dated ? 16 : 10)) + 6;
  pdf.Text(105, below, title, {.size = 14, .bold = true, .align = Align::kCenter});
  below += 6.5;
  pdf.Text(105, below, layout.Word("number") + ": " + number,
           {.size = 12, .bold = true, .align = Align::kCenter});
  return below;
}

Result<std::string> RenderReceipt(std::shared_ptr<const Fonts> fonts, const FormLayout& layout,
                                  const ReceiptData& d) {
  const auto bars = MOTCUA_TRY(Code128B(d.number));
  const auto qr = MOTCUA_TRY(MakeQr(d.lookup_url));
  auto word = [&](std::string_view key) { return layout.Word(key); };
  PdfDocument pdf(std::move(fonts), word("title") + " " + d.number);
  const TextStyle small{.size = 10};
  const TextStyle body{.size = 12};
  const TextStyle strong{.size = 12, .bold = true};

  double y = DrawFormHeader(pdf, layout, d.parent_agency, d.agency, word("form"), word("title"),
                            d.number, d.received_at);
  // The number as a barcode, and the lookup as a QR code with its code.
  y += 2.5;
  const double module = 0.3;
  double bars_width = 20 * module;
  for (int w : bars) bars_width += w * module;
  pdf.Bars(bars, 105 - bars_width / 2, y, module, 10);
  y += 17;

  y = pdf.Paragraph(kLeft, y, kWidth, word("received_by") + ": " + d.unit_name, body);
  y = pdf.Paragraph(kLeft, y, kWidth, word("received_from") + ": " + d.applicant_name, body);
  if (!d.applicant_address.empty())
    y = pdf.Paragraph(kLeft, y, kWidth, word("address") + ": " + d.applicant_address, body);
  std::string contact = word("phone") + ": " + d.applicant_phone;
  if (!d.applicant_email.empty()) contact += "    " + word("email") + ": " + d.applicant_email;
  y = pdf.Paragraph(kLeft, y, kWidth, contact, body);
  y = pdf.Paragraph(kLeft, y, kWidth, word("request") + ": " + d.procedure_name, strong);

  // The documents handed in.
  y = pdf.Paragraph(kLeft, y + 1, kWidth, word("components") + ":", body);
  const double c_originals = 158, c_copies = 178;
  pdf.Line(kLeft, y - 4, kRight, y - 4, 0.2);
  pdf.Text(kLeft + 1, y, word("component"), {.size = 10, .bold = true});
  pdf.Text(c_originals, y, word("originals"), {.size = 10, .bold = true, .align = Align::kCenter});
  pdf.Text(c_copies, y, word("copies"), {.size = 10, .bold = true, .align = Align::kCenter});
  y += 1.8;
  pdf.Line(kLeft, y, kRight, y, 0.2);
  y += 4.5;
  int n = 1;
  for (const auto& c : d.components) {
    const double next = pdf.Paragraph(kLeft + 1, y, c_originals - kLeft - 12,
                                      std::to_string(n++) + ". " + c.name, small);
    pdf.Text(c_originals, y, std::to_string(c.originals), {.size = 10, .align = Align::kCenter});
    pdf.Text(c_copies, y, std::to_string(c.copies), {.size = 10, .align = Align::kCenter});
    y = next;
  }
  pdf.Line(kLeft, y - 3, kRight, y - 3, 0.2);
  y += 2;

  y = pdf.Paragraph(kLeft, y, kWidth, word("time_limit") + ": " + d.time_limit, body);
  y = pdf.Paragraph(kLeft, y, kWidth, word("received_at") + ": " + VietnameseMoment(d.received_at),
                    body);
  y = pdf.Paragraph(
      kLeft, y, kWidth,
      word("due_at") + ": " + (d.due_at ? VietnameseMoment(*d.due_at) : word("not_yet")), strong);
  if (!d.return_place.empty())
    y = pdf.Paragraph(kLeft, y, kWidth, word("return_at") + ": " + d.return_place, body);

  // The lookup: the QR code on the left, how to use it beside it.
  y += 3;
  const double qr_size = 34;
  pdf.Qr(qr, kLeft - 3, y - 3, qr_size);
  double text_y =
      pdf.Paragraph(kLeft + qr_size + 2, y + 4, kWidth - qr_size - 2, word("lookup") + ":", small);
  text_y = pdf.Paragraph(kLeft + qr_size + 2, text_y, kWidth - qr_size - 2,
                         d.lookup_url.substr(0, d.lookup_url.find('?')), small);
  pdf.Text(kLeft + qr_size + 2, text_y + 2, word("secret") + ": " + d.secret,
           {.size = 14, .bold = true});
  pdf.Paragraph(kLeft + qr_size + 2, text_y + 8, kWidth - qr_size - 2, word("keep"),
                {.size = 10, .italic = true});
  y += qr_size + 4;

  // The signatures.
  pdf.Text(60, y, word("applicant_signature"), {.size = 12, .bold = true, .align = Align::kCenter});
  pdf.Text(150, y, word("officer_signature"), {.size = 12, .bold = true, .align = Align::kCenter});
  pdf.Text(60, y + 5, word("sign_note"), {.size = 11, .italic = true, .align = Align::kCenter});
  pdf.Text(150, y + 5, word("sign_note"), {.size = 11, .italic = true, .align = Align::kCenter});
  pdf.Text(60, y + 28, d.applicant_name, {.size = 12, .bold = true, .align = Align::kCenter});
  if (!d.officer_name.empty())
    pdf.Text(150, y + 28, d.officer_name, {.size = 12, .bold = true, .align = Align::kCenter});
  return pdf.Finish();
}

}  // namespace motcua::documents
