// The demo CA and signer certificates of signing.hpp (MakeDemoCa, MakeDemoSigner).
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "documents/internal/openssl.hpp"
#include "documents/signing.hpp"

namespace motcua::documents {
namespace {

using internal::Bio;
using internal::Cert;
using internal::Deleter;
using internal::Key;
using Pkcs12 = std::unique_ptr<PKCS12, Deleter<PKCS12, PKCS12_free>>;

std::unexpected<Error> OpensslFailure(const char* what) {
  char b[256] = "unknown error";
  if (unsigned long e = ERR_get_error(); e != 0) ERR_error_string_n(e, b, sizeof b);
  ERR_clear_error();
  return Fail(Code::kInternal, std::string(what) + ": " + b);
}

bool AddEntry(X509_NAME* name, const char* field, const std::string& value) {
  if (value.empty()) return true;
  return X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                    reinterpret_cast<const unsigned char*>(value.data()),
                                    static_cast<int>(value.size()), -1, 0) == 1;
}

bool AddExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr) return false;
  const bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

// A certificate for `key` named `cn`/`org`, signed by `issuer_key` (itself
// when `issuer` is null).
Result<Cert> Issue(EVP_PKEY* key, const std::string& cn, const std::string& org, X509* issuer,
                   EVP_PKEY* issuer_key, bool ca, TimePoint from, int years) {
  Cert cert(X509_new());
  unsigned char serial[16];
  if (RAND_bytes(serial, sizeof serial) != 1) return OpensslFailure("serial");
  serial[0] &= 0x7f;  // positive
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  X509_set_version(cert.get(), 2);
  const time_t start = std::chrono::system_clock::to_time_t(
      std::chrono::time_point_cast<std::chrono::seconds>(from));
  ASN1_TIME_set(X509_getm_notBefore(cert.get()), start);
  ASN1_TIME_set(X509_getm_notAfter(cert.get()), start + static_cast<time_t>(years) * 365 * 86400);
  X509_NAME* name = X509_get_subject_name(cert.get());
  if (!AddEntry(name, "C", "VN") || !AddEntry(name, "O", org) || !AddEntry(name, "CN", cn))
    return OpensslFailure("name");
  X509_set_issuer_name(cert.get(), issuer != nullptr ? X509_get_subject_name(issuer) : name);
  X509_set_pubkey(cert.get(), key);
  X509* self_or_issuer = issuer != nullptr ? issuer : cert.get();
  bool ok = AddExtension(cert.get(), self_or_issuer, NID_subject_key_identifier, "hash") &&
            AddExtension(cert.get(), self_or_issuer, NID_authority_key_identifier, "keyid:always");
  if (ca) {
    ok = ok &&
         AddExtension(cert.get(), self_or_issuer, NID_basic_constraints, "critical,CA:TRUE") &&
         AddExtension(cert.get(), self_or_issuer, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    ok = ok &&
         AddExtension(cert.get(), self_or_issuer, NID_basic_constraints, "critical,CA:FALSE") &&
         AddExtension(cert.get(), self_or_issuer, NID_key_usage,
                      "critical,digitalSignature,nonRepudiation");
  }
  if (!ok) return OpensslFailure("extensions");
  if (X509_sign(cert.get(), issuer_key != nullptr ? issuer_key : key, EVP_sha256()) == 0)
    return OpensslFailure("X509_sign");
  return cert;
}

std::string ToPem(int (*write)(BIO*, void*), void* object) {
  Bio out(BIO_new(BIO_s_mem()));
  write(out.get(), object);
  char* data = nullptr;
  long n = BIO_get_mem_data(out.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

}  // namespace

Result<DemoCa> MakeDemoCa(const std::string& common_name, const std::string& organization,
                          TimePoint from, int years) {
  Key key(EVP_RSA_gen(2048));
  if (!key) return OpensslFailure("RSA key");
  Cert cert =
      MOTCUA_TRY(Issue(key.get(), common_name, organization, nullptr, nullptr, true, from, years));
  DemoCa ca;
  ca.cert_pem = ToPem([](BIO* b, void* x) { return PEM_write_bio_X509(b, static_cast<X509*>(x)); },
                      cert.get());
  ca.key_pem = ToPem(
      [](BIO* b, void* k) {
        return PEM_write_bio_PrivateKey(b, static_cast<EVP_PKEY*>(k), nullptr, nullptr, 0, nullptr,
                                        nullptr);
      },
      key.get());
  return ca;
}

Result<std::string> MakeDemoSigner(const DemoCa& ca, const std::string& common_name,
                                   const std::string& organization, const std::string& password,
                                   TimePoint from, int years) {
  Bio cert_in(BIO_new_mem_buf(ca.cert_pem.data(), static_cast<int>(ca.cert_pem.size())));
  Cert ca_cert(PEM_read_bio_X509(cert_in.get(), nullptr, nullptr, nullptr));
  Bio key_in(BIO_new_mem_buf(ca.key_pem.data(), static_cast<int>(ca.key_pem.size())));
  Key ca_key(PEM_read_bio_PrivateKey(key_in.get(), nullptr, nullptr, nullptr));
  if (!ca_cert || !ca_key) return OpensslFailure("the demo CA");
  Key key(EVP_RSA_gen(2048));
  if (!key) return OpensslFailure("RSA key");
  Cert cert = MOTCUA_TRY(
      Issue(key.get(), common_name, organization, ca_cert.get(), ca_key.get(), false, from, years));
  STACK_OF(X509)* chain = sk_X509_new_null();
  sk_X509_push(chain, ca_cert.get());
  Pkcs12 p12(PKCS12_create(password.c_str(), common_name.c_str(), key.get(), cert.get(), chain, 0,
                           0, 0, 0, 0));
  sk_X509_free(chain);
  if (!p12) return OpensslFailure("PKCS12_create");
  unsigned char* der = nullptr;
  int n = i2d_PKCS12(p12.get(), &der);
  if (n <= 0) return OpensslFailure("PKCS#12 encoding");
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(n));
  OPENSSL_free(der);
  return out;
}

}  // namespace motcua::documents
