// Reading the law-as-data folder (DESIGN.md principle 3): the yearly holiday
// tables, the office hours and the workflows under DATA_DIR, for the server
// and the commands. The pure modules parse; this is where the files are read.
//
// Thread safety: plain functions; call them before serving.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "core/calendar/holidays.hpp"
#include "core/calendar/working_time.hpp"
#include "core/stats/index766.hpp"
#include "core/workflow/registry.hpp"
#include "documents/pdf.hpp"
#include "documents/receipt.hpp"
#include "documents/signing.hpp"

namespace motcua::app {

// Every *.toml of `dir`, sorted by name so that errors are reproducible.
// Errors: kNotFound if the folder cannot be read (deadlines computed without
// the year's decisions would be silently wrong); kUnavailable for a file
// that cannot be read.
[[nodiscard]] Result<std::vector<calendar::TableFile>> ReadHolidayTables(const std::string& dir);

// The working calendar of the yearly tables (ReadHolidayTables of
// DATA_DIR/holidays) with `office_hours` ("07:30-11:30,13:30-17:00"; empty:
// that default). Errors: those of HolidayCalendar::Load and
// OfficeHours::Parse.
[[nodiscard]] Result<std::unique_ptr<calendar::WorkingCalendar>> LoadWorkingCalendar(
    const std::vector<calendar::TableFile>& tables, const std::string& office_hours);

// The words of the printed forms (DATA_DIR/documents/forms.json) and the
// fonts it names, loaded once. Errors: kNotFound for a missing file or font,
// kInvalidArgument naming the file and what is wrong in it.
struct Forms {
  documents::FormLayout layout;
  std::shared_ptr<const documents::Fonts> fonts;
};
[[nodiscard]] Result<Forms> LoadForms(const std::string& data_dir);

// The CA certificates in every *.pem file of `dir`; an empty list when the
// folder does not exist. Errors: kInvalidArgument naming a file that holds
// no certificate or one that does not parse.
[[nodiscard]] Result<documents::TrustList> LoadTrustList(const std::string& dir);

// DATA_DIR/statistics/index766.json: the 766 index's groups, weights,
// thresholds and grades. Errors name the file and the field.
[[nodiscard]] Result<stats::IndexDefinition> LoadIndexDefinition(const std::string& data_dir);

// Every DATA_DIR/workflows/*.json, validated. Errors: kInvalidArgument naming
// the file and every problem in it; kNotFound if the folder is missing.
[[nodiscard]] Status LoadWorkflows(const std::string& data_dir, workflow::Registry& registry);

}  // namespace motcua::app
