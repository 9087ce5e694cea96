#include "http/handlers/attachments.hpp"

#include <boost/json.hpp>
#include <optional>
#include <string>

#include "core/files/file_name.hpp"
#include "http/auth.hpp"
#include "services/accounts/account_service.hpp"

namespace motcua::http {
namespace {

namespace json = boost::json;
using accounts::FormatTime;
using attachments::AttachmentInfo;
using attachments::AttachmentStore;

constexpr std::string_view kNameHeader = "X-File-Name";

json::object InfoJson(const AttachmentInfo& a) {
  return {{"id", a.id},     {"name", a.original_name}, {"media_type", a.media_type},
          {"size", a.size}, {"sha256", a.sha256},      {"created_at", FormatTime(a.created_at)}};
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// encodeURIComponent's output decoded; nullopt for a bad escape or a raw
// byte outside printable ASCII (header values are ASCII; UTF-8 must come
// encoded). Whether the bytes are UTF-8 is the sanitiser's question.
std::optional<std::string> PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int hi = HexValue(text[i + 1]);
      const int lo = HexValue(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c < 0x20 || c > 0x7E) {
      return std::nullopt;
    } else {
      out += c;
    }
  }
  return out;
}

Result<std::string> FileName(const Request& req) {
  auto header = req.Header("x-file-name");
  if (!header)
    return InvalidField(std::string(kNameHeader),
                        "is required: the file's name, percent-encoded UTF-8");
  auto name = PercentDecode(*header);
  if (!name)
    return InvalidField(std::string(kNameHeader),
                        "must be percent-encoded UTF-8 (encodeURIComponent)");
  return *name;
}

std::string PathId(const Request& req) {
  auto it = req.path_params.find("id");
  return it == req.path_params.end() ? std::string() : it->second;
}

void Upload(AttachmentStore& store, Request& req, Responder respond) {
  if (auto ok = RequireAuthenticated(req); !ok) return respond(ErrorResponse(ok.error()));
  auto name = FileName(req);
  if (!name) return respond(ErrorResponse(name.error()));
  auto info =
      store.Put(req.principal->user_id, req.body, *name, req.Header("content-type").value_or(""));
  if (!info) return respond(ErrorResponse(info.error()));
  Response res = JsonResponse(201, InfoJson(*info));
  res.SetHeader("Location", "/api/v1/attachments/" + info->id);
  respond(std::move(res));
}

// The route and request of a read, for the personal-data access log.
audit::ReadContext Context(const Request& req) {
  return {req.method + " " + (req.route ? req.route->pattern : req.path), req.request_id};
}

void Download(AttachmentStore& store, Request& req, Responder respond) {
  if (auto ok = RequireAuthenticated(req); !ok) return respond(ErrorResponse(ok.error()));
  // An owner reading a staged upload is not logged; a dossier's document is
  // read only through the dossier service's rule, which logs each read
  // (attachment_store.hpp).
  auto file = store.Open(*req.principal, PathId(req), Context(req));
  if (!file) return respond(ErrorResponse(file.error()));
  Response res;
  res.status = 200;
  res.body = std::move(file->bytes);
  res.SetHeader("Content-Type", file->info.media_type);
  res.SetHeader("Content-Disposition", files::ContentDisposition(file->info.original_name));
  res.SetHeader("X-Content-Type-Options", "nosniff");
  // Personal data: kept by no proxy and no browser cache.
  res.SetHeader("Cache-Control", "private, no-store");
  // Should a browser render it anyway (a PDF viewer opened from the
  // downloads bar), it runs in a sandbox that may load and run nothing.
  res.SetHeader("Content-Security-Policy", "default-src 'none'; sandbox");
  respond(std::move(res));
}

void Meta(AttachmentStore& store, Request& req, Responder respond) {
  if (auto ok = RequireAuthenticated(req); !ok) return respond(ErrorResponse(ok.error()));
  auto info = store.Describe(*req.principal, PathId(req), Context(req));
  if (!info) return respond(ErrorResponse(info.error()));
  json::object out = InfoJson(*info);
  out["dossier_id"] = info->dossier_id ? json::value(*info->dossier_id) : json::value(nullptr);
  out["component_code"] =
      info->component_code ? json::value(*info->component_code) : json::value(nullptr);
  Response res = JsonResponse(200, std::move(out));
  res.SetHeader("Cache-Control", "private, no-store");
  respond(std::move(res));
}

void Remove(AttachmentStore& store, Request& req, Responder respond) {
  if (auto ok = RequireAuthenticated(req); !ok) return respond(ErrorResponse(ok.error()));
  auto done = store.Delete(req.principal->user_id, PathId(req));
  if (!done) return respond(ErrorResponse(done.error()));
  Response res;
  res.status = 204;
  respond(std::move(res));
}

}  // namespace

void RegisterAttachmentRoutes(Router& router, AttachmentStore& store) {
  router.Add("POST", "/api/v1/attachments",
             [&store](Request& req, Responder respond) { Upload(store, req, std::move(respond)); });
  router.Add("GET", "/api/v1/attachments/{id}", [&store](Request& req, Responder respond) {
    Download(store, req, std::move(respond));
  });
  router.Add("GET", "/api/v1/attachments/{id}/meta",
             [&store](Request& req, Responder respond) { Meta(store, req, std::move(respond)); });
  router.Add("DELETE", "/api/v1/attachments/{id}",
             [&store](Request& req, Responder respond) { Remove(store, req, std::move(respond)); });
}

}  // namespace motcua::http
