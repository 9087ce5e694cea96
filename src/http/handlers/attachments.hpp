// HTTP routes for attachments (tệp đính kèm): upload a file, then name its id
// when submitting a dossier.
//
//   POST   /api/v1/attachments            body: the file's raw bytes
//                                         Content-Type: the file's type
//                                         X-File-Name: its name, percent-encoded UTF-8
//                                         -> 201 {id, name, media_type, size, sha256, created_at}
//   GET    /api/v1/attachments/{id}       -> 200 the bytes, as a download
//   GET    /api/v1/attachments/{id}/meta  -> 200 {id, name, media_type, size, sha256,
//                                             created_at, dossier_id, component_code}
//   DELETE /api/v1/attachments/{id}       -> 204; only staged files (not yet in a dossier)
//
// Why raw bytes and not multipart/form-data: a phone on 3G sends the file and
// nothing else (no boundary parsing, no second copy in memory), XHR's upload
// progress events work as they do for any body, and one request carries one
// file with its name in a header: encodeURIComponent(file.name) in the
// browser. A missing Content-Type (a browser that does not know the file's
// type) lets the content decide; a Content-Type naming another type than the
// content is refused.
//
// Every route needs a signed-in caller (401). Reading is for the file's owner
// and, once the file is in a dossier, for whom the dossier's rule allows
// (AttachmentStore's DossierAccess); anyone else gets 404, as for an id that
// does not exist. Downloads carry Content-Disposition: attachment (never shown
// inline), X-Content-Type-Options: nosniff, a sandboxing
// Content-Security-Policy and Cache-Control: private, no-store (personal data
// must not stay in shared or browser caches).
//
// Errors (JSON, http/message.hpp): 400 naming "body" (empty), "content-type"
// (type not accepted, or not the real one; 415 is not in the error-code set),
// "X-File-Name" (missing, bad encoding, nothing usable) or "id"; 413 over the
// size limit (the server's body limit answers first for anything over it);
// 429 resource_exhausted naming "quota" when the caller's staged files reach
// their limit (the quota is what the code set names resource_exhausted; no
// Retry-After, since waiting does not help: submitting or deleting does);
// 409 when deleting a file that is in a dossier.
//
// Handlers block their I/O thread on disk I/O, AES and the durable commit:
// on the 2-core reference machine about 7 ms to store a 1 MiB file and
// 1.3 ms to read one back (attachment_benchmark.cpp).
//
// Ownership: `store` must outlive the router.
#pragma once

#include "http/router.hpp"
#include "services/attachments/attachment_store.hpp"

namespace motcua::http {

void RegisterAttachmentRoutes(Router& router, attachments::AttachmentStore& store);

}  // namespace motcua::http
