#include "core/catalog/catalog.hpp"

#include <algorithm>
#include <utility>

namespace motcua::catalog {
namespace {

const std::vector<Procedure>& NoVersions() {
  static const std::vector<Procedure> kEmpty;
  return kEmpty;
}

const Procedure* NewestPublic(const std::vector<Procedure>& versions) {
  for (auto it = versions.rbegin(); it != versions.rend(); ++it) {
    if (it->status != Lifecycle::kDraft) return &*it;
  }
  return nullptr;
}

std::string Named(std::string_view code) { return "procedure " + std::string(code); }

}  // namespace

Catalog::Catalog(std::vector<Procedure> versions) {
  for (Procedure& p : versions) Put(std::move(p));
}

const std::vector<Procedure>& Catalog::Versions(std::string_view code) const {
  auto it = by_code_.find(code);
  return it == by_code_.end() ? NoVersions() : it->second;
}

const Procedure* Catalog::Version(std::string_view code, int version) const {
  for (const Procedure& p : Versions(code)) {
    if (p.version == version) return &p;
  }
  return nullptr;
}

const Procedure* Catalog::InForce(std::string_view code, Date day) const {
  const auto& versions = Versions(code);
  for (auto it = versions.rbegin(); it != versions.rend(); ++it) {
    if (it->status == Lifecycle::kDraft || it->effective_from > day) continue;
    if (it->retired_on && day >= *it->retired_on) return nullptr;
    return &*it;
  }
  return nullptr;
}

const Procedure* Catalog::LatestPublic(std::string_view code) const {
  return NewestPublic(Versions(code));
}

std::vector<Procedure> Catalog::AllInForce(Date day) const {
  std::vector<Procedure> out;
  for (const auto& [code, versions] : by_code_) {
    if (const Procedure* p = InForce(code, day)) out.push_back(*p);
  }
  return out;
}

std::vector<Procedure> Catalog::All() const {
  std::vector<Procedure> out;
  for (const auto& [code, versions] : by_code_)
    out.insert(out.end(), versions.begin(), versions.end());
  return out;
}

Result<Procedure> Catalog::PlanCreate(Procedure p) const {
  p.id = 0;
  p.version = 1;
  p.retired_on.reset();
  MOTCUA_TRY_VOID(Validate(p));
  if (p.status == Lifecycle::kRetired) {
    return InvalidField("status", "a new procedure is draft or published");
  }
  if (Contains(p.code)) {
    Error e{
        Code::kAlreadyExists, Named(p.code) + " exists already; publish a new version of it", {}};
    return Fail(std::move(e).With("code", "is taken"));
  }
  return p;
}

Result<Procedure> Catalog::PlanVersion(std::string_view code, Procedure p) const {
  const auto& versions = Versions(code);
  if (versions.empty()) return Fail(Code::kNotFound, "no " + Named(code));
  const Procedure& newest = versions.back();
  if (newest.retired_on) {
    return Fail(Code::kFailedPrecondition,
                Named(code) + " is retired from " + units::FormatDate(*newest.retired_on));
  }
  p.code = std::string(code);
  p.status = Lifecycle::kPublished;
  p.retired_on.reset();
  MOTCUA_TRY_VOID(Validate(p));
  if (const Procedure* in_force = NewestPublic(versions);
      in_force != nullptr && p.effective_from <= in_force->effective_from) {
    return InvalidField("effective_from",
                        "must be after " + units::FormatDate(in_force->effective_from) +
                            ", when version " + std::to_string(in_force->version) + " took effect");
  }
  if (newest.status == Lifecycle::kDraft) {
    p.id = newest.id;
    p.version = newest.version;
  } else {
    p.id = 0;
    p.version = newest.version + 1;
  }
  return p;
}

Result<std::vector<Procedure>> Catalog::PlanRetire(std::string_view code, Date date) const {
  const auto& versions = Versions(code);
  if (versions.empty()) return Fail(Code::kNotFound, "no " + Named(code));
  const Procedure* published = NewestPublic(versions);
  if (published == nullptr) {
    return Fail(Code::kFailedPrecondition, Named(code) + " was never published; nothing to retire");
  }
  if (published->retired_on) {
    if (*published->retired_on == date) return std::vector<Procedure>{};
    return Fail(Code::kFailedPrecondition, Named(code) + " is already retired from " +
                                               units::FormatDate(*published->retired_on));
  }
  if (date <= published->effective_from) {
    return InvalidField("date", "must be after " + units::FormatDate(published->effective_from) +
                                    ", when version " + std::to_string(published->version) +
                                    " took effect");
  }
  std::vector<Procedure> rows = versions;
  for (Procedure& p : rows) {
    // A draft stays a draft (it never was in force) but is closed too, so
    // that it cannot be published after the retirement.
    if (p.status != Lifecycle::kDraft) p.status = Lifecycle::kRetired;
    p.retired_on = date;
  }
  return rows;
}

void Catalog::Put(Procedure p) {
  auto& versions = by_code_[p.code];
  auto it = std::lower_bound(versions.begin(), versions.end(), p.version,
                             [](const Procedure& a, int v) { return a.version < v; });
  if (it != versions.end() && it->version == p.version) {
    *it = std::move(p);
  } else {
    versions.insert(it, std::move(p));
  }
}

}  // namespace motcua::catalog
