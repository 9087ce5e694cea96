#include "core/catalog/procedure.hpp"

#include <array>
#include <set>
#include <utility>

#include "core/catalog/text.hpp"

namespace motcua::catalog {
namespace {

template <class E, std::size_t N>
std::optional<E> ParseName(const std::array<std::pair<E, std::string_view>, N>& names,
                           std::string_view name) {
  for (const auto& [value, text] : names) {
    if (text == name) return value;
  }
  return std::nullopt;
}

template <class E, std::size_t N>
std::string_view NameOf(const std::array<std::pair<E, std::string_view>, N>& names, E value) {
  for (const auto& [v, text] : names) {
    if (v == value) return text;
  }
  return names[0].second;
}

constexpr std::array<std::pair<Level, std::string_view>, 3> kLevels{
    {{Level::kProvince, "province"}, {Level::kCommune, "commune"}, {Level::kDistrict, "district"}}};
constexpr std::array<std::pair<OnlineMode, std::string_view>, 3> kModes{
    {{OnlineMode::kFull, "full"}, {OnlineMode::kPartial, "partial"}, {OnlineMode::kNone, "none"}}};
constexpr std::array<std::pair<TimeUnit, std::string_view>, 2> kUnits{
    {{TimeUnit::kWorkingDays, "working_days"}, {TimeUnit::kWorkingHours, "working_hours"}}};
constexpr std::array<std::pair<ResultKind, std::string_view>, 6> kResults{
    {{ResultKind::kCertificate, "certificate"},
     {ResultKind::kLicence, "licence"},
     {ResultKind::kCertifiedCopy, "certified_copy"},
     {ResultKind::kDecision, "decision"},
     {ResultKind::kWrittenAnswer, "written_answer"},
     {ResultKind::kOther, "other"}}};
constexpr std::array<std::pair<Lifecycle, std::string_view>, 3> kLifecycles{
    {{Lifecycle::kDraft, "draft"},
     {Lifecycle::kPublished, "published"},
     {Lifecycle::kRetired, "retired"}}};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Non-empty after trimming, valid UTF-8, no control characters, at most
// `max` code points; else the problem.
std::optional<std::string> TextProblem(const std::string& text, std::size_t max, bool allow_empty) {
  if (!IsUtf8Text(text)) return "must be valid UTF-8 without control characters";
  const std::size_t length = CodePointCount(text);
  if (!allow_empty && TrimSpaces(text).empty()) return "must not be empty";
  if (length > max) return "must be at most " + std::to_string(max) + " characters";
  return std::nullopt;
}

void CheckText(Error& error, const std::string& field, const std::string& text, std::size_t max,
               bool allow_empty = false) {
  if (auto problem = TextProblem(text, max, allow_empty)) error.With(field, *problem);
}

// A plain file name: no folders, no leading dot, printable.
bool IsTemplateFileName(std::string_view name) {
  if (name.empty() || name.size() > 255 || name.front() == '.') return false;
  for (char c : name) {
    if (c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20) return false;
  }
  return true;
}

bool IsComponentCode(std::string_view code) {
  if (code.empty() || code.size() > 32) return false;
  for (char c : code) {
    if (!IsDigit(c) && !IsLetter(c) && c != '.' && c != '-' && c != '_') return false;
  }
  return true;
}

}  // namespace

std::string_view LevelName(Level level) { return NameOf(kLevels, level); }
std::optional<Level> ParseLevel(std::string_view name) { return ParseName(kLevels, name); }
std::string_view OnlineModeName(OnlineMode mode) { return NameOf(kModes, mode); }
std::optional<OnlineMode> ParseOnlineMode(std::string_view name) { return ParseName(kModes, name); }
std::string_view TimeUnitName(TimeUnit unit) { return NameOf(kUnits, unit); }
std::optional<TimeUnit> ParseTimeUnit(std::string_view name) { return ParseName(kUnits, name); }
std::string_view ResultKindName(ResultKind kind) { return NameOf(kResults, kind); }
std::optional<ResultKind> ParseResultKind(std::string_view name) {
  return ParseName(kResults, name);
}
std::string_view LifecycleName(Lifecycle status) { return NameOf(kLifecycles, status); }
std::optional<Lifecycle> ParseLifecycle(std::string_view name) {
  return ParseName(kLifecycles, name);
}

bool IsProcedureCode(std::string_view code) {
  if (code.empty() || code.size() > 40) return false;
  int numeric_segments = 0;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = code.find('.', start);
    const std::string_view segment =
        code.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    const bool last = dot == std::string_view::npos;
    if (segment.empty()) return false;
    bool digits = true;
    for (char c : segment) digits = digits && IsDigit(c);
    if (digits) {
      ++numeric_segments;
    } else {
      // Only the last segment may be the agency suffix ("H12").
      if (!last || numeric_segments < 2 || !IsLetter(segment[0]) || segment.size() < 2)
        return false;
      for (char c : segment.substr(1)) {
        if (!IsDigit(c)) return false;
      }
    }
    if (last) break;
    start = dot + 1;
  }
  return numeric_segments >= 2;
}

bool IsWorkflowCode(std::string_view code) {
  if (code.empty() || code.size() > 64) return false;
  for (char c : code) {
    if (!IsDigit(c) && !(c >= 'a' && c <= 'z') && c != '-' && c != '_') return false;
  }
  return true;
}

Status Validate(const Procedure& p) {
  Error error{Code::kInvalidArgument, "", {}};
  if (!IsProcedureCode(p.code)) {
    error.With("code", "must be a national procedure code such as 1.001193.000.00.00.H12");
  }
  CheckText(error, "name", p.name, kMaxNameLength);
  if (p.name_en) CheckText(error, "name_en", *p.name_en, kMaxNameLength);
  CheckText(error, "field", p.field, kMaxFieldLength);

  if (p.levels.empty()) error.With("levels", "must name at least one level");
  std::set<Level> seen_levels;
  for (std::size_t i = 0; i < p.levels.size(); ++i) {
    const std::string name = "levels[" + std::to_string(i) + "]";
    if (!seen_levels.insert(p.levels[i]).second) error.With(name, "is listed twice");
    // Districts were abolished on 2025-07-01: no version in force from that
    // day can be handled by one.
    if (p.levels[i] == Level::kDistrict && p.effective_from >= units::kDistrictsAbolished) {
      error.With(name, "district level exists only before 2025-07-01");
    }
  }

  const TimeLimit& limit = p.time_limit;
  if (limit.unit == TimeUnit::kWorkingDays) {
    if (limit.value < 0 || limit.value > kMaxWorkingDays) {
      error.With("time_limit.value", "must be 0 (same working day) to " +
                                         std::to_string(kMaxWorkingDays) + " working days");
    }
  } else if (limit.value < 1 || limit.value > kMaxWorkingHours) {
    error.With("time_limit.value", "must be 1 to " + std::to_string(kMaxWorkingHours) +
                                       " working hours (use 0 working_days for the same day)");
  }

  if (p.fees.size() > kMaxFees) {
    error.With("fees", "must have at most " + std::to_string(kMaxFees) + " items");
  }
  for (std::size_t i = 0; i < p.fees.size() && i < kMaxFees; ++i) {
    const std::string at = "fees[" + std::to_string(i) + "].";
    CheckText(error, at + "description", p.fees[i].description, kMaxTextLength);
    if (p.fees[i].amount_vnd < 0 || p.fees[i].amount_vnd > kMaxFeeVnd) {
      error.With(at + "amount",
                 "must be a whole number of đồng from 0 to " + std::to_string(kMaxFeeVnd));
    }
  }

  if (p.components.size() > kMaxComponents) {
    error.With("components", "must have at most " + std::to_string(kMaxComponents) + " items");
  }
  std::set<std::string> component_codes;
  for (std::size_t i = 0; i < p.components.size() && i < kMaxComponents; ++i) {
    const Component& c = p.components[i];
    const std::string at = "components[" + std::to_string(i) + "].";
    if (!IsComponentCode(c.code)) {
      error.With(at + "code", "must be 1 to 32 letters, digits, '.', '-' or '_'");
    } else if (!component_codes.insert(c.code).second) {
      error.With(at + "code", "is used by an earlier component");
    }
    CheckText(error, at + "name", c.name, kMaxTextLength);
    if (c.originals < 0 || c.originals > kMaxCopies) {
      error.With(at + "originals", "must be 0 to " + std::to_string(kMaxCopies));
    }
    if (c.copies < 0 || c.copies > kMaxCopies) {
      error.With(at + "copies", "must be 0 to " + std::to_string(kMaxCopies));
    }
    if (c.originals == 0 && c.copies == 0) {
      error.With(at + "copies", "a component needs at least one original or copy");
    }
    if (!c.template_file.empty() && !IsTemplateFileName(c.template_file)) {
      error.With(at + "template", "must be a plain file name (no folders, no leading dot)");
    }
  }

  if (!IsWorkflowCode(p.workflow_code)) {
    error.With("workflow_code", "must be 1 to 64 lower-case letters, digits, '-' or '_'");
  }
  if (!p.effective_from.ok()) error.With("effective_from", "must be a date YYYY-MM-DD");

  if (!error.fields.empty()) {
    error.message = "the procedure has " + std::to_string(error.fields.size()) + " problem(s)";
    return Fail(std::move(error));
  }
  return {};
}

std::int64_t TotalFee(const Procedure& procedure) {
  std::int64_t total = 0;
  for (const Fee& f : procedure.fees) total += f.amount_vnd;
  return total;
}

}  // namespace motcua::catalog
