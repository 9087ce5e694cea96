// The personal-data access log (DOMAIN.md 8; Law 91/2025 on personal data):
// every read of a dossier's personal data is recorded with who read it, when,
// which dossier, why (the purpose), and through which route and request.
//
// Record goes through Store::Write, so `done` runs once the record is
// durable: a handler that must not reveal data before the access is on disk
// answers in `done`; one that may answer at once passes an empty `done`.
//
// Thread safety: Record and List may be called from any thread at once. The
// Store and Clock must outlive the AccessLog.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "storage/store.hpp"

namespace motcua::audit {

// Why a read of personal data happens, for the access log: the route and the
// request that asked.
struct ReadContext {
  std::string route;
  std::string request_id;
};

struct AccessRecord {
  std::int64_t user_id = 0;       // who read (users.id)
  std::string aggregate_type;     // "dossier"
  std::int64_t aggregate_id = 0;  // which one
  std::string purpose;            // why: "processing", "citizen_lookup", ...
  std::string route;              // "GET /api/v1/dossiers/{id}"
  std::string request_id;         // ties the record to the access log line; may be empty
};

struct AccessEntry {
  std::int64_t id = 0;
  TimePoint at{};  // when the read happened (the clock at Record)
  AccessRecord record;
};

// Most entries List returns by default, and at most: a page of an auditor's
// screen, and a bound on memory for a dossier read thousands of times.
inline constexpr int kDefaultListLimit = 100;
inline constexpr int kMaxListLimit = 1000;

class AccessLog {
 public:
  AccessLog(storage::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Stamps `record` with the clock's time now and queues it. done(status)
  // runs exactly once: on the store's completion thread after the commit is durable, or
  // with the write's error; or at once on this thread with kInvalidArgument
  // naming the field when the record is incomplete (user_id and aggregate_id
  // positive, aggregate_type, purpose and route non-empty, each text at most
  // 256 bytes). done may be empty; the rules for it are Store::Write's.
  void Record(const AccessRecord& record, std::function<void(Status)> done);

  // The newest `limit` (1 to kMaxListLimit) accesses to one aggregate, newest
  // first, for officers, auditors and the data subject.
  // Errors: kInvalidArgument for a bad limit; those of Store::Read.
  [[nodiscard]] Result<std::vector<AccessEntry>> List(std::string_view aggregate_type,
                                                      std::int64_t aggregate_id,
                                                      int limit = kDefaultListLimit) const;

 private:
  storage::Store& store_;
  const Clock& clock_;
};

}  // namespace motcua::audit
