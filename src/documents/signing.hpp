// Electronic signatures on PDF results (kết quả điện tử có chữ ký số):
// PAdES, that is a CMS signature (CAdES, detached, SHA-256) inside the PDF,
// over every byte of the file except the signature itself, with a visible
// stamp on the last page that carries the signer, the time and a QR code of
// the address where anyone can check the file (/verify/{code}).
//
// What is implemented of ETSI EN 319 142-1 (PAdES baseline B-B): SubFilter
// ETSI.CAdES.detached; signed attributes content-type, message-digest and
// ESS signing-certificate-v2, and no signing-time attribute (the time is the
// signature dictionary's /M, as B-B requires); the signer's certificate and
// its chain in the CMS. Not implemented: a time stamp from a TSA (B-T) and
// embedded revocation data (B-LT): the province's CA decides whether these
// are needed, and motcua keeps its own record of every signature it made.
//
// The file is rewritten (qpdf) rather than appended to: a PDF that already
// carries a signature is refused, since rewriting it would break that one.
//
// Thread safety: every type here is immutable after construction and may be
// shared; the functions are pure apart from reading the fonts.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "documents/pdf.hpp"

typedef struct x509_st X509;
typedef struct evp_pkey_st EVP_PKEY;

namespace motcua::documents {

// What a certificate says about its holder, for people and for the record.
struct CertificateInfo {
  std::string subject;       // the common name: "Nguyễn Văn Hùng"
  std::string organization;  // O, may be empty
  std::string issuer;        // the issuer's common name
  std::string serial;        // upper-case hex
  std::string sha256;        // lower-case hex of the DER: the certificate's fingerprint
  TimePoint not_before{};
  TimePoint not_after{};
};

// The certificate in `text`, PEM ("-----BEGIN CERTIFICATE-----") or DER:
// what an administrator registers to a leader's account. Errors:
// kInvalidArgument naming "certificate".
[[nodiscard]] Result<CertificateInfo> ReadCertificate(std::string_view text);

// A signer's private key and certificate, with the certificates of the CAs
// above it, as a PKCS#12 (.p12, .pfx) file holds them.
class SigningIdentity {
 public:
  // Tools write 2,048 (OpenSSL) to 600,000 (the most careful) iterations; a
  // million of PBKDF2 take about a second here.
  static constexpr long kMaxPkcs12Iterations = 1'000'000;
  // Errors: kInvalidArgument naming "pkcs12" for a file that is not PKCS#12
  // or holds no key and certificate, or whose key derivations ask for more
  // than kMaxPkcs12Iterations (a hostile file would otherwise hold a thread
  // for hours: the count is the file's to say, and OpenSSL obeys it), or
  // "password" when it does not open it.
  [[nodiscard]] static Result<SigningIdentity> FromPkcs12(std::string_view der,
                                                          const std::string& password);

  const CertificateInfo& certificate() const { return info_; }
  X509* x509() const { return cert_.get(); }
  EVP_PKEY* key() const { return key_.get(); }
  const std::vector<std::shared_ptr<X509>>& chain() const { return chain_; }

 private:
  SigningIdentity() = default;
  std::shared_ptr<EVP_PKEY> key_;
  std::shared_ptr<X509> cert_;
  std::vector<std::shared_ptr<X509>> chain_;
  CertificateInfo info_;
};

// The CAs whose certificates the province accepts for signing results.
class TrustList {
 public:
  // Every certificate in `pem` (one or more "BEGIN CERTIFICATE" blocks).
  // Errors: kInvalidArgument if there is none or one does not parse.
  [[nodiscard]] static Result<TrustList> FromPem(std::string_view pem);
  TrustList() = default;

  // Whether `cert` (with `intermediates`) chains to one of the CAs and was
  // valid at `at`. Errors: kFailedPrecondition with the reason (expired,
  // not yet valid, issuer not trusted, ...).
  [[nodiscard]] Status Verify(X509* cert, const std::vector<std::shared_ptr<X509>>& intermediates,
                              TimePoint at) const;
  bool empty() const { return cas_.empty(); }

 private:
  std::vector<std::shared_ptr<X509>> cas_;
};

// The visible part of the signature, drawn on the last page, bottom right.
struct SignatureStamp {
  std::vector<std::string> lines;  // "Ký bởi: ...", "Thời gian: ...": the first in bold
  std::string verify_url;          // the QR code's address
};

struct SignOptions {
  TimePoint time{};    // the signing time (/M)
  std::string reason;  // /Reason, "Phê duyệt kết quả giải quyết thủ tục hành chính"
  std::string location;  // /Location, the province
  SignatureStamp stamp;
};

// The signed file. Errors: kInvalidArgument naming "file" for bytes that are
// not a PDF qpdf can read, an encrypted PDF, a PDF without pages or one that
// is signed already; kInternal if OpenSSL or qpdf fail otherwise.
[[nodiscard]] Result<std::string> SignPdf(std::string_view pdf, const SigningIdentity& signer,
                                          const SignOptions& options,
                                          std::shared_ptr<const Fonts> fonts);

// What a PDF's (last) signature says, checked independently of motcua's
// records: by the bytes it covers, its CMS signature and the trust list.
struct SignatureCheck {
  bool intact = false;  // the covered bytes hash to the signed digest and the signature verifies
  bool whole_file = false;  // it covers the whole file: nothing was appended after signing
  bool trusted = false;     // the signer's certificate chains to the trust list at the signing time
  std::string problem;      // why not, when one of the three is false (English, for logs and tests)
  CertificateInfo signer;
  TimePoint signed_at{};  // the signature's /M
};

// Errors: kInvalidArgument naming "file" when the file has no PDF signature
// that can be read.
[[nodiscard]] Result<SignatureCheck> CheckPdfSignature(std::string_view pdf,
                                                       const TrustList& trust);

// A demo public-key infrastructure, for `motcua demo` and the tests: a root
// CA and signer certificates issued by it. Keys are RSA 2048, signatures
// SHA-256, as Vietnamese public CAs issue them; not for production use.
struct DemoCa {
  std::string cert_pem;
  std::string key_pem;
};
// Valid from `from` for `years`. Errors: kInternal if OpenSSL fails.
[[nodiscard]] Result<DemoCa> MakeDemoCa(const std::string& common_name,
                                        const std::string& organization, TimePoint from, int years);
// A PKCS#12 file (DER) with a new key and a signer certificate from `ca`.
[[nodiscard]] Result<std::string> MakeDemoSigner(const DemoCa& ca, const std::string& common_name,
                                                 const std::string& organization,
                                                 const std::string& password, TimePoint from,
                                                 int years);

}  // namespace motcua::documents
