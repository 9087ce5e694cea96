// The exchange log (migration 0012_integrations.sql): every message motcua
// sent to an outside system or received from one, with the answer, in the
// spirit of X-Road's message log.
//
// Each entry is hash-chained to the one before it (hash = SHA-256 of the
// previous hash and the entry's canonical fields), and the hash is signed
// with the server's exchange key (Ed25519): removing, reordering or editing
// an entry breaks the chain, and re-chaining needs the private key. Bodies
// are kept as their SHA-256 only (they carry the applicant's data: whoever
// holds a body can prove it is the one logged); the partner's answer is
// kept, cut to 2,000 bytes.
//
// The key: a PEM file (PKCS#8, mode 0600) created on the first start beside
// the attachments' key (<data>/keys/exchange-log.pem), with its public half
// beside it (exchange-log.pub.pem) so that an auditor can check the log
// without being able to sign (`motcua verify --exchanges`).
//
// Thread safety: ExchangeKey is immutable once loaded and may sign from any
// thread; AppendExchange as the Tx; VerifyExchangeLog from any thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "storage/store.hpp"

namespace motcua::integrations {

class ExchangeKey {
 public:
  // Reads the private key at `path`, or creates it (and the public file
  // beside it) if it does not exist. Errors: kFailedPrecondition for a file
  // others may read or that holds no Ed25519 key; kUnavailable for I/O.
  static Result<ExchangeKey> LoadOrCreate(const std::filesystem::path& path);
  // A public key only (PEM text), for checking. Errors: kInvalidArgument.
  static Result<ExchangeKey> FromPublicPem(std::string_view pem);
  // The public key of the private file `path` (its .pub.pem, else derived).
  static Result<ExchangeKey> PublicOf(const std::filesystem::path& path);

  bool can_sign() const { return can_sign_; }
  // Base64 of the 64-byte signature. CHECKs can_sign().
  std::string Sign(std::string_view message) const;
  bool Verify(std::string_view message, std::string_view signature_base64) const;
  std::string PublicPem() const;
  // "x" and the first 16 hex digits of SHA-256 of the public key.
  const std::string& id() const { return id_; }

 private:
  static Result<ExchangeKey> FromPrivatePem(const std::string& pem,
                                            const std::filesystem::path& path);
  struct Free {
    void operator()(void* key) const;
  };
  std::shared_ptr<void> key_;  // EVP_PKEY
  bool can_sign_ = false;
  std::string id_;
};

// The key file's place for an attachments folder: <dir>/../keys/exchange-log.pem.
std::filesystem::path ExchangeKeyPath(const std::filesystem::path& attachments_dir);

struct ExchangeEntry {
  TimePoint at{};
  std::string direction;  // "out" or "in"
  std::string partner;
  std::string operation;
  std::string message_key;
  std::optional<std::int64_t> outbox_id;
  std::optional<std::int64_t> dossier_id;
  std::string request;  // hashed, never stored
  int status = 0;       // HTTP status; 0 for no answer
  std::string response;
  std::string outcome;  // "delivered", "retry", "dead", "accepted", "duplicate", "refused"
  std::int64_t duration_micros = 0;
};

// Appends `entry` after the newest one; returns its seq. Errors: those of Tx.
Result<std::int64_t> AppendExchange(storage::Tx& tx, const ExchangeKey& key,
                                    const ExchangeEntry& entry);

struct ExchangeVerifyReport {
  std::int64_t entries = 0;
  std::int64_t last_seq = 0;
  std::string last_hash;
  struct Break {
    std::int64_t seq = 0;
    std::string reason;
  };
  std::optional<Break> broken;  // the first, if any
};

// Walks the whole log in seq order, batch by batch, checking every link,
// hash and signature; stops at the first break. Errors: those of Read.
Result<ExchangeVerifyReport> VerifyExchangeLog(storage::Store& store, const ExchangeKey& key,
                                               int batch = 2048);

}  // namespace motcua::integrations
