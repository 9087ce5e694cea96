#include "integrations/exchange_log.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "common/check.hpp"
#include "common/json_writer.hpp"
#include "core/events/event.hpp"
#include "core/events/sha256.hpp"
#include "core/files/base64.hpp"
#include "storage/accounts_repo.hpp"

namespace motcua::integrations {

namespace fs = std::filesystem;
using storage::Null;
using storage::Value;
using storage::accounts::FormatTime;

void ExchangeKey::Free::operator()(void* key) const { EVP_PKEY_free(static_cast<EVP_PKEY*>(key)); }

namespace {

EVP_PKEY* Raw(const std::shared_ptr<void>& k) { return static_cast<EVP_PKEY*>(k.get()); }

std::string PublicPemOf(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(bio, key);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<std::size_t>(n));
  BIO_free(bio);
  return pem;
}

std::string IdOf(EVP_PKEY* key) { return "x" + events::Sha256Hex(PublicPemOf(key)).substr(0, 16); }

Result<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(Code::kUnavailable, "cannot read " + path.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Writes `text` to `path` with `mode` unless the file exists: through a
// temporary file and link(2), so that two processes starting at once keep
// one key.
Status WriteNew(const fs::path& path, const std::string& text, mode_t mode) {
  const fs::path tmp = path.string() + ".tmp" + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return Fail(Code::kUnavailable, "cannot create " + tmp.string());
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                  ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || (::link(tmp.c_str(), path.c_str()) != 0 && errno != EEXIST)) {
    ::unlink(tmp.c_str());
    return Fail(Code::kUnavailable, "cannot write " + path.string());
  }
  ::unlink(tmp.c_str());
  return {};
}

}  // namespace

fs::path ExchangeKeyPath(const fs::path& attachments_dir) {
  return attachments_dir.parent_path() / "keys" / "exchange-log.pem";
}

Result<ExchangeKey> ExchangeKey::LoadOrCreate(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    fs::create_directories(path.parent_path(), ec);
    fs::permissions(path.parent_path(), fs::perms::owner_all, ec);
    EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
    if (key == nullptr) return Fail(Code::kInternal, "cannot make an Ed25519 key");
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    const std::string pem(data, static_cast<std::size_t>(n));
    BIO_free(bio);
    const std::string pub = PublicPemOf(key);
    EVP_PKEY_free(key);
    MOTCUA_TRY_VOID(WriteNew(path, pem, 0600));
    fs::path pub_path = path;
    pub_path.replace_extension(".pub.pem");
    MOTCUA_TRY_VOID(WriteNew(pub_path, pub, 0644));
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0)
    return Fail(Error{Code::kFailedPrecondition,
                      path.string() + " may be read by other users: chmod 600 it",
                      {{"exchange_key", "readable by others"}}});
  auto pem = MOTCUA_TRY(ReadFile(path));
  return FromPrivatePem(pem, path);
}

Result<ExchangeKey> ExchangeKey::FromPrivatePem(const std::string& pem, const fs::path& path) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (key == nullptr || EVP_PKEY_get_base_id(key) != EVP_PKEY_ED25519) {
    EVP_PKEY_free(key);
    return Fail(Error{Code::kFailedPrecondition,
                      path.string() + " holds no Ed25519 private key",
                      {{"exchange_key", "not an Ed25519 key"}}});
  }
  ExchangeKey k = MOTCUA_TRY(ExchangeKey::FromPublicPem(PublicPemOf(key)));
  k.key_ = std::shared_ptr<void>(key, Free{});
  k.can_sign_ = true;
  return k;
}

Result<ExchangeKey> ExchangeKey::FromPublicPem(std::string_view pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* key = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (key == nullptr || EVP_PKEY_get_base_id(key) != EVP_PKEY_ED25519) {
    EVP_PKEY_free(key);
    return Fail(Error{
        Code::kInvalidArgument, "not an Ed25519 public key", {{"exchange_key", "not Ed25519"}}});
  }
  ExchangeKey k;
  k.key_ = std::shared_ptr<void>(key, Free{});
  k.id_ = IdOf(key);
  return k;
}

Result<ExchangeKey> ExchangeKey::PublicOf(const fs::path& path) {
  fs::path pub_path = path;
  pub_path.replace_extension(".pub.pem");
  std::error_code ec;
  if (fs::exists(pub_path, ec)) return FromPublicPem(MOTCUA_TRY(ReadFile(pub_path)));
  if (!fs::exists(path, ec))
    return Fail(Error{Code::kFailedPrecondition,
                      "no exchange key at " + path.string() + " (nor " + pub_path.string() + ")",
                      {{"exchange_key", "missing"}}});
  auto pem = MOTCUA_TRY(ReadFile(path));
  auto k = MOTCUA_TRY(FromPrivatePem(pem, path));
  k.can_sign_ = false;
  return k;
}

std::string ExchangeKey::Sign(std::string_view message) const {
  MOTCUA_CHECK(can_sign_);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  unsigned char sig[64];
  std::size_t n = sizeof sig;
  const bool ok =
      EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, Raw(key_)) == 1 &&
      EVP_DigestSign(ctx, sig, &n, reinterpret_cast<const unsigned char*>(message.data()),
                     message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  MOTCUA_CHECK(ok);
  return files::EncodeBase64(std::string_view(reinterpret_cast<const char*>(sig), n));
}

bool ExchangeKey::Verify(std::string_view message, std::string_view signature_base64) const {
  auto sig = files::DecodeBase64(signature_base64);
  if (!sig || sig->size() != 64) return false;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok =
      EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, Raw(key_)) == 1 &&
      EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(sig->data()), sig->size(),
                       reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

std::string ExchangeKey::PublicPem() const { return PublicPemOf(Raw(key_)); }

namespace {

constexpr std::size_t kKeptResponse = 2000;

std::string CutUtf8(std::string_view s) {
  if (s.size() <= kKeptResponse) return std::string(s);
  std::size_t n = kKeptResponse;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return std::string(s.substr(0, n));
}

// The fields a hash covers, as stored, in a fixed order.
struct Stored {
  std::int64_t seq = 0;
  std::string at, direction, partner, operation, message_key;
  std::optional<std::int64_t> outbox_id, dossier_id;
  std::string request_sha256;
  std::int64_t request_bytes = 0, status = 0;
  std::string response_sha256, response, outcome;
  std::int64_t duration_micros = 0;
};

std::string HashOf(const std::string& prev_hash, const Stored& s) {
  std::string canonical;
  JsonWriter w(canonical);
  w.Array()
      .Int(s.seq)
      .String(s.at)
      .String(s.direction)
      .String(s.partner)
      .String(s.operation)
      .String(s.message_key)
      .Int(s.outbox_id)
      .Int(s.dossier_id)
      .String(s.request_sha256)
      .Int(s.request_bytes)
      .Int(s.status)
      .String(s.response_sha256)
      .String(s.response)
      .String(s.outcome)
      .Int(s.duration_micros)
      .End();
  return events::Sha256Hex(prev_hash + "\n" + canonical);
}

Value Opt(const std::optional<std::int64_t>& v) { return v ? Value(*v) : Value(Null{}); }

constexpr std::string_view kColumns =
    "seq, at, direction, partner, operation, message_key, outbox_id, dossier_id, request_sha256, "
    "request_bytes, status, response_sha256, response, outcome, duration_micros, prev_hash, hash, "
    "signature";

}  // namespace

Result<std::int64_t> AppendExchange(storage::Tx& tx, const ExchangeKey& key,
                                    const ExchangeEntry& e) {
  auto last = MOTCUA_TRY(tx.Query("SELECT seq, hash FROM exchange_log ORDER BY seq DESC LIMIT 1"));
  Stored s;
  std::string prev(events::kGenesisHash);
  if (!last.empty()) {
    s.seq = last[0].Int(0);
    prev = last[0].Text(1);
  }
  s.seq += 1;
  s.at = FormatTime(e.at);
  s.direction = e.direction;
  s.partner = e.partner;
  s.operation = e.operation;
  s.message_key = e.message_key;
  s.outbox_id = e.outbox_id;
  s.dossier_id = e.dossier_id;
  s.request_sha256 = events::Sha256Hex(e.request);
  s.request_bytes = static_cast<std::int64_t>(e.request.size());
  s.status = e.status;
  s.response_sha256 = events::Sha256Hex(e.response);
  s.response = CutUtf8(e.response);
  s.outcome = e.outcome;
  s.duration_micros = e.duration_micros;
  const std::string hash = HashOf(prev, s);
  MOTCUA_TRY_VOID(tx.Send(
      "INSERT INTO exchange_log (" + std::string(kColumns) +
          ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, "
          "$18)",
      {s.seq, s.at, s.direction, s.partner, s.operation, s.message_key, Opt(s.outbox_id),
       Opt(s.dossier_id), s.request_sha256, s.request_bytes, s.status, s.response_sha256,
       s.response, s.outcome, s.duration_micros, prev, hash, key.Sign(hash)},
      {.rows = 1}));
  return s.seq;
}

Result<ExchangeVerifyReport> VerifyExchangeLog(storage::Store& store, const ExchangeKey& key,
                                               int batch) {
  ExchangeVerifyReport report;
  report.last_hash = std::string(events::kGenesisHash);
  for (;;) {
    storage::Rows rows;
    MOTCUA_TRY_VOID(store.Read([&](storage::Tx& tx) -> Status {
      rows = MOTCUA_TRY(tx.Query("SELECT " + std::string(kColumns) +
                                     " FROM exchange_log WHERE seq > $1 ORDER BY seq LIMIT $2",
                                 {report.last_seq, std::int64_t{batch}}));
      return {};
    }));
    if (rows.empty()) return report;
    for (const storage::Row& r : rows) {
      Stored s;
      s.seq = r.Int(0);
      s.at = r.Text(1);
      s.direction = r.Text(2);
      s.partner = r.Text(3);
      s.operation = r.Text(4);
      s.message_key = r.Text(5);
      s.outbox_id = r.OptInt(6);
      s.dossier_id = r.OptInt(7);
      s.request_sha256 = r.Text(8);
      s.request_bytes = r.Int(9);
      s.status = r.Int(10);
      s.response_sha256 = r.Text(11);
      s.response = r.Text(12);
      s.outcome = r.Text(13);
      s.duration_micros = r.Int(14);
      const std::string& prev = r.Text(15);
      const std::string& hash = r.Text(16);
      auto broken = [&](std::string reason) {
        report.broken = ExchangeVerifyReport::Break{s.seq, std::move(reason)};
        return report;
      };
      if (s.seq != report.last_seq + 1)
        return broken("entry " + std::to_string(report.last_seq + 1) + " is missing");
      if (prev != report.last_hash) return broken("its previous hash is not the entry before's");
      if (HashOf(prev, s) != hash) return broken("its hash does not match its fields");
      if (!key.Verify(hash, r.Text(17)))
        return broken("its signature does not verify with key " + key.id());
      report.entries += 1;
      report.last_seq = s.seq;
      report.last_hash = hash;
    }
  }
}

}  // namespace motcua::integrations
