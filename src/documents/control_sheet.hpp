// Form 06 of Circular 03/2025/TT-VPCP: the process control sheet (phiếu kiểm
// soát quá trình giải quyết hồ sơ) that goes with a dossier from hand to
// hand: every hand-over, to which unit, when it was received and finished,
// and whether it was early, on time or late. Officers print it from the
// dossier's page; the rows are the dossier's steps.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "documents/pdf.hpp"
#include "documents/receipt.hpp"

namespace motcua::documents {

struct ControlSheetRow {
  std::string state_name;  // what the step is: "Đang thẩm định"
  std::string unit_name;   // who holds the dossier in it
  std::string handed_by;   // who handed it over (empty: the system or the citizen)
  TimePoint started_at{};
  std::optional<TimePoint> due_at;       // the step's budget, if it has one
  std::optional<TimePoint> finished_at;  // empty while it is open
  std::string timeliness;                // "early", "on_time", "late" or empty
};

struct ControlSheetData {
  std::string parent_agency;  // as on the receipt
  std::string agency;
  std::string number;
  std::string applicant_name;
  std::string procedure_name;
  TimePoint printed_at{};
  std::vector<ControlSheetRow> rows;
};

// The PDF, on as many pages as the rows need. Errors: those of PdfDocument.
[[nodiscard]] Result<std::string> RenderControlSheet(std::shared_ptr<const Fonts> fonts,
                                                     const FormLayout& layout,
                                                     const ControlSheetData& data);

}  // namespace motcua::documents
