// Forms 02 to 05 of Circular 03/2025/TT-VPCP: the letters an agency sends the
// citizen about their dossier, each from the event that decided it.
//   02 request for supplements (phiếu yêu cầu bổ sung, hoàn thiện hồ sơ)
//   03 refusal to accept (phiếu từ chối tiếp nhận giải quyết hồ sơ)
//   04 apology and a new appointment (phiếu xin lỗi và hẹn lại ngày trả kết quả)
//   05 notice that processing stopped (thông báo dừng giải quyết hồ sơ)
// One layout: the header, "Kính gửi", what happened to which dossier, the
// list or the reason, the closing words, the signature.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "documents/pdf.hpp"
#include "documents/receipt.hpp"

namespace motcua::documents {

enum class NoticeKind { kSupplement = 2, kRefusal = 3, kApology = 4, kStop = 5 };

struct NoticeData {
  NoticeKind kind = NoticeKind::kSupplement;
  std::string parent_agency;  // as on the receipt
  std::string agency;
  std::string unit_name;  // the receiving unit, as the text names it
  std::string number;
  std::string applicant_name;
  std::string procedure_name;
  TimePoint received_at{};         // when the dossier was received
  TimePoint decided_at{};          // the event's moment: the letter's date
  std::vector<std::string> items;  // 02: what to supply, all at once
  std::string reason;
  std::optional<TimePoint> new_due_at;  // 04
  std::string signer;                   // who decided (the event's actor)
};

// The result motcua draws when the specialist has no file of their own: the
// decision on the dossier (kết quả giải quyết) in the words the specialist
// wrote, under the deciding unit's header, with room at the bottom right of
// its last page for the stamp of the leader's signature (signing.hpp).
struct ResultDocumentData {
  std::string parent_agency;
  std::string agency;
  std::string unit_name;  // the deciding unit
  std::string number;
  std::string applicant_name;
  std::string procedure_name;
  std::string content;  // paragraphs separated by line breaks
  TimePoint dated{};
};

// Errors: those of PdfDocument.
[[nodiscard]] Result<std::string> RenderResultDocument(std::shared_ptr<const Fonts> fonts,
                                                       const FormLayout& layout,
                                                       const ResultDocumentData& data);

// "02" -> kSupplement, ...; nullopt for another text.
std::optional<NoticeKind> ParseNoticeKind(std::string_view form);

// Errors: those of PdfDocument.
[[nodiscard]] Result<std::string> RenderNotice(std::shared_ptr<const Fonts> fonts,
                                               const FormLayout& layout, const NoticeData& data);

}  // namespace motcua::documents
