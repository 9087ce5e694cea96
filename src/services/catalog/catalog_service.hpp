// Use cases on the procedure catalogue: search and read it (from an
// in-memory snapshot), create procedures, publish new versions, retire them
// and import them (in write transactions).
//
// Reads never touch the database: they use a snapshot holding every version
// and a search index over the versions in force on the snapshot's day. A
// successful write replaces the snapshot atomically once its commit is
// durable; when the date in Vietnam (UTC+7) changes, the first read builds
// the index for the new day, so a version takes effect on its effective date
// without a restart. Writes load the catalogue inside their transaction, so
// they judge a change against the committed state.
//
// Thread safety: every method may be called from any thread; readers never
// block on writers. Write methods block the caller until the commit is
// durable and must not be called from a Store callback.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "core/catalog/catalog.hpp"
#include "core/catalog/import.hpp"
#include "core/catalog/search.hpp"
#include "storage/store.hpp"

namespace motcua::catalog {

// Largest page a search returns.
inline constexpr std::size_t kMaxSearchLimit = 100;

struct SearchPage {
  std::size_t total = 0;  // every match
  std::vector<Procedure> items;
  Date as_of{};  // the day whose versions were searched
};

struct FieldCount {
  std::string field;
  std::size_t procedures = 0;  // in force today
};

struct ImportCounts {
  std::size_t procedures_created = 0;
  std::size_t versions_published = 0;
  std::size_t skipped = 0;  // stored codes left alone (LoadCatalogFile only)
};

class CatalogService {
 public:
  // `store` and `clock` must outlive the service. The snapshot starts empty:
  // call Reload() before serving.
  CatalogService(storage::Store& store, const Clock& clock);

  // From now on, Create, PublishVersion and the imports refuse a procedure
  // whose workflow_code `known` does not accept (kInvalidArgument naming
  // "workflow_code"): a procedure that no workflow can carry would take no
  // dossier. Call before serving; without it any well-formed code is taken
  // (commands that load a catalogue before the workflows).
  void RequireKnownWorkflows(std::function<bool(std::string_view)> known, std::string known_list);

  // Reads every version into a new snapshot. Errors: those of the store.
  [[nodiscard]] Status Reload();
  // Today's date in Vietnam (UTC+7), from the injected clock.
  Date Today() const;
  // Every version as of the last write or reload; never null.
  std::shared_ptr<const Catalog> Snapshot() const;

  // Searches the versions in force today (search.hpp). kInvalidArgument
  // naming "limit" unless 1 <= limit <= kMaxSearchLimit.
  [[nodiscard]] Result<SearchPage> Search(const SearchQuery& query) const;
  // The version in force on `as_of`; without it, the one in force today or
  // else the newest published (a future or retired procedure). Drafts are
  // never returned. kNotFound if there is none.
  [[nodiscard]] Result<Procedure> Get(std::string_view code,
                                      std::optional<Date> as_of = std::nullopt) const;
  // One version, drafts included (for dossiers received under it). kNotFound.
  [[nodiscard]] Result<Procedure> GetVersion(std::string_view code, int version) const;
  // Every version, ascending; drafts only if asked. kNotFound if none.
  [[nodiscard]] Result<std::vector<Procedure>> Versions(std::string_view code,
                                                        bool include_drafts) const;
  // Fields of the procedures in force today with how many each has, by name.
  std::vector<FieldCount> Fields() const;

  // Stores version 1 of a new procedure (draft or published). Errors:
  // Catalog::PlanCreate's.
  [[nodiscard]] Result<Procedure> Create(Procedure procedure);
  // Publishes `data` as the next version of `code`, in force from
  // `effective_from` (which overrides data.effective_from); the previous
  // version stays for dossiers received under it. A draft newest version is
  // replaced instead. Errors: Catalog::PlanVersion's.
  [[nodiscard]] Result<Procedure> PublishVersion(std::string_view code, Procedure data,
                                                 Date effective_from);
  // Withdraws `code` from `date`; returns the newest published version.
  // Errors: Catalog::PlanRetire's.
  [[nodiscard]] Result<Procedure> Retire(std::string_view code, Date date);
  // Imports all or nothing, in one transaction (core/catalog/import.hpp).
  // Errors: kInvalidArgument listing every problem by place and field.
  [[nodiscard]] Result<ImportCounts> ImportJson(std::string_view text, bool skip_existing = false);
  [[nodiscard]] Result<ImportCounts> ImportCsv(std::string_view text);

 private:
  struct State;
  std::shared_ptr<const State> Current() const;
  Status Mutate(const std::function<Status(storage::Tx&, Catalog&)>& change);
  void Publish(std::uint64_t generation, std::shared_ptr<const State> state);

  // Problems with the workflow codes of `entries` (RequireKnownWorkflows);
  // entries whose code is stored already are left out when `skip_existing`.
  Error UnknownWorkflows(const std::vector<ImportEntry>& entries, bool skip_existing) const;

  storage::Store& store_;
  const Clock& clock_;
  std::function<bool(std::string_view)> known_workflow_;
  std::string
      known_workflows_;  // for the error message: "commune-simple, department-standard, ..."
  mutable std::atomic<std::shared_ptr<const State>> state_;
  // Writes may finish in a different order than their callbacks ran; a
  // snapshot is published only if it is newer than the one in place.
  std::atomic<std::uint64_t> next_generation_{1};
  mutable std::mutex publish_mu_;
  std::uint64_t published_generation_ = 0;  // guarded by publish_mu_
};

// Imports the JSON catalogue file at `path` (data/demo/procedures.json),
// leaving codes that are stored already as they are, so that loading it
// twice is harmless. Errors: kNotFound if the file cannot be read; the
// import's errors otherwise.
[[nodiscard]] Status LoadCatalogFile(CatalogService& service, const std::string& path);

}  // namespace motcua::catalog
