// An attachment upload (POST /api/v1/attachments: the file's raw bytes as
// the body, its type in Content-Type, its name in X-File-Name) through what
// AttachmentStore::Put decides before anything is stored: Sniff on the
// bytes (magic numbers, the ZIP directory of DOCX and XLSX),
// CheckDeclaredType, SanitizeFileName and NameWithExtension, and the
// Content-Disposition a download of it carries. motcua takes no
// multipart/form-data (http/handlers/attachments.hpp says why): this is its
// upload path.
//
// Input: the declared Content-Type, '\n', the decoded X-File-Name, '\n',
// then the file's bytes; a missing part is empty.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/files/content_type.hpp"
#include "core/files/file_name.hpp"

namespace {

std::string_view Line(std::string_view& rest) {
  const std::size_t end = rest.find('\n');
  std::string_view line = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  const std::string_view declared_type = Line(rest);
  const std::string_view declared_name = Line(rest);
  const std::string_view bytes = rest;
  namespace files = motcua::files;
  // The name is cleaned whatever the content, so both run every time.
  auto name = files::SanitizeFileName(declared_name);
  auto type = files::Sniff(bytes);
  if (!type) return 0;
  if (!files::CheckDeclaredType(*type, declared_type)) return 0;
  if (!name) return 0;
  const std::string stored = files::NameWithExtension(*name, *type);
  (void)files::ContentDisposition(stored);
  return 0;
}
