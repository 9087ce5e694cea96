// Administrative procedures as versioned data, and the rules one version must
// satisfy on its own.
//
// A procedure is identified by its national code; each change of its legal
// basis is a new version with a later effective_from, and the old versions
// stay so that a dossier received under one keeps its rules. Which version is
// in force on a given day is decided by Catalog (catalog.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "core/units/unit.hpp"

namespace motcua::catalog {

using Date = units::Date;

// Agency level that handles the procedure (cấp thực hiện).
enum class Level {
  kProvince,  // cấp tỉnh (departments, the provincial centre)
  kCommune,   // cấp xã
  kDistrict,  // cấp huyện: only for versions in force before 2025-07-01
};
// "province", "commune", "district".
std::string_view LevelName(Level level);
std::optional<Level> ParseLevel(std::string_view name);

// How much of the procedure may be done online (Decree 42/2022).
enum class OnlineMode {
  kFull,     // toàn trình: submission, payment and result online
  kPartial,  // một phần: submitted online, something done in person
  kNone,     // at a counter or by post only
};
// "full", "partial", "none".
std::string_view OnlineModeName(OnlineMode mode);
std::optional<OnlineMode> ParseOnlineMode(std::string_view name);

enum class TimeUnit { kWorkingDays, kWorkingHours };
// "working_days", "working_hours".
std::string_view TimeUnitName(TimeUnit unit);
std::optional<TimeUnit> ParseTimeUnit(std::string_view name);

// The legal time limit (thời hạn giải quyết), counted from the receipt of a
// complete, valid dossier. value 0 is allowed only in working days and means
// "answered within the working day the dossier is received" (the cut-off
// flag then decides whether a dossier received after 15:00 belongs to the
// next working day). Working hours are at least 1.
struct TimeLimit {
  int value = 0;
  TimeUnit unit = TimeUnit::kWorkingDays;
  bool operator==(const TimeLimit&) const = default;
};

// What the citizen receives (kết quả thực hiện).
enum class ResultKind {
  kCertificate,    // giấy chứng nhận, giấy khai sinh, phiếu lý lịch tư pháp, ...
  kLicence,        // giấy phép
  kCertifiedCopy,  // bản sao, chữ ký được chứng thực
  kDecision,       // quyết định (allowances, appointments, ...)
  kWrittenAnswer,  // văn bản trả lời, xác nhận
  kOther,
};
// "certificate", "licence", "certified_copy", "decision", "written_answer", "other".
std::string_view ResultKindName(ResultKind kind);
std::optional<ResultKind> ParseResultKind(std::string_view name);

enum class Lifecycle {
  kDraft,      // being prepared; never in force, not public
  kPublished,  // in force from effective_from until a later version or retirement
  kRetired,    // the procedure is withdrawn from retired_on (set on every version)
};
// "draft", "published", "retired".
std::string_view LifecycleName(Lifecycle status);
std::optional<Lifecycle> ParseLifecycle(std::string_view name);

struct Fee {  // phí, lệ phí
  std::string description;
  std::int64_t amount_vnd = 0;  // whole đồng; 0 for a free case worth stating
  bool operator==(const Fee&) const = default;
};

struct Component {   // thành phần hồ sơ
  std::string code;  // unique within the version: "TP1"
  std::string name;
  int originals = 0;  // bản chính
  int copies = 0;     // bản sao
  bool required = true;
  std::string template_file;  // form to fill in (mẫu đơn, tờ khai); empty if none
  bool operator==(const Component&) const = default;
};

struct Procedure {      // thủ tục hành chính (one version of it)
  std::int64_t id = 0;  // row id; 0 until stored
  std::string code;     // national code: "1.001193.000.00.00.H12"
  int version = 1;      // 1, 2, ... per code
  Lifecycle status = Lifecycle::kPublished;
  std::string name;
  std::optional<std::string> name_en;
  std::string field;  // lĩnh vực: "Hộ tịch", "Chứng thực", ...
  std::vector<Level> levels;
  OnlineMode online_mode = OnlineMode::kNone;
  TimeLimit time_limit;
  // A dossier received after 15:00 counts as received on the next working day.
  bool cutoff_1500 = false;
  std::vector<Fee> fees;  // empty: free of charge
  std::vector<Component> components;
  ResultKind result_kind = ResultKind::kCertificate;
  std::string workflow_code;  // a workflow of the workflow engine: "commune-simple"
  Date effective_from{};
  std::optional<Date> retired_on;  // first day the procedure no longer applies

  bool operator==(const Procedure&) const = default;
};

// Limits on one version. A province's longest procedure names run to about
// 350 characters; component lists to a few dozen items.
inline constexpr std::size_t kMaxNameLength = 600;   // code points
inline constexpr std::size_t kMaxTextLength = 1000;  // component names, fee descriptions
inline constexpr std::size_t kMaxFieldLength = 200;
inline constexpr std::size_t kMaxComponents = 100;
inline constexpr std::size_t kMaxFees = 50;
inline constexpr int kMaxCopies = 50;
inline constexpr int kMaxWorkingDays = 365;
inline constexpr int kMaxWorkingHours = 480;
inline constexpr std::int64_t kMaxFeeVnd = 1'000'000'000'000;

// National code shape, checked loosely: numeric segments separated by dots
// (at least two), optionally ending in an agency suffix of one letter and
// digits: "1.001193", "2.000986.000.00.00.H12". At most 40 characters.
bool IsProcedureCode(std::string_view code);
// Lower-case letters, digits, '-' and '_', 1 to 64 characters.
bool IsWorkflowCode(std::string_view code);

// Every rule of one version on its own (not against other versions): errors
// are kInvalidArgument with one entry per bad field, named as in the JSON
// form ("name", "levels[1]", "components[2].name", "time_limit.value").
// Ignores id, version and retired_on.
[[nodiscard]] Status Validate(const Procedure& procedure);

// Sum of the fees.
std::int64_t TotalFee(const Procedure& procedure);

}  // namespace motcua::catalog
