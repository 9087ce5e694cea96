// Every dossier's facts (FactsTable) and the procedure codes their numbers
// stand for, as text parts to keep in the database, and back: what lets a
// restarted server read its statistics instead of counting every dossier
// again (services/stats/stats_service.hpp says when and how it is used).
//
// Part 0 holds the codes, each later part at most kRecordsPerPart dossiers,
// by ascending id; each part is base64 (RFC 4648) of bytes that are
//   part 0:  "MSC1", v count, then per code: v length, its bytes
//   part k:  "MSF2", v count, then per dossier:
//            v id minus the previous id of the part (the first: the id),
//            v unit, v procedure, channel, outcome, flags (one byte each:
//            eligible 1, digitised 2, electronic result 4, satisfied 8,
//            accepted 16, synced 32),
//            z received (days since 2000-01-01), one byte saying which of
//            due, decided, returned, withdrawn, rated follow (bits 0..4),
//            z each of them minus received, v working seconds
// where v is an unsigned LEB128 varint and z a zigzag one. Some 20 bytes a
// dossier before base64: 10 M dossiers take about 270 MB of text. An
// "MSF1" part (before the synced flag) is of another kind and refused;
// StatsService's basis names the encoding too, so such a snapshot is not
// even read, and the count is from scratch.
//
// Pure; thread safe (no state). Decoding checks everything it reads: a part
// that is cut short, not base64, of the wrong kind, with ids not ascending,
// numbers out of range or bytes left over fails with kInvalidArgument
// naming the part; nothing is trusted, since a snapshot is only a cache.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "core/stats/counters.hpp"

namespace motcua::stats {

constexpr std::size_t kRecordsPerPart = 100'000;  // some 2.7 MB of text a part

// `codes[n]` is the code of procedure number n in the facts.
[[nodiscard]] std::vector<std::string> EncodeFacts(const FactsTable& facts,
                                                   const std::vector<std::string>& codes);

// Reads `parts` as EncodeFacts wrote them, calling `each(id, facts)` for
// every dossier in ascending id, after filling `codes`. A failure may come
// after some calls: the caller throws away what it built.
[[nodiscard]] Status DecodeFacts(
    const std::vector<std::string>& parts, std::vector<std::string>& codes,
    const std::function<void(std::int64_t, const DossierFacts&)>& each);
// The same, one part at a time (part 0 first, then 1, 2, ...), so that a
// reader holds one part's text at once.
[[nodiscard]] Status DecodeFactsPart(
    std::size_t index, std::string_view part, std::vector<std::string>& codes,
    const std::function<void(std::int64_t, const DossierFacts&)>& each);

}  // namespace motcua::stats
