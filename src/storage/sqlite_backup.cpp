#include "storage/sqlite_backup.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>

namespace motcua::storage {
namespace {

struct Closer {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Connection = std::unique_ptr<sqlite3, Closer>;

std::unexpected<Error> Unavailable(const std::string& what, sqlite3* db) {
  return Fail(Code::kUnavailable, what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

Status Fsync(const std::filesystem::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0)
    return Fail(Code::kUnavailable, "cannot open " + path.string() + ": " + std::strerror(errno));
  const int rc = ::fsync(fd);
  const int fsync_errno = errno;
  ::close(fd);
  if (rc != 0)
    return Fail(Code::kUnavailable,
                "cannot sync " + path.string() + ": " + std::strerror(fsync_errno));
  return {};
}

}  // namespace

Result<std::string> FileSha256Hex(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Fail(Code::kUnavailable, "cannot open " + path + ": " + std::strerror(errno));
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  bool ok = ctx && EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) == 1;
  std::string block(1 << 20, '\0');
  while (ok) {
    const ssize_t n = ::read(fd, block.data(), block.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ok = n == 0;
      break;
    }
    ok = EVP_DigestUpdate(ctx.get(), block.data(), static_cast<std::size_t>(n)) == 1;
  }
  const int read_errno = errno;
  ::close(fd);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (!ok || EVP_DigestFinal_ex(ctx.get(), digest, &length) != 1)
    return Fail(Code::kUnavailable, "cannot read " + path + ": " + std::strerror(read_errno));
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xF];
  }
  return out;
}

std::optional<std::string> SqliteFileOf(std::string_view url) {
  constexpr std::string_view kScheme = "sqlite:";
  if (!url.starts_with(kScheme)) return std::nullopt;
  return std::string(url.substr(kScheme.size()));
}

Status BackupSqliteFile(const std::string& from, const std::string& to) {
  std::error_code ec;
  if (std::filesystem::exists(to, ec))
    return InvalidField("to", to + " exists: a backup or restore writes a new file");
  const std::string partial = to + ".partial";
  std::filesystem::remove(partial, ec);  // left by a copy that was cut short

  sqlite3* raw = nullptr;
  // Read-only, and never creating: a mistyped source is an error, not a new
  // empty database copied faithfully.
  int rc = sqlite3_open_v2(from.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  Connection source(raw);
  if (rc != SQLITE_OK) return Unavailable("cannot open " + from, source.get());
  // The server's writer holds its lock for one group commit at a time.
  sqlite3_busy_timeout(source.get(), 10'000);
  raw = nullptr;
  rc = sqlite3_open_v2(partial.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  Connection target(raw);
  if (rc != SQLITE_OK) return Unavailable("cannot create " + partial, target.get());

  sqlite3_backup* backup = sqlite3_backup_init(target.get(), "main", source.get(), "main");
  if (backup == nullptr) return Unavailable("cannot back up " + from, target.get());
  // All pages in one step: one read transaction, so one snapshot, however
  // much the server writes meanwhile (a stepwise copy would start over after
  // each of the server's commits).
  rc = sqlite3_backup_step(backup, -1);
  const int finished = sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE || finished != SQLITE_OK) {
    std::string why = sqlite3_errstr(rc != SQLITE_DONE ? rc : finished);
    target.reset();
    std::filesystem::remove(partial, ec);
    return Fail(Code::kUnavailable, "cannot copy " + from + " to " + partial + ": " + why);
  }
  // Back to a single file: the copy carries the source's WAL mode in its
  // header, and a checkpoint folds what the copy wrote into the main file.
  sqlite3_exec(target.get(), "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
  if (sqlite3_close_v2(target.release()) != SQLITE_OK)
    return Fail(Code::kUnavailable, "cannot close " + partial);
  // Closing the last connection checkpoints and removes the write-ahead log;
  // a log left with content would be lost by the rename below.
  if (std::filesystem::exists(partial + "-wal", ec) &&
      std::filesystem::file_size(partial + "-wal", ec) > 0)
    return Fail(Code::kUnavailable, "the copy " + partial + " kept a write-ahead log");
  std::filesystem::remove(partial + "-wal", ec);
  std::filesystem::remove(partial + "-shm", ec);
  MOTCUA_TRY_VOID(Fsync(partial, O_RDONLY));
  std::filesystem::rename(partial, to, ec);
  if (ec) return Fail(Code::kUnavailable, "cannot rename " + partial + ": " + ec.message());
  const std::filesystem::path folder = std::filesystem::path(to).parent_path();
  return Fsync(folder.empty() ? "." : folder, O_RDONLY | O_DIRECTORY);
}

}  // namespace motcua::storage
