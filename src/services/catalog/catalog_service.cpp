#include "services/catalog/catalog_service.hpp"

#include <fstream>
#include <future>
#include <map>
#include <sstream>
#include <utility>

#include "core/catalog/import.hpp"
#include "core/catalog/text.hpp"
#include "storage/catalog_repo.hpp"

namespace motcua::catalog {
namespace {

namespace repo = storage::catalog;

// Vietnam has kept UTC+7 without daylight saving since 1975.
constexpr std::chrono::hours kVietnamOffset{7};

std::string Named(std::string_view code) { return "procedure " + std::string(code); }

// Writes planned rows: id 0 is a new version, any other a stored draft.
Status WriteRows(storage::Tx& tx, std::vector<Procedure>& rows, Catalog& catalog) {
  for (Procedure& row : rows) {
    if (row.id == 0) {
      row.id = MOTCUA_TRY(repo::Insert(tx, row));
    } else {
      MOTCUA_TRY_VOID(repo::Update(tx, row));
    }
    catalog.Put(row);
  }
  return {};
}

}  // namespace

// What readers see: every version, and the search index and field counts of
// the versions in force on `day`.
struct CatalogService::State {
  std::shared_ptr<const Catalog> catalog;
  Date day{};
  SearchIndex index;
  std::vector<FieldCount> fields;

  State(std::shared_ptr<const Catalog> all, Date on) : catalog(std::move(all)), day(on) {
    std::vector<Procedure> in_force = catalog->AllInForce(day);
    // Fields group by folded name, so "Hộ tịch" and "Hộ Tịch" count once;
    // the first spelling met names the group.
    std::map<std::string, FieldCount> by_field;
    for (const Procedure& p : in_force) {
      auto [it, added] = by_field.try_emplace(FoldText(p.field), FieldCount{p.field, 0});
      ++it->second.procedures;
    }
    for (auto& [key, count] : by_field) fields.push_back(std::move(count));
    index = SearchIndex(std::move(in_force));
  }
};

CatalogService::CatalogService(storage::Store& store, const Clock& clock)
    : store_(store),
      clock_(clock),
      state_(std::make_shared<const State>(std::make_shared<const Catalog>(), Date{})) {}

Status CatalogService::Reload() {
  const std::uint64_t generation = next_generation_.fetch_add(1);
  std::vector<Procedure> versions;
  MOTCUA_TRY_VOID(store_.Read([&](storage::Tx& tx) -> Status {
    versions = MOTCUA_TRY(repo::LoadAll(tx));
    return {};
  }));
  Publish(generation, std::make_shared<const State>(
                          std::make_shared<const Catalog>(std::move(versions)), Today()));
  return {};
}

Date CatalogService::Today() const {
  return Date{std::chrono::floor<std::chrono::days>(clock_.Now() + kVietnamOffset)};
}

std::shared_ptr<const Catalog> CatalogService::Snapshot() const { return state_.load()->catalog; }

std::shared_ptr<const CatalogService::State> CatalogService::Current() const {
  auto state = state_.load();
  const Date today = Today();
  if (state->day == today) return state;
  // A new day: versions may have taken effect or procedures retired. Build
  // the index for today and install it unless a write got there first (its
  // own snapshot is then already for today, or will be rebuilt next read).
  auto fresh = std::make_shared<const State>(state->catalog, today);
  std::lock_guard lock(publish_mu_);
  if (state_.load() == state) state_.store(fresh);
  return fresh;
}

void CatalogService::Publish(std::uint64_t generation, std::shared_ptr<const State> state) {
  std::lock_guard lock(publish_mu_);
  if (generation <= published_generation_) return;
  published_generation_ = generation;
  state_.store(std::move(state));
}

Status CatalogService::Mutate(const std::function<Status(storage::Tx&, Catalog&)>& change) {
  struct Outcome {
    std::uint64_t generation = 0;
    std::shared_ptr<const State> state;
  };
  auto outcome = std::make_shared<Outcome>();
  // Shared with the done callback: the waiting thread may return (and drop
  // its references) while set_value is still running on the writer.
  auto finished = std::make_shared<std::promise<Status>>();
  auto result = finished->get_future();
  const Date today = Today();
  store_.Write(
      [this, &change, outcome, today](storage::Tx& tx) -> Status {
        auto catalog = std::make_shared<Catalog>(MOTCUA_TRY(repo::LoadAll(tx)));
        MOTCUA_TRY_VOID(change(tx, *catalog));
        // Callbacks run one at a time on the writer, so this order is the
        // commit order.
        outcome->generation = next_generation_.fetch_add(1);
        outcome->state = std::make_shared<const State>(std::move(catalog), today);
        return {};
      },
      [this, outcome, finished](Status status) {
        if (status && outcome->state) Publish(outcome->generation, std::move(outcome->state));
        finished->set_value(std::move(status));
      });
  return result.get();
}

Result<SearchPage> CatalogService::Search(const SearchQuery& query) const {
  if (query.limit < 1 || query.limit > kMaxSearchLimit) {
    return InvalidField("limit", "must be 1 to " + std::to_string(kMaxSearchLimit));
  }
  auto state = Current();
  SearchResult found = state->index.Search(query);
  SearchPage page{found.total, {}, state->day};
  for (std::size_t i : found.indexes) page.items.push_back(state->index.procedures()[i]);
  return page;
}

Result<Procedure> CatalogService::Get(std::string_view code, std::optional<Date> as_of) const {
  auto state = Current();
  const Catalog& catalog = *state->catalog;
  if (as_of) {
    if (const Procedure* p = catalog.InForce(code, *as_of)) return *p;
    return Fail(Code::kNotFound, "no " + Named(code) + " in force on " + units::FormatDate(*as_of));
  }
  if (const Procedure* p = catalog.InForce(code, state->day)) return *p;
  if (const Procedure* p = catalog.LatestPublic(code)) return *p;
  return Fail(Code::kNotFound, "no " + Named(code));
}

Result<Procedure> CatalogService::GetVersion(std::string_view code, int version) const {
  if (const Procedure* p = Snapshot()->Version(code, version)) return *p;
  return Fail(Code::kNotFound, "no version " + std::to_string(version) + " of " + Named(code));
}

Result<std::vector<Procedure>> CatalogService::Versions(std::string_view code,
                                                        bool include_drafts) const {
  std::vector<Procedure> out;
  for (const Procedure& p : Snapshot()->Versions(code)) {
    if (include_drafts || p.status != Lifecycle::kDraft) out.push_back(p);
  }
  if (out.empty()) return Fail(Code::kNotFound, "no " + Named(code));
  return out;
}

std::vector<FieldCount> CatalogService::Fields() const { return Current()->fields; }

void CatalogService::RequireKnownWorkflows(std::function<bool(std::string_view)> known,
                                           std::string known_list) {
  known_workflow_ = std::move(known);
  known_workflows_ = std::move(known_list);
}

namespace {

std::string UnknownWorkflowProblem(const std::string& code, const std::string& known) {
  return "names workflow '" + code + "', which this server has not loaded (known: " + known + ")";
}

}  // namespace

Error CatalogService::UnknownWorkflows(const std::vector<ImportEntry>& entries,
                                       bool skip_existing) const {
  Error error{Code::kInvalidArgument, "invalid import", {}};
  if (!known_workflow_) return error;
  auto snapshot = Snapshot();
  for (const ImportEntry& e : entries) {
    const Procedure& p = e.procedure;
    if (skip_existing && !snapshot->Versions(p.code).empty()) continue;
    if (!known_workflow_(p.workflow_code))
      error.With(e.place + e.separator + "workflow_code",
                 UnknownWorkflowProblem(p.workflow_code, known_workflows_));
  }
  if (!error.fields.empty())
    error.message =
        "invalid import: " + error.fields.begin()->first + " " + error.fields.begin()->second;
  return error;
}

Result<Procedure> CatalogService::Create(Procedure procedure) {
  if (known_workflow_ && !known_workflow_(procedure.workflow_code))
    return InvalidField("workflow_code",
                        UnknownWorkflowProblem(procedure.workflow_code, known_workflows_));
  Procedure created;
  MOTCUA_TRY_VOID(Mutate([&](storage::Tx& tx, Catalog& catalog) -> Status {
    std::vector<Procedure> rows{MOTCUA_TRY(catalog.PlanCreate(procedure))};
    MOTCUA_TRY_VOID(WriteRows(tx, rows, catalog));
    created = rows[0];
    return {};
  }));
  return created;
}

Result<Procedure> CatalogService::PublishVersion(std::string_view code, Procedure data,
                                                 Date effective_from) {
  if (known_workflow_ && !known_workflow_(data.workflow_code))
    return InvalidField("workflow_code",
                        UnknownWorkflowProblem(data.workflow_code, known_workflows_));
  data.effective_from = effective_from;
  Procedure published;
  MOTCUA_TRY_VOID(Mutate([&](storage::Tx& tx, Catalog& catalog) -> Status {
    std::vector<Procedure> rows{MOTCUA_TRY(catalog.PlanVersion(code, data))};
    MOTCUA_TRY_VOID(WriteRows(tx, rows, catalog));
    published = rows[0];
    return {};
  }));
  return published;
}

Result<Procedure> CatalogService::Retire(std::string_view code, Date date) {
  Procedure retired;
  MOTCUA_TRY_VOID(Mutate([&](storage::Tx& tx, Catalog& catalog) -> Status {
    std::vector<Procedure> rows = MOTCUA_TRY(catalog.PlanRetire(code, date));
    MOTCUA_TRY_VOID(WriteRows(tx, rows, catalog));
    retired = *catalog.LatestPublic(code);
    return {};
  }));
  return retired;
}

namespace {

Result<ImportCounts> RunImport(
    const std::function<Status(const std::function<Status(storage::Tx&, Catalog&)>&)>& mutate,
    std::vector<ImportEntry> entries, bool skip_existing) {
  ImportCounts counts;
  MOTCUA_TRY_VOID(mutate([&](storage::Tx& tx, Catalog& catalog) -> Status {
    ImportPlan plan = MOTCUA_TRY(PlanImport(catalog, entries, skip_existing));
    MOTCUA_TRY_VOID(WriteRows(tx, plan.rows, catalog));
    counts = {plan.procedures_created, plan.versions_published, plan.skipped};
    return {};
  }));
  return counts;
}

}  // namespace

Result<ImportCounts> CatalogService::ImportJson(std::string_view text, bool skip_existing) {
  auto entries = MOTCUA_TRY(ParseJsonImport(text));
  if (Error bad = UnknownWorkflows(entries, skip_existing); !bad.fields.empty())
    return Fail(std::move(bad));
  return RunImport([this](const auto& change) { return Mutate(change); }, std::move(entries),
                   skip_existing);
}

Result<ImportCounts> CatalogService::ImportCsv(std::string_view text) {
  auto entries = MOTCUA_TRY(ParseCsvImport(text));
  if (Error bad = UnknownWorkflows(entries, false); !bad.fields.empty())
    return Fail(std::move(bad));
  return RunImport([this](const auto& change) { return Mutate(change); }, std::move(entries),
                   false);
}

Status LoadCatalogFile(CatalogService& service, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(Code::kNotFound, "cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  auto counts = service.ImportJson(text.str(), /*skip_existing=*/true);
  if (!counts) {
    Error error = std::move(counts.error());
    error.message = path + ": " + error.message;
    return Fail(std::move(error));
  }
  return {};
}

}  // namespace motcua::catalog
