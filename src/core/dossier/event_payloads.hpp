// The payload of each kind of dossier event, typed (DESIGN.md: facts are
// events). Every writer builds one of these and every reader (the statistics'
// replay, the letters to the citizen, the dossier's history in the API, and
// the subsystems that follow dossiers: portal sync, notifications, payments)
// parses one, instead of writing or picking JSON fields by hand.
//
// The kind follows from the event's action: "submit", "apology", "rated",
// "result_drafted", "result_signed", "national_synced"; any other action is
// a workflow action (accept, request_supplement, approve, ...), whose
// payload is ActionPayload.
// JSON both ways: ToJson writes the keys in a fixed order, leaving out what
// is absent; Parse reads it back (unknown keys are ignored, so that a payload
// written by a newer version still reads) and fails with kInvalidArgument
// naming the key that is missing or of the wrong type.
// tests/golden/events/payloads.json holds one example of each kind.
//
// Thread safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "core/dossier/deadline.hpp"

namespace motcua::dossier {

struct HandedFile {  // a file handed in with the event (an attachment)
  std::string attachment_id;
  std::string component_code;  // the procedure's component it stands for
  bool operator==(const HandedFile&) const = default;
};

struct AskedItem {  // one thing a request for supplements asks for
  std::string description;
  std::optional<std::string> component_code;
  bool operator==(const AskedItem&) const = default;
};

// "submit": the dossier is received (online, at a counter, by post).
struct SubmitPayload {
  std::string number;  // the dossier number
  int channel = 2;     // 1 counter, 2 online, 3 post
  std::string procedure_code;
  std::int64_t procedure_id = 0;  // the procedure version
  std::string workflow;
  int workflow_version = 0;
  std::int64_t unit_id = 0;  // the receiving unit
  std::vector<HandedFile> files;
  bool operator==(const SubmitPayload&) const = default;
};

// A workflow action: what it asked, moved and decided.
struct ActionPayload {
  std::optional<std::string> reason;                 // refusals, requests, send-backs, stops
  std::vector<AskedItem> items;                      // a request for supplements
  std::optional<std::int64_t> fee_vnd;               // a request for payment
  std::optional<std::int64_t> to_unit_id;            // a transfer
  std::vector<HandedFile> files;                     // supplements
  std::optional<TimePoint> clock_start;              // acceptance: the limit runs from here
  std::optional<TimePoint> due_at;                   // acceptance or resumption: the appointment
  std::optional<TimePoint> step_due_at;              // the next step's due moment
  std::optional<Timeliness> closed_step_timeliness;  // the step that ended
  std::optional<Timeliness> timeliness;              // the dossier, when it finished
  bool operator==(const ActionPayload&) const = default;
};

// "apology" (form 04): a new appointment before the old one passed.
struct ApologyPayload {
  std::string reason;
  TimePoint previous_due_at{};
  TimePoint new_due_at{};
  bool operator==(const ApologyPayload&) const = default;
};

// "rated": the citizen's satisfaction (1 not, 2 satisfied, 3 very); the
// comment is not in the event (free text may hold personal data).
struct RatingPayload {
  int level = 0;
  std::string by;  // "account" or "receipt"
  bool operator==(const RatingPayload&) const = default;
};

// "result_drafted": the result's draft is put (uploaded or drawn by motcua).
struct ResultDraftedPayload {
  std::string code;  // the verification code
  bool generated = false;
  std::string sha256;
  bool operator==(const ResultDraftedPayload&) const = default;
};

// "result_signed": the leader's signature; the signed file is the result.
struct ResultSignedPayload {
  std::string code;
  std::string sha256;
  std::string signer;  // the certificate's subject
  std::string certificate_sha256;
  bool operator==(const ResultSignedPayload&) const = default;
};

// "national_synced": the national portal (DVCQG) acknowledged the dossier's
// record for the first time (once per dossier; the system acts, the state
// stays). Written by the delivery worker (src/integrations) in the
// transaction that records the acknowledgement in national_sync; the 766
// index's "dossiers synced" counts it (docs/statistics.md).
struct NationalSyncedPayload {
  std::string partner;       // the destination that acknowledged it: "dvcqg"
  std::int64_t version = 0;  // the dossier's version it acknowledged (dossiers.version)
  bool operator==(const NationalSyncedPayload&) const = default;
};

using EventPayload = std::variant<SubmitPayload, ActionPayload, ApologyPayload, RatingPayload,
                                  ResultDraftedPayload, ResultSignedPayload, NationalSyncedPayload>;

// The JSON object text of a payload, as stored in the event.
[[nodiscard]] std::string ToJson(const EventPayload& payload);

// The payload of an event with `action`, from its JSON text.
[[nodiscard]] Result<EventPayload> ParsePayload(std::string_view action, std::string_view json);

// The same for one kind, when the caller knows it (kInvalidArgument if the
// action is of another kind).
template <typename T>
[[nodiscard]] Result<T> ParsePayloadAs(std::string_view action, std::string_view json) {
  auto p = ParsePayload(action, json);
  if (!p) return Fail(p.error());
  if (auto* t = std::get_if<T>(&*p)) return std::move(*t);
  return InvalidField("action", "'" + std::string(action) + "' carries another kind of payload");
}

}  // namespace motcua::dossier
