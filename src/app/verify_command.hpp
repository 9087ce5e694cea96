// `motcua verify`: walks the hash-chained event log and reports whether it is
// intact; with --statistics, replays every dossier's history against its row;
// with --attachments, reads every attachment file; with --exchanges, walks
// the signed exchange log of the integration spine. Exit codes: 0 verified, 1
// a broken link or a disagreement (named on stdout) or a database error, 2 a
// usage error. CheckDatabase is the same check for `motcua backup` and
// `motcua restore`.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include "app/commands.hpp"
#include "common/result.hpp"
#include "services/attachments/attachment_store.hpp"
#include "storage/store.hpp"

namespace motcua::app {

int RunVerify(const Args& args, std::ostream& out, std::ostream& err);

struct CheckOptions {
  std::string data_dir = "data";  // the workflows, procedures and holidays to replay with
  std::string office_hours;
  bool statistics = false;   // replay every dossier's history against its row
  bool attachments = false;  // read every attachment file (with `key`, in `attachments_dir`)
  // Walk the exchange log (every link, hash and signature) with the public
  // half of the exchange key (ATTACHMENTS_DIR/../keys/exchange-log.pub.pem).
  bool exchanges = false;
  std::string attachments_dir;                    // empty: DATA_DIR/attachments
  std::optional<attachments::AttachmentKey> key;  // empty: loaded, never created
  std::optional<std::int64_t> expected_events;    // the chain must have these many events
  std::optional<std::string> expected_last_hash;  // and end with this hash
};

struct CheckSummary {
  bool intact = false;  // every check asked for passed; what failed is printed
  std::int64_t events = 0;
  std::string last_hash;
  std::int64_t dossiers = 0;     // replayed (with statistics)
  attachments::FileCheck files;  // read (with attachments)
};

// Runs the checks on `store`, printing one line per check (and what failed)
// to `out`. Errors: the database's or the files' (kUnavailable), a missing
// key (kFailedPrecondition, field "key"), kFailedPrecondition for a schema
// without the event log.
[[nodiscard]] Result<CheckSummary> CheckDatabase(storage::Store& store, const CheckOptions& options,
                                                 std::ostream& out);

}  // namespace motcua::app
