// Form 01 of Circular 03/2025/TT-VPCP: the receipt and appointment slip
// (giấy tiếp nhận hồ sơ và hẹn trả kết quả) a citizen takes home from the
// counter or downloads after submitting online. It carries the dossier
// number as a Code 128 barcode and the lookup address with its code as a QR
// code (/tra-cuu?so=NUMBER&ma=CODE), so that a phone opens the dossier's
// status at once.
//
// The words come from the province's layout file (data/documents/forms.json);
// the data from the dossier. Pure: the caller loads both.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "documents/pdf.hpp"

namespace motcua::documents {

struct FormLayout {
  std::string font_regular;  // TrueType files with every Vietnamese glyph
  std::string font_bold;
  std::string portal;  // the citizen portal's address for QR codes (app/wiring.hpp: public_url)
  std::string place;   // "Thái Nguyên", before the date line
  std::string nation;  // the national title and motto of every administrative document
  std::string motto;
  std::map<std::string, std::string, std::less<>> words;  // the words of the forms, by key
  // The agency that speaks for a unit of a kind ("commune" -> "ỦY BAN NHÂN
  // DÂN {NAME}"); a kind without one is named as the unit is.
  std::map<std::string, std::string, std::less<>> agencies;

  // The header line of a unit: its agency, in capitals.
  std::string AgencyOf(std::string_view kind, std::string_view unit_name) const;

  // The word for `key`, or the key itself (a missing word shows, it does not crash).
  std::string Word(std::string_view key) const;
};

// Errors: kInvalidArgument naming what is missing or malformed.
[[nodiscard]] Result<FormLayout> ParseFormLayout(std::string_view json);

struct ReceiptComponent {
  std::string name;
  int originals = 0;
  int copies = 0;
};

struct ReceiptData {
  std::string parent_agency;  // the header: the receiving unit's superior, "ỦY BAN NHÂN DÂN TỈNH
                              // THÁI NGUYÊN"
  std::string agency;  // and the receiving unit's agency, "ỦY BAN NHÂN DÂN PHƯỜNG PHAN ĐÌNH PHÙNG"
  std::string unit_name;  // the receiving unit as the text names it, "Phường Phan Đình Phùng"
  std::string number;     // 000.00.21.H12-250314-0007
  std::string lookup_url;  // the QR code's address, with the code
  std::string secret;      // the lookup code, printed under the QR code
  std::string applicant_name;
  std::string applicant_address;
  std::string applicant_phone;
  std::string applicant_email;
  std::string procedure_name;
  std::vector<ReceiptComponent> components;
  std::string time_limit;  // "10 ngày làm việc"
  TimePoint received_at{};
  std::optional<TimePoint> due_at;  // the appointment, once accepted
  std::string return_place;         // where the result is collected
  std::string officer_name;         // empty for a dossier submitted online
};

// Vietnamese in capitals ("Phường Phan Đình Phùng" -> "PHƯỜNG PHAN ĐÌNH
// PHÙNG"): every lower-case letter Vietnamese writes; other text unchanged.
std::string VietnameseUpper(std::string_view text);

// The top of every form: the agencies on the left (the superior, then the
// unit in bold, underlined), the national title and motto on the right, the
// form's number in the corner, the place and date under the motto when
// `dated` is set, then the title and the dossier's number centred. Returns
// the baseline below them.
double DrawFormHeader(PdfDocument& pdf, const FormLayout& layout, const std::string& parent_agency,
                      const std::string& agency, const std::string& form, const std::string& title,
                      const std::string& number, std::optional<TimePoint> dated);

// "08 giờ 30 phút, ngày 07/12/2026" in Vietnam's time.
std::string VietnameseMoment(TimePoint t);
// "07/12/2026 08:30" in Vietnam's time: a table cell's moment.
std::string VietnameseShortMoment(TimePoint t);

// The PDF. Errors: those of PdfDocument, and kInvalidArgument for a number
// or address no barcode or QR code can carry.
[[nodiscard]] Result<std::string> RenderReceipt(std::shared_ptr<const Fonts> fonts,
                                                const FormLayout& layout, const ReceiptData& data);

}  // namespace motcua::documents
