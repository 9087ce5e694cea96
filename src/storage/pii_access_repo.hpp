// Rows of the personal-data access log (table pii_access, migration
// 0004_events.sql). The audit service owns the rules and the transaction.
//
// Thread safety: as the Tx (one thread, inside the callback).
// Errors: those of Tx; kInternal for a row that cannot be read back.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "storage/store.hpp"

namespace motcua::storage::pii_access {

struct AccessRow {
  std::int64_t id = 0;  // assigned on insert
  std::int64_t user_id = 0;
  std::string aggregate_type;
  std::int64_t aggregate_id = 0;
  std::string purpose;
  std::string route;
  TimePoint at{};
  std::string request_id;
};

// Stores `row` (row.id is ignored); returns its id.
[[nodiscard]] Result<std::int64_t> Insert(Tx& tx, const AccessRow& row);

// The newest `limit` accesses to one aggregate, newest first.
[[nodiscard]] Result<std::vector<AccessRow>> ListForAggregate(Tx& tx,
                                                              std::string_view aggregate_type,
                                                              std::int64_t aggregate_id, int limit);

}  // namespace motcua::storage::pii_access
