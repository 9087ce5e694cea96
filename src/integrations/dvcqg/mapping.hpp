// The national portal's record of a dossier, as data (data/integrations/
// dvcqg.json): which field of the portal's sync format carries which value
// motcua computes. A new field, a renamed one or a constant the portal
// starts to demand is an edit of that file.
//
// The vocabulary a mapping may name (all values are strings, as the
// portal's format has them; dates yyyyMMddHHmmss in Vietnam's time, empty
// when absent):
//   dossier.code (the portal's own code for a dossier filed there, else
//   motcua's number), dossier.channel (1 counter, 2 online, 3 post),
//   dossier.summary, dossier.submitted_at, dossier.accepted_at,
//   dossier.due_at (the appointment in force), dossier.finished_at,
//   dossier.returned_at, dossier.refused_at, dossier.national_status
//   (1..10), dossier.has_files ("1"/"0"), dossier.paid_online ("0": no
//   online payment yet, issue 22), dossier.source ("" or "dvcqg");
//   procedure.code, procedure.name, procedure.field; applicant.name,
//   applicant.kind ("1": a citizen), applicant.id_number, applicant.phone,
//   applicant.email, applicant.identifiers (an array of {LoaiDinhDanh,
//   SoDinhDanh}: 1 for a 12-digit personal number, 2 for a 9-digit one);
//   unit.current_name, unit.receiving_code, unit.receiving_name;
//   per history row: step.officer, step.officer_title, step.unit_name,
//   step.content (the action that closed the step, and whether it was early,
//   on time or late), step.national_status, step.started_at,
//   step.finished_at, step.due_at.
//
// Thread safety: a loaded Mapping is immutable.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"

namespace motcua::integrations::dvcqg {

// A field's source: a vocabulary name, or a constant.
struct Source {
  std::string name;  // empty for a constant
  std::optional<boost::json::value> constant;
};

struct Mapping {
  std::string login_path = "/auth";
  std::string call_path = "/integration";
  std::string sync_service, history_service, lookup_service;
  std::vector<std::string> success_codes;
  std::vector<std::string> session_expired_codes;
  int history_chunk = 10;
  std::vector<std::pair<std::string, Source>> dossier;  // in the file's order
  std::vector<std::pair<std::string, Source>> history;
};

// Errors: kInvalidArgument naming the file and the field (an unknown
// vocabulary name, a missing service, a chunk outside 1..50).
Result<Mapping> LoadMapping(const std::filesystem::path& file);
Result<Mapping> ParseMapping(std::string_view json, std::string_view source_name);

// What the adapter knows of a dossier, as vocabulary values.
using Values = std::map<std::string, boost::json::value, std::less<>>;

// The portal's objects from the values: names the mapping lists in order;
// a name missing from `values` is sent as "" (a bug the tests catch).
boost::json::object Render(const std::vector<std::pair<std::string, Source>>& fields,
                           const Values& values);

// yyyyMMddHHmmss in Vietnam's time (UTC+7); "" for none.
std::string PortalTime(const std::optional<TimePoint>& t);

}  // namespace motcua::integrations::dvcqg
