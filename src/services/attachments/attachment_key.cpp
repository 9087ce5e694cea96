#include "services/attachments/attachment_key.hpp"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "services/accounts/secrets.hpp"

namespace motcua::attachments {
namespace {

std::string Errno(const std::filesystem::path& path) {
  return path.string() + ": " + std::strerror(errno);
}

AttachmentKey FromBytes(const unsigned char* bytes) {
  AttachmentKey key;
  std::memcpy(key.bytes.data(), bytes, kKeyBytes);
  key.id =
      "k" + accounts::Sha256Hex(std::string_view(reinterpret_cast<const char*>(bytes), kKeyBytes))
                .substr(0, 16);
  return key;
}

std::string ToBase64(const AttachmentKey& key) {
  // 4 characters per 3 bytes, rounded up, and the NUL EVP_EncodeBlock adds.
  std::vector<unsigned char> out((kKeyBytes + 2) / 3 * 4 + 1);
  const int n = EVP_EncodeBlock(out.data(), key.bytes.data(), static_cast<int>(kKeyBytes));
  std::string text(reinterpret_cast<const char*>(out.data()), static_cast<std::size_t>(n));
  OPENSSL_cleanse(out.data(), out.size());
  return text;
}

Status FsyncDirectory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Fail(Code::kUnavailable, "cannot open " + Errno(dir));
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return Fail(Code::kUnavailable, "cannot sync " + Errno(dir));
  return {};
}

Result<AttachmentKey> ReadKeyFile(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return Fail(Code::kUnavailable, "cannot read " + Errno(path));
  if ((st.st_mode & 077) != 0) {
    return Fail(Code::kFailedPrecondition, "the attachment key file " + path.string() +
                                               " can be read by other users; run chmod 600 on it");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(Code::kUnavailable, "cannot read " + Errno(path));
  std::ostringstream text;
  text << in.rdbuf();
  std::string content = text.str();
  auto key = KeyFromBase64(content, path.string());
  OPENSSL_cleanse(content.data(), content.size());
  if (!key) return Fail(Code::kFailedPrecondition, key.error().message);
  return key;
}

// Writes a new key to a private temporary file, then links it to `path`:
// link() fails if `path` exists, so the file appears whole and only once,
// even when two processes start together.
Result<AttachmentKey> CreateKeyFile(const std::filesystem::path& path) {
  std::array<unsigned char, kKeyBytes> raw{};
  if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1) {
    return Fail(Code::kUnavailable, "the random number generator failed");
  }
  AttachmentKey key = FromBytes(raw.data());
  OPENSSL_cleanse(raw.data(), raw.size());
  std::string text = ToBase64(key) + "\n";
  const std::filesystem::path temp = path.string() + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Fail(Code::kUnavailable, "cannot create " + Errno(temp));
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                       ::fsync(fd) == 0;
  ::close(fd);
  OPENSSL_cleanse(text.data(), text.size());
  if (!written) {
    ::unlink(temp.c_str());
    return Fail(Code::kUnavailable, "cannot write " + Errno(temp));
  }
  const int linked = ::link(temp.c_str(), path.c_str());
  const int link_errno = errno;
  ::unlink(temp.c_str());
  if (linked != 0) {
    if (link_errno == EEXIST) return ReadKeyFile(path);
    errno = link_errno;
    return Fail(Code::kUnavailable, "cannot create " + Errno(path));
  }
  MOTCUA_TRY_VOID(FsyncDirectory(path.parent_path()));
  return key;
}

}  // namespace

Result<AttachmentKey> KeyFromBase64(std::string_view text, std::string_view source) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  // Base64 of 32 bytes is 44 characters with one '=' of padding.
  constexpr std::size_t kLength = (kKeyBytes + 2) / 3 * 4;
  if (text.size() != kLength || text.back() != '=' || text[kLength - 2] == '=') {
    return InvalidField(std::string(source),
                        "must be base64 of 32 random bytes (openssl rand -base64 32)");
  }
  std::array<unsigned char, kLength> decoded{};
  const int n = EVP_DecodeBlock(decoded.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  // EVP_DecodeBlock counts the padding as zero bytes: 33 for 32 bytes and one '='.
  if (n != static_cast<int>(kKeyBytes) + 1) {
    OPENSSL_cleanse(decoded.data(), decoded.size());
    return InvalidField(std::string(source),
                        "must be base64 of 32 random bytes (openssl rand -base64 32)");
  }
  AttachmentKey key = FromBytes(decoded.data());
  OPENSSL_cleanse(decoded.data(), decoded.size());
  return key;
}

std::filesystem::path KeyFilePath(const std::filesystem::path& attachments_dir) {
  return (attachments_dir / "..").lexically_normal() / "keys" / "attachments.key";
}

Result<AttachmentKey> LoadOrCreateKeyFile(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return ReadKeyFile(path);
  const std::filesystem::path dir = path.parent_path();
  if (!std::filesystem::exists(dir, ec)) {
    std::filesystem::create_directories(dir, ec);
    if (ec) return Fail(Code::kUnavailable, "cannot create " + dir.string() + ": " + ec.message());
    // Only the service's own user may even list the folder of keys.
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
    if (ec)
      return Fail(Code::kUnavailable, "cannot restrict " + dir.string() + ": " + ec.message());
    MOTCUA_TRY_VOID(FsyncDirectory(dir.parent_path().empty() ? "." : dir.parent_path()));
  }
  return CreateKeyFile(path);
}

Result<AttachmentKey> LoadAttachmentKey(const std::filesystem::path& attachments_dir,
                                        const char* environment_value) {
  if (environment_value != nullptr) {
    return KeyFromBase64(environment_value, kKeyEnvironmentVariable);
  }
  return LoadOrCreateKeyFile(KeyFilePath(attachments_dir));
}

Result<AttachmentKey> LoadExistingAttachmentKey(const std::filesystem::path& attachments_dir,
                                                const char* environment_value) {
  if (environment_value != nullptr)
    return KeyFromBase64(environment_value, kKeyEnvironmentVariable);
  const std::filesystem::path path = KeyFilePath(attachments_dir);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return Fail(Error{Code::kFailedPrecondition, "no attachment key", {}}.With(
        "key", "no file " + path.string() + " and " + std::string(kKeyEnvironmentVariable) +
                   " is not set: put the key kept apart from the files there"));
  }
  return ReadKeyFile(path);
}

}  // namespace motcua::attachments
