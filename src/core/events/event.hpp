// Events: the immutable facts behind every change to a dossier (sự kiện), and
// the hash chain that makes tampering with them detectable (DESIGN.md
// principle 2).
//
// The log is one sequence over all aggregates: event `seq` stores the hash of
// event `seq - 1` (`prev_hash`; the first event stores kGenesisHash) and its
// own `hash`, the SHA-256 of the canonical encoding below, taken over the
// fields exactly as they are stored.
//
// Hash encoding, version 1 (enough to write an independent verifier):
//
//   bytes  = "motcua.event.v1\n"
//            INT(seq) TEXT(prev_hash) TEXT(aggregate_type) INT(aggregate_id)
//            TEXT(occurred_at) OPT_INT(actor_id) TEXT(action)
//            OPT_TEXT(from_state) OPT_TEXT(to_state) TEXT(payload)
//   INT(n)     = "i" + n in decimal ("-" for negatives, no leading zeros) + ";"
//   TEXT(s)    = "s" + byte length of s in decimal + ":" + the bytes of s
//   OPT_X(v)   = "n" for NULL, else X(v)
//   hash   = lower-case hex of SHA-256(bytes)
//
// Every piece is self-delimiting, so two different field tuples never encode
// to the same bytes. occurred_at is the stored RFC 3339 UTC text with
// microseconds ("2026-01-31T08:15:00.000000Z"); payload is the stored JSON
// text, which AppendEvent puts in canonical form first (CanonicalJson).
//
// Everything here is pure and thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/result.hpp"

namespace motcua::events {

// prev_hash of the first event: 64 zeros (no SHA-256 output is known to be it).
inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// Largest canonical payload accepted. Events record decisions (who, what,
// why, a few ids and amounts); documents go to attachments. 64 KiB bounds
// what one event costs to store, hash and send to the national portal.
inline constexpr std::size_t kMaxPayloadBytes = 64 * 1024;

// What a service asks to append.
struct NewEvent {
  std::string aggregate_type;  // "dossier": [a-z_], 1 to 32 characters
  std::int64_t aggregate_id = 0;
  TimePoint occurred_at{};
  std::optional<std::int64_t> actor_id;   // users.id; empty for the system itself
  std::string action;                     // "accept", "transfer", ...: 1 to 64 bytes
  std::optional<std::string> from_state;  // workflow states, 1 to 64 bytes when present
  std::optional<std::string> to_state;
  std::string payload = "{}";  // a JSON object (why, details)
};

// An appended event as stored: payload is canonical JSON.
struct Event : NewEvent {
  std::int64_t seq = 0;
  std::string prev_hash;
  std::string hash;
};

// The stored columns of one event, as text where they are text: the input of
// the hash. Views into storage-owned strings; valid as long as they are.
struct StoredFields {
  std::int64_t seq = 0;
  std::string_view prev_hash;
  std::string_view aggregate_type;
  std::int64_t aggregate_id = 0;
  std::string_view occurred_at;
  std::optional<std::int64_t> actor_id;
  std::string_view action;
  std::optional<std::string_view> from_state;
  std::optional<std::string_view> to_state;
  std::string_view payload;
};

// The version 1 encoding above.
std::string EncodeForHash(const StoredFields& fields);
// Lower-case hex SHA-256 of EncodeForHash(fields).
std::string HashEvent(const StoredFields& fields);

// Checks the shape of the fields (payload excepted: see CanonicalJson).
// Errors: kInvalidArgument naming the field.
[[nodiscard]] Status ValidateNewEvent(const NewEvent& event);

// The canonical text of a JSON object: no insignificant whitespace; object
// members sorted by the bytes of their UTF-8 keys; strings with only '"',
// '\\' and control characters escaped (\b \f \n \r \t, else \u00xx), other
// characters as raw UTF-8; integers in decimal; other numbers in the
// shortest form that reads back to the same double (std::to_chars), so 1.0
// becomes 1. Canonicalising canonical text returns it unchanged.
// Errors: kInvalidArgument (field "payload") if `json` is not valid JSON, is
// not an object, has a duplicate key, or its canonical form exceeds
// kMaxPayloadBytes.
[[nodiscard]] Result<std::string> CanonicalJson(std::string_view json);

}  // namespace motcua::events
