#include "core/files/content_type.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/files/file_name.hpp"

namespace motcua::files {
namespace {

constexpr std::string_view kField = "content-type";
constexpr std::string_view kAccepted = "PDF, JPEG, PNG, WebP, TIFF, DOCX or XLSX";

std::unexpected<Error> Refuse(std::string message) {
  return InvalidField(std::string(kField), std::move(message));
}

bool StartsWith(std::string_view bytes, std::string_view magic) { return bytes.starts_with(magic); }

std::uint32_t Le16(std::string_view b, std::size_t at) {
  return static_cast<unsigned char>(b[at]) | (static_cast<unsigned char>(b[at + 1]) << 8);
}
std::uint32_t Le32(std::string_view b, std::size_t at) {
  return Le16(b, at) | (Le16(b, at + 2) << 16);
}

constexpr std::string_view kLocalHeader("PK\x03\x04", 4);
constexpr std::string_view kCentralHeader("PK\x01\x02", 4);
constexpr std::string_view kEndOfDirectory("PK\x05\x06", 4);
// Fixed sizes of the ZIP records (APPNOTE.TXT 4.3.7, 4.3.12, 4.3.16).
constexpr std::size_t kLocalHeaderSize = 30;
constexpr std::size_t kCentralHeaderSize = 46;
constexpr std::size_t kEndOfDirectorySize = 22;
// The end record may be followed by a comment of up to 65535 bytes.
constexpr std::size_t kMaxZipComment = 0xFFFF;

struct ZipEntry {
  std::string_view name;
  std::uint32_t local_offset = 0;
};

// The entries of the archive's central directory, the list the Office
// programs themselves read. The local headers cannot be walked on their own:
// writers that stream (bit 3 of the flags) leave their sizes at zero. nullopt
// if the directory is missing, truncated or needs ZIP64 (never the case below
// the upload size limit).
std::optional<std::vector<ZipEntry>> ReadZipDirectory(std::string_view b) {
  if (b.size() < kEndOfDirectorySize) return std::nullopt;
  std::size_t end = std::string_view::npos;
  const std::size_t lowest = b.size() > kEndOfDirectorySize + kMaxZipComment
                                 ? b.size() - kEndOfDirectorySize - kMaxZipComment
                                 : 0;
  for (std::size_t at = b.size() - kEndOfDirectorySize + 1; at-- > lowest;) {
    if (b.compare(at, 4, kEndOfDirectory) == 0) {
      end = at;
      break;
    }
  }
  if (end == std::string_view::npos) return std::nullopt;
  const std::uint32_t count = Le16(b, end + 10);
  const std::uint32_t size = Le32(b, end + 12);
  const std::uint32_t offset = Le32(b, end + 16);
  if (count == 0xFFFF || size == 0xFFFFFFFF || offset == 0xFFFFFFFF) return std::nullopt;
  if (std::uint64_t{offset} + size > end) return std::nullopt;
  std::vector<ZipEntry> entries;
  std::size_t at = offset;
  for (std::uint32_t i = 0; i < count; ++i) {
    if (at + kCentralHeaderSize > offset + size || b.compare(at, 4, kCentralHeader) != 0) {
      return std::nullopt;
    }
    const std::size_t name_length = Le16(b, at + 28);
    const std::size_t next =
        at + kCentralHeaderSize + name_length + Le16(b, at + 30) + Le16(b, at + 32);
    if (next > offset + size) return std::nullopt;
    entries.push_back({b.substr(at + kCentralHeaderSize, name_length), Le32(b, at + 42)});
    at = next;
  }
  return entries;
}

// True if a local header with the same name sits where the directory says:
// the entry is really in the archive, not only listed.
bool HasLocalHeader(std::string_view b, const ZipEntry& e) {
  const std::size_t at = e.local_offset;
  if (at + kLocalHeaderSize > b.size() || b.compare(at, 4, kLocalHeader) != 0) return false;
  const std::size_t name_length = Le16(b, at + 26);
  return name_length == e.name.size() && at + kLocalHeaderSize + name_length <= b.size() &&
         b.substr(at + kLocalHeaderSize, name_length) == e.name;
}

bool EndsWithNoCase(std::string_view text, std::string_view suffix) {
  if (text.size() < suffix.size()) return false;
  text = text.substr(text.size() - suffix.size());
  for (std::size_t i = 0; i < suffix.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != suffix[i]) return false;
  }
  return true;
}

Result<FileType> SniffZip(std::string_view b) {
  auto entries = ReadZipDirectory(b);
  if (!entries) return Refuse("the file looks like a damaged ZIP archive");
  const ZipEntry* content_types = nullptr;
  const ZipEntry* word = nullptr;
  const ZipEntry* excel = nullptr;
  bool open_document = false;
  for (const ZipEntry& e : *entries) {
    if (e.name == "[Content_Types].xml") content_types = &e;
    if (e.name.starts_with("word/") && !word) word = &e;
    if (e.name.starts_with("xl/") && !excel) excel = &e;
    if (e.name == "mimetype") open_document = true;
    // The VBA project of a .docm or .xlsm: macros run on the officer's PC.
    if (EndsWithNoCase(e.name, "vbaproject.bin")) {
      return Refuse(
          "documents with macros are not accepted; save the document as DOCX, XLSX or PDF");
    }
  }
  if (content_types && HasLocalHeader(b, *content_types)) {
    if (word && !excel && HasLocalHeader(b, *word)) return FileType::kDocx;
    if (excel && !word && HasLocalHeader(b, *excel)) return FileType::kXlsx;
  }
  if (open_document) {
    return Refuse(
        "OpenDocument files (.odt, .ods) are not accepted; save the document as PDF, DOCX or XLSX");
  }
  return Refuse("ZIP archives are not accepted; attach each document itself as " +
                std::string(kAccepted));
}

bool IsExecutable(std::string_view b) {
  static constexpr std::array<std::string_view, 7> kMagics = {
      std::string_view("MZ", 2),  // Windows .exe, .dll, .scr
      std::string_view("\x7f"
                       "ELF",
                       4),                      // Linux
      std::string_view("\xfe\xed\xfa\xce", 4),  // Mach-O, 32 and 64 bit, both byte orders
      std::string_view("\xfe\xed\xfa\xcf", 4),
      std::string_view("\xce\xfa\xed\xfe", 4),
      std::string_view("\xcf\xfa\xed\xfe", 4),
      std::string_view("\xca\xfe\xba\xbe", 4),  // Mach-O universal, Java class
  };
  for (std::string_view m : kMagics) {
    if (StartsWith(b, m)) return true;
  }
  return StartsWith(b, "#!") || StartsWith(b, std::string_view("\0asm", 4));
}

// Markup a browser would render and run: HTML, SVG, XML (after an optional
// UTF-8 byte order mark and white space).
bool IsMarkup(std::string_view b) {
  if (StartsWith(b, "\xef\xbb\xbf")) b.remove_prefix(3);
  while (!b.empty() && (b[0] == ' ' || b[0] == '\t' || b[0] == '\r' || b[0] == '\n'))
    b.remove_prefix(1);
  return StartsWith(b, "<");
}

// The photo formats of recent phones, which the offices cannot open.
bool IsHeif(std::string_view b) {
  if (b.size() < 12 || b.compare(4, 4, "ftyp") != 0) return false;
  const std::string_view brand = b.substr(8, 4);
  return brand == "heic" || brand == "heix" || brand == "hevc" || brand == "mif1" ||
         brand == "avif";
}

struct Alias {
  std::string_view media_type;
  FileType type;
};
constexpr std::array<Alias, 14> kAliases = {{
    {"application/pdf", FileType::kPdf},
    {"application/x-pdf", FileType::kPdf},
    {"image/jpeg", FileType::kJpeg},
    {"image/jpg", FileType::kJpeg},
    {"image/pjpeg", FileType::kJpeg},
    {"image/png", FileType::kPng},
    {"image/x-png", FileType::kPng},
    {"image/webp", FileType::kWebp},
    {"image/tiff", FileType::kTiff},
    {"image/x-tiff", FileType::kTiff},
    {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", FileType::kDocx},
    {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", FileType::kXlsx},
    // Some Windows set-ups report any ZIP-based file as a ZIP: true of the
    // container, so not a lie; the content decides which document it is.
    {"application/zip", FileType::kDocx},
    {"application/x-zip-compressed", FileType::kDocx},
}};

std::string_view Describe(FileType type) {
  switch (type) {
    case FileType::kPdf:
      return "a PDF document";
    case FileType::kJpeg:
      return "a JPEG image";
    case FileType::kPng:
      return "a PNG image";
    case FileType::kWebp:
      return "a WebP image";
    case FileType::kTiff:
      return "a TIFF image";
    case FileType::kDocx:
      return "a Word document (DOCX)";
    case FileType::kXlsx:
      return "an Excel workbook (XLSX)";
  }
  return "a file";
}

}  // namespace

std::string_view MediaType(FileType type) {
  switch (type) {
    case FileType::kPdf:
      return "application/pdf";
    case FileType::kJpeg:
      return "image/jpeg";
    case FileType::kPng:
      return "image/png";
    case FileType::kWebp:
      return "image/webp";
    case FileType::kTiff:
      return "image/tiff";
    case FileType::kDocx:
      return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    case FileType::kXlsx:
      return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  }
  return "application/octet-stream";
}

std::span<const std::string_view> Extensions(FileType type) {
  static constexpr std::array<std::string_view, 1> kPdf = {".pdf"};
  static constexpr std::array<std::string_view, 3> kJpeg = {".jpg", ".jpeg", ".jfif"};
  static constexpr std::array<std::string_view, 1> kPng = {".png"};
  static constexpr std::array<std::string_view, 1> kWebp = {".webp"};
  static constexpr std::array<std::string_view, 2> kTiff = {".tif", ".tiff"};
  static constexpr std::array<std::string_view, 1> kDocx = {".docx"};
  static constexpr std::array<std::string_view, 1> kXlsx = {".xlsx"};
  switch (type) {
    case FileType::kPdf:
      return kPdf;
    case FileType::kJpeg:
      return kJpeg;
    case FileType::kPng:
      return kPng;
    case FileType::kWebp:
      return kWebp;
    case FileType::kTiff:
      return kTiff;
    case FileType::kDocx:
      return kDocx;
    case FileType::kXlsx:
      return kXlsx;
  }
  return {};
}

std::string_view CanonicalExtension(FileType type) { return Extensions(type).front(); }

Result<FileType> Sniff(std::string_view b) {
  if (b.empty()) return Refuse("the file is empty");
  if (StartsWith(b, "%PDF-")) return FileType::kPdf;
  if (StartsWith(b, "\xff\xd8\xff")) return FileType::kJpeg;
  // The PNG signature, then the IHDR chunk that must come first.
  if (StartsWith(b, std::string_view("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR", 16))) return FileType::kPng;
  if (b.size() >= 16 && StartsWith(b, "RIFF") && b.compare(8, 4, "WEBP") == 0 &&
      (b.compare(12, 4, "VP8 ") == 0 || b.compare(12, 4, "VP8L") == 0 ||
       b.compare(12, 4, "VP8X") == 0)) {
    return FileType::kWebp;
  }
  if (StartsWith(b, std::string_view("II*\0", 4)) || StartsWith(b, std::string_view("MM\0*", 4))) {
    return FileType::kTiff;
  }
  if (StartsWith(b, kLocalHeader)) return SniffZip(b);
  if (IsExecutable(b)) return Refuse("programs and scripts are not accepted");
  if (IsMarkup(b)) return Refuse("HTML, SVG and XML files are not accepted");
  if (StartsWith(b, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")) {
    return Refuse(
        "old Word and Excel files (.doc, .xls) are not accepted; save the document as DOCX, XLSX "
        "or PDF");
  }
  if (IsHeif(b)) {
    return Refuse("HEIC and AVIF photos are not accepted; send the photo as JPEG");
  }
  if (StartsWith(b, "Rar!") || StartsWith(b, "7z\xbc\xaf\x27\x1c") || StartsWith(b, "\x1f\x8b")) {
    return Refuse("archives are not accepted; attach each document itself as " +
                  std::string(kAccepted));
  }
  return Refuse("the type of this file is not accepted; send " + std::string(kAccepted));
}

Status CheckDeclaredType(FileType actual, std::string_view declared) {
  std::string normal;
  for (char c : declared.substr(0, declared.find(';'))) {
    if (c == ' ' || c == '\t') continue;
    normal += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  if (normal.empty() || normal == "application/octet-stream") return {};
  for (const Alias& a : kAliases) {
    if (a.media_type != normal) continue;
    const bool zip = normal == "application/zip" || normal == "application/x-zip-compressed";
    if (a.type == actual || (zip && actual == FileType::kXlsx)) return {};
    break;
  }
  return Refuse("the file is " + std::string(Describe(actual)) + " (" +
                std::string(MediaType(actual)) + ") but was sent as " + normal);
}

std::string NameWithExtension(std::string_view name, FileType type) {
  const auto lower_extension = [](std::string_view n) {
    std::string ext;
    if (auto dot = n.rfind('.'); dot != std::string_view::npos && dot > 0) {
      for (char c : n.substr(dot))
        ext += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return ext;
  };
  const std::string ext = lower_extension(name);
  for (std::string_view e : Extensions(type)) {
    if (ext == e) return std::string(name);
  }
  std::string_view stem = name;
  for (FileType other : {FileType::kPdf, FileType::kJpeg, FileType::kPng, FileType::kWebp,
                         FileType::kTiff, FileType::kDocx, FileType::kXlsx}) {
    for (std::string_view e : Extensions(other)) {
      if (!ext.empty() && ext == e) stem = name.substr(0, name.size() - ext.size());
    }
  }
  return TruncateKeepingExtension(std::string(stem) + std::string(CanonicalExtension(type)),
                                  kMaxFileNameBytes);
}

}  // namespace motcua::files
