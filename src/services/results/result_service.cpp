#include "services/results/result_service.hpp"

#include <boost/json.hpp>
#include <future>

#include "core/calendar/date.hpp"
#include "core/dossier/event_payloads.hpp"
#include "core/events/event.hpp"
#include "core/events/sha256.hpp"
#include "storage/certificates_repo.hpp"
#include "storage/dossiers_repo.hpp"
#include "storage/events_repo.hpp"

namespace motcua::results {
namespace {

namespace json = boost::json;
namespace repo = storage::results;
using accounts::Principal;
using accounts::Role;
using Standing = dossiers::DossierService::Standing;
using storage::Tx;

constexpr std::string_view kAggregate = "dossier";
constexpr std::size_t kCodeLength = 16;
constexpr std::string_view kBase32 = "abcdefghijklmnopqrstuvwxyz234567";

Result<std::string> NewCode(const dossier::RandomBytes& random) {
  std::uint8_t bytes[kCodeLength];
  MOTCUA_TRY_VOID(random(bytes));
  std::string code;
  for (std::uint8_t b : bytes) code += kBase32[b & 31];  // 5 random bits per character: 80 bits
  return code;
}

// `text` with {name} replaced by `value`.
std::string Fill(std::string text, std::string_view name, std::string_view value) {
  const std::string token = "{" + std::string(name) + "}";
  if (auto at = text.find(token); at != std::string::npos) text.replace(at, token.size(), value);
  return text;
}

Error NoDossier(std::int64_t id) {
  return Error{Code::kNotFound, "no dossier " + std::to_string(id), {}};
}

// The dossier as `who` stands on it, or kNotFound.
Result<Standing> Load(Tx& tx, const dossiers::DossierService& dossiers, const Principal& who,
                      std::int64_t id) {
  auto standing = MOTCUA_TRY(dossiers.StandingIn(tx, who, id));
  if (!standing) return Fail(NoDossier(id));
  return std::move(*standing);
}

// Who may put a draft (specialists and leaders of the unit holding an open
// dossier) or sign it (its leaders), and only before it is signed.
Status MayChange(const Standing& s, const std::optional<repo::ResultRow>& current, bool sign) {
  const bool allowed = s.roles.Has(Role::kUnitLeader) || (!sign && s.roles.Has(Role::kSpecialist));
  if (!allowed)
    return Fail(Code::kPermissionDenied,
                sign ? "only a leader of the unit holding the dossier signs its result"
                     : "only a specialist or leader of the unit holding the dossier "
                       "prepares its result");
  if (s.row.terminal)
    return Fail(
        Error{Code::kFailedPrecondition, "the dossier is closed", {{"state", s.row.state}}});
  if (current && current->is_signed())
    return Fail(
        Error{Code::kFailedPrecondition, "the result is signed already", {{"result", "signed"}}});
  return {};
}

Status AppendResultEvent(Tx& tx, const dossiers::DossierService& dossiers, const Standing& s,
                         const Principal& who, TimePoint now, std::string action,
                         const dossier::EventPayload& payload) {
  MOTCUA_TRY(dossiers.AppendDossierEvent(
      tx, s.row,
      events::NewEvent{std::string(kAggregate), s.row.id, now, who.user_id, std::move(action),
                       s.row.state, s.row.state, dossier::ToJson(payload)}));
  return {};
}

}  // namespace

bool IsResultCode(std::string_view code) {
  return code.size() == kCodeLength && code.find_first_not_of(kBase32) == std::string_view::npos;
}

ResultService::ResultService(storage::Store& store, const Clock& clock,
                             dossiers::DossierService& dossiers,
                             attachments::AttachmentStore& files,
                             const catalog::CatalogService& catalog, audit::AccessLog& access_log,
                             std::shared_ptr<const documents::Fonts> fonts,
                             const documents::FormLayout& layout, documents::TrustList trust,
                             dossier::RandomBytes random)
    : store_(store),
      clock_(clock),
      dossiers_(dossiers),
      files_(files),
      catalog_(catalog),
      access_log_(access_log),
      fonts_(std::move(fonts)),
      layout_(layout),
      trust_(std::move(trust)),
      random_(std::move(random)) {}

Result<ResultService::Visible> ResultService::Find(const Principal& who, std::int64_t dossier_id) {
  Visible v;
  MOTCUA_TRY_VOID(store_.Read([&](Tx& tx) -> Status {
    v.standing = MOTCUA_TRY(Load(tx, dossiers_, who, dossier_id));
    v.row = MOTCUA_TRY(repo::Find(tx, dossier_id));
    return {};
  }));
  // Staff (whoever sees it other than as its owner, a unit it passed
  // through too) see the draft; the owner only the signed result.
  const auto& d = v.standing.row;
  const bool staff = !(d.citizen_user_id && *d.citizen_user_id == who.user_id);
  if (v.row && !staff && !v.row->is_signed()) v.row.reset();
  return v;
}

Result<std::optional<ResultView>> ResultService::Get(const Principal& who, std::int64_t dossier_id,
                                                     const dossiers::ReadContext& context) {
  Visible v = MOTCUA_TRY(Find(who, dossier_id));
  if (!v.row) return std::optional<ResultView>();
  MOTCUA_TRY_VOID(Logged(who, v.standing, context));
  auto info = MOTCUA_TRY(files_.DescribeForService(v.row->file_id()));
  return std::optional<ResultView>(
      ResultView{std::move(*v.row), v.standing.row.number, std::move(info)});
}

Result<ResultView> ResultService::Draft(const Principal& who, std::int64_t dossier_id,
                                        DraftRequest request) {
  // Checked before a file is stored, and again in the write.
  std::string number;
  MOTCUA_TRY_VOID(store_.Read([&](Tx& tx) -> Status {
    const Standing s = MOTCUA_TRY(Load(tx, dossiers_, who, dossier_id));
    number = s.row.number;
    return MayChange(s, MOTCUA_TRY(repo::Find(tx, dossier_id)), false);
  }));
  attachments::AttachmentInfo info;
  const bool stored_here = request.attachment_id.empty();
  if (stored_here) {
    if (request.bytes.empty())
      return InvalidField("attachment", "is required: the id of an uploaded PDF");
    info = MOTCUA_TRY(
        files_.Put(who.user_id, request.bytes, "ket-qua-" + number + ".pdf", "application/pdf"));
  } else {
    auto described = files_.Describe(who, request.attachment_id);
    if (!described || described->owner_user_id != who.user_id || described->dossier_id)
      return InvalidField("attachment", "is not a file you uploaded and have not used yet");
    if (described->media_type != "application/pdf")
      return InvalidField("attachment", "must be a PDF");
    info = std::move(*described);
  }
  const TimePoint now = clock_.Now();
  const std::string fresh_code = MOTCUA_TRY(NewCode(random_));
  repo::ResultRow row;
  auto written = store_.WriteSync([&](Tx& tx) -> Status {
    const Standing s = MOTCUA_TRY(Load(tx, dossiers_, who, dossier_id));
    auto current = MOTCUA_TRY(repo::Find(tx, dossier_id));
    MOTCUA_TRY_VOID(MayChange(s, current, false));
    if (!MOTCUA_TRY(repo::LinkFile(tx, info.id, who.user_id, dossier_id)))
      return InvalidField("attachment", "is not a file you uploaded and have not used yet");
    row = repo::ResultRow{.dossier_id = dossier_id,
                          .code = current ? current->code : fresh_code,
                          .draft_attachment_id = info.id,
                          .generated = request.generated,
                          .drafted_by = who.user_id,
                          .drafted_at = now};
    MOTCUA_TRY_VOID(repo::PutDraft(tx, row));
    return AppendResultEvent(
        tx, dossiers_, s, who, now, "result_drafted",
        dossier::ResultDraftedPayload{row.code, request.generated, info.sha256});
  });
  if (!written) {
    if (stored_here) (void)files_.Delete(who.user_id, info.id);
    return Fail(written.error());
  }
  info.dossier_id = dossier_id;
  info.component_code.reset();
  return ResultView{std::move(row), std::move(number), std::move(info)};
}

Result<ResultView> ResultService::Sign(const Principal& who, std::int64_t dossier_id,
                                       std::string_view pkcs12, const std::string& password,
                                       const std::string& verify_base,
                                       const dossiers::ReadContext& context) {
  if (trust_.empty())
    return Fail(
        Code::kFailedPrecondition,
        "no certificate authority is trusted for signing results: put the CA certificates (PEM) in "
        "DATA_DIR/keys/trusted-ca");
  const auto identity = MOTCUA_TRY(documents::SigningIdentity::FromPkcs12(pkcs12, password));
  const TimePoint now = clock_.Now();
  if (auto st = trust_.Verify(identity.x509(), identity.chain(), now); !st)
    return InvalidField("pkcs12", st.error().message + " (the certificate of " +
                                      identity.certificate().subject + ", issued by " +
                                      identity.certificate().issuer + ")");
  repo::ResultRow row;
  std::string number;
  std::optional<Standing> standing;
  MOTCUA_TRY_VOID(store_.Read([&](Tx& tx) -> Status {
    standing = MOTCUA_TRY(Load(tx, dossiers_, who, dossier_id));
    // The certificate must be the signer's own (issue 19: a leader signed
    // with another leader's .p12 and its password).
    const auto registered =
        MOTCUA_TRY(storage::certificates::FindBySha256(tx, identity.certificate().sha256));
    if (!registered || registered->user_id != who.user_id || registered->revoked_at)
      return Fail(Error{
          Code::kPermissionDenied,
          "this certificate (" + identity.certificate().subject +
              ") is not registered to your account: an administrator registers "
              "each leader's signing certificate",
          {}}.With("pkcs12", "is not a certificate registered to your account"));
    number = standing->row.number;
    auto current = MOTCUA_TRY(repo::Find(tx, dossier_id));
    MOTCUA_TRY_VOID(MayChange(*standing, current, true));
    if (!current)
      return Fail(Error{
          Code::kFailedPrecondition, "there is no draft result to sign", {{"result", "none"}}});
    row = std::move(*current);
    return {};
  }));
  // The leader reads the draft, which names the applicant: logged.
  MOTCUA_TRY_VOID(Logged(who, *standing, context));
  const auto draft = MOTCUA_TRY(files_.OpenForService(row.draft_attachment_id));
  const std::string address = verify_base + "/verify/" + row.code;
  const auto& cert = identity.certificate();
  documents::SignOptions options{
      .time = now,
      .reason = layout_.Word("result_reason"),
      .location = layout_.place,
      .stamp = {
          .lines = {Fill(layout_.Word("stamp_signed_by"), "signer", cert.subject),
                    cert.organization,
                    Fill(layout_.Word("stamp_time"), "time", documents::VietnameseShortMoment(now)),
                    Fill(layout_.Word("stamp_verify"), "address", address)},
          .verify_url = address}};
  if (options.stamp.lines[1].empty()) options.stamp.lines.erase(options.stamp.lines.begin() + 1);
  auto signed_pdf = documents::SignPdf(draft.bytes, identity, options, fonts_);
  if (!signed_pdf) {
    if (signed_pdf.error().fields.contains("file"))
      return Fail(Error{Code::kFailedPrecondition,
                        "the draft cannot be signed: " + signed_pdf.error().fields.at("file"),
                        {{"result", signed_pdf.error().fields.at("file")}}});
    return Fail(signed_pdf.error());
  }
  auto info = MOTCUA_TRY(
      files_.Put(who.user_id, *signed_pdf, "ket-qua-" + number + "-da-ky.pdf", "application/pdf"));
  row.signed_attachment_id = info.id;
  row.signed_sha256 = info.sha256;
  row.signed_by = who.user_id;
  row.signed_at = now;
  row.signer_name = cert.subject;
  row.signer_organization = cert.organization;
  row.certificate_issuer = cert.issuer;
  row.certificate_serial = cert.serial;
  row.certificate_sha256 = cert.sha256;
  auto written = store_.WriteSync([&](Tx& tx) -> Status {
    const Standing s = MOTCUA_TRY(Load(tx, dossiers_, who, dossier_id));
    MOTCUA_TRY_VOID(MayChange(s, MOTCUA_TRY(repo::Find(tx, dossier_id)), true));
    if (!MOTCUA_TRY(repo::LinkFile(tx, info.id, who.user_id, dossier_id)))
      return Fail(Code::kInternal, "the signed file could not be linked to the dossier");
    MOTCUA_TRY_VOID(repo::MarkSigned(tx, row));
    return AppendResultEvent(
        tx, dossiers_, s, who, now, "result_signed",
        dossier::ResultSignedPayload{row.code, info.sha256, cert.subject, cert.sha256});
  });
  if (!written) {
    (void)files_.Delete(who.user_id, info.id);
    return Fail(written.error());
  }
  info.dossier_id = dossier_id;
  if (on_signed_) on_signed_(dossier_id);
  return ResultView{std::move(row), std::move(number), std::move(info)};
}

Status ResultService::Logged(const Principal& who, const Standing& standing,
                             const dossiers::ReadContext& context) {
  const bool own = standing.row.citizen_user_id && *standing.row.citizen_user_id == who.user_id;
  std::promise<Status> recorded;
  access_log_.Record(
      audit::AccessRecord{who.user_id, std::string(kAggregate), standing.row.id,
                          own ? "data_subject" : "processing", context.route, context.request_id},
      [&recorded](Status st) { recorded.set_value(std::move(st)); });
  return recorded.get_future().get();
}

Result<attachments::Attachment> ResultService::Open(const Principal& who, std::int64_t dossier_id,
                                                    const dossiers::ReadContext& context) {
  Visible v = MOTCUA_TRY(Find(who, dossier_id));
  if (!v.row)
    return Fail(Code::kNotFound, "dossier " + std::to_string(dossier_id) + " has no result yet");
  // No record, no file: the read must be on file before it happens.
  MOTCUA_TRY_VOID(Logged(who, v.standing, context));
  return files_.OpenForService(v.row->file_id());
}

Result<PublicResult> ResultService::ToPublic(Tx& tx, const repo::ResultRow& row) {
  auto dossier = MOTCUA_TRY(storage::dossiers::Find(tx, row.dossier_id));
  if (!dossier) return Fail(Code::kInternal, "a result without its dossier");
  PublicResult p;
  p.code = row.code;
  p.number = dossier->number;
  auto snapshot = catalog_.Snapshot();
  for (const auto& proc : snapshot->Versions(dossier->procedure_code))
    if (proc.id == dossier->procedure_id) {
      p.procedure_name = proc.name;
      p.procedure_name_en = proc.name_en.value_or("");
    }
  p.signed_at = *row.signed_at;
  p.signer_name = row.signer_name;
  p.signer_organization = row.signer_organization;
  p.certificate_issuer = row.certificate_issuer;
  p.certificate_serial = row.certificate_serial;
  p.sha256 = *row.signed_sha256;
  auto size = MOTCUA_TRY(
      tx.Query("SELECT size FROM attachments WHERE id = $1", {*row.signed_attachment_id}));
  if (!size.empty()) p.size = size.front().Int(0);
  return p;
}

Result<PublicResult> ResultService::Public(std::string_view code) {
  if (!IsResultCode(code))
    return InvalidField("code", "is the 16-character code of a signed result");
  PublicResult out;
  MOTCUA_TRY_VOID(store_.Read([&](Tx& tx) -> Status {
    auto row = MOTCUA_TRY(repo::FindByCode(tx, code));
    if (!row || !row->is_signed()) return Fail(Code::kNotFound, "no signed result with this code");
    out = MOTCUA_TRY(ToPublic(tx, *row));
    return {};
  }));
  return out;
}

Result<FileCheck> ResultService::Check(std::string_view bytes, std::string_view code) {
  if (bytes.empty()) return InvalidField("body", "is the PDF file to check");
  if (!code.empty() && !IsResultCode(code))
    return InvalidField("code", "is the 16-character code of a signed result");
  FileCheck check;
  check.sha256 = events::Sha256Hex(bytes);
  if (auto sig = documents::CheckPdfSignature(bytes, trust_)) check.signature = std::move(*sig);
  bool matches = false;
  MOTCUA_TRY_VOID(store_.Read([&](Tx& tx) -> Status {
    auto row = code.empty() ? MOTCUA_TRY(repo::FindBySha256(tx, check.sha256))
                            : MOTCUA_TRY(repo::FindByCode(tx, code));
    if (!row || !row->is_signed()) {
      if (!code.empty()) return Fail(Code::kNotFound, "no signed result with this code");
      return {};
    }
    matches = *row->signed_sha256 == check.sha256;
    check.result = MOTCUA_TRY(ToPublic(tx, *row));
    return {};
  }));
  if (matches) {
    check.verdict = "issued";
  } else if (check.result || (check.signature && !check.signature->intact)) {
    check.verdict = "changed";
  } else {
    check.verdict = "unknown";
  }
  return check;
}

}  // namespace motcua::results
