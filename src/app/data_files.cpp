#include "app/data_files.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace motcua::app {
namespace {

namespace fs = std::filesystem;

// A data file's error with the file's name and every bad field on its own
// line, as the server prints it when it refuses to start.
Error InFile(const fs::path& path, Error e) {
  e.message = path.string() + ": " + e.message;
  for (const auto& [field, problem] : e.fields) e.message += "\n  " + field + ": " + problem;
  return e;
}

Result<std::vector<fs::path>> FilesWithExtension(const std::string& dir, std::string_view ext,
                                                 std::string_view what) {
  std::error_code ec;
  std::vector<fs::path> paths;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ext) paths.push_back(entry.path());
  }
  if (ec)
    return Fail(Code::kNotFound,
                "cannot read " + std::string(what) + " in " + dir + ": " + ec.message());
  std::sort(paths.begin(), paths.end());
  return paths;
}

Result<std::string> ReadWhole(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in.good() && !in.eof()) return Fail(Code::kUnavailable, "cannot read " + path.string());
  return text.str();
}

}  // namespace

Result<std::vector<calendar::TableFile>> ReadHolidayTables(const std::string& dir) {
  auto paths = MOTCUA_TRY(FilesWithExtension(dir, ".toml", "holiday tables"));
  std::vector<calendar::TableFile> tables;
  for (const auto& path : paths) tables.push_back({path.string(), MOTCUA_TRY(ReadWhole(path))});
  return tables;
}

Result<std::unique_ptr<calendar::WorkingCalendar>> LoadWorkingCalendar(
    const std::vector<calendar::TableFile>& tables, const std::string& office_hours) {
  auto holidays = MOTCUA_TRY(calendar::HolidayCalendar::Load(tables));
  calendar::OfficeHours hours;
  if (!office_hours.empty()) hours = MOTCUA_TRY(calendar::OfficeHours::Parse(office_hours));
  return std::make_unique<calendar::WorkingCalendar>(std::move(holidays), std::move(hours));
}

Result<Forms> LoadForms(const std::string& data_dir) {
  const fs::path path = fs::path(data_dir) / "documents" / "forms.json";
  if (!fs::exists(path))
    return Fail(Code::kNotFound, "no " + path.string() + ": the words of the printed forms");
  auto layout = documents::ParseFormLayout(MOTCUA_TRY(ReadWhole(path)));
  if (!layout) {
    return Fail(InFile(path, layout.error()));
  }
  auto fonts = documents::Fonts::Load(layout->font_regular, layout->font_bold);
  if (!fonts) return Fail(Code::kNotFound, path.string() + ": " + fonts.error().message);
  return Forms{std::move(*layout), std::move(*fonts)};
}

Result<documents::TrustList> LoadTrustList(const std::string& dir) {
  if (!fs::is_directory(dir)) return documents::TrustList();
  auto paths = MOTCUA_TRY(FilesWithExtension(dir, ".pem", "trusted CAs"));
  std::string pem;
  for (const auto& path : paths) {
    std::string text = MOTCUA_TRY(ReadWhole(path));
    if (auto one = documents::TrustList::FromPem(text); !one)
      return Fail(Code::kInvalidArgument,
                  path.string() + ": " + one.error().fields.begin()->second);
    pem += text + "\n";
  }
  if (pem.empty()) return documents::TrustList();
  return documents::TrustList::FromPem(pem);
}

Result<stats::IndexDefinition> LoadIndexDefinition(const std::string& data_dir) {
  const fs::path path = fs::path(data_dir) / "statistics" / "index766.json";
  if (!fs::exists(path))
    return Fail(Code::kNotFound,
                "no " + path.string() + ": the 766 index's weights and thresholds");
  auto d = stats::ParseIndexDefinition(MOTCUA_TRY(ReadWhole(path)));
  if (!d) {
    return Fail(InFile(path, d.error()));
  }
  return d;
}

Status LoadWorkflows(const std::string& data_dir, workflow::Registry& registry) {
  auto paths = MOTCUA_TRY(FilesWithExtension(data_dir + "/workflows", ".json", "workflows"));
  for (const auto& path : paths) {
    std::string text = MOTCUA_TRY(ReadWhole(path));
    auto wf = workflow::Workflow::Parse(text);
    if (!wf) {
      return Fail(InFile(path, wf.error()));
    }
    if (auto st = registry.Add(std::move(*wf)); !st) {
      Error e = st.error();
      e.message = path.string() + ": " + e.message;
      return Fail(std::move(e));
    }
  }
  return {};
}

}  // namespace motcua::app
