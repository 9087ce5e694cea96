#include "services/audit/access_log.hpp"

#include <utility>

#include "storage/pii_access_repo.hpp"

namespace motcua::audit {
namespace {

// Long enough for any route template, purpose code or request id we emit;
// short enough that a log row stays small (a busy province writes one per
// dossier view).
constexpr std::size_t kMaxText = 256;

Status Validate(const AccessRecord& r) {
  if (r.user_id <= 0) return InvalidField("user_id", "must be positive");
  if (r.aggregate_id <= 0) return InvalidField("aggregate_id", "must be positive");
  for (auto [name, value, required] : {std::tuple{"aggregate_type", &r.aggregate_type, true},
                                       {"purpose", &r.purpose, true},
                                       {"route", &r.route, true},
                                       {"request_id", &r.request_id, false}}) {
    if (required && value->empty()) return InvalidField(name, "is required");
    if (value->size() > kMaxText) {
      return InvalidField(name, "must be at most " + std::to_string(kMaxText) + " bytes");
    }
  }
  return {};
}

}  // namespace

void AccessLog::Record(const AccessRecord& record, std::function<void(Status)> done) {
  if (auto st = Validate(record); !st) {
    if (done) done(std::move(st));
    return;
  }
  storage::pii_access::AccessRow row{0,
                                     record.user_id,
                                     record.aggregate_type,
                                     record.aggregate_id,
                                     record.purpose,
                                     record.route,
                                     clock_.Now(),
                                     record.request_id};
  store_.Write(
      [row = std::move(row)](storage::Tx& tx) -> Status {
        MOTCUA_TRY_VOID(storage::pii_access::Insert(tx, row));
        return {};
      },
      std::move(done));
}

Result<std::vector<AccessEntry>> AccessLog::List(std::string_view aggregate_type,
                                                 std::int64_t aggregate_id, int limit) const {
  if (limit < 1 || limit > kMaxListLimit) {
    return InvalidField("limit", "must be 1 to " + std::to_string(kMaxListLimit));
  }
  std::vector<AccessEntry> out;
  MOTCUA_TRY_VOID(store_.Read([&](storage::Tx& tx) -> Status {
    auto rows =
        MOTCUA_TRY(storage::pii_access::ListForAggregate(tx, aggregate_type, aggregate_id, limit));
    out.reserve(rows.size());
    for (auto& r : rows) {
      out.push_back(AccessEntry{
          r.id, r.at,
          AccessRecord{r.user_id, std::move(r.aggregate_type), r.aggregate_id, std::move(r.purpose),
                       std::move(r.route), std::move(r.request_id)}});
    }
    return {};
  }));
  return out;
}

}  // namespace motcua::audit
