// What a file really is, judged from its bytes (tệp đính kèm).
//
// Citizens attach scans and documents to their dossiers; officers open them
// on office PCs. Only the kinds a dossier needs are accepted: PDF, JPEG, PNG,
// WebP, TIFF (scanners), and Word/Excel in their Office Open XML forms
// (DOCX, XLSX). Everything else is refused, in particular executables,
// scripts, HTML, SVG and XML (stored cross-site scripting, or a trap for the
// officer who opens it), macro-enabled documents and the legacy binary
// Office formats (both can carry macros), and plain ZIP archives (their
// content cannot be judged).
//
// The type comes from the content (Sniff). The client's claims are checked
// against it (CheckDeclaredType): a declared Content-Type that names another
// type is refused, because a client program that lies about what it sends is
// broken or hostile; "application/octet-stream" or no type at all means "I do
// not know" and is accepted. The file name is a person's label, not a claim:
// a phone names a photo "IMG_1234" and people rename files by hand, so a
// missing or wrong extension is corrected rather than refused
// (NameWithExtension). A name keeps an extension of its real type, so that
// the desktop of the officer who downloads it opens it with the right program.
//
// Pure functions; thread safe.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace motcua::files {

enum class FileType { kPdf, kJpeg, kPng, kWebp, kTiff, kDocx, kXlsx };

// "application/pdf", "image/jpeg", ...: the media type the file is served with.
std::string_view MediaType(FileType type);
// The extension a name gets when it has none of this type's: ".pdf", ".jpg", ...
std::string_view CanonicalExtension(FileType type);
// Every extension (lower case, with the dot) people use for this type:
// {".jpg", ".jpeg", ".jfif"} for JPEG, {".tif", ".tiff"} for TIFF, ...
std::span<const std::string_view> Extensions(FileType type);

// The type of `bytes`, from magic numbers and, for ZIP-based documents, the
// archive's directory (which must list [Content_Types].xml and the main part
// under word/ or xl/, each present as a local header where the directory says).
// Nothing is decompressed. Errors: kInvalidArgument naming "content-type",
// with a message a citizen can act on (empty file, executable, HTML/SVG,
// macros, legacy .doc/.xls, ZIP, unknown type).
[[nodiscard]] Result<FileType> Sniff(std::string_view bytes);

// Checks the Content-Type a client declared against the sniffed type.
// Parameters (";charset=...") and case are ignored, and common aliases
// ("image/jpg", "image/pjpeg", "image/x-png") count as their type. Empty or
// "application/octet-stream" is accepted (the client does not know).
// Errors: kInvalidArgument naming "content-type" when it names another type.
[[nodiscard]] Status CheckDeclaredType(FileType actual, std::string_view declared);

// `name` (already sanitised, see file_name.hpp) with an extension of `type`:
// unchanged when its extension is one of Extensions(type) (any case); with
// the extension replaced when it is the extension of another accepted type
// ("scan.png" holding a JPEG -> "scan.jpg"); else with the canonical one
// appended ("IMG_1234" -> "IMG_1234.jpg", "hoso.exe" -> "hoso.exe.pdf").
std::string NameWithExtension(std::string_view name, FileType type);

}  // namespace motcua::files
