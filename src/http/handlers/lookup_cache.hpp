// The answers of recent public lookups (GET /api/v1/lookup), ready to send.
// The lookup is the most frequent request (receipts' QR codes, citizens
// checking again and again) and a dossier changes a few times in its life.
//
// Contract:
// - Find() serves an answer only for the dossier's own secret (checked
//   against the stored hash, as the database would) and only while the entry
//   is younger than kTtl; an expired entry, or one stored "in the future" of
//   a clock that went back, is dropped and missed.
// - Invalidate(number) is called when the dossier changes (DossierService's
//   change listener, after the commit): its entry is dropped, so an answer is
//   never staler than the database this process writes. Another server
//   writing the same database (PostgreSQL, several processes) cannot drop it:
//   kTtl bounds how far an answer may lag a change made elsewhere.
// - A lookup reads Epoch(number) before it reads the database and passes it
//   to Put(): if the dossier's shard saw an Invalidate in between, the answer
//   may predate the change and is not stored.
// - Bounded: at most kPerShard entries in each of kShards shards; a shard
//   that is full drops an arbitrary entry to take a new one.
//
// Thread safety: every method may be called from any thread (one mutex per
// shard). Nothing here fails.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/clock.hpp"

namespace motcua::http {

class LookupCache {
 public:
  // A receipt's QR code scanned again and again at a counter stays in the
  // cache; a citizen's next visit minutes later reads the database.
  static constexpr std::chrono::seconds kTtl{2};
  // 32,768 answers of about 1.5 KB: some 50 MB, the open dossiers of a
  // merged province and the ones finished lately.
  static constexpr std::size_t kShards = 64;
  static constexpr std::size_t kPerShard = 512;

  struct Entry {
    std::string lookup_hash;  // dossier::HashLookupSecret(number, secret)
    std::string body;         // the answer as sent
    TimePoint stored_at{};
  };

  // The cached answer, if `secret` (normalised) is the dossier's and the
  // entry is younger than kTtl at `now`.
  std::optional<std::string> Find(const std::string& number, std::string_view secret,
                                  TimePoint now);
  // The dossier's shard's count of invalidations, to pass to Put().
  std::uint64_t Epoch(const std::string& number);
  // Stores (or replaces) the dossier's answer, unless its shard was
  // invalidated since `epoch` was read.
  void Put(const std::string& number, std::uint64_t epoch, Entry entry);
  // Drops the dossier's answer; a Put() with an older epoch is ignored.
  void Invalidate(const std::string& number);

 private:
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, Entry> entries;
    std::uint64_t epoch = 0;
  };
  Shard& ShardOf(const std::string& number);

  std::array<Shard, kShards> shards_;
};

}  // namespace motcua::http
