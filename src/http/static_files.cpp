#include "http/static_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>

#include "common/log.hpp"
#include "http/internal/text.hpp"

namespace motcua::http {
namespace {

namespace fs = std::filesystem;

// The front end's largest bundle is well under this; anything bigger in the
// web root is a mistake we would rather not read into memory per request.
constexpr off_t kMaxFileBytes = 32 * 1024 * 1024;

struct ContentType {
  std::string_view extension;
  std::string_view type;
};

constexpr ContentType kContentTypes[] = {
    {".html", "text/html; charset=utf-8"},
    {".htm", "text/html; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".json", "application/json"},
    {".map", "application/json"},
    {".webmanifest", "application/manifest+json"},
    {".txt", "text/plain; charset=utf-8"},
    {".xml", "application/xml"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".jpeg", "image/jpeg"},
    {".gif", "image/gif"},
    {".webp", "image/webp"},
    {".avif", "image/avif"},
    {".ico", "image/x-icon"},
    {".woff", "font/woff"},
    {".woff2", "font/woff2"},
    {".ttf", "font/ttf"},
    {".pdf", "application/pdf"},
    {".wasm", "application/wasm"},
};

std::string_view Extension(std::string_view path) {
  std::size_t slash = path.rfind('/');
  std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  std::size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return {};
  return name.substr(dot);
}

std::string_view ContentTypeFor(std::string_view path) {
  std::string ext = internal::AsciiLower(Extension(path));
  for (const ContentType& c : kContentTypes) {
    if (c.extension == ext) return c.type;
  }
  return "application/octet-stream";
}

bool KnownType(std::string_view path) {
  std::string ext = internal::AsciiLower(Extension(path));
  if (ext.empty()) return false;
  return std::any_of(std::begin(kContentTypes), std::end(kContentTypes),
                     [&](const ContentType& c) { return c.extension == ext; });
}

// Names of files no page has: editors' and archivers' leftovers, which
// scanners ask for ("/tra-cuu.bak", "/tra-cuu~"). None is ever served; they
// get a 404 rather than an app's page, which would answer 200 to a guess.
bool LeftoverName(std::string_view path) {
  if (path.ends_with("~")) return true;
  static constexpr std::string_view kLeftovers[] = {
      ".bak", ".backup", ".bck", ".old", ".orig",   ".save", ".swp",  ".tmp",
      ".zip", ".rar",    ".tar", ".gz",  ".tgz",    ".bz2",  ".tbz2", ".xz",
      ".7z",  ".7zip",   ".sql", ".db",  ".sqlite", ".key",  ".pem"};
  std::string ext = internal::AsciiLower(Extension(path));
  return std::find(std::begin(kLeftovers), std::end(kLeftovers), ext) != std::end(kLeftovers);
}

bool AcceptsGzip(const Request& req) {
  auto header = req.Header("accept-encoding");
  if (!header) return false;
  std::string_view rest = *header;
  while (!rest.empty()) {
    std::size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    std::size_t semi = item.find(';');
    if (!internal::EqualsIgnoreCase(internal::TrimAscii(item.substr(0, semi)), "gzip")) continue;
    if (semi == std::string_view::npos) return true;
    std::string_view param = internal::TrimAscii(item.substr(semi + 1));
    // "gzip;q=0" means "not gzip"; any other weight means yes.
    return !(param == "q=0" || param == "q=0.0" || param == "q=0.00" || param == "q=0.000");
  }
  return false;
}

class FileServer {
 public:
  FileServer(std::string root_dir, std::string index) : index_(std::move(index)) {
    std::error_code ec;
    root_ = fs::canonical(root_dir, ec);
    if (ec) {
      log::Error("static files root does not exist", {{"root", root_dir}, {"error", ec.message()}});
      root_ = fs::path(root_dir);
    }
  }

  void Serve(Request& req, Responder respond) const {
    if (req.method != "GET" && req.method != "HEAD") {
      Response res = ErrorResponse(405, Error{Code::kInvalidArgument,
                                              "only GET and HEAD are allowed here",
                                              {{"method", "must be GET or HEAD"}}});
      res.SetHeader("allow", "GET, HEAD");
      respond(std::move(res));
      return;
    }
    std::optional<std::string> relative = Relative(req.path);
    if (!relative) {
      respond(NotFound());
      return;
    }
    bool gzip = AcceptsGzip(req);
    if (auto res = TryFile(*relative, req.path, gzip, req)) {
      respond(std::move(*res));
      return;
    }
    // Single-page apps: "/can-bo/ho-so/12" is a route of the app whose page
    // is the nearest index up the path (can-bo/index.html), else the root's.
    // A missing file of a known type ("/assets/old-123.js") stays a 404;
    // other dots are part of a page's address ("/thu-tuc/1.000894.000.00.00.H56"),
    // except a leftover's name ("/tra-cuu.bak").
    bool api = req.path == "/api" || req.path.starts_with("/api/");
    if (!api && !KnownType(req.path) && !LeftoverName(req.path)) {
      std::string dir = *relative;
      while (true) {
        std::size_t slash = dir.rfind('/');
        dir = slash == std::string::npos ? std::string() : dir.substr(0, slash);
        std::string candidate = dir.empty() ? index_ : dir + "/" + index_;
        if (auto res = TryFile(candidate, "/" + candidate, gzip, req)) {
          respond(std::move(*res));
          return;
        }
        if (dir.empty()) break;
      }
    }
    respond(NotFound());
  }

 private:
  static Response NotFound() { return ErrorResponse(Error{Code::kNotFound, "no such file", {}}); }

  // The path below root, or nullopt for anything that could point elsewhere.
  std::optional<std::string> Relative(std::string_view path) const {
    if (path.empty() || path.front() != '/') return std::nullopt;
    std::string out;
    std::string_view rest = path.substr(1);
    while (!rest.empty()) {
      std::size_t slash = rest.find('/');
      std::string_view segment = rest.substr(0, slash);
      rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
      if (segment.empty()) continue;
      if (segment.front() == '.') return std::nullopt;  // ".", "..", dotfiles
      if (segment.find_first_of(std::string_view("\\\0", 2)) != std::string_view::npos)
        return std::nullopt;
      if (!out.empty()) out += '/';
      out += segment;
    }
    if (out.empty() || path.back() == '/') out += out.empty() ? index_ : "/" + index_;
    return out;
  }

  // `url_path` decides caching; `relative` is the file below root.
  std::optional<Response> TryFile(const std::string& relative, std::string_view url_path, bool gzip,
                                  const Request& req) const {
    std::string served = relative;
    if (!Exists(served)) {
      // A directory named without a trailing slash: serve its index.
      std::error_code ec;
      if (!fs::is_directory(root_ / relative, ec)) return std::nullopt;
      served = relative + "/" + index_;
      if (!Exists(served)) return std::nullopt;
    }
    std::string_view type = ContentTypeFor(served);
    std::optional<FileData> file;
    bool has_gz_variant = false;
    if (gzip) {
      file = Read(served + ".gz");
      has_gz_variant = file.has_value();
    } else {
      has_gz_variant = Exists(served + ".gz");
    }
    if (!file) file = Read(served);
    if (!file) return std::nullopt;
    const bool gzipped = gzip && has_gz_variant;
    // A weak validator is enough: size and modification time of the file
    // sent, and which encoding it is.
    std::string etag = "W/\"" + file->version + (gzipped ? "-gz" : "") + "\"";
    Response res;
    if (Matches(req.Header("if-none-match"), etag)) {
      res.status = 304;
    } else {
      res.headers.emplace_back("content-type", std::string(type));
      if (gzipped) res.headers.emplace_back("content-encoding", "gzip");
      res.body = std::move(file->body);
    }
    res.headers.emplace_back("etag", etag);
    // Caches must keep the two encodings apart.
    if (has_gz_variant) res.headers.emplace_back("vary", "Accept-Encoding");
    res.headers.emplace_back("cache-control", std::string(CacheControl(url_path, type)));
    // A page with inline code carries its own policy, written by the build
    // beside it (FILE.csp: the hashes of exactly the code it may run).
    if (type.starts_with("text/html")) {
      if (auto csp = Read(served + ".csp")) {
        std::string policy(internal::TrimAscii(csp->body));
        if (!policy.empty() && policy.find_first_of("\r\n") == std::string::npos) {
          res.headers.emplace_back("content-security-policy", std::move(policy));
        }
      }
    }
    return res;
  }

  // If-None-Match: "*" or a list of tags; weak comparison (RFC 9110 13.1.2).
  static bool Matches(std::optional<std::string_view> header, std::string_view etag) {
    if (!header) return false;
    auto opaque = [](std::string_view tag) {
      tag = internal::TrimAscii(tag);
      if (tag.starts_with("W/")) tag.remove_prefix(2);
      return tag;
    };
    std::string_view rest = *header;
    while (!rest.empty()) {
      std::size_t comma = rest.find(',');
      std::string_view item = internal::TrimAscii(rest.substr(0, comma));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      if (item == "*" || opaque(item) == opaque(etag)) return true;
    }
    return false;
  }

  static std::string_view CacheControl(std::string_view url_path, std::string_view type) {
    if (type.starts_with("text/html")) return "no-cache";
    if (url_path.starts_with("/assets/")) return "public, max-age=31536000, immutable";
    return "public, max-age=3600";
  }

  // The canonical path of `relative` if it is a regular file under root.
  std::optional<fs::path> Resolve(const std::string& relative) const {
    std::error_code ec;
    fs::path resolved = fs::canonical(root_ / relative, ec);
    if (ec) return std::nullopt;
    // Symlinks may point anywhere; only targets under root are served.
    auto [root_end, ignored] =
        std::mismatch(root_.begin(), root_.end(), resolved.begin(), resolved.end());
    if (root_end != root_.end()) return std::nullopt;
    if (!fs::is_regular_file(resolved, ec)) return std::nullopt;
    return resolved;
  }

  bool Exists(const std::string& relative) const { return Resolve(relative).has_value(); }

  struct FileData {
    std::string body;
    std::string version;  // size and modification time, in hex
  };

  std::optional<FileData> Read(const std::string& relative) const {
    std::optional<fs::path> path = Resolve(relative);
    if (!path) return std::nullopt;
    // O_NOFOLLOW: the canonical path has no symlinks left; if one appeared
    // since, refuse rather than follow it.
    int fd = ::open(path->c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return std::nullopt;
    std::unique_ptr<int, void (*)(int*)> closer(&fd, [](int* f) { ::close(*f); });
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > kMaxFileBytes)
      return std::nullopt;
    std::string data(static_cast<std::size_t>(st.st_size), '\0');
    std::size_t done = 0;
    while (done < data.size()) {
      ssize_t n = ::read(fd, data.data() + done, data.size() - done);
      if (n <= 0) return std::nullopt;
      done += static_cast<std::size_t>(n);
    }
    const auto mtime_ns = static_cast<unsigned long long>(st.st_mtim.tv_sec) * 1'000'000'000ULL +
                          static_cast<unsigned long long>(st.st_mtim.tv_nsec);
    char version[48];
    std::snprintf(version, sizeof version, "%llx-%llx", static_cast<unsigned long long>(st.st_size),
                  mtime_ns);
    return FileData{std::move(data), version};
  }

  fs::path root_;
  std::string index_;
};

}  // namespace

Handler StaticFiles(std::string root_dir, std::string index) {
  auto server = std::make_shared<const FileServer>(std::move(root_dir), std::move(index));
  return [server](Request& req, Responder respond) { server->Serve(req, std::move(respond)); };
}

}  // namespace motcua::http
