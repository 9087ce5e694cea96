// Signed results as someone else's software sees them: poppler's pdfsig
// checks the signature with NSS against a database that trusts the demo CA
// (made with NSS's certutil), pdftoppm renders the stamp and zbarimg scans
// its QR code; none of them ours. motcua's own check (CheckPdfSignature) must
// agree with pdfsig on the intact, the tampered and the foreign file.
#include "documents/signing.hpp"

#include <gtest/gtest.h>
#include <openssl/pkcs12.h>

#include <filesystem>
#include <fstream>

#include "core/calendar/date.hpp"
#include "documents/receipt.hpp"
#include "documents/test_tools.hpp"
#include "documents/testing.hpp"

namespace motcua::documents {
namespace {

namespace fs = std::filesystem;
using testing::Shell;
using testing::Source;
using testing::Words;

const TimePoint kIssued = *calendar::ParseMoment("2026-01-05T08:00+07:00");
const TimePoint kSigned = *calendar::ParseMoment("2026-12-02T14:35:20+07:00");

class SigningTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // One CA and signer for the suite: an RSA key takes a while to make.
    auto ca = MakeDemoCa("motcua Demo Root CA", "Tỉnh Thái Nguyên (demo)", kIssued, 10);
    ASSERT_TRUE(ca) << ca.error().message;
    ca_ = new DemoCa(*ca);
    auto p12 = MakeDemoSigner(*ca_, "Nguyễn Văn Hùng", "Sở Tư pháp tỉnh Thái Nguyên", "demo-pass",
                              kIssued, 3);
    ASSERT_TRUE(p12) << p12.error().message;
    p12_ = new std::string(*p12);
  }
  static void TearDownTestSuite() {
    delete ca_;
    delete p12_;
  }

  void SetUp() override {
    auto l = ParseFormLayout(Source("data/documents/forms.json"));
    ASSERT_TRUE(l) << l.error().message;
    auto f = Fonts::Load(l->font_regular, l->font_bold);
    ASSERT_TRUE(f) << f.error().message;
    fonts_ = *f;
    auto receipt = RenderReceipt(fonts_, *l, testing::SampleReceipt());
    ASSERT_TRUE(receipt) << receipt.error().message;
    unsigned_ = *receipt;
    auto trust = TrustList::FromPem(ca_->cert_pem);
    ASSERT_TRUE(trust) << trust.error().message;
    trust_ = *trust;
    dir_ = fs::temp_directory_path() / ("motcua-signing-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    // pdfsig trusts what the NSS database trusts: the demo CA only.
    std::ofstream(dir_ / "ca.pem") << ca_->cert_pem;
    const std::string db = "sql:" + (dir_ / "nss").string();
    fs::create_directories(dir_ / "nss");
    Shell("certutil -N -d " + db + " --empty-password 2>&1");
    Shell("certutil -A -d " + db + " -n demo-ca -t CT,C,C -i " + (dir_ / "ca.pem").string() +
          " 2>&1");
  }
  void TearDown() override { fs::remove_all(dir_); }

  SignOptions Options() const {
    return {.time = kSigned,
            .reason = "Phê duyệt kết quả giải quyết thủ tục hành chính",
            .location = "Thái Nguyên",
            .stamp = {.lines = {"Ký bởi: Nguyễn Văn Hùng", "Sở Tư pháp tỉnh Thái Nguyên",
                                "Thời gian ký: 14:35, 02/12/2026",
                                "Kiểm tra: dichvucong.thainguyen.gov.vn/verify/ab12"},
                      .verify_url = "https://dichvucong.thainguyen.gov.vn/verify/ab12"}};
  }

  std::string Sign(std::string_view pdf) {
    auto id = SigningIdentity::FromPkcs12(*p12_, "demo-pass");
    EXPECT_TRUE(id) << id.error().message;
    auto signed_pdf = SignPdf(pdf, *id, Options(), fonts_);
    EXPECT_TRUE(signed_pdf) << signed_pdf.error().message;
    return signed_pdf ? *signed_pdf : std::string();
  }

  fs::path Write(const std::string& name, const std::string& bytes) {
    fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }

  std::string Pdfsig(const fs::path& file) {
    return Shell("TZ=UTC pdfsig -nssdir sql:" + (dir_ / "nss").string() + " " + file.string() +
                 " 2>&1");
  }

  static DemoCa* ca_;
  static std::string* p12_;
  std::shared_ptr<const Fonts> fonts_;
  std::string unsigned_;
  TrustList trust_;
  fs::path dir_;
};

DemoCa* SigningTest::ca_ = nullptr;
std::string* SigningTest::p12_ = nullptr;

TEST_F(SigningTest, PdfsigFindsTheSignatureValidAndTheSignerTrusted) {
  const std::string pdf = Sign(unsigned_);
  const std::string report = Pdfsig(Write("signed.pdf", pdf));
  EXPECT_NE(report.find("Signer Certificate Common Name: Nguyễn Văn Hùng"), std::string::npos)
      << report;
  EXPECT_NE(report.find("Signing Time: Dec 02 2026 07:35:20"), std::string::npos)
      << report;  // TZ=UTC
  EXPECT_NE(report.find("Signature Type: ETSI.CAdES.detached"), std::string::npos) << report;
  EXPECT_NE(report.find("Signed Ranges: [0 -"), std::string::npos) << report;
  EXPECT_NE(report.find("Total document signed"), std::string::npos) << report;
  EXPECT_NE(report.find("Signature Validation: Signature is Valid."), std::string::npos) << report;
  EXPECT_NE(report.find("Certificate Validation: Certificate is Trusted."), std::string::npos)
      << report;

  auto check = CheckPdfSignature(pdf, trust_);
  ASSERT_TRUE(check) << check.error().message;
  EXPECT_TRUE(check->intact) << check->problem;
  EXPECT_TRUE(check->whole_file);
  EXPECT_TRUE(check->trusted) << check->problem;
  EXPECT_EQ(check->problem, "");
  EXPECT_EQ(check->signer.subject, "Nguyễn Văn Hùng");
  EXPECT_EQ(check->signer.organization, "Sở Tư pháp tỉnh Thái Nguyên");
  EXPECT_EQ(check->signer.issuer, "motcua Demo Root CA");
  EXPECT_EQ(check->signed_at, kSigned);
}

TEST_F(SigningTest, TheSignedFileStillReadsAsItWasAndShowsTheStampWithItsQrCode) {
  const fs::path file = Write("signed.pdf", Sign(unsigned_));
  const std::string text = Words(Shell("pdftotext " + file.string() + " -"));
  EXPECT_NE(text.find("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"), std::string::npos) << text;
  EXPECT_NE(text.find("Tiếp nhận hồ sơ của: Nguyễn Thị Ánh Tuyết"), std::string::npos) << text;
  // The stamp is the signature field's appearance: a reader draws it on the
  // page; kept as a test artifact.
  const fs::path artifacts =
      fs::path(std::getenv("MOTCUA_SOURCE_DIR") ? std::getenv("MOTCUA_SOURCE_DIR") : ".") /
      "tests" / "artifacts" / "documents";
  fs::create_directories(artifacts);
  Shell("pdftoppm -r 200 -png -singlefile " + file.string() + " " +
        (artifacts / "signed").string());
  ASSERT_TRUE(fs::exists(artifacts / "signed.png"));
  const std::string scanned =
      Shell("zbarimg --quiet " + (artifacts / "signed.png").string() + " 2>/dev/null");
  EXPECT_NE(scanned.find("QR-Code:https://dichvucong.thainguyen.gov.vn/verify/ab12\n"),
            std::string::npos)
      << scanned;
  // The stamp's words are in the font embedded with it.
  const std::string fonts = Shell("pdffonts " + file.string());
  EXPECT_EQ(fonts.find(" no  "), std::string::npos) << "a font is not embedded:\n" << fonts;
}

TEST_F(SigningTest, OneChangedByteFailsBothCheckers) {
  std::string pdf = Sign(unsigned_);
  // One byte in the middle of what the signature covers after its hole (the
  // page's compressed content, say).
  const std::size_t hole_end = pdf.find('>', pdf.find("/Contents <"));
  ASSERT_NE(hole_end, std::string::npos);
  std::string tampered = pdf;
  const std::size_t at = hole_end + (pdf.size() - hole_end) / 2;
  tampered[at] = static_cast<char>(tampered[at] ^ 0x01);
  const std::string report = Pdfsig(Write("tampered.pdf", tampered));
  EXPECT_NE(report.find("Signature Validation: Digest Mismatch."), std::string::npos) << report;
  auto check = CheckPdfSignature(tampered, trust_);
  ASSERT_TRUE(check) << check.error().message;
  EXPECT_FALSE(check->intact);
  EXPECT_EQ(check->problem, "the file was changed after it was signed");
}

TEST_F(SigningTest, SomethingAppendedAfterSigningIsNoticed) {
  std::string pdf = Sign(unsigned_);
  pdf += "\n1000 0 obj\n(added later)\nendobj\n";
  const std::string report = Pdfsig(Write("appended.pdf", pdf));
  EXPECT_NE(report.find("Not total document signed"), std::string::npos) << report;
  auto check = CheckPdfSignature(pdf, trust_);
  ASSERT_TRUE(check) << check.error().message;
  EXPECT_TRUE(check->intact);
  EXPECT_FALSE(check->whole_file);
  EXPECT_EQ(check->problem, "something was added to the file after it was signed");
}

// A .p12 says how many key derivation iterations it takes, and OpenSSL
// obeys: one that asks for two billion is refused before any is run (issue
// 19: a hostile file would hold a thread for hours).
TEST_F(SigningTest, APkcs12AskingForEndlessIterationsIsRefusedAtOnce) {
  const auto* in = reinterpret_cast<const unsigned char*>(p12_->data());
  PKCS12* p12 = d2i_PKCS12(nullptr, &in, static_cast<long>(p12_->size()));
  ASSERT_NE(p12, nullptr);
  const ASN1_INTEGER* iter = nullptr;
  PKCS12_get0_mac(nullptr, nullptr, nullptr, &iter, p12);
  ASSERT_NE(iter, nullptr);
  ASSERT_LE(ASN1_INTEGER_get(iter), SigningIdentity::kMaxPkcs12Iterations);
  ASN1_INTEGER_set(const_cast<ASN1_INTEGER*>(iter), 2'000'000'000);
  unsigned char* out = nullptr;
  const int n = i2d_PKCS12(p12, &out);
  ASSERT_GT(n, 0);
  const std::string hostile(reinterpret_cast<char*>(out), static_cast<std::size_t>(n));
  OPENSSL_free(out);
  PKCS12_free(p12);
  const auto start = std::chrono::steady_clock::now();
  auto refused = SigningIdentity::FromPkcs12(hostile, "demo-pass");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Code::kInvalidArgument);
  EXPECT_TRUE(refused.error().fields.contains("pkcs12"));
  EXPECT_NE(refused.error().message.find("2000000000"), std::string::npos)
      << refused.error().message;
  // The file as it was still opens.
  EXPECT_TRUE(SigningIdentity::FromPkcs12(*p12_, "demo-pass"));
}

TEST_F(SigningTest, ASignerFromAnotherCaIsNotTrusted) {
  auto other = MakeDemoCa("Somebody's CA", "", kIssued, 10);
  ASSERT_TRUE(other);
  auto p12 = MakeDemoSigner(*other, "Kẻ Mạo Danh", "", "x", kIssued, 3);
  ASSERT_TRUE(p12);
  auto id = SigningIdentity::FromPkcs12(*p12, "x");
  ASSERT_TRUE(id);
  auto refused = trust_.Verify(id->x509(), id->chain(), kSigned);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Code::kFailedPrecondition);
  auto pdf = SignPdf(unsigned_, *id, Options(), fonts_);
  ASSERT_TRUE(pdf);
  const std::string report = Pdfsig(Write("foreign.pdf", *pdf));
  EXPECT_NE(report.find("Signature Validation: Signature is Valid."), std::string::npos) << report;
  EXPECT_EQ(report.find("Certificate Validation: Certificate is Trusted."), std::string::npos)
      << report;
  auto check = CheckPdfSignature(*pdf, trust_);
  ASSERT_TRUE(check);
  EXPECT_TRUE(check->intact);
  EXPECT_FALSE(check->trusted);
  EXPECT_NE(check->problem.find("the certificate is not valid"), std::string::npos)
      << check->problem;
}

TEST_F(SigningTest, ACertificateIsJudgedAtTheTimeOfSigning) {
  auto id = SigningIdentity::FromPkcs12(*p12_, "demo-pass");
  ASSERT_TRUE(id);
  EXPECT_TRUE(trust_.Verify(id->x509(), id->chain(), kSigned));
  // Three years from kIssued it has expired; before kIssued it was not yet valid.
  EXPECT_FALSE(trust_.Verify(id->x509(), id->chain(), kIssued + std::chrono::days(4 * 365)));
  EXPECT_FALSE(trust_.Verify(id->x509(), id->chain(), kIssued - std::chrono::days(1)));
  EXPECT_EQ(id->certificate().not_before, kIssued);
  EXPECT_EQ(id->certificate().serial.size() % 2, 0u);
  EXPECT_EQ(id->certificate().sha256.size(), 64u);
}

TEST_F(SigningTest, APdfWrittenByAnotherProgramIsSignedToo) {
  // pdfunite (poppler) writes the file its own way: other objects, another
  // cross-reference layout.
  const fs::path in = Write("in.pdf", unsigned_);
  Shell("pdfunite " + in.string() + " " + in.string() + " " + (dir_ / "two.pdf").string());
  std::ifstream f(dir_ / "two.pdf", std::ios::binary);
  const std::string two((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  ASSERT_GT(two.size(), 1000u);
  const std::string pdf = Sign(two);
  const fs::path out = Write("two-signed.pdf", pdf);
  EXPECT_NE(Pdfsig(out).find("Signature Validation: Signature is Valid."), std::string::npos)
      << Pdfsig(out);
  const std::string info = Shell("pdfinfo " + out.string());
  ASSERT_NE(info.find("Pages:"), std::string::npos) << info;
  EXPECT_EQ(std::atoi(info.c_str() + info.find("Pages:") + 6), 2) << info;
  // Signing it again is refused: the rewrite would break the first signature.
  auto id = SigningIdentity::FromPkcs12(*p12_, "demo-pass");
  auto again = SignPdf(pdf, *id, Options(), fonts_);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().fields.at("file"), "the PDF is signed already");
}

TEST_F(SigningTest, BadInputIsNamed) {
  auto wrong = SigningIdentity::FromPkcs12(*p12_, "not-the-password");
  ASSERT_FALSE(wrong);
  EXPECT_TRUE(wrong.error().fields.contains("password"));
  auto junk = SigningIdentity::FromPkcs12("not a p12 file", "x");
  ASSERT_FALSE(junk);
  EXPECT_TRUE(junk.error().fields.contains("pkcs12"));
  auto id = SigningIdentity::FromPkcs12(*p12_, "demo-pass");
  ASSERT_TRUE(id);
  auto not_pdf = SignPdf("GIF89a not a pdf", *id, Options(), fonts_);
  ASSERT_FALSE(not_pdf);
  EXPECT_TRUE(not_pdf.error().fields.contains("file"));
  auto truncated = SignPdf(std::string_view(unsigned_).substr(0, 600), *id, Options(), fonts_);
  ASSERT_FALSE(truncated);
  EXPECT_TRUE(truncated.error().fields.contains("file"));
  auto unsigned_check = CheckPdfSignature(unsigned_, trust_);
  ASSERT_FALSE(unsigned_check);
  EXPECT_TRUE(unsigned_check.error().fields.contains("file"));
  EXPECT_FALSE(TrustList::FromPem("no certificates here"));
}

}  // namespace
}  // namespace motcua::documents
