// The JSON form of a procedure, shared by the API, the JSON import, the demo
// file and storage (components and fees are stored as JSON text).
//
//   {"code": "1.001193.000.00.00.H12", "name": "Đăng ký khai sinh",
//    "name_en": "Birth registration", "field": "Hộ tịch",
//    "levels": ["commune"], "online_mode": "full" | "partial" | "none",
//    "time_limit": {"value": 1, "unit": "working_days" | "working_hours"},
//    "cutoff_1500": true,
//    "fees": [{"description": "Lệ phí", "amount": 0}],
//    "components": [{"code": "TP1", "name": "Tờ khai", "originals": 1,
//                    "copies": 0, "required": true, "template": "to_khai.docx"}],
//    "result_kind": "certificate", "workflow_code": "commune-simple",
//    "effective_from": "2025-07-01", "status": "draft" | "published"}
//
// On input: name_en (string or null), cutoff_1500 (default false), fees
// (default none), status (default published), a component's required
// (default true) and template (default none) may be left out; every other
// field is required and unknown fields are refused. Output adds id, version
// and retired_on (null unless retired), and status may be "retired".
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "core/catalog/procedure.hpp"

namespace motcua::catalog {

boost::json::object ToJson(const Procedure& procedure);
boost::json::array FeesToJson(const std::vector<Fee>& fees);
boost::json::array ComponentsToJson(const std::vector<Component>& components);

struct JsonReadOptions {
  // False: "code" may be left out (a new version takes the code of its URL);
  // when present it must still be a string.
  bool code_required = true;
};

// Reads the input form. Every problem is recorded in `errors` under the
// field's name prefixed by `prefix` ("procedures[3]." gives
// "procedures[3].components[2].name"); returns nullopt if there was any.
// Types and presence only: call Validate() for the rules.
std::optional<Procedure> ProcedureFromJson(const boost::json::value& value,
                                           const std::string& prefix, Error& errors,
                                           const JsonReadOptions& options = {});
std::optional<std::vector<Fee>> FeesFromJson(const boost::json::value& value,
                                             const std::string& name, Error& errors);
std::optional<std::vector<Component>> ComponentsFromJson(const boost::json::value& value,
                                                         const std::string& name, Error& errors);

}  // namespace motcua::catalog
