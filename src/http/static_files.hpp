// Serves the built web front end from a directory.
//
// The handler maps req.path onto root_dir. It answers GET and HEAD only
// (405 otherwise); it never serves a file outside root_dir: "." and ".."
// segments, NUL and backslashes are refused, dotfiles (".env", ".git") are
// not served, and symlinks are followed only while their target stays under
// root_dir. "/" and directories serve their `index` file. A path that names
// no file, and does not end in the extension of a known file type (".js",
// ".png", ...; a procedure code's ".H56" is not one), gets the nearest `index` up the path
// ("/can-bo/ho-so/12" gets can-bo/index.html if there is one, else the
// root's: the routes of single-page apps), except under /api/, which stays a
// JSON 404. When the client accepts gzip and "<file>.gz" exists next to the
// file, that is sent with Content-Encoding: gzip. Cache-Control: a year and
// immutable under /assets/ (the bundler puts a content hash in those names),
// no-cache for HTML (so a deploy is seen at once), an hour for the rest.
// Every file has a weak ETag (its size and modification time); a matching
// If-None-Match gets 304 without the body. An HTML file with a "<file>.csp"
// beside it is sent with that Content-Security-Policy (the build writes the
// hashes of the page's inline script and style there); others get the
// server's default policy.
//
// Files are read whole per request; the front end's files are small.
// Thread safety: the handler may be called from many threads at once.
#pragma once

#include <string>

#include "http/message.hpp"

namespace motcua::http {

Handler StaticFiles(std::string root_dir, std::string index = "index.html");

}  // namespace motcua::http
