#include "http/handlers/results.hpp"

#include <boost/json.hpp>
#include <future>

#include "core/calendar/date.hpp"
#include "core/files/base64.hpp"
#include "core/files/file_name.hpp"
#include "documents/notice.hpp"
#include "http/auth.hpp"
#include "http/handlers/documents.hpp"
#include "http/handlers/dossiers.hpp"
#include "http/json_body.hpp"
#include "http/params.hpp"

namespace motcua::http {
namespace {

namespace json = boost::json;
using calendar::FormatMoment;

// The longest result text a specialist types: a few pages.
constexpr std::size_t kMaxContent = 20000;
// A PKCS#12 file with a long chain is a few KB; its base64 is bounded here.
constexpr std::size_t kMaxPkcs12Base64 = 64 * 1024;

json::object CertificateJson(const results::ResultRow& r) {
  return {{"subject", r.signer_name},
          {"organization", r.signer_organization},
          {"issuer", r.certificate_issuer},
          {"serial", r.certificate_serial},
          {"sha256", r.certificate_sha256}};
}

json::object ViewJson(const results::ResultView& v, const std::string& portal) {
  const auto& r = v.row;
  json::object out{{"state", r.is_signed() ? "signed" : "draft"},
                   {"code", r.code},
                   {"verify_url", portal + "/verify/" + r.code},
                   {"generated", r.generated},
                   {"drafted_at", FormatMoment(r.drafted_at)},
                   {"file", json::object{{"id", v.file.id},
                                         {"name", v.file.original_name},
                                         {"size", v.file.size},
                                         {"sha256", v.file.sha256}}}};
  if (r.is_signed()) {
    out["signed_at"] = FormatMoment(*r.signed_at);
    out["certificate"] = CertificateJson(r);
  }
  return out;
}

json::object PublicJson(const results::PublicResult& p) {
  return {{"code", p.code},
          {"number", p.number},
          {"procedure_name", p.procedure_name},
          {"procedure_name_en", p.procedure_name_en},
          {"signed_at", FormatMoment(p.signed_at)},
          {"sha256", p.sha256},
          {"size", p.size},
          {"certificate", json::object{{"subject", p.signer_name},
                                       {"organization", p.signer_organization},
                                       {"issuer", p.certificate_issuer},
                                       {"serial", p.certificate_serial}}}};
}

Response Json(int status, json::object body) {
  Response res = JsonResponse(status, body);
  res.SetHeader("cache-control", "private, no-store");
  return res;
}

void GetResult(results::ResultService& results, const documents::FormLayout& layout, Request& req,
               Responder respond) {
  if (auto st = RequireAuthenticated(req); !st) return respond(ErrorResponse(st.error()));
  auto id = PathId(req);
  if (!id) return respond(ErrorResponse(id.error()));
  auto view = results.Get(*req.principal, *id, ReadContextOf(req));
  if (!view) return respond(ErrorResponse(view.error()));
  if (!*view) return respond(Json(200, {{"state", "none"}}));
  respond(Json(200, ViewJson(**view, PortalAddress(layout))));
}

// The result document motcua draws, from the dossier as its reader sees it.
Result<std::string> Generate(dossiers::DossierService& dossiers, const units::UnitService& units,
                             const std::shared_ptr<const documents::Fonts>& fonts,
                             const documents::FormLayout& layout, const Clock& clock, Request& req,
                             std::int64_t id, std::string content) {
  std::promise<Result<dossiers::DossierDetail>> got;
  dossiers.Get(*req.principal, id, ReadContextOf(req),
               [&got](Result<dossiers::DossierDetail> d) { got.set_value(std::move(d)); });
  const auto detail = MOTCUA_TRY(got.get_future().get());
  const auto& row = detail.view.row;
  documents::ResultDocumentData d;
  UnitAgencies(units, layout, row.current_unit_id, d.parent_agency, d.agency);
  d.unit_name = detail.view.current_unit_name;
  d.number = row.number;
  d.applicant_name = row.applicant_name;
  d.procedure_name = detail.view.procedure_name;
  d.content = std::move(content);
  d.dated = clock.Now();
  return documents::RenderResultDocument(fonts, layout, d);
}

void PutResult(results::ResultService& results, dossiers::DossierService& dossiers,
               const units::UnitService& units,
               const std::shared_ptr<const documents::Fonts>& fonts,
               const documents::FormLayout& layout, const Clock& clock, Request& req,
               Responder respond) {
  if (auto st = RequireAuthenticated(req); !st) return respond(ErrorResponse(st.error()));
  auto id = PathId(req);
  if (!id) return respond(ErrorResponse(id.error()));
  auto body = ParseJsonObject(req);
  if (!body) return respond(ErrorResponse(body.error()));
  ObjectReader r(*body);
  auto attachment = r.OptionalString("attachment", {.min_length = 1, .max_length = 64});
  const bool generate = r.OptionalBool("generate").value_or(false);
  auto content =
      r.OptionalString("content", {.min_length = 1, .max_length = kMaxContent, .trim = true});
  if (attachment && generate)
    r.Problem("generate", "give either an uploaded file (attachment) or generate, not both");
  if (!attachment && !generate)
    r.Problem("attachment", "is required: the id of an uploaded PDF, or generate: true");
  if (generate && !content) r.Problem("content", "is required to generate the result: its text");
  if (auto st = r.Finish(); !st) return respond(ErrorResponse(st.error()));
  results::DraftRequest draft;
  if (generate) {
    auto pdf = Generate(dossiers, units, fonts, layout, clock, req, *id, *content);
    if (!pdf) return respond(ErrorResponse(pdf.error()));
    draft.bytes = std::move(*pdf);
    draft.generated = true;
  } else {
    draft.attachment_id = *attachment;
  }
  auto view = results.Draft(*req.principal, *id, std::move(draft));
  if (!view) return respond(ErrorResponse(view.error()));
  respond(Json(200, ViewJson(*view, PortalAddress(layout))));
}

void SignResult(results::ResultService& results, const documents::FormLayout& layout, Request& req,
                Responder respond) {
  if (auto st = RequireAuthenticated(req); !st) return respond(ErrorResponse(st.error()));
  auto id = PathId(req);
  if (!id) return respond(ErrorResponse(id.error()));
  auto body = ParseJsonObject(req);
  if (!body) return respond(ErrorResponse(body.error()));
  ObjectReader r(*body);
  const std::string p12 =
      r.RequiredString("pkcs12", {.min_length = 1, .max_length = kMaxPkcs12Base64});
  const std::string password =
      r.RequiredString("password", {.min_length = 0, .max_length = 256, .trim = false});
  std::optional<std::string> der;
  if (!p12.empty() && !(der = files::DecodeBase64(p12)))
    r.Problem("pkcs12", "must be the .p12 file in base64");
  if (auto st = r.Finish(); !st) return respond(ErrorResponse(st.error()));
  auto view =
      results.Sign(*req.principal, *id, *der, password, PortalAddress(layout), ReadContextOf(req));
  if (!view) return respond(ErrorResponse(view.error()));
  respond(Json(200, ViewJson(*view, PortalAddress(layout))));
}

void ResultFile(results::ResultService& results, Request& req, Responder respond) {
  if (auto st = RequireAuthenticated(req); !st) return respond(ErrorResponse(st.error()));
  auto id = PathId(req);
  if (!id) return respond(ErrorResponse(id.error()));
  auto file = results.Open(*req.principal, *id, ReadContextOf(req));
  if (!file) return respond(ErrorResponse(file.error()));
  Response res;
  res.status = 200;
  res.body = std::move(file->bytes);
  res.SetHeader("content-type", "application/pdf");
  res.SetHeader("content-disposition", files::ContentDisposition(file->info.original_name));
  res.SetHeader("x-content-type-options", "nosniff");
  res.SetHeader("cache-control", "private, no-store");
  respond(std::move(res));
}

void VerifyCode(results::ResultService& results, Request& req, Responder respond) {
  auto it = req.path_params.find("code");
  auto pub = results.Public(it == req.path_params.end() ? "" : it->second);
  if (!pub) return respond(ErrorResponse(pub.error()));
  Response res = JsonResponse(200, PublicJson(*pub));
  // A signed result never changes: caches may keep the answer a while.
  res.SetHeader("cache-control", "public, max-age=300");
  respond(std::move(res));
}

void VerifyFile(results::ResultService& results, Request& req, Responder respond) {
  auto type = req.Header("content-type").value_or("");
  if (!type.starts_with("application/pdf") && !type.starts_with("application/octet-stream"))
    return respond(ErrorResponse(
        InvalidField("content-type", "must be application/pdf: the file to check").error()));
  auto code = req.query.find("code");
  auto check = results.Check(req.body, code == req.query.end() ? "" : code->second);
  if (!check) return respond(ErrorResponse(check.error()));
  json::object out{{"verdict", check->verdict}, {"sha256", check->sha256}};
  out["result"] = check->result ? json::value(PublicJson(*check->result)) : json::value(nullptr);
  if (check->signature) {
    const auto& s = *check->signature;
    out["signature"] =
        json::object{{"intact", s.intact},         {"whole_file", s.whole_file},
                     {"trusted", s.trusted},       {"problem", s.problem},
                     {"signer", s.signer.subject}, {"organization", s.signer.organization},
                     {"issuer", s.signer.issuer},  {"signed_at", FormatMoment(s.signed_at)}};
  } else {
    out["signature"] = nullptr;
  }
  respond(Json(200, std::move(out)));
}

}  // namespace

void RegisterResultRoutes(Router& router, results::ResultService& results,
                          dossiers::DossierService& dossiers, const units::UnitService& units,
                          std::shared_ptr<const documents::Fonts> fonts,
                          const documents::FormLayout& layout, const Clock& clock) {
  router.Add("GET", "/api/v1/dossiers/{id}/result",
             [&results, &layout](Request& req, Responder respond) {
               GetResult(results, layout, req, std::move(respond));
             });
  router.Add(
      "PUT", "/api/v1/dossiers/{id}/result",
      [&results, &dossiers, &units, fonts, &layout, &clock](Request& req, Responder respond) {
        PutResult(results, dossiers, units, fonts, layout, clock, req, std::move(respond));
      });
  router.Add("POST", "/api/v1/dossiers/{id}/result/sign",
             [&results, &layout](Request& req, Responder respond) {
               SignResult(results, layout, req, std::move(respond));
             });
  router.Add("GET", "/api/v1/dossiers/{id}/result/file",
             [&results](Request& req, Responder respond) {
               ResultFile(results, req, std::move(respond));
             });
  router.Add("GET", "/api/v1/verify/{code}", [&results](Request& req, Responder respond) {
    VerifyCode(results, req, std::move(respond));
  });
  router.Add("POST", "/api/v1/verify", [&results](Request& req, Responder respond) {
    VerifyFile(results, req, std::move(respond));
  });
}

}  // namespace motcua::http
