// Every version of every procedure, and the rules between the versions of
// one code: which version is in force on a day, and what a new procedure, a
// new version or a retirement must respect.
//
// Invariants kept by the Plan* functions (and trusted for rows loaded from
// storage): versions of a code are numbered 1, 2, ...; only the newest may be
// a draft; the effective_from dates of the versions that are not drafts
// strictly increase with the version number; a retired procedure has
// retired_on on every version (and status retired on those not drafts),
// after the newest published effective_from.
//
// The version in force on day D is the non-draft version with the latest
// effective_from <= D, unless the procedure is retired on or before D. Older
// versions stay: a dossier received under one keeps its rules.
//
// Not thread safe: one Catalog per use case, or share it read-only.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "core/catalog/procedure.hpp"

namespace motcua::catalog {

class Catalog {  // danh mục thủ tục hành chính
 public:
  Catalog() = default;
  // Trusts `versions` (they come from storage), in any order.
  explicit Catalog(std::vector<Procedure> versions);

  // Versions of `code`, ascending; empty if the code is unknown.
  const std::vector<Procedure>& Versions(std::string_view code) const;
  bool Contains(std::string_view code) const { return by_code_.contains(code); }
  const Procedure* Version(std::string_view code, int version) const;
  // The version in force on `day`, or null.
  const Procedure* InForce(std::string_view code, Date day) const;
  // The newest version that is not a draft (in force, future or retired), or null.
  const Procedure* LatestPublic(std::string_view code) const;
  // One version per code: those in force on `day`, ascending code.
  std::vector<Procedure> AllInForce(Date day) const;
  // Every version, ascending code then version.
  std::vector<Procedure> All() const;
  std::size_t codes() const { return by_code_.size(); }

  // The row to insert for a new procedure: version 1, status draft or
  // published. Errors: Validate's; kInvalidArgument naming "status" for
  // retired; kAlreadyExists naming "code" if the code is taken.
  [[nodiscard]] Result<Procedure> PlanCreate(Procedure procedure) const;
  // The row to write for a new published version of `code` (procedure.code
  // is set to `code`): a draft newest version is replaced (same id and
  // number), else the number is the newest + 1 and id 0 (insert).
  // Errors: kNotFound; kFailedPrecondition if the procedure is retired;
  // Validate's; kInvalidArgument naming "effective_from" unless it is after
  // the newest published version's.
  [[nodiscard]] Result<Procedure> PlanVersion(std::string_view code, Procedure procedure) const;
  // The rows to rewrite to retire `code` from `date` (the first day it no
  // longer applies): every version gets retired_on, and every version but a
  // draft status retired.
  // Retiring again on the same day changes nothing (empty list). Errors:
  // kNotFound; kFailedPrecondition if it was never published or is retired
  // from another day; kInvalidArgument naming "date" unless it is after the
  // newest published version's effective_from.
  [[nodiscard]] Result<std::vector<Procedure>> PlanRetire(std::string_view code, Date date) const;

  // Inserts a version or replaces the one with its code and number.
  void Put(Procedure procedure);

 private:
  std::map<std::string, std::vector<Procedure>, std::less<>> by_code_;
};

}  // namespace motcua::catalog
