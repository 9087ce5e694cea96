// Walking the hash chain: the pure part of `motcua verify`.
//
// A ChainVerifier is fed the stored events in ascending seq order, one at a
// time, and stops at the first one that breaks the chain. It keeps only the
// previous event's seq and hash, so a log of any length is checked in
// constant memory. Not thread-safe; one walk per instance.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/events/event.hpp"

namespace motcua::events {

struct ChainBreak {
  enum class Kind {
    kMissing,       // seq jumped: the events between were removed
    kBadLink,       // prev_hash is not the previous event's hash
    kHashMismatch,  // hash is not the hash of the stored fields
  };
  Kind kind = Kind::kHashMismatch;
  std::int64_t seq = 0;           // the first event found broken
  std::int64_t previous_seq = 0;  // the last good event before it (0: none)

  // One line naming the break: "event 1234 is broken: its hash does not
  // match its contents", "event 1235 does not link to event 1234", "events
  // missing between 1200 and 1210".
  std::string Message() const;
};

class ChainVerifier {
 public:
  // Checks `event` against the previous one, in this order: no seq skipped
  // (the log starts at 1), prev_hash links to the previous hash (kGenesisHash
  // for the first), and `stored_hash` is HashEvent(event). The order makes
  // each kind of tampering name itself: a deleted row is a gap, a rewritten
  // prev_hash a bad link, edited contents a hash mismatch. After a break,
  // later calls return the same break.
  std::optional<ChainBreak> Next(const StoredFields& event, std::string_view stored_hash);
  // The event `seq` could not be read as stored fields (a column holds a
  // type the schema does not allow): a gap before it is still named first,
  // otherwise it is a hash mismatch, since its contents were changed.
  std::optional<ChainBreak> NextUnreadable(std::int64_t seq);

  // Events accepted so far, and the last accepted one (0 and kGenesisHash
  // before the first).
  std::int64_t count() const { return count_; }
  std::int64_t last_seq() const { return last_seq_; }
  const std::string& last_hash() const { return last_hash_; }
  const std::optional<ChainBreak>& broken() const { return broken_; }

 private:
  std::int64_t count_ = 0;
  std::int64_t last_seq_ = 0;
  std::string last_hash_{kGenesisHash};
  std::optional<ChainBreak> broken_;
};

}  // namespace motcua::events
