#include "documents/signing.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

// qpdf 11's API without its old PointerHolder (std::shared_ptr throughout).
#define POINTERHOLDER_TRANSITION 4
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <ctime>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include "core/calendar/date.hpp"
#include "core/events/sha256.hpp"
#include "documents/internal/openssl.hpp"

namespace motcua::documents {
namespace {

// The CMS is written into a hole of this many bytes (twice as many hex
// digits): a 2048-bit signature with a chain of three RSA certificates and
// the signed attributes takes about 5 KB; 16 KB leaves room for 4096-bit keys
// and longer chains.
constexpr std::size_t kContentsBytes = 16384;
// Each ByteRange number is written over this placeholder: ten digits, files
// up to 9.3 GB.
constexpr std::int64_t kPlaceholder = 9999999999;

// The stamp, mm.
constexpr double kStampWidth = 80;
constexpr double kStampHeight = 24;
constexpr double kStampMargin = 10;  // from the page's right and bottom edges
constexpr double kPointsPerMm = 72.0 / 25.4;

using internal::Bio;
using internal::Deleter;
using Cms = std::unique_ptr<CMS_ContentInfo, Deleter<CMS_ContentInfo, CMS_ContentInfo_free>>;
using Store = std::unique_ptr<X509_STORE, Deleter<X509_STORE, X509_STORE_free>>;
using StoreCtx = std::unique_ptr<X509_STORE_CTX, Deleter<X509_STORE_CTX, X509_STORE_CTX_free>>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using Pkcs12 = std::unique_ptr<PKCS12, Deleter<PKCS12, PKCS12_free>>;

void FreeCerts(STACK_OF(X509) * s) { sk_X509_pop_free(s, X509_free); }
using Certs = std::unique_ptr<STACK_OF(X509), Deleter<STACK_OF(X509), FreeCerts>>;

std::shared_ptr<X509> Share(X509* x) { return {x, X509_free}; }

// OpenSSL's last error, for a message.
std::string OpensslError() {
  unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "unknown OpenSSL error";
  char b[256];
  ERR_error_string_n(e, b, sizeof b);
  return b;
}

std::string Utf8Entry(const X509_NAME* name, int nid) {
  int i = X509_NAME_get_index_by_NID(name, nid, -1);
  if (i < 0) return {};
  unsigned char* out = nullptr;
  int n = ASN1_STRING_to_UTF8(&out, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i)));
  if (n < 0) return {};
  std::string s(reinterpret_cast<char*>(out), static_cast<std::size_t>(n));
  OPENSSL_free(out);
  return s;
}

TimePoint FromAsn1(const ASN1_TIME* t) {
  std::tm tm{};
  if (ASN1_TIME_to_tm(t, &tm) != 1) return {};
  // Not through system_clock's nanoseconds, which end in 2262: a
  // certificate from anyone may say 9999 (RFC 5280's "no expiry").
  return TimePoint(std::chrono::seconds(timegm(&tm)));
}

CertificateInfo Describe(X509* x) {
  CertificateInfo info;
  info.subject = Utf8Entry(X509_get_subject_name(x), NID_commonName);
  info.organization = Utf8Entry(X509_get_subject_name(x), NID_organizationName);
  info.issuer = Utf8Entry(X509_get_issuer_name(x), NID_commonName);
  if (BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), nullptr)) {
    char* hex = BN_bn2hex(bn);
    info.serial = hex;
    OPENSSL_free(hex);
    BN_free(bn);
  }
  unsigned char* der = nullptr;
  int n = i2d_X509(x, &der);
  if (n > 0) {
    info.sha256 = events::Sha256Hex({reinterpret_cast<char*>(der), static_cast<std::size_t>(n)});
    OPENSSL_free(der);
  }
  info.not_before = FromAsn1(X509_get0_notBefore(x));
  info.not_after = FromAsn1(X509_get0_notAfter(x));
  return info;
}

// Not through system_clock's nanoseconds, which span 1677 to 2262 only: the
// signing time comes from the file's /M, any year from 0000 to 9999.
time_t ToTimeT(TimePoint t) {
  return static_cast<time_t>(
      std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count());
}

// "D:20261202083000+07'00'": the PDF date of `t` in Vietnam's time.
std::string PdfDate(TimePoint t) {
  const auto local = std::chrono::floor<std::chrono::seconds>(t) + calendar::kVietnamOffset;
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const std::chrono::year_month_day ymd(day);
  const std::chrono::hh_mm_ss hms(local - day);
  char b[40];
  std::snprintf(b, sizeof b, "D:%04d%02u%02u%02ld%02ld%02ld+07'00'", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long>(hms.hours().count()), static_cast<long>(hms.minutes().count()),
                static_cast<long>(hms.seconds().count()));
  return b;
}

// The inverse for the forms PDF readers write: D:YYYYMMDDHHmmSS with an
// optional Z or +HH'mm' / -HH'mm'. Missing parts count as zero.
TimePoint ParsePdfDate(std::string_view s) {
  if (s.starts_with("D:")) s.remove_prefix(2);
  auto num = [&](std::size_t at, std::size_t len) {
    int v = 0;
    if (at + len <= s.size()) std::from_chars(s.data() + at, s.data() + at + len, v);
    return v;
  };
  if (s.size() < 4) return {};
  const std::chrono::year_month_day ymd{
      std::chrono::year(num(0, 4)),
      std::chrono::month(static_cast<unsigned>(std::max(1, num(4, 2)))),
      std::chrono::day(static_cast<unsigned>(std::max(1, num(6, 2))))};
  auto t = std::chrono::sys_days(ymd) + std::chrono::hours(num(8, 2)) +
           std::chrono::minutes(num(10, 2)) + std::chrono::seconds(num(12, 2));
  if (s.size() > 14 && (s[14] == '+' || s[14] == '-')) {
    const auto offset = std::chrono::hours(num(15, 2)) + std::chrono::minutes(num(18, 2));
    t = s[14] == '+' ? t - offset : t + offset;
  }
  return std::chrono::time_point_cast<Micros>(t);
}

// The DER of the signed attributes as a SET OF (tag 0x31), which is what
// the signature covers (RFC 5652 section 5.4): each attribute's DER, sorted
// as DER requires, so that it equals what OpenSSL writes into the CMS.
std::string SignedAttributesDer(CMS_SignerInfo* si) {
  std::vector<std::string> parts;
  for (int i = 0; i < CMS_signed_get_attr_count(si); ++i) {
    X509_ATTRIBUTE* a = CMS_signed_get_attr(si, i);
    unsigned char* der = nullptr;
    int n = i2d_X509_ATTRIBUTE(a, &der);
    if (n <= 0) return {};
    parts.emplace_back(reinterpret_cast<char*>(der), static_cast<std::size_t>(n));
    OPENSSL_free(der);
  }
  std::sort(parts.begin(), parts.end());
  std::string body;
  for (const auto& p : parts) body += p;
  std::string out(1, '\x31');
  const std::size_t n = body.size();
  if (n < 0x80) {
    out += static_cast<char>(n);
  } else {
    std::string len;
    for (std::size_t v = n; v > 0; v >>= 8) len.insert(len.begin(), static_cast<char>(v & 0xff));
    out += static_cast<char>(0x80 | len.size());
    out += len;
  }
  return out + body;
}

// The detached CMS (CAdES) over `data`, DER.
Result<std::string> SignCms(std::string_view data, const SigningIdentity& signer) {
  Certs chain(sk_X509_new_null());
  for (const auto& c : signer.chain()) {
    X509_up_ref(c.get());
    sk_X509_push(chain.get(), c.get());
  }
  constexpr unsigned kFlags = CMS_PARTIAL | CMS_BINARY | CMS_DETACHED;
  Cms cms(CMS_sign(nullptr, nullptr, chain.get(), nullptr, kFlags));
  if (!cms) return Fail(Code::kInternal, "CMS_sign: " + OpensslError());
  // CMS_CADES adds the ESS signing-certificate-v2 attribute.
  CMS_SignerInfo* si = CMS_add1_signer(cms.get(), signer.x509(), signer.key(), EVP_sha256(),
                                       kFlags | CMS_NOSMIMECAP | CMS_CADES);
  if (si == nullptr) return Fail(Code::kInternal, "CMS_add1_signer: " + OpensslError());
  // OpenSSL's own signing would add a signing-time attribute, which PAdES
  // forbids; so the remaining attributes and the signature are made here.
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &digest_len, EVP_sha256(), nullptr) != 1)
    return Fail(Code::kInternal, "digest: " + OpensslError());
  if (CMS_signed_add1_attr_by_NID(si, NID_pkcs9_contentType, V_ASN1_OBJECT,
                                  OBJ_nid2obj(NID_pkcs7_data), -1) != 1 ||
      CMS_signed_add1_attr_by_NID(si, NID_pkcs9_messageDigest, V_ASN1_OCTET_STRING, digest,
                                  static_cast<int>(digest_len)) != 1)
    return Fail(Code::kInternal, "signed attributes: " + OpensslError());
  const std::string tbs = SignedAttributesDer(si);
  if (tbs.size() < 2) return Fail(Code::kInternal, "signed attributes: " + OpensslError());
  MdCtx md(EVP_MD_CTX_new());
  std::size_t sig_len = 0;
  const auto* tbs_bytes = reinterpret_cast<const unsigned char*>(tbs.data());
  if (EVP_DigestSignInit(md.get(), nullptr, EVP_sha256(), nullptr, signer.key()) != 1 ||
      EVP_DigestSign(md.get(), nullptr, &sig_len, tbs_bytes, tbs.size()) != 1)
    return Fail(Code::kInternal, "sign: " + OpensslError());
  std::string sig(sig_len, '\0');
  if (EVP_DigestSign(md.get(), reinterpret_cast<unsigned char*>(sig.data()), &sig_len, tbs_bytes,
                     tbs.size()) != 1)
    return Fail(Code::kInternal, "sign: " + OpensslError());
  ASN1_STRING_set(CMS_SignerInfo_get0_signature(si), sig.data(), static_cast<int>(sig_len));
  unsigned char* der = nullptr;
  int n = i2d_CMS_ContentInfo(cms.get(), &der);
  if (n <= 0) return Fail(Code::kInternal, "CMS encoding: " + OpensslError());
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(n));
  OPENSSL_free(der);
  return out;
}

Result<std::string> Stamp(const SignatureStamp& stamp, std::shared_ptr<const Fonts> fonts) {
  PdfDocument doc(std::move(fonts), "stamp", kStampWidth, kStampHeight);
  const double w = kStampWidth, h = kStampHeight;
  doc.Line(0.3, 0.3, w - 0.3, 0.3, 0.5);
  doc.Line(w - 0.3, 0.3, w - 0.3, h - 0.3, 0.5);
  doc.Line(w - 0.3, h - 0.3, 0.3, h - 0.3, 0.5);
  doc.Line(0.3, h - 0.3, 0.3, 0.3, 0.5);
  double x = 2.5;
  if (!stamp.verify_url.empty()) {
    auto qr = MakeQr(stamp.verify_url);
    if (!qr) return Fail(qr.error());
    doc.Qr(*qr, 1, 1, h - 2);
    x = h;
  }
  double y = 5.5;
  const double width = w - x - 2;
  for (std::size_t i = 0; i < stamp.lines.size() && y < h; ++i)
    y = doc.Paragraph(x, y, width, stamp.lines[i], {.size = i == 0 ? 8.0 : 7.0, .bold = i == 0}) +
        0.6;
  return doc.Finish();
}

QPDFObjectHandle Unicode(const std::string& utf8) {
  return QPDFObjectHandle::newUnicodeString(utf8);
}

bool HasSignature(QPDF& pdf) {
  QPDFObjectHandle acro = pdf.getRoot().getKey("/AcroForm");
  if (!acro.isDictionary()) return false;
  QPDFObjectHandle fields = acro.getKey("/Fields");
  if (!fields.isArray()) return false;
  for (int i = 0; i < fields.getArrayNItems(); ++i) {
    QPDFObjectHandle f = fields.getArrayItem(i);
    if (f.isDictionary() && f.getKey("/FT").isName() && f.getKey("/FT").getName() == "/Sig" &&
        f.getKey("/V").isDictionary())
      return true;
  }
  return false;
}

// The file with an empty signature field: /Contents a hole of zeros, the
// /ByteRange placeholders.
Result<std::string> Prepare(std::string_view bytes, const SignOptions& options,
                            const SigningIdentity& signer, const std::string& stamp_pdf) {
  QPDF pdf;
  pdf.setSuppressWarnings(true);
  pdf.processMemoryFile("result.pdf", bytes.data(), bytes.size());
  if (pdf.isEncrypted())
    return InvalidField("file", "the PDF is encrypted; upload it without a password");
  std::vector<QPDFPageObjectHelper> pages = QPDFPageDocumentHelper(pdf).getAllPages();
  if (pages.empty()) return InvalidField("file", "the PDF has no pages");
  if (HasSignature(pdf)) return InvalidField("file", "the PDF is signed already");

  QPDF stamp;
  stamp.setSuppressWarnings(true);
  stamp.processMemoryFile("stamp.pdf", stamp_pdf.data(), stamp_pdf.size());
  QPDFObjectHandle appearance = pdf.copyForeignObject(
      QPDFPageDocumentHelper(stamp).getAllPages().front().getFormXObjectForPage());

  QPDFPageObjectHelper& page = pages.back();
  QPDFObjectHandle::Rectangle box = page.getCropBox(false, true).getArrayAsRectangle();
  const double w = kStampWidth * kPointsPerMm, h = kStampHeight * kPointsPerMm,
               m = kStampMargin * kPointsPerMm;
  const double x1 = std::max(box.llx, box.urx - m - w), y1 = box.lly + m;

  QPDFObjectHandle range = QPDFObjectHandle::newArray();
  range.appendItem(QPDFObjectHandle::newInteger(0));
  for (int i = 0; i < 3; ++i) range.appendItem(QPDFObjectHandle::newInteger(kPlaceholder));
  QPDFObjectHandle sig = QPDFObjectHandle::newDictionary();
  sig.replaceKey("/Type", QPDFObjectHandle::newName("/Sig"));
  sig.replaceKey("/Filter", QPDFObjectHandle::newName("/Adobe.PPKLite"));
  sig.replaceKey("/SubFilter", QPDFObjectHandle::newName("/ETSI.CAdES.detached"));
  sig.replaceKey("/ByteRange", range);
  sig.replaceKey("/Contents", QPDFObjectHandle::newString(std::string(kContentsBytes, '\0')));
  sig.replaceKey("/M", QPDFObjectHandle::newString(PdfDate(options.time)));
  sig.replaceKey("/Name", Unicode(signer.certificate().subject));
  if (!options.reason.empty()) sig.replaceKey("/Reason", Unicode(options.reason));
  if (!options.location.empty()) sig.replaceKey("/Location", Unicode(options.location));
  sig = pdf.makeIndirectObject(sig);

  QPDFObjectHandle widget = QPDFObjectHandle::newDictionary();
  widget.replaceKey("/Type", QPDFObjectHandle::newName("/Annot"));
  widget.replaceKey("/Subtype", QPDFObjectHandle::newName("/Widget"));
  widget.replaceKey("/FT", QPDFObjectHandle::newName("/Sig"));
  widget.replaceKey("/T", QPDFObjectHandle::newString("motcua-signature"));
  widget.replaceKey("/V", sig);
  widget.replaceKey("/F", QPDFObjectHandle::newInteger(4 | 128));  // print, locked
  widget.replaceKey(
      "/Rect", QPDFObjectHandle::newArray(QPDFObjectHandle::Rectangle(x1, y1, x1 + w, y1 + h)));
  widget.replaceKey("/P", page.getObjectHandle());
  QPDFObjectHandle ap = QPDFObjectHandle::newDictionary();
  ap.replaceKey("/N", appearance);
  widget.replaceKey("/AP", ap);
  widget = pdf.makeIndirectObject(widget);

  QPDFObjectHandle page_dict = page.getObjectHandle();
  QPDFObjectHandle annots = page_dict.getKey("/Annots");
  if (!annots.isArray()) {
    annots = QPDFObjectHandle::newArray();
    page_dict.replaceKey("/Annots", annots);
  }
  annots.appendItem(widget);
  QPDFObjectHandle root = pdf.getRoot();
  QPDFObjectHandle acro = root.getKey("/AcroForm");
  if (!acro.isDictionary()) {
    acro = pdf.makeIndirectObject(QPDFObjectHandle::newDictionary());
    root.replaceKey("/AcroForm", acro);
  }
  QPDFObjectHandle fields = acro.getKey("/Fields");
  if (!fields.isArray()) {
    fields = QPDFObjectHandle::newArray();
    acro.replaceKey("/Fields", fields);
  }
  fields.appendItem(widget);
  acro.replaceKey("/SigFlags", QPDFObjectHandle::newInteger(3));  // signatures exist, append only

  QPDFWriter writer(pdf);
  writer.setOutputMemory();
  // Object streams would compress the signature dictionary, whose bytes are
  // patched below; qpdf then writes a classic cross-reference table.
  writer.setObjectStreamMode(qpdf_o_disable);
  writer.setDeterministicID(true);
  writer.write();
  auto buffer = writer.getBufferSharedPointer();
  return std::string(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
}

}  // namespace

namespace {

// The iteration count a password-based algorithm asks for: PKCS#5 v1.5 and
// PKCS#12 PBE (PBEPARAM), or PBES2 with PBKDF2; 0 for one that asks for none
// we know, -1 for parameters that do not read.
long PbeIterations(const X509_ALGOR* alg) {
  if (alg == nullptr) return 0;
  const ASN1_OBJECT* oid = nullptr;
  int type = 0;
  const void* value = nullptr;
  X509_ALGOR_get0(&oid, &type, &value, alg);
  if (type != V_ASN1_SEQUENCE || value == nullptr) return 0;
  const ASN1_TYPE* params = alg->parameter;
  if (OBJ_obj2nid(oid) == NID_pbes2) {
    PBE2PARAM* pbe2 =
        static_cast<PBE2PARAM*>(ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBE2PARAM), params));
    if (pbe2 == nullptr) return -1;
    long iterations = -1;
    if (pbe2->keyfunc != nullptr && OBJ_obj2nid(pbe2->keyfunc->algorithm) == NID_id_pbkdf2) {
      PBKDF2PARAM* kdf = static_cast<PBKDF2PARAM*>(
          ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBKDF2PARAM), pbe2->keyfunc->parameter));
      if (kdf != nullptr) {
        iterations = ASN1_INTEGER_get(kdf->iter);
        PBKDF2PARAM_free(kdf);
      }
    }
    PBE2PARAM_free(pbe2);
    return iterations;
  }
  PBEPARAM* pbe =
      static_cast<PBEPARAM*>(ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBEPARAM), params));
  if (pbe == nullptr) return -1;
  const long iterations = ASN1_INTEGER_get(pbe->iter);
  PBEPARAM_free(pbe);
  return iterations;
}

// The largest iteration count the file asks for, each read before it is
// run: its MAC, its encrypted contents, and its shrouded keys (those inside
// an encrypted part once that part, within the bound, is opened with
// `password`); -1 if one cannot be read.
long MostPkcs12Iterations(PKCS12* p12, const std::string& password, long bound) {
  long most = 0;
  auto take = [&](long n) { most = n < 0 || most < 0 ? -1 : std::max(most, n); };
  auto keys_in = [&](STACK_OF(PKCS12_SAFEBAG) * bags) {
    for (int b = 0; b < sk_PKCS12_SAFEBAG_num(bags); ++b) {
      const PKCS12_SAFEBAG* bag = sk_PKCS12_SAFEBAG_value(bags, b);
      if (PKCS12_SAFEBAG_get_nid(bag) != NID_pkcs8ShroudedKeyBag) continue;
      const X509_ALGOR* alg = nullptr;
      X509_SIG_get0(PKCS12_SAFEBAG_get0_pkcs8(bag), &alg, nullptr);
      take(PbeIterations(alg));
    }
  };
  const ASN1_INTEGER* mac_iter = nullptr;
  PKCS12_get0_mac(nullptr, nullptr, nullptr, &mac_iter, p12);
  if (mac_iter != nullptr) take(ASN1_INTEGER_get(mac_iter));
  STACK_OF(PKCS7)* safes = PKCS12_unpack_authsafes(p12);
  if (safes == nullptr) return -1;
  for (int i = 0; i < sk_PKCS7_num(safes); ++i) {
    PKCS7* safe = sk_PKCS7_value(safes, i);
    const int nid = OBJ_obj2nid(safe->type);
    if (nid == NID_pkcs7_encrypted) {
      const PKCS7_ENC_CONTENT* content =
          safe->d.encrypted != nullptr ? safe->d.encrypted->enc_data : nullptr;
      const long n = content != nullptr ? PbeIterations(content->algorithm) : -1;
      take(n);
      if (n < 0 || n > bound) break;
      // Within the bound: open it to see the keys inside (a wrong password
      // leaves nothing to see, and PKCS12_parse refuses it after).
      if (STACK_OF(PKCS12_SAFEBAG)* bags =
              PKCS12_unpack_p7encdata(safe, password.c_str(), static_cast<int>(password.size()))) {
        keys_in(bags);
        sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
      }
    } else if (nid == NID_pkcs7_data) {
      STACK_OF(PKCS12_SAFEBAG)* bags = PKCS12_unpack_p7data(safe);
      if (bags == nullptr) {
        take(-1);
        continue;
      }
      keys_in(bags);
      sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
    }
  }
  sk_PKCS7_pop_free(safes, PKCS7_free);
  return most;
}

}  // namespace

Result<CertificateInfo> ReadCertificate(std::string_view text) {
  Bio in(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
  X509* x = text.find("-----BEGIN CERTIFICATE-----") != std::string_view::npos
                ? PEM_read_bio_X509(in.get(), nullptr, nullptr, nullptr)
                : d2i_X509_bio(in.get(), nullptr);
  ERR_clear_error();
  if (x == nullptr) return InvalidField("certificate", "is not an X.509 certificate (PEM or DER)");
  const CertificateInfo info = Describe(x);
  X509_free(x);
  return info;
}

Result<SigningIdentity> SigningIdentity::FromPkcs12(std::string_view der,
                                                    const std::string& password) {
  Bio in(BIO_new_mem_buf(der.data(), static_cast<int>(der.size())));
  Pkcs12 p12(d2i_PKCS12_bio(in.get(), nullptr));
  if (!p12) {
    ERR_clear_error();
    return InvalidField("pkcs12", "not a PKCS#12 (.p12, .pfx) file");
  }
  const long iterations = MostPkcs12Iterations(p12.get(), password, kMaxPkcs12Iterations);
  ERR_clear_error();
  if (iterations < 0) return InvalidField("pkcs12", "its encryption parameters cannot be read");
  if (iterations > kMaxPkcs12Iterations)
    return InvalidField("pkcs12", "it asks for " + std::to_string(iterations) +
                                      " key derivation iterations, more than the " +
                                      std::to_string(kMaxPkcs12Iterations) + " accepted");
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  STACK_OF(X509)* ca = nullptr;
  if (PKCS12_parse(p12.get(), password.c_str(), &key, &cert, &ca) != 1) {
    ERR_clear_error();
    return InvalidField("password", "the password does not open this PKCS#12 file");
  }
  SigningIdentity id;
  id.key_.reset(key, EVP_PKEY_free);
  id.cert_.reset(cert, X509_free);
  if (ca != nullptr) {
    while (sk_X509_num(ca) > 0) id.chain_.push_back(Share(sk_X509_shift(ca)));
    sk_X509_free(ca);
  }
  if (!id.key_ || !id.cert_)
    return InvalidField("pkcs12", "the file holds no private key with its certificate");
  if (X509_check_private_key(id.cert_.get(), id.key_.get()) != 1) {
    ERR_clear_error();
    return InvalidField("pkcs12", "the private key is not the certificate's");
  }
  id.info_ = Describe(id.cert_.get());
  return id;
}

Result<TrustList> TrustList::FromPem(std::string_view pem) {
  TrustList list;
  Bio in(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  while (X509* x = PEM_read_bio_X509(in.get(), nullptr, nullptr, nullptr))
    list.cas_.push_back(Share(x));
  ERR_clear_error();
  const auto blocks = [&] {
    std::size_t n = 0;
    for (std::size_t at = pem.find("-----BEGIN CERTIFICATE-----"); at != std::string_view::npos;
         at = pem.find("-----BEGIN CERTIFICATE-----", at + 1))
      ++n;
    return n;
  }();
  if (list.cas_.empty()) return InvalidField("pem", "no certificate");
  if (blocks != list.cas_.size()) return InvalidField("pem", "a certificate does not parse");
  return list;
}

Status TrustList::Verify(X509* cert, const std::vector<std::shared_ptr<X509>>& intermediates,
                         TimePoint at) const {
  Store store(X509_STORE_new());
  for (const auto& ca : cas_) X509_STORE_add_cert(store.get(), ca.get());
  Certs untrusted(sk_X509_new_null());
  for (const auto& c : intermediates) {
    X509_up_ref(c.get());
    sk_X509_push(untrusted.get(), c.get());
  }
  StoreCtx ctx(X509_STORE_CTX_new());
  X509_STORE_CTX_init(ctx.get(), store.get(), cert, untrusted.get());
  X509_STORE_CTX_set_time(ctx.get(), 0, ToTimeT(at));
  X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_ANY);
  if (X509_verify_cert(ctx.get()) == 1) return {};
  const int e = X509_STORE_CTX_get_error(ctx.get());
  ERR_clear_error();
  return Fail(Code::kFailedPrecondition,
              std::string("the certificate is not valid: ") + X509_verify_cert_error_string(e));
}

Result<std::string> SignPdf(std::string_view bytes, const SigningIdentity& signer,
                            const SignOptions& options, std::shared_ptr<const Fonts> fonts) {
  const std::string stamp = MOTCUA_TRY(Stamp(options.stamp, std::move(fonts)));
  std::string pdf;
  try {
    pdf = MOTCUA_TRY(Prepare(bytes, options, signer, stamp));
  } catch (const QPDFExc& e) {
    return InvalidField("file", std::string("not a readable PDF: ") + e.what());
  } catch (const std::exception& e) {
    return InvalidField("file", std::string("not a readable PDF: ") + e.what());
  }
  const std::string hole = "<" + std::string(2 * kContentsBytes, '0') + ">";
  const std::size_t a = pdf.find(hole);
  // The signature dictionary's own /ByteRange: the last before its hole (qpdf
  // writes the keys in order), not a "/ByteRange" in some uncompressed stream.
  const std::size_t range_at = a == std::string::npos ? a : pdf.rfind("/ByteRange", a);
  if (a == std::string::npos || range_at == std::string::npos)
    return Fail(Code::kInternal, "the prepared PDF has no signature placeholder");
  const std::size_t open = pdf.find('[', range_at), close = pdf.find(']', range_at);
  if (open == std::string::npos || close == std::string::npos || close < open)
    return Fail(Code::kInternal, "the prepared PDF's /ByteRange is malformed");
  const std::size_t b = a + hole.size();
  std::string numbers =
      " 0 " + std::to_string(a) + " " + std::to_string(b) + " " + std::to_string(pdf.size() - b);
  const std::size_t width = close - open - 1;
  if (numbers.size() > width)
    return Fail(Code::kInternal, "the /ByteRange placeholder is too short");
  numbers.resize(width, ' ');
  pdf.replace(open + 1, width, numbers);

  std::string covered;
  covered.reserve(pdf.size() - hole.size());
  covered.append(pdf, 0, a).append(pdf, b, std::string::npos);
  const std::string cms = MOTCUA_TRY(SignCms(covered, signer));
  if (cms.size() > kContentsBytes)
    return Fail(Code::kInternal, "the signature does not fit its placeholder");
  static constexpr char kHex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < cms.size(); ++i) {
    const auto c = static_cast<unsigned char>(cms[i]);
    pdf[a + 1 + 2 * i] = kHex[c >> 4];
    pdf[a + 2 + 2 * i] = kHex[c & 15];
  }
  return pdf;
}

Result<SignatureCheck> CheckPdfSignature(std::string_view pdf, const TrustList& trust) {
  // The last signature dictionary's /ByteRange and /Contents, read from the
  // bytes as written (the covered bytes are what counts, not a parse).
  const std::size_t range_at = pdf.rfind("/ByteRange");
  if (range_at == std::string_view::npos)
    return InvalidField("file", "the file carries no PDF signature");
  std::int64_t r[4] = {-1, -1, -1, -1};
  std::size_t at = pdf.find('[', range_at);
  for (auto& v : r) {
    while (at < pdf.size() &&
           (pdf[at] == '[' || pdf[at] == ' ' || pdf[at] == '\n' || pdf[at] == '\r'))
      ++at;
    auto [p, ec] =
        std::from_chars(pdf.data() + std::min(at, pdf.size()), pdf.data() + pdf.size(), v);
    if (ec != std::errc()) return InvalidField("file", "the signature's /ByteRange is malformed");
    at = static_cast<std::size_t>(p - pdf.data());
  }
  const auto size = static_cast<std::int64_t>(pdf.size());
  // In this order, so that no sum overflows on numbers from anyone: r[1] is
  // below the size before r[1] + 1, and r[3] is checked against what is left.
  if (r[0] != 0 || r[1] <= 0 || r[1] >= size || r[2] <= r[1] + 1 || r[3] < 0 ||
      r[2] > size - r[3] || pdf[static_cast<std::size_t>(r[1])] != '<' ||
      pdf[static_cast<std::size_t>(r[2] - 1)] != '>')
    return InvalidField("file", "the signature's /ByteRange does not fit the file");
  SignatureCheck check;
  check.whole_file = r[2] + r[3] == size;
  std::string der;
  for (auto i = static_cast<std::size_t>(r[1] + 1); i + 1 < static_cast<std::size_t>(r[2] - 1);
       i += 2) {
    auto nibble = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
    der += static_cast<char>(nibble(pdf[i]) << 4 | nibble(pdf[i + 1]));
  }
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  Cms cms(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(der.size())));
  if (!cms) {
    ERR_clear_error();
    return InvalidField("file", "the signature is not a CMS signature");
  }
  // The signing time: the /M of the same dictionary, before or after the
  // hole (writers order keys differently), the one key /M whose value is a
  // date string.
  const std::size_t from = range_at > 1000 ? range_at - 1000 : 0;
  const std::size_t to = std::min(pdf.size(), static_cast<std::size_t>(r[2]) + 1000);
  for (std::size_t m = pdf.find("/M", from); m != std::string_view::npos && m < to;
       m = pdf.find("/M", m + 2)) {
    std::size_t q = m + 2;
    while (q < pdf.size() && pdf[q] == ' ') ++q;
    if (pdf.substr(q, 3) != "(D:") continue;
    const std::size_t end = pdf.find(')', q);
    if (end != std::string_view::npos)
      check.signed_at = ParsePdfDate(pdf.substr(q + 1, end - q - 1));
    break;
  }
  std::string covered;
  covered.append(pdf.substr(0, static_cast<std::size_t>(r[1])));
  covered.append(pdf.substr(static_cast<std::size_t>(r[2]), static_cast<std::size_t>(r[3])));
  // Behind a buffer filter, not a memory BIO itself: given one, CMS_verify
  // (OpenSSL 3.0) reads a copy of it that it leaks when the signature names a
  // digest it cannot set up, a few hundred bytes per request from anyone
  // (found by fuzz/pdf_verify_fuzzer.cpp); given another BIO it reads that.
  Bio content(BIO_new(BIO_f_buffer()));
  BIO_push(content.get(), BIO_new_mem_buf(covered.data(), static_cast<int>(covered.size())));
  Store empty(X509_STORE_new());
  check.intact = CMS_verify(cms.get(), nullptr, empty.get(), content.get(), nullptr,
                            CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) == 1;
  if (!check.intact) {
    ERR_clear_error();
    check.problem = "the file was changed after it was signed";
  }
  Certs signers(CMS_get0_signers(cms.get()));
  if (signers && sk_X509_num(signers.get()) > 0) {
    X509* cert = sk_X509_value(signers.get(), 0);
    check.signer = Describe(cert);
    std::vector<std::shared_ptr<X509>> chain;
    STACK_OF(X509)* all = CMS_get1_certs(cms.get());
    for (int i = 0; all != nullptr && i < sk_X509_num(all); ++i)
      chain.push_back(Share(sk_X509_value(all, i)));
    if (all != nullptr) sk_X509_free(all);  // the shared pointers own the references now
    auto st = trust.Verify(cert, chain, check.signed_at);
    check.trusted = st.has_value();
    if (!st && check.problem.empty()) check.problem = st.error().message;
    // CMS_get0_signers borrows: give the stack back without freeing the certificates.
    sk_X509_free(signers.release());
  } else if (check.problem.empty()) {
    check.problem = "the signature names no signer certificate";
  }
  if (check.problem.empty() && !check.whole_file)
    check.problem = "something was added to the file after it was signed";
  return check;
}

}  // namespace motcua::documents
