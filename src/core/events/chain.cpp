#include "core/events/chain.hpp"

namespace motcua::events {

std::string ChainBreak::Message() const {
  const std::string s = std::to_string(seq);
  const std::string p = std::to_string(previous_seq);
  switch (kind) {
    case Kind::kMissing:
      if (previous_seq == 0) return "events missing before event " + s;
      return "events missing between " + p + " and " + s;
    case Kind::kBadLink:
      if (previous_seq == 0) return "event " + s + " does not link to the start of the log";
      return "event " + s + " does not link to event " + p;
    case Kind::kHashMismatch:
      break;
  }
  return "event " + s + " is broken: its hash does not match its contents";
}

std::optional<ChainBreak> ChainVerifier::Next(const StoredFields& event,
                                              std::string_view stored_hash) {
  if (broken_) return broken_;
  std::optional<ChainBreak::Kind> kind;
  if (event.seq != last_seq_ + 1) {
    kind = ChainBreak::Kind::kMissing;
  } else if (event.prev_hash != last_hash_) {
    kind = ChainBreak::Kind::kBadLink;
  } else {
    std::string hash = HashEvent(event);
    if (hash != stored_hash) {
      kind = ChainBreak::Kind::kHashMismatch;
    } else {
      ++count_;
      last_seq_ = event.seq;
      last_hash_ = std::move(hash);
      return std::nullopt;
    }
  }
  broken_ = ChainBreak{*kind, event.seq, last_seq_};
  return broken_;
}

std::optional<ChainBreak> ChainVerifier::NextUnreadable(std::int64_t seq) {
  if (broken_) return broken_;
  const auto kind =
      seq != last_seq_ + 1 ? ChainBreak::Kind::kMissing : ChainBreak::Kind::kHashMismatch;
  broken_ = ChainBreak{kind, seq, last_seq_};
  return broken_;
}

}  // namespace motcua::events
