// A dossier's electronic result (kết quả điện tử), from draft to signed file,
// and its public verification.
//
//   1. A specialist (or the unit leader) of the unit holding the dossier puts
//      the draft: a PDF they uploaded (a staged attachment of theirs) or one
//      motcua drew (the HTTP layer renders it, documents/notice.hpp). A new
//      draft replaces an unsigned one; the verification code stays.
//   2. A unit leader of that unit signs it with their PKCS#12 file and its
//      password, used for this request only and never stored: the
//      certificate must chain to the province's trust list and be valid now.
//      The signed file (PAdES, documents/signing.hpp, with a stamp whose QR
//      code is the verification address) becomes the dossier's result.
//   3. Anyone holding the file, or its code, checks it: /verify/{code}.
//
// Both files are attachments of the dossier (component_code NULL), sealed at
// rest like the applicant's; the row is storage/results_repo.hpp. Each step
// is an event of the dossier ("result_drafted", "result_signed"), in the
// same transaction as its row. The citizen who owns the dossier sees the
// result once signed; its staff see the draft too. Reads of a result file
// are in the personal-data access log (it names the applicant).
//
// Thread safety: every method may be called from any thread; they block on
// the store and the disk (never call them from a Store callback).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "core/accounts/principal.hpp"
#include "core/dossier/lookup_secret.hpp"
#include "documents/pdf.hpp"
#include "documents/receipt.hpp"
#include "documents/signing.hpp"
#include "services/attachments/attachment_store.hpp"
#include "services/audit/access_log.hpp"
#include "services/catalog/catalog_service.hpp"
#include "services/dossiers/dossier_service.hpp"
#include "storage/results_repo.hpp"
#include "storage/store.hpp"

namespace motcua::results {

using storage::results::ResultRow;

struct ResultView {
  storage::results::ResultRow row;
  std::string number;                // the dossier's
  attachments::AttachmentInfo file;  // what the caller gets: the signed file, else the draft
};

// What /verify/{code} tells anyone: nothing about the applicant.
struct PublicResult {
  std::string code;
  std::string number;
  std::string procedure_name;
  std::string procedure_name_en;
  TimePoint signed_at{};
  std::string signer_name;
  std::string signer_organization;
  std::string certificate_issuer;
  std::string certificate_serial;
  std::string sha256;
  std::int64_t size = 0;
};

// A file someone holds, checked.
struct FileCheck {
  // "issued": exactly the file motcua issued (for that code, when one was
  // given); "changed": the code's result is another file (or the file's own
  // signature says it was altered); "unknown": no signed result is this file.
  std::string verdict;
  std::optional<PublicResult> result;                  // the issued result it is, or the code's
  std::optional<documents::SignatureCheck> signature;  // the file's own signature, when it has one
  std::string sha256;                                  // of the file given
};

struct DraftRequest {
  std::string attachment_id;  // a staged PDF of the caller; or
  std::string bytes;          // a PDF motcua drew (generated)
  bool generated = false;
};

class ResultService {
 public:
  // Everything must outlive the service. `trust` lists the CAs whose
  // signers are accepted; `random` fills verification codes.
  ResultService(storage::Store& store, const Clock& clock, dossiers::DossierService& dossiers,
                attachments::AttachmentStore& files, const catalog::CatalogService& catalog,
                audit::AccessLog& access_log, std::shared_ptr<const documents::Fonts> fonts,
                const documents::FormLayout& layout, documents::TrustList trust,
                dossier::RandomBytes random);

  // The dossier's result as `who` may see it: nullopt when there is none
  // yet, or only a draft and `who` is the citizen. Errors: kNotFound (no
  // dossier, or not visible to `who`). A result shown is in the personal-data
  // access log before this returns, as its file's read is.
  [[nodiscard]] Result<std::optional<ResultView>> Get(const accounts::Principal& who,
                                                      std::int64_t dossier_id,
                                                      const dossiers::ReadContext& context);

  // Errors: kNotFound as Get; kPermissionDenied for a caller who is not a
  // specialist or leader of the unit holding the dossier; kFailedPrecondition
  // when the dossier is closed or its result is signed; kInvalidArgument
  // naming "attachment" (not a staged PDF of the caller) or those of
  // AttachmentStore::Put.
  [[nodiscard]] Result<ResultView> Draft(const accounts::Principal& who, std::int64_t dossier_id,
                                         DraftRequest request);

  // Signs the draft. `verify_base` is the portal's address ("https://...")
  // for the stamp's QR code. Errors: those of Draft (a unit leader only);
  // kFailedPrecondition when there is no draft, or the draft cannot be
  // signed (encrypted, signed already); kInvalidArgument naming "pkcs12" (not
  // a PKCS#12 file, or a certificate not valid now or not from a trusted CA)
  // or "password".
  [[nodiscard]] Result<ResultView> Sign(const accounts::Principal& who, std::int64_t dossier_id,
                                        std::string_view pkcs12, const std::string& password,
                                        const std::string& verify_base,
                                        const dossiers::ReadContext& context);

  // The file of Get with its bytes, once the read is in the access log.
  // Errors: kNotFound when there is no result `who` may see.
  [[nodiscard]] Result<attachments::Attachment> Open(const accounts::Principal& who,
                                                     std::int64_t dossier_id,
                                                     const dossiers::ReadContext& context);

  // The public facts of a signed result. Errors: kNotFound for a code that
  // is not one (or not signed yet), kInvalidArgument ("code") when malformed.
  [[nodiscard]] Result<PublicResult> Public(std::string_view code);

  // Checks a file: by its SHA-256 against the signed results (against the
  // code's, when `code` is not empty) and by its own signature.
  [[nodiscard]] Result<FileCheck> Check(std::string_view bytes, std::string_view code);

  const documents::TrustList& trust() const { return trust_; }

  // Called with the dossier's id after a signature is committed (statistics
  // count electronic results). Set before serving.
  void OnSigned(std::function<void(std::int64_t)> listener) { on_signed_ = std::move(listener); }

 private:
  // The dossier as `who` stands on it, and its result row if `who` may see
  // it (a draft only for staff). Errors: kNotFound as Get.
  struct Visible {
    dossiers::DossierService::Standing standing;
    std::optional<storage::results::ResultRow> row;
  };
  Result<Visible> Find(const accounts::Principal& who, std::int64_t dossier_id);
  Result<PublicResult> ToPublic(storage::Tx& tx, const storage::results::ResultRow& row);
  Status Logged(const accounts::Principal& who, const dossiers::DossierService::Standing& standing,
                const dossiers::ReadContext& context);

  storage::Store& store_;
  const Clock& clock_;
  dossiers::DossierService& dossiers_;
  attachments::AttachmentStore& files_;
  const catalog::CatalogService& catalog_;
  audit::AccessLog& access_log_;
  std::shared_ptr<const documents::Fonts> fonts_;
  const documents::FormLayout& layout_;
  documents::TrustList trust_;
  dossier::RandomBytes random_;
  std::function<void(std::int64_t)> on_signed_;
};

// A verification code: 16 characters of [a-z2-7]. For routes and tests.
bool IsResultCode(std::string_view code);

}  // namespace motcua::results
