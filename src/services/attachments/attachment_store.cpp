#include "services/attachments/attachment_store.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include "common/log.hpp"
#include "core/files/content_type.hpp"
#include "core/files/file_name.hpp"
#include "services/accounts/secrets.hpp"
#include "storage/attachments_repo.hpp"

namespace motcua::attachments {
namespace {

namespace repo = storage::attachments;

// The sealed file: a format tag (so a future format can be told apart), the
// nonce, the ciphertext, the tag.
constexpr std::string_view kMagic = "MCA1";
// 96 bits: the nonce size GCM is defined for (NIST SP 800-38D); random nonces
// are safe for far more than 2^32 files under one key at this size.
constexpr std::size_t kNonceBytes = 12;
constexpr std::size_t kTagBytes = 16;
constexpr std::size_t kIdBytes = 16;  // 128 random bits: unguessable, no collisions in practice

std::string Hex(const unsigned char* bytes, std::size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * n);
  for (std::size_t i = 0; i < n; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 0xF];
  }
  return out;
}

bool IsAttachmentId(std::string_view id) {
  if (id.size() != 2 * kIdBytes) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// Binds the sealed bytes to this use and this id.
std::string AssociatedData(std::string_view id) {
  return std::string(kMagic) + " motcua attachment " + std::string(id);
}

struct CipherDeleter {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using Cipher = std::unique_ptr<EVP_CIPHER_CTX, CipherDeleter>;

const unsigned char* U(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
unsigned char* U(std::string& s, std::size_t at) {
  return reinterpret_cast<unsigned char*>(s.data() + at);
}

Result<std::string> Seal(const AttachmentKey& key, std::string_view id, std::string_view plain) {
  std::string out(kMagic.size() + kNonceBytes + plain.size() + kTagBytes, '\0');
  std::memcpy(out.data(), kMagic.data(), kMagic.size());
  unsigned char* nonce = U(out, kMagic.size());
  if (RAND_bytes(nonce, kNonceBytes) != 1)
    return Fail(Code::kUnavailable, "the random number generator failed");
  const std::string aad = AssociatedData(id);
  Cipher ctx(EVP_CIPHER_CTX_new());
  int n = 0;
  const std::size_t body = kMagic.size() + kNonceBytes;
  bool ok =
      ctx &&
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.bytes.data(), nonce) == 1 &&
      EVP_EncryptUpdate(ctx.get(), nullptr, &n, U(aad), static_cast<int>(aad.size())) == 1 &&
      EVP_EncryptUpdate(ctx.get(), U(out, body), &n, U(plain), static_cast<int>(plain.size())) == 1;
  int final_n = 0;
  ok = ok &&
       EVP_EncryptFinal_ex(ctx.get(), U(out, body + static_cast<std::size_t>(n)), &final_n) == 1 &&
       static_cast<std::size_t>(n + final_n) == plain.size() &&
       EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes,
                           U(out, body + plain.size())) == 1;
  if (!ok) return Fail(Code::kInternal, "AES-256-GCM encryption failed");
  return out;
}

// The plaintext, or nullopt if `sealed` is not a file sealed under this key
// and id (wrong format, changed bytes, another id's file).
std::optional<std::string> Unseal(const AttachmentKey& key, std::string_view id,
                                  std::string_view sealed) {
  if (sealed.size() < kMagic.size() + kNonceBytes + kTagBytes || !sealed.starts_with(kMagic)) {
    return std::nullopt;
  }
  const std::string_view nonce = sealed.substr(kMagic.size(), kNonceBytes);
  const std::string_view cipher = sealed.substr(
      kMagic.size() + kNonceBytes, sealed.size() - kMagic.size() - kNonceBytes - kTagBytes);
  std::string tag(sealed.substr(sealed.size() - kTagBytes));
  const std::string aad = AssociatedData(id);
  std::string plain(cipher.size(), '\0');
  Cipher ctx(EVP_CIPHER_CTX_new());
  int n = 0;
  int final_n = 0;
  const bool ok =
      ctx &&
      EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.bytes.data(), U(nonce)) == 1 &&
      EVP_DecryptUpdate(ctx.get(), nullptr, &n, U(aad), static_cast<int>(aad.size())) == 1 &&
      EVP_DecryptUpdate(ctx.get(), U(plain, 0), &n, U(cipher), static_cast<int>(cipher.size())) ==
          1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, U(tag, 0)) == 1 &&
      EVP_DecryptFinal_ex(ctx.get(), U(plain, static_cast<std::size_t>(n)), &final_n) == 1;
  if (!ok) return std::nullopt;
  return plain;
}

std::string Errno(const std::filesystem::path& path) {
  return path.string() + ": " + std::strerror(errno);
}

Status FsyncPath(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Fail(Code::kUnavailable, "cannot open " + Errno(path));
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return Fail(Code::kUnavailable, "cannot sync " + Errno(path));
  return {};
}

// Creates `dir` if missing and makes its entry durable in its parent.
Status EnsureDirectory(const std::filesystem::path& dir) {
  if (::mkdir(dir.c_str(), 0700) == 0) {
    return FsyncPath(dir.parent_path().empty() ? std::filesystem::path(".") : dir.parent_path());
  }
  if (errno == EEXIST) return {};
  return Fail(Code::kUnavailable, "cannot create " + Errno(dir));
}

Result<std::optional<std::string>> ReadWholeFile(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::optional<std::string>();
    return Fail(Code::kUnavailable, "cannot open " + Errno(path));
  }
  struct stat st {};
  std::string out;
  if (::fstat(fd, &st) == 0) out.reserve(static_cast<std::size_t>(st.st_size));
  char buffer[64 * 1024];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      return Fail(Code::kUnavailable, "cannot read " + Errno(path));
    }
    out.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return std::optional<std::string>(std::move(out));
}

AttachmentInfo ToInfo(const repo::AttachmentRow& r) {
  return {r.id,   r.owner_user_id, r.dossier_id,    r.component_code, r.sha256,
          r.size, r.media_type,    r.original_name, r.key_id,         r.created_at};
}

// "8 MiB" for the limits as configured; exact bytes for any other size.
std::string SizeText(std::int64_t bytes) {
  constexpr std::int64_t kMiB = 1024 * 1024;
  if (bytes % kMiB == 0) return std::to_string(bytes / kMiB) + " MiB";
  return std::to_string(bytes) + " bytes";
}

Status CheckQuota(const repo::StagedUsage& used, std::size_t size, const Limits& limits) {
  if (used.files + 1 > limits.max_staged_files) {
    return Fail(Error{
        Code::kResourceExhausted,
        "you have " + std::to_string(used.files) +
            " uploaded files not yet in a dossier, the most allowed; submit your "
            "dossier or delete files you no longer need",
        {}}.With("quota", "at most " + std::to_string(limits.max_staged_files) + " files"));
  }
  if (used.bytes + static_cast<std::int64_t>(size) > limits.max_staged_bytes) {
    return Fail(Error{
        Code::kResourceExhausted,
        "this file would take your uploaded files not yet in a dossier over " +
            SizeText(limits.max_staged_bytes) +
            "; submit your dossier or delete files you no longer need",
        {}}.With("quota", "at most " + SizeText(limits.max_staged_bytes)));
  }
  return {};
}

std::unexpected<Error> NoSuchAttachment(std::string_view id) {
  return Fail(Code::kNotFound, "no attachment " + std::string(id));
}

std::unexpected<Error> Damaged(std::string_view id, std::string_view why) {
  return Fail(Code::kInternal,
              "attachment " + std::string(id) + " is damaged: " + std::string(why));
}

Status CheckId(std::string_view id) {
  if (!IsAttachmentId(id)) return InvalidField("id", "must be 32 lower-case hex digits");
  return {};
}

}  // namespace

AttachmentStore::AttachmentStore(storage::Store& store, const Clock& clock,
                                 std::filesystem::path dir, AttachmentKey key, Limits limits,
                                 DossierAccess dossier_access)
    : store_(store),
      clock_(clock),
      dir_(std::move(dir)),
      key_(std::move(key)),
      limits_(limits),
      dossier_access_(std::move(dossier_access)) {}

std::filesystem::path AttachmentStore::PathOf(std::string_view id) const {
  return dir_ / std::string(id.substr(0, 2)) / std::string(id.substr(2, 2)) / std::string(id);
}

Status AttachmentStore::WriteDurably(const std::string& id, const std::string& sealed) const {
  std::error_code ec;
  if (!dir_.parent_path().empty()) std::filesystem::create_directories(dir_.parent_path(), ec);
  if (ec) return Fail(Code::kUnavailable, "cannot create " + dir_.string() + ": " + ec.message());
  MOTCUA_TRY_VOID(EnsureDirectory(dir_));
  const std::filesystem::path path = PathOf(id);
  MOTCUA_TRY_VOID(EnsureDirectory(path.parent_path().parent_path()));
  MOTCUA_TRY_VOID(EnsureDirectory(path.parent_path()));
  const std::filesystem::path temp = path.parent_path() / ("." + id + ".tmp");
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Fail(Code::kUnavailable, "cannot create " + Errno(temp));
  std::size_t done = 0;
  while (done < sealed.size()) {
    const ssize_t n = ::write(fd, sealed.data() + done, sealed.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  const bool written = done == sealed.size() && ::fsync(fd) == 0;
  const int write_errno = errno;
  ::close(fd);
  if (!written) {
    ::unlink(temp.c_str());
    errno = write_errno;
    return Fail(Code::kUnavailable, "cannot write " + Errno(temp));
  }
  // link() instead of rename(): it refuses to replace an existing file, so
  // even a (practically impossible) id collision cannot overwrite a file.
  const int linked = ::link(temp.c_str(), path.c_str());
  const int link_errno = errno;
  ::unlink(temp.c_str());
  if (linked != 0) {
    errno = link_errno;
    return Fail(Code::kUnavailable, "cannot create " + Errno(path));
  }
  return FsyncPath(path.parent_path());
}

Result<AttachmentInfo> AttachmentStore::Put(std::int64_t owner_user_id, std::string_view bytes,
                                            std::string_view declared_name,
                                            std::string_view declared_type) {
  if (bytes.empty())
    return InvalidField("body", "is empty: send the file's bytes as the request body");
  if (bytes.size() > limits_.max_file_bytes) {
    return Fail(Error{
        Code::kPayloadTooLarge,
        "the file is larger than " + SizeText(static_cast<std::int64_t>(limits_.max_file_bytes)),
        {}}.With("body", "at most " + SizeText(static_cast<std::int64_t>(limits_.max_file_bytes))));
  }
  const files::FileType type = MOTCUA_TRY(files::Sniff(bytes));
  MOTCUA_TRY_VOID(files::CheckDeclaredType(type, declared_type));
  const std::string name =
      files::NameWithExtension(MOTCUA_TRY(files::SanitizeFileName(declared_name)), type);

  // Refuse early, before the work of sealing and syncing, when the owner is
  // already over quota; the check that counts is repeated in the commit.
  MOTCUA_TRY_VOID(store_.Read([&](storage::Tx& tx) -> Status {
    return CheckQuota(MOTCUA_TRY(repo::Staged(tx, owner_user_id)), bytes.size(), limits_);
  }));

  unsigned char raw_id[kIdBytes];
  if (RAND_bytes(raw_id, kIdBytes) != 1)
    return Fail(Code::kUnavailable, "the random number generator failed");
  repo::AttachmentRow row;
  row.id = Hex(raw_id, kIdBytes);
  row.owner_user_id = owner_user_id;
  row.sha256 = accounts::Sha256Hex(bytes);
  row.size = static_cast<std::int64_t>(bytes.size());
  row.media_type = std::string(files::MediaType(type));
  row.original_name = name;
  row.key_id = key_.id;
  row.created_at = clock_.Now();

  MOTCUA_TRY_VOID(WriteDurably(row.id, MOTCUA_TRY(Seal(key_, row.id, bytes))));
  // Inside the writer, uploads of one owner are judged one after the other,
  // so two at once cannot both slip under the quota.
  auto committed = store_.WriteSync([&](storage::Tx& tx) -> Status {
    MOTCUA_TRY_VOID(CheckQuota(MOTCUA_TRY(repo::Staged(tx, owner_user_id)), bytes.size(), limits_));
    return repo::Insert(tx, row);
  });
  if (!committed) {
    std::error_code ec;
    std::filesystem::remove(PathOf(row.id), ec);
    return Fail(std::move(committed.error()));
  }
  return ToInfo(row);
}

Result<AttachmentInfo> AttachmentStore::Load(std::string_view id) {
  MOTCUA_TRY_VOID(CheckId(id));
  std::optional<repo::AttachmentRow> row;
  MOTCUA_TRY_VOID(store_.Read([&](storage::Tx& tx) -> Status {
    row = MOTCUA_TRY(repo::Find(tx, id));
    return {};
  }));
  if (!row) return NoSuchAttachment(id);
  return ToInfo(*row);
}

Status AttachmentStore::Authorize(const accounts::Principal& who, const AttachmentInfo& info,
                                  const audit::ReadContext& context) const {
  if (!info.dossier_id) {
    if (who.user_id == info.owner_user_id) return {};
    return NoSuchAttachment(info.id);
  }
  // A result file (no component): the result service's to give.
  if (!info.component_code) return NoSuchAttachment(info.id);
  if (dossier_access_ && MOTCUA_TRY(dossier_access_(who, *info.dossier_id, context))) return {};
  return NoSuchAttachment(info.id);
}

Result<AttachmentInfo> AttachmentStore::Describe(const accounts::Principal& who,
                                                 std::string_view id,
                                                 const audit::ReadContext& context) {
  AttachmentInfo info = MOTCUA_TRY(Load(id));
  MOTCUA_TRY_VOID(Authorize(who, info, context));
  return info;
}

Result<AttachmentInfo> AttachmentStore::DescribeForService(std::string_view id) { return Load(id); }

Result<Attachment> AttachmentStore::Open(const accounts::Principal& who, std::string_view id,
                                         const audit::ReadContext& context) {
  return Read(MOTCUA_TRY(Describe(who, id, context)));
}

Result<Attachment> AttachmentStore::OpenForService(std::string_view id) {
  return Read(MOTCUA_TRY(Load(id)));
}

Result<Attachment> AttachmentStore::Read(AttachmentInfo info) {
  Attachment out{std::move(info), {}};
  const std::string id = out.info.id;
  if (out.info.key_id != key_.id) {
    return Fail(Code::kInternal, "attachment " + out.info.id + " was encrypted with key " +
                                     out.info.key_id + ", which is not loaded (the loaded key is " +
                                     key_.id + ")");
  }
  auto sealed = MOTCUA_TRY(ReadWholeFile(PathOf(out.info.id)));
  if (!sealed) return Damaged(id, "its file is missing");
  auto plain = Unseal(key_, out.info.id, *sealed);
  if (!plain) return Damaged(id, "the file fails authentication");
  if (static_cast<std::int64_t>(plain->size()) != out.info.size ||
      accounts::Sha256Hex(*plain) != out.info.sha256) {
    return Damaged(id, "the content differs from its recorded SHA-256");
  }
  out.bytes = std::move(*plain);
  return out;
}

Status AttachmentStore::Delete(std::int64_t owner_user_id, std::string_view id) {
  MOTCUA_TRY_VOID(CheckId(id));
  MOTCUA_TRY_VOID(store_.WriteSync([&](storage::Tx& tx) -> Status {
    auto row = MOTCUA_TRY(repo::Find(tx, id));
    if (!row || row->owner_user_id != owner_user_id) return NoSuchAttachment(id);
    if (row->dossier_id) {
      return Fail(
          Code::kFailedPrecondition,
          "attachment " + std::string(id) + " is part of a dossier and can no longer be deleted");
    }
    if (!MOTCUA_TRY(repo::DeleteStaged(tx, id, owner_user_id))) return NoSuchAttachment(id);
    return {};
  }));
  std::error_code ec;
  if (!std::filesystem::remove(PathOf(id), ec) || ec) {
    // The row is gone, so nothing serves the file any more: an orphan costs
    // disk space, not privacy (it stays encrypted). Worth a line in the log.
    log::Warn("attachment file not removed", {{"id", std::string(id)}, {"error", ec.message()}});
  }
  return {};
}

Result<OrphanSweep> AttachmentStore::RemoveOrphans(std::chrono::seconds grace) {
  OrphanSweep sweep;
  std::error_code ec;
  if (!std::filesystem::exists(dir_, ec)) return sweep;  // no file uploaded yet
  const auto cutoff = std::filesystem::file_time_type::clock::now() - grace;
  auto is_hex2 = [](const std::filesystem::path& p) {
    const std::string n = p.filename().string();
    return n.size() == 2 && IsAttachmentId(n + std::string(2 * kIdBytes - 2, '0'));
  };
  auto subfolders = [&](const std::filesystem::path& dir) -> Result<std::vector<std::string>> {
    std::vector<std::string> names;
    std::error_code list_ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, list_ec)) {
      if (entry.is_directory() && is_hex2(entry.path())) names.push_back(entry.path().filename());
    }
    if (list_ec)
      return Fail(Code::kUnavailable, "cannot list " + dir.string() + ": " + list_ec.message());
    return names;
  };
  for (const std::string& first : MOTCUA_TRY(subfolders(dir_))) {
    for (const std::string& second : MOTCUA_TRY(subfolders(dir_ / first))) {
      const std::filesystem::path folder = dir_ / first / second;
      std::vector<std::string> known;
      MOTCUA_TRY_VOID(store_.Read([&](storage::Tx& tx) -> Status {
        known = MOTCUA_TRY(repo::IdsWithPrefix(tx, first + second));
        return {};
      }));
      std::sort(known.begin(), known.end());
      std::error_code list_ec;
      for (const auto& entry : std::filesystem::directory_iterator(folder, list_ec)) {
        const std::string name = entry.path().filename();
        // A file of this layout: an id whose row is missing, or ".<id>.tmp".
        const bool temporary = name.size() == 2 * kIdBytes + 5 && name.front() == '.' &&
                               name.ends_with(".tmp") &&
                               IsAttachmentId(std::string_view(name).substr(1, 2 * kIdBytes));
        const bool rowless =
            IsAttachmentId(name) && !std::binary_search(known.begin(), known.end(), name);
        if (!entry.is_regular_file() || !(temporary || rowless)) continue;
        std::error_code stat_ec;
        const auto written = entry.last_write_time(stat_ec);
        if (stat_ec) continue;  // gone meanwhile
        if (written > cutoff) {
          ++sweep.kept_young;
          continue;
        }
        const std::uintmax_t size = entry.file_size(stat_ec);
        const bool sized = !stat_ec;
        if (std::filesystem::remove(entry.path(), stat_ec)) {
          ++sweep.files;
          if (sized) sweep.bytes += static_cast<std::int64_t>(size);
        }
      }
      if (list_ec)
        return Fail(Code::kUnavailable,
                    "cannot list " + folder.string() + ": " + list_ec.message());
    }
  }
  if (sweep.files > 0)
    log::Info("orphaned attachment files removed",
              {{"files", std::to_string(sweep.files)}, {"bytes", std::to_string(sweep.bytes)}});
  return sweep;
}

Result<FileCheck> AttachmentStore::CheckFiles() {
  FileCheck check;
  std::string after;
  for (;;) {
    std::vector<repo::AttachmentRow> page;
    MOTCUA_TRY_VOID(store_.Read([&](storage::Tx& tx) -> Status {
      page = MOTCUA_TRY(repo::ListAfter(tx, after, 500));
      return {};
    }));
    if (page.empty()) return check;
    after = page.back().id;
    for (auto& row : page) {
      ++check.files;
      auto opened = Read(ToInfo(row));
      if (opened) {
        check.bytes += opened->info.size;
        continue;
      }
      if (opened.error().code == Code::kUnavailable) return Fail(std::move(opened.error()));
      ++check.damaged;
      if (check.problems.size() < 20) check.problems.push_back(opened.error().message);
    }
  }
}

}  // namespace motcua::attachments
