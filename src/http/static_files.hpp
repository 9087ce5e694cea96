// Serves the built web front end from a directory.
//
// The handler maps req.path onto root_dir. It answers GET and HEAD only
// (405 otherwise); it never serves a file outside root_dir: "." and ".."
// segments, NUL and backslashes are refused, dotfiles (".env", ".git") are
// not served, and symlinks are followed only while their target stays under
// root_dir. "/" and directories serve their `index` file. A path without an
// extension that names no file gets root_dir/index (the single-page app
// routes in the browser), except under /api/, which stays a JSON 404.
// When the client accepts gzip and "<file>.gz" exists next to the file, that
// is sent with Content-Encoding: gzip. Cache-Control: a year and immutable
// under /assets/ (the bundler puts a content hash in those names), no-cache
// for HTML (so a deploy is seen at once), an hour for the rest.
//
// Files are read whole per request; the front end's files are small.
// Thread safety: the handler may be called from many threads at once.
#pragma once

#include <string>

#include "http/message.hpp"

namespace motcua::http {

Handler StaticFiles(std::string root_dir, std::string index = "index.html");

}  // namespace motcua::http
